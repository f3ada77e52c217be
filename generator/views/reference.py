"""Reference pages: dimensions, methodology, narrative pages, 404."""
from __future__ import annotations

from .. import charts
from ..plan import PlannedPage
from ..text import markdown, num, percent
from .common import (Links, SiteContext, base, cell, chart_block, criterion_value, method_note, table, weights_table)


def dimensions_view(ctx: SiteContext, page: PlannedPage) -> dict:
    t, site = ctx.t, ctx.site
    links = Links(ctx, page)
    view = base(ctx, page, t("dimensions.title"), t("dimensions.intro"))
    weights = ctx.scores.overall.scenario.weights
    view["entries"] = [{"label": d.label, "href": links.page_of("dimension", d.id), "description": markdown(d.description),
                      "weight": percent(100 * weights[d.id], 0, sign=False), "criteria": len(d.criteria)}
                     for d in site.dimensions]
    return view


def dimension_view(ctx: SiteContext, page: PlannedPage) -> dict:
    t, site = ctx.t, ctx.site
    links = Links(ctx, page)
    dim = next(d for d in site.dimensions if d.id == page.key)
    view = base(ctx, page, dim.label, t("dimension.description", label=dim.label))
    view["description"] = markdown(dim.description)
    order = sorted(ctx.scores.companies, key=lambda s: (-ctx.scores.companies[s].value(dim.id), ctx.name(s)))
    scale = (site.scale.min, site.scale.max)
    figure = charts.bars_figure([ctx.name(s) for s in order], [ctx.scores.companies[s].value(dim.id) for s in order],
                                [s == site.us for s in order], t, t("chart.score_axis"), scale)
    crit_cols = [(c.label, True) for c in dim.criteria]
    rows = [[cell(ctx.name(s), links.company(s), strong=s == site.us), cell(num(ctx.scores.companies[s].value(dim.id)))] +
            [cell(num(criterion_value(ctx, s, dim.id, c.id))) for c in dim.criteria] for s in order]
    view["scores"] = chart_block("dimension-scores", figure, t("chart.dimension_label", label=dim.label),
                                 table(t("table.dimension_caption", label=dim.label),
                                       [(t("col.company"), False), (t("col.score"), True)] + crit_cols, rows,
                                       [s == site.us for s in order]))
    view["charts"] = [view["scores"]]
    cw = {c.id: c.weight for c in dim.criteria}
    total = sum(cw.values()) or 1.0
    view["criteria"] = [{"label": c.label, "description": markdown(c.description),
                         "weight": percent(100 * c.weight / total, 0, sign=False)} for c in dim.criteria]
    weight_rows = [[cell(t("segment.overall"), links.page_of("home")),
                    cell(percent(100 * ctx.scores.overall.scenario.weights[dim.id], 0, sign=False))]]
    weight_rows += [[cell(s.label, links.page_of("segment", s.id)),
                     cell(percent(100 * ctx.scores.segments[s.id].scenario.weights[dim.id], 0, sign=False))]
                    for s in site.segments]
    view["weights"] = table(t("table.dimension_weights_caption", label=dim.label),
                            [(t("col.segment"), False), (t("col.weight"), True)], weight_rows)
    return view




def methodology_view(ctx: SiteContext, page: PlannedPage) -> dict:
    t, site = ctx.t, ctx.site
    links = Links(ctx, page)
    view = base(ctx, page, t("methodology.title"), t("methodology.intro"))
    vmap = ctx.scores.overall
    view["method_note"] = method_note(ctx, vmap)
    view["scale"] = f"{num(site.scale.min, 0)}–{num(site.scale.max, 0)}"
    view["comparison"] = t(f"method.comparison.{site.method.comparison}")
    view["line_method"] = site.method.fair_value_line
    view["line"] = t(f"method.line.{vmap.line.method}", slope=num(vmap.line.slope, 2), intercept=num(vmap.line.intercept, 1))
    view["band"] = num(site.method.fair_value_band, 1)
    view["weights"] = weights_table(ctx, vmap.scenario.weights, t("table.weights_caption"), links)
    rows = []
    for d in site.dimensions:
        total = sum(c.weight for c in d.criteria) or 1.0
        for c in d.criteria:
            rows.append([cell(d.label, links.page_of("dimension", d.id)), cell(c.label),
                         cell(percent(100 * c.weight / total, 0, sign=False))])
    view["criteria"] = table(t("table.criteria_caption"), [(t("col.dimension"), False), (t("col.criterion"), False),
                                                           (t("col.weight_in_dimension"), True)], rows)
    view["sources"] = table(t("table.sources_caption"),
                            [(t("col.source"), False), (t("col.independent"), False), (t("col.source_weight"), True)],
                            [[cell(k.label), cell(t("yes") if k.independent else t("no_gameable")), cell(num(k.weight, 2))]
                             for k in site.source_kinds])
    return view


def narrative_view(ctx: SiteContext, page: PlannedPage) -> dict:
    narrative = ctx.content.pages[page.key]
    view = base(ctx, page, narrative.meta.title, narrative.meta.description)
    view["body"] = markdown(narrative.body)
    return view


def not_found_view(ctx: SiteContext, page: PlannedPage) -> dict:
    view = base(ctx, page, ctx.t("notfound.title"), ctx.t("notfound.text"))
    return view


