"""Interface strings: one table per language (``<lang>.yaml`` beside this file), keyed by message id.

Templates never hold user-facing English: they call ``t('key', name=...)``. A missing key in the active
language falls back to English; a key missing from English is a bug and fails the build (tests check that
every key used by a template exists).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

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
        text = self.table.get(key)
        if text is None:
            text = self.fallback.get(key)
        if text is None:
            raise KeyError(f"no interface string '{key}' in generator/locales/{FALLBACK}.yaml")
        return text.format(**values) if values else text
