"""Every number a chart draws equals the number in its data table, after formatting.

Issue "A method you can defend": for every chart on every page of the sample site (and of the small tree),
each number drawn — a bar's label, a hover's numbers, a value curve's point — is compared with the cell of the
table beside the chart (``<details class="chart-data">``) for the same company, dimension or criterion. Charts
get their numbers as strings from generator/formats.py, never as a d3 format of their own, so the two must read
the same character for character ("7.3", "+2.0", "−0.9"). plotly.js strings are escaped for its pseudo-HTML by
generator.charts.plain, so they are unescaped (html.unescape) before the comparison.
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from generator.locales import Translator
from tests.unit.test_build_pages import Table, build, html_files, load, table_of

T = Translator("en")
COMPANY = T("col.company")
SCORE = T("col.score")
DIFFERENCE = T("col.difference")
# The value map's hover numbers, in the order of customdata: the table's columns of the same numbers.
MAP_COLUMNS = [T("col.relative_quality"), T("col.relative_price"), T("col.customer_value")]
D3_FORMAT = re.compile(r"%\{[^}]*:[^}]*\}")  # %{x:.1f}, %{y:+.1f}, %{customdata[0]:,}...


def unescape(text: str) -> str:
    """A plotly.js string as a reader sees it, with the whitespace of the HTML table text."""
    return " ".join(html.unescape(str(text)).split())


def strip_marker(label: str) -> str:
    return label.removesuffix(" ▾")  # the column the ranking is sorted by


@dataclass
class Tally:
    charts: int = 0
    points: int = 0
    strings: int = 0
    kinds: dict = field(default_factory=dict)


@dataclass
class Chart:
    page: str
    id: str
    figure: dict
    table: Table
    extra: list = field(default_factory=list)  # further tables in the same <details> (the map's trail table)

    def fail(self, what: str) -> str:
        return f"{self.page} #{self.id}: {what}"

    def row_by(self, column: str, key: str) -> dict[str, str]:
        """The table row whose ``column`` reads ``key``, as {column label (marker stripped): text}."""
        i = self.table.columns.index(column)
        found = [r for r in self.table.rows if r[i] == key]
        assert len(found) == 1, self.fail(f"{len(found)} rows with {column} = {key!r}; rows: {self.table.rows}")
        return {strip_marker(c): v for c, v in zip(self.table.columns, found[0])}

    def row_by_pair(self, first: str, second: str) -> dict[str, str]:
        """The row whose first two cells are (dimension, criterion)."""
        found = [r for r in self.table.rows if r[0] == first and r[1] == second]
        assert len(found) == 1, self.fail(f"{len(found)} rows for ({first!r}, {second!r}); rows: {self.table.rows}")
        return {strip_marker(c): v for c, v in zip(self.table.columns, found[0])}


def charts_of(site: Path) -> list[Chart]:
    out = []
    for path in html_files(site):
        doc = load(path)
        for fig in doc.find_all("figure", "chart-figure"):
            scripts = [s for s in fig.find_all("script") if s.attrs.get("id", "").endswith("-data")]
            assert len(scripts) == 1, f"{path}: a chart figure without exactly one data script"
            script = scripts[0]
            assert script.attrs.get("type") == "application/json", f"{path}: {script.attrs}"
            details = fig.find("details", "chart-data")
            out.append(Chart(str(path.relative_to(site)), script.attrs["id"].removesuffix("-data"),
                             json.loads(script.raw_text()), table_of(details.find("table")),
                             [table_of(t) for t in details.find_all("table")[1:]]))
    return out


def assert_drawn(chart: Chart, tally: Tally, label: str, drawn: str, row: dict[str, str], column: str) -> None:
    assert column in row, chart.fail(f"no column {column!r} for {label!r}; row: {row}")
    shown = unescape(drawn)
    assert shown == row[column], chart.fail(
        f"{label!r}: drawn {shown!r} but the table's {column!r} cell reads {row[column]!r}; row: {row}")
    tally.strings += 1


# --- one checker per kind of chart -------------------------------------------------------------------------

def check_value_map(chart: Chart, trace: dict, tally: Tally) -> None:
    """Value-map points: the name in ``text``, the hover's numbers in ``customdata`` (RQ, RP, customer value)."""
    assert re.findall(r"%\{(customdata\[\d\])\}", trace["hovertemplate"]) == [
        "customdata[0]", "customdata[1]", "customdata[2]"], chart.fail(trace["hovertemplate"])
    assert len(trace["text"]) == len(trace["customdata"]) == len(trace["x"]), chart.fail("ragged trace")
    for name, numbers in zip(trace["text"], trace["customdata"]):
        row = chart.row_by(COMPANY, unescape(name))
        assert len(numbers) == len(MAP_COLUMNS), chart.fail(f"{name}: {numbers}")
        for drawn, column in zip(numbers, MAP_COLUMNS):
            assert_drawn(chart, tally, unescape(name), drawn, row, column)
        tally.points += 1


