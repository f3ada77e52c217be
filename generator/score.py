"""Stage 3 — score: pure functions from validated content to numbers. No I/O, no globals.

The arithmetic follows the customer value map (Gale, *Managing Customer Value*, 1994) as the methodology page
states it (built from the same settings, see :mod:`generator.views.reference`):

* a *point* is what a company is scored on: a criterion, or a dimension scored as a whole;
  its score is the value given, or the source-weighted mean of its evidence (unknown when neither exists,
  or when the audience may not see the only evidence);
* relative quality ``RQ = 100 · Σ Wᵢ·rᵢ / Σ Wᵢ`` over the points with a known ratio, where
  ``Wᵢ = dimension weight × criterion weight`` and ``rᵢ = sᵢ / s̄ᵢ`` (``s̄ᵢ / sᵢ`` when lower is better,
  ``sᵢ / 100`` for relative inputs) — a weighted sum of per-criterion ratios (``method.quality_ratio:
  criterion``), or of per-dimension ratios (``dimension``);
* relative price ``RP = 100 · p / p̄``; ``s̄`` and ``p̄`` are averages of the *other* companies (default) or
  of the whole *market*, itself included;
* fair-value line ``RP = a + b·RQ`` (diagonal; a given slope through the centroid; or least squares),
  floored at 0: no quality justifies a negative price;
* customer value ``d = max(line(RQ), 0) − RP``; justified price ``= max(line(RQ), 0) · p̄ / 100``;
  headroom ``= justified − price``; value-for-money ratio ``= RQ / RP``.

Every edge case is decided here and written on the methodology page: a company is *not placed* (with a
reason) when none of its points has a known ratio, when it has no comparable price, or when every company it
is compared with is free; a point whose comparison average is 0 (or, lower-is-better, whose own value is 0)
has no ratio and is left out with its weight; a regression with fewer than three points, no spread in
quality, or prices that do not rise with quality falls back to the diagonal.

Weights come in as a :class:`Scenario`, so the overall map, each segment, each prospect and a visitor's own
weights all ask the same functions. Every step is linear in the number of companies (totals minus one's own
value for the averages of the others; dictionaries for look-ups).
"""
from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

from . import model as m
from .audience import EXTERNAL
from .points import CompanyScores, Point, company_scores, normalise, points, rules_of
from .quality import QualityTable, QualityTerm, comparison_average, quality_table, terms_of, unit_totals
from .quotes import Quote, quotes_at
if TYPE_CHECKING:
    from .rescore import ScoreMemo


# --- scenarios -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Scenario:
    """Whose priorities and which price point: the overall map, a segment, a prospect, a visitor."""

    id: str
    label: str
    weights: Mapping[str, float]  # normalised dimension weights
    reference: m.PriceReference | None


def scenario_weights(site: m.Site, overrides: Mapping[str, float] | None = None) -> dict[str, float]:
    """Default dimension weights with ``overrides`` applied, normalised to sum to 1."""
    raw = {d.id: d.weight for d in site.dimensions}
    raw.update({k: v for k, v in (overrides or {}).items() if k in raw})
    return normalise(raw)


def overall_scenario(site: m.Site) -> Scenario:
    return Scenario("overall", "", scenario_weights(site), site.price_reference)


def segment_scenario(site: m.Site, segment: m.Segment) -> Scenario:
    return Scenario(segment.id, segment.label, scenario_weights(site, segment.weights),
                    segment.price_reference or site.price_reference)


def point_weights(site: m.Site, scenario: Scenario, site_points: Sequence[Point] | None = None
                  ) -> dict[tuple[str, str | None], float]:
    """Each point's share of relative quality: dimension weight × criterion weight (sums to 1)."""
    return {p.key: scenario.weights[p.dimension] * p.weight for p in (site_points or points(site))}


# --- the fair-value line --------------------------------------------------------------------------------

