"""A very large market's map pages: the table under a map lists the overview's selection, not every company.

Past views.rankings.FULL_TABLE_ROWS companies (1,000) the table under the home, segment and prospect maps lists
the companies the ranking card shows (the top three and our neighbours), marks the gaps and links to the
competitor list, which still lists every company with every measure; every company stays on the map. The
threshold is lowered here (a 40-company market, FULL_TABLE_ROWS = 30) so the pages build in seconds; the
same market with the real threshold lists everyone.
"""
from __future__ import annotations

import pytest

from generator import plan
from generator.build import build
from generator.diagnostics import Diagnostics
from generator.views import rankings

from tests.unit.test_build_pages import chart_json, load, the_table, visible_text
from tests.unit.test_linear import write_market
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
    text = visible_text(doc)
    assert "This table lists the top three and those ranked nearest to us on this map" in text
    # the competitor list ranks on the overall map: it is not this segment's full table, and the page says so
    assert "with every measure" not in text and text.count("the competitor list ranks them all on the overall map") == 2


def test_up_to_the_threshold_the_table_lists_every_company(uncapped):
    _, site = uncapped
    doc = load(site / "index.html")
    assert len(the_table(doc, CAPTION).rows) == N
    text = visible_text(doc)
    assert "This table lists" not in text
    assert "Every company and every measure: in the table under the map." in text


# --------------------------------------------------------------------------- the competitor list, in pages

PER_PAGE = 15  # 39 competitors: pages of 15, 15 and 9


@pytest.fixture(scope="module")
def paged(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(plan, "LIST_PAGE_SIZE", PER_PAGE)
        return _market(tmp_path_factory.mktemp("paged"), N)


def _cards(doc) -> list[str]:
    return [card.find("a").text().strip() for card in doc.find_all("li", "company-card")]


def test_a_very_large_competitor_list_is_split_in_rank_order_over_pages(paged, uncapped):
    _, site = paged
    files = [site / "competitors" / "index.html", site / "competitors" / "page" / "2.html",
             site / "competitors" / "page" / "3.html"]
    assert not (site / "competitors" / "page" / "4.html").exists()
    docs = [load(f) for f in files]
    cards = [_cards(doc) for doc in docs]
    assert [len(c) for c in cards] == [15, 15, 9]
    # the pages together are the one-page list of the same market, in the same order
    assert [name for page in cards for name in page] == _cards(load(uncapped[1] / "competitors" / "index.html"))
    titles = [doc.find("title").text() for doc in docs]
    assert titles[1].startswith("Competitors, page 2 of 3") and len(set(titles)) == 3
    assert "Competitors 16–30 of 39, in rank order." in visible_text(docs[1])
    for doc, names in zip(docs, cards):
        # each page's table lists its own companies and us, in rank order
        listed = _names(the_table(doc, CAPTION))
        assert set(names) < set(listed) and len(listed) == len(names) + 1
        # the pager links to every page, the current one marked, and nowhere else
        pager = doc.find("nav", "pager")
        here = files[docs.index(doc)].parent
        targets = {(here / a.attrs["href"]).resolve() for a in pager.find_all("a")}
        assert targets | {files[docs.index(doc)].resolve()} == {f.resolve() for f in files}
    assert [doc.find("nav", "pager").find("span").text() for doc in docs] == ["1", "2", "3"]
    assert "Previous" not in docs[0].find("nav", "pager").text() and "Next" in docs[0].find("nav", "pager").text()
    assert "Next" not in docs[2].find("nav", "pager").text()


def test_up_to_a_thousand_competitors_the_list_is_one_page_without_a_pager(uncapped):
    _, site = uncapped
    assert not (site / "competitors" / "page").exists()
    doc = load(site / "competitors" / "index.html")
    assert len(_cards(doc)) == N - 1 and doc.find_all("nav", "pager") == []


def test_a_summary_edit_renders_again_only_the_list_page_that_shows_it(tmp_path, monkeypatch):
    monkeypatch.setattr(plan, "LIST_PAGE_SIZE", PER_PAGE)
    content = write_market(tmp_path / "m", N, distinct=False)
    out = tmp_path / "served"
    first = build(content, out, Diagnostics(), incremental=True)
    card = load(out / "competitors" / "page" / "2.html").find("li", "company-card").find("a")
    slug = card.attrs["href"].rsplit("/", 1)[-1].removesuffix(".html")
    path = content / "companies" / f"{slug}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Sells **widgets**", "Sells **gadgets**", 1),
                    encoding="utf-8")
    second = build(content, out, Diagnostics(), incremental=first.state)
    rendered = set(second.state.rendered)
    assert "competitors/page/2.html" in rendered and f"competitors/{slug}.html" in rendered
    assert not {"competitors/index.html", "competitors/page/3.html"} & rendered
    assert "gadgets" in (out / "competitors" / "page" / "2.html").read_text(encoding="utf-8")


