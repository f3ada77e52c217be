"""View models: everything a template shows, precomputed — sorted, formatted, linked, charts as data.

Templates receive these dicts and only place them (StrictUndefined: a missing field fails the build). Each
page's view is computed from the shared, read-only :class:`SiteContext` and its :class:`PlannedPage` alone,
so pages are independent of each other and can be rendered in any order or in parallel.

Audience rule: internal fields (see :func:`generator.model.internal_fields`) and evidence marked internal
are added to a view only when the page's audience is internal.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import orjson

from . import charts
from . import model as m
from .locales import Translator
from .plan import EXTERNAL, INTERNAL, PlannedPage, SitePlan, relative_url
from .score import MarketScores, Position, ValueMap
from .text import inline_markdown, markdown, money, num, percent, safe_href, signed, signed_money
from .validate import Content


@dataclass(frozen=True)
class SiteContext:
    content: Content
    scores: MarketScores
    plan: SitePlan
    t: Translator
    asset_paths: Mapping[str, str]  # logical name → path from the site root (fingerprinted)

    @property
    def site(self) -> m.Site:
        return self.content.site

    def name(self, slug: str) -> str:
        return self.content.companies[slug].name


class Links:
    """Relative links from one page, so the site works from file:// and under any sub-path."""

    def __init__(self, ctx: SiteContext, page: PlannedPage):
        self.ctx, self.page = ctx, page

    def to(self, path: str) -> str:
        return relative_url(self.page.path, path)

    def page_of(self, kind: str, key: str = "") -> str | None:
        target = self.ctx.plan.find(kind, key)
        return self.to(target.path) if target else None

    def company(self, slug: str) -> str | None:
        return self.page_of("competitor", slug)


# --- small shared pieces --------------------------------------------------------------------------------

def chart_block(chart_id: str, figure: dict, label: str, table: dict) -> dict:
    """A chart (as JSON for plotly.js) with its accessible label and the table holding the same data."""
    payload = orjson.dumps(figure, option=orjson.OPT_SERIALIZE_NUMPY).decode()
    # The JSON sits in <script type="application/json">: keep "</script>" and "<!--" from closing it early.
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return {"id": chart_id, "json": payload, "label": label, "table": table}


def cell(text: Any, href: str | None = None, tone: str = "", strong: bool = False) -> dict:
    return {"text": str(text), "href": href, "tone": tone, "strong": strong}


def table(caption: str, columns: list[tuple[str, bool]], rows: list[list[dict]], highlight: list[bool] | None = None
          ) -> dict:
    """``columns``: (label, numeric) pairs. ``highlight``: rows shown as ours."""
    return {"caption": caption,
            "columns": [{"label": label, "numeric": numeric} for label, numeric in columns],
            "rows": [{"cells": r, "us": bool(highlight[i]) if highlight else False} for i, r in enumerate(rows)]}


def _tone(value: float, eps: float = 0.05) -> str:
    return "positive" if value > eps else "negative" if value < -eps else ""


def zone_label(t: Translator, zone: str) -> str:
    return t(f"zone.{zone}")


def method_note(ctx: SiteContext, vmap: ValueMap) -> str:
    t = ctx.t
    line = t(f"method.line.{vmap.line.method}", slope=num(vmap.line.slope, 2), intercept=num(vmap.line.intercept, 1))
    if vmap.line.fallback:
        line += " " + t("method.line.fallback")
    return t("method.note", comparison=t(f"method.comparison.{vmap.comparison}"), line=line, band=num(vmap.band, 1))


def reference_label(ctx: SiteContext, ref: m.PriceReference) -> str:
    return ctx.t("price.reference", tier=ref.tier, seats=ref.seats, basis=ctx.site.price_basis)


def value_map_block(ctx: SiteContext, vmap: ValueMap, links: Links, chart_id: str) -> dict:
    t = ctx.t
    names = {s: ctx.name(s) for s in ctx.content.companies}
    figure = charts.value_map_figure(vmap, names, t)
    return chart_block(chart_id, figure, t("chart.value_map_label", count=len(vmap.positions)),
                       ranking_table(ctx, vmap, links, t("table.value_map_caption")))


