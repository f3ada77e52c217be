"""Weigh it yourself in headless Chromium: the sliders recompute the ranking and our justified price in the
browser, and the numbers equal what generator/score.py computes for those weights, formatted by
generator/formats.py. Nothing errors, nothing violates the CSP; without JavaScript the default table shows.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator import score as sc
from generator.build import check
from generator.diagnostics import Diagnostics
from generator.formats import Formatter
from generator.locales import Translator

pytestmark = pytest.mark.browser

SAMPLE_CONTENT = Path(__file__).resolve().parents[2] / "content"
WEIGHTS = [  # slider values (usability, personal approach, practicality, reliability)
    [30, 30, 25, 15], [100, 0, 0, 0], [0, 100, 0, 0], [0, 0, 100, 0], [10, 20, 30, 40], [55, 5, 0, 40],
    [33.3, 12.7, 50, 4],
]
LINKS = "() => Array.from(document.querySelectorAll('#weigh-ranking tbody a')).map(a => a.getAttribute('href'))"
MAP_DRAWN = "() => !!document.querySelector('#weigh-map .main-svg')"


@pytest.fixture(scope="module")
def checked():
    return check(SAMPLE_CONTENT, Diagnostics())


def expected(checked, raw: list[float], price_decimals: int):
    site = checked.content.site
    ids = [d.id for d in site.dimensions]
    scenario = sc.Scenario("visitor", "", sc.normalise(dict(zip(ids, raw))), site.price_reference)
    vmap = sc.scenario_map(site, checked.content.companies, checked.scores.companies, scenario,
                           checked.scores.audience, checked.scores.today)
    fmt, t = Formatter(site.lang, site.currency, price_decimals), Translator(site.lang)
    rows = [[fmt.whole(p.rank), p.name, fmt.number(p.relative_quality), fmt.number(p.relative_price),
             fmt.signed(p.customer_value), fmt.ratio(p.ratio) if p.ratio is not None else t("ratio.free"),
             fmt.money(p.price), fmt.money(p.justified_price),
             f"{fmt.signed_money(p.headroom)} ({fmt.percent(p.headroom_pct)})", t(f"zone.{p.zone}")]
            for p in vmap.positions]
    marks = [[f"status status-{p.price_status}"] for p in vmap.positions]  # the price's mark goes with it
    us = vmap.get(site.us)
    figures = [t("fig.rank_value", rank=us.rank, count=len(vmap.positions)), fmt.money(us.justified_price),
               fmt.signed_money(us.headroom)]
    return rows, figures, marks


READ = """() => ({
  rows: Array.from(document.querySelectorAll('#weigh-ranking tbody tr')).map(
    tr => Array.from(tr.children).map(td => td.textContent.trim())),
  figures: Array.from(document.querySelectorAll('#weigh-figures .figure-value')).map(d => d.textContent.trim()),
  marks: Array.from(document.querySelectorAll('#weigh-ranking tbody tr')).map(
    tr => Array.from(tr.children[6].querySelectorAll('span.status')).map(m => m.className)),
  shares: Array.from(document.querySelectorAll('#weigh-sliders output')).map(o => o.textContent.trim()),
})"""

SET = """(values) => {
  const inputs = document.querySelectorAll('#weigh-sliders input[type=range]');
  values.forEach((v, i) => { inputs[i].value = String(v); inputs[i].dispatchEvent(new Event('input', {bubbles: true})); });
}"""


@pytest.mark.parametrize("origin", ["file", "http"])
def test_sliders_recompute_what_the_scoring_module_computes(probe, origins, checked, origin):
    page = probe().open(origins[origin] + "weigh.html")
    page.page.wait_for_function(MAP_DRAWN, timeout=20_000)
    data = json.loads(page.page.locator("#weigh-data").text_content())["weigh"]
    assert page.page.locator("#weigh-sliders").is_visible()
    default_rows, default_figures, default_marks = expected(checked, [d["weight"] for d in data["dimensions"]],
                                             data["price_decimals"])
    shown = page.page.evaluate(READ)
    assert shown["rows"] == default_rows and shown["figures"] == default_figures
    assert shown["marks"] == default_marks
    fmt = Formatter(checked.content.site.lang, checked.content.site.currency, data["price_decimals"])
    for raw in WEIGHTS:
        page.page.evaluate(SET, raw)
        shown = page.page.evaluate(READ)
        rows, figures, marks = expected(checked, raw, data["price_decimals"])
        assert shown["rows"] == rows, raw
        assert shown["marks"] == marks, raw
        assert shown["figures"] == figures, raw
        total = sum(raw)
        assert shown["shares"] == [fmt.share(v / total) for v in raw]
        points = page.page.evaluate("() => document.querySelectorAll('#weigh-map .scatterlayer .point').length")
        assert points == len(rows)
    page.page.click("#weigh-reset")
    shown = page.page.evaluate(READ)
    assert shown["rows"] == default_rows and shown["figures"] == default_figures
    page.page.evaluate(SET, [0, 0, 0, 0])  # nothing to rank: the page says so and greys the last numbers out
    assert page.page.locator("#weigh-message").text_content().strip()
    assert page.page.evaluate(READ)["shares"] == ["\u2014"] * 4  # not "100%" beside a slider at 0
    assert page.page.evaluate("() => ['weigh-figures', 'weigh-map', 'weigh-ranking'].map("
                              "id => document.getElementById(id).classList.contains('weigh-stale'))") == [True] * 3
    page.page.evaluate(SET, [0, 0, 100, 0])
    assert page.page.evaluate("() => document.querySelectorAll('.weigh-stale').length") == 0
    page.assert_clean()


@pytest.mark.parametrize("origin", ["file", "http"])
def test_the_address_keeps_the_weights_and_a_link_opens_the_page_with_them(probe, origins, checked, origin):
    """A salesperson sends "your weighting": the sliders write the weights into the address (#id=value&…),
    and opening that address sets them again, results included."""
    page = probe().open(origins[origin] + "weigh.html")
    page.page.wait_for_function(MAP_DRAWN, timeout=20_000)
    data = json.loads(page.page.locator("#weigh-data").text_content())["weigh"]
    ids = [d["id"] for d in data["dimensions"]]
    raw = [10, 20, 30, 40]
    page.page.evaluate(SET, raw)
    address = page.page.url
    assert address.split("#", 1)[1] == "&".join(f"{i}={v}" for i, v in zip(ids, raw))
    rows, figures, _ = expected(checked, raw, data["price_decimals"])
    other = probe().open(address)
    other.page.wait_for_function(MAP_DRAWN, timeout=20_000)
    shown = other.page.evaluate(READ)
    assert shown["rows"] == rows and shown["figures"] == figures
    values = other.page.evaluate("() => Array.from(document.querySelectorAll('#weigh-sliders input')).map(i => i.value)")
    assert values == [str(v) for v in raw]
    other.page.click("#weigh-reset")  # the published weights again, and an address without weights
    assert "#" not in other.page.url
    # an address with rubbish in it: only numbers are read; what is left out weighs nothing
    third = probe().open(origins[origin] + f"weigh.html#{ids[2]}=1e2&{ids[0]}=%3Cscript%3E&{ids[1]}=-5")
    third.page.wait_for_function(MAP_DRAWN, timeout=20_000)
    rows, figures, _ = expected(checked, [0, 0, 100, 0], data["price_decimals"])
    shown = third.page.evaluate(READ)
    assert shown["rows"] == rows and shown["figures"] == figures
    for p in (page, other, third):
        p.assert_clean()


def test_back_to_the_page_the_sliders_and_the_results_agree(probe, origins, checked):
    """Back from a company's page: the weights left are set again from the address, results included. The
    browser restoring the sliders' values by itself (after the script ran) once showed the reader's weights
    over the published ranking; the sliders are autocomplete="off", so without the address both are the
    published ones."""
    page = probe().open(origins["http"] + "weigh.html")
    page.page.wait_for_function(MAP_DRAWN, timeout=20_000)
    data = json.loads(page.page.locator("#weigh-data").text_content())["weigh"]
    sliders = "() => Array.from(document.querySelectorAll('#weigh-sliders input')).map(i => i.value)"
    raw = [0, 0, 100, 0]
    for keep_address in (True, False):
        page.page.evaluate(SET, raw)
        if not keep_address:
            page.page.evaluate("() => history.replaceState(null, '', location.pathname)")
        page.page.locator("#weigh-ranking tbody a").first.click()
        page.page.wait_for_load_state("load")
        assert "weigh.html" not in page.page.url
        page.page.go_back()
        page.page.wait_for_function(MAP_DRAWN, timeout=20_000)
        page.page.wait_for_timeout(300)  # a browser that restores form values does it after the load event
        values = [float(v) for v in page.page.evaluate(sliders)]
        assert values == (raw if keep_address else [100 * d["weight"] for d in data["dimensions"]]), values
        rows, figures, _ = expected(checked, values, data["price_decimals"])
        shown = page.page.evaluate(READ)
        assert shown["rows"] == rows and shown["figures"] == figures, (keep_address, values)
    page.assert_clean()
