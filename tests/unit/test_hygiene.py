"""Publishing hygiene: sitemap.xml and robots.txt, a 404 page whose links work at any depth, and Open Graph
link previews — with base_url relative ('/', the default) and absolute, for both audiences."""
from __future__ import annotations

import dataclasses
import shutil
import struct
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.build import check
from generator.diagnostics import Diagnostics
from generator.plan import PlannedPage, SitePlan
from generator.views import make_context, page_view
from generator.views.frame import root_path

ROOT = Path(__file__).resolve().parents[2]
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ABSOLUTE = "https://example.com/market/"


class Head(HTMLParser):
    """Meta tags (property/name → content) and every href/src of a page."""

    def __init__(self, text: str):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, url)
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "content" in attrs:
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta[key] = attrs["content"]
        for attr in ("href", "src"):
            if attrs.get(attr) is not None:
                self.links.append((tag, attr, attrs[attr]))


def head(path: Path) -> Head:
    return Head(path.read_text(encoding="utf-8"))


def html_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def set_base_url(tree, base_url: str) -> None:
    tree.write("site.yaml", tree.read("site.yaml") + f"base_url: {base_url}\n")


def built(tree, cli, *args: str) -> tuple[Path, str]:
    run = cli(tree.root, "build", *args)
    assert run.code == 0, run.err + run.out
    internal = "internal" in args and "--out" not in args  # an internal build's own default folder
    return tree.root / ("site-internal" if internal else "site"), run.out


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


# --- sitemap.xml and robots.txt ----------------------------------------------------------------------------

def test_relative_base_url_gets_no_sitemap_says_why_and_robots_allows_all(tree, cli):
    site, out = built(tree, cli)
    assert not (site / "sitemap.xml").exists()
    assert "no sitemap.xml: base_url" in out and "absolute URLs" in out
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in robots and "Allow: /" in robots
    assert "Disallow" not in robots and "Sitemap" not in robots


def test_absolute_base_url_sitemap_lists_every_html_page_but_404(tree, cli):
    set_base_url(tree, ABSOLUTE)
    site, out = built(tree, cli)
    assert "no sitemap" not in out
    urls = [loc.text for loc in ET.parse(site / "sitemap.xml").getroot().iter(f"{SITEMAP_NS}loc")]
    expected = [ABSOLUTE + ("" if p == "index.html" else p) for p in html_pages(site) if p != "404.html"]
    assert sorted(urls) == sorted(expected)
    assert len(urls) == len(set(urls)) >= 8
    assert all(u.startswith(ABSOLUTE) for u in urls) and not any(u.endswith("404.html") for u in urls)
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert "Allow: /" in robots and f"Sitemap: {ABSOLUTE}sitemap.xml" in robots.splitlines()


def test_internal_build_turns_crawlers_away_and_has_no_sitemap(tree, cli):
    set_base_url(tree, ABSOLUTE)
    site, _ = built(tree, cli, "--audience", "internal")
    assert not (site / "sitemap.xml").exists()
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert "Disallow: /" in robots.splitlines() and "Allow" not in robots and "Sitemap" not in robots


def test_sitemap_lists_only_pages_the_plan_marks_listed(tree):
    """A page the plan marks unlisted (e.g. a future prospect page) stays out of the sitemap."""
    set_base_url(tree, ABSOLUTE)
    checked = check(tree.content, Diagnostics())
    plan = checked.plan
    assert plan.find("not-found").listed is False
    assert PlannedPage("home", "", "index.html", "home.html", "external", "x").listed is True  # the default
    hidden = plan.find("competitor", "beta")
    pages = tuple(dataclasses.replace(p, listed=False) if p is hidden else p for p in plan.pages)
    plan = SitePlan(plan.audience, pages, plan.notes)
    ctx = make_context(checked.content, checked.scores, plan, {"css": "a.css", "js": "a.js", "plotly": "p.js"})
    urls = page_view(ctx, plan.find("sitemap"))["urls"]
    assert f"{ABSOLUTE}competitors/gamma.html" in urls
    assert f"{ABSOLUTE}competitors/beta.html" not in urls and f"{ABSOLUTE}404.html" not in urls