def ranking_table(ctx: SiteContext, vmap: ValueMap, links: Links, caption: str) -> dict:
    t, cur = ctx.t, ctx.site.currency
    rows, ours = [], []
    for p in vmap.positions:
        rows.append([
            cell(p.rank), cell(ctx.name(p.slug), links.company(p.slug), strong=p.is_us),
            cell(num(p.value_score)), cell(num(p.relative_quality)), cell(num(p.relative_price)),
            cell(money(p.price, cur)), cell(money(p.justified_price, cur)),
            cell(f"{signed_money(p.headroom, cur)} ({percent(p.headroom_pct)})", tone=_tone(p.headroom)),
            cell(signed(p.customer_value), tone=_tone(p.customer_value)),
            cell(zone_label(t, p.zone), tone={"better": "positive", "worse": "negative"}.get(p.zone, "")),
        ])
        ours.append(p.is_us)
    columns = [(t("col.rank"), True), (t("col.company"), False), (t("col.value_score"), True),
               (t("col.relative_quality"), True), (t("col.relative_price"), True), (t("col.price"), True),
               (t("col.justified_price"), True), (t("col.headroom"), True), (t("col.customer_value"), True),
               (t("col.zone"), False)]
    return table(caption, columns, rows, ours)


def headline(ctx: SiteContext, vmap: ValueMap) -> list[dict]:
    """Our headline figures on a map: rank, justified price, headroom, position."""
    t, cur = ctx.t, ctx.site.currency
    us = vmap.get(ctx.site.us)
    return [
        {"label": t("fig.rank"), "value": t("fig.rank_value", rank=us.rank, count=len(vmap.positions)),
         "detail": t("fig.rank_detail"), "tone": "positive" if us.rank == 1 else ""},
        {"label": t("fig.justified_price"), "value": money(us.justified_price, cur),
         "detail": t("fig.justified_detail", price=money(us.price, cur), plan=us.plan), "tone": ""},
        {"label": t("fig.headroom"), "value": signed_money(us.headroom, cur),
         "detail": t("fig.headroom_detail", pct=percent(us.headroom_pct)), "tone": _tone(us.headroom)},
        {"label": t("fig.position"), "value": f"{num(us.relative_quality)} / {num(us.relative_price)}",
         "detail": t("fig.position_detail", value=signed(us.customer_value), zone=zone_label(t, us.zone)),
         "tone": {"better": "positive", "worse": "negative"}.get(us.zone, "")},
    ]


def weights_table(ctx: SiteContext, weights: Mapping[str, float], caption: str, links: Links) -> dict:
    t = ctx.t
    rows = [[cell(d.label, links.page_of("dimension", d.id)), cell(percent(100 * weights[d.id], 0, sign=False))]
            for d in ctx.site.dimensions]
    return table(caption, [(t("col.dimension"), False), (t("col.weight"), True)], rows)


# --- the base of every page -----------------------------------------------------------------------------

_NAV = [("home", "nav.overview"), ("competitors", "nav.competitors"), ("canvas", "nav.canvas"),
        ("dimensions", "nav.dimensions"), ("segments", "nav.segments"), ("methodology", "nav.methodology")]
_SECTION = {"competitor": "competitors", "dimension": "dimensions", "segment": "segments"}


def base(ctx: SiteContext, page: PlannedPage, title: str, description: str = "") -> dict:
    t, site = ctx.t, ctx.site
    links = Links(ctx, page)
    section = _SECTION.get(page.kind, page.kind)
    nav = []
    for kind, key in _NAV:
        target = ctx.plan.find(kind)
        if target:
            nav.append({"label": t(key), "href": links.to(target.path), "current": section == kind})
    for narrative in ctx.plan.of_kind("page"):
        nav.append({"label": ctx.content.pages[narrative.key].meta.title, "href": links.to(narrative.path),
                    "current": page.kind == "page" and page.key == narrative.key})
    full_title = site.title if page.kind == "home" else f"{title} · {site.title}"
    absolute = site.base_url if site.base_url.startswith("http") else None
    return {
        "t": t, "lang": site.lang, "title": full_title, "heading": title,
        "description": description or site.tagline or site.title,
        "site_title": site.title, "home_href": links.to("index.html"),
        "canonical": (absolute + ("" if page.path == "index.html" else page.path)) if absolute else None,
        "assets": {name: links.to(path) for name, path in ctx.asset_paths.items()},
        "nav": nav, "internal": page.audience == INTERNAL or ctx.plan.audience == INTERNAL,
        "kind": page.kind, "charts": [],
        "footer": t("footer.text", market=site.market, count=len(ctx.content.companies),
                    basis=site.price_basis, currency=site.currency),
        "methodology_href": links.page_of("methodology"),
    }


# --- pages ----------------------------------------------------------------------------------------------