@dataclass(frozen=True)
class FairValueLine:
    method: str
    intercept: float
    slope: float
    fallback: str = ""  # why the method asked for could not be used ("" when it was)

    def price_at(self, relative_quality: float) -> float:
        """Relative price on the line at this quality, floored at 0 (no quality justifies a negative price)."""
        return max(self.intercept + self.slope * relative_quality, 0.0)


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def fit_line(method: m.Method, pts: Sequence[tuple[float, float]]) -> FairValueLine:
    """The fair-value line through the placed points ``(RQ, RP)``."""
    if method.fair_value_line == "slope":
        if not pts:
            return FairValueLine("slope", 100.0 - 100.0 * method.slope, method.slope)
        cx, cy = _mean([x for x, _ in pts]), _mean([y for _, y in pts])
        return FairValueLine("slope", cy - method.slope * cx, method.slope)
    if method.fair_value_line == "regression":
        if len(pts) < 3:
            return FairValueLine("regression", 0.0, 1.0, fallback="too-few")
        mx, my = _mean([x for x, _ in pts]), _mean([y for _, y in pts])
        sxx = math.fsum((x - mx) ** 2 for x, _ in pts)
        if sxx <= 1e-9 * max(1.0, mx * mx):
            return FairValueLine("regression", 0.0, 1.0, fallback="no-spread")
        slope = math.fsum((x - mx) * (y - my) for x, y in pts) / sxx
        if slope <= 1e-9:
            return FairValueLine("regression", 0.0, 1.0, fallback="flat")
        return FairValueLine("regression", my - slope * mx, slope)
    return FairValueLine("diagonal", 0.0, 1.0)


# --- the value map ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Position:
    """One company placed on one value map."""

    slug: str
    name: str
    is_us: bool
    value_score: float | None  # weighted mean of the known dimension scores, on the site's scale
    price: float
    plan: str
    price_average: float  # p̄ used for this company
    known: float  # share of the quality weight with a known ratio (1.0 = everything known)
    coverage: float  # share of the quality weight backed by evidence (not a bare number, not unknown)
    relative_quality: float
    relative_price: float
    rq_low: float  # the range relative quality could have: each score within its uncertainty, unknown
    rq_high: float  # scores anywhere on the scale
    rp_low: float  # the range of the price observations, relative
    rp_high: float
    quote: Quote
    line_price: float  # RP on the fair-value line at this RQ
    customer_value: float  # vertical distance: line − RP (relative-price points; > 0 better value)
    perpendicular: float
    justified_price: float
    headroom: float
    headroom_pct: float | None  # None for a free offer
    ratio: float | None  # RQ / RP; None for a free offer (no finite ratio)
    zone: str  # "better" | "fair" | "worse"
    rank: int

    @classmethod
    def of_row(cls, row: dict) -> "Position":
        """The position of ``row`` (every field by name): equal to ``Position(**row)``, made without the frozen
        dataclass's 26 guarded ``__setattr__`` calls (a 1,000-company market places 4,000 positions a build,
        and serve places them again after every price edit)."""
        position = object.__new__(cls)
        position.__dict__.update(row)
        return position

    @property
    def partial(self) -> bool:
        return self.known < 1.0 - 1e-9

    @property
    def price_status(self) -> str:
        return self.quote.verdict.status


@dataclass(frozen=True)
class Unplaced:
    """A company that cannot be placed on a map, and why (a reason code the views translate)."""

    slug: str
    name: str
    is_us: bool
    reason: str  # "no-price" | "quote-only" | "no-rate" | "no-known-score" | "no-comparable-score" |
    #             "free-comparison"


