"""Issue "Honest numbers": every score and price carries its verification status, the value map its uncertainty.

A status mark is ``<span class="status status-<status>" role="img" aria-label="…">`` beside the number, inside
the same cell: it holds no text, so a cell still reads exactly its number (the chart/table agreement test
compares those texts), and its glyph is drawn by the stylesheet, one shape per status.
"""
from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

import pytest

from generator.formats import Formatter
from generator.locales import Translator
from generator.verify import STATUSES
from tests.unit.test_build_pages import Node, build, html_files, load
from tests.unit.test_chart_tables import charts_of, unescape

T = Translator("en")
FMT = Formatter("en", "EUR", 0)
RECENT = (_dt.date.today() - _dt.timedelta(days=20)).isoformat()
OLDER = (_dt.date.today() - _dt.timedelta(days=40)).isoformat()
RECENT_SHOWN = Formatter("en").date(_dt.date.fromisoformat(RECENT))  # as the pages show it: "November 4, 2026"


def marks(node: Node) -> list[str]:
    return [c.removeprefix("status-") for m in node.find_all("span", "status")
            for c in m.attrs["class"].split() if c.startswith("status-")]


def legend(doc: Node) -> dict[str, str]:
    """The status legend of a page: status → its text."""
    out = {}
    for item in doc.find("dl", "status-legend").find_all("div"):
        (status,) = marks(item.find("dt"))
        out[status] = item.find("dd").text()
    return out


def cells_of(table: Node, column: str) -> list[Node]:
    heads = [th.text().removesuffix(" ▾") for th in table.find("thead").find_all("th")]
    i = heads.index(column)
    return [[c for c in tr.children if isinstance(c, Node) and c.tag in ("th", "td")][i]
            for tr in table.find("tbody").find_all("tr")]


# --- the sample market -----------------------------------------------------------------------------------

@pytest.fixture
def sample_site(sample, cli) -> Path:
    return build(cli, sample.root)


def test_sample_every_evidence_score_and_ranking_price_has_a_mark(sample_site):
    checked = 0
    for path in html_files(sample_site):
        doc = load(path)
        for table in doc.find_all("table", "evidence"):
            for td in table.find("tbody").find_all("td", "num"):
                assert len(marks(td)) == 1, f"{path}: score {td.text()!r} without exactly one status mark"
                checked += 1
            assert legend(doc).keys() == set(STATUSES), path
        for table in doc.find_all("table", "ranking"):
            for td in cells_of(table, T("col.price")):
                assert len(marks(td)) == 1, f"{path}: price {td.text()!r} without a status mark"
                checked += 1
            if path.name != "weigh.html":  # the sliders' ranking: prices (marked) move, evidence shares do not show
                assert [c.text() for c in cells_of(table, T("col.backed"))], path
            assert legend(doc).keys() == set(STATUSES), path
    assert checked > 100


def test_a_mark_is_named_in_words_and_adds_no_text(sample_site):
    """Named by its status alone (a screen reader once heard the whole legend sentence at every number); the
    page's legend explains every status it shows, once."""
    for page in ("index.html", "competitors/norbridge.html", "weigh.html"):
        doc = load(sample_site / page)
        explained = legend(doc)
        spans = [s for s in doc.find_all("span", "status") if "aria-hidden" not in s.attrs]
        assert spans, page
        for dt in doc.find("dl", "status-legend").find_all("dt"):  # beside its name: not read twice
            assert dt.find("span", "status").attrs.get("aria-hidden") == "true"
        for span in spans:
            (status,) = marks(span)
            assert span.attrs["role"] == "img"
            assert span.attrs["aria-label"] == span.attrs["title"] == T("status." + status)
            assert span.text() == ""
            assert explained[status] == T(f"status.{status}.legend")


# --- a tree with every status ----------------------------------------------------------------------------

