"""Pieces every page view shares: the site context, relative links, tables, charts, the shown scores (the frame
around every page — navigation, link previews, footer — is :mod:`generator.views.frame`)."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import orjson
from markupsafe import Markup

from .. import model as m
from ..languages import localize
from ..locales import Translator
from ..plan import INTERNAL, PlannedPage, SitePlan, relative_url
from ..reads import recorded, recording, replay
from ..formats import Formatter, band_decimals, decimals_of
from ..points import Point, points
from ..score import MarketScores, Position, ValueMap
from ..verify import STATUSES
from ..validate import Content


@dataclass(frozen=True)
class SiteContext:
    content: Content
    scores: MarketScores
    plan: SitePlan
    t: Translator
    asset_paths: Mapping[str, str]  # logical name → path from the site root (fingerprinted)
    fmt: Formatter
    points: Mapping[tuple[str, str | None], Point]  # what companies are scored on, by (dimension, criterion)
    # A multi-language build: the context of each language's sub-site (generator/languages.py); pages are
    # rendered through the one of their language (views.page_view).
    variants: Mapping[str, "SiteContext"] = field(default_factory=dict, repr=False, compare=False)
    # Blocks two pages of one company show alike, made once (shared_block); bounded, never a page's HTML.
    memo: dict = field(default_factory=dict, repr=False, compare=False)
    # The decimals of each measured criterion (unit_decimals): every value of it reads alike.
    decimals: Mapping[tuple[str, str | None], int] = field(default_factory=dict, repr=False, compare=False)

    @property
    def site(self) -> m.Site:
        return self.content.site

    def name(self, slug: str) -> str:
        return self.content.companies[slug].name

    @property
    def written_in(self) -> str:
        """The language content text is in when it differs from this page's: "" when they agree."""
        source = self.content.written_in
        return source if source and source != self.site.lang else ""

    def as_written(self, html: Markup | str, *, inline: bool = False, field: tuple | None = None) -> Markup | str:
        """Content text shown as written, not in this page's language (a Japanese page quoting an English
        summary), marked with its own (``lang``: WCAG 3.1.2): a screen reader reads it with the right voice.
        ``field``: (document id, field path) of a translatable field — not marked when translated here."""
        source = self.written_in
        if not source or not html or (field is not None and self.site.lang in self.content.translations.get(field, {})):
            return html
        tag = "span" if inline else "div"
        return Markup('<{0} lang="{1}">{2}</{0}>').format(tag, source, html if isinstance(html, Markup) else str(html))


def with_languages(ctx, make: Callable[[Any, Any], Any]):
    """The site context with one context per language (``ctx.variants``) when the plan has languages;
    ``make(content, plan)`` makes a context."""
    variants = getattr(ctx.plan, "variants", None)
    if not variants:
        return ctx
    return dataclasses.replace(ctx, variants={lang: make(localize(ctx.content, lang), sub)
                                              for lang, sub in variants.items()})


def make_context(content: Content, scores: MarketScores, plan: SitePlan, asset_paths: Mapping[str, str],
                 formatter=Formatter) -> SiteContext:
    """``formatter(lang, currency, decimals)`` makes the number formats (serve keeps one between rebuilds, its
    memo of laid-out numbers warm: :meth:`generator.company_cache.CompanyCache.formatter`)."""
    site = content.site
    decimals = site.price_decimals
    if decimals is None:  # as many decimals as the prices entered have: 72 never shows as 71.77 — the prices
        # this audience may see: an internal observation's 21.55 once put cents on every external price
        visible = scores.audience == INTERNAL
        decimals = decimals_of(v for c in content.companies.values() for p in c.prices
                               for v in ([p.price] if p.price is not None else
                                         [x for o in p.observations if visible or not o.internal
                                          for x in (o.low, o.high, o.estimate) if x is not None]))
    site_points = {p.key: p for p in points(site)}
    ctx = SiteContext(content, scores, plan, Translator(site.lang), asset_paths,
                      formatter(site.lang, site.currency, decimals), site_points,
                      decimals=unit_decimals(site_points, scores))
    return with_languages(ctx, lambda localized, sub: make_context(localized, scores, sub, asset_paths, formatter))


def unit_decimals(site_points: Mapping, scores: MarketScores) -> dict:
    """Per measured criterion, the decimals its values are written with — given values and evidence this
    audience sees, in every company (at most 2): one format for the criterion in every table, label and hover,
    its computed values (a mean, a median, a difference) included. 23 and 35 minutes: a mean of 23.3 reads 23."""
    return {key: decimals_of(v for c in scores.companies.values() for v in _written(c.points[key]))
            for key, p in site_points.items() if p.unit}


