"""Market-wide pages: overview, competitor list, strategy canvas, segments."""
from __future__ import annotations

import posixpath

from .. import charts
from ..links import rebase_links
from ..plan import PlannedPage, list_page_slice
from ..score import median
from ..text import inline_markdown, markdown
from .history import home_link, map_trails
from .common import (Links, SiteContext, asked, categories, cell, chart_block, dimension_status, headline, method_note,
                     plotted_score, point_number, reference_label, shown_score, table, tone, value_for_money,
                     weights_table, zone_label, zone_tone)
from .frame import base
from .rankings import (OVERVIEW_ROWS, gaps_in, heat_map, overview_selection, ranking_more, ranking_selection,
                       ranking_summary, ranking_table, value_map_block)


def home_view(ctx: SiteContext, page: PlannedPage) -> dict:
    t, site = ctx.t, ctx.site
    links = Links(ctx, page)
    vmap = ctx.scores.overall
    view = base(ctx, page, site.title, site.tagline)
    view["market"] = site.market
    view["tagline"] = site.tagline
    view["reference"] = reference_label(ctx, vmap.scenario.reference, short=False)
    view["method_note"] = method_note(ctx, vmap)
    view["headline"] = headline(ctx, vmap)
    view["value_map"] = value_map_block(ctx, vmap, links, "value-map", trails=map_trails(ctx))
    only = ranking_selection(ctx, vmap)
    view["ranking"] = ranking_summary(ctx, vmap, links, t("table.ranking_caption"), only)
    view["ranking_more"] = ranking_more(ctx, vmap, links, only)
    view["heat_map"] = heat_map(ctx, vmap, links, only)
    view["history"] = home_link(ctx, links)  # "What changed since <date>" (content/history/)
    view["charts"] = [view["value_map"]]
    view["weights"] = weights_table(ctx, vmap.scenario.weights, t("table.weights_caption"), links)
    segments = []
    for seg in site.segments:
        smap = ctx.scores.segments[seg.id]
        us = smap.get(site.us)
        segments.append([cell(seg.label, links.page_of("segment", seg.id)),
                         cell(reference_label(ctx, smap.scenario.reference)),
                         cell(t("fig.rank_value", rank=us.rank, count=len(smap.positions)) if us else "—"),
                         cell(ctx.fmt.money(us.justified_price) if us else "—"),
                         cell(ctx.fmt.signed_money(us.headroom) if us else "—", tone=tone(us.headroom) if us else "")])
    view["segments"] = table(t("table.segments_caption"),
                             [(t("col.segment"), False), (t("col.reference"), False), (t("col.our_rank"), True),
                              (t("col.justified_price"), True), (t("col.headroom"), True)], segments) if segments else None
    return view


