"""Relative quality: each company's score on each *unit* (a criterion, or a dimension taken as one ratio)
against the market's average, as a ratio — pure arithmetic, no I/O, shared by every value map.

A ratio does not depend on weights: the comparison averages are taken of scores, never of weighted sums.
So :func:`quality_table` works out, once per set of scores, every company's ratio per unit and the range
that ratio could have (its score moved within its uncertainty; an unknown score anywhere on the scale), and
each map — the overall one, each segment's, each end of a weight range on the "weigh it yourself" page — only
weighs them (:meth:`QualityTable.weighed`). Before the table, every map recomputed 17 ratios and their ranges
per company: the weigh page's sensitivity asks nine maps, 1 s of a 1,000-company build.

:mod:`generator.score` builds the units (:class:`~generator.points.Point`) and places companies; this
module needs of a unit only ``key``, ``better``, ``relative`` and ``on_scale``, so it imports nothing of
valuemap's.
"""
from __future__ import annotations

import math
from typing import Mapping, NamedTuple, Sequence

# Trace statuses that do not count as backed by evidence: none, evidence that contradicts the score, only
# sources the measured company can influence (its own surveys, call length…), only evidence past the site's
# freshness limit. "Backed" is what a prospect may lean on: trust, but verify.
_NOT_BACKED = ("unknown", "unsupported", "conflicting", "gameable-only", "stale")


def comparison_average(total: float, count: int, own: float | None, comparison: str) -> float | None:
    """The average a company is compared with, from the market's total and count (linear, not quadratic):
    the *market* average (itself included) or the average of the *others* (own value taken out)."""
    if comparison == "market" or own is None:
        return total / count if count else None
    if count <= 1:
        return own  # nobody else has a value: compare with itself (parity)
    return (total - own) / (count - 1)


def unit_ratio(unit, own: float, average: float | None) -> float | None:
    """Ours ÷ theirs, the right way round; None where no finite ratio exists."""
    if unit.relative:
        return own / 100.0
    if average is None or average <= 0:
        return None
    if unit.better == "lower":
        return average / own if own > 0 else None
    return own / average


class QualityTerm(NamedTuple):
    """One term of a company's relative quality: its weight, its value, the average it is compared with and
    the ratio (None: left out — unknown, or no finite ratio). RQ = 100 · Σ weight·ratio / Σ weight (known).
    A named tuple, not a frozen dataclass: a market of 1,000 companies has 17,000 of them, and a frozen
    dataclass sets each field through object.__setattr__."""

    key: tuple[str, str | None]
    weight: float
    own: float | None
    average: float | None
    ratio: float | None


def unit_totals(units: Sequence, values: Mapping[str, Mapping]) -> dict[tuple, tuple[float, int]]:
    """Per unit: the sum and count of the known values of every company (averages come from these)."""
    totals = {}
    for u in units:
        known = [v[u.key] for v in values.values() if v[u.key] is not None]
        totals[u.key] = (math.fsum(known), len(known))
    return totals


def terms_of(units: Sequence, unit_weight: Mapping, own_values: Mapping, totals: Mapping,
             comparison: str) -> list[QualityTerm]:
    """One company's terms, unit by unit (the methodology's worked example shows them)."""
    out = []
    for u in units:
        own = own_values[u.key]
        average = None if own is None or u.relative else comparison_average(*totals[u.key], own, comparison)
        ratio = None if own is None else unit_ratio(u, own, average)
        out.append(QualityTerm(u.key, unit_weight[u.key], own, average, ratio))
    return out


def _ends(unit, own: float | None, average: float | None, ratio: float | None, spread: float,
          scale: tuple[float, float], total: float, count: int, comparison: str) -> tuple[float, float] | None:
    """The lowest and highest ratio a unit could have: a known score moved within its uncertainty
    (``spread``), the averages held as they are; an unknown score on the scale anywhere from the scale's
    lowest to its highest value, compared as a known one would be — with the average of the others' known
    values, or (``comparison`` "market") of the market's with itself at that value. None: the unit stays
    out of the range, with its weight."""
    if ratio is not None:
        ends = [r for r in (unit_ratio(unit, max(own - spread, 0.0), average), unit_ratio(unit, own + spread, average))
                if r is not None]
        return (min(ends), max(ends)) if ends else (ratio, ratio)
    if own is None and unit.on_scale and not unit.relative:
        def average_at(value: float) -> float | None:
            if comparison == "market":
                return (total + value) / (count + 1)
            return total / count if count else None
        ends = [r for r in (unit_ratio(unit, v, average_at(v)) for v in scale) if r is not None]
        return (min(ends), max(ends)) if ends else None
    return None


