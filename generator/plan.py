"""Stage 4 — plan: which pages exist, for which audience, at which URL — decided before any rendering.

The plan is data: a tuple of frozen :class:`PlannedPage` records. URL and output path come from one function
(:func:`page_path`), so links and files cannot disagree; every clash is reported at once, with the content
files behind it. Templates never decide what an audience sees: the plan leaves internal pages out of an
external build, and the views leave internal fields out of every page whose audience is external.
"""
from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import posixpath
from dataclasses import dataclass, field
from functools import lru_cache

from .audience import EXTERNAL, INTERNAL  # noqa: F401 -- plan.EXTERNAL and plan.INTERNAL, as callers read them
from .diagnostics import Diagnostics
from .validate import Content


@dataclass(frozen=True)
class PlannedPage:
    kind: str  # home | competitors | competitor | battlecard | canvas | dimensions | dimension | segments | segment | methodology | audit | page | not-found | sitemap | robots
    key: str  # the subject's slug or id ("" for singletons)
    path: str  # output path relative to the site root, POSIX separators; also the page's URL
    template: str
    audience: str  # who the page is rendered for: the build's audience
    source: str  # content file the page comes from (for clash reports)
    listed: bool = True  # offered to search engines in sitemap.xml (404, sitemap and robots are not; nor are
    # pages the plan marks unlisted, such as prospect pages): the sitemap lists only listed HTML pages
    lang: str = ""  # a multi-language build: the language it is rendered in ("" = the site's lang; see languages.py)


@dataclass(frozen=True)
class SitePlan:
    audience: str
    pages: tuple[PlannedPage, ...]
    notes: tuple[str, ...] = ()  # things a build should tell its author that are not problems (no sitemap: why)
    # Every prospect's page address (slug, token, path) when a prospect secret was given — for the internal
    # prospect list; an external build renders only the pages themselves, never this list.
    prospect_links: tuple["ProspectLink", ...] = ()
    # An external build: the paths of the pages it leaves out (internal only; under every language's folder in
    # a multi-language site). A link to one is shown as its text (generator/links.py): the address never
    # reaches the external site.
    withheld: frozenset = frozenset()
    # A multi-language build (site.yaml languages, see generator/languages.py): every language, and the plan
    # of each language's sub-site (the pages under <lang>/, which its pages link among).
    languages: tuple[str, ...] = ()
    variants: dict = field(default_factory=dict, repr=False, compare=False)
    # Look-ups made from ``pages`` (not arguments: dataclasses.replace would hand the old plan's tables to the
    # new one, and __post_init__ would add every page to them a second time — the navigation listed each
    # narrative page twice).
    _by_key: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _by_kind: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _paths: set = field(default_factory=set, init=False, repr=False, compare=False)
    # What no link written in content may lead to on this site: the pages left out (withheld) and the prospect
    # pages, reached only by the secret address sales sends (generator/links.py shows such a link as its text).
    unlinked: frozenset = field(default=frozenset(), init=False, repr=False, compare=False)
    # The prospect pages' tokens (an external build): a link holding one goes, whatever host it names.
    secret_tokens: frozenset = field(default=frozenset(), init=False, repr=False, compare=False)

    def __post_init__(self):  # look-ups by dictionary: a page asks for its links in constant time
        self._paths.update(page.path for page in self.pages)
        secret = {p.path for p in self.pages if p.kind == "prospect"}
        object.__setattr__(self, "unlinked", self.withheld | secret)
        object.__setattr__(self, "secret_tokens", frozenset(path.rpartition("/")[2][:-len(".html")]
                                                            for path in secret))
        for page in self.pages:
            self._by_key.setdefault((page.kind, page.key), page)
            self._by_kind.setdefault(page.kind, []).append(page)

    @property
    def paths(self) -> set[str]:
        """Every path the plan writes (its pages' files)."""
        return self._paths

    def find(self, kind: str, key: str = "") -> PlannedPage | None:
        return self._by_key.get((kind, key))

    def of_kind(self, kind: str) -> list[PlannedPage]:
        return list(self._by_kind.get(kind, ()))

    @property
    def html_pages(self) -> int:
        """How many pages a reader can open (not robots.txt, sitemap.xml): the count build and check report."""
        return sum(1 for page in self.pages if page.path.endswith(".html"))

    def listed(self) -> list[PlannedPage]:
        """The pages a sitemap offers: listed HTML pages, in plan order."""
        return [p for p in self.pages if p.listed and p.path.endswith(".html")]


