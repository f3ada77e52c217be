"""The market's rankings: a value map with its ranking table, the full ranking, a reader's summary of it, the
heat map of why companies sit where they do — and, for a large market, the selection an overview shows instead
of every company.

Past :data:`OVERVIEW_ROWS` companies an overview (the strategy canvas, the home and segment pages' ranking
and heat map, a dimension's chart and table) shows us, the top or the rival and the companies ranked nearest
to us, with the market's median, says so, and marks where companies were left out (:func:`gaps_in`); every
company stays on the map, in the table under it and on the competitor list.
"""
from __future__ import annotations

from typing import Sequence

from ..score import Position, ValueMap, median
from .. import value_map_chart
from .common import (Links, SiteContext, asked, cell, chart_block, dimension_status, map_as_of, map_backed, map_numbers,
                     map_range, table, tone, unplaced_notes, value_for_money, zone_label, zone_tone)


def gaps_in(order: Sequence[str], shown: Sequence[str]) -> list[bool]:
    """Per slug of ``shown`` (a selection of ``order``, in its order): whether companies were left out just
    before it."""
    at = {slug: i for i, slug in enumerate(order)}
    out, last = [], -1
    for slug in shown:
        out.append(at[slug] != last + 1)
        last = at[slug]
    return out


def ranking_cells(ctx: SiteContext, p: Position, links: Links) -> list[dict]:
    """A position's ten cells in a ranking: rank, company, RQ, RP, customer value, ratio, price (with its
    status), justified price, headroom, zone. The map's ranking and the weigh page's (which weigh.js refills
    in the same columns) both start from these."""
    t, fmt = ctx.t, ctx.fmt
    return [
        cell(ctx.fmt.whole(p.rank)), cell(ctx.name(p.slug), links.company(p.slug), strong=p.is_us),
        cell(fmt.number(p.relative_quality)), cell(fmt.number(p.relative_price)),
        cell(value_for_money(ctx, p.customer_value), tone=tone(p.customer_value)),
        cell(fmt.ratio(p.ratio) if p.ratio is not None else t("ratio.free")),
        cell(asked(ctx, p), status=p.price_status), cell(fmt.money(p.justified_price)),
        cell(f"{fmt.signed_money(p.headroom)} ({fmt.percent(p.headroom_pct)})", tone=tone(p.headroom)),
        cell(zone_label(t, p.zone), tone=zone_tone(p.zone)),
    ]


def ranking_table(ctx: SiteContext, vmap: ValueMap, links: Links, caption: str, only: set[str] | None = None
                  ) -> dict:
    """The ranking: distance and ratio side by side (the one ranked by is marked), prices, zone, coverage.
    ``only``: the companies to list (a very large market's map, see :func:`table_selection`); the rows that
    follow companies left out are marked."""
    t, fmt = ctx.t, ctx.fmt
    partial = any(p.partial for p in vmap.positions)
    rows, ours = [], []
    listed = [p for p in vmap.positions if only is None or p.slug in only]
    for p in listed:
        row = ranking_cells(ctx, p, links)
        row.append(cell(fmt.share(p.coverage), tone="partial" if p.coverage < 1.0 - 1e-9 else ""))
        if partial:
            row.append(cell(fmt.share(p.known), tone="" if not p.partial else "partial"))
        rows.append(row)
        ours.append(p.is_us)
    ranked = {"distance": "col.customer_value", "ratio": "col.ratio"}[vmap.rank_by]
    columns = [(t("col.rank"), True), (t("col.company"), False), (t("col.relative_quality"), True),
               (t("col.relative_price"), True), (t("col.customer_value"), True), (t("col.ratio"), True),
               (t("col.price"), True), (t("col.justified_price"), True), (t("col.headroom"), True),
               (t("col.zone"), False)]
    sorted_by = {"col.customer_value": 4, "col.ratio": 5}[ranked]
    columns.append((t("col.backed"), True))
    if partial:  # only when some company lacks a score: the share of the quality weight whose score is known
        columns.append((t("col.known"), True))
    gaps = gaps_in([p.slug for p in vmap.positions], [p.slug for p in listed]) if only is not None else None
    return table(caption, columns, rows, ours, gaps, sorted_by=sorted_by)


OVERVIEW_ROWS = 12
"""The most companies an overview picks out (the strategy canvas's curves, the rows of the home and segment
pages' ranking and heat map). A larger market's overview shows us, the top or the rival and the companies
ranked nearest to us, and says so: past a dozen lines a canvas is grey noise, and rows for every company on
every overview made those pages grow with the market (1,000 companies: a 4 MB home page, a 9 MB canvas).
Every company stays on the map, in the table under it and on the competitor list."""
TOP_ROWS = 3  # a large market's ranking and heat map also show who leads

