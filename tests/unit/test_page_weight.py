"""Page weight: what a reader's browser transfers for one page — the HTML and every file it loads — gzipped.

Target (issue #18): ≤ 600 KB gzip for a competitor page with its charts. Almost all of it is plotly.js, so the
site ships plotly.js' *basic* bundle (generator/vendor/, scatter and bar are all the charts need), not the full
one (1.47 MB gzip). A size test, not a time test: the bytes are the same on any machine.
"""
from __future__ import annotations

import gzip
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from generator import render

LIMIT = 600_000  # bytes, gzip


class _Loads(HTMLParser):
    """The files a page makes the browser fetch: scripts, stylesheets, icons, images (not links to pages)."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.scripts: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.urls.append(a["src"])
            self.scripts.append(a)
        elif tag == "link" and a.get("href") and set((a.get("rel") or "").split()) & {"stylesheet", "icon",
                                                                                     "preload", "modulepreload"}:
            self.urls.append(a["href"])
        elif tag in ("img", "source") and a.get("src"):
            self.urls.append(a["src"])


def _gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))  # a web server's usual level


def transfer(page: Path, site: Path) -> tuple[int, list[str], list[dict]]:
    """gzip bytes of the page and of every local file it loads; the files; its script tags."""
    parser = _Loads()
    data = page.read_bytes()
    parser.feed(data.decode("utf-8"))
    total, files = _gz(data), []
    for url in parser.urls:
        parts = urlsplit(url)
        if parts.scheme == "data":
            continue
        assert not parts.scheme and not parts.netloc, f"{page}: loads {url} from the network"
        path = unquote(parts.path)  # 404.html links from the root's path (base_url '/'): the rest relatively
        target = (site / path.lstrip("/") if path.startswith("/") else page.parent / path).resolve()
        assert target.is_file() and target.is_relative_to(site.resolve()), f"{page}: {url} → missing"
        files.append(target.relative_to(site.resolve()).as_posix())
        total += _gz(target.read_bytes())
    return total, files, parser.scripts


@pytest.fixture
def site(sample, cli) -> Path:
    run = cli(sample.root, "build")
    assert run.code == 0, run.err
    return sample.root / "site"


def test_vendored_plotly_is_the_basic_bundle():
    head = render.PLOTLY.read_bytes()[:200].decode()
    assert "plotly.js (basic - minified)" in head
    assert (render.PLOTLY.parent / "LICENSE").is_file() and (render.PLOTLY.parent / "README.md").is_file()
    assert _gz(render.PLOTLY.read_bytes()) < 420_000


def test_a_competitor_page_with_its_charts_transfers_at_most_600_kb_gzip(site):
    pages = sorted((site / "competitors").glob("*.html"))
    pages = [p for p in pages if p.name != "index.html"]
    assert pages
    for page in pages:
        total, files, scripts = transfer(page, site)
        assert any("plotly" in f for f in files), f"{page.name}: no charts?"
        assert total <= LIMIT, f"{page.name}: {total:,} bytes gzip with {files}"
        # text and tables paint before plotly.js runs: every script is deferred (none blocks the parser)
        assert all("defer" in s or "async" in s for s in scripts), scripts


def test_no_page_of_the_sample_transfers_more_than_600_kb_gzip(site):
    heaviest = max((transfer(p, site)[0], p.relative_to(site).as_posix())
                   for p in site.rglob("*.html"))
    assert heaviest[0] <= LIMIT, heaviest