@dataclass(frozen=True)
class ValueMap:
    scenario: Scenario
    comparison: str
    quality_ratio: str
    rank_by: str
    line: FairValueLine
    band: float
    positions: tuple[Position, ...]  # ordered by rank
    unplaced: tuple[Unplaced, ...] = ()
    _index: Mapping[str, Position] = field(default_factory=dict, repr=False, compare=False)
    _order: Mapping[str, int] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "_index", {p.slug: p for p in self.positions})
        object.__setattr__(self, "_order", {p.slug: i for i, p in enumerate(self.positions)})

    def order(self, slug: str) -> int | None:
        """Where the company stands in ``positions`` (0 = first), or None when it is not placed."""
        return self._order.get(slug)

    def get(self, slug: str) -> Position | None:
        """The company's position, or None when it is not placed on this map."""
        return self._index.get(slug)


def median(values: Iterable[float | None]) -> float | None:
    """The median of the known values (None: none known) — the market's middle on a strategy canvas."""
    known = sorted(v for v in values if v is not None)
    if not known:
        return None
    mid = len(known) // 2
    return known[mid] if len(known) % 2 else (known[mid - 1] + known[mid]) / 2


def quality_units(site: m.Site, scores: Mapping[str, CompanyScores], site_points: Sequence[Point] | None = None
                  ) -> tuple[list[Point], dict[str, dict]]:
    """The units ratios are taken of — every point (``method.quality_ratio: criterion``), or every dimension
    taken as one ratio — and each company's value per unit. A unit's share of quality is its dimension's
    weight × its own :attr:`Point.weight` (1 for a dimension)."""
    if site.method.quality_ratio == "dimension":
        units = [Point(d.id, None, 1.0, relative=d.input == "relative") for d in site.dimensions]
        return units, {s: {u.key: c.dimensions[u.dimension] for u in units} for s, c in scores.items()}
    site_points = points(site) if site_points is None else site_points
    return list(site_points), {s: {p.key: c.points[p.key].value for p in site_points} for s, c in scores.items()}


def quality_terms(site: m.Site, scores: Mapping[str, CompanyScores], scenario: Scenario, slug: str
                  ) -> list[QualityTerm]:
    """The terms of ``slug``'s relative quality on the map of ``scenario`` (the methodology's worked example)."""
    units, values = quality_units(site, scores)
    weights = {u.key: scenario.weights[u.dimension] * u.weight for u in units}
    return terms_of(units, weights, values[slug], unit_totals(units, values), site.method.comparison)


def market_quality(site: m.Site, scores: Mapping[str, CompanyScores], site_points: Sequence[Point] | None = None
                   ) -> QualityTable:
    """Every company's ratios and their ranges (:mod:`generator.quality`): one table serves every map of the
    same ``scores`` — the overall map, each segment's, the weigh page's — whatever their weights."""
    units, values = quality_units(site, scores, site_points)
    traces = {s: c.points for s, c in scores.items()} if site.method.quality_ratio == "criterion" else None
    return quality_table(units, values, site.method.comparison, (site.scale.min, site.scale.max), traces,
                         made_of=scores)


def _no_quality_reason(units: Sequence[Point], company: CompanyScores, by_point: bool) -> str:
    """Why a company has no relative quality on a map: none of its scores is known ("no-known-score"), or
    those it has cannot be compared ("no-comparable-score": every other company scores 0 on them, or it
    scores 0 where lower is better — no finite ratio)."""
    known = any((company.points[u.key].value if by_point else company.dimensions[u.dimension]) is not None
                for u in units)
    return "no-comparable-score" if known else "no-known-score"


