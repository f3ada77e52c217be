"""The vendored plotly.js *basic* bundle draws every chart feature generator/charts.py uses: scatter markers
with text labels and error bars, filled zones (fill: toself), lines, paper annotations, a multi-category axis
(grouped value curves), horizontal bars with text outside — and the page's text paints before plotly.js runs."""
from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.browser


def _count(page, selector: str) -> int:
    return page.locator(selector).count()


def test_value_map_features_draw_with_the_basic_bundle(probe, origins):
    page = probe().open(origins["http"] + "competitors/ticketeer.html")
    page.wait_for_charts()
    p = page.page
    assert p.evaluate("typeof Plotly") == "object"
    figures = [json.loads(s.text_content()) for s in p.locator("script[type='application/json']").all()]
    traces = [t for f in figures if "data" in f for t in f["data"]]
    assert any(t.get("error_x") for t in traces) and any(t.get("fill") == "toself" for t in traces)
    assert _count(p, ".errorbar") > 0, "error bars not drawn"
    assert _count(p, ".scatterlayer .fills path, .scatterlayer path.js-fill") > 0, "zones (fill toself) not drawn"
    assert _count(p, ".scatterlayer .textpoint") > 0, "point labels not drawn"
    assert _count(p, ".annotation") > 0, "annotations not drawn"
    assert _count(p, ".barlayer .point") > 0, "bars not drawn"
    assert _count(p, ".barlayer .bartext") > 0, "bar labels (textposition outside) not drawn"
    page.assert_clean()


def test_grouped_value_curves_use_a_multicategory_axis(probe, origins):
    page = probe().open(origins["http"] + "canvas.html")
    page.wait_for_charts()
    p = page.page
    figures = [json.loads(s.text_content()) for s in p.locator("script[type='application/json']").all()]
    grouped = [t for f in figures if "data" in f for t in f["data"] if isinstance((t.get("x") or [None])[0], list)]
    if not grouped:
        pytest.skip("the sample's canvas has no grouped axis")
    assert _count(p, ".xaxislayer-above .xtick2, .xaxislayer-above .x2tick, g.xtick2") + \
        _count(p, ".xaxislayer-above text") > 0
    assert _count(p, ".scatterlayer .trace") > 0
    page.assert_clean()


def test_text_and_tables_are_on_the_page_before_plotly_runs(probe, origins, browser):
    """Every script is deferred: block plotly.js' file entirely and the page still shows its text and tables
    (the charts stay empty, their tables carry the same numbers)."""
    context = browser.new_context()
    try:
        context.route("**/assets/plotly.*.js", lambda route: route.abort())
        p = context.new_page()
        p.goto(origins["http"] + "competitors/ticketeer.html", wait_until="domcontentloaded")
        assert p.locator("main h1").count() == 1
        assert p.locator("main table").count() > 0
        assert p.evaluate("typeof Plotly") == "undefined"
        assert p.evaluate("Array.from(document.scripts).filter(s => s.src && !s.defer && !s.async).length") == 0
    finally:
        context.close()
