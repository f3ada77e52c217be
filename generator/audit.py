"""What to verify next: every score and price that is not verified, ranked by how far our own numbers on the
overall value map could move if it were wrong by its uncertainty. Pure functions, no I/O.

For each unverified item the one value is moved to each end of its plausible range — the other numbers held
as they are — and the overall map is placed again with the scoring functions themselves
(:func:`generator.score.value_map`):

* a known score: ``value ± verdict.uncertainty`` (kept on the site's scale; a measured or relative value at 0
  or above);
* an unknown score on the scale: the scale's lowest and highest value (an unknown measured or relative value
  has no range: it is listed, not moved);
* a comparison price on the overall map: the range of its observations when they give one, else
  ``price ± verdict.uncertainty`` (the site's default relative uncertainty × the price, for a bare number or
  one report).

Each item records our rank, justified price and headroom at both ends. Items are ordered by the largest change
of our rank, then the largest change of our justified price (|Δ|), then company name and the field's place in
site.yaml (a price after the scores).

Cost: one map costs O(companies × points), and every company's every point is moved twice — N × points × 2
recomputations, **quadratic in the number of companies**. The sample (10 companies, 17 points) takes about a
third of a second; :data:`MAX_COMPANIES` caps it: above that, :func:`audit` returns nothing and
:func:`skipped` tells the page to say so (the build stays linear; see tests/unit/test_linear.py). The
performance issue will revisit it (e.g. the averages change by one term: each map could be updated, not
recomputed).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Mapping, Sequence

from . import model as m
from .audience import INTERNAL
from .points import CompanyScores, Point, ScoreTrace, points
from .quotes import Quote, quotes_at
from .score import ValueMap, overall_scenario, value_map

MAX_COMPANIES = 25
"""Above this many companies the audit is skipped (N × points × 2 map recomputations, each linear in N)."""

NEEDED = {
    "single-source": "second-kind",  # a second kind of source
    "stale": "newer",  # newer evidence
    "conflicting": "resolve",  # resolve the conflict
    "gameable-only": "independent",  # a source the measured team cannot game
    "unsupported": "any",  # any evidence
    "unknown": "any",
}
"""What would settle each status (the page words it: ``audit.needed.<code>``)."""


@dataclass(frozen=True)
class Ours:
    """Our numbers on one placing of the overall map."""

    rank: int
    justified: float
    headroom: float


@dataclass(frozen=True)
class AuditItem:
    """One unverified score or price and what its uncertainty could do to our numbers on the overall map."""

    slug: str
    name: str
    kind: str  # "score" | "price"
    dimension: str | None  # the point (None for a price)
    criterion: str | None
    order: int  # the field's place in site.yaml (a price comes after every point)
    status: str
    value: float | None  # the current value (None: unknown)
    uncertainty: float | None  # the half-width moved by (None: an unknown score, or an observations' range)
    bound: str  # "uncertainty" | "scale" | "observations" | "none" (nothing to move to)
    low: float | None  # the two values tried
    high: float | None
    needed: str  # what evidence would settle it: a code of NEEDED
    now: Ours | None  # our numbers as they are (None: we are not placed)
    rank_best: int | None  # our best and worst rank across the two placings (None: not placed in either)
    rank_worst: int | None
    justified_low: float | None
    justified_high: float | None
    headroom_low: float | None
    headroom_high: float | None
    rank_change: int  # max |our rank moved − our rank now|
    justified_change: float  # max |our justified price moved − now|

    @property
    def movement(self) -> tuple[str, float]:
        """The largest movement: the rank change when there is one, else |Δ justified price|."""
        return ("rank", float(self.rank_change)) if self.rank_change else ("justified", self.justified_change)


def skipped(companies: Mapping[str, object]) -> bool:
    """Whether :func:`audit` leaves this market out (too many companies for N × points recomputations)."""
    return len(companies) > MAX_COMPANIES


def sort_key(item: AuditItem) -> tuple:
    return (-item.rank_change, -round(item.justified_change, 9), item.name.casefold(), item.slug, item.order)


def audit(site: m.Site, companies: Mapping[str, m.Company], scores, today, audience: str = INTERNAL
          ) -> list[AuditItem]:
    """Every unverified score and comparison price of the overall map, most consequential first.

    ``scores``: each company's :class:`CompanyScores` for ``audience`` (or the :class:`MarketScores` holding
    them). ``today`` dates the price verdicts, as in :func:`generator.score.score_market`."""
    scores: Mapping[str, CompanyScores] = getattr(scores, "companies", scores)
    if skipped(companies):
        return []
    scenario = overall_scenario(site)
    names = {s: c.name for s, c in companies.items()}
    quotes = quotes_at(companies, site, scenario.reference, audience, today)
    pts = points(site)

    def placed(new_scores: Mapping[str, CompanyScores], new_quotes: Mapping[str, Quote | None]) -> Ours | None:
        return _ours(value_map(site, new_scores, new_quotes, scenario, names), site.us)

    now = placed(scores, quotes)
    items: list[AuditItem] = []
    for slug in sorted(scores):
        company = scores[slug]
        for order, point in enumerate(pts):
            trace = company.points[point.key]
            if trace.status == "verified":
                continue
            low, high, bound = _score_bounds(site, point, trace)
            outcomes = [] if bound == "none" else [
                placed({**scores, slug: _with_score(site, pts, company, point, v)}, quotes) for v in (low, high)]
            items.append(_item(slug, names[slug], "score", point.dimension, point.criterion, order, trace.status,
                               trace.value, trace.verdict.uncertainty if bound == "uncertainty" else None, bound,
                               low, high, now, outcomes))
        q = quotes.get(slug)
        if q is None or q.value is None or q.verdict.status == "verified":
            continue
        low, high, bound, spread = _price_bounds(site, q)
        outcomes = [placed(scores, {**quotes, slug: replace(q, chosen=replace(q.chosen, value=v))})
                    for v in (low, high)]
        items.append(_item(slug, names[slug], "price", None, None, len(pts), q.verdict.status, q.value, spread,
                           bound, low, high, now, outcomes))
    items.sort(key=sort_key)
    return items


# --- the pieces -------------------------------------------------------------------------------------------

def _ours(vmap: ValueMap, us: str) -> Ours | None:
    pos = vmap.get(us)
    return None if pos is None else Ours(pos.rank, pos.justified_price, pos.headroom)


def _score_bounds(site: m.Site, point: Point, trace: ScoreTrace) -> tuple[float | None, float | None, str]:
    if trace.value is None:
        if point.on_scale:
            return float(site.scale.min), float(site.scale.max), "scale"
        return None, None, "none"
    spread = trace.verdict.uncertainty or 0.0
    low, high = trace.value - spread, trace.value + spread
    if point.on_scale:
        return max(low, float(site.scale.min)), min(high, float(site.scale.max)), "uncertainty"
    return max(low, 0.0), high, "uncertainty"


def _price_bounds(site: m.Site, q: Quote) -> tuple[float, float, str, float | None]:
    """(low, high, bound, half-width): the observations' range when they give one, else ± the uncertainty."""
    chosen = q.chosen
    if chosen.low is not None and chosen.high is not None and chosen.low < chosen.high:
        return chosen.low, chosen.high, "observations", None
    spread = q.verdict.uncertainty
    if spread is None:  # a verdict always has one for a known price; the rule it would use, to be safe
        spread = site.verification.default_uncertainty * site.prices.tolerance * abs(q.value)
    return max(q.value - spread, 0.0), q.value + spread, "uncertainty", spread