def competitors_view(ctx: SiteContext, page: PlannedPage) -> dict:
    """Every competitor as a card, in rank order (those not on the map last), then the ranking. A very large
    market's list is split over pages of :data:`generator.plan.LIST_PAGE_SIZE` competitors (``page.key``:
    the page's number, "" for the first): each page's cards, and its tables list those companies and us."""
    t = ctx.t
    links = Links(ctx, page)
    vmap = ctx.scores.overall
    listed = ([(p.slug, p) for p in vmap.positions if not p.is_us]
              + [(u.slug, None) for u in vmap.unplaced if not u.is_us])
    pages = ctx.plan.of_kind("competitors")
    number = int(page.key or 1)
    part = list_page_slice(number)
    chunk, first = listed[part], part.start
    title = (t("competitors.title") if len(pages) == 1
             else t("competitors.title_page", page=number, pages=len(pages)))
    view = base(ctx, page, title, t("competitors.intro"))
    unplaced = {u.slug: u for u in vmap.unplaced}
    written_in = posixpath.dirname(posixpath.dirname(page.path))  # competitors/ (under <lang>/ in a language's site)
    cards = []
    for slug, p in chunk:
        company = ctx.content.companies[slug]
        summary = ctx.as_written(inline_markdown(company.summary.split("\n\n")[0]), inline=True,
                                 field=(f"company:{slug}", ("summary",))) if company.summary else ""
        if number > 1:  # competitors/page/N.html: a folder deeper than the summary's links were written from
            summary = rebase_links(summary, written_in, posixpath.dirname(page.path))
        if p is not None:
            cards.append({"name": company.name, "href": links.company(slug), "summary": summary,
                          "zone": zone_label(t, p.zone), "tone": zone_tone(p.zone),
                          "facts": t("competitors.facts", rank=p.rank, price=asked(ctx, p),
                                     value=value_for_money(ctx, p.customer_value),
                                     justified=ctx.fmt.money(p.justified_price))})
        else:
            cards.append({"name": company.name, "href": links.company(slug), "summary": summary,
                          "zone": t("unplaced.short"), "tone": "", "facts": t(f"unplaced.{unplaced[slug].reason}")})
    view["cards"] = cards
    only = None if len(pages) == 1 else {slug for slug, _ in chunk} | {ctx.site.us}
    view["ranking"] = ranking_summary(ctx, vmap, links, t("table.ranking_caption"), only)
    view["ranking_all"] = ranking_table(ctx, vmap, links, t("table.value_map_caption"), only)
    view["pager"] = None if len(pages) == 1 else {
        "label": t("competitors.pages"),
        "showing": t("competitors.showing", first=first + 1, last=first + len(chunk), count=len(listed)),
        "items": [{"number": k, "href": links.to(target.path), "current": k == number}
                  for k, target in enumerate(pages, start=1)],
        "previous": links.to(pages[number - 2].path) if number > 1 else None,
        "next": links.to(pages[number].path) if number < len(pages) else None}
    return view


def canvas_view(ctx: SiteContext, page: PlannedPage) -> dict:
    t, site = ctx.t, ctx.site
    links = Links(ctx, page)
    view = base(ctx, page, t("canvas.title"), t("canvas.intro"))
    vmap = ctx.scores.overall
    order = [p.slug for p in vmap.positions] + [u.slug for u in vmap.unplaced]
    # The rival the canvas sets against us (the others drawn as grey context): the competitor ranked next to
    # us on the overall map, the one just above first (else the best ranked).
    at = vmap.order(site.us)
    ranked = [p.slug for p in vmap.positions]
    rival = next((ranked[i] for i in ((at - 1, at + 1) if at is not None else (0, 1)) if 0 <= i < len(ranked)
                  and ranked[i] != site.us), None)
    selected = len(order) > OVERVIEW_ROWS  # a large market: a selection and the median (see OVERVIEW_ROWS)
    drawn = overview_selection(order, site.us, (rival,)) if selected else order
    view["selection"] = t("canvas.selection", count=len(order)) if selected else ""
    scale = (site.scale.min, site.scale.max)
    dims = [("", d.label) for d in site.dimensions]
    fmt = ctx.fmt
    on_scale = {d.id: d.input != "relative" for d in site.dimensions}
    median_name = t("canvas.median")

    def dim_value(s: str, d: str) -> float | None:
        return ctx.scores.companies[s].value(d) if on_scale[d] else None

    series = [{"name": ctx.name(s), "is_us": s == site.us, "rival": s == rival,
               "values": [dim_value(s, d.id) for d in site.dimensions],
               "labels": [fmt.number(ctx.scores.companies[s].value(d.id)) for d in site.dimensions]} for s in drawn]
    rows = [[cell(ctx.name(s), links.company(s), strong=s == site.us)] +
            [cell(fmt.number(ctx.scores.companies[s].value(d.id)), status=dimension_status(ctx, s, d.id))
             for d in site.dimensions] for s in drawn]
    if selected:
        medians = [median(ctx.scores.companies[s].value(d.id) for s in order) for d in site.dimensions]
        series.append({"name": median_name, "is_us": False, "median": True,
                       "values": [v if on_scale[d.id] else None for v, d in zip(medians, site.dimensions)],
                       "labels": [fmt.number(v) for v in medians]})
        rows.append([cell(median_name)] + [cell(fmt.number(v)) for v in medians])
    label, caption = ("_drawn", "_drawn") if selected else ("", "")
    view["dimensions_chart"] = chart_block(
        "canvas-dimensions", charts.value_curves_figure(dims, series, t, scale, 460), t("chart.canvas_label" + label),
        table(t("table.canvas_caption" + caption), [(t("col.company"), False)] + [(d.label, True) for d in site.dimensions],
              rows, [s == site.us for s in drawn] + ([False] if selected else []),
              gaps_in(order, drawn) + [True] if selected else None))
    cats = categories(site, t)
    crit_series = [{"name": ctx.name(s), "is_us": s == site.us, "rival": s == rival,
                    "values": [plotted_score(ctx, s, d, c) for _, _, d, c in cats],
                    "labels": [shown_score(ctx, s, d, c) for _, _, d, c in cats]} for s in drawn]
    crit_rows = [[cell(dl), cell(cl)] + [cell(shown_score(ctx, s, d, c)) for s in drawn]
                 for dl, cl, d, c in cats]
    columns = [(ctx.name(s), True) for s in drawn]
    if selected:
        crit_medians = [median(ctx.scores.companies[s].point(d, c).value for s in order) for _, _, d, c in cats]
        crit_series.append({"name": median_name, "is_us": False, "median": True,
                            "values": [v if ctx.points[(d, c)].on_scale else None
                                       for v, (_, _, d, c) in zip(crit_medians, cats)],
                            "labels": [point_number(ctx, (d, c), v) for v, (_, _, d, c) in zip(crit_medians, cats)]})
        for row, v, (_, _, d, c) in zip(crit_rows, crit_medians, cats):
            row.append(cell(point_number(ctx, (d, c), v)))
        columns.append((median_name, True))
    view["criteria_chart"] = chart_block(
        "canvas-criteria", charts.value_curves_figure([(dl, cl) for dl, cl, _, _ in cats], crit_series, t, scale, 520),
        t("chart.canvas_criteria_label" + label),
        table(t("table.canvas_criteria_caption" + caption), [(t("col.dimension"), False), (t("col.criterion"), False)]
              + columns, crit_rows))
    view["charts"] = [view["dimensions_chart"], view["criteria_chart"]]
    return view




