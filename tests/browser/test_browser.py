"""The built sample site in headless Chromium: charts draw, nothing errors, nothing leaves the machine.

Every page is opened both as ``file://`` (a site opened from disk or a zip) and over HTTP under a sub-path
(``/valuemap/``, as on a project page), since relative links and assets break differently in each.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import NODE_MODULES, NPM_HINT, SAMPLE_CONTENT

pytestmark = pytest.mark.browser

# One page of every kind the generator writes.
PAGES = [
    "index.html",
    "competitors/index.html",
    "competitors/relaybird.html",
    "canvas.html",
    "dimensions/index.html",
    "dimensions/usability.html",
    "segments/index.html",
    "segments/enterprise.html",
    "methodology.html",
    "pages/why-value-not-price.html",
    "404.html",
]
# Pages that carry charts (one of each chart-bearing kind).
CHART_PAGES = ["index.html", "competitors/relaybird.html", "canvas.html", "dimensions/usability.html",
               "segments/enterprise.html"]
ORIGINS = ["file", "http"]
N_COMPANIES = len(list((SAMPLE_CONTENT / "companies").glob("*.yaml")))  # 10 in the sample market
MOBILE = {"width": 375, "height": 812}


def test_sample_market_has_ten_companies():
    assert N_COMPANIES == 10


@pytest.mark.parametrize("origin", ORIGINS)
@pytest.mark.parametrize("path", CHART_PAGES)
def test_chart_page_draws_every_chart_cleanly(probe, origins, origin, path):
    page = probe().open(origins[origin] + path)
    page.wait_for_charts()
    charts = page.page.locator("[data-chart]")
    assert charts.count() >= 1, f"{path}: no [data-chart] element"
    for i in range(charts.count()):
        chart = charts.nth(i)
        name = chart.get_attribute("data-chart")
        assert chart.locator(".main-svg").count() >= 1, f"{path}: chart {name} has no plotly SVG"
        box = chart.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 100, f"{path}: chart {name} is {box}"
        # the data block the chart was drawn from is a valid JSON figure
        figure = json.loads(page.page.locator(f"script[type='application/json']#{name}").text_content())
        assert figure["data"], f"{path}: chart {name} has no traces"
    page.assert_clean()


@pytest.mark.parametrize("origin", ORIGINS)
def test_value_map_shows_one_point_per_company(probe, origins, origin):
    page = probe().open(origins[origin] + "index.html")
    page.wait_for_charts()
    value_map = page.page.locator("[data-chart='value-map-data']")
    assert value_map.count() == 1
    assert value_map.locator(".main-svg").count() >= 1
    assert value_map.locator(".scatterlayer .point").count() == N_COMPANIES
    page.assert_clean()


@pytest.mark.parametrize("origin", ORIGINS)
@pytest.mark.parametrize("path", PAGES)
def test_page_loads_cleanly(probe, origins, origin, path):
    """Pages without charts too: no errors, no CSP violations, no foreign requests, charts (if any) drawn."""
    page = probe().open(origins[origin] + path)
    if page.chart_count():
        page.wait_for_charts()
    assert page.page.locator("main#main h1").count() == 1, f"{path}: expected one <h1> in <main>"
    page.assert_clean()


@pytest.mark.parametrize("path", PAGES)
def test_no_horizontal_overflow_on_a_phone(probe, origins, path):
    page = probe(viewport=MOBILE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page.open(origins["file"] + path)
    if page.chart_count():
        page.wait_for_charts()
    widths = page.page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,"
        " body: document.body.scrollWidth})")
    if widths["scroll"] > MOBILE["width"] + 1:
        wide = page.page.evaluate(WIDEST_ELEMENTS, MOBILE["width"])
        pytest.fail(f"{path}: page is {widths['scroll']}px wide at {MOBILE['width']}px; overflowing: {wide}")
    page.assert_clean()


# Elements sticking out to the right of the viewport (for the failure message).
WIDEST_ELEMENTS = """
(limit) => Array.from(document.querySelectorAll('body *'))
  .filter(el => el.getBoundingClientRect().right > limit + 1)
  .filter(el => !el.parentElement || el.parentElement.getBoundingClientRect().right <= limit + 1)
  .slice(0, 10)
  .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
             (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
             ' right=' + Math.round(el.getBoundingClientRect().right))
"""


def test_value_map_table_is_there_without_javascript(probe, origins):
    page = probe(java_script_enabled=False).open(origins["file"] + "index.html")
    value_map = page.page.locator("[data-chart='value-map-data']")
    assert value_map.count() == 1
    assert value_map.locator(".main-svg").count() == 0  # nothing drew it
    figure = page.page.locator("figure", has=value_map)
    table = figure.locator("table")
    assert table.count() == 1, "the value map's data table is missing from the page"
    assert table.locator("tbody tr").count() == N_COMPANIES
    assert figure.locator(".chart-fallback").is_visible(), "the <noscript> note is not shown"
    # the table is reachable: its <details> opens without JavaScript
    figure.locator("details.chart-data > summary").click()
    assert table.is_visible()
    assert not page.requests or not page.foreign_requests()
    assert not page.console and not page.errors, (page.console, page.errors)


# --------------------------------------------------------------------------- accessibility (axe-core)

AXE = NODE_MODULES / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.skip(f"{AXE.relative_to(NODE_MODULES.parent.parent.parent)} not found: {NPM_HINT}")
    return AXE.read_text(encoding="utf-8")


def format_violations(path: str, violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{path}: [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", " | ")
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_serious_violations(probe, origins, axe_source, path):
    page = probe().open(origins["file"] + path)
    if page.chart_count():
        page.wait_for_charts()
    # page.evaluate is not subject to the page's CSP (script-src 'self'), unlike an injected inline <script>.
    page.page.evaluate(axe_source)
    assert page.page.evaluate("typeof window.axe") == "object", "axe-core did not load"
    result = page.page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return {violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
            nodes: v.nodes.map(n => ({target: n.target, html: n.html, failureSummary: n.failureSummary}))}))};
    }""")
    violations = result["violations"]
    if violations:
        print("\n" + format_violations(path, violations))
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, "axe: serious/critical violations\n" + format_violations(path, blocking)