def value_map(site: m.Site, scores: Mapping[str, CompanyScores], prices: Mapping[str, Quote | None],
              scenario: Scenario, names: Mapping[str, str], quality: QualityTable | None = None) -> ValueMap:
    """Place every company of ``scores`` on the value map of ``scenario`` (pure; linear in companies).
    ``quality``: the table of :func:`market_quality` for these ``scores``, when the caller has it."""
    method = site.method
    us = site.us
    slugs = sorted(scores)
    if quality is None or not quality.fits(scores):
        quality = market_quality(site, scores)
    weights = [scenario.weights[u.dimension] * u.weight for u in quality.units]
    all_weight = math.fsum(weights)
    by_point = method.quality_ratio == "criterion"
    priced = {s: prices[s].value for s in slugs if prices.get(s) is not None and prices[s].value is not None}
    price_total, price_count = math.fsum(priced.values()), len(priced)

    interim, unplaced = {}, []
    weighed = quality.weighed_all(weights)
    for s in slugs:
        rq, den, backed, rq_low, rq_high = weighed[s]
        if s not in priced:
            reason = "no-price" if prices.get(s) is None else (prices[s].chosen.reason or "no-price")
            unplaced.append(Unplaced(s, names[s], s == us, reason))
            continue
        if den <= 0:
            unplaced.append(Unplaced(s, names[s], s == us, _no_quality_reason(quality.units, scores[s], by_point)))
            continue
        p_avg = comparison_average(price_total, price_count, priced[s], method.comparison)
        if p_avg is None or p_avg <= 0:
            unplaced.append(Unplaced(s, names[s], s == us, "free-comparison"))
            continue
        interim[s] = (rq, 100.0 * priced[s] / p_avg, p_avg, den / all_weight,
                      backed / all_weight if by_point else den / all_weight, (rq_low, rq_high))

    line = fit_line(method, [(v[0], v[1]) for v in interim.values()])
    dimension_weights = tuple(sorted(scenario.weights.items()))
    value_scores = quality.kept(("value score", dimension_weights),
                                lambda: _value_scores(site, scores, scenario.weights))
    norm = math.sqrt(1.0 + line.slope ** 2)
    rows = []
    for s, (rq, rp, p_avg, known_share, coverage, (rq_low, rq_high)) in interim.items():
        q = prices[s]
        line_rp = line.price_at(rq)
        distance = line_rp - rp
        justified = line_rp * p_avg / 100.0
        price = priced[s]
        band = method.fair_value_band
        rows.append(dict(
            slug=s, name=names[s], is_us=(s == us), value_score=value_scores[s],
            price=price, plan=q.plan.plan, price_average=p_avg, known=min(known_share, 1.0),
            coverage=min(coverage, 1.0), relative_quality=rq, relative_price=rp,
            rq_low=min(rq_low, rq), rq_high=max(rq_high, rq),
            rp_low=100.0 * min(q.chosen.low, price) / p_avg, rp_high=100.0 * max(q.chosen.high, price) / p_avg,
            quote=q, line_price=line_rp, customer_value=distance,
            perpendicular=(line.intercept + line.slope * rq - rp) / norm,  # square to the line, not floored
            justified_price=justified, headroom=justified - price,
            headroom_pct=(100.0 * (justified - price) / price) if price > 0 else None,
            ratio=(rq / rp) if rp > 0 else None,
            zone="better" if distance > band else "worse" if distance < -band else "fair",
        ))
    rows.sort(key=lambda r: (rank_key(r, method.rank_by), r["name"].casefold(), r["slug"]))
    for i, r in enumerate(rows):  # a tie shares its rank (1, 2, 2, 4): listed by name, never ranked by it
        same = i and rank_key(r, method.rank_by) == rank_key(rows[i - 1], method.rank_by)
        r["rank"] = rows[i - 1]["rank"] if same else i + 1
    positions = tuple(map(Position.of_row, rows))
    return ValueMap(scenario, method.comparison, method.quality_ratio, method.rank_by, line,
                    method.fair_value_band, positions, tuple(unplaced))


def _value_scores(site: m.Site, scores: Mapping[str, CompanyScores], weights: Mapping[str, float]
                  ) -> dict[str, float | None]:
    """Each company's value score: the ``weights``-weighted mean of its known dimension scores on the scale
    (relative inputs left out: they are not on it)."""
    relative_dims = {d.id for d in site.dimensions if d.input == "relative"}
    out = {}
    for slug, company in scores.items():
        known = [(weights[d], v) for d, v in company.dimensions.items() if v is not None and d not in relative_dims]
        total = math.fsum(w for w, _ in known)
        out[slug] = math.fsum(w * v for w, v in known) / total if total > 0 else None
    return out