# --- the 404 page ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("base_url, root", [
    ("/", "/"),
    ("https://x.github.io/repo/", "/repo/"),
    ("https://x.github.io/repo", "/repo/"),
    ("/docs/valuemap/", "/docs/valuemap/"),
    ("http://example.com", "/"),
])
def test_404_links_start_at_the_site_root_path_and_lead_to_files(tree, cli, base_url, root):
    assert root_path(base_url) == root
    set_base_url(tree, base_url)
    site, _ = built(tree, cli)
    links = [(tag, url) for tag, _, url in head(site / "404.html").links if url not in ("data:,", "#main")]
    assert any(tag == "link" for tag, _ in links) and len(links) >= 8
    for tag, url in links:
        assert url.startswith(root), (tag, url)
        rel = url[len(root):] or "index.html"
        assert (site / rel).is_file(), (tag, url)
    assert head(site / "404.html").meta.get("robots") == "noindex"


def test_other_pages_keep_relative_links(tree, cli):
    set_base_url(tree, "https://x.github.io/repo/")
    site, _ = built(tree, cli)
    for rel in html_pages(site):
        if rel == "404.html":
            continue
        for tag, attr, url in head(site / rel).links:
            if tag == "a" and urlsplit(url).scheme in ("http", "https"):
                continue  # links out (company websites)
            if tag == "link" and attr == "href" and url.startswith("https://x.github.io/repo/"):
                continue  # <link rel="canonical">
            assert not url.startswith("/") and "://" not in url, (rel, tag, url)


# --- Open Graph ----------------------------------------------------------------------------------------------

def test_og_tags_with_an_absolute_base_url(tree, cli):
    set_base_url(tree, ABSOLUTE)
    site, _ = built(tree, cli)
    images = set()
    for rel in html_pages(site):
        meta = head(site / rel).meta
        assert meta["og:title"] and meta["og:description"] and meta["og:type"] == "website", rel
        if rel == "404.html":  # served at any missing URL: no address of its own
            assert "og:url" not in meta
        else:
            assert meta["og:url"] == ABSOLUTE + ("" if rel == "index.html" else rel), rel
        assert meta["twitter:card"] == "summary_large_image", rel
        assert meta["og:image"].startswith(ABSOLUTE), rel
        images.add(meta["og:image"])
    assert len(images) == 1
    image = site / images.pop()[len(ABSOLUTE):]
    assert image.is_file() and image.suffix == ".png"
    assert png_size(image) == (1200, 630)
    assert (site / ".valuemap-site").read_text().count(image.relative_to(site).as_posix()) == 1  # in the manifest


def test_no_og_url_or_image_without_an_absolute_base_url(tree, cli):
    site, _ = built(tree, cli)
    for rel in html_pages(site):
        meta = head(site / rel).meta
        assert meta["og:title"] and meta["og:description"] and meta["og:type"] == "website", rel
        assert "og:url" not in meta and "og:image" not in meta, rel
        assert meta["twitter:card"] == "summary", rel


def test_the_shipped_og_image_is_1200_by_630_and_small():
    image = ROOT / "templates" / "assets" / "og-image.png"
    assert png_size(image) == (1200, 630)
    assert image.stat().st_size < 60_000


def test_a_templates_folder_from_before_still_builds(tree, cli):
    """A copied templates folder without sitemap.xml, robots.txt and the og image: valuemap's own crawler
    templates are used, and pages simply have no og:image."""
    templates = tree.root / "templates"
    shutil.copytree(ROOT / "templates", templates)
    for name in ("sitemap.xml", "robots.txt", "assets/og-image.png"):
        (templates / name).unlink()
    set_base_url(tree, ABSOLUTE)
    site, _ = built(tree, cli)
    assert (site / "sitemap.xml").is_file() and "Sitemap:" in (site / "robots.txt").read_text()
    meta = head(site / "index.html").meta
    assert "og:image" not in meta and meta["og:url"] == ABSOLUTE