def every_status_tree(tree):
    """Gamma's usability criteria and service score show all seven statuses (beta adds unknown)."""
    tree.replace("companies/gamma.yaml", "    setup: 4\n    daily-use: 8\n  service: 7\n", f"""\
    setup:
      evidence:
        - {{source: mystery-shopper, value: 4, date: {RECENT}}}
        - {{source: internal-metric, value: 4.5, date: {OLDER}}}
    daily-use:
      evidence:
        - {{source: mystery-shopper, value: 8, date: {RECENT}}}
  service:
    evidence:
      - {{source: mystery-shopper, value: 3, date: {RECENT}}}
      - {{source: mystery-shopper, value: 9, date: {OLDER}}}
""")
    tree.replace("companies/beta.yaml", "    setup: 6\n", f"""\
    setup:
      evidence:
        - {{source: internal-metric, value: 6, date: {RECENT}}}
""")
    tree.replace("companies/beta.yaml", "  service: 5\n", """\
  service:
    evidence:
      - {source: mystery-shopper, value: 5, date: 2001-01-01}
""")
    tree.replace("companies/alpha.yaml", "    setup: 8\n", "    setup: unknown\n")
    return tree


def evidence_marks(doc: Node) -> dict[str, list[str]]:
    """Evidence table rows keyed by dimension (scored as a whole) or criterion label: their marks."""
    out = {}
    for tr in doc.find("table", "evidence").find("tbody").find_all("tr"):
        dim = tr.find("td").text()
        crit = tr.find("th").text()
        out[crit] = marks(tr.find("td", "num"))
        out.setdefault(dim, out[crit])  # a dimension scored as a whole: its one row
    return out


def test_each_status_appears_with_its_legend_text(tree, cli):
    site = build(cli, every_status_tree(tree).root)
    seen = set()
    for path in html_files(site):
        doc = load(path)
        found = set(marks(doc))
        if not doc.find_all("dl", "status-legend"):
            assert not doc.find_all("span", "status"), f"{path}: marks without a legend"
            continue
        texts = legend(doc)
        assert texts == {s: T(f"status.{s}.legend") for s in STATUSES}, path
        seen |= found
    assert seen == set(STATUSES), seen
    gamma = load(site / "competitors" / "gamma.html")
    rows = evidence_marks(gamma)
    assert rows["Setup"] == ["verified"] and rows["Daily use"] == ["single-source"]
    assert rows["Personal approach"] == ["conflicting"]
    beta = load(site / "competitors" / "beta.html")
    rows = evidence_marks(beta)
    assert rows["Setup"] == ["gameable-only"] and rows["Personal approach"] == ["stale"]
    assert rows["Daily use"] == ["unsupported"]


def test_an_unknown_score_reads_unknown_with_its_mark(tree, cli):
    site = build(cli, every_status_tree(tree).root)
    canvas = load(site / "canvas.html")
    table = [t for t in canvas.find_all("table") if "Alpha" in t.find("thead").text()][0]
    for tr in table.find("tbody").find_all("tr"):
        cells = [c for c in tr.children if isinstance(c, Node) and c.tag in ("th", "td")]
        if [c.text() for c in cells[:2]] == ["Ease of use", "Setup"]:
            alpha = cells[2 + [th.text() for th in table.find("thead").find_all("th")][2:].index("Alpha")]
            assert alpha.text() == T("score.unknown") and marks(alpha) == ["unknown"]
            break
    else:
        pytest.fail("no Setup row on the canvas")


# --- prices that disagree --------------------------------------------------------------------------------

PRICED = """\
  - plan: Basic
    tier: standard
    seats: {{min: 1}}
    observations:
      - {{price: 40, billing: annual, source: mystery-shopper, date: {recent}, url: "https://beta.example/pricing"}}
      - {{price: 55, billing: annual, source: internal-metric, date: {older}, note: "seen on a reseller"}}
      - {{price: 41, billing: annual, source: mystery-shopper, date: {older}, internal: true, note: "SECRET-PRICE-NOTE"}}
"""


def priced_tree(tree):
    tree.replace("companies/beta.yaml", "  - {plan: Basic, tier: standard, price: 40, seats: {min: 1}}\n",
                 PRICED.format(recent=RECENT, older=OLDER))
    return tree


