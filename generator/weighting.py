"""A visitor's own weights ("weigh it yourself", generator/views/weigh.py): the per-company partial sums from
which the browser places every company for any dimension weights, and how far each weight may move before
our rank changes. Pure, like :mod:`generator.score`, whose arithmetic it shares (and whose value map it
asks at the ends of each range)."""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Mapping

from . import model as m
from .quotes import Quote
from .quality import QualityTable, comparison_average
from .points import CompanyScores
from .score import Scenario, fit_line, market_quality, rank_key, value_map


@dataclass(frozen=True)
class WeighedCompany:
    """What a browser needs to place one company for any dimension weights ``w`` (see :func:`weight_model`).

    ``sums[d]`` = Σ wᶜ|d · rᵢ over the known ratios of dimension ``d`` (wᶜ|d the weight inside the dimension,
    1 for a dimension taken as one ratio), ``known[d]`` = Σ wᶜ|d over the same, ``backed[d]`` = Σ wᶜ|d over
    the points backed by evidence. Then RQ(w) = 100 · Σ w_d·sums[d] / Σ w_d·known[d] (placed when the
    denominator is > 0), coverage(w) = Σ w_d·backed[d] / Σ w_d."""

    slug: str
    name: str
    is_us: bool
    order: int  # position when sorted by (name casefolded, slug): the ranking's tie-break
    price: float
    price_average: float
    relative_price: float
    sums: Mapping[str, float]
    known: Mapping[str, float]
    backed: Mapping[str, float]


@dataclass(frozen=True)
class WeightModel:
    dimensions: tuple[str, ...]
    weights: Mapping[str, float]  # the scenario's normalised weights
    companies: tuple[WeighedCompany, ...]  # every company that can be placed for some weights
    price_total: float = 0.0  # Σ of the comparable prices (math.fsum) and their number: each company's
    price_count: int = 0  # comparison-average price follows (quality.comparison_average)


def weight_model(site: m.Site, scores: Mapping[str, CompanyScores], prices: Mapping[str, Quote | None],
                 scenario: Scenario, names: Mapping[str, str], quality: QualityTable | None = None) -> WeightModel:
    """The per-company, per-dimension partial sums from which :func:`value_map`'s relative quality follows
    for any dimension weights (pure). Ratios do not depend on the dimension weights: the comparison
    averages are taken of scores, and prices and their averages do not depend on weights at all. A company
    without a comparable price, or compared with free offers only, is never placed and is left out.
    ``quality``: the market's table of ratios (:func:`generator.score.market_quality`) for these ``scores``."""
    method = site.method
    slugs = sorted(scores)
    if quality is None or not quality.fits(scores):
        quality = market_quality(site, scores)
    units = quality.units
    priced = {s: prices[s].value for s in slugs if prices.get(s) is not None and prices[s].value is not None}
    price_total, price_count = math.fsum(priced.values()), len(priced)
    order = {s: i for i, s in enumerate(sorted(slugs, key=lambda s: (names[s].casefold(), s)))}
    dims = tuple(d.id for d in site.dimensions)
    of_dim = {d: [i for i, u in enumerate(units) if u.dimension == d] for d in dims}
    out = []
    for s in slugs:
        if s not in priced:
            continue
        p_avg = comparison_average(price_total, price_count, priced[s], method.comparison)
        if p_avg is None or p_avg <= 0:
            continue
        row = quality.companies[s]
        sums, known, backed = {}, {}, {}
        for d in dims:
            # the weight inside the dimension: the criterion's (1 for a dimension taken as one ratio)
            mine = [(units[i].weight, row.ratios[i], row.backed[i]) for i in of_dim[d]]
            sums[d] = math.fsum(w * r for w, r, _ in mine if r is not None)
            known[d] = math.fsum(w for w, r, _ in mine if r is not None)
            backed[d] = math.fsum(w for w, _, b in mine if b)
        out.append(WeighedCompany(s, names[s], s == site.us, order[s], priced[s], p_avg,
                                  100.0 * priced[s] / p_avg, sums, known, backed))
    return WeightModel(dims, dict(scenario.weights), tuple(out), price_total, price_count)


def moved_weights(weights: Mapping[str, float], dimension: str, share: float) -> dict[str, float]:
    """``dimension``'s normalised weight set to ``share`` (0–1), the others rescaled proportionally so the
    weights still sum to 1 (the others share ``1 − share`` equally when they had no weight at all)."""
    rest = math.fsum(w for d, w in weights.items() if d != dimension)
    others = [d for d in weights if d != dimension]
    out = {}
    for d, w in weights.items():
        if d == dimension:
            out[d] = share
        elif rest > 0:
            out[d] = w * (1.0 - share) / rest
        else:
            out[d] = (1.0 - share) / len(others)
    return out


