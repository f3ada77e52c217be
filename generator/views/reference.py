"""Reference pages: dimensions, methodology, narrative pages, 404."""
from __future__ import annotations

import re

from .. import charts
from ..plan import PlannedPage
from ..score import median, point_weights, quality_terms
from ..formats import decimals_of
from ..text import markdown
from ..verify import STATUSES
from .common import (Links, SiteContext, cell, chart_block, method_note, point_number, shown_score, table,
                     weights_table)
from .frame import base
from .rankings import OVERVIEW_ROWS, TOP_ROWS, gaps_in, overview_selection


def dimensions_view(ctx: SiteContext, page: PlannedPage) -> dict:
    t, site = ctx.t, ctx.site
    links = Links(ctx, page)
    view = base(ctx, page, t("dimensions.title"), t("dimensions.intro"))
    shares = ctx.fmt.shares(ctx.scores.overall.scenario.weights)
    view["entries"] = [{"label": d.label, "href": links.page_of("dimension", d.id), "description": markdown(d.description),
                      "weight": shares[d.id], "criteria": len(d.criteria)}
                     for d in site.dimensions]
    return view


def dimension_view(ctx: SiteContext, page: PlannedPage) -> dict:
    t, site = ctx.t, ctx.site
    links = Links(ctx, page)
    dim = next(d for d in site.dimensions if d.id == page.key)
    view = base(ctx, page, dim.label, t("dimension.description", label=dim.label))
    view["description"] = markdown(dim.description)
    fmt = ctx.fmt
    values = {s: c.value(dim.id) for s, c in ctx.scores.companies.items()}
    order = sorted(values, key=lambda s: (values[s] is None, -(values[s] or 0.0), ctx.name(s).casefold(), s))
    scale = (site.scale.min, site.scale.max)
    every = order
    selected = len(every) > OVERVIEW_ROWS  # a large market: the top, our neighbours and the median
    if selected:
        order = overview_selection(every, site.us, every[:TOP_ROWS])
    view["selection"] = t("dimension.selection", count=len(every)) if selected else ""
    shown = [fmt.number(values[s]) for s in order]
    labels, plotted, ours = [ctx.name(s) for s in order], [values[s] for s in order], [s == site.us for s in order]
    crit_cols = [(c.label + (f" ({c.unit})" if c.unit else ""), True) for c in dim.criteria]
    rows = [[cell(ctx.name(s), links.company(s), strong=s == site.us), cell(text)] +
            [cell(shown_score(ctx, s, dim.id, c.id)) for c in dim.criteria] for s, text in zip(order, shown)]
    if selected:
        middle = median(values[s] for s in every)
        labels.append(t("canvas.median")), plotted.append(middle), ours.append(False), shown.append(fmt.number(middle))
        rows.append([cell(t("canvas.median")), cell(shown[-1])] +
                    [cell(point_number(ctx, (dim.id, c.id),
                                       median(ctx.scores.companies[s].point(dim.id, c.id).value for s in every)))
                     for c in dim.criteria])
    figure = charts.bars_figure(labels, plotted, shown, ours, t, t("chart.score_axis"), scale,
                                median=len(order) if selected else None)
    view["scores"] = chart_block("dimension-scores", figure, t("chart.dimension_label", label=dim.label),
                                 table(t.html("table.dimension_caption", label=dim.label),
                                       [(t("col.company"), False), (t("col.score"), True)] + crit_cols, rows, ours,
                                       gaps_in(every, order) + [True] if selected else None))
    view["charts"] = [view["scores"]]
    within = fmt.shares({c.id: ctx.points[(dim.id, c.id)].weight for c in dim.criteria})
    view["criteria"] = [{"label": c.label, "description": markdown(c.description), "weight": within[c.id]}
                        for c in dim.criteria]
    weight_rows = [[cell(t("segment.overall"), links.page_of("home")),
                    cell(fmt.shares(ctx.scores.overall.scenario.weights)[dim.id])]]
    weight_rows += [[cell(s.label, links.page_of("segment", s.id)),
                     cell(fmt.shares(ctx.scores.segments[s.id].scenario.weights)[dim.id])]
                    for s in site.segments]
    view["weights"] = table(t.html("table.dimension_weights_caption", label=dim.label),
                            [(t("col.segment"), False), (t("col.weight"), True)], weight_rows)
    return view




