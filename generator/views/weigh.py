"""Weigh it yourself: a visitor moves the dimension weights and the overall map recomputes in the browser.

The page's data block holds only what the external pages already show (names, prices, relative prices, the
comparison-average prices) and, per company and dimension, the partial sums of the per-point ratios from
:func:`generator.weighting.weight_model`; ``templates/assets/weigh.js`` does the weighted sums, the fair-value
line, distances, justified prices, zones and the ranking exactly as :func:`generator.score.value_map` does.
Without JavaScript the page shows the published weights' ranking and says the sliders need JavaScript.
"""
from __future__ import annotations

import math

from dataclasses import replace

import orjson

from .. import value_map_chart
from .. import score as sc
from .. import weighting
from ..quotes import quotes_at
from ..plan import PlannedPage
from ..verify import STATUSES
from .common import Links, SiteContext, cell, headline, map_numbers, method_note, reference_label, table, unplaced_notes
from .frame import base
from . import rankings
from .rankings import gaps_in, ranking_cells, selection_note, table_selection


def _json(data: object) -> str:
    """JSON for a ``<script type="application/json">`` block: "</script>" and "<!--" cannot close it."""
    text = orjson.dumps(data).decode()
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _ranking(ctx: SiteContext, vmap: sc.ValueMap, links: Links, only: set[str] | None) -> dict:
    """The ranking the sliders recompute (the same columns and rows weigh.js fills in). ``only``: a very large
    market's selection (:func:`generator.views.rankings.table_selection`; weigh.js picks it again for the
    weights set, by the same rule)."""
    t = ctx.t
    rows, ours = [], []
    listed = [p for p in vmap.positions if only is None or p.slug in only]
    for p in listed:
        rows.append(ranking_cells(ctx, p, links))
        ours.append(p.is_us)
    ranked = {"distance": 4, "ratio": 5}[vmap.rank_by]
    labels = ["col.rank", "col.company", "col.relative_quality", "col.relative_price", "col.customer_value",
              "col.ratio", "col.price", "col.justified_price", "col.headroom", "col.zone"]
    numeric = [True, False, True, True, True, True, True, True, True, False]
    columns = [(t(k), n) for k, n in zip(labels, numeric)]
    gaps = gaps_in([p.slug for p in vmap.positions], [p.slug for p in listed]) if only is not None else None
    return table(t("weigh.caption"), columns, rows, ours, gaps, sorted_by=ranked)


SUMS_DIGITS = 15  # significant digits of a partial sum (see _sum)
EXACT_FROM = 1e4  # a sum this large keeps every digit (see _sum)


def _sum(value: float) -> float:
    """A partial sum as the block carries it. A full double costs ~9 bytes gzipped (a 5,000-company market's sums
    were 177 KB of the page). To 15 significant digits its error is at most 5e-15 of it (weigh.js' compensated
    sums stay within an ulp, ~1e-16, of math.fsum), so the browser's figures and ranking still equal the
    server's: a figure shows 1 decimal, and the ranking compares keys rounded to 9 (score.rank_key) — two
    companies exactly tied on distance fall on either side of a rounding step about once in a thousand ties
    (with 13 digits: one in ten). Sums of 10⁴ and more (the method allows ratios up to ~10¹²,
    docs/security.md) keep every digit: their error would reach a shown decimal."""
    return value if abs(value) >= EXACT_FROM else float(f"{value:.{SUMS_DIGITS}g}")


def derived_slug(name: str) -> str | None:
    """The slug weigh.js derives from a name when the page leaves it out: lower case, spaces as hyphens —
    ASCII names only, where Python's and JavaScript's lower case agree."""
    return name.lower().replace(" ", "-") if name.isascii() else None


def _companies(model: weighting.WeightModel, links: Links, price_status: dict, estimated: set) -> dict:
    """The companies as weigh.js reads them: one list per field, in ranking tie-break order (the list's
    index is the order), only what the script cannot work out. At 5,000 companies the block was 290 KB gzipped
    as one object per company (each field's name again, an order the list already has, slugs the names give,
    17-digit sums); as columns with 15-digit sums, ~195 KB."""
    listed = sorted(model.companies, key=lambda c: c.order)
    dims = model.dimensions
    hrefs = {}
    for i, c in enumerate(listed):
        href = links.company(c.slug)
        if href != f"competitors/{c.slug}.html":  # weigh.js links there unless told otherwise
            hrefs[str(i)] = href
    return {
        "name": [c.name for c in listed],
        # null: the slug is the name in lower case, spaces as hyphens (derived_slug)
        "slug": [None if derived_slug(c.name) == c.slug else c.slug for c in listed],
        "price": [c.price for c in listed],
        "price_status": [price_status.get(c.slug) for c in listed],
        "estimate": [i for i, c in enumerate(listed) if c.slug in estimated],  # "≈€72": our estimate of a quote
        # per dimension, one value per company
        "sums": [[_sum(c.sums[d]) for c in listed] for d in dims],
        "known": [[c.known[d] for c in listed] for d in dims],
        "href": hrefs,
        "us": next((i for i, c in enumerate(listed) if c.is_us), None),
    }


def _held(fmt, s: weighting.Sensitivity) -> dict[str, str]:
    """The range a rank holds over, as shares a reader can check: the rank changes *at* an end that is not 0%
    or 100% (``s.low``, ``s.high``: the first share where it does), so each such end is shown rounded inwards —
    "from 6%", not "from 5%" for 5.03%, where the slider at 5% shows another rank. A range narrower than the
    whole percents around it gets one decimal."""
    for decimals in (0, 1, 2):
        scale = 10 ** decimals
        low = s.low * 100 if s.below is None and s.low <= 0.0 else (math.floor(s.low * 100 * scale) + 1) / scale
        high = s.high * 100 if s.above is None and s.high >= 1.0 else (math.ceil(s.high * 100 * scale) - 1) / scale
        if low <= high:
            break
    else:  # narrower than a hundredth of a percent: the range as found, never backwards
        low, high, decimals = s.low * 100, max(s.low, s.high) * 100, 3
    return {"low": fmt.percent(low, decimals, sign=False), "high": fmt.percent(high, decimals, sign=False)}


