"""History on the pages: trails on the home map and the "What changed since <date>" page (changes.html).

The numbers come from :mod:`generator.history` (every snapshot scored by :mod:`generator.score` with the
current method) and are formatted once here, by :mod:`generator.formats`: a trail's hover and the trail table
beside the map print the same strings. A change is listed only when a reader can see it — the value as the
page shows it differs (a score of 7.4995 and one of 7.5 both read "7.5").

Audience: each step was scored for the page's audience (an external build from public evidence and public
price observations only); evidence notes marked internal and a snapshot's ``note`` appear only in the
internal build.
"""
from __future__ import annotations

from ..history import Changes, History, Step, compare
from ..plan import INTERNAL, PlannedPage
from ..text import markdown
from .common import Links, SiteContext, cell, point_number, table, tone, value_for_money, zone_label, zone_tone
from .frame import base


def history_of(ctx: SiteContext) -> History | None:
    """The history, when there is one (at least one dated snapshot before now)."""
    h = getattr(ctx.scores, "history", None)
    return h if h is not None and len(h.steps) >= 2 else None


def step_label(ctx: SiteContext, step: Step) -> str:
    return ctx.t("history.now") if step.current else ctx.fmt.date(step.date)


# --- the home map ------------------------------------------------------------------------------------------

def map_trails(ctx: SiteContext) -> tuple:
    """``(trails, table)`` for :func:`generator.views.rankings.value_map_block`, or ``()`` without history.

    One trail per company placed at two dates or more: ours and the rival's drawn at first, the others a click
    away in the legend. The table holds every trail point with the numbers the hover shows."""
    h = history_of(ctx)
    if h is None:
        return ()
    t, fmt, us = ctx.t, ctx.fmt, ctx.site.us
    found = h.trails()
    order = sorted(found, key=lambda s: (s != us, s != h.rival, found[s][-1].position.name.casefold(), s))
    trails, rows, ours = [], [], []
    for slug in order:
        points = found[slug]
        labels = []
        for pt in points:
            p = pt.position
            numbers = [step_label(ctx, pt.step), fmt.number(p.relative_quality), fmt.number(p.relative_price),
                       value_for_money(ctx, p.customer_value)]
            labels.append(numbers)
            rows.append([cell(p.name, strong=p.is_us), cell(numbers[0]), cell(numbers[1]), cell(numbers[2]),
                         cell(numbers[3], tone=tone(p.customer_value)),
                         cell(zone_label(t, p.zone), tone=zone_tone(p.zone))])
            ours.append(p.is_us)
        last = points[-1].position
        trails.append({"slug": slug, "name": last.name, "is_us": last.is_us, "shown": slug in (us, h.rival),
                       "x": [pt.position.relative_quality for pt in points],
                       "y": [pt.position.relative_price for pt in points], "labels": labels})
    trail_table = table(t("history.trail_caption"),
                        [(t("col.company"), False), (t("history.col.date"), False),
                         (t("col.relative_quality"), True), (t("col.relative_price"), True),
                         (t("col.customer_value"), True), (t("col.zone"), False)], rows, ours)
    return trails, trail_table


def home_link(ctx: SiteContext, links: Links) -> dict | None:
    """The home page's link to the changes page: "What changed since <oldest date>"."""
    h = history_of(ctx)
    href = links.page_of("changes")
    if h is None or href is None:
        return None
    return {"href": href, "text": ctx.t("history.since_title", date=ctx.fmt.date(h.steps[0].date)),
            "intro": ctx.t("history.map_note")}


# --- the changes page --------------------------------------------------------------------------------------

def _same(ctx: SiteContext):
    fmt = ctx.fmt

    def same(kind: str, point, before: float, after: float) -> bool:
        if kind == "price":
            return fmt.money(before) == fmt.money(after)
        if point is not None:
            return point_number(ctx, point.key, before) == point_number(ctx, point.key, after)
        return fmt.number(before) == fmt.number(after)
    return same


def _shown(ctx: SiteContext, point, value: float | None) -> str:
    if value is None:
        return ctx.t("score.unknown")
    return point_number(ctx, point.key, value)


def _price_source(ctx: SiteContext, position, kinds: dict) -> str:
    """Where a comparison price was seen: the source kind and date of the observation chosen, or the plan's
    date for a bare price."""
    q = position.quote
    chosen = q.chosen.chosen
    if q.plan.price is not None or chosen is None:
        return ctx.t("history.price_given", date=ctx.fmt.date(q.plan.as_of)) if q.plan.as_of else \
            ctx.t("history.price_given_undated")
    obs = chosen.observation
    seen = ctx.fmt.partial_date(obs.date)  # to the day, the month or the year, as written
    return ctx.t("history.price_seen", source=kinds.get(obs.source, obs.source or ctx.t("history.source_unknown")),
                 date=seen)


def _evidence(ctx: SiteContext, trace, point, kinds: dict) -> str:
    """The evidence behind a score as this build's audience may see it, newest first, in one cell."""
    t = ctx.t
    if not trace.evidence:
        text = t("history.no_evidence")
        return f"{text} — {trace.note}" if trace.note else text
    items = []
    for ev in sorted(trace.evidence, key=lambda e: (e.date, e.source), reverse=True):
        note = ev.note if ctx.scores.audience == INTERNAL or not ev.note_internal else ""
        item = t("history.evidence_item", source=kinds.get(ev.source, ev.source), date=ctx.fmt.date(ev.date),
                 value=_shown(ctx, point, ev.value))
        items.append(f"{item} — {note}" if note else item)
    return "; ".join(items)


