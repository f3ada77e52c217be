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
   :mod:`generator.gate`).
"""
from __future__ import annotations

import copy
import datetime as _dt
import os
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Mapping

from pydantic import ValidationError

from . import company_cache
from . import model as m
from .diagnostics import Diagnostics, format_path, suggestion
from .model_errors import shape_errors
from .load import READ_AHEAD_MIN, Document, PendingFile, SourceTree, is_device_name, read_in_order, unreserved
from .languages import check_languages, extract_translations
from .locales import available_languages
from .quotes import price_at


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

    @property
    def us(self) -> m.Company:
        return self.companies[self.site.us]


def today() -> _dt.date:
    """The build's "today": ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else the real date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), tz=_dt.timezone.utc).date()
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


def _salvage(doc: Document, model: type[m._Model]) -> tuple[m._Model, list[str]] | None:
    """The document without the values that failed the shape check, if that validates.

    Lets the reference checks run on the rest of a file that has a shape error, so one typo does not hide
    the file's other problems. Returns the partial model and the field paths that were left out."""
    data = copy.deepcopy(doc.data)
    removed: list[str] = []
    try:
        model.model_validate(data)
        return None
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    for err in errors:
        if err["type"] == "missing":
            return None
        loc = [p for p in err["loc"] if p not in m.UNION_TAGS]
        parent = data
        try:
            for part in loc[:-1]:
                parent = parent[part]
            if isinstance(parent, dict):
                parent.pop(loc[-1], None)
            else:
                return None
        except (KeyError, IndexError, TypeError):
            return None
        removed.append(format_path(loc))
    try:
        return model.model_validate(data), removed
    except ValidationError:
        return None


def _related(a: str | None, b: str) -> bool:
    return bool(a) and (a.startswith(b) or b.startswith(a))


# --- pass 2: references ---------------------------------------------------------------------------------

def _duplicates(items: list, doc: Document, list_path: tuple, what: str, diagnostics: Diagnostics) -> None:
    seen: set[str] = set()
    for i, item in enumerate(items):
        if item.id in seen:
            diagnostics.error("duplicate-id", f"{what} id '{item.id}' is used twice",
                              path=format_path(list_path + (i, "id")), **doc.where(list_path + (i, "id")))
        seen.add(item.id)


def _check_weights(weights: dict, dims: list[str], doc: Document, path: tuple, diagnostics: Diagnostics) -> None:
    for key in weights:
        if key not in dims:
            diagnostics.error("unknown-dimension", f"unknown dimension '{m.visible(key)}'",
                              path=format_path(path + (key,)), hint=suggestion(key, dims),
                              **doc.where(path + (key,), key=True))


@dataclass(frozen=True)
class _WeightEntry:
    name: str
    weight: float
    doc: Document
    path: tuple
    own: bool  # written in the part being checked (else inherited, e.g. a default dimension weight)


def _check_spread(entries: list[_WeightEntry], what: str, diagnostics: Diagnostics) -> None:
    """Weights normalised together may differ by at most MAX_WEIGHT_RATIO: beyond it the smaller ones round to
    nothing (and, unbounded, their sum could overflow or every share round to 0 %)."""
    if len(entries) < 2:
        return
    low = min(entries, key=lambda e: e.weight)
    high = max(entries, key=lambda e: e.weight)
    if high.weight <= low.weight * m.MAX_WEIGHT_RATIO:
        return
    at = low if low.own else high if high.own else None
    if at is None:
        return  # both inherited: reported where they are written
    diagnostics.error(
        "weights-too-uneven",
        f"the {what} weights differ too much: '{low.name}' weighs {m.format_number(low.weight)}, "
        f"'{high.name}' {m.format_number(high.weight)} (at most {m.format_limit(m.MAX_WEIGHT_RATIO)} times "
        f"the smallest)", path=format_path(at.path),
        hint="a weight that small counts for nothing next to the others: raise it, lower the largest, or "
        "leave the item out", **at.doc.where(at.path))


def _dimension_weights(site: m.Site, doc: Document, own: bool) -> dict[str, _WeightEntry]:
    return {d.id: _WeightEntry(d.id, d.weight, doc, ("dimensions", i, "weight"), own)
            for i, d in reversed(list(enumerate(site.dimensions)))}  # the first of a duplicate id counts


