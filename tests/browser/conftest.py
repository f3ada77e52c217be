"""Fixtures for the browser and HTML-validity tests.

* ``built_site``  – the sample market (content/) built once per session into a temporary folder.
* ``http_site``   – that site served by a local ``http.server`` under a sub-path (``/valuemap/``), to catch
                    links and assets that only work at the root of a domain.
* ``browser``     – Debian's headless Chromium driven by Playwright (Playwright's own browser download is not
                    used).
* ``axe_source``, ``vnu_jar`` – axe-core and the Nu HTML checker from tests/tools (``npm ci --prefix tests/tools``).
* ``Probe``       – a page wrapper recording console messages, page errors, CSP violations and requests.

Missing tools (Chromium, Playwright, the npm tools, Java) skip the tests that need them on a developer machine;
with ``VALUEMAP_REQUIRE_BROWSER=1`` (set by .ci/run) they fail instead, so CI cannot pass by skipping.

Nothing here touches the network: the site is served from 127.0.0.1 and every test asserts that no request
leaves the machine.
"""
from __future__ import annotations

import functools
import os
import shutil
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.build import build
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, launch  # noqa: F401  (one driver per session)
from generator.diagnostics import Diagnostics

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_CONTENT = ROOT / "content"
TOOLS = ROOT / "tests" / "tools"
NODE_MODULES = TOOLS / "node_modules"
CHROMIUM = Path(os.environ.get("VALUEMAP_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SUBPATH = "valuemap"  # the http server serves the site at http://127.0.0.1:PORT/valuemap/
CHART_TIMEOUT_MS = 20_000
NPM_HINT = "run `npm ci --prefix tests/tools` to install the test tools (axe-core, vnu-jar)"
REQUIRED = os.environ.get("VALUEMAP_REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes"}


def unavailable(reason: str):
    """Skip (developer machine) or fail (``VALUEMAP_REQUIRE_BROWSER=1``, CI) when a tool is missing."""
    if REQUIRED:
        pytest.fail(f"{reason} (VALUEMAP_REQUIRE_BROWSER=1 makes this an error)", pytrace=False)
    pytest.skip(reason)


# --------------------------------------------------------------------------- the site


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The sample site, external audience, built once per session. Returns the output folder."""
    out = tmp_path_factory.mktemp("browser-site") / "site"
    diagnostics = Diagnostics()
    build(SAMPLE_CONTENT, out, diagnostics)
    assert not diagnostics.has_errors(), diagnostics.sorted()
    assert (out / "index.html").is_file()
    return out


class _RecordingHandler(SimpleHTTPRequestHandler):
    """Serves files quietly and records every requested path (also those the browser makes on its own,
    such as ``/favicon.ico``, which Playwright's request events do not show)."""

    served: list[str]

    def log_message(self, format, *args):  # noqa: A002 - keep pytest output clean
        pass

    def send_head(self):
        self.served.append(self.path)
        return super().send_head()


@dataclass(frozen=True)
class HttpSite:
    root: str  # e.g. http://127.0.0.1:41234/valuemap/
    folder: Path  # the copy of the site being served
    served: list[str]  # request paths the server has seen, in order; tests may clear it


@pytest.fixture(scope="session")
def http_site(built_site: Path, tmp_path_factory) -> HttpSite:
    """The built site copied to ``www/valuemap/`` and served on 127.0.0.1 (random port) from a thread."""
    www = tmp_path_factory.mktemp("www")
    folder = www / SUBPATH
    shutil.copytree(built_site, folder)
    served: list[str] = []
    handler = functools.partial(type("Handler", (_RecordingHandler,), {"served": served}), directory=str(www))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="valuemap-http", daemon=True)
    thread.start()
    try:
        yield HttpSite(f"http://127.0.0.1:{server.server_address[1]}/{SUBPATH}/", folder, served)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def origins(built_site: Path, http_site: HttpSite) -> dict[str, str]:
    """Base URL (ending in '/') of the site per way of opening it: ``file`` and ``http``."""
    return {"file": built_site.as_uri() + "/", "http": http_site.root}


# --------------------------------------------------------------------------- test tools (tests/tools, npm)


@pytest.fixture(scope="session")
def axe_source() -> str:
    """The text of axe-core's ``axe.min.js`` from tests/tools/node_modules."""
    axe = NODE_MODULES / "axe-core" / "axe.min.js"
    if not axe.is_file():
        unavailable(f"{axe.relative_to(ROOT)} not found: {NPM_HINT}")
    return axe.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def vnu_jar() -> Path:
    """The Nu HTML checker jar from the vnu-jar npm package (needs ``java``, 11 or later)."""
    jar = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
    if not jar.is_file():
        unavailable(f"{jar.relative_to(ROOT)} not found: {NPM_HINT}")
    if shutil.which("java") is None:
        unavailable("java not found (apt-get install default-jre-headless): the Nu HTML checker needs Java 11+")
    return jar


# --------------------------------------------------------------------------- the browser


@pytest.fixture
def new_context(browser):
    """Factory for isolated browser contexts, closed after the test: ``new_context(viewport=...)``."""
    contexts = []

    def make(**options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(**options)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


# --------------------------------------------------------------------------- page probe

# Runs before any page script, in every frame: records CSP violations the page itself sees.
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__cspViolations.push({directive: e.violatedDirective, blocked: e.blockedURI,
                               source: e.sourceFile, line: e.lineNumber, sample: e.sample});
});
"""

LOCAL_PREFIXES = ("file://", "http://127.0.0.1:", "http://127.0.0.1/", "data:", "blob:", "about:")

CHARTS_DRAWN = """
() => {
  const charts = document.querySelectorAll('[data-chart]');
  return charts.length > 0 && Array.from(charts).every(c => c.querySelector('.main-svg'));
}
"""


@dataclass
class Probe:
    """One page with everything worth asserting about it recorded: console, errors, requests."""

    page: object
    console: list[str] = field(default_factory=list)  # errors and warnings only
    errors: list[str] = field(default_factory=list)  # uncaught exceptions
    requests: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # failed loads and HTTP status >= 400

    @classmethod
    def attach(cls, context) -> "Probe":
        context.add_init_script(CSP_RECORDER)
        page = context.new_page()
        probe = cls(page)
        page.on("console", probe._on_console)
        page.on("pageerror", lambda exc: probe.errors.append(f"{exc.name}: {exc.message}"))
        page.on("request", lambda request: probe.requests.append(request.url))
        page.on("requestfailed", lambda r: probe.failures.append(f"{r.url}: {r.failure}"))
        page.on("response", lambda r: r.status >= 400 and probe.failures.append(f"{r.url}: HTTP {r.status}"))
        return probe

    def _on_console(self, message) -> None:
        if message.type in ("error", "warning"):
            loc = message.location or {}
            if urlsplit(loc.get("url", "")).path == "/favicon.ico":
                # Chromium's own request for the server root's /favicon.ico when a page declares no icon: it
                # happens once per browser, on whichever test comes first, so it is not held against that
                # page here; test_requests_stay_inside_the_site_path checks it in a browser of its own.
                return
            where = f" ({loc.get('url', '')}:{loc.get('lineNumber', '')})" if loc.get("url") else ""
            self.console.append(f"[{message.type}] {message.text}{where}")

    def open(self, url: str) -> "Probe":
        response = self.page.goto(url, wait_until="load")
        if url.startswith("http"):
            assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"
        return self

    def chart_count(self) -> int:
        return self.page.locator("[data-chart]").count()

    def wait_for_charts(self) -> None:
        """Wait until every ``[data-chart]`` holds a plotly ``.main-svg``; fail with what the console said."""
        try:
            self.page.wait_for_function(CHARTS_DRAWN, timeout=CHART_TIMEOUT_MS)
        except Exception as exc:  # playwright TimeoutError: report the likely reason
            pytest.fail(f"charts not drawn on {self.page.url} within {CHART_TIMEOUT_MS} ms ({type(exc).__name__});"
                        f"\nconsole: {self.console}\npage errors: {self.errors}\nCSP: {self.csp_violations()}")

    def csp_violations(self) -> list:
        try:
            return self.page.evaluate("window.__cspViolations || []")
        except Exception as exc:  # page crashed or navigated away
            return [f"could not read CSP violations: {exc}"]

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(LOCAL_PREFIXES)]

    def assert_clean(self) -> None:
        """No console errors/warnings, page errors, CSP violations, failed loads or non-local requests."""
        problems = {
            "console errors/warnings": self.console,
            "page errors": self.errors,
            "CSP violations (securitypolicyviolation)": self.csp_violations(),
            "failed or 4xx/5xx loads": self.failures,
            "requests to non-local hosts": self.foreign_requests(),
        }
        found = {name: items for name, items in problems.items() if items}
        assert not found, f"{self.page.url}:\n" + "\n".join(
            f"  {name}:\n" + "\n".join(f"    - {item}" for item in items) for name, items in found.items())


@pytest.fixture
def probe(new_context):
    """``probe(**context_options)`` → a fresh :class:`Probe` in its own context."""

    def make(**options) -> Probe:
        return Probe.attach(new_context(**options))

    return make


@pytest.fixture
def fresh_probe(playwright):
    """A :class:`Probe` in a browser of its own, for checks that depend on per-browser state (Chromium fetches
    a missing /favicon.ico only once per browser, on whichever page comes first)."""
    chromium = launch(playwright)
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    yield Probe.attach(context)
    context.close()
    chromium.close()