def methodology_view(ctx: SiteContext, page: PlannedPage) -> dict:
    """The method in force, in words and formulas, generated from the settings — and worked through for us."""
    t, site, fmt = ctx.t, ctx.site, ctx.fmt
    links = Links(ctx, page)
    vmap = ctx.scores.overall
    method = site.method
    view = base(ctx, page, t("methodology.title"), t("methodology.intro"))
    view["method_note"] = method_note(ctx, vmap)
    view["scale"] = f"{fmt.number(site.scale.min, 0)}–{fmt.number(site.scale.max, 0)}"
    view["comparison"] = t(f"method.comparison.{method.comparison}")
    view["quality_ratio"] = method.quality_ratio
    view["line_method"] = method.fair_value_line
    view["line"] = t(f"method.line.{vmap.line.method}", slope=fmt.number(vmap.line.slope, 2),
                     intercept=fmt.number(vmap.line.intercept, 1))
    view["line_fallback"] = t(f"method.line.fallback.{vmap.line.fallback}") if vmap.line.fallback else ""
    view["band"] = fmt.number(method.fair_value_band, 1)
    view["rank_by"] = t(f"method.rank_by.{method.rank_by}")
    view["rp_text"] = "methodology.p.rp" if site.price_reference else "methodology.p.rp_single"
    view["has_lower"] = any(p.better == "lower" for p in ctx.points.values())
    view["has_measured"] = any(p.unit for p in ctx.points.values())
    view["has_relative"] = any(p.relative for p in ctx.points.values())
    view["weights"] = weights_table(ctx, vmap.scenario.weights, t("table.weights_caption"), links)
    rows = []
    overall = fmt.shares(point_weights(site, vmap.scenario))  # scoring's: dimension weight × criterion weight
    for d in site.dimensions:
        within = fmt.shares({c.id: ctx.points[(d.id, c.id)].weight for c in d.criteria})
        for c in d.criteria:
            how = t("method.better.lower") if c.better == "lower" else t("method.better.higher")
            rows.append([cell(d.label, links.page_of("dimension", d.id)), cell(c.label),
                         cell(within[c.id]), cell(overall[(d.id, c.id)]),
                         cell(how + (f" · {c.unit}" if c.unit else ""))])
    view["criteria"] = table(t("table.criteria_caption"),
                             [(t("col.dimension"), False), (t("col.criterion"), False),
                              (t("col.weight_in_dimension"), True), (t("col.weight_overall"), True),
                              (t("col.direction"), False)], rows)
    view["sources"] = table(t("table.sources_caption"),
                            [(t("col.source"), False), (t("col.independent"), False), (t("col.source_weight"), True)],
                            [[cell(k.label), cell(t("yes") if k.independent else t("no_gameable")),
                              cell(fmt.number(k.weight, 2))] for k in site.source_kinds])
    view["example"] = worked_example(ctx, vmap)

    # How sure we are: the verification and price rules in force, with their numbers (site.yaml).
    v, pr = site.verification, site.prices

    def num(x: float) -> str:
        return fmt.number(x, decimals_of([x], cap=6))

    def pct(share: float) -> str:
        points = round(100.0 * share, 6)  # 0.15 → 15, not 15.000000000000002
        return fmt.percent(points, decimals_of([points], cap=4), sign=False)

    rule_values = dict(tolerance=num(v.tolerance), scale=view["scale"], relative=pct(v.relative_tolerance),
                       price_tolerance=pct(pr.tolerance), max_age=num(v.max_age_days),
                       price_max_age=num(pr.max_age_days))
    publish_unknown = "allowed" if v.allow_missing or v.min_status == "unknown" else "refused"
    view["sure"] = {
        "statuses": [{"status": s, "label": t(f"status.{s}"), "rule": t(f"methodology.rule.{s}", **rule_values)}
                     for s in STATUSES],
        "publish": t("methodology.p.publish", min_label=t(f"status.{v.min_status}"), min_status=v.min_status),
        "publish_unknown": t(f"methodology.p.publish_unknown.{publish_unknown}"),
        "missing": t("methodology.p.missing") if v.allow_missing else "",
        "recency": t("methodology.p.recency", half_life=num(v.half_life_days)),
        "recency_formula": t("methodology.f.recency", half_life=num(v.half_life_days)),
        "uncertainty": t("methodology.p.uncertainty", default=num(v.default_uncertainty),
                         relative=pct(v.relative_tolerance)),
        "uncertainty_formula": t("methodology.f.uncertainty", default=num(v.default_uncertainty)),
        "choose": t("methodology.p.choose", choose=t(f"methodology.choose.{pr.choose}")),
        "billing": t(f"methodology.p.billing.{pr.billing}", factor=num(pr.monthly_to_annual)),
        "rates": (t("methodology.p.rates", currency=site.currency, as_of=fmt.date(site.currencies.as_of),
                    rates="; ".join(f"1 {cur} = {num(rate)} {site.currency}"
                                    for cur, rate in sorted(site.currencies.rates.items())))
                  if site.currencies is not None and site.currencies.rates
                  else t("methodology.p.rates_none", currency=site.currency)),
        "kinds": t("methodology.p.kinds") + " " + t("methodology.p.per_account" if site.price_reference
                                                     else "methodology.p.per_account_single"),
        "disagree": t("methodology.p.disagree", tolerance=pct(pr.tolerance)),
        "unknown": t("methodology.p.unknown_place", min=num(site.scale.min), max=num(site.scale.max)),
    }
    # The content settings behind the words above, by their names in site.yaml: internal builds only.
    view["settings"] = [
        ("method.comparison", method.comparison), ("method.fair_value_line", method.fair_value_line),
        ("method.fair_value_band", num(method.fair_value_band)), ("method.rank_by", method.rank_by),
        ("method.quality_ratio", method.quality_ratio), ("verification.min_status", v.min_status),
        ("verification.allow_missing", str(v.allow_missing).lower()), ("prices.choose", pr.choose),
        ("prices.billing", pr.billing), ("price_decimals", str(site.price_decimals)),
    ] if view["internal"] else []
    return view


