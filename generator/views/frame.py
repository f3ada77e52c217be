"""The frame of every page: what ``templates/base.html`` needs around a page's own content — its title and
description, the navigation, the link previews (canonical URL, og:image), the footer, the language switch, and
the verification marks its tables print. Every page view starts from :func:`base`.

Links are relative (the site works from file:// and under any sub-path), except on the 404 page, which hosts
serve at any missing address (:class:`RootLinks`).
"""
from __future__ import annotations

from urllib.parse import quote, urlsplit

from markupsafe import Markup

from ..locales import Translator
from ..plan import INTERNAL, PlannedPage, absolute_base
from ..verify import STATUSES
from .common import Links, SiteContext
from .languages import language_links


_NAV = [("home", "nav.overview"), ("competitors", "nav.competitors"), ("canvas", "nav.canvas"),
        ("dimensions", "nav.dimensions"), ("segments", "nav.segments"), ("methodology", "nav.methodology"),
        ("audit", "nav.audit"), ("weigh", "nav.weigh"), ("changes", "history.nav")]  # the audit page is planned for the internal audience only
_SECTION = {"competitor": "competitors", "dimension": "dimensions", "segment": "segments"}


OG_IMAGE = "og_image"  # the link-preview image's logical asset name (templates/assets/og-image.png)
OG_IMAGE_SIZE = (1200, 630)


def absolute_url(ctx: SiteContext, path: str) -> str | None:
    """A page's or file's absolute URL from base_url (the site root's URL for index.html); None when base_url
    is not an absolute URL. Sitemaps, og:url and og:image need absolute URLs."""
    root = absolute_base(ctx.site.base_url)
    if root is None:
        return None
    return root + ("" if path == "index.html" else quote(path, safe="/"))


def root_path(base_url: str) -> str:
    """The path of the site root on its host, from base_url: 'https://x.github.io/repo/' → '/repo/', '/' → '/'."""
    path = urlsplit(base_url).path if absolute_base(base_url) else base_url
    path = path or "/"
    return path if path.endswith("/") else path + "/"


class RootLinks(Links):
    """Links from the site root's path on its host ('/repo/assets/…'): they work from any depth. Only for the
    404 page, which hosts serve for any missing URL (/repo/a/b/missing); every other page links relatively so
    the site keeps working from file://."""

    def __init__(self, ctx: SiteContext, page: PlannedPage):
        super().__init__(ctx, page)
        self.root = root_path(ctx.site.base_url)

    def to(self, path: str) -> str:
        return self.root + ("" if path == "index.html" else path)


def _plain(text: str) -> str:
    return text.striptags() if isinstance(text, Markup) else str(text)


def base(ctx: SiteContext, page: PlannedPage, title: str, description: str = "", *,
         root_relative: bool = False) -> dict:
    """What base.html needs. ``root_relative``: links from the site root's path instead of relative ones (the
    404 page, see :class:`RootLinks`)."""
    t, site = ctx.t, ctx.site
    links = RootLinks(ctx, page) if root_relative else Links(ctx, page)
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
    # The 404 page is served at any missing URL: it has no address of its own to declare.
    canonical = None if root_relative else absolute_url(ctx, page.path)
    og_image = ctx.asset_paths.get(OG_IMAGE)
    # Link previews: crawlers need absolute URLs, so og:url and og:image only when base_url is absolute.
    og_image = absolute_url(ctx, og_image) if og_image else None
    return {
        "t": t, "lang": site.lang, "title": full_title, "heading": title,
        "written_in": ctx.written_in,  # the content text's language where it is not the page's (lang="…")
        "description": description or site.tagline or site.title,
        # <meta> and og:description: plain text, kept apart from "description", which some views replace with
        # the page's own (Markdown) description for the body.
        "meta_description": _plain(description or site.tagline or site.title),
        "site_title": site.title, "home_href": links.to("index.html"),
        "canonical": canonical,
        "og": {"url": canonical, "image": og_image, "image_width": OG_IMAGE_SIZE[0],
               "image_height": OG_IMAGE_SIZE[1],
               "card": "summary_large_image" if og_image else "summary"},
        "assets": {name: links.to(path) for name, path in ctx.asset_paths.items()},
        "nav": nav, "internal": page.audience == INTERNAL,
        "kind": page.kind, "charts": [],
        "footer": t.html("footer.text", market=site.market, count=len(ctx.content.companies),
                    basis=site.price_basis, currency=site.currency),
        "methodology_href": links.page_of("methodology"),
        # Other languages of this page (a multi-language build): the header's switch and hreflang links.
        "languages": language_links(ctx, page, links, absolute_url),
        "marks": status_marks(t),
    }


_MARKS: dict[str, dict[str, Markup]] = {}


def status_marks(t: Translator) -> dict[str, Markup]:
    """Each status's mark as HTML, made once per language (templates/macros.html ``status_mark`` prints it): a
    page shows hundreds of marks, and a macro call with four look-ups each cost a fifth of the render time.

    A mark is named by its status alone ("Verified"): the page's legend (``status_legend``) explains each status
    once. With the explanation in every mark a screen reader read the same sentence at every number (74 times
    on a competitor page), and the marks were 30 % of the page's bytes."""
    marks = _MARKS.get(t.lang)
    if marks is None:
        marks = _MARKS[t.lang] = {
            s: Markup('<span class="status status-{0}" role="img" aria-label="{1}" title="{1}"></span>'
                      ).format(s, t(f"status.{s}")) for s in STATUSES}
    return marks