def home_view(ctx: SiteContext, page: PlannedPage) -> dict:
    t, site = ctx.t, ctx.site
    links = Links(ctx, page)
    vmap = ctx.scores.overall
    view = base(ctx, page, site.title, site.tagline)
    view["market"] = site.market
    view["tagline"] = site.tagline
    view["reference"] = reference_label(ctx, site.price_reference)
    view["method_note"] = method_note(ctx, vmap)
    view["headline"] = headline(ctx, vmap)
    view["value_map"] = value_map_block(ctx, vmap, links, "value-map")
    view["charts"] = [view["value_map"]]
    view["weights"] = weights_table(ctx, vmap.scenario.weights, t("table.weights_caption"), links)
    segments = []
    for seg in site.segments:
        smap = ctx.scores.segments[seg.id]
        us = smap.get(site.us)
        segments.append([cell(seg.label, links.page_of("segment", seg.id)), cell(reference_label(ctx, seg.price_reference)),
                         cell(t("fig.rank_value", rank=us.rank, count=len(smap.positions))),
                         cell(money(us.justified_price, site.currency)),
                         cell(signed_money(us.headroom, site.currency), tone=_tone(us.headroom))])
    view["segments"] = table(t("table.segments_caption"),
                             [(t("col.segment"), False), (t("col.reference"), False), (t("col.our_rank"), True),
                              (t("col.justified_price"), True), (t("col.headroom"), True)], segments) if segments else None
    return view


def competitors_view(ctx: SiteContext, page: PlannedPage) -> dict:
    t = ctx.t
    links = Links(ctx, page)
    view = base(ctx, page, t("competitors.title"), t("competitors.intro"))
    vmap = ctx.scores.overall
    cards = []
    for p in vmap.positions:
        if p.is_us:
            continue
        company = ctx.content.companies[p.slug]
        cards.append({"name": company.name, "href": links.company(p.slug), "summary": inline_markdown(
            company.summary.split("\n\n")[0]) if company.summary else "",
            "zone": zone_label(t, p.zone), "tone": {"better": "positive", "worse": "negative"}.get(p.zone, ""),
            "facts": t("competitors.facts", rank=p.rank, price=money(p.price, ctx.site.currency),
                       value=num(p.value_score))})
    view["cards"] = cards
    view["ranking"] = ranking_table(ctx, vmap, links, t("table.ranking_caption"))
    return view


def _categories(site: m.Site, t: Translator) -> list[tuple[str, str, str, str | None]]:
    """(dimension label, criterion label, dimension id, criterion id) for every scored point."""
    out = []
    for d in site.dimensions:
        if d.criteria:
            out.extend((d.label, c.label, d.id, c.id) for c in d.criteria)
        else:
            out.append((d.label, t("canvas.overall"), d.id, None))
    return out


def _criterion_value(ctx: SiteContext, slug: str, dim: str, crit: str | None) -> float:
    result = ctx.scores.companies[slug].dimensions[dim]
    if crit is None or crit not in result.criteria:  # scored per dimension: each criterion shows that score
        return result.value
    return result.criteria[crit].value


def _sources(ctx: SiteContext, trace, audience: str) -> dict:
    kinds = {k.id: k for k in ctx.site.source_kinds}
    shown = [ev for ev in trace.evidence if audience == INTERNAL or not ev.internal]
    hidden = len(trace.evidence) - len(shown)
    items = []
    for ev in sorted(shown, key=lambda e: (e.date, e.source), reverse=True):
        kind = kinds[ev.source]
        items.append({"source": kind.label, "badge": "independent" if kind.independent else "gameable", "value": num(ev.value),
                      "date": ev.date.isoformat(), "note": ev.note, "href": safe_href(ev.url),
                      "internal": ev.internal})
    summary = ctx.t("evidence.given") if trace.given and not trace.evidence else (
        ctx.t("evidence.count", count=len(trace.evidence)) if trace.evidence else ctx.t("evidence.none"))
    return {"sources": items, "hidden": ctx.t("evidence.hidden", count=hidden) if hidden else "",
            "summary": summary, "as_of": trace.as_of.isoformat() if trace.as_of else "",
            "note": trace.note}


def evidence_rows(ctx: SiteContext, slug: str, audience: str) -> list[dict]:
    out = []
    for d in ctx.site.dimensions:
        result = ctx.scores.companies[slug].dimensions[d.id]
        traces = [(c.label, result.criteria[c.id]) for c in d.criteria] if result.criteria else [
            (ctx.t("canvas.overall"), result.direct)]
        for label, trace in traces:
            out.append({"dimension": d.label, "criterion": label, "score": num(trace.value),
                        **_sources(ctx, trace, audience)})
    return out


