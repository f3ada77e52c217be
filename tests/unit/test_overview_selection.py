"""A large market's overviews: a selection of companies and the market's median, not every company.

Past views.rankings.OVERVIEW_ROWS companies, a strategy canvas of every company is grey noise with a legend
taller than the chart, a dimension's bar chart is 34 px per company tall, and every overview grew with the
market (1,000 companies: a 9.4 MB canvas, a 4.2 MB home page; 213 MB of memory to render the canvas at
5,000). The canvas draws us, the rival and the companies ranked nearest to us; the home and segment pages'
ranking and heat map, and each dimension's chart and table, show the top three and our neighbours — each with
the market's median, and a sentence saying what is shown. Every company stays on the map, in the table under
it and on the competitor list. These tests build real markets and read the pages: what they show, the median's
numbers (computed here from the company files), and that the pages no longer grow with the market.
"""
from __future__ import annotations

import statistics
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import yaml

from generator.build import build
from generator.diagnostics import Diagnostics
from generator.score import median
from generator.views.rankings import OVERVIEW_ROWS as CANVAS_LINES, overview_selection

from tests.unit.test_build_pages import chart_json, load, tables, the_table, visible_text
from tests.unit.test_linear import company_name, write_market


def test_selection_keeps_us_the_rival_and_the_nearest_ranks_in_map_order():
    ranked = [f"c{i:02d}" for i in range(30)]
    chosen = overview_selection(ranked, "c10", ("c25",), limit=6)
    # us and the rival, then ranks 9, 11, 8, 12 (nearest first; the one above first at equal distance)
    assert chosen == ["c08", "c09", "c10", "c11", "c12", "c25"]
    assert overview_selection(ranked, "gone", (None,), limit=3) == ["c00", "c01", "c02"]  # we are not ranked: the top
    assert overview_selection(ranked[:4], "c01", ("c02",), limit=6) == ranked[:4]


def test_median_of_the_known_values():
    assert median([None, 3.0, 1.0, 2.0]) == 2.0
    assert median([4.0, 1.0, 3.0, 2.0]) == 2.5
    assert median([None, None]) is None


