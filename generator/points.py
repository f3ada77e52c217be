"""Stage 3a — what companies are scored on, and each company's score per point with where it comes from
(pure, no I/O). Independent of weights and of the other companies: :mod:`generator.score` weighs these
scores, compares them with the market and places companies on value maps.

* a *point* (:class:`Point`) is a criterion, or a dimension scored as a whole;
* its score (:class:`ScoreTrace`) is the value the strategy team gave, or the source- and recency-weighted
  mean of its evidence, with the verification verdict (:mod:`generator.verify`); unknown when neither
  exists, or when the audience may not see the only evidence (an external audience never sees internal
  evidence, and no number it sees is computed from it);
* a dimension's score is the weighted mean of its known points on the scale (lower-is-better points flipped).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Mapping, Sequence

from . import model as m
from . import verify
from .audience import INTERNAL


@dataclass(frozen=True)
class Point:
    """What companies are scored on: a criterion, or a dimension scored as a whole (``criterion`` None)."""

    dimension: str
    criterion: str | None
    weight: float  # within its dimension, normalised (1.0 for a dimension scored as a whole)
    better: str = "higher"
    unit: str | None = None  # measured in this unit, not on the site's scale
    relative: bool = False  # already relative to the market (100 = average)

    @cached_property
    def key(self) -> tuple[str, str | None]:  # made once: every map looks it up per company and criterion
        return (self.dimension, self.criterion)

    @property
    def on_scale(self) -> bool:
        return self.unit is None and not self.relative


def points(site: m.Site) -> tuple[Point, ...]:
    """Every scored point of the site, in the order of site.yaml."""
    out = []
    for d in site.dimensions:
        relative = d.input == "relative"
        if d.criteria:
            total = sum(c.weight for c in d.criteria)
            out.extend(Point(d.id, c.id, c.weight / total, c.better, c.unit, relative) for c in d.criteria)
        else:
            out.append(Point(d.id, None, 1.0, "higher", None, relative))
    return tuple(out)


@dataclass(frozen=True)
class ScoreTrace:
    """A score and where it comes from. ``value`` None: unknown (for this audience)."""

    value: float | None
    given: bool  # True: the author wrote the value; False: computed from evidence (or unknown)
    evidence: tuple[m.Evidence, ...]  # the evidence this audience may see
    hidden: int  # evidence items left out for this audience (internal)
    as_of: object | None  # datetime.date
    note: str
    verdict: verify.Verdict = verify.Verdict("unknown", None, 0, 0, None, None)

    @property
    def status(self) -> str:
        return self.verdict.status


@dataclass(frozen=True)
class CompanyScores:
    slug: str
    points: Mapping[tuple[str, str | None], ScoreTrace]
    dimensions: Mapping[str, float | None]  # weighted mean of the known points of each dimension not measured
    #                                          in units: on the site's scale, or an index for relative input

    def value(self, dimension: str) -> float | None:
        return self.dimensions[dimension]

    def point(self, dimension: str, criterion: str | None) -> ScoreTrace:
        return self.points[(dimension, criterion)]


def evidence_mean(evidence: Sequence[m.Evidence], kind_weights: Mapping[str, float]) -> float:
    """Mean of evidence values weighted by source kind (gameable sources may weigh less)."""
    weights = [kind_weights.get(ev.source, 1.0) for ev in evidence]
    total = sum(weights)
    if total <= 0:  # every source weighted 0: fall back to the plain mean rather than divide by zero
        return sum(ev.value for ev in evidence) / len(evidence)
    return sum(w * ev.value for w, ev in zip(weights, evidence)) / total


NO_DECAY = verify.Rules(half_life_days=0, max_age_days=10**6, today=verify.Rules().today)


def rules_of(site: m.Site, today) -> verify.Rules:
    v = site.verification
    return verify.Rules(v.tolerance, v.relative_tolerance, v.max_age_days, v.half_life_days, v.default_uncertainty,
                        today)


def trace(score, kinds: Mapping[str, float] | Mapping[str, verify.Kind], audience: str = INTERNAL,
          rules: verify.Rules = NO_DECAY, measured: bool = False) -> ScoreTrace:
    """The score of one point for ``audience``, with its verification verdict.

    An external audience never sees internal evidence, and no number it sees is computed from it: a score
    computed from evidence uses the public evidence only, and is unknown when all of it is internal. A value
    the strategy team set explicitly is its own judgement and is shown as given. A score from evidence is the
    source- and recency-weighted mean (:func:`generator.verify.evidence_score`)."""
    kinds = {k: (v if isinstance(v, verify.Kind) else verify.Kind(v, True)) for k, v in kinds.items()}
    return _trace(score, kinds, audience, rules, measured)


def _trace(score, kinds: Mapping[str, verify.Kind], audience: str, rules: verify.Rules, measured: bool
           ) -> ScoreTrace:
    if score is None or score == m.UNKNOWN:
        return ScoreTrace(None, False, (), 0, None, "")
    if isinstance(score, (int, float)):
        value = float(score)
        return ScoreTrace(value, True, (), 0, None, "", verify.verdict(value, True, (), kinds, rules, measured=measured))
    shown = tuple(ev for ev in score.evidence if audience == INTERNAL or not ev.internal)
    hidden = len(score.evidence) - len(shown)
    if score.value is not None:
        value, given = score.value, True
    else:
        value, given = (verify.evidence_score(shown, kinds, rules) if shown else None), False
    note = score.note if audience == INTERNAL or not score.note_internal else ""  # an internal note: internal only
    return ScoreTrace(value, given, shown, hidden, score.as_of, note,
                      verify.verdict(value, given, shown, kinds, rules, measured=measured))


def normalise(weights: Mapping[str, float]) -> dict[str, float]:
    total = math.fsum(weights.values())
    return {k: w / total for k, w in weights.items()}


def _raw_score(company: m.Company, point: Point):
    entry = company.scores.get(point.dimension)
    if point.criterion is None or not isinstance(entry, dict):
        # A dimension scored as a whole: every criterion on the scale reads that score; a measured one
        # cannot (validation refuses that case; here it stays unknown rather than borrow a scale score).
        return entry if point.unit is None else None
    return entry.get(point.criterion)


def company_scores(site: m.Site, slug: str, company: m.Company, audience: str = INTERNAL,
                   site_points: Sequence[Point] | None = None, rules: verify.Rules = NO_DECAY) -> CompanyScores:
    kinds = verify.kinds_of(site)
    pts = site_points or points(site)
    traces = {p.key: _trace(_raw_score(company, p), kinds, audience, rules, p.unit is not None) for p in pts}
    dims: dict[str, float | None] = {}
    flip = site.scale.min + site.scale.max  # a lower-is-better score s reads as (min + max − s) on the scale
    for d in site.dimensions:
        known = [(p.weight, flip - traces[p.key].value if p.better == "lower" and p.on_scale else traces[p.key].value)
                 for p in pts if p.dimension == d.id and p.unit is None and traces[p.key].value is not None]
        total = math.fsum(w for w, _ in known)
        dims[d.id] = math.fsum(w * v for w, v in known) / total if total > 0 else None
    return CompanyScores(slug, traces, dims)
