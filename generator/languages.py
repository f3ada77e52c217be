"""Several languages from one content folder: translated content fields, one sub-site per language.

**Content in several languages.** Content text stays in the language the team writes it in (``lang`` in
site.yaml). A field listed in :data:`TRANSLATABLE` may instead carry its translations::

    label: {en: Ease of use, ja: 使いやすさ, ru: Удобство, et: Kasutusmugavus}

:func:`extract_translations` runs before validation: it puts the ``lang`` text in the field's place (so
validation, scoring, the export and every single-language page see one string) and keeps the others aside,
each checked as the field itself is (a label stays one line…). A translation the build needs but the field
lacks is a **warning** (``missing-translation``, naming file, line and field) and the ``lang`` text is shown;
a mapping without the ``lang`` text itself falls back to its English, else its first entry, also warned.

**Languages side by side.** ``languages: [en, ja, ru, et]`` in site.yaml builds one complete sub-site per
language, ``<lang>/…`` (``en/index.html``, ``ja/competitors/x.html``), each rendered through its own
:class:`~generator.views.common.SiteContext` (its interface table, its number and date formats, its
translated labels: :func:`localize`). The assets are shared (``assets/`` at the root). The root holds:

* ``index.html`` — a redirect (``<meta http-equiv=refresh>``, no script) to the first language, listing every
  language with its ``hreflang`` for readers and crawlers that do not follow it;
* ``404.html`` — the first language's not-found page (hosts serve only the root's); each sub-site has its own
  too, so a sub-folder can be hosted alone;
* ``sitemap.xml`` (every language's listed pages) and ``robots.txt``.

Every page carries ``<link rel="alternate" hreflang>`` for each language (and ``x-default``: the root) and a
language switch in its header; ``<html lang>`` is the page's language. Without ``languages`` (the default) a
site is built once, in ``lang``, at the root — byte for byte what it was before.

The whole output is still written by one :class:`~generator.write.SiteWriter` and swapped in once. The plan's
sub-sites are made by :func:`generator.plan.localize_plan`; a page's language switch and the root's
redirect by :mod:`generator.views.languages`; this module holds what content and validation need.

**Interface tables.** :func:`check_languages` reports, for every language the site builds, what its
interface table lacks against the English one, and a placeholder English does not fill in (warnings: English
is shown instead of a missing key; ``--strict`` makes them errors).
"""
from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from functools import lru_cache
from typing import Any

from pydantic import TypeAdapter, ValidationError

from . import model as m
from .diagnostics import Diagnostics, format_path, suggestion
from .locales import FALLBACK, available_languages, table_file, table_problems

# Field paths that may carry translations ("*": every item of a list), by kind of document.
TRANSLATABLE: dict[str, tuple[tuple[tuple, str], ...]] = {
    "site": (
        (("title",), "name"), (("tagline",), "text"), (("market",), "name"), (("price_basis",), "name"),
        (("dimensions", "*", "label"), "name"), (("dimensions", "*", "description"), "text"),
        (("dimensions", "*", "criteria", "*", "label"), "name"),
        (("dimensions", "*", "criteria", "*", "description"), "text"),
        (("dimensions", "*", "criteria", "*", "unit"), "name"),  # 23 minutes · 23 分 · 23 минуты
        (("segments", "*", "label"), "name"), (("segments", "*", "description"), "text"),
        (("source_kinds", "*", "label"), "name"), (("source_kinds", "*", "description"), "text"),
    ),
    "company": ((("summary",), "text"),),
    "page": ((("title",), "name"), (("description",), "text")),
}
@lru_cache(maxsize=None)
def _adapter(what: str) -> TypeAdapter:
    """The validator of one translated text, built the first time a translation is met (not at import: each
    costs a few milliseconds of every command's start-up)."""
    return TypeAdapter({"name": m.Name, "text": m.Text}[what])

# (document id, field path) → {language: text}; document ids: "site", "company:<slug>", "page:<slug>".
Translations = dict[tuple[str, tuple], dict[str, str]]


def build_languages(site: m.Site) -> list[str]:
    """The languages a site is built in: ``languages``, else its one ``lang``."""
    return list(site.languages) or [site.lang]


# --- content: translated fields ----------------------------------------------------------------------------

def _matches(data: Any, pattern: tuple, prefix: tuple = ()):
    """Every concrete path in ``data`` matching ``pattern`` whose value is present."""
    if not pattern:
        yield prefix
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        if isinstance(data, list):
            for i, item in enumerate(data):
                yield from _matches(item, rest, prefix + (i,))
    elif isinstance(data, dict) and head in data:
        yield from _matches(data[head], rest, prefix + (head,))


