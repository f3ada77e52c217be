"""A competitor's page: head to head with us, prices per segment, and the evidence behind every score."""
from __future__ import annotations

from dataclasses import replace

from markupsafe import Markup

from .. import charts
from .. import value_map_chart
from .. import model as m
from ..formats import decimals_of
from ..plan import INTERNAL, PlannedPage
from ..quotes import Pricing, quote_at
from ..comparisons import head_to_head, price_comparison
from ..score import ValueMap
from ..text import inline_markdown, markdown, safe_href
from .common import (Links, SiteContext, asked, categories, cell, chart_block, dimension_status, map_backed,
                     map_numbers, map_range, newest_date, plotted_score, point_difference, point_number,
                     reference_label, shared_block, shown_score, table, tone, value_for_money, zone_label, zone_tone)
from .frame import base


def _sources(ctx: SiteContext, trace, key: tuple[str, str | None]) -> dict:
    """The evidence behind one score, as this page's audience may see it (``trace`` was scored for it)."""
    kinds = {k.id: k for k in ctx.site.source_kinds}
    items = []
    for ev in sorted(trace.evidence, key=lambda e: (e.date, e.source), reverse=True):
        kind = kinds[ev.source]
        items.append({"source": kind.label, "badge": "independent" if kind.independent else "gameable",
                      "value": point_number(ctx, key, ev.value),
                      "date": ctx.fmt.date(ev.date), "note": _note(ctx, ev),
                      "href": safe_href(ev.url), "internal": ev.internal})
    t = ctx.t
    if trace.value is None:
        summary = t("evidence.internal_only") if trace.hidden else t("evidence.unknown")
    elif trace.given and not trace.evidence:
        summary = t("evidence.given")
    else:
        summary = t("evidence.count", count=len(trace.evidence)) if trace.evidence else t("evidence.none")
    return {"sources": items, "hidden": t("evidence.hidden", count=trace.hidden) if trace.hidden else "",
            "summary": summary, "as_of": ctx.fmt.date(trace.as_of), "note": trace.note}


def _note(ctx: SiteContext, ev: m.Evidence) -> str:
    """An evidence item's note, if this build's audience may read it (an internal note: the internal build only)."""
    return ev.note if ctx.scores.audience == INTERNAL or not ev.note_internal else ""


def statements(ctx: SiteContext, items: list[m.Statement], audience: str) -> list[Markup]:
    """Strengths or weaknesses for ``audience``: internal ones only in the internal build, marked there."""
    out = []
    for item in items:
        if not item.internal:
            out.append(ctx.as_written(inline_markdown(item.text), inline=True))
        elif audience == INTERNAL:
            out.append(ctx.as_written(inline_markdown(item.text), inline=True)
                       + Markup(' <span class="badge internal">{}</span>').format(ctx.t("evidence.internal")))
    return out


def evidence_rows(ctx: SiteContext, slug: str) -> list[dict]:
    company = ctx.scores.companies[slug]
    rows = []
    for dl, cl, d, c in categories(ctx.site, ctx.t):
        score = shown_score(ctx, slug, d, c)
        rows.append({"dimension": dl, "criterion": cl, "score": str(score), "status": score.status,
                     **_sources(ctx, company.point(d, c), (d, c))})
    return rows


def competitor_view(ctx: SiteContext, page: PlannedPage) -> dict:
    t, site, fmt = ctx.t, ctx.site, ctx.fmt
    links = Links(ctx, page)
    slug = page.key
    them, us = ctx.content.companies[slug], ctx.content.us
    view = base(ctx, page, t("competitor.title", name=them.name), t("competitor.description", name=them.name,
                                                                     us=us.name))
    view["name"], view["us_name"] = them.name, us.name
    view["website"] = safe_href(them.website)
    view["summary"] = ctx.as_written(markdown(them.summary), field=(f"company:{slug}", ("summary",)))
    view["as_of"] = fmt.date(them.as_of)
    placed = ctx.scores.overall.get(slug)
    view["coverage"] = t("competitor.coverage", share=fmt.share(placed.coverage)) if placed else ""
    newest = newest_date(ctx, slug)
    view["newest"] = t("competitor.newest", date=fmt.date(newest)) if newest else t("competitor.newest_none")
    view["strengths"] = statements(ctx, them.strengths, page.audience)
    view["weaknesses"] = statements(ctx, them.weaknesses, page.audience)
    view["curves"], view["difference"] = head_to_head_blocks(ctx, slug)
    view["where"] = where_they_sit(ctx, slug)
    view["charts"] = [view["curves"], view["difference"], view["where"]]
    view["battlecard_href"] = links.page_of("battlecard", slug)
    view["prices"] = _price_table(ctx, links, slug, them.name, us.name)
    view["observations"] = _observations_table(ctx, slug, them.name, us.name)
    view["prices_intro"] = "competitor.prices_intro" if site.price_reference else "competitor.prices_intro_single"
    view["verdict"] = _verdict(ctx, slug, them.name, us.name)
    view["evidence"] = evidence_rows(ctx, slug)
    view["evidence_as_of"] = {r["as_of"]: t("evidence.as_of", date=r["as_of"]) for r in view["evidence"] if r["as_of"]}
    view["internal_fields"] = internal_texts(ctx, them) if page.audience == INTERNAL else None
    return view