def _dimension_value(site: m.Site, pts: Sequence[Point], traces: Mapping, dimension: str) -> float | None:
    """A dimension's score from its points, as :func:`generator.points.company_scores` computes it."""
    flip = site.scale.min + site.scale.max
    known = [(p.weight, flip - traces[p.key].value if p.better == "lower" and p.on_scale else traces[p.key].value)
             for p in pts if p.dimension == dimension and p.unit is None and traces[p.key].value is not None]
    total = math.fsum(w for w, _ in known)
    return math.fsum(w * v for w, v in known) / total if total > 0 else None


def _with_score(site: m.Site, pts: Sequence[Point], company: CompanyScores, point: Point, value: float
                ) -> CompanyScores:
    """The company's scores with one point's value replaced (a new object; the original is untouched)."""
    traces = {**company.points, point.key: replace(company.points[point.key], value=value)}
    dims = {**company.dimensions, point.dimension: _dimension_value(site, pts, traces, point.dimension)}
    return replace(company, points=traces, dimensions=dims)


def _item(slug, name, kind, dimension, criterion, order, status, value, uncertainty, bound, low, high,
          now: Ours | None, outcomes: Sequence[Ours | None]) -> AuditItem:
    moved = [o for o in outcomes if o is not None]
    ranks = [o.rank for o in moved]
    justified = [o.justified for o in moved]
    headroom = [o.headroom for o in moved]
    return AuditItem(
        slug, name, kind, dimension, criterion, order, status, value, uncertainty, bound, low, high,
        NEEDED.get(status, "any"), now,
        min(ranks) if ranks else None, max(ranks) if ranks else None,
        min(justified) if justified else None, max(justified) if justified else None,
        min(headroom) if headroom else None, max(headroom) if headroom else None,
        max((abs(r - now.rank) for r in ranks), default=0) if now else 0,
        max((abs(j - now.justified) for j in justified), default=0.0) if now else 0.0,
    )