def _written(trace) -> list[float]:
    return ([trace.value] if trace.given and trace.value is not None else []) + [ev.value for ev in trace.evidence]


def point_number(ctx: SiteContext, key: tuple[str, str | None], value: float | None,
                 decimals: int | None = None) -> str:
    """A value of a point as every page writes it: in the criterion's unit and decimals, or on the scale.
    ``decimals``: other decimals for a measured value (the audit's spreads)."""
    unit = ctx.points[key].unit
    if not unit:
        return ctx.fmt.number(value)
    return ctx.fmt.measure(value, unit, ctx.decimals.get(key) if decimals is None else decimals)


def point_difference(ctx: SiteContext, key: tuple[str, str | None], a: float | None, b: float | None) -> str:
    """``a − b`` on a point, as worked out from the two values shown (:meth:`Formatter.difference`)."""
    unit = ctx.points[key].unit
    if not unit:
        return ctx.fmt.difference(a, b)
    text = ctx.fmt.difference(a, b, ctx.decimals.get(key, 0))
    return text if a is None or b is None else f"{text} {unit}"


SHARED_BLOCKS = 16  # entries kept by shared_block: a company's pages render one after the other


def shared_block(ctx: SiteContext, key: tuple, make) -> Any:
    """``make()``, or what it made for ``key`` before in this context: a block a competitor's page and its
    battlecard both show (the "where they sit" map: ~0.8 ms of each page at 1,000 companies). Pages are
    rendered with a company's pages next to each other (:func:`generator.parallel.render_pages`), so the
    second page finds it; the memo keeps the last few entries only. Under serve's read recording, what ``make`` read
    is recorded with the block and counted again for each page that reuses it (:func:`generator.reads.replay`),
    so the second page depends on the same inputs as the first. The block is shared, never changed."""
    hit = ctx.memo.get(key)
    if hit is not None and (hit[1] is not None or not recording()):
        replay(hit[1])
        return hit[0]
    result, reads = recorded(make)
    if len(ctx.memo) >= SHARED_BLOCKS:  # the oldest goes (a dict keeps its order): never the block just made
        del ctx.memo[next(iter(ctx.memo))]
    ctx.memo[key] = (result, reads)
    return result


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
    return {"id": chart_id, "json": payload, "label": label, "table": table, "unplaced": [], "as_of": ""}


class Shown(str):
    """A number as a reader sees it, carrying its verification status (see :mod:`generator.verify`): a
    table cell made of it shows the status mark beside the number, the number's text unchanged."""

    status: str | None = None

    def __new__(cls, text: str, status: str | None = None):
        obj = super().__new__(cls, text)
        obj.status = status
        return obj


def cell(text: Any, href: str | None = None, tone: str = "", strong: bool = False, status: str | None = None
         ) -> dict:
    """A table cell. ``status``: the verification status whose mark sits beside the number (taken from a
    :class:`Shown` text when not given)."""
    if status is None:
        status = getattr(text, "status", None)
    return {"text": str(text), "href": href, "tone": tone, "strong": strong, "status": status}


def table(caption: str, columns: list[tuple[str, bool]], rows: list[list[dict]], highlight: list[bool] | None = None,
          gaps: list[bool] | None = None, sorted_by: int | None = None) -> dict:
    """``columns``: (label, numeric) pairs. ``highlight``: rows shown as ours. ``gaps``: rows that follow rows
    left out (a large market's selection): drawn with a broken rule above. ``sorted_by``: the column the rows
    are ranked by, highest first (its header says so: a ▾ and aria-sort)."""
    # A caption holding names is Markup (<bdi> around each name, see Translator.html); its aria-label is text.
    # Each cell's element and class are set here, once, so the template's loop only prints them: the first cell
    # of a row that is not a number heads it (<th scope="row">): the company after its rank, a criterion.
    head = next((i for i, (_, numeric) in enumerate(columns) if not numeric), None)
    kinds = [("td", "num ") if numeric else ("th" if i == head else "td", "") for i, (_, numeric) in enumerate(columns)]
    for r in rows:
        for c, (tag, cls) in zip(r, kinds):
            c["tag"], c["cls"] = tag, cls + c["tone"]
    return {"caption": caption, "caption_text": caption.striptags() if isinstance(caption, Markup) else caption,
            "columns": [{"label": label, "numeric": numeric, "sorted": i == sorted_by}
                        for i, (label, numeric) in enumerate(columns)],
            "rows": [{"cells": r, "us": bool(highlight[i]) if highlight else False,
                      "gap": bool(gaps[i]) if gaps else False} for i, r in enumerate(rows)]}