def head_to_head_blocks(ctx: SiteContext, slug: str, *, ids: tuple[str, str] = ("value-curves", "difference"),
                        compact: bool = False) -> tuple[dict, dict]:
    """Us against ``slug``: the value curves per criterion and the difference per dimension, each a chart with
    the table of its numbers. The competitor page draws them full size; its battlecard ``compact`` for paper:
    the numbers, labels and tables are made once for both (:func:`_head_to_head`), the charts for each."""
    t, site = ctx.t, ctx.site
    h = shared_block(ctx, ("head-to-head", slug), lambda: _head_to_head(ctx, slug))
    curves = charts.value_curves_figure(h["axes"], h["series"], t, (site.scale.min, site.scale.max),
                                        height=180 if compact else 460, compact=compact)
    difference = charts.difference_figure(h["dimensions"], h["differences"], h["shown"], t, compact=compact)
    return (chart_block(ids[0], curves, h["curves_label"], h["curves_table"]),
            chart_block(ids[1], difference, h["difference_label"], h["difference_table"]))


def _head_to_head(ctx: SiteContext, slug: str) -> dict:
    t, site, fmt = ctx.t, ctx.site, ctx.fmt
    us_slug = site.us
    them, us = ctx.content.companies[slug], ctx.content.us
    cats = categories(site, t)
    rows = {(r.point.dimension, r.point.criterion): r for r in head_to_head(site, ctx.scores.companies, us_slug, slug)}

    def series(who: str, name: str, is_us: bool) -> dict:
        return {"name": name, "is_us": is_us, "values": [plotted_score(ctx, who, d, c) for _, _, d, c in cats],
                "labels": [shown_score(ctx, who, d, c) for _, _, d, c in cats]}

    ours, theirs = series(us_slug, us.name, True), series(slug, them.name, False)
    curve_rows = []
    for (dl, cl, d, c), our, their in zip(cats, ours["labels"], theirs["labels"]):
        r = rows[(d, c)]
        diff = point_difference(ctx, (d, c), r.a, r.b)
        curve_rows.append([cell(dl), cell(cl), cell(our), cell(their), cell(diff, tone=tone(r.lead))])
    dims = head_to_head(site, ctx.scores.companies, us_slug, slug, level="dimension")
    labels = {d.id: d.label for d in site.dimensions}
    shown = [fmt.difference(r.a, r.b) for r in dims]
    return {
        "axes": [(dl, cl) for dl, cl, _, _ in cats], "series": [ours, theirs],
        "curves_label": t("chart.curves_label", us=us.name, them=them.name),
        "curves_table": table(t("table.curves_caption"), [(t("col.dimension"), False), (t("col.criterion"), False),
                                                          (us.name, True), (them.name, True),
                                                          (t("col.difference"), True)], curve_rows),
        "dimensions": [labels[r.point.dimension] for r in dims], "differences": [r.difference for r in dims],
        "shown": shown, "difference_label": t("chart.difference_label", us=us.name, them=them.name),
        "difference_table": table(
            t("table.difference_caption"), [(t("col.dimension"), False), (us.name, True), (them.name, True),
                                             (t("col.difference"), True)],
            [[cell(labels[r.point.dimension]),
              cell(fmt.number(r.a), status=dimension_status(ctx, us_slug, r.point.dimension)),
              cell(fmt.number(r.b), status=dimension_status(ctx, slug, r.point.dimension)),
              cell(text, tone=tone(r.lead))] for r, text in zip(dims, shown)]),
    }


