"""Stage 2 — validate: loaded documents → the typed, frozen :class:`Content`, every problem collected.

Two passes per run, and neither stops at the first problem:

1. *shape*: each document through its pydantic model (:mod:`generator.model`); every error is turned into a
   :class:`~generator.diagnostics.Diagnostic` that names the file, line, column and field path;
2. *references*: what one file says about another (dimension and criterion ids, source kinds, segments,
   plans at the reference price points, our own company) — with a did-you-mean for every unknown name —
   and what no single field can say: weights too uneven to mean anything (docs/security.md, "Number
   bounds"), ids that become file names Windows reserves, two companies with the same name (a warning);
   price observations (source kind, a rate for another currency, dates, links); 'unknown' scores, and
   scores left out only under ``verification.allow_missing``; warnings for a score with no evidence older
   than ``verification.max_age_days`` (``stale-score``) and a price seen longer ago than
   ``prices.max_age_days`` (``stale-price``). ``--strict`` makes every warning an error (and runs the gate,
   :mod:`generator.gate`). The checks themselves live in :mod:`generator.site_checks` (site.yaml and
   prospects) and :mod:`generator.company_checks` (company files); this module runs both passes over every
   document and assembles :class:`Content`.
"""
from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Mapping

from pydantic import ValidationError

from . import model as m
from .diagnostics import Diagnostics, UsageError, suggestion
from .company_checks import check_company, check_names, check_tiers
from .model_errors import shape_errors
from .load import READ_AHEAD_MIN, Document, PendingFile, SourceTree, read_in_order
from .languages import check_languages, extract_translations
from .salvage import UNKNOWN_KEYS, salvage
from .site_checks import check_prospect, check_prospect_names, check_site

if TYPE_CHECKING:  # serve's cache: imported when one is given (check starts without it)
    from . import company_cache


@dataclass(frozen=True)
class NarrativePage:
    slug: str
    meta: m.PageMeta
    body: str
    file: str
    body_line: int


@dataclass(frozen=True)
class Content:
    """Validated content: the only input of scoring and planning."""

    site: m.Site
    companies: dict[str, m.Company]  # slug → company, sorted by slug
    prospects: dict[str, m.Prospect]
    pages: dict[str, NarrativePage]
    files: dict[str, str] = field(default_factory=dict)  # "company:<slug>" → file shown to authors
    documents: dict[str, Document] = field(default_factory=dict, repr=False, compare=False)
    # Translated fields (label: {en: …, ja: …}): (document id, field path) → {language: text}; the fields
    # above hold the site's lang text (see generator/languages.py).
    translations: dict = field(default_factory=dict, repr=False, compare=False)
    history: tuple = ()  # generator.history.Snapshot, oldest first (content/history/)
    # The language the content's text is written in, once a sub-site's copy has another (languages.localize):
    # what pages mark as such (lang="…") where they show text as written. None: the site's own lang.
    written_in: str | None = None

    @property
    def us(self) -> m.Company:
        return self.companies[self.site.us]


def today() -> _dt.date:
    """The build's "today": ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else the real date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        try:
            return _dt.datetime.fromtimestamp(int(epoch), tz=_dt.timezone.utc).date()
        except (ValueError, OverflowError, OSError):  # past year 9999: milliseconds given for seconds, say
            raise UsageError(f"SOURCE_DATE_EPOCH={epoch.strip()} is not a date valuemap can use: it is seconds "
                             "since 1970-01-01 UTC (e.g. 1795500000), not milliseconds") from None
    return _dt.date.today()


def _validate_doc(doc: Document, model: type[m._Model], diagnostics: Diagnostics):
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        shape_errors(exc, doc, model, diagnostics)
        return None


def _share_field_sets(model: m._Model, shared: dict) -> None:
    """Make every model inside ``model`` that was given the same fields hold one shared set of their names.

    pydantic keeps, per instance, the set of fields the input gave (``__pydantic_fields_set__``, read only by
    ``model_dump(exclude_unset=True)``, which valuemap does not use): a 200–700-byte set per evidence item and
    score, 40 % of a validated company's memory. The models are frozen, so no set is ever changed in place
    (``model_copy`` copies it first); ``shared`` maps each distinct set to the one instance kept."""
    stack: list = [model]
    while stack:
        item = stack.pop()
        if isinstance(item, m._Model):
            names = item.__pydantic_fields_set__
            kept = shared.setdefault(frozenset(names), names)
            if kept is not names:
                object.__setattr__(item, "__pydantic_fields_set__", kept)
            stack.extend(v for v in item.__dict__.values() if type(v) not in _LEAVES)
        elif isinstance(item, (list, tuple)):
            stack.extend(v for v in item if type(v) not in _LEAVES)
        elif isinstance(item, dict):
            stack.extend(v for v in item.values() if type(v) not in _LEAVES)


_LEAVES = frozenset({str, int, float, bool, type(None), _dt.date})  # values that hold no model


def _tiers_written(data) -> set[str]:
    """The plan tiers a company file gives, read off its raw data (its shape failed)."""
    prices = data.get("prices") if isinstance(data, dict) else None
    return {p["tier"] for p in prices if isinstance(p, dict) and isinstance(p.get("tier"), str)} \
        if isinstance(prices, list) else set()


def _check_misnamed(tree: SourceTree, site: m.Site | None, diagnostics: Diagnostics, day: _dt.date,
                    loaded: Mapping[str, None]) -> None:
    """Files whose name was refused are never built, but what is wrong inside them is reported now too."""
    for kind, slug, item in tree.misnamed:
        if kind == "page":
            _validate_doc(item.front, m.PageMeta, diagnostics)
            continue
        if kind == "company":
            _validate_company(slug, item, site, diagnostics, day)
            continue
        parsed = _validate_doc(item, m.Prospect, diagnostics)
        if parsed is not None and site is not None:
            check_prospect(parsed, site, loaded, item, diagnostics, tree.site)


def _validate_company(slug: str, doc: Document, site: m.Site | None, diagnostics: Diagnostics, day: _dt.date,
                      shared: dict | None = None) -> m.Company | None:
    """Shape, then references. A file with a shape error still has the rest of it checked (its valid part
    is salvaged), so one typo never hides the file's other problems."""
    company = _validate_doc(doc, m.Company, diagnostics)
    if company is None:
        partial = salvage(doc, m.Company) if site is not None else None
        if partial is not None:
            found = Diagnostics()
            check_company(slug, partial.model, site, doc, found, day)
            diagnostics.extend(d for d in found.items if partial.unaffected(d.path))
        return None
    if site is not None:
        check_company(slug, company, site, doc, diagnostics, day)
    if shared is not None:
        _share_field_sets(company, shared)
    return company