def competitor_view(ctx: SiteContext, page: PlannedPage) -> dict:
    t, site = ctx.t, ctx.site
    links = Links(ctx, page)
    slug, us_slug = page.key, site.us
    them, us = ctx.content.companies[slug], ctx.content.us
    view = base(ctx, page, t("competitor.title", name=them.name), t("competitor.description", name=them.name,
                                                                     us=us.name))
    view["name"], view["us_name"] = them.name, us.name
    view["website"] = safe_href(them.website)
    view["summary"] = markdown(them.summary)
    view["as_of"] = them.as_of.isoformat() if them.as_of else ""
    view["strengths"] = [inline_markdown(s) for s in them.strengths]
    view["weaknesses"] = [inline_markdown(s) for s in them.weaknesses]
    cats = _categories(site, t)
    scale = (site.scale.min, site.scale.max)
    curves = charts.value_curves_figure(
        [(dl, cl) for dl, cl, _, _ in cats],
        [{"name": us.name, "is_us": True, "values": [_criterion_value(ctx, us_slug, d, c) for _, _, d, c in cats]},
         {"name": them.name, "is_us": False, "values": [_criterion_value(ctx, slug, d, c) for _, _, d, c in cats]}],
        t, scale, height=460)
    curve_rows = []
    for dl, cl, d, c in cats:
        a, b = _criterion_value(ctx, us_slug, d, c), _criterion_value(ctx, slug, d, c)
        curve_rows.append([cell(dl), cell(cl), cell(num(a)), cell(num(b)), cell(signed(a - b), tone=_tone(a - b))])
    view["curves"] = chart_block("value-curves", curves, t("chart.curves_label", us=us.name, them=them.name), table(
        t("table.curves_caption"), [(t("col.dimension"), False), (t("col.criterion"), False), (us.name, True),
                                    (them.name, True), (t("col.difference"), True)], curve_rows))
    diffs = [(d.label, ctx.scores.companies[us_slug].value(d.id), ctx.scores.companies[slug].value(d.id))
             for d in site.dimensions]
    view["difference"] = chart_block(
        "difference", charts.difference_figure([lab for lab, _, _ in diffs], [a - b for _, a, b in diffs], t),
        t("chart.difference_label", us=us.name, them=them.name),
        table(t("table.difference_caption"), [(t("col.dimension"), False), (us.name, True), (them.name, True),
                                              (t("col.difference"), True)],
              [[cell(lab), cell(num(a)), cell(num(b)), cell(signed(a - b), tone=_tone(a - b))] for lab, a, b in diffs]))
    view["charts"] = [view["curves"], view["difference"]]
    price_rows = []
    scenarios = [(t("segment.overall"), ctx.scores.overall, links.page_of("home"))] + [
        (s.label, ctx.scores.segments[s.id], links.page_of("segment", s.id)) for s in site.segments]
    for label, vmap, href in scenarios:
        a, b = vmap.get(us_slug), vmap.get(slug)
        diff_pct = 100.0 * (a.price - b.price) / b.price if b.price else None
        price_rows.append([
            cell(label, href), cell(reference_label(ctx, vmap.scenario.reference)),
            cell(f"{money(b.price, site.currency)} · {b.plan}"), cell(f"{money(a.price, site.currency)} · {a.plan}"),
            cell(percent(diff_pct)), cell(money(b.justified_price, site.currency)),
            cell(signed_money(b.headroom, site.currency), tone=_tone(b.headroom)),
            cell(t("fig.rank_value", rank=b.rank, count=len(vmap.positions)))])
    view["prices"] = table(t("table.prices_caption", name=them.name),
                           [(t("col.segment"), False), (t("col.reference"), False), (them.name, True), (us.name, True),
                            (t("col.our_price_vs_theirs"), True), (t("col.their_justified"), True),
                            (t("col.their_headroom"), True), (t("col.their_rank"), True)], price_rows)
    pos_us, pos_them = ctx.scores.overall.get(us_slug), ctx.scores.overall.get(slug)
    view["verdict"] = t("competitor.verdict." + ("ahead" if pos_us.customer_value > pos_them.customer_value else "behind"),
                        us=us.name, them=them.name, gap=num(abs(pos_us.customer_value - pos_them.customer_value)))
    view["evidence"] = evidence_rows(ctx, slug, page.audience)
    view["internal_fields"] = _internal_company(them) if page.audience == INTERNAL else None
    return view