def tone(value: float | None, eps: float = 0.05) -> str:
    if value is None:
        return ""
    return "positive" if value > eps else "negative" if value < -eps else ""


def zone_label(t: Translator, zone: str) -> str:
    return t(f"zone.{zone}")


def zone_tone(zone: str) -> str:
    return {"better": "positive", "worse": "negative"}.get(zone, "")


def method_note(ctx: SiteContext, vmap: ValueMap) -> str:
    t, fmt = ctx.t, ctx.fmt
    line = t(f"method.line.{vmap.line.method}", slope=fmt.number(vmap.line.slope, 2),
             intercept=fmt.number(vmap.line.intercept, 1))
    if vmap.line.fallback:
        line += " " + t(f"method.line.fallback.{vmap.line.fallback}")
    return t("method.note", comparison=t(f"method.comparison.{vmap.comparison}"), line=line,
             band=fmt.number(vmap.band, 1), rank_by=t(f"method.rank_by.{vmap.rank_by}"))


def reference_label(ctx: SiteContext, ref: m.PriceReference | None, short: bool = True) -> str:
    if ref is None:
        return ctx.t("price.reference_none_short") if short else ctx.t.html("price.reference_none",
                                                                             basis=ctx.site.price_basis)
    if short:
        return ctx.t("price.reference_short", tier=ref.tier.capitalize(), seats=ref.seats, count=ref.seats)
    return ctx.t.html("price.reference", tier=ref.tier, seats=ref.seats, basis=ctx.site.price_basis,
                      count=ref.seats)


ESTIMATE_MARK = "≈"  # before a price that is our estimate of a quote (weigh.js: the same)


def asked(ctx: SiteContext, p: Position) -> str:
    """The price a company asks on a map, as every page writes it: "≈€72" when it is our estimate of a quote."""
    return (ESTIMATE_MARK if p.quote.estimated else "") + ctx.fmt.money(p.price)


def value_for_money(ctx: SiteContext, value: float | None) -> str:
    """A customer value (the distance below the fair-value line) as every page writes it: one decimal, more
    where one would read as inside the fair-value band while the company is outside it (formats.band_decimals)."""
    if value is None:
        return ctx.fmt.signed(None)
    return ctx.fmt.signed(value, band_decimals(value, ctx.site.method.fair_value_band))


def map_numbers(ctx: SiteContext, p: Position) -> list[str]:
    """The numbers of a company on a map as a reader sees them, in the chart's hover and in the table."""
    return [ctx.fmt.number(p.relative_quality), ctx.fmt.number(p.relative_price), value_for_money(ctx, p.customer_value)]


def map_range(ctx: SiteContext, p: Position) -> str:
    """The hover's extra line: the range the position could have, and how much of it evidence backs. The
    ends are the error bars' ends, formatted as every other number (generator/formats.py)."""
    fmt, t = ctx.fmt, ctx.t
    return t("chart.range", rq_low=fmt.number(p.rq_low), rq_high=fmt.number(p.rq_high),
             rp_low=fmt.number(p.rp_low), rp_high=fmt.number(p.rp_high))


def map_backed(ctx: SiteContext, p: Position) -> str:
    return ctx.t("chart.backed", share=ctx.fmt.share(p.coverage))


def newest_date(ctx: SiteContext, slug: str, quotes=()) -> "object | None":
    """The newest evidence or price date of a company, as this build's audience sees it."""
    days = [tr.verdict.newest for tr in ctx.scores.companies[slug].points.values() if tr.verdict.newest]
    days += [ev.date for tr in ctx.scores.companies[slug].points.values() for ev in tr.evidence]
    for q in quotes:
        if q is None:
            continue
        if q.plan.price is not None:
            if q.plan.as_of:
                days.append(q.plan.as_of)
        else:
            days += [c.observation.date_start for c in q.chosen.observations]
    return max(days) if days else None