NEARBY = 4  # companies drawn either side of the competitor's rank on its "where they sit" map


def nearby(vmap: ValueMap, slug: str, us: str, around: int = NEARBY) -> ValueMap:
    """The overall map cut down to us, the competitor and up to ``around`` companies ranked either side of it:
    context for one comparison, at constant size whatever the market's (every competitor page and battlecard
    draws one; all N positions on each would make the site grow with N²). The fair-value line and the ranks are
    the whole market's."""
    ranked = vmap.positions
    keep: set[int] = {i for i in (vmap.order(slug), vmap.order(us)) if i is not None}
    them = vmap.order(slug)
    if them is not None:
        keep.update(range(max(0, them - around), min(len(ranked), them + around + 1)))
    return replace(vmap, positions=tuple(ranked[i] for i in sorted(keep)))


def where_they_sit(ctx: SiteContext, slug: str, chart_id: str = "where-map") -> dict:
    """A small value map (the overall one): us and them highlighted and labelled, every other company a muted
    dot; with one line each for us and them (rank, zone, customer value). The competitor page and its
    battlecard show it: made once for both (only the chart's id differs; it holds no link)."""
    block = shared_block(ctx, ("where", slug), lambda: _where_they_sit(ctx, slug))
    return dict(block, id=chart_id)


def _where_they_sit(ctx: SiteContext, slug: str) -> dict:
    t, fmt = ctx.t, ctx.fmt
    market = ctx.scores.overall
    vmap = nearby(market, slug, ctx.site.us)
    names = {p.slug: ctx.name(p.slug) for p in vmap.positions}
    names[slug], names[ctx.site.us] = ctx.name(slug), ctx.name(ctx.site.us)
    figure = value_map_chart.value_map_figure(vmap, names, t, lambda p: map_numbers(ctx, p),
                                     lambda p: [map_range(ctx, p), map_backed(ctx, p)], focus=slug, compact=True)
    # The table beside the chart: us and them only (the full ranking is on the home page). Constant work per
    # page — no link or date look-up per company of the market (tests/unit/test_linear.py).
    rows = [[cell(fmt.whole(p.rank)), cell(names[p.slug], strong=p.is_us or p.slug == slug),
             cell(fmt.number(p.relative_quality)), cell(fmt.number(p.relative_price)),
             cell(value_for_money(ctx, p.customer_value), tone=tone(p.customer_value)),
             cell(zone_label(t, p.zone), tone=zone_tone(p.zone))] for p in vmap.positions]
    ours = [p.is_us for p in vmap.positions]
    lines, days = [], []
    for who in (ctx.site.us, slug):
        p = vmap.get(who)
        day = newest_date(ctx, who, [p.quote] if p is not None else [])  # both: the date names both
        if day:
            days.append(day)
        if p is None:
            continue
        lines.append({"name": names[who], "is_us": p.is_us, "tone": zone_tone(p.zone),
                      "text": t("battlecard.where_line", rank=p.rank, count=len(market.positions),
                                zone=zone_label(t, p.zone), value=value_for_money(ctx, p.customer_value))})
    block = chart_block("", figure, t("battlecard.where_label", them=names[slug], us=names[ctx.site.us],
                                            count=len(vmap.positions)),
                        table(t("table.value_map_caption"),
                              [(t("col.rank"), True), (t("col.company"), False), (t("col.relative_quality"), True),
                               (t("col.relative_price"), True), (t("col.customer_value"), True),
                               (t("col.zone"), False)], rows, ours))
    block["unplaced"] = [{"name": u.name, "href": None, "reason": t(f"unplaced.{u.reason}")}
                         for u in market.unplaced if u.slug in (slug, ctx.site.us)]
    # the dates of the two companies compared (the market's newest is the home map's): said as theirs
    block["as_of"] = t("chart.as_of_pair", us=names[ctx.site.us], them=names[slug], date=fmt.date(max(days))) \
        if days else ""
    block["lines"] = lines
    return block