def _internal_company(company: m.Company) -> dict:
    return {"talk_track": markdown(company.talk_track), "internal_notes": markdown(company.internal_notes),
            "objections": [{"objection": o.objection, "response": markdown(o.response)} for o in company.objections]}


def canvas_view(ctx: SiteContext, page: PlannedPage) -> dict:
    t, site = ctx.t, ctx.site
    links = Links(ctx, page)
    view = base(ctx, page, t("canvas.title"), t("canvas.intro"))
    order = [p.slug for p in ctx.scores.overall.positions]
    scale = (site.scale.min, site.scale.max)
    dims = [("", d.label) for d in site.dimensions]
    series = [{"name": ctx.name(s), "is_us": s == site.us,
               "values": [ctx.scores.companies[s].value(d.id) for d in site.dimensions]} for s in order]
    rows = [[cell(ctx.name(s), links.company(s), strong=s == site.us)] +
            [cell(num(ctx.scores.companies[s].value(d.id))) for d in site.dimensions] for s in order]
    view["dimensions_chart"] = chart_block(
        "canvas-dimensions", charts.value_curves_figure(dims, series, t, scale, 460), t("chart.canvas_label"),
        table(t("table.canvas_caption"), [(t("col.company"), False)] + [(d.label, True) for d in site.dimensions],
              rows, [s == site.us for s in order]))
    cats = _categories(site, t)
    crit_series = [{"name": ctx.name(s), "is_us": s == site.us,
                    "values": [_criterion_value(ctx, s, d, c) for _, _, d, c in cats]} for s in order]
    crit_rows = [[cell(dl), cell(cl)] + [cell(num(_criterion_value(ctx, s, d, c))) for s in order]
                 for dl, cl, d, c in cats]
    view["criteria_chart"] = chart_block(
        "canvas-criteria", charts.value_curves_figure([(dl, cl) for dl, cl, _, _ in cats], crit_series, t, scale, 520),
        t("chart.canvas_criteria_label"),
        table(t("table.canvas_criteria_caption"), [(t("col.dimension"), False), (t("col.criterion"), False)] +
              [(ctx.name(s), True) for s in order], crit_rows))
    view["charts"] = [view["dimensions_chart"], view["criteria_chart"]]
    return view


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
            [cell(num(_criterion_value(ctx, s, dim.id, c.id))) for c in dim.criteria] for s in order]
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


def segments_view(ctx: SiteContext, page: PlannedPage) -> dict:
    t, site = ctx.t, ctx.site
    links = Links(ctx, page)
    view = base(ctx, page, t("segments.title"), t("segments.intro"))
    items = []
    for seg in site.segments:
        us = ctx.scores.segments[seg.id].get(site.us)
        items.append({"label": seg.label, "href": links.page_of("segment", seg.id), "description": markdown(seg.description),
                      "reference": reference_label(ctx, seg.price_reference),
                      "facts": t("segments.facts", rank=us.rank, count=len(ctx.scores.segments[seg.id].positions),
                                 headroom=signed_money(us.headroom, site.currency))})
    view["entries"] = items
    return view


def segment_view(ctx: SiteContext, page: PlannedPage) -> dict:
    t, site = ctx.t, ctx.site
    links = Links(ctx, page)
    seg = next(s for s in site.segments if s.id == page.key)
    vmap = ctx.scores.segments[seg.id]
    view = base(ctx, page, seg.label, t("segment.description", label=seg.label))
    view["description"] = markdown(seg.description)
    view["reference"] = reference_label(ctx, seg.price_reference)
    view["method_note"] = method_note(ctx, vmap)
    view["headline"] = headline(ctx, vmap)
    view["value_map"] = value_map_block(ctx, vmap, links, "value-map")
    view["charts"] = [view["value_map"]]
    view["weights"] = weights_table(ctx, vmap.scenario.weights, t("table.segment_weights_caption", label=seg.label), links)
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


VIEWS = {
    "home": home_view, "competitors": competitors_view, "competitor": competitor_view, "canvas": canvas_view,
    "dimensions": dimensions_view, "dimension": dimension_view, "segments": segments_view, "segment": segment_view,
    "methodology": methodology_view, "page": narrative_view, "not-found": not_found_view,
}


def page_view(ctx: SiteContext, page: PlannedPage) -> dict:
    return VIEWS[page.kind](ctx, page)


__all__ = ["SiteContext", "page_view", "EXTERNAL", "INTERNAL", "Position"]
