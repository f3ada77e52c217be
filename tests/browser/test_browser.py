"""The built sample site in headless Chromium: charts draw, nothing errors, nothing leaves the machine.

Every page is opened both as ``file://`` (a site opened from disk or a zip) and over HTTP under a sub-path
(``/valuemap/``, as on a project page), since relative links and assets break differently in each.
"""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

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
    "changes.html",  # what changed since each dated snapshot (content/history/)
]
# 404.html links from the site's root (a host serves it at any depth), so it is checked where it is served:
# tests/browser/test_subpath.py, under a sub-path, at a missing deep URL.
# Pages that carry charts (one of each chart-bearing kind).
CHART_PAGES = ["index.html", "competitors/relaybird.html", "canvas.html", "dimensions/usability.html",
               "segments/enterprise.html"]
ORIGINS = ["file", "http"]
SAMPLE_CONTENT = Path(__file__).resolve().parents[2] / "content"
N_COMPANIES = len(list((SAMPLE_CONTENT / "companies").glob("*.yaml")))  # 10 in the sample market
MOBILE = {"width": 375, "height": 812}


def test_sample_market_has_ten_companies():
    assert N_COMPANIES == 10


@pytest.mark.parametrize("origin", ORIGINS)
@pytest.mark.parametrize("path", PAGES)
def test_page_renders_cleanly(probe, origins, origin, path):
    """Every page kind, from disk and over HTTP: its charts are drawn (a plotly SVG in every ``[data-chart]``,
    from a valid JSON figure), with no console error or warning, page error, CSP violation, failed load or
    request to anything but the site itself."""
    page = probe().open(origins[origin] + path)
    charts = page.page.locator("[data-chart]")
    if path in CHART_PAGES:
        assert charts.count() >= 1, f"{path}: no [data-chart] element"
    if charts.count():
        page.wait_for_charts()
    for i in range(charts.count()):
        chart = charts.nth(i)
        name = chart.get_attribute("data-chart")
        assert chart.locator(".main-svg").count() >= 1, f"{path}: chart {name} has no plotly SVG"
        box = chart.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 100, f"{path}: chart {name} is {box}"
        figure = json.loads(page.page.locator(f"script[type='application/json']#{name}").text_content())
        assert figure["data"], f"{path}: chart {name} has no traces"
    assert page.page.locator("main#main h1").count() == 1, f"{path}: expected one <h1> in <main>"
    page.assert_clean()


@pytest.mark.parametrize("origin", ORIGINS)
def test_value_map_shows_one_point_per_company(probe, origins, origin):
    page = probe().open(origins[origin] + "index.html")
    page.wait_for_charts()
    value_map = page.page.locator("[data-chart='value-map-data']")
    assert value_map.count() == 1
    assert value_map.locator(".main-svg").count() >= 1
    # plus the points of the history trails drawn at first (ours and the rival's; the others are legend-only)
    figure = json.loads(page.page.locator("script#value-map-data").text_content())
    trail_points = sum(len(tr["x"]) for tr in figure["data"]
                       if tr.get("meta", {}).get("trail") and tr.get("visible", True) is True)
    assert trail_points >= 4  # the sample's history: two trails of four dates each
    assert value_map.locator(".scatterlayer .point").count() == N_COMPANIES + trail_points
    page.assert_clean()


def test_charts_offer_no_upload_to_plotly_cloud(probe, origins):
    """plotly.js ≥ 3 adds a "Share chart..." mode-bar button (``sendChartToCloud``, config ``showSendToCloud``
    defaults to true) that opens cloud.plotly.com and posts the whole figure — competitors' scores and prices —
    to it. A site promising that nothing leaves the machine must not offer it."""
    page = probe().open(origins["file"] + "index.html")
    page.wait_for_charts()
    titles = page.page.evaluate(
        "() => Array.from(document.querySelectorAll('[data-chart] .modebar-btn')).map(b => b.dataset.title)")
    cloud = [t for t in titles if "share" in (t or "").lower() or "cloud" in (t or "").lower()]
    assert not cloud, (f"index.html: mode-bar buttons {cloud} send the chart to Plotly Cloud (all buttons: {titles});"
                       " pass showSendToCloud: false (or remove 'sendChartToCloud') in the plotly config")
    page.assert_clean()