FULL_TABLE_ROWS = 1_000
"""The most companies the table under a map lists (home, a segment, a prospect's page). A map of more lists the
overview's selection (:func:`ranking_selection`) and links to the competitor list, which lists every company
with every measure: 5,000 rows under each map made those pages 4 MB each (186 KB gzipped, a third of what a
page may weigh with its charts). Every company stays on the map itself, its numbers in the hover."""


def table_selection(ctx: SiteContext, vmap: ValueMap, keep: Sequence[str] = ()) -> set[str] | None:
    """The companies the table under ``vmap`` lists: None (every one) up to :data:`FULL_TABLE_ROWS`, else
    the ranking's selection and ``keep`` (a prospect's page: the companies the prospect evaluates)."""
    if len(vmap.positions) + len(vmap.unplaced) <= FULL_TABLE_ROWS:
        return None
    return ranking_selection(ctx, vmap, keep)


def selection_note(ctx: SiteContext, vmap: ValueMap, links: Links, only: set[str] | None, text: str = ""
                   ) -> dict | None:
    """The sentence under a table that lists a very large market's selection, with the link to the competitor
    list (None when the table lists every company). ``text``: a sentence of the caller's own (a prospect's)."""
    if only is None:
        return None
    count = len(vmap.positions) + len(vmap.unplaced)
    return {"text": text or ctx.t("table.selection" if vmap is ctx.scores.overall else "table.selection_map",
                                  count=count),
            "href": links.page_of("competitors"), "link": ctx.t("ranking.all_link")}


def overview_selection(ranked: list[str], us: str, keep: Sequence[str | None] = (), limit: int = OVERVIEW_ROWS
                       ) -> list[str]:
    """Up to ``limit`` slugs of ``ranked`` (a map's order): us, ``keep``, then the companies ranked nearest to
    us (the one above first at equal distance); in the map's order. From the top when we are not ranked."""
    at = ranked.index(us) if us in ranked else 0
    chosen = {s for s in (us, *keep) if s in ranked}
    for i in sorted(range(len(ranked)), key=lambda i: (abs(i - at), i)):
        if len(chosen) >= limit:
            break
        chosen.add(ranked[i])
    return [s for s in ranked if s in chosen]


def ranking_selection(ctx: SiteContext, vmap: ValueMap, keep: Sequence[str] = ()) -> set[str] | None:
    """The companies a map's ranking card and heat map show: None (every one) up to OVERVIEW_ROWS companies;
    else the top TOP_ROWS, ``keep`` and those ranked nearest to us."""
    if len(vmap.positions) + len(vmap.unplaced) <= OVERVIEW_ROWS:
        return None
    ranked = [p.slug for p in vmap.positions]
    return set(overview_selection(ranked, ctx.site.us, [*ranked[:TOP_ROWS], *keep], OVERVIEW_ROWS))


def ranking_more(ctx: SiteContext, vmap: ValueMap, links: Links, only: set[str] | None) -> dict:
    """What follows a ranking card's table: every measure of every company behind "details" (``full``: the
    map's table), or — a large market's selection — a note saying what is shown, and the competitor list."""
    if only is None:
        return {"full": True, "note": "", "href": None}
    count = len(vmap.positions) + len(vmap.unplaced)
    # past FULL_TABLE_ROWS there is no full table under the map; the competitor list ranks on the overall map only
    key = ("ranking.selection" if count <= FULL_TABLE_ROWS else
           "ranking.selection_listed" if vmap is ctx.scores.overall else "ranking.selection_map_listed")
    return {"full": False, "note": ctx.t(key, count=count), "href": links.page_of("competitors")}


def ranking_summary(ctx: SiteContext, vmap: ValueMap, links: Links, caption: str, only: set[str] | None = None
                    ) -> dict:
    """The ranking as a reader scans it (docs/design.md, "One headline per page"): the one measure it is ranked
    by, the verdict in words, the price and the price its quality justifies, and how much evidence backs it. The
    other measures (relative quality and price, quality ÷ price, headroom) are in :func:`ranking_table`, behind
    "details". Its cells are the same strings as that table's."""
    t, fmt = ctx.t, ctx.fmt
    rows = []
    shown = [p for p in vmap.positions if only is None or p.slug in only]
    for p in shown:
        measure = (cell(value_for_money(ctx, p.customer_value), tone=tone(p.customer_value)) if vmap.rank_by == "distance"
                   else cell(fmt.ratio(p.ratio) if p.ratio is not None else t("ratio.free")))
        rows.append([cell(ctx.fmt.whole(p.rank)), cell(ctx.name(p.slug), links.company(p.slug), strong=p.is_us),
                     measure,
                     cell(zone_label(t, p.zone), tone=zone_tone(p.zone)),
                     cell(asked(ctx, p), status=p.price_status), cell(fmt.money(p.justified_price)),
                     cell(fmt.share(p.coverage), tone="partial" if p.coverage < 1.0 - 1e-9 else "")])
    measure_label = t("col.customer_value") if vmap.rank_by == "distance" else t("col.ratio")
    gaps = gaps_in([p.slug for p in vmap.positions], [p.slug for p in shown]) if only is not None else None
    return table(caption, [(t("col.rank"), True), (t("col.company"), False), (measure_label, True),
                           (t("col.zone"), False), (t("col.price"), True), (t("col.fair_price"), True),
                           (t("col.backed"), True)], rows, [p.is_us for p in shown], gaps, sorted_by=2)


