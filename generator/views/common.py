"""Pieces every page view shares: the site context, relative links, tables, charts, the page base."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import orjson

from .. import charts
from .. import model as m
from ..locales import Translator
from ..plan import INTERNAL, PlannedPage, SitePlan, relative_url
from ..score import MarketScores, ValueMap
from ..text import money, num, percent, signed, signed_money
from ..validate import Content


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


def tone(value: float, eps: float = 0.05) -> str:
    return "positive" if value > eps else "negative" if value < -eps else ""


def zone_label(t: Translator, zone: str) -> str:
    return t(f"zone.{zone}")


def method_note(ctx: SiteContext, vmap: ValueMap) -> str:
    t = ctx.t
    line = t(f"method.line.{vmap.line.method}", slope=num(vmap.line.slope, 2), intercept=num(vmap.line.intercept, 1))
    if vmap.line.fallback:
        line += " " + t("method.line.fallback")
    return t("method.note", comparison=t(f"method.comparison.{vmap.comparison}"), line=line, band=num(vmap.band, 1))


def reference_label(ctx: SiteContext, ref: m.PriceReference, short: bool = True) -> str:
    if short:
        return ctx.t("price.reference_short", tier=ref.tier.capitalize(), seats=ref.seats)
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
            cell(f"{signed_money(p.headroom, cur)} ({percent(p.headroom_pct)})", tone=tone(p.headroom)),
            cell(signed(p.customer_value), tone=tone(p.customer_value)),
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
         "detail": t("fig.headroom_detail", pct=percent(us.headroom_pct)), "tone": tone(us.headroom)},
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
        "nav": nav, "internal": page.audience == INTERNAL,
        "kind": page.kind, "charts": [],
        "footer": t("footer.text", market=site.market, count=len(ctx.content.companies),
                    basis=site.price_basis, currency=site.currency),
        "methodology_href": links.page_of("methodology"),
    }




def categories(site: m.Site, t: Translator) -> list[tuple[str, str, str, str | None]]:
    """(dimension label, criterion label, dimension id, criterion id) for every scored point."""
    out = []
    for d in site.dimensions:
        if d.criteria:
            out.extend((d.label, c.label, d.id, c.id) for c in d.criteria)
        else:
            out.append((d.label, t("canvas.overall"), d.id, None))
    return out


def criterion_value(ctx: SiteContext, slug: str, dim: str, crit: str | None) -> float:
    result = ctx.scores.companies[slug].dimensions[dim]
    if crit is None or crit not in result.criteria:  # scored per dimension: each criterion shows that score
        return result.value
    return result.criteria[crit].value