def test_requests_stay_inside_the_site_path(fresh_probe, http_site):
    """Served under /valuemap/, the site must not make the server fetch anything outside /valuemap/ — not even
    the /favicon.ico Chromium asks the server root for when a page declares no icon (once per browser, hence
    a browser of its own here)."""
    page = fresh_probe
    http_site.served.clear()
    page.open(http_site.root + "index.html")
    page.wait_for_charts()
    prefix = urlsplit(http_site.root).path
    for _ in range(20):  # the favicon request follows the load event; give it up to 2 s
        outside = [p for p in http_site.served if not p.startswith(prefix)]
        if outside:
            break
        page.page.wait_for_timeout(100)
    hint = (' (declare an icon, e.g. <link rel="icon" href="data:,">, so Chromium does not fetch /favicon.ico)'
            if "/favicon.ico" in outside else "")
    assert not outside, f"index.html: the server was asked for paths outside {prefix}: {outside}{hint}"
    page.assert_clean()


@pytest.mark.parametrize("path", PAGES)
def test_no_horizontal_overflow_on_a_phone(probe, origins, path):
    """At 375 px (a small phone) nothing makes the page scroll sideways; charts draw in their phone layout."""
    page = probe(viewport=MOBILE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page.open(origins["file"] + path)
    if page.chart_count():
        page.wait_for_charts()
    width = page.page.evaluate("document.documentElement.scrollWidth")
    if width > MOBILE["width"] + 1:
        wide = page.page.evaluate(WIDEST_ELEMENTS, MOBILE["width"])
        pytest.fail(f"{path}: page is {width}px wide at {MOBILE['width']}px; sticking out: {wide}")
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
    """With JavaScript off the value map's data is still there, as a table the reader can open."""
    page = probe(java_script_enabled=False).open(origins["file"] + "index.html")
    value_map = page.page.locator("[data-chart='value-map-data']")
    assert value_map.count() == 1
    assert value_map.locator(".main-svg").count() == 0  # nothing drew it
    figure = page.page.locator("figure", has=value_map)
    tables = figure.locator("table")
    # the ranking first; then the table of the trails' past positions (the sample has history)
    assert tables.count() == 2, "the value map's data tables are missing from the page"
    table = tables.first
    assert table.locator("tbody tr").count() == N_COMPANIES
    assert figure.locator(".chart-fallback").is_visible(), "the <noscript> note is not shown"
    # the table is reachable: its <details> opens without JavaScript
    figure.locator("details.chart-data > summary").click()
    assert table.is_visible()
    page.assert_clean()


# --------------------------------------------------------------------------- accessibility (axe-core)

BLOCKING_IMPACTS = {"serious", "critical"}


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
    """axe-core (all default rules) on the drawn page: no serious or critical violation. Every violation, minor
    ones included, is printed (``pytest -s`` or ``-rP`` shows them on passing tests too)."""
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


ROLES = """(selector) => {
  const el = document.querySelector(selector);
  return Object.fromEntries(el.data.filter(t => t.meta && ['rival', 'muted'].includes(t.meta.role))
                                   .map(t => [t.name, t.meta.role]));
}"""


def test_the_canvas_rival_can_be_chosen_without_a_mouse(probe, origins):
    """WCAG 2.1.1: the canvas says "click a company to compare it with us", and a legend entry cannot take
    focus. A labelled list above each canvas makes the same choice, and follows a click in the legend."""
    page = probe().open(origins["file"] + "canvas.html")
    page.wait_for_charts()
    charts = page.page.locator(".chart-pick select")
    assert charts.count() == 2  # by dimension, by criterion
    select = charts.first
    chart = "#" + select.get_attribute("id").removesuffix("-pick")
    label = page.page.locator(f"label[for='{select.get_attribute('id')}']").inner_text().strip()
    assert label == "Compare us with"
    before = page.page.evaluate(ROLES, chart)
    rival = next(name for name, role in before.items() if role == "rival")
    other = next(name for name, role in before.items() if role == "muted")
    select.focus()
    select.select_option(label=other)
    after = page.page.evaluate(ROLES, chart)
    assert after[other] == "rival" and after[rival] == "muted"
    assert sum(role == "rival" for role in after.values()) == 1
    # a click in the legend moves the list too
    page.page.locator(f"{chart} .legend .traces").filter(has_text=rival).first.click()
    assert page.page.evaluate(ROLES, chart)[rival] == "rival"
    assert page.page.evaluate("(s) => { const e = document.querySelector(s); return e.options[e.selectedIndex].text; }",
                              "#" + select.get_attribute("id")) == rival
    page.assert_clean()