MIN_SECRET = 16  # characters of VALUEMAP_PROSPECT_SECRET below which a build warns (weak-prospect-secret)
SECRET_FOLDERS = ("prospects",)  # pages reachable only by a secret address: the published manifest hashes them
_LAYOUT = {
    # kind: (path pattern, template)
    "home": ("index.html", "home.html"),
    "competitors": ("competitors/index.html", "competitors.html"),
    "competitor": ("competitors/{key}.html", "competitor.html"),
    "battlecard": ("battlecards/{key}.html", "battlecard.html"),  # a competitor on one printed page
    "canvas": ("canvas.html", "canvas.html"),
    "dimensions": ("dimensions/index.html", "dimensions.html"),
    "dimension": ("dimensions/{key}.html", "dimension.html"),
    "segments": ("segments/index.html", "segments.html"),
    "segment": ("segments/{key}.html", "segment.html"),
    "methodology": ("methodology.html", "methodology.html"),
    "audit": ("audit.html", "audit.html"),  # internal only: what to verify next
    "weigh": ("weigh.html", "weigh.html"),  # a visitor's own dimension weights
    "changes": ("changes.html", "changes.html"),  # what changed since each dated snapshot (content/history/)
    "page": ("pages/{key}.html", "page.html"),
    # A prospect's own page: {key} is its token (see prospect_token), never its slug. Unlisted, linked from
    # nowhere in the external site. The internal build lists every prospect's address for sales instead.
    "prospect": ("prospects/{key}.html", "prospect.html"),
    "prospects": ("prospects/index.html", "prospect.html"),  # internal only: the links to send
    "not-found": ("404.html", "404.html"),
    "sitemap": ("sitemap.xml", "sitemap.xml"),
    "robots": ("robots.txt", "robots.txt"),
}
# Never offered to search engines: the 404 page and the crawler files themselves.
_UNLISTED = frozenset({"not-found", "sitemap", "robots"})


def absolute_base(base_url: str) -> str | None:
    """``base_url`` when it is an absolute URL (what a sitemap, og:url and og:image need), ending in '/'."""
    if not base_url.startswith(("http://", "https://")):
        return None
    return base_url if base_url.endswith("/") else base_url + "/"


# --- prospect pages: unguessable, stable addresses -------------------------------------------------------

PROSPECT_SECRET_ENV = "VALUEMAP_PROSPECT_SECRET"  # read by the build and the CLI, passed to make_plan as data
TOKEN_LENGTH = 20  # url-safe base64 characters: 120 bits of the HMAC


@dataclass(frozen=True)
class ProspectLink:
    slug: str
    token: str
    path: str  # prospects/<token>.html, from the external site's root