def _price_table(ctx: SiteContext, links: Links, slug: str, them: str, us: str) -> dict:
    """Both companies' prices on each map; the competitor page and its battlecard show the same table (made
    once for both while its links are the same)."""
    site = ctx.site
    maps = [(ctx.t("segment.overall"), ctx.scores.overall, links.page_of("home"))] + [
        (s.label, ctx.scores.segments[s.id], links.page_of("segment", s.id)) for s in site.segments]
    return shared_block(ctx, ("prices", slug, them, us, tuple(href for _, _, href in maps)),
                        lambda: _prices(ctx, maps, slug, them, us))


def _prices(ctx: SiteContext, maps: list, slug: str, them: str, us: str) -> dict:
    t, fmt, site = ctx.t, ctx.fmt, ctx.site
    rows = []
    for label, vmap, href in maps:
        cmp = price_comparison(vmap, site.us, slug)
        a, b = cmp.ours, cmp.theirs
        rows.append([
            cell(label, href), cell(reference_label(ctx, vmap.scenario.reference)),
            cell(f"{asked(ctx, b)} · {b.plan}" if b else t("unplaced.short"), status=b.price_status if b else None),
            cell(f"{asked(ctx, a)} · {a.plan}" if a else t("unplaced.short"), status=a.price_status if a else None),
            cell(fmt.percent(cmp.ours_vs_theirs_pct)), cell(fmt.money(b.justified_price) if b else "—"),
            cell(fmt.signed_money(b.headroom) if b else "—", tone=tone(b.headroom) if b else ""),
            cell(t("fig.rank_value", rank=b.rank, count=len(vmap.positions)) if b else "—")])
    return table(t.html("table.prices_caption", name=them),
                 [(t("col.segment"), False), (t("col.reference"), False), (them, True), (us, True),
                  (t("col.our_price_vs_theirs"), True), (t("col.their_justified"), True),
                  (t("col.their_headroom"), True), (t("col.their_rank"), True)], rows)


def _seen(ctx: SiteContext, obs, decimals: int | None = None) -> str:
    """An observation as it was seen: its figure in its own currency, with its billing. ``decimals``: the ones
    of its figures (as written, at least the site's price decimals) — the same observation reads the same on
    every page, whichever company's prices stand beside it."""
    fmt, t = ctx.fmt, ctx.t
    currency = obs.currency or ctx.site.currency
    money = lambda v: _in(fmt, v, currency, decimals)  # noqa: E731
    kind = obs.kind
    if kind == "quote":
        text = t("price.obs.quote") + (" · " + t("price.obs.estimate_of", value=money(obs.estimate))
                                       if obs.estimate is not None else "")
    elif kind == "range":
        text = t("price.obs.range_of", low=money(obs.low), high=money(obs.high))
    elif kind == "from":
        text = t("price.obs.from_of", value=money(obs.amount))
    else:
        text = money(obs.amount)
    return f"{text} · {t(f'price.billing.{obs.billing}')}"


def _in(fmt, value: float, currency: str, decimals: int | None = None) -> str:
    """A figure in its own currency (the site's formats, another currency's symbol)."""
    if decimals is None:
        decimals = max(fmt.price_decimals, decimals_of([value]))
    return fmt.variant(currency, decimals).money(value)


def _figures(obs) -> list[float]:
    """The figures an observation was seen with (for the decimals it is shown with)."""
    return [v for v in (getattr(obs, "amount", None), obs.low, obs.high, obs.estimate) if v is not None]


