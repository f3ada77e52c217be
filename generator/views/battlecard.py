"""A competitor's battlecard: the page a rep sends or prints — one A4 or Letter page (two at most).

Head-to-head value curves and the difference per dimension (compact figures), prices at each segment, where
both companies sit on the overall map, and the three strongest evidence items about the competitor. The
external card is the comparison only; the internal one adds the talk track, objection handling and
landmines (questions that expose the competitor's weaknesses, from its scorecard's ``weaknesses``).
"""
from __future__ import annotations

from ..plan import INTERNAL, PlannedPage
from ..text import safe_href
from ..verify import STATUSES
from .common import Links, SiteContext, categories, newest_date, point_number, shown_score
from .frame import absolute_url, base
from .company import (_note, _price_table, _verdict, head_to_head_blocks, internal_texts, statements,
                      where_they_sit)

EVIDENCE_ITEMS = 3


def battlecard_view(ctx: SiteContext, page: PlannedPage) -> dict:
    t, site, fmt = ctx.t, ctx.site, ctx.fmt
    links = Links(ctx, page)
    slug = page.key
    them, us = ctx.content.companies[slug], ctx.content.us
    view = base(ctx, page, t("battlecard.title", name=them.name, us=us.name),
                t("battlecard.description", name=them.name, us=us.name))
    view["name"], view["us_name"] = them.name, us.name
    view["competitor_href"] = links.page_of("competitor", slug)
    view["verdict"] = _verdict(ctx, slug, them.name, us.name)
    placed = ctx.scores.overall.get(slug)
    newest = newest_date(ctx, slug)
    facts = [t("competitor.coverage", share=fmt.share(placed.coverage)) if placed else "",
             t("competitor.newest", date=fmt.date(newest)) if newest else t("competitor.newest_none"),
             t("competitor.as_of", date=fmt.date(them.as_of)) if them.as_of else ""]
    view["facts"] = [f for f in facts if f]
    view["address"] = absolute_url(ctx, page.path)  # printed on the card: where the live version is
    # The internal card adds the talk track and objections: they print on a second page (tests/browser/test_print.py)
    view["print_hint"] = t("battlecard.print_hint_internal" if page.audience == INTERNAL else "battlecard.print_hint")

    view["curves"], view["difference"] = head_to_head_blocks(ctx, slug, ids=("card-curves", "card-difference"),
                                                             compact=True)
    view["where"] = where_they_sit(ctx, slug, "card-where")
    view["charts"] = [view["curves"], view["difference"], view["where"]]
    view["prices"] = _price_table(ctx, links, slug, them.name, us.name)
    view["prices_intro"] = "competitor.prices_intro" if site.price_reference else "competitor.prices_intro_single"
    view["evidence"] = strongest_evidence(ctx, slug)

    view["internal_card"] = None
    if page.audience == INTERNAL:
        texts = internal_texts(ctx, them)
        view["internal_card"] = {"talk_track": texts["talk_track"], "objections": texts["objections"],
                                 "landmines": statements(ctx, them.weaknesses, page.audience)}
    return view


def strongest_evidence(ctx: SiteContext, slug: str, count: int = EVIDENCE_ITEMS) -> list[dict]:
    """The ``count`` strongest evidence items about a company, one per criterion: items behind a verified score
    first (by the score's status, strongest first — its ScoreTrace verdict), then independent sources before
    gameable ones, then the newest. Only what this page's audience may see (the traces were scored for it)."""
    t, fmt = ctx.t, ctx.fmt
    kinds = {k.id: k for k in ctx.site.source_kinds}
    company = ctx.scores.companies[slug]
    best = []
    for dl, cl, d, c in categories(ctx.site, t):
        trace = company.point(d, c)
        if not trace.evidence:
            continue

        def strength(ev, trace=trace):
            kind = kinds.get(ev.source)
            return (STATUSES.index(trace.status), 0 if kind is None or kind.independent else 1,
                    -ev.date.toordinal(), ev.source)

        ev = min(trace.evidence, key=strength)
        best.append((strength(ev), dl, cl, d, c, ev))
    best.sort(key=lambda item: item[0])
    items = []
    for _, dl, cl, d, c, ev in best[:count]:
        kind = kinds.get(ev.source)
        items.append({
            "dimension": dl, "criterion": cl, "score": str(shown_score(ctx, slug, d, c)),
            "status": company.point(d, c).status,
            "source": kind.label if kind else ev.source,
            "badge": "independent" if kind is None or kind.independent else "gameable",
            "value": point_number(ctx, (d, c), ev.value),
            "date": fmt.date(ev.date), "note": ctx.as_written(_note(ctx, ev), inline=True), "href": safe_href(ev.url),
        })
    return items
