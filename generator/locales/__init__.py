"""Interface strings: one table per language (``<lang>.yaml`` beside this file), keyed by message id.

Templates never hold user-facing English: they call ``t('key', name=...)`` — plain text, for attributes,
``<title>`` and charts — or ``t.html('key', name=...)`` for running text on the page, which isolates each
value in ``<bdi>`` so a name written right to left (or holding a direction override) cannot reorder the
sentence around it. A missing key in the active
language falls back to English; a key missing from English is a bug and fails the build (tests check that
every key used by a template exists).

**Plurals.** A message that holds a count is a mapping of CLDR plural categories instead of one string::

    evidence.count: {one: "{count} source", other: "{count} sources"}                 # en, et
    evidence.count: {one: "{count} источник", few: "{count} источника",
                     many: "{count} источников", other: "{count} источника"}          # ru
    evidence.count: {other: "{count}件の情報源"}                                        # ja

The form is chosen automatically whenever the call passes ``count=`` (``t('evidence.count', count=3)``;
``t.plural(key, n, **values)`` is the same), by the language's rule from Babel (``Locale.plural_form``):
Russian one/few/many, Estonian and English one/other, Japanese other only. ``other`` is always required (it
is also the fallback of a category a table leaves out); ``valuemap check`` reports a table that lacks a key
or a plural category (see :func:`table_problems`). Whole numbers passed as values (counts, ranks, seats) are
laid out in the language's digits and grouping (``1 234`` in Russian).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from markupsafe import Markup, escape  # Babel is imported where plurals and numbers are laid out (start-up time)

_HERE = Path(__file__).parent
FALLBACK = "en"
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
_PLACEHOLDER = re.compile(r"(?<!\{)\{([a-z_][a-z0-9_]*)\}")

Entry = "str | dict[str, str]"


def available_languages() -> list[str]:
    """The languages with a table beside this module (a team's own ``<lang>.yaml`` placed here counts too)."""
    return sorted(p.stem for p in _HERE.glob("*.yaml"))


def table_file(lang: str) -> Path:
    return _HERE / f"{lang}.yaml"


@lru_cache(maxsize=None)
def _table(lang: str) -> dict[str, "str | dict[str, str]"]:
    with open(table_file(lang), encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    out: dict[str, str | dict[str, str]] = {}
    for k, v in data.items():
        if isinstance(v, dict):
            out[str(k)] = {str(cat): str(text) for cat, text in v.items()}
        else:
            out[str(k)] = str(v)
    return out


@lru_cache(maxsize=None)
def _locale(lang: str) -> "Locale":
    from babel import Locale

    return Locale.parse(lang.replace("-", "_"))


@lru_cache(maxsize=4096)
def _whole(lang: str, number: int) -> str:
    """A whole number as ``lang`` writes it (ranks and counts: the same few hundred numbers on every page)."""
    from babel.numbers import format_decimal

    return format_decimal(number, locale=_locale(lang))


def plural_categories(lang: str) -> tuple[str, ...]:
    """The plural categories a table of ``lang`` needs: its CLDR rule's, and ``other``."""
    tags = set(_locale(lang).plural_form.tags) | {"other"}
    return tuple(c for c in PLURAL_CATEGORIES if c in tags)


def plural_category(lang: str, count) -> str:
    try:
        return _locale(lang).plural_form(count if isinstance(count, (int, float)) else float(str(count)))
    except (TypeError, ValueError):
        return "other"


def placeholders(text: str) -> frozenset[str]:
    return frozenset(_PLACEHOLDER.findall(text))


class Translator:
    """``t('key', **values)`` → the string in ``lang`` with ``{values}`` filled in."""

    def __init__(self, lang: str):
        self.lang = lang
        self.table = _table(lang)
        self.fallback = _table(FALLBACK) if lang != FALLBACK else self.table

    def __call__(self, key: str, **values) -> str:
        if not values:  # most calls (a page makes ~140): a plain string of this language's table, as it is
            text = self.table.get(key)
            if type(text) is str:
                return text
            return self._text(key)
        return self._text(key, values).format(**self._shown(values))

    def plural(self, key: str, count, **values) -> str:
        """``t.plural('evidence.count', 3)``: the same as ``t('evidence.count', count=3)``."""
        return self(key, count=count, **values)

    def _shown(self, values: dict) -> dict:
        """Whole numbers in the language's digits and grouping; everything else as it is."""
        return {name: (_whole(self.lang, v) if type(v) is int else v) for name, v in values.items()}

    def _entry(self, key: str) -> "tuple[str | dict[str, str], str]":
        entry = self.table.get(key)
        if entry is not None:
            return entry, self.lang
        entry = self.fallback.get(key)
        if entry is None:
            raise KeyError(f"no interface string '{key}' in generator/locales/{FALLBACK}.yaml")
        return entry, FALLBACK

    def _text(self, key: str, values: dict | None = None) -> str:
        entry, lang = self._entry(key)
        if isinstance(entry, str):
            return entry
        category = plural_category(lang, values["count"]) if values and "count" in values else "other"
        return entry.get(category) or entry["other"]

    def html(self, key: str, **values) -> Markup:
        """The sentence as HTML: the string escaped, each value escaped and isolated in ``<bdi>…</bdi>``.

        For running text only: ``aria-label`` and other attributes cannot hold tags, so they take ``t()``.
        A value that is already :class:`~markupsafe.Markup` is isolated as it is, not escaped twice.
        """
        template = escape(self._text(key, values))
        if not values:
            return Markup(template)
        # What Markup.format does (a value escaped unless it is Markup), without its formatter: the template and
        # every value are escaped already, so plain str.format joins them (a company page makes ~20 of these).
        return Markup(str(template).format(**{name: f"<bdi>{escape(value)}</bdi>"
                                              for name, value in self._shown(values).items()}))


def table_problems(lang: str) -> list[tuple[str, str, str]]:
    """What a table lacks against the English one: ``(code, key, message)`` for every key it does not have
    (``locale-missing-key``), every plural category its language needs (``locale-missing-plural``) and every
    placeholder that differs from the English string's (``locale-placeholder``: the page would fail)."""
    english, table = _table(FALLBACK), _table(lang)
    out: list[tuple[str, str, str]] = []
    for key, en_entry in english.items():
        entry = table.get(key)
        if entry is None:
            out.append(("locale-missing-key", key, f"the '{lang}' interface table has no '{key}' (English is shown)"))
            continue
        en_names = placeholders(en_entry if isinstance(en_entry, str) else " ".join(en_entry.values()))
        texts = [entry] if isinstance(entry, str) else list(entry.values())
        if isinstance(en_entry, dict):
            if isinstance(entry, str):
                out.append(("locale-missing-plural", key, f"'{key}' needs plural forms in '{lang}' "
                            f"({', '.join(plural_categories(lang))}), not one string"))
            else:
                missing = [c for c in plural_categories(lang) if c not in entry]
                if missing:
                    out.append(("locale-missing-plural", key,
                                f"'{key}' lacks the plural form(s) {', '.join(missing)} in '{lang}'"))
        for text in texts:
            extra = placeholders(text) - en_names
            if extra:
                out.append(("locale-placeholder", key, f"'{key}' in '{lang}' uses "
                            f"{', '.join('{' + n + '}' for n in sorted(extra))}, which the English string does not fill in"))
                break
    return out
