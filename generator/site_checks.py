"""What site.yaml and a prospect must satisfy beyond their shape (validation's second pass, see
:mod:`generator.validate`): ids unique and usable as file names, weights that can be normalised together
(``MAX_WEIGHT_RATIO``: a weight too small next to the others rounds to nothing), what the scoring method
needs of the scale and the dimensions, a known interface language; a prospect's segment, weights and
competitors. Every problem names the file, line and field, with a did-you-mean for an unknown name."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from . import model as m
from .diagnostics import Diagnostics, format_path, suggestion
from .content_files import is_device_name, unreserved
from .yaml_reader import Document
from .locales import available_languages


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


def check_site(site: m.Site, doc: Document, diagnostics: Diagnostics, day: _dt.date) -> None:
    """site.yaml beyond its shape: unique ids, ids Windows can use as file names, weights that can be
    normalised together, what the method needs, no exchange-rate date in the future, no rate other than 1 for the
    site's own currency, a known language."""
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
    if site.currencies is not None and site.currencies.as_of > day:
        diagnostics.error("date-in-future", f"date {site.currencies.as_of.isoformat()} is in the future",
                          path="currencies.as_of", hint=f"today is {day.isoformat()}",
                          **doc.where(("currencies", "as_of")))
    own_rate = site.currencies.rates.get(site.currency) if site.currencies is not None else None
    if own_rate is not None and own_rate != 1:
        diagnostics.error("own-currency-rate", f"a rate of {m.format_number(own_rate)} for {site.currency}, the "
                          f"site's own currency: its prices are never converted, so the rate would be ignored",
                          path=format_path(("currencies", "rates", site.currency)),
                          hint=f"remove it (a {site.currency} price is taken as written), or change 'currency' if "
                               f"the site should show prices in another currency",
                          **doc.where(("currencies", "rates", site.currency)))
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


def _check_partial(prospect: m.Prospect, site: m.Site, weights: dict[str, _WeightEntry], doc: Document,
                   diagnostics: Diagnostics) -> None:
    """Weights for some dimensions only: the others keep their segment's (or the site's), and all are normalised
    together — a prospect's ``reliability: 50`` beside the segment's 0.3s makes reliability 98 % of the page.
    A warning that says the shares the page will show."""
    given = [d.id for d in site.dimensions if d.id in prospect.weights]
    if not given or len(given) == len(site.dimensions):
        return
    total = sum(e.weight for e in weights.values())
    if total <= 0:
        return
    labels = {d.id: d.label for d in site.dimensions}
    shares = ", ".join(f"{m.visible(labels[d.id])} {100 * weights[d.id].weight / total:.0f}%"
                       for d in site.dimensions if d.id in weights)
    left = [m.visible(labels[d.id]) for d in site.dimensions if d.id not in prospect.weights]
    kept = f"{left[0]} keeps the weight" if len(left) == 1 else f"{', '.join(left)} keep the weights"
    diagnostics.warning(
        "partial-weights", f"weights for {len(given)} of {len(site.dimensions)} dimensions: {kept} site.yaml "
        f"gives {'it' if len(left) == 1 else 'them'}, and all are normalised together — the page shows {shares}",
        path="weights", hint="give a weight for every dimension, on one scale (e.g. percents adding up to 100)",
        **doc.where(("weights",), key=True))


def check_prospect_names(prospects: dict[str, m.Prospect], documents: dict[str, Document],
                         diagnostics: Diagnostics) -> None:
    """Two prospects whose names read the same: the internal list of their addresses could not tell them apart,
    and a salesperson could send one the other's page (its note, its map). A warning on the later one."""
    from .company_checks import name_key

    seen: dict[str, str] = {}
    for slug in sorted(prospects):
        other = seen.setdefault(name_key(prospects[slug].name), slug)
        if other != slug:
            diagnostics.warning(
                "duplicate-name", f"the prospect name '{m.visible(prospects[slug].name)}' reads the same as "
                f"'{m.visible(prospects[other].name)}' in {documents[f'prospect:{other}'].file}", path="name",
                hint="sales could send one the other's page: rename one (e.g. add the city or the division)",
                **documents[f"prospect:{slug}"].where(("name",)))


def check_prospect(prospect: m.Prospect, site: m.Site, companies: dict, doc: Document,
                    diagnostics: Diagnostics, site_doc: Document) -> None:
    """A prospect against the site: a known segment, known dimensions, weights that can be normalised together
    (its own over its segment's over the site's), competitors that are in the market and not us."""
    segments = [s.id for s in site.segments]
    if prospect.segment not in segments:
        diagnostics.error("unknown-segment", f"unknown segment '{prospect.segment}'", path="segment",
                          hint=suggestion(prospect.segment, segments), **doc.where(("segment",)))
    _check_weights(prospect.weights, [d.id for d in site.dimensions], doc, ("weights",), diagnostics)
    weights = _override(_segment_weights(site, site_doc, prospect.segment), prospect.weights, doc, ("weights",))
    _check_spread(list(weights.values()), "dimension", diagnostics)
    _check_partial(prospect, site, weights, doc, diagnostics)
    others = [s for s in companies if s != site.us]
    seen: set[str] = set()
    for i, slug in enumerate(prospect.evaluating):
        if slug in seen:
            diagnostics.warning("duplicate-competitor", f"'{slug}' is listed twice", path=f"evaluating[{i}]",
                                hint="list each competitor once", **doc.where(("evaluating", i)))
            continue
        seen.add(slug)
        if slug == site.us:
            diagnostics.error("us-evaluated", f"'{slug}' is our own company (site.yaml 'us'), not a competitor",
                              path=f"evaluating[{i}]", hint="list the competitors the prospect compares us with; "
                              "the page always shows us", **doc.where(("evaluating", i)))
        elif slug not in others:
            diagnostics.error("unknown-company", f"unknown competitor '{slug}'", path=f"evaluating[{i}]",
                              hint=suggestion(slug, others), **doc.where(("evaluating", i)))
