"""A competitor's page: head to head with us, prices per segment, and the evidence behind every score."""
from __future__ import annotations

from .. import charts
from .. import model as m
from ..plan import INTERNAL, PlannedPage
from ..text import inline_markdown, markdown, money, num, percent, safe_href, signed, signed_money
from .common import (Links, SiteContext, base, categories, cell, chart_block, criterion_value, reference_label, table, tone)


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
    cats = categories(site, t)
    scale = (site.scale.min, site.scale.max)
    curves = charts.value_curves_figure(
        [(dl, cl) for dl, cl, _, _ in cats],
        [{"name": us.name, "is_us": True, "values": [criterion_value(ctx, us_slug, d, c) for _, _, d, c in cats]},
         {"name": them.name, "is_us": False, "values": [criterion_value(ctx, slug, d, c) for _, _, d, c in cats]}],
        t, scale, height=460)
    curve_rows = []
    for dl, cl, d, c in cats:
        a, b = criterion_value(ctx, us_slug, d, c), criterion_value(ctx, slug, d, c)
        curve_rows.append([cell(dl), cell(cl), cell(num(a)), cell(num(b)), cell(signed(a - b), tone=tone(a - b))])
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
              [[cell(lab), cell(num(a)), cell(num(b)), cell(signed(a - b), tone=tone(a - b))] for lab, a, b in diffs]))
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
            cell(signed_money(b.headroom, site.currency), tone=tone(b.headroom)),
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