def rank_key(row: dict, rank_by: str) -> float:
    """Best first. Values equal to 9 decimals tie: they share a rank, listed by name, then slug; a free offer's
    ratio is infinite."""
    if rank_by == "ratio":
        return -math.inf if row["ratio"] is None else -round(row["ratio"], 9)
    return -round(row["customer_value"], 9)


# --- the whole market ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MarketScores:
    """Everything scoring produces for one content set and audience: the input of planning and rendering."""

    audience: str
    companies: Mapping[str, CompanyScores]
    overall: ValueMap
    segments: Mapping[str, ValueMap]  # segment id → map
    today: _dt.date | None = None
    history: object = None  # generator.history.History: the overall map at each dated snapshot (build.check)
    # every company's ratios (market_quality), derived from ``companies``: maps of other weights reuse it
    quality: QualityTable | None = field(default=None, compare=False, repr=False)

    def maps(self) -> list[ValueMap]:
        return [self.overall, *self.segments.values()]


def quality_of(site: m.Site, market: MarketScores) -> QualityTable:
    """The market's table of ratios for a map of other weights: the one scoring made, or — when the companies'
    scores were swapped for a wrapper (serve records what each page reads) — one made of those, so every
    score the map reads is read through the wrapper."""
    if market.quality is not None and market.quality.fits(market.companies):
        return market.quality
    return market_quality(site, market.companies)


def scenario_map(site: m.Site, companies: Mapping[str, m.Company], scores: Mapping[str, CompanyScores],
                 scenario: Scenario, audience: str = EXTERNAL, today=None, quality: QualityTable | None = None,
                 memo: "ScoreMemo | None" = None) -> ValueMap:
    today = today or _dt.date.today()
    kept = partial(memo.quote, repr(scenario.reference)) if memo is not None else None
    quotes = quotes_at(companies, site, scenario.reference, audience, today, kept)
    return value_map(site, scores, quotes, scenario, {s: c.name for s, c in companies.items()}, quality)


def score_market(site: m.Site, companies: Mapping[str, m.Company], audience: str = EXTERNAL,
                 today: _dt.date | None = None, memo: "ScoreMemo | None" = None) -> MarketScores:
    """Score every company for ``audience`` and place it on the overall map and on each segment's map.

    ``today`` dates the verification (stale evidence, recency weights); the build passes its "today"
    (``SOURCE_DATE_EPOCH`` when set), so the same content on the same day gives the same numbers.
    ``memo`` (serve): each company's scores and quotes, and the quality table, kept from the last scoring
    while their inputs are unchanged (:mod:`generator.rescore`); the numbers are the same."""
    today = today or _dt.date.today()
    pts = points(site)
    rules = rules_of(site, today)
    if memo is None:
        scores = {slug: company_scores(site, slug, c, audience, pts, rules) for slug, c in sorted(companies.items())}
        quality = market_quality(site, scores, pts)
    else:
        memo.start(site, audience, today)
        scores = {slug: memo.company(slug, c, lambda slug=slug, c=c: company_scores(site, slug, c, audience, pts,
                                                                                     rules))
                  for slug, c in sorted(companies.items())}
        quality = memo.quality(scores, lambda: market_quality(site, scores, pts))
        memo.keep_only(scores)
    overall = scenario_map(site, companies, scores, overall_scenario(site), audience, today, quality, memo)
    segments = {s.id: scenario_map(site, companies, scores, segment_scenario(site, s), audience, today, quality,
                                   memo)
                for s in site.segments}
    return MarketScores(audience, scores, overall, segments, today, quality=quality)
