"""View models: everything a template shows, precomputed — sorted, formatted, linked, charts as data.

Templates receive these dicts and only place them (StrictUndefined: a missing field fails the build). Each
page's view is computed from the shared, read-only :class:`SiteContext` and its :class:`PlannedPage` alone,
so pages are independent of each other and can be rendered in any order or in parallel.

Audience rule: internal fields (see :func:`generator.model.internal_fields`) and evidence marked internal
are added to a view only when the page's audience is internal.
"""
from __future__ import annotations

from ..plan import EXTERNAL, PlannedPage
from .audit import audit_view
from .battlecard import battlecard_view
from .common import SiteContext, make_context
from .frame import absolute_url
from .company import competitor_view
from .market import canvas_view, competitors_view, home_view, segment_view, segments_view
from .prospect import prospect_view, prospects_view
from .weigh import weigh_view
from .history import changes_view
from .root import languages_view
from .reference import dimension_view, dimensions_view, methodology_view, narrative_view, not_found_view


def sitemap_view(ctx: SiteContext, page: PlannedPage) -> dict:
    """Every listed page of the plan as an absolute URL (planned only when base_url is absolute)."""
    return {"urls": [absolute_url(ctx, p.path) for p in ctx.plan.listed()]}


def robots_view(ctx: SiteContext, page: PlannedPage) -> dict:
    """An external build lets every crawler in and names its sitemap; an internal build turns them all away."""
    sitemap = ctx.plan.find("sitemap")
    return {"allow": page.audience == EXTERNAL, "sitemap": absolute_url(ctx, sitemap.path) if sitemap else None}


VIEWS = {
    "home": home_view, "competitors": competitors_view, "competitor": competitor_view, "canvas": canvas_view,
    "dimensions": dimensions_view, "dimension": dimension_view, "segments": segments_view, "segment": segment_view,
    "methodology": methodology_view, "page": narrative_view, "not-found": not_found_view,
    "sitemap": sitemap_view, "robots": robots_view, "audit": audit_view,
    "weigh": weigh_view,
    "prospect": prospect_view, "prospects": prospects_view,
    "battlecard": battlecard_view,
    "changes": changes_view,
    "languages": languages_view,  # the root of a multi-language site: a redirect to the first language

}


def page_view(ctx: SiteContext, page: PlannedPage) -> dict:
    # A multi-language build renders each page through its language's context (generator/languages.py).
    return VIEWS[page.kind](ctx.variants.get(page.lang, ctx), page)


__all__ = ["SiteContext", "make_context", "page_view", "VIEWS"]