def prospect_token(secret: str, slug: str) -> str:
    """HMAC-SHA256(secret, slug), url-safe base64, first TOKEN_LENGTH characters: the same secret always gives
    the same address (links sent to a prospect keep working), and without the secret it cannot be derived
    from the slug."""
    # surrogateescape: a secret from the environment that is not valid UTF-8 arrives with lone surrogates; its
    # original bytes are the key
    digest = hmac.new(secret.encode("utf-8", "surrogateescape"), slug.encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")[:TOKEN_LENGTH]


def page_path(kind: str, key: str = "") -> str:
    """The one place a page's URL and output file are made. The competitor list's first page is
    ``competitors/index.html``; a very large market's further pages (key "2", "3", …) are
    ``competitors/page/2.html`` … (a company's page is ``competitors/<slug>.html``: no name can clash)."""
    if kind == "competitors" and key:
        return f"competitors/page/{key}.html"
    return _LAYOUT[kind][0].format(key=key)


LIST_PAGE_SIZE = 1_000
"""The most competitors one page of the competitor list shows (cards and table). A larger market's list is
split in rank order over several pages: 5,000 companies on one page made it 9.7 MB (654 KB gzipped, more
than a page may weigh with its charts)."""


def list_page_slice(number: int) -> slice:
    """The competitors page ``number`` (from 1) shows, of the list in rank order."""
    return slice((number - 1) * LIST_PAGE_SIZE, number * LIST_PAGE_SIZE)


def list_pages(content: Content) -> int:
    """How many pages the competitor list has: one per :data:`LIST_PAGE_SIZE` competitors (at least one)."""
    competitors = sum(1 for slug in content.companies if slug != content.site.us)
    return max(1, -(-competitors // LIST_PAGE_SIZE))


def relative_url(from_path: str, to_path: str) -> str:
    """A link from one page to another that works from file://, under any sub-path and on any host."""
    return _relative(posixpath.dirname(from_path) or ".", to_path)


@lru_cache(maxsize=1 << 16)
def _relative(start: str, to_path: str) -> str:
    # A site has a few folders and a few thousand pages, and every page links to the same menu and neighbours:
    # posixpath.relpath (3 µs) ran ~30 times per page.
    return posixpath.relpath(to_path, start)


def make_plan(content: Content, audience: str, diagnostics: Diagnostics, prospect_secret: str | None = None
              ) -> SitePlan:
    """``prospect_secret``: the key of the prospect pages' addresses (``VALUEMAP_PROSPECT_SECRET``, read by the
    caller); without it an external build has no prospect pages and says so in a note."""
    site_file = content.documents.get("site").file if content.documents.get("site") else "content/site.yaml"
    pages: list[PlannedPage] = []
    withheld: set[str] = set()

    def add(kind: str, key: str = "", source: str = site_file, visible_to: str = EXTERNAL, listed: bool = True
            ) -> None:
        """``visible_to``: the widest audience allowed to see the page. In an internal build every page is
        rendered for the internal audience; an external build leaves out internal-only pages. ``listed``:
        offered in sitemap.xml (a page kind in ``_UNLISTED`` never is)."""
        if audience == EXTERNAL and visible_to != EXTERNAL:
            withheld.add(page_path(kind, key))
            return
        pages.append(PlannedPage(kind, key, page_path(kind, key), _LAYOUT[kind][1], audience, source,
                                 listed and kind not in _UNLISTED))

    add("home")
    add("competitors")
    for number in range(2, list_pages(content) + 1):  # a very large market's list, continued
        add("competitors", str(number))
    for slug in content.companies:
        if slug != content.site.us:
            add("competitor", slug, content.files.get(f"company:{slug}", slug))
    # Battlecards: one printable page per competitor, for both audiences (the internal one adds the talk
    # track, objections and landmines).
    for slug in content.companies:
        if slug != content.site.us:
            add("battlecard", slug, content.files.get(f"company:{slug}", slug))
    add("canvas")
    add("dimensions")
    for dim in content.site.dimensions:
        add("dimension", dim.id)
    if content.site.segments:
        add("segments")
        for seg in content.site.segments:
            add("segment", seg.id)
    add("weigh")  # weigh it yourself: public fields only, safe to share
    if content.history:  # dated snapshots in content/history/: what changed since each (generator/history.py)
        add("changes")
    add("methodology")
    # What to verify next: the strategy team's to-do list, never in an external build, never in a sitemap.
    add("audit", visible_to=INTERNAL, listed=False)
    for slug, page in sorted(content.pages.items(), key=lambda kv: (kv[1].meta.order, kv[0])):
        add("page", slug, page.file, page.meta.audience)
    notes: list[str] = []
    prospect_links = _prospect_pages(content, audience, prospect_secret, pages, notes)
    if audience == EXTERNAL and content.prospects:  # the internal build's list of their addresses
        withheld.add(page_path("prospects"))
    if prospect_links and len(prospect_secret) < MIN_SECRET:
        diagnostics.warning(
            "weak-prospect-secret", f"{PROSPECT_SECRET_ENV} is {len(prospect_secret)} characters long: a prospect "
            "knows its own page's address, so it can try short secrets offline and, with the one that gives that "
            "address, work out every other prospect's", hint=f"use at least {MIN_SECRET} random characters, e.g. "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(24))' — and the same secret for both builds")
    add("not-found")
    # Crawler files. An internal build gets a robots.txt that turns every crawler away and no sitemap. An
    # external build gets a sitemap only when base_url is absolute: a sitemap must list absolute URLs.
    # A robots.txt or sitemap.xml of the author's own, listed under keep:, is carried over instead.
    keep = set(content.site.keep)
    if audience == EXTERNAL and "sitemap.xml" not in keep:
        if absolute_base(content.site.base_url):
            add("sitemap")
        else:
            notes.append(f"no sitemap.xml: base_url in {site_file} is '{content.site.base_url}', and a sitemap "
                         f"needs absolute URLs — set base_url to the site's address (e.g. "
                         f"https://example.com/ or https://you.github.io/repo/) to get one")
    if "robots.txt" not in keep:
        add("robots")
    _report_clashes(pages, diagnostics)
    plan = localize_plan(SitePlan(audience, tuple(pages), tuple(notes), prospect_links,
                                  withheld=frozenset(withheld)), content, diagnostics)
    return plan


def _prospect_pages(content: Content, audience: str, secret: str | None, pages: list[PlannedPage],
                    notes: list[str]) -> tuple[ProspectLink, ...]:
    """Prospect pages (external build) or the internal list of their addresses (internal build).

    An external build plans one page per prospect at ``prospects/<token>.html`` — rendered for the external
    audience, unlisted. An internal build plans no prospect page (its numbers would include internal evidence
    and differ from what the prospect sees); it plans ``prospects/index.html`` with every address instead."""
    if not content.prospects:
        return ()
    links = ()
    if secret:
        links = tuple(ProspectLink(slug, token, page_path("prospect", token))
                      for slug, token in ((s, prospect_token(secret, s)) for s in sorted(content.prospects)))
    else:
        count = len(content.prospects)
        what = "no prospect pages" if audience == EXTERNAL else "no prospect links on prospects/index.html"
        notes.append(f"{what}: {PROSPECT_SECRET_ENV} is not set ({count} prospect file{'s' if count != 1 else ''} "
                     f"skipped) — set it to the same secret for the external and the internal build")
    if audience == EXTERNAL:
        for link in links:
            # key: the slug (the page's subject); path: its token — the slug never appears in the address.
            pages.append(PlannedPage("prospect", link.slug, link.path, _LAYOUT["prospect"][1], audience,
                                     _prospect_file(content, link.slug),
                                     listed=False))
        if links:  # the folder's own address: a "not found" page, so that a host that lists folders (Apache's
            # Indexes, nginx's autoindex, a listable bucket) shows a prospect who cuts its link back to
            # prospects/ no list of the other prospects' addresses
            pages.append(PlannedPage("not-found", "prospects", page_path("prospects"), _LAYOUT["not-found"][1],
                                     audience, "content/prospects", listed=False))
    else:
        pages.append(PlannedPage("prospects", "", page_path("prospects"), _LAYOUT["prospects"][1], audience,
                                 "content/prospects", listed=False))
        if links:
            notes.append(f"prospect links for sales: {page_path('prospects')} ({len(links)} prospect"
                         f"{'s' if len(links) != 1 else ''}; the pages themselves are in the external build)")
    return links


def _prospect_file(content: Content, slug: str) -> str:
    doc = content.documents.get(f"prospect:{slug}")
    return doc.file if doc is not None and doc.file else f"content/prospects/{slug}.yaml"


def _report_clashes(pages: list[PlannedPage], diagnostics: Diagnostics) -> None:
    """Two pages writing the same file (also on case-insensitive file systems) is an error, all reported."""
    by_path: dict[str, list[PlannedPage]] = {}
    for page in pages:
        by_path.setdefault(page.path.lower(), []).append(page)
    for clashing in by_path.values():
        if len(clashing) > 1:
            sources = ", ".join(sorted({p.source for p in clashing}))
            diagnostics.error("path-clash", f"{len(clashing)} pages would be written to '{clashing[0].path}'",
                              file=clashing[0].source, hint=f"from {sources}: rename one of them")


# --- languages: one sub-site per language (generator/languages.py) ---------------------------------------

ROOT_ONLY = ("sitemap", "robots")  # crawler files: one, at the site's root


def localize_plan(plan, content, diagnostics: Diagnostics):
    """A multi-language build's plan: every page once per language under ``<lang>/``, the root redirect,
    the root 404 and the crawler files. A single-language site's plan is returned as it is."""
    langs = list(content.site.languages)
    if not langs:
        return plan
    first = langs[0]
    site_file = content.documents.get("site").file if content.documents.get("site") else "content/site.yaml"
    pages: list = [PlannedPage("languages", "", "index.html", "languages.html", plan.audience, site_file,
                               listed=False)]  # rendered through the root context: it knows every language
    variants = {}
    withheld = frozenset(f"{lang}/{path}" for lang in langs for path in plan.withheld)  # every language's
    for lang in langs:
        own = tuple(dataclasses.replace(p, path=f"{lang}/{p.path}", lang=lang)
                    for p in plan.pages if p.kind not in ROOT_ONLY)
        links = tuple(dataclasses.replace(link, path=f"{lang}/{link.path}") for link in plan.prospect_links)
        variants[lang] = SitePlan(plan.audience, own, plan.notes, links, languages=tuple(langs),
                                  withheld=withheld)
        pages.extend(own)
    not_found = plan.find("not-found")
    if not_found is not None:  # hosts serve the root's 404.html for any missing address
        pages.append(dataclasses.replace(not_found, lang=first))
    pages.extend(p for p in plan.pages if p.kind in ROOT_ONLY)
    _report_clashes(pages, diagnostics)
    return SitePlan(plan.audience, tuple(pages), plan.notes, variants[first].prospect_links,
                    languages=tuple(langs), variants=variants, withheld=withheld)