HEAT_BINS = 5  # shades of the heat map (valuemap.css .heat-0 … .heat-4), equal slices of the scale


def heat_map(ctx: SiteContext, vmap: ValueMap, links: Links, only: set[str] | None = None) -> dict:
    """Companies (in ranking order, the unplaced last) × dimensions: each cell the dimension score as the strategy
    canvas shows it, with its status mark, shaded by the score (a class, the number stays in the cell: colour is
    never the only carrier). Headers carry the dimension's weight on this map: the "why" behind the positions."""
    t, fmt, site = ctx.t, ctx.fmt, ctx.site
    lo, hi = site.scale.min, site.scale.max
    weights = vmap.scenario.weights

    def shade(value: float | None, on_scale: bool) -> str:
        if value is None or not on_scale or hi <= lo:
            return "heat"
        step = min(HEAT_BINS - 1, max(0, int((value - lo) / (hi - lo) * HEAT_BINS)))
        return f"heat heat-{step}"

    every = [(p.slug, p) for p in vmap.positions] + [(u.slug, None) for u in vmap.unplaced]
    order = every if only is None else [(s, p) for s, p in every if s in only]
    rows = []
    for slug, p in order:
        scores = ctx.scores.companies[slug]
        row = [cell(ctx.fmt.whole(p.rank) if p else "—"),
               cell(ctx.name(slug), links.company(slug), strong=slug == site.us)]
        for d in site.dimensions:
            value = scores.value(d.id)
            row.append(cell(fmt.number(value), tone=shade(value, d.input != "relative"),
                            status=dimension_status(ctx, slug, d.id)))
        row.append(cell(value_for_money(ctx, p.customer_value) if p else t("unplaced.short"),
                        tone=tone(p.customer_value) if p else ""))
        rows.append(row)
    ours = [s == site.us for s, _ in order]
    gaps = gaps_in([s for s, _ in every], [s for s, _ in order]) if only is not None else None
    if only is not None:  # a large market's selection: and the middle of the whole market
        row = [cell(""), cell(t("canvas.median"))]
        for d in site.dimensions:
            value = median(ctx.scores.companies[s].value(d.id) for s, _ in every)
            row.append(cell(fmt.number(value), tone=shade(value, d.input != "relative")))
        value = median(p.customer_value for p in vmap.positions)
        row.append(cell(value_for_money(ctx, value), tone=tone(value)))  # as the column's other cells
        rows.append(row)
        ours.append(False)
        gaps.append(True)
    columns = ([(t("col.rank"), True), (t("col.company"), False)] +
               [(t("col.dimension_weight", label=d.label, weight=fmt.shares(weights)[d.id]), True)
                for d in site.dimensions] + [(t("col.customer_value"), True)])
    step = (hi - lo) / HEAT_BINS
    key = [{"cls": f"heat-{i}", "label": f"{fmt.number(lo + i * step)}–{fmt.number(lo + (i + 1) * step)}"}
           for i in range(HEAT_BINS)]
    return {"table": table(t("table.heatmap_caption"), columns, rows, ours, gaps),
            "selection": t("heatmap.selection", count=len(every)) if only is not None else "",
            "key": key}


def value_map_block(ctx: SiteContext, vmap: ValueMap, links: Links, chart_id: str, *, trails: tuple = (),
                    keep: Sequence[str] = (), keep_note: str = "") -> dict:
    """``trails``: ``(trails, table)`` from :func:`generator.views.history.map_trails` — past positions drawn
    on the map, and the table of their numbers shown beside the ranking. ``keep``: companies a very large
    market's table lists beside the selection, ``keep_note`` the sentence saying so (a prospect's page)."""
    t = ctx.t
    names = {s: ctx.name(s) for s in ctx.content.companies}
    figure = value_map_chart.value_map_figure(vmap, names, t, lambda p: map_numbers(ctx, p),
                                     lambda p: [map_range(ctx, p), map_backed(ctx, p)],
                                     trails=trails[0] if trails else ())
    only = table_selection(ctx, vmap, keep)
    block = chart_block(chart_id, figure, t("chart.value_map_label", count=len(vmap.positions)),
                        ranking_table(ctx, vmap, links, t("table.value_map_caption"), only))
    block["table_note"] = selection_note(ctx, vmap, links, only, keep_note)
    block["unplaced"] = unplaced_notes(ctx, vmap, links)
    block["as_of"] = map_as_of(ctx, vmap)
    block["extra_tables"] = [trails[1]] if trails else []
    return block