def segments_view(ctx: SiteContext, page: PlannedPage) -> dict:
    t, site = ctx.t, ctx.site
    links = Links(ctx, page)
    view = base(ctx, page, t("segments.title"), t("segments.intro"))
    items = []
    for seg in site.segments:
        smap = ctx.scores.segments[seg.id]
        us = smap.get(site.us)
        items.append({"label": seg.label, "href": links.page_of("segment", seg.id), "description": markdown(seg.description),
                      "reference": reference_label(ctx, smap.scenario.reference),
                      "facts": t("segments.facts", rank=us.rank, count=len(smap.positions),
                                 headroom=ctx.fmt.signed_money(us.headroom)) if us else t("unplaced.short")})
    view["entries"] = items
    return view


def segment_view(ctx: SiteContext, page: PlannedPage) -> dict:
    t, site = ctx.t, ctx.site
    links = Links(ctx, page)
    seg = next(s for s in site.segments if s.id == page.key)
    vmap = ctx.scores.segments[seg.id]
    view = base(ctx, page, seg.label, t("segment.description", label=seg.label))
    view["description"] = markdown(seg.description)
    view["reference"] = reference_label(ctx, vmap.scenario.reference, short=False)
    view["method_note"] = method_note(ctx, vmap)
    view["headline"] = headline(ctx, vmap)
    view["value_map"] = value_map_block(ctx, vmap, links, "value-map")
    only = ranking_selection(ctx, vmap)
    view["ranking"] = ranking_summary(ctx, vmap, links, t("table.ranking_caption"), only)
    view["ranking_more"] = ranking_more(ctx, vmap, links, only)
    view["charts"] = [view["value_map"]]
    view["weights"] = weights_table(ctx, vmap.scenario.weights, t.html("table.segment_weights_caption", label=seg.label), links)
    return view