def test_a_prospect_s_large_table_keeps_the_companies_it_evaluates(sample, templates, tmp_path, monkeypatch):
    """On a prospect's page the table under a very large market's map lists, beside us and the top three, the
    companies the prospect is evaluating (the sample's 10 companies stand in: threshold 5, selection of 4)."""
    import yaml

    monkeypatch.setattr(rankings, "FULL_TABLE_ROWS", 5)
    monkeypatch.setattr(rankings, "OVERVIEW_ROWS", 4)
    monkeypatch.setenv("VALUEMAP_PROSPECT_SECRET", "a-test-secret")
    out = tmp_path / "site"
    diagnostics = Diagnostics()
    build(sample.content, out, diagnostics, templates_dir=templates, workers=1)
    assert not diagnostics.has_errors(), diagnostics.sorted()
    names = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))["name"]
             for p in (sample.content / "companies").glob("*.yaml")}
    checked = 0
    for prospect_file in sorted((sample.content / "prospects").glob("*.yaml")):
        prospect = yaml.safe_load(prospect_file.read_text(encoding="utf-8"))
        page = next(p for p in (out / "prospects").glob("*.html")
                    if f"{prospect['name']}" in visible_text(load(p).find("h1")))
        doc = load(page)
        listed = set(_names(the_table(doc, CAPTION)))
        assert {names[slug] for slug in prospect["evaluating"]} <= listed < set(names.values())
        assert f"the companies {prospect['name']} is evaluating" in visible_text(doc)
        checked += 1
    assert checked == 2


@pytest.mark.parametrize("lang, shown", [("en", "4,002"), ("ru", "4\u00a0002"), ("ja", "4,002")])
def test_a_rank_past_a_thousand_reads_as_the_headline_writes_it(lang, shown):
    """One number, one format: the ranking's rank column groups a four-digit rank as the interface strings do
    ("#4,002 of 5,000" above the table, 4,002 in it — not 4002)."""
    from dataclasses import replace
    from pathlib import Path

    from generator.build import check
    from generator.locales import Translator
    from generator.views.common import Links, make_context

    checked = check(Path(__file__).resolve().parents[2] / "content", Diagnostics())
    site = checked.content.site.model_copy(update={"lang": lang})
    content = replace(checked.content, site=site)
    ctx = make_context(content, checked.scores, checked.plan, {})
    position = replace(checked.scores.overall.positions[0], rank=4002)
    home = checked.plan.find("home", "")
    cells = rankings.ranking_cells(ctx, position, Links(ctx, home))
    assert cells[0]["text"] == shown
    assert shown in Translator(lang)("fig.rank_value", rank=4002, count=5000)


def test_the_weigh_page_tells_its_script_the_selection_the_server_makes(tmp_path, monkeypatch):
    """weigh.js picks a large market's table again for the weights set, by the sizes the page gives it: the
    sizes the server's selection read when the page was made (they were imported by name once, so a change
    reached the server's table but not the script's)."""
    import json
    import re

    monkeypatch.setattr(rankings, "FULL_TABLE_ROWS", 30)
    monkeypatch.setattr(rankings, "OVERVIEW_ROWS", 8)
    monkeypatch.setattr(rankings, "TOP_ROWS", 2)
    _, site = _market(tmp_path, N)
    text = (site / "weigh.html").read_text(encoding="utf-8")
    block = json.loads(re.search(r'id="weigh-data">(.*?)</script>', text, re.S).group(1))["weigh"]
    assert block["table"] == {"rows": 8, "top": 2}
    assert len(the_table(load(site / "weigh.html"), "Ranking by value for money at the weights set above").rows) <= 8
