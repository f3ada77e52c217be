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
from generator.formats import Formatter, band_decimals
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
    band = site.method.fair_value_band
    rows = [[fmt.whole(p.rank), p.name, fmt.number(p.relative_quality), fmt.number(p.relative_price),
             fmt.signed(p.customer_value, band_decimals(p.customer_value, band)), fmt.ratio(p.ratio) if p.ratio is not None else t("ratio.free"),
             ("≈" if p.quote.estimated else "") + fmt.money(p.price), fmt.money(p.justified_price),
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


def test_sliders_are_labelled(probe, origins):
    page = probe().open(origins["http"] + "weigh.html")
    page.page.wait_for_function(MAP_DRAWN, timeout=20_000)
    sliders = page.page.locator("#weigh-sliders input[type=range]")
    assert sliders.count() == 4
    for i in range(sliders.count()):
        slider_id = sliders.nth(i).get_attribute("id")
        assert page.page.locator(f"label[for='{slider_id}']").count() == 1
    page.assert_clean()


def test_without_javascript_the_default_table_shows(new_context, origins, checked):
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(origins["http"] + "weigh.html")
    assert not page.locator("#weigh-sliders").is_visible()
    assert "need JavaScript" in page.locator("main").inner_text()
    data = json.loads(page.locator("#weigh-data").text_content())["weigh"]
    rows, _, marks = expected(checked, [d["weight"] for d in data["dimensions"]], data["price_decimals"])
    shown = page.evaluate(READ)
    assert shown["rows"] == rows and shown["marks"] == marks


LABELS = """(id) => {
  const el = document.getElementById(id), out = {};
  el.data.filter(t => t.mode === 'markers+text').forEach(t => t.text.forEach((name, i) => {
    const ink = Array.isArray(t.textfont.color) ? t.textfont.color[i] : t.textfont.color;
    out[name] = [Array.isArray(t.textposition) ? t.textposition[i] : t.textposition, ink === 'rgba(0, 0, 0, 0)'];
  }));
  return out;
}"""


@pytest.mark.parametrize("width", [1280, 375])
def test_the_weigh_map_places_its_labels_as_the_home_map_does(new_context, origins, width):
    """weigh.js places the labels of the points it draws with generator/labels.py's placement: at the published
    weights its map is the overall one, so every company's label sits where the home page's map puts it, and
    the same labels are left undrawn — on a desktop and on a phone (short names, the phone's plot area)."""
    context = new_context(viewport={"width": width, "height": 900})
    home, weigh = context.new_page(), context.new_page()
    home.goto(origins["http"] + "index.html")
    home.wait_for_function("() => !!document.querySelector('#value-map .main-svg')", timeout=20_000)
    weigh.goto(origins["http"] + "weigh.html")
    weigh.wait_for_function(MAP_DRAWN, timeout=20_000)
    on_home, on_weigh = home.evaluate(LABELS, "value-map"), weigh.evaluate(LABELS, "weigh-map")
    assert len(on_home) >= 10 and on_weigh == on_home


WEIGH_JS = Path(__file__).resolve().parents[2] / "templates" / "assets" / "weigh.js"


def test_the_javascript_placement_equals_labels_py_on_random_maps(new_context):
    """weigh.js' placeLabels against generator/labels.py's place, on 40 random maps of 9–60 labels with the
    fair-value line and the corner notes: the same position and the same drawn/undrawn decision for every
    label. (A box in two grid cells once counted twice in JavaScript: 17 of 40 maps differed.)"""
    import random

    from generator import labels

    page = script_page(new_context, "/* --- labels:", "  function noteBox(", "placeLabels")
    rnd = random.Random(11)
    for trial in range(40):
        n = rnd.randint(9, 60)
        points = [(rnd.uniform(60, 140), rnd.uniform(60, 140), "Co " + "x" * rnd.randint(2, 18)) for _ in range(n)]
        xr, yr = (55.0, 145.0), (55.0, 145.0)
        width, height, char_px, text_px, note_px = rnd.choice([(640, 390, 7.2, 16, 6.6), (255, 250, 6.0, 13, 6.0)])
        notes = [labels.note_box("↖ Worse value: less quality", note_px, text_px, width, height, top_left=True),
                 labels.note_box("Better value ↘", note_px, text_px, width, height, top_left=False)]
        line = ((xr[0], 50.0 + trial), (xr[1], 150.0 - trial / 2))
        first = rnd.randrange(n)
        expected = labels.place(points, xr, yr, width, height, line=line, obstacles=notes, char_px=char_px,
                                text_px=text_px, first=first)
        got = page.evaluate("([p, xr, yr, area, line, notes, first]) => placeLabels(p, xr, yr, area, line, notes, first)",
                            [[list(p) for p in points], list(xr), list(yr), [width, height, char_px, text_px, note_px],
                             [list(e) for e in line], [list(b) for b in notes], first])
        assert (got["positions"], got["clashes"]) == (list(expected[0]), list(expected[1])), trial


def script_page(new_context, start: str, end: str, name: str):
    """A blank page with ``name`` from weigh.js (its source between ``start`` and ``end``) on ``window``."""
    source = WEIGH_JS.read_text(encoding="utf-8")
    block = source[source.index(start):source.index(end)]
    page = new_context().new_page()
    page.set_content(f"<!doctype html><title>{name}</title>")
    page.evaluate(f"(code) => {{ window.{name} = new Function(code + '; return {name};')(); }}", block)
    return page


@pytest.mark.parametrize("lang", ["en", "et", "ru", "ja"])
def test_the_script_lays_out_numbers_as_the_server_does(new_context, lang):
    """weigh.js' number formats (its Formats: Intl.NumberFormat) against generator/formats.py's (Babel), for
    every language the interface ships, on the numbers a market of thousands shows: ranks and counts past
    999 (#4,002 of 5,000), prices in the thousands, negative differences and percentages. A rank once read
    4002 in the script's table and 4,002 in the server's."""
    page = script_page(new_context, '  var MINUS = ', "  /* --- the value map", "Formats")
    cases = [("whole", 4002), ("whole", 5000), ("whole", 12), ("number", 1234.56), ("number", -0.04),
             ("signed", -1234.5), ("signed", 56.78), ("money", 4002.0), ("money", 19.5), ("signedMoney", -1383.2),
             ("percent", 6382.4), ("percent", -17.0), ("share", 0.305), ("ratio", 1.2345)]
    got = page.evaluate("""([lang, cases]) => { const f = new Formats(lang, "EUR", 0);
        return cases.map(([kind, x]) => f[kind](x)); }""", [lang, [list(c) for c in cases]])
    fmt = Formatter(lang, "EUR", 0)
    python = {"whole": fmt.whole, "number": fmt.number, "signed": fmt.signed, "money": fmt.money,
              "signedMoney": fmt.signed_money, "percent": fmt.percent, "share": fmt.share, "ratio": fmt.ratio}
    assert got == [python[kind](x) for kind, x in cases]


def test_the_script_rounds_weights_to_percents_as_the_server_does(new_context):
    """Shares that add up to 100% (largest remainder) from the script and from formats.py, on random weight
    sets full of near-ties (1:6:3:12 once read 5/27/14/54 from the server, 4/27/14/55 after the script ran)."""
    import random

    page = script_page(new_context, '  var MINUS = ', "  /* --- the value map", "Formats")
    rng = random.Random(7)
    sets = [[rng.choice([rng.randint(1, 24), rng.randint(1, 3000) / 100]) for _ in range(rng.randint(2, 7))]
            for _ in range(3000)] + [[1, 6, 3, 12], [1, 1, 1], [1] * 8, [2, 1, 1, 2, 1, 1]]
    got = page.evaluate("""(sets) => { const f = new Formats("en", "EUR", 0);
        return sets.map((w) => { const t = w.reduce((a, b) => a + b, 0); return f.shares(w.map((x) => x / t)); }); }""",
                        sets)
    fmt = Formatter("en", "EUR", 0)
    expected = [list(fmt.shares({i: x / sum(w) for i, x in enumerate(w)}).values()) for w in sets]
    assert [(w, g, e) for w, g, e in zip(sets, got, expected) if g != e] == []
    assert all(sum(int(v.rstrip("%")) for v in e) == 100 for e in expected)


GAPS = "() => Array.from(document.querySelectorAll('#weigh-ranking tbody tr')).map(tr => tr.classList.contains('gap'))"


def test_a_very_large_market_s_table_lists_the_selection_for_the_weights_set(new_context, tmp_path, monkeypatch):
    """Past FULL_TABLE_ROWS companies the weigh page's table lists us, the top three and our neighbours — on
    the server for the published weights, in the browser for the weights set — by the same rule."""
    from generator.build import build
    from generator.views import rankings
    from tests.unit.test_build_pages import load
    from tests.unit.test_linear import write_market

    monkeypatch.setattr(rankings, "FULL_TABLE_ROWS", 30)  # a 40-company market stands in for a 1,001-company one
    content = write_market(tmp_path / "m", 40, distinct=False)
    build(content, tmp_path / "site", Diagnostics(), workers=1)
    market = check(content, Diagnostics())
    html = load(tmp_path / "site" / "weigh.html")  # the server's table, as written (no script has run)
    body = html.find("div", id="weigh-ranking").find("tbody")
    server = {"rows": [[c.text() for c in tr.children if not isinstance(c, str)] for tr in body.find_all("tr")],
              "gaps": ["gap" in tr.attrs.get("class", "").split() for tr in body.find_all("tr")]}
    page = new_context().new_page()
    page.goto((tmp_path / "site" / "weigh.html").as_uri())
    page.wait_for_function(MAP_DRAWN, timeout=20_000)
    data = json.loads(page.locator("#weigh-data").text_content())["weigh"]
    us = market.content.site.us

    def selected(raw):
        rows = expected(market, raw, data["price_decimals"])[0]
        site = market.content.site
        ids = [d.id for d in site.dimensions]
        vmap = sc.scenario_map(site, market.content.companies, market.scores.companies,
                               sc.Scenario("visitor", "", sc.normalise(dict(zip(ids, raw))), site.price_reference),
                               market.scores.audience, market.scores.today)
        ranked = [p.slug for p in vmap.positions]
        chosen = rankings.overview_selection(ranked, us, ranked[:rankings.TOP_ROWS])
        return ([row for slug, row in zip(ranked, rows) if slug in chosen], rankings.gaps_in(ranked, chosen))

    default = selected([d["weight"] for d in data["dimensions"]])
    assert 4 < len(default[0]) <= rankings.OVERVIEW_ROWS < 40
    assert (server["rows"], server["gaps"]) == default  # the server's table, before the script ran
    assert (page.evaluate(READ)["rows"], page.evaluate(GAPS)) == default  # the script's, the same
    assert "This table lists the top three" in page.locator("#weigh-ranking + p").inner_text()
    for raw in ([100, 0], [0, 100], [30, 70]):
        page.evaluate(SET, raw)
        assert (page.evaluate(READ)["rows"], page.evaluate(GAPS)) == selected(raw), raw


@pytest.mark.parametrize("method", ["comparison: market", "fair_value_line: regression"])
def test_the_script_works_out_the_same_prices_and_ranking_under_other_methods(new_context, tmp_path, method):
    """weigh.js works out each company's comparison-average and relative price from its price and the
    market's total (the page does not carry them): under comparison 'market' too, and with a fitted line."""
    import shutil
    from generator.build import build
    from tests.unit.test_build_pages import load

    content = Path(shutil.copytree(SAMPLE_CONTENT, tmp_path / "content"))
    site_yaml = content / "site.yaml"
    key = method.split(":")[0]
    text = site_yaml.read_text(encoding="utf-8")
    site_yaml.write_text(re.sub(rf"(?m)^  {key}: .*$", f"  {method}", text, count=1), encoding="utf-8")
    diagnostics = Diagnostics()
    build(content, tmp_path / "site", diagnostics, templates_dir=SAMPLE_CONTENT.parent / "templates", workers=1)
    assert not diagnostics.has_errors(), diagnostics.sorted()
    body = load(tmp_path / "site" / "weigh.html").find("div", id="weigh-ranking").find("tbody")
    server = [[c.text() for c in tr.children if not isinstance(c, str)] for tr in body.find_all("tr")]
    links = [a.attrs["href"] for a in body.find_all("a")]
    page = new_context().new_page()
    page.goto((tmp_path / "site" / "weigh.html").as_uri())
    page.wait_for_function(MAP_DRAWN, timeout=20_000)
    assert page.evaluate(READ)["rows"] == server and len(server) == 10
    # each name links to its page: slugs the script derives from the name (Havenwall) and those it is given
    # (Hearthside Support's is hearthside)
    assert page.evaluate(LINKS) == links and len(links) == 9  # we have no competitor page
    assert "competitors/havenwall.html" in links and "competitors/hearthside.html" in links


def test_the_script_shares_a_tied_rank_as_the_server_does(new_context, tmp_path, checked):
    """A competitor copied under another name ties with it: both share one rank, the next is skipped — in the
    server's table and in the script's, for the published weights and for others."""
    import shutil
    from generator.build import build

    content = Path(shutil.copytree(SAMPLE_CONTENT, tmp_path / "content"))
    havenwall = (content / "companies" / "havenwall.yaml").read_text(encoding="utf-8")
    (content / "companies" / "havenwall-twin.yaml").write_text(
        havenwall.replace("name: Havenwall", "name: Havenwall Twin"), encoding="utf-8")
    diagnostics = Diagnostics()
    build(content, tmp_path / "site", diagnostics, templates_dir=SAMPLE_CONTENT.parent / "templates", workers=1)
    assert not diagnostics.has_errors(), diagnostics.sorted()
    market = check(content, Diagnostics())
    page = new_context().new_page()
    page.goto((tmp_path / "site" / "weigh.html").as_uri())
    page.wait_for_function(MAP_DRAWN, timeout=20_000)
    data = json.loads(page.locator("#weigh-data").text_content())["weigh"]
    for raw in ([d["weight"] * 100 for d in data["dimensions"]], [10, 20, 30, 40]):
        page.evaluate(SET, raw)
        rows = page.evaluate(READ)["rows"]
        assert rows == expected(market, raw, data["price_decimals"])[0], raw
        ranks = {row[1]: row[0] for row in rows}
        assert ranks["Havenwall"] == ranks["Havenwall Twin"], ranks
        assert str(int(ranks["Havenwall"]) + 1) not in ranks.values(), ranks  # the next rank is skipped
    page.close()


def test_four_digit_prices_read_the_same_from_the_script_in_estonian(new_context, tmp_path):
    """Babel groups every number of four digits and more ("4 002"); CLDR lets Intl.NumberFormat leave them
    ungrouped in Estonian ("4002"): weigh.js asks for grouping always, so the table it fills in reads as the
    server's, prices in the thousands included."""
    import shutil
    from generator.build import build

    content = Path(shutil.copytree(SAMPLE_CONTENT, tmp_path / "content"))
    site_yaml = content / "site.yaml"
    site_yaml.write_text(re.sub(r"(?m)^lang: en$", "lang: et", site_yaml.read_text(encoding="utf-8")),
                         encoding="utf-8")
    for path in (content / "companies").glob("*.yaml"):  # every price a hundred times: €1,500 to €12,000
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"\bprice: ([1-9]\d*)\b", r"price: \g<1>00", text), encoding="utf-8")
    diagnostics = Diagnostics()
    build(content, tmp_path / "site", diagnostics, templates_dir=SAMPLE_CONTENT.parent / "templates", workers=1)
    assert not diagnostics.has_errors(), diagnostics.sorted()
    uri = (tmp_path / "site" / "weigh.html").as_uri()
    still = new_context(java_script_enabled=False).new_page()  # the server's table, as written
    still.goto(uri)
    server = still.evaluate(READ)["rows"]
    assert any(re.fullmatch(r"\d\u00a0\d{3}\u00a0€", row[6]) for row in server), server  # grouped on the server
    page = new_context().new_page()
    page.goto(uri)
    page.wait_for_function(MAP_DRAWN, timeout=20_000)
    assert page.evaluate(READ)["rows"] == server