def worked_example(ctx: SiteContext, vmap) -> dict | None:
    """Our relative quality on the overall map, term by term: weight × ratio, summed — the formula above,
    with the numbers the map uses (a reader can check it with a calculator)."""
    t, fmt, site = ctx.t, ctx.fmt, ctx.site
    terms = quality_terms(site, ctx.scores.companies, vmap.scenario, site.us)
    pos = vmap.get(site.us)
    if pos is None or not terms:
        return None
    labels = {(d.id, c.id): (d.label, c.label) for d in site.dimensions for c in d.criteria}
    labels.update({(d.id, None): (d.label, t("canvas.overall")) for d in site.dimensions})
    rows = []
    for term in terms:
        dl, cl = labels[term.key]
        rows.append([cell(dl), cell(cl), cell(fmt.number(term.weight, 4)), cell(fmt.number(term.own, 2)),
                     cell(fmt.number(term.average, 2) if term.average is not None else "—"),
                     cell(fmt.number(term.ratio, 4) if term.ratio is not None else t("score.unknown")),
                     cell(fmt.number(term.weight * term.ratio, 4) if term.ratio is not None else "—")])
    known = [x for x in terms if x.ratio is not None]
    weight = sum(x.weight for x in known)
    total = sum(x.weight * x.ratio for x in known)
    return {"table": table(t.html("table.example_caption", name=ctx.name(site.us)),
                           [(t("col.dimension"), False), (t("col.criterion"), False), (t("col.weight_overall"), True),
                            (t("col.score"), True), (t("col.average"), True), (t("col.ratio_term"), True),
                            (t("col.weighted_ratio"), True)], rows),
            "sum": t("methodology.example.sum", total=fmt.number(total, 4), weight=fmt.number(weight, 4),
                     rq=fmt.number(pos.relative_quality))}


def narrative_view(ctx: SiteContext, page: PlannedPage) -> dict:
    narrative = ctx.content.pages[page.key]
    view = base(ctx, page, narrative.meta.title, narrative.meta.description)
    body = without_title(narrative.body, narrative.meta.title)
    view["body"] = ctx.as_written(markdown(body, shift_headings=heading_shift(body)))
    return view


_FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]|$)", re.M)


def heading_shift(body: str) -> int:
    """How far the body's headings move (down, or up) so that its topmost becomes an h2 under the page's h1 (no level
    skipped: '## Section' after a dropped '# Title' stays h2). Fenced code is not looked at."""
    levels = [len(m.group(1)) for m in _HEADING.finditer(_FENCE.sub("", body))]
    return 2 - min(levels) if levels else 1


def without_title(body: str, title: str) -> str:
    """The page's Markdown without a first ``# heading`` that repeats its title: the page prints the title
    (from the front matter, where it may be translated) as its one ``<h1>``."""
    lines = body.lstrip("\n").split("\n", 1)
    first = lines[0].strip()
    if first.startswith("# ") and first[2:].strip().rstrip("#").strip().casefold() == title.strip().casefold():
        return lines[1] if len(lines) > 1 else ""
    return body


def not_found_view(ctx: SiteContext, page: PlannedPage) -> dict:
    # Hosts serve 404.html for any missing URL, at any depth: its links start at the site root's path.
    view = base(ctx, page, ctx.t("notfound.title"), ctx.t("notfound.text"), root_relative=True)
    return view