def _override(base: dict[str, _WeightEntry], weights: dict, doc: Document, path: tuple) -> dict[str, _WeightEntry]:
    out = {k: _WeightEntry(e.name, e.weight, e.doc, e.path, False) for k, e in base.items()}
    out.update({k: _WeightEntry(k, w, doc, path + (k,), True) for k, w in weights.items() if k in base})
    return out


def _segment_weights(site: m.Site, doc: Document, segment_id: str) -> dict[str, _WeightEntry]:
    base = _dimension_weights(site, doc, own=False)
    for i, seg in enumerate(site.segments):
        if seg.id == segment_id:
            return _override(base, seg.weights, doc, ("segments", i, "weights"))
    return base


def name_key(name: str) -> str:
    """What two names must share to read the same: NFKC-normalised, case-folded, whitespace collapsed."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return " ".join(folded.split())


def _check_names(companies: dict[str, m.Company], documents: dict[str, Document], us: str | None,
                 diagnostics: Diagnostics) -> None:
    """Two companies whose names read the same: a warning on the later one (a competitor rather than us)."""
    seen: dict[str, str] = {}
    for slug in sorted(companies, key=lambda s: (s != us, s)):
        key = name_key(companies[slug].name)
        other = seen.setdefault(key, slug)
        if other == slug:
            continue
        doc, other_doc = documents[f"company:{slug}"], documents[f"company:{other}"]
        whose = " (our own company)" if other == us else ""
        diagnostics.warning(
            "duplicate-name",
            f"the company name '{m.visible(companies[slug].name)}' reads the same as "
            f"'{m.visible(companies[other].name)}' in {other_doc.file}{whose}",
            path="name", hint="readers could not tell the two apart on the maps and in lists: rename one of them",
            **doc.where(("name",)))


def _check_site(site: m.Site, doc: Document, diagnostics: Diagnostics) -> None:
    _duplicates(site.dimensions, doc, ("dimensions",), "dimension", diagnostics)
    _duplicates(site.segments, doc, ("segments",), "segment", diagnostics)
    _duplicates(site.source_kinds, doc, ("source_kinds",), "source kind", diagnostics)
    for i, dim in enumerate(site.dimensions):
        _duplicates(dim.criteria, doc, ("dimensions", i, "criteria"), "criterion", diagnostics)
        for j, crit in enumerate(dim.criteria):
            if crit.id in m.SCORE_DETAIL_KEYS:
                diagnostics.error("reserved-id", f"'{crit.id}' cannot be a criterion id",
                                  path=format_path(("dimensions", i, "criteria", j, "id")),
                                  hint=f"{', '.join(m.SCORE_DETAIL_KEYS)} are score fields",
                                  **doc.where(("dimensions", i, "criteria", j, "id")))
    for what, items in (("dimension", site.dimensions), ("segment", site.segments)):
        folder = what + "s"
        for i, item in enumerate(items):
            if is_device_name(item.id):
                diagnostics.error("reserved-id", f"'{item.id}' cannot be a {what} id: it is a device name on "
                                  f"Windows, where its page {folder}/{item.id}.html could not be created",
                                  path=format_path((folder, i, "id")),
                                  hint=f"choose another id, e.g. '{unreserved(item.id)}'",
                                  **doc.where((folder, i, "id")))
    dim_ids = [d.id for d in site.dimensions]
    _check_spread(list(_dimension_weights(site, doc, own=True).values()), "dimension", diagnostics)
    for i, dim in enumerate(site.dimensions):
        _check_spread([_WeightEntry(c.id, c.weight, doc, ("dimensions", i, "criteria", j, "weight"), True)
                       for j, c in enumerate(dim.criteria)], f"criterion (in dimension '{dim.id}')", diagnostics)
    for i, seg in enumerate(site.segments):
        _check_weights(seg.weights, dim_ids, doc, ("segments", i, "weights"), diagnostics)
        _check_spread(list(_segment_weights(site, doc, seg.id).values()), f"dimension (segment '{seg.id}')",
                      diagnostics)
    _check_method(site, doc, diagnostics)
    if site.currencies is not None and site.currencies.as_of > today():
        diagnostics.error("date-in-future", f"date {site.currencies.as_of.isoformat()} is in the future",
                          path="currencies.as_of", hint=f"today is {today().isoformat()}",
                          **doc.where(("currencies", "as_of")))
    languages = available_languages()
    if site.lang not in languages:
        diagnostics.error("unknown-language", f"no interface translation for language '{site.lang}'",
                          path="lang", hint=suggestion(site.lang, languages), **doc.where(("lang",)))


def _check_method(site: m.Site, doc: Document, diagnostics: Diagnostics) -> None:
    """What the method needs of site.yaml: ratios of non-negative scores, one unit per dimension score, and
    relative inputs that are already ratios (see generator/score.py)."""
    if site.scale.min < 0:
        span = site.scale.max - site.scale.min
        diagnostics.error(
            "scale-negative", f"the scale starts at {m.format_number(site.scale.min)}: relative quality divides "
            "scores by an average, which needs scores of 0 or above", path="scale.min",
            hint=f"shift the scale to start at 0 (e.g. {m.format_number(site.scale.min)}…"
            f"{m.format_number(site.scale.max)} → 0…{m.format_number(span)}) and add "
            f"{m.format_number(-site.scale.min)} to every score", **doc.where(("scale", "min")))
    measured = [(d, c) for d in site.dimensions for c in d.criteria if c.unit is not None]
    if site.method.quality_ratio == "dimension" and measured:
        d, c = measured[0]
        diagnostics.error(
            "mixed-units",
            f"quality_ratio 'dimension' cannot be used: dimension '{d.id}' has a measured criterion '{c.id}' "
            f"({m.visible(c.unit)}), and a dimension score cannot mix {m.visible(c.unit)} with scale points",
            path="method.quality_ratio",
            hint="use 'quality_ratio: criterion' (the default), or score the criterion on the scale (remove 'unit')",
            **doc.where(("method", "quality_ratio")))
    for i, dim in enumerate(site.dimensions):
        if dim.input != "relative":
            continue
        for j, crit in enumerate(dim.criteria):
            if crit.better == "lower":
                path = ("dimensions", i, "criteria", j, "better")
                diagnostics.error(
                    "relative-lower", f"criterion '{crit.id}' says lower is better, but dimension '{dim.id}' "
                    "takes relative input (100 = the market average, higher is better)",
                    path=format_path(path), hint="remove 'better: lower', or move the criterion to a dimension "
                    "scored on the scale", **doc.where(path))
            if crit.unit is not None:
                path = ("dimensions", i, "criteria", j, "unit")
                diagnostics.error(
                    "relative-unit", f"criterion '{crit.id}' is measured in {m.visible(crit.unit)}, but dimension "
                    f"'{dim.id}' takes relative input (100 = the market average)",
                    path=format_path(path), hint="remove 'unit', or move the criterion to a dimension scored on "
                    "the scale", **doc.where(path))


# What a score is checked against: the site's scale, a measured unit, or a relative index (100 = average).
MAX_RELATIVE = 1000.0


@dataclass(frozen=True)
class _Kind:
    what: str  # "scale" | "measured" | "relative"
    dimension: str = ""
    criterion: str = ""
    unit: str = ""
    better: str = "higher"


def _kind_of(dim: m.Dimension, crit: m.Criterion | None) -> _Kind:
    if dim.input == "relative":
        return _Kind("relative", dim.id)
    if crit is not None and crit.unit is not None:
        return _Kind("measured", dim.id, crit.id, crit.unit, crit.better)
    return _Kind("scale", dim.id)


def _check_value(value: float, what: str, path: tuple, kind: _Kind, site: m.Site, doc: Document,
                 diagnostics: Diagnostics) -> None:
    """One number (a score or an evidence value) against what its point is measured on."""
    if kind.what == "scale":
        if not _in_scale(value, site.scale):
            rng = f"{site.scale.min:g}–{site.scale.max:g}"
            diagnostics.error("out-of-scale", f"{what} {value:g} is outside the scale {rng}",
                              path=format_path(path), **doc.where(path))
    elif kind.what == "measured":
        unit = m.visible(kind.unit)
        if value < 0:
            diagnostics.error(
                "negative-measure", f"{what} {value:g} {unit} is below 0: criterion '{kind.criterion}' is "
                f"measured in {unit}, and a ratio needs measurements of 0 or above", path=format_path(path),
                hint=f"enter the measured {unit} (not on the site's scale)", **doc.where(path))
        elif value == 0 and kind.better == "lower":
            diagnostics.warning(
                "measured-zero", f"{what} 0 {unit} on '{kind.criterion}', where lower is better, has no finite "
                "ratio (the average ÷ 0): it is left out of this company's relative quality, as an unknown "
                "score is", path=format_path(path),
                hint=f"enter the measurement rounded up to the smallest unit observed, e.g. 1 {unit}",
                **doc.where(path))
    elif not 0 < value <= MAX_RELATIVE:
        diagnostics.error(
            "relative-out-of-range", f"{what} {value:g} is outside the relative range: dimension "
            f"'{kind.dimension}' takes relative input, above 0 and at most {MAX_RELATIVE:g} "
            "(100 = the market average)", path=format_path(path),
            hint="enter an index relative to the market (e.g. 115 = 15% above average), not a point on the scale",
            **doc.where(path))


def _in_scale(value: float, scale: m.Scale) -> bool:
    return scale.min <= value <= scale.max


def _check_score(score: Any, path: tuple, site: m.Site, kinds: list[str], doc: Document,
                 diagnostics: Diagnostics, day: _dt.date, kind: _Kind = _Kind("scale"),
                 company_as_of: _dt.date | None = None) -> None:
    if score == m.UNKNOWN:  # 'unknown' is a score everywhere a number is: never filled in, nothing to check
        return
    if isinstance(score, float):
        _check_value(score, "score", path, kind, site, doc, diagnostics)
        _check_stale_score(None, company_as_of, path, site, doc, diagnostics, day)
        return
    if score.value is not None:
        _check_value(score.value, "score", path + ("value",), kind, site, doc, diagnostics)
    if not score.evidence:
        _check_stale_score(score.as_of, company_as_of, path, site, doc, diagnostics, day)
    if score.as_of and score.as_of > day:
        diagnostics.error("date-in-future", f"date {score.as_of.isoformat()} is in the future",
                          path=format_path(path + ("as_of",)), hint=f"today is {day.isoformat()}",
                          **doc.where(path + ("as_of",)))
    for i, ev in enumerate(score.evidence):
        ev_path = path + ("evidence", i)
        if ev.source not in kinds:
            diagnostics.error("unknown-source-kind", f"unknown source kind '{ev.source}'",
                              path=format_path(ev_path + ("source",)), hint=suggestion(ev.source, kinds),
                              **doc.where(ev_path + ("source",)))
        _check_value(ev.value, "evidence value", ev_path + ("value",), kind, site, doc, diagnostics)
        if ev.date > day:
            diagnostics.error("date-in-future", f"date {ev.date.isoformat()} is in the future",
                              path=format_path(ev_path + ("date",)), hint=f"today is {day.isoformat()}",
                              **doc.where(ev_path + ("date",)))
        if ev.url is not None:
            _check_url(ev.url, ev_path + ("url",), doc, diagnostics)


def _check_stale_score(as_of: _dt.date | None, company_as_of: _dt.date | None, path: tuple, site: m.Site,
                       doc: Document, diagnostics: Diagnostics, day: _dt.date) -> None:
    """A score with no evidence behind it, last reviewed (its own ``as_of``, else the company's) longer ago than
    ``verification.max_age_days``: a warning (an error under --strict). Without any date there is nothing to
    compare; the score is shown as unsupported."""
    reviewed = as_of or company_as_of
    limit = site.verification.max_age_days
    if reviewed is None or (day - reviewed).days <= limit:
        return
    where = path + ("as_of",) if as_of is not None else path
    diagnostics.warning(
        "stale-score", f"score with no evidence, last reviewed {reviewed.isoformat()}: older than "
        f"{limit} days (verification.max_age_days)", path=format_path(path),
        hint="review it and update 'as_of', or add dated evidence (source, value, date)",
        **(doc.where(where) if as_of is not None else doc.where(path, key=True)))


def _check_url(url: str, path: tuple, doc: Document, diagnostics: Diagnostics) -> None:
    if not url.lower().startswith(("https://", "http://")):
        diagnostics.error("unsafe-url", f"'{url[:60]}' is not a web address",
                          path=format_path(path), hint="links must start with https:// or http://",
                          **doc.where(path))


def _check_company(slug: str, company: m.Company, site: m.Site, doc: Document, diagnostics: Diagnostics,
                   day: _dt.date) -> None:
    dims: dict[str, m.Dimension] = {}
    for d in site.dimensions:  # a duplicate id is reported on site.yaml; the first definition counts
        dims.setdefault(d.id, d)
    kinds = [k.id for k in site.source_kinds]
    for dim_id, score in company.scores.items():
        path = ("scores", dim_id)
        if dim_id not in dims:
            diagnostics.error("unknown-dimension", f"unknown dimension '{m.visible(dim_id)}'", path=format_path(path),
                              hint=suggestion(dim_id, dims), **doc.where(path, key=True))
            continue
        dim = dims[dim_id]
        if isinstance(score, dict):
            crit_ids = [c.id for c in dim.criteria]
            if not crit_ids:
                diagnostics.error("no-criteria", f"dimension '{dim_id}' has no criteria; give it one score",
                                  path=format_path(path), hint="write e.g. 'usability: 7' or add criteria in site.yaml",
                                  **doc.where(path))
                continue
            for crit_id, crit_score in score.items():
                if crit_id not in crit_ids:
                    diagnostics.error("unknown-criterion",
                                      f"unknown criterion '{m.visible(crit_id)}' in dimension '{dim_id}'",
                                      path=format_path(path + (crit_id,)), hint=suggestion(crit_id, crit_ids),
                                      **doc.where(path + (crit_id,), key=True))
                    continue
                crit = next(c for c in dim.criteria if c.id == crit_id)
                _check_score(crit_score, path + (crit_id,), site, kinds, doc, diagnostics, day, _kind_of(dim, crit),
                             company.as_of)
            missing = [c for c in crit_ids if c not in score]
            if missing and not site.verification.allow_missing:
                diagnostics.error("missing-criterion",
                                  f"dimension '{dim_id}' scores criteria but not {', '.join(repr(c) for c in missing)}",
                                  path=format_path(path), hint="score every criterion, or give the dimension one score; "
                                  "write 'unknown' for a criterion not scored yet, or set 'allow_missing: true' under "
                                  "verification in site.yaml to let a company leave criteria out (they are unknown)",
                                  **doc.where(path, key=True))
        else:
            measured = [c for c in dim.criteria if c.unit is not None]
            if measured and score != m.UNKNOWN:  # 'unknown' is unknown in every unit
                c = measured[0]
                diagnostics.error(
                    "measured-needs-criteria",
                    f"dimension '{dim_id}' has a measured criterion '{c.id}' ({m.visible(c.unit)}); score each "
                    "criterion", path=format_path(path),
                    hint=f"write one score per criterion under '{dim_id}', with '{c.id}' in {m.visible(c.unit)}: "
                    "one number on the scale cannot stand for a measurement",
                    **doc.where(path, key=True))
            _check_score(score, path, site, kinds, doc, diagnostics, day, _kind_of(dim, None), company.as_of)
    missing_dims = [d for d in dims if d not in company.scores]
    if missing_dims and not site.verification.allow_missing:
        diagnostics.error("missing-score", f"no score for dimension(s) {', '.join(repr(d) for d in missing_dims)}",
                          path="scores", hint="every company is scored on every dimension: write 'unknown' for one "
                          "not scored yet, or set 'allow_missing: true' under verification in site.yaml to let a "
                          "company leave dimensions out (they are unknown)",
                          **doc.where(("scores",), key=True))
    # The price points compared, as score.py reads them: the site's, and each segment's own (a segment without
    # one uses the site's, which is checked once, under price_reference).
    refs = [("price_reference", site.price_reference)] + [(f"segment '{s.id}'", s.price_reference)
                                                          for s in site.segments if s.price_reference is not None]
    for label, ref in refs:
        if price_at(company, ref) is not None:
            continue
        if ref is None:  # no price reference: each company lists exactly one price
            diagnostics.error("several-prices", f"{len(company.prices)} prices, but site.yaml sets no "
                              "price_reference, so each company lists exactly one price", path="prices",
                              hint="keep one plan, or add price_reference (tier and seats) to site.yaml to say "
                              "which plan is compared", **doc.where(("prices",), key=True))
            continue
        untiered = [p.plan for p in company.prices if p.tier is None]
        why = ""
        hint = "add a plan with that tier whose seats range covers the count"
        if untiered:
            names = ", ".join(f"'{m.visible(n)}'" for n in untiered)
            why = f"; plan {names} has no tier, so it cannot be compared" if len(untiered) == 1 else \
                f"; plans {names} have no tier, so they cannot be compared"
            hint = f"give each plan a tier (e.g. 'tier: {ref.tier}'), or " + hint
        diagnostics.error("no-price", f"no '{ref.tier}' plan for {ref.seats} seats (needed by {label} in "
                          f"site.yaml){why}", path="prices", hint=hint, **doc.where(("prices",), key=True))
    for i, price in enumerate(company.prices):
        if price.as_of and price.as_of > day:
            diagnostics.error("date-in-future", f"date {price.as_of.isoformat()} is in the future",
                              path=format_path(("prices", i, "as_of")), **doc.where(("prices", i, "as_of")))
        elif price.price is not None and price.as_of is not None:  # a bare price is one observation, dated as_of
            _check_stale_price(price.as_of, ("prices", i, "as_of"), site, doc, diagnostics, day)
        for j, obs in enumerate(price.observations):
            _check_observation(obs, ("prices", i, "observations", j), site, kinds, doc, diagnostics, day)
    if company.as_of and company.as_of > day:
        diagnostics.error("date-in-future", f"date {company.as_of.isoformat()} is in the future",
                          path="as_of", **doc.where(("as_of",)))
    for text in company.free_texts():  # a review cannot have happened yet
        if text.reviewed is not None and text.reviewed > day:
            diagnostics.error("date-in-future", f"review date {text.reviewed.isoformat()} is in the future",
                              path=format_path(text.reviewed_path), hint=f"today is {day.isoformat()}",
                              **doc.where(text.reviewed_path))
    if company.website:
        _check_url(company.website, ("website",), doc, diagnostics)


def _check_observation(obs: m.PriceObservation, path: tuple, site: m.Site, kinds: list[str], doc: Document,
                       diagnostics: Diagnostics, day: _dt.date) -> None:
    """One price observation: its source kind, a rate for its currency, its date (not in the future; a warning
    when older than prices.max_age_days — a partial date counts from its first day), its link."""
    if obs.source is not None and obs.source not in kinds:
        diagnostics.error("unknown-source-kind", f"unknown source kind '{obs.source}'",
                          path=format_path(path + ("source",)), hint=suggestion(obs.source, kinds),
                          **doc.where(path + ("source",)))
    if obs.currency is not None and obs.currency != site.currency:
        rates = site.currencies.rates if site.currencies is not None else {}
        if obs.currency not in rates:
            diagnostics.error(
                "no-rate", f"no exchange rate for {obs.currency}: a price in {obs.currency} cannot be compared in "
                f"{site.currency}", path=format_path(path + ("currency",)),
                hint=f"add it under currencies.rates in site.yaml (1 {obs.currency} in {site.currency}, e.g. "
                f"'{obs.currency}: 0.92'), with currencies.as_of the day the rate was read",
                **doc.where(path + ("currency",)))
    start = obs.date_start
    if start > day:
        diagnostics.error("date-in-future", f"date {obs.date} is in the future", path=format_path(path + ("date",)),
                          hint=f"today is {day.isoformat()}", **doc.where(path + ("date",)))
    else:
        _check_stale_price(start, path + ("date",), site, doc, diagnostics, day, shown=obs.date)
    if obs.url is not None:
        _check_url(obs.url, path + ("url",), doc, diagnostics)


def _check_stale_price(seen: _dt.date, path: tuple, site: m.Site, doc: Document, diagnostics: Diagnostics,
                       day: _dt.date, shown: str | None = None) -> None:
    limit = site.prices.max_age_days
    if (day - seen).days <= limit:
        return
    diagnostics.warning(
        "stale-price", f"price seen {shown or seen.isoformat()}: older than {limit} days (prices.max_age_days)",
        path=format_path(path), hint="check the price again and add a new dated observation", **doc.where(path))


def _check_prospect(prospect: m.Prospect, site: m.Site, companies: dict, doc: Document,
                    diagnostics: Diagnostics, site_doc: Document) -> None:
    segments = [s.id for s in site.segments]
    if prospect.segment not in segments:
        diagnostics.error("unknown-segment", f"unknown segment '{prospect.segment}'", path="segment",
                          hint=suggestion(prospect.segment, segments), **doc.where(("segment",)))
    _check_weights(prospect.weights, [d.id for d in site.dimensions], doc, ("weights",), diagnostics)
    weights = _override(_segment_weights(site, site_doc, prospect.segment), prospect.weights, doc, ("weights",))
    _check_spread(list(weights.values()), "dimension", diagnostics)
    others = [s for s in companies if s != site.us]
    for i, slug in enumerate(prospect.evaluating):
        if slug not in others:
            hint = "that is us" if slug == site.us else suggestion(slug, others)
            diagnostics.error("unknown-company", f"unknown competitor '{slug}'", path=f"evaluating[{i}]",
                              hint=hint, **doc.where(("evaluating", i)))


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
            _check_prospect(parsed, site, loaded, item, diagnostics, tree.site)


def _validate_company(slug: str, doc: Document, site: m.Site | None, diagnostics: Diagnostics, day: _dt.date,
                      shared: dict | None = None) -> m.Company | None:
    """Shape, then references. A file with a shape error still has the rest of it checked (its valid part
    is salvaged), so one typo never hides the file's other problems."""
    company = _validate_doc(doc, m.Company, diagnostics)
    if company is None:
        partial = _salvage(doc, m.Company) if site is not None else None
        if partial is not None:
            found = Diagnostics()
            _check_company(slug, partial[0], site, doc, found, day)
            diagnostics.extend(d for d in found.items if not any(_related(d.path, r) for r in partial[1]))
        return None
    if site is not None:
        _check_company(slug, company, site, doc, diagnostics, day)
    if shared is not None:
        _share_field_sets(company, shared)
    return company


def _readers() -> int:
    """Processes reading company files: two where the CPUs and the platform allow and ``VALUEMAP_WORKERS`` does
    not ask for one (load.read_in_order decides whether the market is large enough)."""
    from .cpus import processes

    return processes(2)


def validate(tree: SourceTree, diagnostics: Diagnostics, cache: "company_cache.CompanyCache | None" = None
             ) -> Content | None:
    """Validate everything; return the Content when there is no error, else None (errors are collected).
    ``cache`` (serve): company files unchanged since the last call are taken from it (see company_cache)."""
    day = today()
    # label: {en: …, ja: …} → the lang text
    tree, translations, localize_company = extract_translations(tree, diagnostics)
    site = _validate_doc(tree.site, m.Site, diagnostics) if tree.site else None
    if site is not None:
        _check_site(site, tree.site, diagnostics)
        check_languages(site, tree.site, diagnostics)
    companies: dict[str, m.Company] = {}
    files: dict[str, str] = {}
    documents: dict[str, Document] = {"site": tree.site} if tree.site else {}
    # One company file at a time: parsed, validated, then only its model kept (PendingFile, Document.released).
    loaded: dict[str, None] = {}  # the company files that parsed, in order: what the cross-file checks know
    shared: dict = {}  # one set per distinct set of given fields (_share_field_sets)
    site_key = None
    if cache is not None:  # serve: files unchanged since the last rebuild are not validated again
        cache.start()
        site_key = company_cache.site_key(tree.site.source if tree.site else None, day, cache.files)
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
            continue
        found, translated = len(diagnostics.items), len(translations)
        if isinstance(doc, PendingFile):
            doc = next(parsed)  # its problems reported now, in this file's turn
            if doc is None:
                continue
            doc = localize_company(slug, doc)
        loaded[slug] = None
        files[f"company:{slug}"] = doc.file
        company = _validate_company(slug, doc, site, diagnostics, day, shared)
        documents[f"company:{slug}"] = doc.released()
        if company is not None:
            companies[slug] = company
        if cache is not None:
            if len(translations) == translated:
                cache.put(slug, key, company, documents[f"company:{slug}"], diagnostics.items[found:])
            else:
                cache.forget(slug)
    if cache is not None:
        cache.keep_only(tree.companies)
    _check_names(companies, documents, site.us if site is not None else None, diagnostics)
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
        if site is not None:
            _check_prospect(prospect, site, loaded, doc, diagnostics, tree.site)
    pages: dict[str, NarrativePage] = {}
    for slug in sorted(tree.pages):
        page = tree.pages[slug]
        meta = _validate_doc(page.front, m.PageMeta, diagnostics)
        if meta is not None:
            pages[slug] = NarrativePage(slug, meta, page.body, page.front.file, page.body_line)
    _check_misnamed(tree, site, diagnostics, day, loaded)
    from .history import validate_snapshots  # content/history/: checked like company files
    history = validate_snapshots(tree.history, site, loaded, companies, tree.site, diagnostics, day)
    if diagnostics.has_errors() or site is None:
        return None
    return Content(site=site, companies=companies, prospects=prospects, pages=pages, files=files,
                   documents=documents, history=history, translations=translations)