def map_as_of(ctx: SiteContext, vmap: ValueMap) -> str:
    """"Data as of <date>": the newest evidence or price date among the companies placed on the map."""
    days = [d for d in (newest_date(ctx, p.slug, [p.quote]) for p in vmap.positions) if d]
    return ctx.t("chart.as_of", date=ctx.fmt.date(max(days))) if days else ""


def unplaced_notes(ctx: SiteContext, vmap: ValueMap, links: Links) -> list[dict]:
    """Companies left off a map, each with the reason in words."""
    return [{"name": u.name, "href": links.company(u.slug), "reason": ctx.t(f"unplaced.{u.reason}")}
            for u in vmap.unplaced]


def headline(ctx: SiteContext, vmap: ValueMap) -> list[dict]:
    """Our headline figures on a map: rank, justified price, headroom, position."""
    t, fmt = ctx.t, ctx.fmt
    us = vmap.get(ctx.site.us)
    if us is None:
        reason = next(u.reason for u in vmap.unplaced if u.is_us)
        return [{"label": t("fig.rank"), "value": "—", "detail": t(f"unplaced.{reason}"), "tone": ""}]
    return [
        {"label": t("fig.rank"), "value": t("fig.rank_value", rank=us.rank, count=len(vmap.positions)),
         "detail": t(f"fig.rank_detail.{vmap.rank_by}"), "tone": "positive" if us.rank == 1 else ""},
        {"label": t("fig.justified_price"), "value": fmt.money(us.justified_price),
         "detail": t.html("fig.justified_detail", price=asked(ctx, us), plan=us.plan), "tone": ""},
        {"label": t("fig.headroom"), "value": fmt.signed_money(us.headroom),
         "detail": t("fig.headroom_detail", pct=fmt.percent(us.headroom_pct)), "tone": tone(us.headroom)},
        {"label": t("fig.position"), "value": f"{fmt.number(us.relative_quality)} / {fmt.number(us.relative_price)}",
         "detail": t("fig.position_detail", value=value_for_money(ctx, us.customer_value), zone=zone_label(t, us.zone),
                     ratio=fmt.ratio(us.ratio) if us.ratio is not None else t("ratio.free")),
         "tone": zone_tone(us.zone)},
    ]


def weights_table(ctx: SiteContext, weights: Mapping[str, float], caption: str, links: Links) -> dict:
    t = ctx.t
    shares = ctx.fmt.shares(weights)
    rows = [[cell(d.label, links.page_of("dimension", d.id)), cell(shares[d.id])] for d in ctx.site.dimensions]
    return table(caption, [(t("col.dimension"), False), (t("col.weight"), True)], rows)


def categories(site: m.Site, t: Translator) -> list[tuple[str, str, str, str | None]]:
    """(dimension label, criterion label, dimension id, criterion id) for every scored point."""
    out = []
    for d in site.dimensions:
        if d.criteria:
            out.extend((d.label, c.label, d.id, c.id) for c in d.criteria)
        else:
            out.append((d.label, t("canvas.overall"), d.id, None))
    return out


def point_of(ctx: SiteContext, dim: str, crit: str | None):
    """The scoring point for (dimension, criterion)."""
    return ctx.points[(dim, crit)]


def shown_score(ctx: SiteContext, slug: str, dim: str, crit: str | None) -> Shown:
    """A point's score as every table and chart label shows it: on the scale, in its unit, or an index —
    carrying its verification status (a table cell shows the mark beside it)."""
    trace = ctx.scores.companies[slug].point(dim, crit)
    value = trace.value
    if value is None:
        return Shown(ctx.t("score.unknown"), "unknown")
    return Shown(point_number(ctx, (dim, crit), value), trace.status)


def dimension_status(ctx: SiteContext, slug: str, dim: str) -> str:
    """The status of a dimension's score (the weighted mean of its known points on the scale): the weakest
    status among those points — a mean is no stronger than its weakest part; unknown when no point is known."""
    company = ctx.scores.companies[slug]
    if company.value(dim) is None:
        return "unknown"
    found = [tr.status for key, tr in company.points.items()
             if key[0] == dim and ctx.points[key].unit is None and tr.value is not None]
    return max(found, key=STATUSES.index) if found else "unknown"


def plotted_score(ctx: SiteContext, slug: str, dim: str, crit: str | None) -> float | None:
    """A point's value on the site's scale for the value curves (None: measured or unknown, not drawn)."""
    pt = ctx.points[(dim, crit)]
    if not pt.on_scale:
        return None
    return ctx.scores.companies[slug].point(dim, crit).value