def test_conflicting_prices_show_the_mark_and_every_observation(tree, cli):
    site = build(cli, priced_tree(tree).root)
    doc = load(site / "competitors" / "beta.html")
    table = doc.find("table", "observations")
    rows = table.find("tbody").find_all("tr")
    seen = [c.text() for tr in rows for c in cells_of(table, T("col.as_seen")) if c in tr.children]
    assert any(s.startswith("€40") for s in seen) and any(s.startswith("€55") for s in seen), seen
    assert "conflicting" in marks(table)
    assert T("price.disagree") in table.text()
    # the comparison price in the ranking and in the price table carries the conflicting mark too
    prices = [t for t in doc.find_all("table") if t.find("caption").text().startswith("Prices at each")][0]
    assert "conflicting" in marks(prices)
    home = load(site / "index.html")
    beta = [tr for tr in home.find("table", "ranking").find("tbody").find_all("tr") if "Beta" in tr.text()][0]
    assert "conflicting" in marks(beta)


def test_internal_price_observations_stay_out_of_the_external_build(tree, cli):
    priced_tree(tree)
    external = build(cli, tree.root)
    for path in external.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".txt"):
            assert "SECRET-PRICE-NOTE" not in path.read_text(encoding="utf-8"), path
    internal = build(cli, tree.root, "--audience", "internal")
    assert "SECRET-PRICE-NOTE" in (internal / "competitors" / "beta.html").read_text(encoding="utf-8")


# --- the value map's uncertainty -------------------------------------------------------------------------

RANGE = re.compile(T("chart.range", rq_low="(?P<a>[^–]+)", rq_high="(?P<b>[^,]+)", rp_low="(?P<c>[^–]+)",
                     rp_high="(?P<d>.+)"))


def check_error_bars(site: Path) -> int:
    count = 0
    for chart in charts_of(site):
        if chart.id != "value-map":
            continue
        for trace in chart.figure["data"]:
            if trace.get("mode") != "markers+text":
                continue
            assert "%{hovertext}" in trace["hovertemplate"]
            ex, ey = trace["error_x"], trace["error_y"]
            assert ex["type"] == ey["type"] == "data" and ex["symmetric"] is False is ey["symmetric"]
            for i, hover in enumerate(trace["hovertext"]):
                m = RANGE.fullmatch(unescape(hover.split("<br>")[0]))
                assert m, hover
                x, y = trace["x"][i], trace["y"][i]
                # each bar ends where the hover's range says: in the printed value's rounding interval, the
                # ends drawn to 1/100 (far below a pixel)
                for end, printed in ((x - ex["arrayminus"][i], m["a"]), (x + ex["array"][i], m["b"]),
                                     (y - ey["arrayminus"][i], m["c"]), (y + ey["array"][i], m["d"])):
                    assert abs(end - float(printed.replace(",", ""))) <= 0.05 + 0.011, (end, printed)
                assert min(ex["array"][i], ex["arrayminus"][i], ey["array"][i], ey["arrayminus"][i]) >= 0
                assert unescape(hover.split("<br>")[1]).startswith(T("chart.backed", share="").rstrip())
                count += 1
    return count


def test_map_error_bars_end_where_the_hover_range_says(tree, cli):
    assert check_error_bars(build(cli, every_status_tree(tree).root)) >= 3


def test_sample_map_error_bars_end_where_the_hover_range_says(sample_site):
    assert check_error_bars(sample_site) >= 10


def test_map_says_when_its_data_is_from_and_why_companies_are_missing(tree, cli):
    tree.replace("companies/beta.yaml", "  - {plan: Basic, tier: standard, price: 40, seats: {min: 1}}\n", f"""\
  - plan: Basic
    tier: standard
    seats: {{min: 1}}
    observations:
      - {{quote: true, source: mystery-shopper, date: {RECENT}}}
""")
    every_status_tree(tree)
    site = build(cli, tree.root)
    doc = load(site / "index.html")
    assert doc.find("p", "as-of").text().startswith(T("chart.as_of", date=RECENT_SHOWN).split(".")[0])
    unplaced = doc.find("div", "unplaced").text()
    assert "Beta" in unplaced and T("unplaced.quote-only") in unplaced


def test_competitor_header_says_how_much_is_backed_by_evidence(tree, cli):
    site = build(cli, every_status_tree(tree).root)
    text = load(site / "competitors" / "gamma.html").find("p", "trust").text()
    assert re.search(r"\d+% of its score is backed by evidence", text), text
    assert T("competitor.newest", date=RECENT_SHOWN) in text