@dataclass(frozen=True)
class Sensitivity:
    """How far one dimension's normalised weight may move (others rescaled) before our rank changes.

    ``low``–``high``: the shares (0–1) between which our rank is ``rank`` (the ends included when the rank
    holds all the way to 0 or 1; otherwise the first share at which it changes, found to ``precision``);
    ``below``/``above``: our rank just past each end (None when the end is 0 or 1)."""

    dimension: str
    weight: float
    rank: int
    low: float
    high: float
    below: int | None
    above: int | None


def _rank_in_model(model: WeightModel, method: m.Method, weights: Mapping[str, float], us: str) -> int | None:
    """Our rank for ``weights`` from the partial sums of :func:`weight_model` — the arithmetic of
    :func:`value_map` (and of weigh.js), linear in companies: the scan of :func:`sensitivity` runs on this."""
    dims = model.dimensions
    pts, rows = [], []
    for c in model.companies:
        den = math.fsum(weights[d] * c.known[d] for d in dims)
        if den <= 0:
            continue
        rq = 100.0 * math.fsum(weights[d] * c.sums[d] for d in dims) / den
        pts.append((rq, c.relative_price))
        rows.append((c, rq))
    line = fit_line(method, pts)
    ours = None
    keys = []
    for c, rq in rows:
        rp = c.relative_price
        row = {"customer_value": line.price_at(rq) - rp, "ratio": (rq / rp) if rp > 0 else None}
        key = rank_key(row, method.rank_by)  # a tie shares its rank, as value_map ranks
        keys.append(key)
        if c.slug == us:
            ours = key
    return None if ours is None else 1 + sum(1 for k in keys if k < ours)


def sensitivity(site: m.Site, scores: Mapping[str, CompanyScores], scenario: Scenario,
                prices: Mapping[str, Quote | None], names: Mapping[str, str], step: float = 0.02,
                precision: float = 1e-5, quality: QualityTable | None = None) -> tuple[Sensitivity, ...]:
    """For each dimension, the range of its weight over which our rank on the map of ``scenario`` holds
    (pure): scanning from the scenario's weight outwards in steps of ``step``, then bisecting the step in
    which the rank first changes to ``precision``. The scan runs on the partial sums of :func:`weight_model`
    (linear per step); our rank now and at both ends of each range is then asked of :func:`value_map` itself
    (a fixed number of maps, whatever the market). Empty when we are not placed, or when there is a single
    dimension (its weight cannot move). A change of rank that reverts within one step is not seen."""
    if len(scenario.weights) < 2:
        return ()

    def full_rank(dimension: str, share: float) -> int | None:
        moved = replace(scenario, weights=moved_weights(scenario.weights, dimension, share))
        pos = value_map(site, scores, prices, moved, names, quality).get(site.us)
        return pos.rank if pos is not None else None

    here = value_map(site, scores, prices, scenario, names, quality).get(site.us)
    if here is None:
        return ()
    model = weight_model(site, scores, prices, scenario, names, quality)

    def rank_at(dimension: str, share: float) -> int | None:
        return _rank_in_model(model, site.method, moved_weights(scenario.weights, dimension, share), site.us)

    out = []
    for d in scenario.weights:
        w = scenario.weights[d]
        ends = []
        for direction, limit in ((-1, 0.0), (1, 1.0)):
            inside, past = w, None
            while inside != limit:
                nxt = max(inside - step, limit) if direction < 0 else min(inside + step, limit)
                if rank_at(d, nxt) != here.rank:
                    past = nxt
                    break
                inside = nxt
            if past is None:  # held to the end: value_map confirms it (one map per end, whatever the market)
                at_limit = full_rank(d, limit)
                ends.append((limit, None) if at_limit == here.rank else (limit, at_limit))
                continue
            while abs(past - inside) > precision:  # the rank holds at ``inside`` and not at ``past``
                mid = (inside + past) / 2
                if rank_at(d, mid) == here.rank:
                    inside = mid
                else:
                    past = mid
            ends.append((past, full_rank(d, past)))
        (low, below), (high, above) = ends
        out.append(Sensitivity(d, w, here.rank, low, high, below, above))
    return tuple(out)