def _observations_table(ctx: SiteContext, slug: str, them: str, us: str) -> dict | None:
    """Every price observation of the compared plans of both companies (at each map's price point), each with
    its source and date, the chosen one marked. (A bare price has neither: its status mark says so.) Only what
    this audience may see: scoring has already left internal observations out of an external build."""
    t, fmt, site = ctx.t, ctx.fmt, ctx.site
    kinds = {k.id: k.label for k in site.source_kinds}
    maps = [ctx.scores.overall] + [ctx.scores.segments[s.id] for s in site.segments]  # each at its price point
    pricing = None
    rows, seen = [], set()
    for who, name in ((slug, them), (site.us, us)):
        company = ctx.content.companies[who]
        for vmap in maps:
            placed = vmap.get(who)  # placed: scoring quoted it at the map's price point already
            if placed is not None:
                q = placed.quote
            else:
                pricing = pricing or Pricing(site, ctx.scores.today)
                q = quote_at(company, site, vmap.scenario.reference, ctx.scores.audience, ctx.scores.today, pricing)
            if q is None or q.plan.price is not None or (who, q.plan.plan) in seen:
                continue
            seen.add((who, q.plan.plan))
            items = q.chosen.observations  # every sighting, with its source and date (the chosen one marked)
            for c in sorted(items, key=lambda c: (c.observation.date_start, c.observation.source or ""),
                            reverse=True):
                obs = c.observation
                label = t(f"price.kind.{c.kind}")
                if c.kind == "estimate":
                    status = "unsupported"
                elif c.value is None:
                    status = None
                else:
                    status = "conflicting" if q.chosen.disagree else None
                converted = fmt.money(c.value) if c.value is not None else t(f"price.problem.{c.problem}")
                if c.kind == "range" and c.value is not None:
                    converted = t("price.obs.range_of", low=fmt.money(c.low), high=fmt.money(c.high))
                if q.plan.per == "account" and c.value is not None:
                    converted += " " + t("price.per_account")
                notes = [label]
                if c is q.chosen.chosen:
                    notes.append(t("price.chosen"))
                if q.chosen.disagree and c.value is not None:
                    notes.append(t("price.disagree"))
                if getattr(obs, "internal", False):
                    notes.append(t("evidence.internal"))
                if obs.note and (ctx.scores.audience == INTERNAL or not obs.note_internal):
                    notes.append(obs.note)
                rows.append([cell(name, strong=who == site.us), cell(q.plan.plan),
                             cell(_seen(ctx, obs, max(fmt.price_decimals, decimals_of(_figures(obs))))),
                             cell(converted, status=status), cell(" · ".join(notes)),
                             cell(kinds.get(obs.source or "", obs.source or "—")),
                             cell(fmt.partial_date(obs.date)), cell(t("evidence.link"), safe_href(obs.url)) if safe_href(obs.url)
                             else cell("—")])
    if not rows:
        return None
    return table(t.html("table.observations_caption", name=them),
                 [(t("col.company"), False), (t("col.plan"), False), (t("col.as_seen"), False),
                  (t("col.compared_at"), True), (t("col.observation"), False), (t("col.source"), False),
                  (t("col.date"), False), (t("col.link"), False)], rows)


def _verdict(ctx: SiteContext, slug: str, them: str, us: str):
    """One sentence: who offers more value for money on the overall map, by the measure it is ranked by."""
    vmap = ctx.scores.overall
    a, b = vmap.get(ctx.site.us), vmap.get(slug)
    t = ctx.t
    if a is None or b is None:
        return t.html("competitor.verdict.unplaced", us=us, them=them)
    fmt = ctx.fmt
    if vmap.rank_by == "ratio":  # the measure as the ranking shows it: equal there is a tie, not a win
        shown = [fmt.ratio(p.ratio) if p.ratio is not None else "free" for p in (a, b)]
        gap = fmt.number(abs((a.ratio or 0) - (b.ratio or 0)), 2)
    else:
        shown = [value_for_money(ctx, p.customer_value) for p in (a, b)]
        gap = fmt.number(abs(a.customer_value - b.customer_value))
    side = "even" if shown[0] == shown[1] else "ahead" if a.rank < b.rank else "behind"
    key = f"competitor.verdict.{vmap.rank_by}.{side}"
    # In a buyer's words: what each one's quality justifies against what it asks (the gap stays for translations
    # that still say it in points).
    money = fmt.money
    said = t.html(key, us=us, them=them, gap=gap, us_justified=money(a.justified_price), us_price=asked(ctx, a),
                  them_justified=money(b.justified_price), them_price=asked(ctx, b))
    for name, p in ((us, a), (them, b)):  # a place on part of a score: said with the verdict, not only in a column
        if p.partial:
            said += Markup(" ") + t.html("competitor.verdict.partial", name=name, share=fmt.share(p.known))
    return said


def internal_texts(ctx: SiteContext, company: m.Company) -> dict:
    """A company's talk track, notes and objections (internal pages), marked with the language they are
    written in where the page's differs."""
    return {"talk_track": ctx.as_written(markdown(company.talk_track)),
            "internal_notes": ctx.as_written(markdown(company.internal_notes)),
            "objections": [{"objection": ctx.as_written(o.objection, inline=True),
                            "response": ctx.as_written(markdown(o.response))} for o in company.objections]}