def _replaced(data: Any, path: tuple, value: Any) -> Any:
    """``data`` with the value at ``path`` replaced, copying only the containers on the way (never in place)."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    copy = list(data) if isinstance(data, list) else dict(data)
    copy[head] = _replaced(data[head], rest, value)
    return copy


def _one_document(doc_id: str, kind: str, doc, lang: str, wanted: list[str], known: list[str],
                  translations: Translations, diagnostics: Diagnostics):
    """The document with every translated field reduced to its ``lang`` text; the translations recorded."""
    if doc is None or not isinstance(doc.data, dict):
        return doc
    data = doc.data
    for pattern, what in TRANSLATABLE[kind]:
        for path in list(_matches(data, pattern)):
            value = _get(data, path)
            if value == {}:
                field = format_path(path)
                diagnostics.error("invalid-translation", f"{field} is an empty mapping: it has no text in any "
                                  f"language", path=field, hint=f"write the text ({path[-1]}: …), or one per "
                                  f"language ({path[-1]}: {{{lang}: …}})", **doc.where(path))
                data = _replaced(data, path, "?")  # reported: validation must not report it again
                continue
            if not isinstance(value, dict) \
                    or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
                continue  # not the mapping form (or not only text in it): validation reports what is wrong
            field = format_path(path)
            texts: dict[str, str] = {}
            invalid: set[str] = set()  # the codes whose text is reported wrong: no second message about them
            for code, text in value.items():
                if code not in known:
                    diagnostics.warning("unknown-language", f"'{m.visible(code)}' in {field} is not a language "
                                        f"valuemap has an interface table for; it is ignored",
                                        path=format_path(path + (code,)), hint=suggestion(code, known),
                                        **doc.where(path + (code,), key=True))
                    continue
                text = text.strip()
                try:
                    _adapter(what).validate_python(text)
                except ValidationError as exc:
                    problem = exc.errors(include_url=False)[0]
                    message = f"the '{code}' text of {field} is empty" if not text else \
                        f"the '{code}' text of {field}: {problem['msg']}"
                    hint = f"write the {code} text" + (f", or leave {code} out" if len(value) > 1 else "")
                    diagnostics.error("invalid-translation", message, path=format_path(path + (code,)),
                                      hint=None if text else hint, **doc.where(path + (code,)))
                    invalid.add(code)
                    continue
                texts[code] = text
            if not texts:
                if invalid:  # reported: validation must not call the mapping itself wrong
                    data = _replaced(data, path, "?")
                continue
            primary = texts.get(lang)
            if primary is None and lang in invalid:
                primary = texts[FALLBACK if FALLBACK in texts else next(iter(texts))]
            elif primary is None:
                source = FALLBACK if FALLBACK in texts else next(iter(texts))
                primary = texts[source]
                diagnostics.warning("missing-translation", f"{field} has no '{lang}' text, the site's language "
                                    f"(lang); its '{source}' text is used instead", path=field,
                                    hint=f"add {lang}: … to {field}", **doc.where(path))
            for code in wanted:
                if code not in texts and code != lang and code not in invalid:
                    diagnostics.warning("missing-translation", f"{field} has no '{code}' translation; the "
                                        f"'{lang}' text is shown on the {code} pages", path=field,
                                        hint=f"add {code}: … to {field}", **doc.where(path))
            translations[(doc_id, path)] = texts
            data = _replaced(data, path, primary)
    return doc if data is doc.data else dataclasses.replace(doc, data=data)


def _get(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


def extract_translations(tree, diagnostics: Diagnostics):
    """``(tree, translations, localize_company)``: the source tree with every translated field reduced to the
    site's ``lang`` text (a new tree: the loaded one is never changed), and the translations kept aside.
    Company files not parsed yet (:class:`~generator.load.PendingFile`) stay as they are: validation passes
    each one, once parsed, through ``localize_company(slug, document)``, which adds its translations to the
    same mapping."""
    translations: Translations = {}
    site_data = tree.site.data if tree.site is not None and isinstance(tree.site.data, dict) else {}
    lang = site_data.get("lang", FALLBACK)
    lang = lang if isinstance(lang, str) else FALLBACK
    listed = site_data.get("languages")
    wanted = [x for x in listed if isinstance(x, str)] if isinstance(listed, list) and listed else [lang]
    known = available_languages()
    args = (lang, wanted, known, translations, diagnostics)
    site = _one_document("site", "site", tree.site, *args)

    def localize_company(slug: str, doc):
        return _one_document(f"company:{slug}", "company", doc, *args)

    companies = {slug: localize_company(slug, doc) if hasattr(doc, "data") else doc  # not parsed yet: as it is
                 for slug, doc in tree.companies.items()}
    pages = {}
    for slug, page in tree.pages.items():
        front = _one_document(f"page:{slug}", "page", page.front, *args)
        pages[slug] = page if front is page.front else dataclasses.replace(page, front=front)
    unchanged = site is tree.site and all(companies[s] is d for s, d in tree.companies.items()) \
        and all(pages[s] is p for s, p in tree.pages.items())
    if unchanged:
        return tree, translations, localize_company
    return dataclasses.replace(tree, site=site, companies=companies, pages=pages), translations, localize_company


def _set(obj: Any, path: tuple, value: Any) -> Any:
    """A frozen model (or list, or dict) with the value at ``path`` replaced, copying on the way."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(obj, m._Model):
        return obj.model_copy(update={head: _set(getattr(obj, head), rest, value)})
    copy = list(obj) if isinstance(obj, list) else dict(obj)
    copy[head] = _set(obj[head], rest, value)
    return copy


