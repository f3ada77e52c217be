"""What to verify next (internal only): the unverified scores and prices ranked by what they could do to our
rank, justified price and headroom on the overall map (numbers from :mod:`generator.audit`)."""
from __future__ import annotations

import datetime as _dt
import math

from .. import audit as audit_
from ..plan import INTERNAL, PlannedPage
from .common import Links, SiteContext, cell, point_number, reference_label, table
from .frame import base


def status_word(ctx: SiteContext, status: str) -> str:
    """The status in words, as the status marks name it (``status.<status>``); the status id itself when the
    table has no word for it."""
    try:
        return ctx.t(f"status.{status}")
    except KeyError:
        return status


def _field(ctx: SiteContext, item: audit_.AuditItem, labels: dict) -> str:
    if item.kind == "price":
        ref = ctx.site.price_reference
        if ref is None:  # each company's one price: no reference point to name
            return ctx.t("audit.field.price_only")
        return ctx.t("audit.field.price", reference=reference_label(ctx, ref))
    return labels[(item.dimension, item.criterion)]


def _value(ctx: SiteContext, item: audit_.AuditItem, value: float | None, size: float = 0.0) -> str:
    """A score or a price as the other pages show it (formats.py): on the scale, in its unit, or money. A
    measured value that bounds a spread of ``size`` gets the decimals that spread needs to show (±0.3 hours,
    not ±0 beside a value of 2)."""
    fmt = ctx.fmt
    if value is None:
        return ctx.t("score.unknown")
    if item.kind == "price":
        return fmt.money(value)
    key = (item.dimension, item.criterion)
    if size > 0 and ctx.points[key].unit:
        return point_number(ctx, key, value, max(ctx.decimals.get(key, 0), _significant(size)))
    return point_number(ctx, key, value)


def _significant(size: float) -> int:
    """The decimals that show one significant digit of ``size`` (0.3 → 1, 0.04 → 2; 5 → 0), at most 4."""
    return 0 if size >= 1 else min(4, -math.floor(math.log10(size)))


def _uncertainty(ctx: SiteContext, item: audit_.AuditItem) -> str:
    t, fmt = ctx.t, ctx.fmt
    if item.bound == "none":
        return "—"
    if item.bound in ("scale", "observations"):  # a range, not a half-width
        size = (item.high - item.low) if item.low is not None and item.high is not None else 0.0
        return t("audit.range", low=_value(ctx, item, item.low, size), high=_value(ctx, item, item.high, size))
    if item.kind == "price":
        return "±" + fmt.money(item.uncertainty)
    return "±" + _value(ctx, item, item.uncertainty, item.uncertainty or 0.0)


def _rank(ctx: SiteContext, item: audit_.AuditItem) -> str:
    """"#2 → #3": our rank now, then where it could go ("#2 → #1–#3" when both ways); "#2" when it holds."""
    if item.now is None or item.rank_best is None:
        return "—"
    now = item.now.rank
    moved = sorted({item.rank_best, item.rank_worst} - {now})
    if not moved:
        return ctx.t("audit.rank_holds", rank=now)
    if item.rank_best < now < item.rank_worst:
        return ctx.t("audit.rank_moves", rank=now,
                     to=ctx.t("audit.rank_range", best=item.rank_best, worst=item.rank_worst))
    if len(moved) == 2:
        return ctx.t("audit.rank_moves", rank=now, to=ctx.t("audit.rank_range", best=moved[0], worst=moved[1]))
    return ctx.t("audit.rank_moves", rank=now, to=ctx.t("audit.rank", rank=moved[0]))


def _money_range(ctx: SiteContext, low: float | None, high: float | None, signed: bool = False) -> str:
    if low is None or high is None:
        return "—"
    show = ctx.fmt.signed_money if signed else ctx.fmt.money
    a, b = show(low), show(high)
    return a if a == b else ctx.t("audit.range", low=a, high=b)


def audit_view(ctx: SiteContext, page: PlannedPage) -> dict:
    t, fmt, site = ctx.t, ctx.fmt, ctx.site
    if page.audience != INTERNAL:  # the plan never plans this page for an external build
        raise ValueError("the audit page is internal only")
    links = Links(ctx, page)
    view = base(ctx, page, t("audit.title"), t("audit.intro"))
    companies = ctx.content.companies
    today = ctx.scores.today or _dt.date.today()
    items = audit_.audit(site, companies, ctx.scores.companies, today, page.audience)
    ours = ctx.scores.overall.get(site.us)
    view["method"] = t("audit.method")
    view["now"] = (t("audit.now", rank=ours.rank, count=len(ctx.scores.overall.positions),
                     justified=fmt.money(ours.justified_price), headroom=fmt.signed_money(ours.headroom))
                   if ours else t("audit.not_placed"))
    view["note"] = (t("audit.skipped", count=len(companies), most=audit_.MAX_COMPANIES)
                    if audit_.skipped(companies) else "")
    labels = {(d.id, c.id): t("audit.field.point", dimension=d.label, criterion=c.label)
              for d in site.dimensions for c in d.criteria}
    labels.update({(d.id, None): d.label for d in site.dimensions})
    rows = [[cell(item.name, links.company(item.slug), strong=item.slug == site.us),
             cell(_field(ctx, item, labels)), cell(status_word(ctx, item.status)),
             cell(_value(ctx, item, item.value)), cell(_uncertainty(ctx, item)), cell(_rank(ctx, item)),
             cell(_money_range(ctx, item.justified_low, item.justified_high)),
             cell(_money_range(ctx, item.headroom_low, item.headroom_high, signed=True)),
             cell(t(f"audit.needed.{item.needed}"))] for item in items]
    view["table"] = table(t("audit.caption"),
                          [(t("col.company"), False), (t("audit.col.field"), False), (t("audit.col.status"), False),
                           (t("audit.col.value"), True), (t("audit.col.uncertainty"), True),
                           (t("audit.col.rank"), True), (t("audit.col.justified"), True),
                           (t("audit.col.headroom"), True), (t("audit.col.needed"), False)],
                          rows, [item.slug == site.us for item in items]) if rows else None
    view["empty"] = "" if rows or view["note"] else t("audit.empty")
    return view
