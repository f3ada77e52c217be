"""A prospect's own page, and the internal list of every prospect's address for sales.

A prospect page is rendered for the external audience (it is planned only in an external build): its map and
ranking are the site's own arithmetic (:func:`generator.score.scenario_map`) with the prospect's weights laid
over its segment's, at its segment's price point. It reads this prospect's public fields only — name, weights,
the competitors it evaluates, its note — never ``internal_notes`` and never another prospect.
"""
from __future__ import annotations

from .. import model as m
from ..plan import PlannedPage
from ..comparisons import head_to_head, price_comparison
from ..score import Scenario, quality_of, scenario_map, scenario_weights
from ..text import markdown
from .common import (Links, SiteContext, asked, cell, dimension_status, headline, newest_date, method_note,
                     reference_label, table, tone, weights_table)
from .frame import absolute_url, base
from .rankings import value_map_block


def prospect_scenario(site: m.Site, prospect: m.Prospect) -> Scenario:
    """The prospect's weights over its segment's (normalised), at its segment's price point."""
    segment = next(s for s in site.segments if s.id == prospect.segment)
    weights = scenario_weights(site, {**segment.weights, **prospect.weights})
    return Scenario("prospect", prospect.name, weights, segment.price_reference or site.price_reference)


def prospect_view(ctx: SiteContext, page: PlannedPage) -> dict:
    t, site, fmt = ctx.t, ctx.site, ctx.fmt
    links = Links(ctx, page)
    prospect = ctx.content.prospects[page.key]
    scenario = prospect_scenario(site, prospect)
    vmap = scenario_map(site, ctx.content.companies, ctx.scores.companies, scenario, ctx.scores.audience,
                        ctx.scores.today, quality_of(site, ctx.scores))
    view = base(ctx, page, t("prospect.title", name=prospect.name), t("prospect.description", name=prospect.name))
    view["robots"] = "noindex, nofollow"  # unlisted and unlinked; never indexed even if its address leaks
    view["eyebrow"] = t("prospect.eyebrow")
    view["note"] = ctx.as_written(markdown(prospect.note)) if prospect.note else ""
    days = [d for d in (newest_date(ctx, p.slug, [p.quote]) for p in vmap.positions) if d]
    view["as_of"] = t("prospect.as_of", date=fmt.date(max(days))) if days else ""  # the newest evidence or price
    view["reference"] = reference_label(ctx, vmap.scenario.reference, short=False)
    view["method_note"] = method_note(ctx, vmap)
    view["headline"] = headline(ctx, vmap)
    evaluating = [slug for slug in prospect.evaluating if slug in ctx.content.companies]
    view["value_map"] = value_map_block(  # a very large market's table: these beside us and the top
        ctx, vmap, links, "value-map", keep=evaluating,
        keep_note=t("table.selection_prospect", count=len(vmap.positions) + len(vmap.unplaced), name=prospect.name))
    view["charts"] = [view["value_map"]]
    view["weights"] = weights_table(ctx, scenario.weights, t.html("prospect.weights_caption", name=prospect.name),
                                    links)
    view["head_to_head"] = [_head_to_head(ctx, links, vmap, slug) for slug in prospect.evaluating
                            if slug != site.us and slug in ctx.content.companies]
    view["prospects"] = None
    return view


def _head_to_head(ctx: SiteContext, links: Links, vmap, slug: str) -> dict:
    """Us against one competitor the prospect evaluates, dimension by dimension, with the prospect's weights;
    and both on the prospect's map."""
    t, fmt, site = ctx.t, ctx.fmt, ctx.site
    us, them = ctx.content.us.name, ctx.name(slug)
    labels = {d.id: d.label for d in site.dimensions}
    rows = []
    for r in head_to_head(site, ctx.scores.companies, site.us, slug, level="dimension"):
        dim = r.point.dimension
        rows.append([cell(labels[dim], links.page_of("dimension", dim)), cell(fmt.shares(vmap.scenario.weights)[dim]),
                     cell(fmt.number(r.a), status=dimension_status(ctx, site.us, dim)),
                     cell(fmt.number(r.b), status=dimension_status(ctx, slug, dim)),
                     cell(fmt.difference(r.a, r.b), tone=tone(r.lead))])
    cmp = price_comparison(vmap, site.us, slug)
    b = cmp.theirs
    if b is None:
        facts = t.html("prospect.h2h_unplaced", them=them)
    else:
        facts = t.html("prospect.h2h_facts", them=them, rank=b.rank, count=len(vmap.positions),
                       price=asked(ctx, b), justified=fmt.money(b.justified_price),
                       vs=fmt.percent(cmp.ours_vs_theirs_pct) if cmp.ours_vs_theirs_pct is not None else "—")
    return {"name": them, "href": links.company(slug), "facts": facts,
            "table": table(t.html("prospect.h2h_caption", us=us, them=them),
                           [(t("col.dimension"), False), (t("prospect.col.weight"), True), (us, True), (them, True),
                            (t("col.difference"), True)], rows)}


def prospects_view(ctx: SiteContext, page: PlannedPage) -> dict:
    """Internal only: every prospect's address, to copy and send. The address is absolute when base_url is
    (the external site's), else the path from the external site's root; the token is the external build's
    when both builds use the same ``VALUEMAP_PROSPECT_SECRET``."""
    t, site = ctx.t, ctx.site
    links = Links(ctx, page)
    view = base(ctx, page, t("prospects.title"), t("prospects.intro"))
    view["robots"] = "noindex, nofollow"
    view["eyebrow"] = t("prospects.eyebrow")
    segments = {s.id: s.label for s in site.segments}
    entries = []
    for link in ctx.plan.prospect_links:
        prospect = ctx.content.prospects[link.slug]
        url = absolute_url(ctx, link.path)
        entries.append({
            "name": prospect.name, "segment": segments.get(prospect.segment, prospect.segment),
            "evaluating": [{"name": ctx.name(s), "href": links.company(s)} for s in prospect.evaluating
                           if s in ctx.content.companies],
            "url": url or link.path, "absolute": url is not None,
        })
    view["entries"] = entries
    view["no_secret"] = not ctx.plan.prospect_links and bool(ctx.content.prospects)
    view["relative_note"] = t("prospects.relative_note") if entries and not entries[0]["absolute"] else ""
    view["prospects"] = True
    return view


__all__ = ["prospect_view", "prospects_view", "prospect_scenario"]