def _readers() -> int:
    """Processes reading company files: two where the CPUs and the platform allow and ``VALUEMAP_WORKERS`` does
    not ask for one (load.read_in_order decides whether the market is large enough)."""
    from .cpus import processes

    return processes(2)


_NAMED_IN_COMPANIES = ("dimensions", "source_kinds")  # site.yaml lists whose ids company files name


def validate(tree: SourceTree, diagnostics: Diagnostics, cache: "company_cache.CompanyCache | None" = None
             ) -> Content | None:
    """Validate everything; return the Content when there is no error, else None (errors are collected).
    ``cache`` (serve): company files unchanged since the last call are taken from it (see company_cache)."""
    day = today()
    # label: {en: …, ja: …} → the lang text
    tree, translations, localize_company = extract_translations(tree, diagnostics)
    site = _validate_doc(tree.site, m.Site, diagnostics) if tree.site else None
    salvaged = None
    if site is None and tree.site is not None:
        # Unknown keys only (a typo such as 'tagine:', read as the field it resembles): the rest of site.yaml
        # is what it says, so every other file is still checked against it — one typo in site.yaml hides no
        # company's problems. (The build fails all the same: the typo is an error.) Anything else wrong in
        # site.yaml could make those checks report problems that are not there: they wait until it is right.
        salvaged = salvage(tree.site, m.Site, only=UNKNOWN_KEYS)
        site = salvaged.model if salvaged is not None else None
    against = site  # what the other files are checked against
    if site is None and tree.site is not None:
        # Anything else wrong (a value out of range): site.yaml's own second-pass checks still run on what
        # validated, so its problems are told at once (the scale and the price decimals, not one per run);
        # what depends on a field left out is not said, and the other files wait.
        salvaged = salvage(tree.site, m.Site)
        if salvaged is not None:
            found = Diagnostics()
            check_site(salvaged.model, tree.site, found, day)
            diagnostics.extend(d for d in found.items if d.path and salvaged.unaffected(d.path))
    elif site is not None:
        found = Diagnostics()
        check_site(site, tree.site, found, day)
        check_languages(site, tree.site, found)
        reported = [d for d in found.items if salvaged is None or salvaged.unaffected(d.path)]
        diagnostics.extend(reported)
        if any(d.code == "duplicate-id" and d.path.startswith(_NAMED_IN_COMPANIES) for d in reported):
            # Which of two dimensions (criteria, source kinds) of one id a company file means is unknown:
            # checked against either, every file would report problems that are not there (146 for one
            # repeated dimension id). Their checks wait until site.yaml is right; their shape is still checked.
            # (A repeated segment id misleads no company file: those are checked.)
            against = None
    companies: dict[str, m.Company] = {}
    files: dict[str, str] = {}
    documents: dict[str, Document] = {"site": tree.site} if tree.site else {}
    # One company file at a time: parsed, validated, then only its model kept (PendingFile, Document.released).
    loaded: dict[str, None] = {}  # company files found (readable or not): what cross-file checks know
    for kind, stand_in, _ in tree.misnamed:  # a refused file name: the company is there, under another name
        if kind == "company":
            loaded[stand_in] = None
    other_tiers: set[str] = set()  # the tiers of company files whose shape failed (an unreadable file's: unknown)
    shared: dict = {}  # one set per distinct set of given fields (_share_field_sets)
    site_key = None
    if cache is not None:  # serve: files unchanged since the last rebuild are not validated again
        from .company_cache import site_key as cache_key

        cache.start()
        site_key = cache_key(tree.site.source if tree.site else None, day, cache.files)
    kept: dict[str, tuple] = {}  # slug → (cache entry or None, its key)
    if cache is not None:
        for slug in sorted(tree.companies):
            if isinstance(tree.companies[slug], PendingFile):
                kept[slug] = cache.get(slug, tree.companies[slug].path, site_key)
    to_parse = [tree.companies[slug] for slug in sorted(tree.companies)
                if isinstance(tree.companies[slug], PendingFile) and kept.get(slug, (None,))[0] is None]
    parsed = read_in_order(to_parse, diagnostics, _readers() if len(to_parse) >= READ_AHEAD_MIN else 1)
    for slug in sorted(tree.companies):
        doc = tree.companies[slug]
        entry, key = kept.get(slug, (None, None))
        if entry is not None:
            diagnostics.extend(entry.diagnostics)
            loaded[slug] = None
            files[f"company:{slug}"] = entry.document.file
            documents[f"company:{slug}"] = entry.document
            if entry.company is not None:
                companies[slug] = entry.company
            other_tiers.update(entry.tiers)
            continue
        found, translated = len(diagnostics.items), len(translations)
        if isinstance(doc, PendingFile):
            doc = next(parsed)  # its problems reported now, in this file's turn
            if doc is None:  # unreadable: its own problem is reported; the company exists all the same (no
                loaded[slug] = None  # "unknown company" where another file names it, no "no such file" for us)
                continue
            doc = localize_company(slug, doc)
        loaded[slug] = None
        files[f"company:{slug}"] = doc.file
        company = _validate_company(slug, doc, against, diagnostics, day, shared)
        documents[f"company:{slug}"] = doc.released()
        written = frozenset()
        if company is not None:
            companies[slug] = company
        else:  # its shape failed: the tiers it gives still count (check_tiers)
            other_tiers.update(written := frozenset(_tiers_written(doc.data)))
        if cache is not None:
            if len(translations) == translated:
                cache.put(slug, key, company, documents[f"company:{slug}"], diagnostics.items[found:], written)
            else:
                cache.forget(slug)
    if cache is not None:
        cache.keep_only(tree.companies)
    check_names(companies, documents, site.us if site is not None else None, diagnostics)
    if site is not None and site.us not in loaded:
        choices = list(loaded)
        diagnostics.error("unknown-company", f"'us' names '{site.us}', but there is no companies/{site.us}.yaml",
                          path="us", hint=suggestion(site.us, choices), **tree.site.where(("us",)))
    if site is not None and len(loaded) < 2 \
            and not any(d.file and "companies" in d.file for d in diagnostics.errors):
        diagnostics.error("too-few-companies", "a value map needs at least two companies (us and a competitor)",
                          file=tree.site.file, hint="add competitor files to content/companies/")
    prospects: dict[str, m.Prospect] = {}
    for slug in sorted(tree.prospects):
        doc = tree.prospects[slug]
        prospect = _validate_doc(doc, m.Prospect, diagnostics)
        documents[f"prospect:{slug}"] = doc
        if prospect is None:
            continue
        prospects[slug] = prospect
        if against is not None:
            check_prospect(prospect, against, loaded, doc, diagnostics, tree.site)
    check_prospect_names(prospects, documents, diagnostics)
    pages: dict[str, NarrativePage] = {}
    for slug in sorted(tree.pages):
        page = tree.pages[slug]
        meta = _validate_doc(page.front, m.PageMeta, diagnostics)
        if meta is not None:
            pages[slug] = NarrativePage(slug, meta, page.body, page.front.file, page.body_line)
    _check_misnamed(tree, against, diagnostics, day, loaded)
    from .history import validate_snapshots  # content/history/: checked like company files
    history = validate_snapshots(tree.history, against, loaded, companies, tree.site, diagnostics, day)
    if against is not None and tree.site is not None:  # after the snapshots: their "no plan" errors go too
        check_tiers(companies, against, tree.site, diagnostics, other_tiers)
    if tree.companies_unknown:  # companies/ could not be listed (reported): no company is "unknown" elsewhere
        diagnostics.discard(lambda d: d.code in ("unknown-company", "too-few-companies"))
    if diagnostics.has_errors() or site is None:
        return None
    return Content(site=site, companies=companies, prospects=prospects, pages=pages, files=files,
                   documents=documents, history=history, translations=translations)