class CompanyRatios(NamedTuple):
    """One company's ratio per unit, in the units' order, and what the weights are summed over."""

    ratios: tuple[float | None, ...]  # None: left out (unknown, or no finite ratio)
    ends: tuple[tuple[float, float] | None, ...]  # the ratio's range (None: outside the range)
    backed: tuple[bool, ...]  # backed by evidence (the coverage); every known ratio when units are dimensions


class Weighed(NamedTuple):
    """A company's relative quality for one set of unit weights."""

    relative_quality: float | None  # None: no unit with a known ratio (or all of them weighted 0)
    known_weight: float  # Σ weight over the units with a known ratio
    backed_weight: float  # Σ weight over the units backed by evidence
    low: float  # the relative quality's range (0, 0 when no unit is in it)
    high: float


class QualityTable:
    """Every company's ratios and their ranges for one set of scores (see the module docstring).

    ``scores`` is the mapping the table was made of: a map made of other scores must not use it
    (:meth:`fits`)."""

    __slots__ = ("scores", "units", "companies", "_kept")

    def __init__(self, scores: Mapping, units: tuple, companies: Mapping[str, CompanyRatios],
                 kept: dict | None = None):
        self.scores = scores
        self.units = units
        self.companies = companies
        self._kept = kept if kept is not None else {}  # what depends only on these scores and a key (kept())

    def relabelled(self, scores: Mapping) -> "QualityTable":
        """This table for another mapping of the very same company scores (serve's :mod:`generator.rescore`):
        the same ratios, and the sums already weighed with them."""
        return QualityTable(scores, self.units, self.companies, self._kept)

    def weighed_all(self, weights: Sequence[float]) -> Mapping[str, Weighed]:
        """Every company's :meth:`weighed` with ``weights``, made once per set of weights: the maps of the same
        weights (serve's next rebuild after a price edit; a prospect with a segment's priorities) share them."""
        key = tuple(weights)
        return self.kept(key, lambda: {slug: self.weighed(slug, key) for slug in self.companies})

    def kept(self, key, make):
        """``make()``, once per ``key`` for this table: what depends only on these scores and ``key``."""
        found = self._kept.get(key)
        if found is None:
            found = self._kept[key] = make()
        return found

    def fits(self, scores: Mapping) -> bool:
        """Made of these very scores (a map of other scores — a snapshot's, an audit's — makes its own)."""
        return scores is self.scores

    def weighed(self, slug: str, weights: Sequence[float]) -> Weighed:
        """``slug``'s relative quality with ``weights`` (one per unit, in the units' order): exactly the
        sums of :func:`terms_of` — ``math.fsum`` for RQ, its weight and the coverage, the range added term by
        term in unit order."""
        row = self.companies[slug]
        known = [(w, r) for w, r in zip(weights, row.ratios) if r is not None]
        num = math.fsum(w * r for w, r in known)
        den = math.fsum(w for w, _ in known)
        backed = math.fsum(w for w, b in zip(weights, row.backed) if b)
        lo_sum = hi_sum = weight = 0.0
        for w, ends in zip(weights, row.ends):
            if ends is not None:
                lo_sum += w * ends[0]
                hi_sum += w * ends[1]
                weight += w
        low, high = (100.0 * lo_sum / weight, 100.0 * hi_sum / weight) if weight > 0 else (0.0, 0.0)
        return Weighed(100.0 * num / den if den > 0 else None, den, backed, low, high)


def quality_table(units: Sequence, values: Mapping[str, Mapping], comparison: str, scale: tuple[float, float],
                  traces: Mapping[str, Mapping] | None, made_of: Mapping | None = None) -> QualityTable:
    """The table of ``values`` (company → unit key → score or None), compared by ``comparison`` ("others" or
    "market"). ``traces`` (company → unit key → score trace, criteria only) give each score's uncertainty and
    whether evidence backs it; without them (units are dimensions) nothing has a spread and every known ratio
    counts as backed. ``made_of``: what :meth:`QualityTable.fits` recognises (default: ``values``)."""
    units = tuple(units)
    totals = unit_totals(units, values)
    companies = {}
    for slug, own_values in values.items():
        ratios, ends, backed = [], [], []
        mine = traces[slug] if traces is not None else None
        for u in units:
            own = own_values[u.key]
            average = None if own is None or u.relative else comparison_average(*totals[u.key], own, comparison)
            ratio = None if own is None else unit_ratio(u, own, average)
            trace = mine.get(u.key) if mine is not None else None
            spread = (trace.verdict.uncertainty or 0.0) if trace is not None else 0.0
            ratios.append(ratio)
            ends.append(_ends(u, own, average, ratio, spread, scale, *totals[u.key], comparison))
            backed.append(trace.status not in _NOT_BACKED if mine is not None else ratio is not None)
        companies[slug] = CompanyRatios(tuple(ratios), tuple(ends), tuple(backed))
    return QualityTable(values if made_of is None else made_of, units, companies)