def check_trail(chart: Chart, trace: dict, tally: Tally) -> None:
    """A history trail (generator/views/history.py): each point's hover is ``[date, RQ, RP, customer value]``,
    the row of the trail table for that company and date."""
    assert re.findall(r"%\{(customdata\[\d\])\}", trace["hovertemplate"]) == [
        "customdata[0]", "customdata[1]", "customdata[2]", "customdata[3]"], chart.fail(trace["hovertemplate"])
    assert len(trace["customdata"]) == len(trace["x"]) == len(trace["y"]) >= 2, chart.fail("ragged trail")
    found = [t for t in chart.extra if T("history.col.date") in t.columns]
    assert len(found) == 1, chart.fail("a trail without exactly one trail table beside the chart")
    trails = found[0]
    name = unescape(trace["meta"]["name"])
    date_i, company_i = trails.columns.index(T("history.col.date")), trails.columns.index(COMPANY)
    for date, *numbers in trace["customdata"]:
        rows = [r for r in trails.rows if r[company_i] == name and r[date_i] == unescape(date)]
        assert len(rows) == 1, chart.fail(f"{len(rows)} trail rows for {name!r} at {date!r}")
        row = {strip_marker(c): v for c, v in zip(trails.columns, rows[0])}
        for drawn, column in zip(numbers, MAP_COLUMNS):
            assert_drawn(chart, tally, f"{name} · {unescape(date)}", drawn, row, column)
        tally.points += 1


def check_curves(chart: Chart, trace: dict, tally: Tally) -> None:
    """A value curve: one company over categories, each point's hover text in ``customdata``. The table has
    either a row per company and a column per category (strategy canvas by dimension) or a row per
    (dimension, criterion) and a column per company (canvas by criterion, head to head)."""
    assert trace["hovertemplate"].startswith("%{customdata}"), chart.fail(trace["hovertemplate"])
    company = unescape(trace["name"])
    x = trace["x"]
    grouped = len(x) == 2 and isinstance(x[0], list)
    categories = list(zip(x[0], x[1])) if grouped else [("", label) for label in x]
    assert len(categories) == len(trace["customdata"]) == len(trace["y"]), chart.fail(f"{company}: ragged trace")
    by_company = chart.table.columns[0] == COMPANY
    for (group, label), drawn in zip(categories, trace["customdata"]):
        group, label = unescape(group), unescape(label)
        if by_company:
            row, column = chart.row_by(COMPANY, company), label
        else:
            assert grouped, chart.fail("a table per criterion needs grouped categories")
            row, column = chart.row_by_pair(group, label), company
        assert_drawn(chart, tally, f"{company} · {group} · {label}", drawn, row, column)
        tally.points += 1


def check_bars(chart: Chart, trace: dict, tally: Tally) -> None:
    """Horizontal bars: label in ``y``, the bar's number in ``text`` (drawn beside it) and ``customdata``
    (the hover). Dimension pages: a company's Score; competitor pages: a dimension's Difference."""
    assert trace["hovertemplate"] == "%{y}: %{customdata}<extra></extra>", chart.fail(trace["hovertemplate"])
    column = DIFFERENCE if DIFFERENCE in chart.table.columns else SCORE
    assert column in chart.table.columns, chart.fail(f"bars beside a table without {SCORE!r}: {chart.table.columns}")
    key = chart.table.columns[0]
    assert len(trace["y"]) == len(trace["text"]) == len(trace["customdata"]), chart.fail("ragged trace")
    for label, text, hover in zip(trace["y"], trace["text"], trace["customdata"]):
        row = chart.row_by(key, unescape(label))
        assert_drawn(chart, tally, unescape(label), text, row, column)
        assert_drawn(chart, tally, unescape(label), hover, row, column)
        tally.points += 1


