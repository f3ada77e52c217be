"""Interface strings: one table per language (``<lang>.yaml`` beside this file), keyed by message id.

Templates never hold user-facing English: they call ``t('key', name=...)`` — plain text, for attributes,
``<title>`` and charts — or ``t.html('key', name=...)`` for running text on the page, which isolates each
value in ``<bdi>`` so a name written right to left (or holding a direction override) cannot reorder the
sentence around it. A missing key in the active
language falls back to English; a key missing from English is a bug and fails the build (tests check that
every key used by a template exists).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from markupsafe import Markup, escape

_HERE = Path(__file__).parent
FALLBACK = "en"


def available_languages() -> list[str]:
    return sorted(p.stem for p in _HERE.glob("*.yaml"))


@lru_cache(maxsize=None)
def _table(lang: str) -> dict[str, str]:
    with open(_HERE / f"{lang}.yaml", encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    return {str(k): str(v) for k, v in data.items()}


class Translator:
    """``t('key', **values)`` → the string in ``lang`` with ``{values}`` filled in."""

    def __init__(self, lang: str):
        self.lang = lang
        self.table = _table(lang)
        self.fallback = _table(FALLBACK) if lang != FALLBACK else self.table

    def __call__(self, key: str, **values) -> str:
        text = self._text(key)
        return text.format(**values) if values else text

    def _text(self, key: str) -> str:
        text = self.table.get(key)
        if text is None:
            text = self.fallback.get(key)
        if text is None:
            raise KeyError(f"no interface string '{key}' in generator/locales/{FALLBACK}.yaml")
        return text

    def html(self, key: str, **values) -> Markup:
        """The sentence as HTML: the string escaped, each value escaped and isolated in ``<bdi>…</bdi>``.

        For running text only: ``aria-label`` and other attributes cannot hold tags, so they take ``t()``.
        A value that is already :class:`~markupsafe.Markup` is isolated as it is, not escaped twice.
        """
        template = escape(self._text(key))
        if not values:
            return Markup(template)
        return template.format(**{name: Markup("<bdi>{}</bdi>").format(value) for name, value in values.items()})
