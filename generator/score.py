"""Stage 3 — score: pure functions from validated content to numbers. No I/O, no globals.

The arithmetic follows the customer value map (Gale, *Managing Customer Value*, 1994) as documented on the
methodology page (``templates/methodology.html``, built from the same settings):

* criterion score  = the score given, or the source-weighted mean of its evidence;
* dimension score  = the criterion-weighted mean of its criteria (or the score given for the dimension);
* value score      = Σ wᵢ·sᵢ with the scenario's normalised dimension weights (on the site's scale);
* relative quality RQ = 100 · Σ wᵢ · (sᵢ / s̄ᵢ)  — a weighted sum of per-dimension ratios;
* relative price   RP = 100 · p / p̄;
  s̄ and p̄ are the comparison averages: of the *other* companies (default) or of the whole *market*;
* fair-value line  RP = a + b·RQ (diagonal a=0,b=1; slope through (100,100); or least squares);
* customer value   d = RP_line(RQ) − RP  (vertical distance, in relative-price points; > 0 is better value);
* justified price  = RP_line(RQ) · p̄ / 100;  headroom = justified − price.

Weights are an argument (a scenario), so the same functions serve the overall map, each segment and, later,
a prospect's or a visitor's own priorities.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping, Sequence

from . import model as m


# --- scores per company (independent of weights) --------------------------------------------------------

@dataclass(frozen=True)
class ScoreTrace:
    """A score and where it comes from."""

    value: float
    given: bool  # True: the author wrote the value; False: computed from evidence
    evidence: tuple[m.Evidence, ...]
    as_of: object | None  # datetime.date
    note: str


@dataclass(frozen=True)
class DimensionResult:
    dimension: str
    value: float
    criteria: Mapping[str, ScoreTrace]  # empty when the dimension is scored directly
    direct: ScoreTrace | None


@dataclass(frozen=True)
class CompanyScores:
    slug: str
    dimensions: Mapping[str, DimensionResult]

    def value(self, dimension: str) -> float:
        return self.dimensions[dimension].value


def evidence_mean(evidence: Sequence[m.Evidence], kind_weights: Mapping[str, float]) -> float:
    """Mean of evidence values weighted by source kind (gameable sources may weigh less)."""
    weights = [kind_weights.get(ev.source, 1.0) for ev in evidence]
    total = sum(weights)
    if total <= 0:  # every source weighted 0: fall back to the plain mean rather than divide by zero
        return sum(ev.value for ev in evidence) / len(evidence)
    return sum(w * ev.value for w, ev in zip(weights, evidence)) / total


def trace(score: float | m.ScoreDetail, kind_weights: Mapping[str, float]) -> ScoreTrace:
    if isinstance(score, (int, float)):
        return ScoreTrace(float(score), True, (), None, "")
    if score.value is not None:
        return ScoreTrace(score.value, True, tuple(score.evidence), score.as_of, score.note)
    return ScoreTrace(evidence_mean(score.evidence, kind_weights), False, tuple(score.evidence), score.as_of,
                      score.note)


def normalise(weights: Mapping[str, float]) -> dict[str, float]:
    total = sum(weights.values())
    return {k: w / total for k, w in weights.items()}


def dimension_result(dimension: m.Dimension, score, kind_weights: Mapping[str, float]) -> DimensionResult:
    if isinstance(score, dict):
        weights = normalise({c.id: c.weight for c in dimension.criteria})
        traces = {c.id: trace(score[c.id], kind_weights) for c in dimension.criteria}
        value = sum(weights[c] * traces[c].value for c in weights)
        return DimensionResult(dimension.id, value, traces, None)
    direct = trace(score, kind_weights)
    return DimensionResult(dimension.id, direct.value, {}, direct)


def company_scores(site: m.Site, slug: str, company: m.Company) -> CompanyScores:
    kind_weights = {k.id: k.weight for k in site.source_kinds}
    return CompanyScores(slug, {d.id: dimension_result(d, company.scores[d.id], kind_weights)
                                for d in site.dimensions})


def price_at(company: m.Company, ref: m.PriceReference) -> m.PricePoint | None:
    """The plan of the reference tier whose seat range holds the reference seats (cheapest if several)."""
    fits = [p for p in company.prices
            if p.tier == ref.tier and p.seats.min <= ref.seats and (p.seats.max is None or ref.seats <= p.seats.max)]
    return min(fits, key=lambda p: (p.price, p.plan)) if fits else None


# --- scenarios and the value map ------------------------------------------------------------------------

@dataclass(frozen=True)
class Scenario:
    """Whose priorities and which price point: the overall map, a segment, a prospect."""

    id: str
    label: str
    weights: Mapping[str, float]  # normalised dimension weights
    reference: m.PriceReference


def scenario_weights(site: m.Site, overrides: Mapping[str, float] | None = None) -> dict[str, float]:
    """Default dimension weights with ``overrides`` applied, normalised to sum to 1."""
    raw = {d.id: d.weight for d in site.dimensions}
    raw.update({k: v for k, v in (overrides or {}).items() if k in raw})
    return normalise(raw)


@dataclass(frozen=True)
class FairValueLine:
    method: str
    intercept: float
    slope: float
    fallback: bool = False  # regression impossible (too few points), diagonal used

    def price_at(self, relative_quality: float) -> float:
        return self.intercept + self.slope * relative_quality


@dataclass(frozen=True)
class Position:
    """One company on one value map."""

    slug: str
    is_us: bool
    value_score: float  # weighted score on the site's scale
    price: float
    plan: str
    quality_average: Mapping[str, float]  # s̄ per dimension used for this company
    price_average: float  # p̄ used for this company
    relative_quality: float
    relative_price: float
    line_price: float  # RP on the fair-value line at this RQ
    customer_value: float  # vertical distance: line − RP (relative-price points)
    perpendicular: float
    justified_price: float
    headroom: float
    headroom_pct: float | None
    ratio: float | None  # RQ / RP
    zone: str  # "better" | "fair" | "worse"
    rank: int


@dataclass(frozen=True)
class ValueMap:
    scenario: Scenario
    comparison: str
    line: FairValueLine
    band: float
    positions: tuple[Position, ...]  # ordered by rank

    def get(self, slug: str) -> Position:
        for p in self.positions:
            if p.slug == slug:
                return p
        raise KeyError(slug)


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def comparison_average(values: Mapping[str, float], slug: str, comparison: str) -> float:
    """Average the company is compared with: of the others, or of the whole market (itself included)."""
    if comparison == "market" or len(values) == 1:
        return _mean(list(values.values()))
    return _mean([v for k, v in values.items() if k != slug])


def _ratio(value: float, average: float, span: float) -> float:
    if average > 0:
        return value / average
    # Everyone compared scores 0: fall back to the difference on the scale, so parity is still 1.
    return 1.0 + (value - average) / span


def fit_line(method: m.Method, points: Sequence[tuple[float, float]]) -> FairValueLine:
    if method.fair_value_line == "slope":
        return FairValueLine("slope", 100.0 - 100.0 * method.slope, method.slope)
    if method.fair_value_line == "regression":
        if len(points) >= 3:
            mx = _mean([x for x, _ in points])
            my = _mean([y for _, y in points])
            sxx = sum((x - mx) ** 2 for x, _ in points)
            if sxx > 1e-9:
                slope = sum((x - mx) * (y - my) for x, y in points) / sxx
                return FairValueLine("regression", my - slope * mx, slope)
        return FairValueLine("regression", 0.0, 1.0, fallback=True)
    return FairValueLine("diagonal", 0.0, 1.0)


def value_map(site: m.Site, scores: Mapping[str, CompanyScores], prices: Mapping[str, m.PricePoint],
              scenario: Scenario, us: str) -> ValueMap:
    """Place every company of ``scores`` on the value map of ``scenario``."""
    method = site.method
    span = site.scale.max - site.scale.min
    slugs = sorted(scores)
    dims = list(scenario.weights)
    by_dim = {d: {s: scores[s].value(d) for s in slugs} for d in dims}
    price = {s: prices[s].price for s in slugs}
    interim = {}
    for s in slugs:
        averages = {d: comparison_average(by_dim[d], s, method.comparison) for d in dims}
        rq = 100.0 * sum(scenario.weights[d] * _ratio(by_dim[d][s], averages[d], span) for d in dims)
        p_avg = comparison_average(price, s, method.comparison)
        rp = 100.0 * price[s] / p_avg if p_avg > 0 else 100.0
        interim[s] = (averages, rq, p_avg, rp)
    line = fit_line(method, [(v[1], v[3]) for v in interim.values()])
    norm = math.sqrt(1.0 + line.slope ** 2)
    rows = []
    for s in slugs:
        averages, rq, p_avg, rp = interim[s]
        line_rp = line.price_at(rq)
        distance = line_rp - rp
        justified = max(line_rp, 0.0) * p_avg / 100.0
        headroom = justified - price[s]
        zone = "better" if distance > method.fair_value_band else "worse" if distance < -method.fair_value_band else "fair"
        rows.append(dict(
            slug=s, is_us=(s == us),
            value_score=sum(scenario.weights[d] * by_dim[d][s] for d in dims),
            price=price[s], plan=prices[s].plan, quality_average=averages, price_average=p_avg,
            relative_quality=rq, relative_price=rp, line_price=line_rp, customer_value=distance,
            perpendicular=distance / norm, justified_price=justified, headroom=headroom,
            headroom_pct=(100.0 * headroom / price[s]) if price[s] > 0 else None,
            ratio=(rq / rp) if rp > 0 else None, zone=zone,
        ))
    rows.sort(key=lambda r: (-round(r["customer_value"], 9), r["slug"]))
    positions = tuple(Position(rank=i + 1, **r) for i, r in enumerate(rows))
    return ValueMap(scenario, method.comparison, line, method.fair_value_band, positions)


@dataclass(frozen=True)
class MarketScores:
    """Everything scoring produces for one content set: the input of planning and rendering."""

    companies: Mapping[str, CompanyScores]
    overall: ValueMap
    segments: Mapping[str, ValueMap]  # segment id → map

    def maps(self) -> list[ValueMap]:
        return [self.overall, *self.segments.values()]


def overall_scenario(site: m.Site) -> Scenario:
    return Scenario("overall", "", scenario_weights(site), site.price_reference)


def segment_scenario(site: m.Site, segment: m.Segment) -> Scenario:
    return Scenario(segment.id, segment.label, scenario_weights(site, segment.weights), segment.price_reference)


def scenario_map(site: m.Site, companies: Mapping[str, m.Company], scores: Mapping[str, CompanyScores],
                 scenario: Scenario) -> ValueMap:
    prices = {slug: price_at(c, scenario.reference) for slug, c in companies.items()}
    return value_map(site, scores, prices, scenario, site.us)


def score_market(site: m.Site, companies: Mapping[str, m.Company]) -> MarketScores:
    """Score every company and place it on the overall map and on each segment's map."""
    scores = {slug: company_scores(site, slug, c) for slug, c in sorted(companies.items())}
    overall = scenario_map(site, companies, scores, overall_scenario(site))
    segments = {s.id: scenario_map(site, companies, scores, segment_scenario(site, s)) for s in site.segments}
    return MarketScores(scores, overall, segments)