def check_chart(chart: Chart, tally: Tally) -> None:
    checked = 0
    for trace in chart.figure["data"]:
        for key in ("hovertemplate", "texttemplate"):
            template = trace.get(key, "")
            assert not D3_FORMAT.search(template), chart.fail(
                f"{key} {template!r} formats a number itself: every number comes preformatted from formats.py")
        if trace.get("hoverinfo") == "skip":  # zones and the fair-value line: no number shown to a reader
            assert "text" not in trace and "customdata" not in trace, chart.fail(trace.get("name"))
            continue
        if trace["type"] == "bar":
            # x is the bar's length (a number): a template reading it would show an unformatted number
            assert "%{x" not in trace["hovertemplate"], chart.fail(trace["hovertemplate"])
            check_bars(chart, trace, tally)
            kind = chart.id
        elif trace.get("mode") == "markers+text":
            assert "%{x" not in trace["hovertemplate"] and "%{y" not in trace["hovertemplate"], chart.fail(
                trace["hovertemplate"])
            check_value_map(chart, trace, tally)
            kind = "value-map"
        elif trace.get("meta", {}).get("trail"):
            assert "%{x" not in trace["hovertemplate"] and "%{y" not in trace["hovertemplate"], chart.fail(
                trace["hovertemplate"])
            check_trail(chart, trace, tally)
            kind = "trail"
        elif trace.get("mode") == "lines+markers":
            assert "%{y" not in trace["hovertemplate"], chart.fail(trace["hovertemplate"])
            check_curves(chart, trace, tally)
            kind = "curves"
        else:
            pytest.fail(chart.fail(f"a trace this test does not know how to read: {trace.get('type')} "
                                   f"{trace.get('mode')} — teach it, so its numbers are checked too"))
        tally.kinds[kind] = tally.kinds.get(kind, 0) + 1
        checked += 1
    assert checked, chart.fail("no trace shows a number")
    tally.charts += 1


def check_site(site: Path) -> Tally:
    tally = Tally()
    for chart in charts_of(site):
        check_chart(chart, tally)
    return tally


# --- the sites --------------------------------------------------------------------------------------------

AUDIENCES = ["external", "internal"]


@pytest.mark.parametrize("audience", AUDIENCES)
def test_sample_site_charts_draw_the_numbers_of_their_tables(sample, cli, audience):
    tally = check_site(build(cli, sample.root, "--audience", audience))
    assert tally.charts >= 8 and tally.points >= 200, tally
    # every kind of chart was read: value maps (home, segments), curves (canvas, competitors), both bars
    assert {"value-map", "curves", "dimension-scores", "difference", "trail"} <= set(tally.kinds), tally


@pytest.mark.parametrize("audience", AUDIENCES)
def test_small_tree_charts_draw_the_numbers_of_their_tables(tree, cli, audience):
    tally = check_site(build(cli, tree.root, "--audience", audience))
    # home + segment maps, 2 canvas charts, 2 dimension pages, 2 competitors × (curves, difference, where they
    # sit), and the same three on each of the 2 battlecards
    assert tally.charts == 18, tally
    assert {"value-map", "curves", "dimension-scores", "difference"} <= set(tally.kinds), tally
    assert tally.points >= 40, tally


def test_the_tree_value_map_hover_reads_the_hand_computed_numbers(tree, cli):
    """A spot check that the comparison reads real numbers: the home map's hover for Beta is the table's
    row (RQ 71.875 → "71.9", RP 72.7273 → "72.7", customer value −0.8523 → "−0.9"; tests/unit/test_score.py)."""
    site = build(cli, tree.root)
    chart = next(c for c in charts_of(site) if c.page == "index.html" and c.id == "value-map")
    drawn = {unescape(name): numbers for trace in chart.figure["data"] if trace.get("mode") == "markers+text"
             for name, numbers in zip(trace["text"], trace["customdata"])}
    assert drawn["Beta"] == ["71.9", "72.7", "\u22120.9"]
    assert chart.row_by(COMPANY, "Beta")[T("col.customer_value")] == "\u22120.9"


def test_a_disagreement_is_reported_with_page_chart_label_and_row(tree, cli):
    """The check fails loudly: a drawn number that differs from its cell names page, chart, label and row."""
    site = build(cli, tree.root)
    chart = next(c for c in charts_of(site) if c.id == "dimension-scores")
    trace = chart.figure["data"][0]
    trace["text"][0] = "9.9"
    with pytest.raises(AssertionError) as failure:
        check_chart(chart, Tally())
    message = str(failure.value)
    assert chart.page in message and "#dimension-scores" in message and "'9.9'" in message
    assert unescape(trace["y"][0]) in message and "Score" in message


def test_names_that_look_like_markup_are_compared_unescaped(tree, cli):
    """A name with &, < and % reaches plotly.js escaped (&amp;, &lt;, &#37;) and the table as text: the
    comparison unescapes, so such a company's numbers are still found and checked."""
    tree.replace("companies/beta.yaml", "name: Beta", 'name: "Beta & <b>Co</b> 100%"')
    site = build(cli, tree.root)
    tally = check_site(site)
    assert tally.charts == 18, tally
    chart = next(c for c in charts_of(site) if c.page == "index.html" and c.id == "value-map")
    names = [n for trace in chart.figure["data"] if trace.get("mode") == "markers+text" for n in trace["text"]]
    assert "Beta &amp; &lt;b&gt;Co&lt;/b&gt; 100&#37;" in names
