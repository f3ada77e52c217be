"""Sub-path hosting as on a GitHub Pages project site: the sample built with base_url
``http://127.0.0.1:PORT/repo-name/`` and served under /repo-name/ by a server that answers every missing URL
with 404.html's body and status 404, as GitHub Pages does.

Every page reachable from the index loads in headless Chromium with no failed request and no broken internal
link; a missing URL deep below the site gets a 404 page that is styled (its stylesheet loads at any depth)
and whose home link leads home.
"""
from __future__ import annotations

import functools
import os
import shutil
import threading
from collections import deque
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest

from generator.build import build
from generator.diagnostics import Diagnostics

pytestmark = pytest.mark.browser

REPO = "repo-name"
SAMPLE_CONTENT = Path(__file__).resolve().parents[2] / "content"


class PagesHandler(SimpleHTTPRequestHandler):
    """Static files like GitHub Pages: a missing path gets status 404 and the site's own 404.html."""

    not_found_page: Path

    def log_message(self, format, *args):  # noqa: A002 - keep pytest output clean
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path):
            body = self.not_found_page.read_bytes()
            self.send_response(HTTPStatus.NOT_FOUND)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return None
        return super().send_head()


@pytest.fixture(scope="module")
def pages_site(tmp_path_factory):
    """The sample site built for http://127.0.0.1:PORT/repo-name/ and served there; yields that root URL."""
    www = tmp_path_factory.mktemp("pages-www")
    folder = www / REPO
    handler = functools.partial(type("Handler", (PagesHandler,), {"not_found_page": folder / "404.html"}),
                                directory=str(www))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)  # bound first: the port goes into base_url
    server.daemon_threads = True
    root = f"http://127.0.0.1:{server.server_address[1]}/{REPO}/"
    content = tmp_path_factory.mktemp("pages-content") / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    site_yaml = content / "site.yaml"
    text = site_yaml.read_text(encoding="utf-8")
    assert "\nbase_url: /\n" in text
    site_yaml.write_text(text.replace("\nbase_url: /\n", f"\nbase_url: {root}\n"), encoding="utf-8")
    diagnostics = Diagnostics()
    build(content, folder, diagnostics)
    assert not diagnostics.has_errors(), diagnostics.sorted()
    thread = threading.Thread(target=server.serve_forever, name="valuemap-pages", daemon=True)
    thread.start()
    try:
        yield root
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


LINKS = "() => Array.from(document.querySelectorAll('a[href]')).map(a => a.href)"
IDS = "() => Array.from(document.querySelectorAll('[id]')).map(e => e.id)"


def test_every_page_loads_and_every_internal_link_works(probe, pages_site):
    root = pages_site
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(root))
    queue, seen = deque([root]), {root}
    fragments: dict[str, set[str]] = {}  # page → fragments other pages link to
    linked_from: dict[str, str] = {root: "(start)"}
    ids: dict[str, set[str]] = {}
    page = probe()  # one tab for the whole crawl: whatever fails on any page stays recorded
    while queue:
        url = queue.popleft()
        response = page.page.goto(url, wait_until="load")
        assert response is not None and response.ok, (f"{url} (linked from {linked_from[url]}): "
                                                      f"HTTP {response and response.status}")
        page.assert_clean()
        ids[url] = set(page.page.evaluate(IDS))
        for href in page.page.evaluate(LINKS):
            target, fragment = urldefrag(href)
            if not target.startswith(origin):
                continue  # links out (company websites)
            assert target.startswith(root), f"{url}: link {href} leaves the site's path {root}"
            if fragment:
                fragments.setdefault(target, set()).add(fragment)
            if target not in seen:
                seen.add(target)
                linked_from[target] = url
                queue.append(target)
    assert len(seen) >= 20, sorted(seen)  # every page of the sample is reachable from the index
    assert not any(u.endswith("404.html") for u in seen)
    broken = {f"{u}#{f}" for u, fs in fragments.items() for f in fs if f not in ids[u]}
    assert not broken, f"links to fragments that do not exist: {sorted(broken)}"


def test_a_missing_deep_url_gets_a_styled_404_with_a_working_home_link(probe, pages_site):
    root = pages_site
    missing = root + "a/b/missing.html"
    page = probe()
    response = page.page.goto(missing, wait_until="load")
    assert response is not None and response.status == 404
    assert page.page.locator("main#main h1").count() == 1
    # The stylesheet loaded from /repo-name/assets/…: valuemap.css's header colour and page background apply.
    styles = page.page.evaluate("""() => ({
        header: getComputedStyle(document.querySelector('.site-header')).backgroundColor,
        body: getComputedStyle(document.body).backgroundColor,
        sheets: Array.from(document.styleSheets).map(s => s.href)})""")
    assert styles["header"] == "rgb(11, 19, 36)" and styles["body"] == "rgb(246, 247, 249)", styles
    assert any(urlsplit(h or "").path.startswith(f"/{REPO}/assets/valuemap.") for h in styles["sheets"]), styles
    # Nothing else failed: the only 4xx is the missing page itself.
    assert [f for f in page.failures if not f.startswith(missing)] == []
    assert page.console == [] or all("404" in c for c in page.console), page.console
    assert page.errors == [] and page.csp_violations() == [] and page.foreign_requests() == []
    home = page.page.locator(".hero a")
    assert home.count() == 1
    with page.page.expect_navigation(wait_until="load") as navigation:
        home.click()
    assert navigation.value is not None and navigation.value.ok
    assert page.page.url == root
    page.wait_for_charts()
    assert page.page.title() == "Lumen Desk value map"
