"""A very large market's map pages: the table under a map lists the overview's selection, not every company.

Past views.rankings.FULL_TABLE_ROWS companies (1,000) the table under the home, segment and prospect maps lists
the companies the ranking card shows (the top three and our neighbours), marks the gaps and links to the
competitor list, which still lists every company with every measure; every company stays on the map. The
threshold is lowered here (a 40-company market, FULL_TABLE_ROWS = 30) so the pages build in seconds; the
same market with the real threshold lists everyone.
"""
from __future__ import annotations

import pytest

from generator.views import rankings

from tests.unit.test_build_pages import chart_json, load, the_table, visible_text
from tests.unit.test_overview_selection import _market

CAPTION = "Value map data and ranking by value for money"
RANKING = "Ranking by value for money"
N = 40


@pytest.fixture(scope="module")
def capped(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(rankings, "FULL_TABLE_ROWS", 30)
        return _market(tmp_path_factory.mktemp("capped"), N)


@pytest.fixture(scope="module")
def uncapped(tmp_path_factory):
    return _market(tmp_path_factory.mktemp("uncapped"), N)


def _names(table) -> list[str]:
    return [name.strip() for name in table.column("Company")]


def test_the_table_under_a_large_map_lists_the_ranking_s_selection_and_links_to_every_company(capped):
    _, site = capped
    doc = load(site / "index.html")
    under_map = the_table(doc, CAPTION)
    ranking = the_table(doc, RANKING)
    assert _names(under_map) == _names(ranking)  # the same companies as the ranking card, in rank order
    assert 4 <= len(under_map.rows) <= rankings.OVERVIEW_ROWS < N
    text = visible_text(doc)
    assert f"Companies in the market: {N}. This table lists the top three and those ranked nearest to us" in text
    assert "Every company and every measure: on the competitor list." in text  # the ranking card's note too
    assert "in the table under the map" not in text  # no longer true
    assert doc.find("a", href="competitors/index.html") is not None
    # every company is still on the map
    points = [t for t in chart_json(doc, "value-map")["data"] if t.get("mode") == "markers+text"]
    assert sum(len(t["x"]) for t in points) == N
    # and the competitor list lists every one with every measure
    assert len(the_table(load(site / "competitors" / "index.html"), CAPTION).rows) == N


def test_a_segment_map_is_capped_the_same_way(capped):
    _, site = capped
    segment = next(p for p in sorted((site / "segments").glob("*.html")) if p.name != "index.html")
    doc = load(segment)
    assert len(the_table(doc, CAPTION).rows) < N
    assert "This table lists the top three" in visible_text(doc)


def test_up_to_the_threshold_the_table_lists_every_company(uncapped):
    _, site = uncapped
    doc = load(site / "index.html")
    assert len(the_table(doc, CAPTION).rows) == N
    text = visible_text(doc)
    assert "This table lists" not in text
    assert "Every company and every measure: in the table under the map." in text