def one_decimal(value: float) -> str:
    """As the site writes a score: one decimal, halves rounded up (5.25 → 5.3; generator/formats.py)."""
    return str(Decimal(str(value)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def _market(tmp_path: Path, n: int) -> tuple[Path, Path]:
    content = write_market(tmp_path / f"m{n}", n, distinct=False)
    out = tmp_path / f"site{n}"
    diagnostics = Diagnostics()
    build(content, out, diagnostics, workers=1)
    assert not diagnostics.has_errors(), diagnostics.items
    return content, out


def _dimension_scores(content: Path) -> dict[str, tuple[float, float]]:
    """(usability, service) of each company, computed from its file as tests/conftest.py's site.yaml weighs
    them: usability = (setup·1 + daily-use·3) / 4, service as given."""
    out = {}
    for path in sorted((content / "companies").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        usability = data["scores"]["usability"]
        out[data["name"]] = ((usability["setup"] + 3 * usability["daily-use"]) / 4, float(data["scores"]["service"]))
    return out


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    return _market(tmp_path_factory.mktemp("canvas"), 40)


def test_a_large_market_draws_a_dozen_companies_and_the_median(large):
    content, site = large
    doc = load(site / "canvas.html")
    figure = chart_json(doc, "canvas-dimensions")
    names = [trace["name"] for trace in figure["data"]]
    roles = {trace["name"]: trace["meta"]["role"] for trace in figure["data"]}
    assert len(names) == CANVAS_LINES + 1, names
    assert company_name(0) in names and roles[company_name(0)] == "us"
    assert list(roles.values()).count("rival") == 1
    assert roles["Market median"] == "median"
    scores = _dimension_scores(content)
    median_trace = next(t for t in figure["data"] if t["name"] == "Market median")
    expected = [round(statistics.median(s[i] for s in scores.values()), 2) for i in range(2)]
    assert median_trace["y"] == expected
    assert median_trace["line"]["dash"] == "dash"
    # Each drawn company's curve is its own scores
    for trace in figure["data"]:
        if trace["name"] in scores:
            assert trace["y"] == [round(v, 2) for v in scores[trace["name"]]], trace["name"]
    text = visible_text(doc)
    assert "Companies in the market: 40." in text
    table = the_table(doc, "Dimension scores of the companies drawn, and the market's median")
    assert len(table.rows) == CANVAS_LINES + 1
    assert table.rows[-1][0] == "Market median"
    assert table.rows[-1][1:] == [one_decimal(v) for v in expected]


def test_the_criteria_canvas_has_a_median_column(large):
    content, site = large
    doc = load(site / "canvas.html")
    figure = chart_json(doc, "canvas-criteria")
    assert [t["name"] for t in figure["data"]].count("Market median") == 1
    table = the_table(doc, "Criterion scores of the companies drawn, and the market's median")
    setups = [yaml.safe_load(p.read_text(encoding="utf-8"))["scores"]["usability"]["setup"]
              for p in (content / "companies").glob("*.yaml")]
    setup_row = next(row for row in table.rows if row[1] == "Setup")
    assert setup_row[-1] == one_decimal(statistics.median(setups))
    assert len(setup_row) == 2 + CANVAS_LINES + 1


def test_a_market_of_a_dozen_draws_every_company_and_no_median(tmp_path):
    _, site = _market(tmp_path, CANVAS_LINES)
    doc = load(site / "canvas.html")
    names = [t["name"] for t in chart_json(doc, "canvas-dimensions")["data"]]
    assert len(names) == CANVAS_LINES and "Market median" not in names
    assert "Companies in the market" not in visible_text(doc)
    assert len(the_table(doc, "Dimension scores of every company").rows) == CANVAS_LINES


def test_a_large_market_home_ranks_the_top_and_our_neighbours(large):
    content, site = large
    doc = load(site / "index.html")
    ranking = the_table(doc, "Ranking by value for money", "ranking-summary")
    ranks = [int(r) for r in ranking.column("Rank")]
    assert len(ranks) == CANVAS_LINES and ranks[:3] == [1, 2, 3] and ranks == sorted(ranks)
    assert company_name(0) in ranking.column("Company")
    assert not doc.find_all("details", "more-measures")  # the map's table holds every measure already
    text = visible_text(doc)
    assert "Companies in the market: 40. Shown here: the top three and those ranked nearest to us." in text
    link = next(a for a in doc.find_all("a") if a.text().startswith("All competitors, ranked"))
    assert link.attrs["href"] == "competitors/index.html"
    # the map's own table still lists every company
    assert len(the_table(doc, "Value map data and ranking by value for money").rows) == 40


def test_a_large_market_heat_map_has_the_selection_and_the_median(large):
    content, site = large
    doc = load(site / "index.html")
    heat = tables(doc, cls="heatmap")[0]
    assert len(heat.rows) == CANVAS_LINES + 1
    median_row = heat.rows[-1]
    assert median_row[1] == "Market median"
    scores = _dimension_scores(content)
    for i in range(2):
        assert median_row[2 + i] == one_decimal(statistics.median(s[i] for s in scores.values()))
    assert "the top three, those ranked nearest to us and the market's median" in visible_text(doc)


def test_a_large_market_dimension_page_draws_the_top_our_neighbours_and_the_median(large):
    content, site = large
    doc = load(site / "dimensions" / "usability.html")
    bars = chart_json(doc, "dimension-scores")["data"][0]
    assert len(bars["y"]) == CANVAS_LINES + 1 and bars["y"][-1] == "Market median"
    usability = sorted(s[0] for s in _dimension_scores(content).values())
    assert bars["x"][:3] == [round(v, 2) for v in usability[::-1][:3]]
    assert bars["x"][-1] == round(statistics.median(usability), 2)
    assert company_name(0) in bars["y"]


def test_the_overview_pages_do_not_grow_with_the_market(large, tmp_path):
    _, small_site = large
    _, big_site = _market(tmp_path, 160)
    for page in ("canvas.html", "dimensions/usability.html"):
        small, big = (small_site / page).stat().st_size, (big_site / page).stat().st_size
        assert big <= small * 1.15, (page, small, big)
    # the home page keeps the map (every company, in its chart and table) and nothing else per company
    home_small = (small_site / "index.html").stat().st_size
    home_big = (big_site / "index.html").stat().st_size
    assert home_big / 160 < home_small / 40, (home_small, home_big)


def test_a_small_market_home_keeps_every_company_and_every_measure(tmp_path):
    _, site = _market(tmp_path, CANVAS_LINES)
    doc = load(site / "index.html")
    assert len(the_table(doc, "Ranking by value for money", "ranking-summary").rows) == CANVAS_LINES
    assert doc.find_all("details", "more-measures")
    assert "Companies in the market" not in visible_text(doc)
    assert "Market median" not in visible_text(doc)


def test_a_broken_rule_marks_where_companies_were_left_out(large):
    _, site = large
    doc = load(site / "index.html")
    table = next(t for t in doc.find_all("table") if "ranking-summary" in t.attrs.get("class", ""))
    rows = table.find("tbody").find_all("tr")
    ranks = [int(next(c for c in r.children if not isinstance(c, str)).text()) for r in rows]
    gaps = ["gap" in r.attrs.get("class", "").split() for r in rows]
    assert gaps == [i > 0 and ranks[i] != ranks[i - 1] + 1 for i in range(len(ranks))], (ranks, gaps)
    assert any(gaps)
    heat = next(t for t in doc.find_all("table") if "heatmap" in t.attrs.get("class", ""))
    last = heat.find("tbody").find_all("tr")[-1]
    assert "gap" in last.attrs.get("class", "").split() and "Market median" in last.text()