def localize(content, lang: str):
    """The content as the ``lang`` pages show it: each translated field in ``lang`` (or, lacking that
    translation, the site's own text), and ``site.lang`` = ``lang`` — so a context made from it formats,
    translates and declares ``<html lang>`` in that language."""
    site = content.site
    companies = dict(content.companies)
    pages = dict(content.pages)
    for (doc_id, path), texts in sorted(getattr(content, "translations", {}).items(), key=lambda kv: kv[0][0]):
        text = texts.get(lang)
        if text is None:
            continue
        if doc_id == "site":
            site = _set(site, path, text)
        elif doc_id.startswith("company:") and doc_id[8:] in companies:
            companies[doc_id[8:]] = _set(companies[doc_id[8:]], path, text)
        elif doc_id.startswith("page:") and doc_id[5:] in pages:
            page = pages[doc_id[5:]]
            pages[doc_id[5:]] = dataclasses.replace(page, meta=_set(page.meta, path, text))
    written_in = content.written_in or content.site.lang
    site = site.model_copy(update={"lang": lang})
    return dataclasses.replace(content, site=site, companies=companies, pages=pages, written_in=written_in)


# --- checks ---------------------------------------------------------------------------------------------

def _shown_path(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def check_languages(site: m.Site, doc, diagnostics: Diagnostics) -> None:
    """``languages`` names known, distinct languages; the interface table of every language built lacks
    nothing English has (warnings), and fills in only the placeholders English does (errors)."""
    known = available_languages()
    seen: set[str] = set()
    for i, code in enumerate(site.languages):
        where = doc.where(("languages", i)) if doc is not None else {}
        if code not in known:
            diagnostics.error("unknown-language", f"no interface translation for language '{m.visible(code)}'",
                              path=format_path(("languages", i)), hint=suggestion(code, known), **where)
        elif code in seen:
            diagnostics.error("duplicate-language", f"language '{code}' is listed twice",
                              path=format_path(("languages", i)), **where)
        seen.add(code)
    for code in dict.fromkeys([site.lang, *site.languages]):
        if code == FALLBACK or code not in known:
            continue
        file = _shown_path(table_file(code))
        for problem, key, message in table_problems(code):
            diagnostics.warning(problem, message, file=file, line=1, column=1, path=key,
                   hint=f"copy '{key}' from generator/locales/{FALLBACK}.yaml and translate it")


# --- editors: the JSON Schema accepts the mapping form ----------------------------------------------------

# (definition name or None for the document's own properties, field) of every translatable field
SCHEMA_FIELDS: dict[str, tuple[tuple[str | None, str], ...]] = {
    "site": ((None, "title"), (None, "tagline"), (None, "market"), (None, "price_basis"),
             ("Dimension", "label"), ("Dimension", "description"), ("Criterion", "label"),
             ("Criterion", "description"), ("Criterion", "unit"), ("Segment", "label"), ("Segment", "description"),
             ("SourceKind", "label"), ("SourceKind", "description")),
    "company": ((None, "summary"),),
    "page": ((None, "title"), (None, "description")),
}
_SCHEMA_ANNOTATIONS = ("title", "description", "default", "examples", "markdownDescription", "internal")


def translatable_schema(kind: str, schema: dict) -> dict:
    """Let the schema of ``kind`` accept a translatable field as text or as ``{language: text}``."""
    languages = available_languages()
    for definition, name in SCHEMA_FIELDS.get(kind, ()):
        holder = schema if definition is None else schema.get("definitions", {}).get(definition)
        prop = (holder or {}).get("properties", {}).get(name)
        if prop is None or "anyOf" in prop and any(b.get("type") == "object" for b in prop["anyOf"]):
            continue
        text = {k: v for k, v in prop.items() if k not in _SCHEMA_ANNOTATIONS}
        mapping = {"type": "object", "minProperties": 1, "propertyNames": {"enum": languages},
                   "additionalProperties": text,
                   "description": "Translations: the text in each language, e.g. {en: …, ja: …}; a language "
                                  "left out shows the text in the site's lang (a warning)."}
        holder["properties"][name] = {**{k: v for k, v in prop.items() if k in _SCHEMA_ANNOTATIONS},
                                      "anyOf": [text, mapping]}
    return schema


def plain_document(doc, kind: str, diagnostics: Diagnostics, lang: str = FALLBACK):
    """One document (``site``, ``company``, ``page``) with its translated fields reduced to the ``lang`` text,
    for readers of a single file (``valuemap schema`` reads site.yaml alone)."""
    if doc is not None and kind == "site" and isinstance(doc.data, dict) and isinstance(doc.data.get("lang"), str):
        lang = doc.data["lang"]
    return _one_document(kind, kind, doc, lang, [lang], available_languages(), {}, diagnostics)