def _section(ctx: SiteContext, links: Links, changes: Changes) -> dict:
    t, fmt = ctx.t, ctx.fmt
    kinds = {k.id: k.label for k in ctx.site.source_kinds}
    since, until = changes.since, changes.until
    then, now = step_label(ctx, since), step_label(ctx, until)
    crossed = [{"name": mv.name, "href": links.company(mv.slug), "us": mv.after.is_us,
                "text": t("history.crossed", before=zone_label(t, mv.before.zone), after=zone_label(t, mv.after.zone),
                          rp_before=fmt.number(mv.before.relative_price), rp_after=fmt.number(mv.after.relative_price),
                          rq_before=fmt.number(mv.before.relative_quality),
                          rq_after=fmt.number(mv.after.relative_quality)),
                "tone": zone_tone(mv.after.zone)} for mv in changes.crossed]
    entered = [{"name": p.name, "href": links.company(p.slug),
                "text": t("history.entered_item", rank=p.rank, zone=zone_label(t, p.zone),
                          rq=fmt.number(p.relative_quality), rp=fmt.number(p.relative_price))}
               for p in changes.entered]
    left = [{"name": p.name, "href": links.company(p.slug), "text": t("history.left_item")} for p in changes.left]
    positions = table(
        t("history.positions_caption", since=then, until=now),
        [(t("col.company"), False), (t("history.col.rank_then"), True), (t("history.col.rank_now"), True),
         (t("history.col.rq_then"), True), (t("history.col.rq_now"), True), (t("history.col.rp_then"), True),
         (t("history.col.rp_now"), True), (t("history.col.zone_then"), False), (t("history.col.zone_now"), False)],
        [[cell(mv.name, links.company(mv.slug), strong=mv.after.is_us),
          cell(fmt.whole(mv.before.rank)), cell(fmt.whole(mv.after.rank)),
          cell(fmt.number(mv.before.relative_quality)), cell(fmt.number(mv.after.relative_quality)),
          cell(fmt.number(mv.before.relative_price)), cell(fmt.number(mv.after.relative_price)),
          cell(zone_label(t, mv.before.zone), tone=zone_tone(mv.before.zone)),
          cell(zone_label(t, mv.after.zone), tone=zone_tone(mv.after.zone))] for mv in changes.moves],
        [mv.after.is_us for mv in changes.moves])
    prices = table(
        t("history.prices_caption", since=then, until=now),
        [(t("col.company"), False), (t("history.col.plan"), False), (t("history.col.price_then"), True),
         (t("history.col.price_now"), True), (t("history.col.change"), True), (t("history.col.source_then"), False),
         (t("history.col.source_now"), False)],
        [[cell(pc.name, links.company(pc.slug), strong=pc.after.is_us),
          cell(pc.after.plan if pc.before.plan == pc.after.plan else f"{pc.before.plan} → {pc.after.plan}"),
          cell(fmt.money(pc.before.price)), cell(fmt.money(pc.after.price)),
          cell(fmt.percent(100.0 * (pc.after.price - pc.before.price) / pc.before.price) if pc.before.price > 0
               else "—", tone=tone(pc.before.price - pc.after.price)),
          cell(_price_source(ctx, pc.before, kinds)), cell(_price_source(ctx, pc.after, kinds))]
         for pc in changes.prices], [pc.after.is_us for pc in changes.prices]) if changes.prices else None
    dims = {d.id: d for d in ctx.site.dimensions}

    def point_label(point) -> str:
        d = dims[point.dimension]
        if point.criterion is None:
            return d.label
        return f"{d.label} · {next(c.label for c in d.criteria if c.id == point.criterion)}"

    scores = table(
        t("history.scores_caption", since=then, until=now),
        [(t("col.company"), False), (t("history.col.criterion"), False), (t("history.col.score_then"), True),
         (t("history.col.score_now"), True), (t("history.col.evidence"), False)],
        [[cell(sc.name, links.company(sc.slug), strong=sc.slug == ctx.site.us), cell(point_label(sc.point)),
          cell(_shown(ctx, sc.point, sc.before.value), status=sc.before.status),
          cell(_shown(ctx, sc.point, sc.after.value), status=sc.after.status),
          cell(_evidence(ctx, sc.after, sc.point, kinds))] for sc in changes.scores],
        [sc.slug == ctx.site.us for sc in changes.scores]) if changes.scores else None
    return {
        "id": f"since-{since.key}", "title": t("history.since_section", date=then),
        "label": since.label, "date": then,
        "note": ctx.as_written(markdown(since.note)) if since.note and ctx.scores.audience == INTERNAL else "",
        "crossed": crossed, "entered": entered, "left": left,
        "positions": positions, "prices": prices, "scores": scores,
    }


def changes_view(ctx: SiteContext, page: PlannedPage) -> dict:
    """What changed since each earlier date, the oldest first (the default view): zones crossed, prices,
    scores and the evidence behind the new ones, and every company's position then and now."""
    t = ctx.t
    links = Links(ctx, page)
    h = history_of(ctx)
    oldest = ctx.fmt.date(h.steps[0].date)
    view = base(ctx, page, t("history.since_title", date=oldest), t("history.intro"))
    same = _same(ctx)
    sections = [_section(ctx, links, compare(ctx.site, step, h.now, same=same)) for step in h.past]
    view["sections"] = sections
    view["since_links"] = [{"href": f"#{s['id']}", "text": s["date"], "label": s["label"]} for s in sections]
    view["method"] = t("history.method")
    return view


__all__ = ["map_trails", "home_link", "changes_view", "history_of"]