def _sensitivity(ctx: SiteContext, found: tuple[weighting.Sensitivity, ...], shares: dict) -> dict | None:
    """``shares``: each dimension's weight as the sliders show it (:meth:`Formatter.shares`)."""
    t, fmt = ctx.t, ctx.fmt
    if not found:
        return None
    label = {d.id: d.label for d in ctx.site.dimensions}
    rows = []
    for s in found:
        rows.append([
            cell(label[s.dimension]), cell(shares[s.dimension]),
            cell(t("weigh.holds", dimension=label[s.dimension], **_held(fmt, s))),
            cell(t("weigh.moves_down", rank=s.below) if s.below is not None else
                 t("weigh.never_moves") if s.low <= 0.0 else t("weigh.unplaced")),
            cell(t("weigh.moves_up", rank=s.above) if s.above is not None else
                 t("weigh.never_moves") if s.high >= 1.0 else t("weigh.unplaced")),
        ])
    return table(t("weigh.sensitivity_caption", rank=found[0].rank),
                 [(t("col.dimension"), False), (t("weigh.col.weight"), True), (t("weigh.col.holds"), False),
                  (t("weigh.col.below"), False), (t("weigh.col.above"), False)], rows)


def weigh_view(ctx: SiteContext, page: PlannedPage) -> dict:
    t, site, fmt = ctx.t, ctx.site, ctx.fmt
    links = Links(ctx, page)
    vmap = ctx.scores.overall
    scenario = vmap.scenario
    companies = ctx.content.companies
    names = {s: c.name for s, c in companies.items()}
    quotes = quotes_at(companies, site, scenario.reference, ctx.scores.audience, ctx.scores.today)
    quality = sc.quality_of(site, ctx.scores)  # every map below weighs the same ratios
    model = weighting.weight_model(site, ctx.scores.companies, quotes, scenario, names, quality)
    found = weighting.sensitivity(site, ctx.scores.companies, scenario, quotes, names, quality=quality)

    view = base(ctx, page, t("weigh.title"), t("weigh.intro"))
    view["reference"] = reference_label(ctx, scenario.reference, short=False)
    view["method_note"] = method_note(ctx, vmap)
    view["headline"] = headline(ctx, vmap)[:3]  # rank, justified price, headroom: what the sliders move
    only = table_selection(ctx, vmap)
    view["ranking"] = _ranking(ctx, vmap, links, only)
    view["ranking_note"] = selection_note(ctx, vmap, links, only)
    view["unplaced"] = [u for u in unplaced_notes(ctx, vmap, links)]
    shares = fmt.shares(scenario.weights)
    view["sensitivity"] = _sensitivity(ctx, found, shares)
    view["sliders"] = [{"id": d.id, "label": d.label, "value": round(100.0 * scenario.weights[d.id], 6),
                        "share": shares[d.id]} for d in site.dimensions]
    # The figure's frame only (zones, line, styles, hover): weigh.js places the points for the weights set, so
    # no labels are placed here (place_labels' work stays with the maps the other pages draw).
    figure = value_map_chart.value_map_figure(replace(vmap, positions=()), names, t, lambda p: map_numbers(ctx, p))
    price_status = {p.slug: p.price_status for p in vmap.positions}
    estimated = {p.slug for p in vmap.positions if p.quote.estimated}
    data = {
        "lang": site.lang, "currency": site.currency, "price_decimals": fmt.price_decimals,
        "dimensions": [{"id": d.id, "label": d.label, "weight": scenario.weights[d.id]} for d in site.dimensions],
        "method": {"line": site.method.fair_value_line, "slope": site.method.slope,
                   "band": site.method.fair_value_band, "rank_by": site.method.rank_by},
        # Each company's comparison-average and relative price follow from its price and these, in weigh.js,
        # by the same operations as quality.comparison_average and weighting.weight_model (the same doubles).
        "prices": {"total": model.price_total, "count": model.price_count, "comparison": site.method.comparison},
        # the table a very large market lists: its selection's size and how many of the top it keeps
        # (read from the module when the page is made, as the server's selection reads them)
        "table": {"rows": rankings.OVERVIEW_ROWS, "top": rankings.TOP_ROWS} if only is not None else None,
        "companies": _companies(model, links, price_status, estimated),
        "strings": {"rank_value": t("fig.rank_value", rank="{rank}", count="{count}"),
                    "headroom_detail": t("fig.headroom_detail", pct="{pct}"),
                    "free": t("ratio.free"), "unplaced": t("weigh.we_unplaced"),
                    "zone": {z: t(f"zone.{z}") for z in ("better", "worse", "fair")},
                    "all_zero": t("weigh.all_zero"),
                    # a price's status mark, as the macro status_mark draws it (the price does not move
                    # with the weights; its mark goes with it)
                    "status": {st: t(f"status.{st}") for st in STATUSES}},
    }
    # The block is the map's plotly figure (as every chart block on the site) with the model beside it.
    view["data"] = _json({"data": figure["data"], "layout": figure["layout"], "weigh": data})
    view["map_label"] = t("chart.value_map_label", count=len(vmap.positions))
    view["charts"] = [{"id": "weigh-map"}]  # base.html loads plotly.js for a page with charts
    return view
