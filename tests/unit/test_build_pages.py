"""Build the small fixture tree and the sample market, parse the HTML and check the right figures sit on the
right pages, every link resolves, internal content stays internal and nothing is loaded from the network.

The expected figures for the small tree are worked out by hand in tests/unit/test_score.py (Gale's
per-criterion ratios; overall map: alpha RQ 137.8571 / RP 133.3333, gamma 100 / 100, beta 71.875 / 72.7273;
segment "small": beta 76.5625 / 72.7273, gamma 100 / 100, alpha 131.7857 / 133.3333) and written here as the
site formats them (generator/formats.py: prices at the precision the data has — the tree's prices are whole
euros, so '€62', not '€62.04' —, scores and indices with one decimal, '−' for minus, signed '+4.5').
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from generator.text import markdown as render_markdown

# --- a tiny DOM on top of html.parser -------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list = field(default_factory=list)  # Node or str

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list["Node"]:
        out = []
        for node in self.iter():
            if tag and node.tag != tag:
                continue
            if cls and cls not in node.attrs.get("class", "").split():
                continue
            if any(node.attrs.get(k.rstrip("_")) != v for k, v in attrs.items()):
                continue
            out.append(node)
        return out

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> "Node":
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag} class={cls!r} {attrs}> found"
        return found[0]

    def raw_text(self) -> str:
        return "".join(c if isinstance(c, str) else c.raw_text() for c in self.children)

    def text(self) -> str:
        return " ".join(self.raw_text().split())


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, {k: (v if v is not None else "") for k, v in attrs}))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def load(path: Path) -> Node:
    return parse(path.read_text(encoding="utf-8"))


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[list[str]]

    def column(self, label: str) -> list[str]:
        i = self.columns.index(label)
        return [r[i] for r in self.rows]

    def by_first(self, key_column: str) -> dict[str, dict[str, str]]:
        """Rows keyed by one column's text, each row as {column label: text}."""
        i = self.columns.index(key_column)
        return {r[i]: dict(zip(self.columns, r)) for r in self.rows}


def table_of(node: Node) -> Table:
    caption = node.find_all("caption")
    head = node.find("thead")
    body = node.find("tbody")
    return Table(caption[0].text() if caption else "",
                 [c.text() for c in head.find_all() if c.tag in ("th", "td")],
                 [[c.text() for c in tr.children if isinstance(c, Node) and c.tag in ("th", "td")]
                  for tr in body.find_all("tr")])


def tables(doc: Node, caption: str | None = None, cls: str | None = None) -> list[Table]:
    out = [table_of(t) for t in doc.find_all("table", cls)]
    return [t for t in out if caption is None or t.caption == caption]


def the_table(doc: Node, caption: str, cls: str | None = None) -> Table:
    found = tables(doc, caption, cls)
    assert found, f"no table captioned {caption!r}; captions: {[t.caption for t in tables(doc)]}"
    return found[0]


def is_reference(text: str, tier: str, seats: int) -> bool:
    """A price-reference label ("standard plan at 2 seats…", "Standard · 2 seats") naming tier and seats."""
    return re.search(rf"(?i)\b{tier}\b.*\b{seats} seats\b", text) is not None


def figures(doc: Node) -> dict[str, tuple[str, str]]:
    """Headline figures: label → (value, detail)."""
    out = {}
    for fig in doc.find("dl", "figures").find_all("div", "figure"):
        out[fig.find("dt").text()] = (fig.find("dd", "figure-value").text(), fig.find("dd", "figure-detail").text())
    return out


def visible_text(doc: Node) -> str:
    parts = []

    def walk(node: Node) -> None:
        if node.tag in ("script", "style"):
            return
        for child in node.children:
            if isinstance(child, str):
                parts.append(child)
            else:
                walk(child)

    walk(doc)
    return " ".join(" ".join(parts).split())


def chart_json(doc: Node, chart_id: str) -> dict:
    script = doc.find("script", id=f"{chart_id}-data")
    assert script.attrs.get("type") == "application/json"
    return json.loads(script.raw_text())


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def all_files(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*") if p.is_file())


# --- builds ---------------------------------------------------------------------------------------------

INTERNAL_PAGE = """\
---
title: Battle cards
order: 5
audience: internal
---
# Battle cards

SECRET-PAGE-battlecards: never in front of a prospect.
"""


def build(cli, root: Path, *args: str) -> Path:
    run = cli(root, "build", *args)
    assert run.code == 0, run.err
    internal = "internal" in args and "--out" not in args  # an internal build's own default folder
    return root / ("site-internal" if internal else "site")


@pytest.fixture
def tree_site(tree, cli) -> Path:
    tree.write("pages/battle-cards.md", INTERNAL_PAGE)
    return build(cli, tree.root)


@pytest.fixture
def tree_internal_site(tree, cli) -> Path:
    tree.write("pages/battle-cards.md", INTERNAL_PAGE)
    return build(cli, tree.root, "--audience", "internal")


@pytest.fixture
def sample_site(sample, cli) -> Path:
    return build(cli, sample.root)


RANKING = "Value map data and ranking by value for money"
COLUMNS = ["Rank", "Company", "Rel. quality", "Rel. price", "Value for money ▾", "Quality ÷ price", "Price",
           "Value-justified price", "Headroom", "Zone", "Backed by evidence"]


# --- home page ------------------------------------------------------------------------------------------

def test_home_ranking_table_has_the_hand_computed_rows(tree_site):
    doc = load(tree_site / "index.html")
    table = the_table(doc, RANKING, cls="ranking")
    assert table.columns == COLUMNS
    assert table.rows == [
        # d = 137.8571 − 133.3333 = +4.5238; ratio 137.8571/133.3333 = 1.0339
        # justified 137.8571·45/100 = 62.0357 → €62; headroom +2.0357 = +3.4 % of 60
        ["1", "Alpha", "137.9", "133.3", "+4.5", "1.03", "€60", "€62", "+€2 (+3%)", "Fair value", "0%"],
        # gamma sits on (100, 100): justified = price, headroom exactly 0
        ["2", "Gamma", "100.0", "100.0", "0.0", "1.00", "€50", "€50", "€0 (0%)", "Fair value", "0%"],
        # RQ 71.875 → "71.9"; d = 71.875 − 72.7273 = −0.8523; ratio 0.9883
        # justified 71.875·55/100 = 39.53 → €40; headroom −0.47 rounds to €0 in whole euros (−1.2 % of 40)
        ["3", "Beta", "71.9", "72.7", "−0.9", "0.99", "€40", "€40", "€0 (−1%)", "Fair value", "0%"],
    ]


def test_home_ranking_links_competitors_and_highlights_us(tree_site):
    doc = load(tree_site / "index.html")
    body = doc.find("table", "ranking").find("tbody")
    rows = body.find_all("tr")
    assert rows[0].attrs.get("class") == "us"
    assert rows[0].find_all("a") == []  # we have no competitor page
    assert rows[0].find("strong").text() == "Alpha"
    assert [r.find("a").attrs["href"] for r in rows[1:]] == ["competitors/gamma.html", "competitors/beta.html"]


def test_home_headline_figures(tree_site):
    doc = load(tree_site / "index.html")
    assert figures(doc) == {
        "Our value-for-money rank": ("#1 of 3", "ranked by value for money: what a customer gets beyond what they pay"),
        "Value-justified price": ("€62", "what our quality justifies; we charge €60 (Basic)"),
        "Price headroom": ("+€2", "+3% of our price: justified minus actual"),
        "Our quality / our price (100 = average)": ("137.9 / 133.3", "Fair value: value for money +4.5 · quality ÷ price 1.03"),
    }


def test_home_segment_summary_and_weights(tree_site):
    doc = load(tree_site / "index.html")
    seg = the_table(doc, "Our position in each segment")
    # small teams: alpha 3rd; justified 131.7857·45/100 = 59.30 → €59; headroom 59.30 − 60 = −0.70 → −€1
    assert len(seg.rows) == 1
    row = seg.rows[0]
    assert row[0] == "Small teams" and is_reference(row[1], "standard", 2)
    assert row[2:] == ["#3 of 3", "€59", "−€1"]
    weights = the_table(doc, "Dimension weights")
    assert weights.rows == [["Ease of use", "50%"], ["Personal approach", "50%"]]


# --- segment page ---------------------------------------------------------------------------------------

def test_segment_page_uses_the_segment_weights_and_ranks_differently(tree_site):
    doc = load(tree_site / "segments" / "small.html")
    weights = the_table(doc, "What matters to Small teams")
    assert weights.rows == [["Ease of use", "75%"], ["Personal approach", "25%"]]  # 3 : 1
    table = the_table(doc, RANKING, cls="ranking")
    assert table.columns == COLUMNS
    assert table.rows == [
        # point weights: setup .75·.25 = .1875, daily use .75·.75 = .5625, service .25
        # beta RQ 100·(.1875·6/6 + .5625·6/8 + .25·5/8) = 76.5625; d = 76.5625 − 72.7273 = +3.84; ratio 1.0527
        # justified 76.5625·55/100 = 42.11 → €42; headroom +2.11 = +5.3 % of 40
        ["1", "Beta", "76.6", "72.7", "+3.8", "1.05", "€40", "€42", "+€2 (+5%)", "Fair value", "0%"],
        ["2", "Gamma", "100.0", "100.0", "0.0", "1.00", "€50", "€50", "€0 (0%)", "Fair value", "0%"],
        # alpha RQ 100·(.1875·8/5 + .5625·8/7 + .25·9/6) = 131.7857; d = −1.5476; ratio 0.9884
        # justified 131.7857·45/100 = 59.30 → €59; headroom −0.70 → −€1 (−1.2 % of 60)
        ["3", "Alpha", "131.8", "133.3", "−1.5", "0.99", "€60", "€59", "−€1 (−1%)", "Fair value", "0%"],
    ]
    home = the_table(load(tree_site / "index.html"), RANKING, cls="ranking")
    assert table.column("Company") != home.column("Company")
    assert figures(doc)["Our value-for-money rank"][0] == "#3 of 3"
    assert figures(doc)["Value-justified price"][0] == "€59"
    assert figures(doc)["Price headroom"][0] == "−€1"
    assert is_reference(doc.find("p", "reference").text(), "standard", 2)


# --- competitor page ------------------------------------------------------------------------------------

def test_competitor_page_head_to_head(tree_site):
    doc = load(tree_site / "competitors" / "beta.html")
    assert doc.find("h1").text() == "Beta"
    # overall customer value: alpha +4.5238, beta −0.8523 → gap 5.3761
    assert doc.find("p", "verdict").text() == (
        "Alpha is better value for money than Beta. For its quality Alpha could ask €62 and asks €60; Beta could "
        "ask €40 and asks €40.")
    diff = the_table(doc, "Scores per dimension")
    assert diff.columns == ["Dimension", "Alpha", "Beta", "Difference"]
    # usability: alpha .25·8 + .75·8 = 8, beta 6 → +2; service 9 − 5 = +4
    assert diff.rows == [["Ease of use", "8.0", "6.0", "+2.0"], ["Personal approach", "9.0", "5.0", "+4.0"]]
    curves = the_table(doc, "Scores per criterion")
    assert curves.rows == [["Ease of use", "Setup", "8.0", "6.0", "+2.0"],
                           ["Ease of use", "Daily use", "8.0", "6.0", "+2.0"],
                           ["Personal approach", "Overall", "9.0", "5.0", "+4.0"]]


def test_competitor_page_prices_per_segment(tree_site):
    doc = load(tree_site / "competitors" / "beta.html")
    prices = the_table(doc, "Prices at each segment's reference point: Beta against us")
    assert prices.columns == ["Segment", "Price compared at", "Beta", "Alpha", "Our price vs theirs",
                              "Their value-justified price", "Their headroom", "Their rank"]
    assert [r[0] for r in prices.rows] == ["Overall", "Small teams"]
    assert is_reference(prices.rows[0][1], "standard", 10) and is_reference(prices.rows[1][1], "standard", 2)
    assert [r[2:] for r in prices.rows] == [
        # our price vs theirs: (60 − 40)/40 = +50 %; beta overall: justified 39.53 → €40, headroom −0.47 → €0, 3rd
        ["€40 · Basic", "€60 · Basic", "+50%", "€40", "€0", "#3 of 3"],
        # small teams: justified 76.5625·55/100 = 42.11 → €42, headroom +2.11 → +€2, 1st
        ["€40 · Basic", "€60 · Basic", "+50%", "€42", "+€2", "#1 of 3"],
    ]


def test_competitor_page_strengths_and_weaknesses(tree, cli):
    tree.replace("companies/beta.yaml", 'strengths: ["Fast"]', 'strengths: ["Cheap", "Fast *onboarding*"]')
    tree.replace("companies/beta.yaml", 'weaknesses: ["Small"]', "weaknesses: []")
    doc = load(build(cli, tree.root) / "competitors" / "beta.html")
    assert [li.text() for li in doc.find("ul", "plus").find_all("li")] == ["Cheap", "Fast onboarding"]
    assert doc.find("ul", "plus").find("em").text() == "onboarding"  # inline Markdown rendered
    assert [li.text() for li in doc.find("ul", "minus").find_all("li")] == ["None recorded."]
    gamma = load(tree.root / "site" / "competitors" / "gamma.html")
    assert [li.text() for li in gamma.find("ul", "plus").find_all("li")] == ["Fast"]
    assert [li.text() for li in gamma.find("ul", "minus").find_all("li")] == ["Small"]


# --- links, assets and the network ---------------------------------------------------------------------

def _local_targets(page: Path, doc: Node):
    for node in doc.iter():
        for attr in ("href", "src"):
            url = node.attrs.get(attr)
            if url is None:
                continue
            parts = urlsplit(url)
            if parts.scheme in ("http", "https", "mailto"):
                continue
            yield node.tag, attr, url, parts


@pytest.mark.parametrize("which", ["tree_site", "tree_internal_site", "sample_site"])
def test_every_link_resolves_to_a_file(which, request):
    site = request.getfixturevalue(which)
    problems = []
    checked = 0
    for page in html_files(site):
        doc = load(page)
        ids = {n.attrs["id"] for n in doc.iter() if "id" in n.attrs}
        if page.name == "404.html":  # served at any depth: links from the site root, checked separately below
            assert all(url.startswith(("/", "#")) or url == "data:," or parts.scheme
                       for _, _, url, parts in _local_targets(page, doc)), page
            for _, _, url, parts in _local_targets(page, doc):
                if url.startswith("/"):
                    assert (site / unquote(parts.path).lstrip("/")).is_file() or parts.path == "/", url
            continue
        for tag, attr, url, parts in _local_targets(page, doc):
            checked += 1
            if tag == "link" and url == "data:,":  # the empty favicon: stops browsers asking the server root
                continue
            if parts.scheme or parts.netloc or url.startswith("/"):
                problems.append(f"{page.relative_to(site)}: <{tag} {attr}={url!r}> is not relative")
                continue
            if not parts.path:  # same-page fragment
                if parts.fragment not in ids:
                    problems.append(f"{page.relative_to(site)}: #{parts.fragment} has no target")
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if not target.is_file() or not target.is_relative_to(site.resolve()):
                problems.append(f"{page.relative_to(site)}: <{tag} {attr}={url!r}> → missing file")
    assert checked > 50
    assert problems == []


@pytest.mark.parametrize("which", ["tree_site", "sample_site"])
def test_plotly_is_bundled_once_and_referenced_relatively(which, request):
    site = request.getfixturevalue(which)
    plotly = list((site / "assets").glob("plotly*.js"))
    assert len(plotly) == 1
    assert [p for p in site.rglob("*plotly*") if p.is_file()] == plotly  # nowhere else either
    with_charts = 0
    for page in html_files(site):
        doc = load(page)
        has_chart = bool(doc.find_all("script", type="application/json"))
        srcs = [s.attrs["src"] for s in doc.find_all("script") if "src" in s.attrs]
        plotly_srcs = [s for s in srcs if "plotly" in s]
        if has_chart:
            with_charts += 1
            assert len(plotly_srcs) == 1, page
            src = plotly_srcs[0]
            assert not src.startswith("/") and "://" not in src
            assert (page.parent / src).resolve() == plotly[0].resolve(), page
    assert with_charts >= 6  # home, canvas, segments, competitors, dimensions


@pytest.mark.parametrize("which", ["tree_site", "sample_site"])
def test_nothing_is_loaded_from_a_cdn(which, request):
    site = request.getfixturevalue(which)
    for page in html_files(site):
        doc = load(page)
        for node in doc.find_all("script"):
            assert not re.match(r"(?i)\s*(https?:)?//", node.attrs.get("src", "")), (page, node.attrs)
        for node in doc.find_all("link"):
            assert not re.match(r"(?i)\s*(https?:)?//", node.attrs.get("href", "")), (page, node.attrs)


# --- charts agree with the tables ----------------------------------------------------------------------

def _map_points(doc: Node) -> dict[str, tuple[float, float]]:
    figure = chart_json(doc, "value-map")
    points = {}
    for trace in figure["data"]:
        if trace.get("mode") == "markers+text":
            for name, x, y in zip(trace["text"], trace["x"], trace["y"]):
                points[name] = (x, y)
    return points


def _number(text: str) -> float:
    return float(text.replace("−", "-").replace(",", ""))


def test_value_map_chart_has_the_hand_computed_points(tree_site):
    points = _map_points(load(tree_site / "index.html"))
    assert points == {"Alpha": (pytest.approx(137.86, abs=0.006), pytest.approx(133.33, abs=0.006)),
                      "Beta": (pytest.approx(71.88, abs=0.006), pytest.approx(72.73, abs=0.006)),
                      "Gamma": (pytest.approx(100.0, abs=0.006), pytest.approx(100.0, abs=0.006))}
    small = _map_points(load(tree_site / "segments" / "small.html"))
    assert small["Alpha"] == (pytest.approx(131.79, abs=0.006), pytest.approx(133.33, abs=0.006))
    assert small["Beta"] == (pytest.approx(76.56, abs=0.006), pytest.approx(72.73, abs=0.006))


@pytest.mark.parametrize("which", ["tree_site", "sample_site"])
def test_value_map_chart_points_equal_the_table(which, request):
    site = request.getfixturevalue(which)
    pages = [site / "index.html"] + sorted((site / "segments").glob("*.html"))
    maps = 0
    for page in pages:
        doc = load(page)
        if not doc.find_all("script", id="value-map-data"):
            continue
        maps += 1
        points = _map_points(doc)
        rows = the_table(doc, RANKING, cls="ranking").by_first("Company")
        assert set(points) == set(rows), page
        for name, (x, y) in points.items():
            # the chart keeps 2 decimals, the table 1: they agree to within 0.05 + 0.005
            assert x == pytest.approx(_number(rows[name]["Rel. quality"]), abs=0.055), (page, name)
            assert y == pytest.approx(_number(rows[name]["Rel. price"]), abs=0.055), (page, name)
    assert maps >= 2


# --- audience -------------------------------------------------------------------------------------------

def _grep(site: Path, needle: str) -> list[str]:
    data = needle.encode("utf-8")
    return [str(p.relative_to(site)) for p in all_files(site) if data in p.read_bytes()]


def test_external_build_has_no_internal_content(tree_site):
    for slug in ("alpha", "beta", "gamma"):
        assert _grep(tree_site, f"SECRET-TALK-{slug}") == []
        assert _grep(tree_site, f"SECRET-NOTE-{slug}") == []
    assert _grep(tree_site, "SECRET") == []
    assert not (tree_site / "pages" / "battle-cards.html").exists()
    assert (tree_site / "pages" / "about.html").is_file()
    for page in html_files(tree_site):
        doc = load(page)
        assert "battle-cards" not in " ".join(a.attrs.get("href", "") for a in doc.find_all("a")), page
        assert "Battle cards" not in visible_text(doc), page
        assert not doc.find_all(cls="internal-banner"), page


def test_internal_build_has_the_internal_content(tree_internal_site):
    site = tree_internal_site
    for slug in ("beta", "gamma"):
        # the talk track: on the competitor page and on its battlecard (the internal card carries it)
        assert _grep(site, f"SECRET-TALK-{slug}") == [f"battlecards/{slug}.html", f"competitors/{slug}.html"]
        assert _grep(site, f"SECRET-NOTE-{slug}") == [f"competitors/{slug}.html"]
    assert _grep(site, "SECRET-PAGE-battlecards") == ["pages/battle-cards.html"]
    home = load(site / "index.html")
    assert "Battle cards" in [a.text() for a in home.find("nav").find_all("a")]
    assert home.find_all(cls="internal-banner")


def _rendered_start(markdown_text: str) -> str:
    """The first words of a Markdown text as a reader sees them (smart quotes and all)."""
    return visible_text(parse(str(render_markdown(markdown_text))))[:50]


def _sample_internal_texts(content: Path) -> dict[str, str]:
    """key → the start of an internal text of a competitor (talk tracks, notes, objections, internal evidence)."""
    us = yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8"))["us"]
    found = {}
    for path in sorted((content / "companies").glob("*.yaml")):
        if path.stem == us:  # our own scorecard has no page
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key in ("talk_track", "internal_notes"):
            if data.get(key):
                found[f"{path.stem}.{key}"] = _rendered_start(data[key])
        for i, objection in enumerate(data.get("objections", [])):
            found[f"{path.stem}.objection{i}"] = _rendered_start(objection["response"])

        def walk(node):
            if isinstance(node, dict):
                if node.get("internal") is True and node.get("note"):
                    found[f"{path.stem}.evidence:{node['note'][:20]}"] = node["note"]
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(data.get("scores", {}))
    return found


def _pages_containing(site: Path, texts: dict[str, str]) -> dict[str, list[str]]:
    visible = {str(p.relative_to(site)): visible_text(load(p)) for p in html_files(site)}
    return {key: [page for page, text in visible.items() if snippet in text] for key, snippet in texts.items()}


def test_sample_internal_fields_stay_out_of_the_external_build(sample, sample_site):
    texts = _sample_internal_texts(sample.content)
    assert len(texts) >= 20
    assert any(".evidence:" in key for key in texts)
    found = _pages_containing(sample_site, texts)
    assert {key: pages for key, pages in found.items() if pages} == {}
    assert not (sample_site / "pages" / "sales-playbook.html").exists()
    # the hidden evidence is announced, not shown
    assert re.search(r"\+ \d+ internal sources?, not shown",
                     visible_text(load(sample_site / "competitors" / "relaybird.html")))


def test_sample_internal_build_shows_the_internal_fields(sample, cli):
    texts = _sample_internal_texts(sample.content)
    site = build(cli, sample.root, "--audience", "internal")
    found = _pages_containing(site, texts)
    missing = sorted(key for key, pages in found.items() if f"competitors/{key.split('.')[0]}.html" not in pages)
    assert missing == []
    assert (site / "pages" / "sales-playbook.html").is_file()


# --- no leaks of missing values ------------------------------------------------------------------------

LEAK = re.compile(r"\b(undefined|None(?! recorded\.)|nan|NaN|null|inf)\b")


@pytest.mark.parametrize("which", ["tree_site", "sample_site"])
def test_no_undefined_none_or_nan_in_visible_text(which, request):
    site = request.getfixturevalue(which)
    leaks = []
    for page in html_files(site):
        text = visible_text(load(page))
        leaks += [(str(page.relative_to(site)), m.group(0), text[max(0, m.start() - 40):m.end() + 40])
                  for m in LEAK.finditer(text)]
    assert leaks == []


@pytest.mark.parametrize("which", ["tree_site", "sample_site"])
def test_chart_json_parses_and_has_no_missing_values(which, request):
    site = request.getfixturevalue(which)
    charts = 0
    for page in html_files(site):
        doc = load(page)
        for script in doc.find_all("script", type="application/json"):
            raw = script.raw_text()
            assert "NaN" not in raw and "Infinity" not in raw, page
            figure = json.loads(raw)
            assert figure["data"], (page, script.attrs.get("id"))
            charts += 1
    assert charts >= 8


def test_a_markdown_page_has_one_title_even_when_its_text_repeats_it(tree, cli):
    """The sample's pages open with '# <title>' as authors write them; the page prints its title once."""
    tree.write("pages/guide.md", "---\ntitle: How to read the map\n---\n\n# How to read the map\n\nBody text.\n\n"
                                 "# A real section\n")
    site = build(cli, tree.root)
    doc = load(site / "pages" / "guide.html")
    headings = [h.text() for tag in ("h1", "h2", "h3") for h in doc.find_all(tag)]
    assert [h.text() for h in doc.find_all("h1")] == ["How to read the map"]
    assert headings.count("How to read the map") == 1 and "A real section" in headings, headings
    assert "Body text." in visible_text(doc)
    # sections written '##' under the dropped title stay h2: no level skipped after the page's h1
    tree.write("pages/sub.md", "---\ntitle: Sub\n---\n\n# Sub\n\n## Part one\n\n### Detail\n")
    doc = load(build(cli, tree.root) / "pages" / "sub.html")
    assert [(h.tag, h.text()) for tag in ("h1", "h2", "h3") for h in doc.find_all(tag)] == [
        ("h1", "Sub"), ("h2", "Part one"), ("h3", "Detail")]


def test_the_navigation_lists_each_page_once_on_every_page_of_both_sites(sample, cli):
    """The sample's narrative pages (two) are each one entry of the site navigation, on every page, in the
    external and the internal build. An external build that added a note to its plan once copied the plan with
    dataclasses.replace, and every page's navigation listed each narrative page twice."""
    for args in ((), ("--audience", "internal")):
        site = build(cli, sample.root, *args)
        pages = sorted(site.rglob("*.html"))
        assert len(pages) > 30
        for page in pages:
            nav = load(page).find(cls="site-nav")
            if nav is None:  # the redirect page of a language root has none
                continue
            hrefs = [a.attrs.get("href") for a in nav.find_all("a")]
            assert len(hrefs) == len(set(hrefs)), (args, page.relative_to(site), hrefs)
            assert sum("why-value-not-price.html" in h for h in hrefs) == 1, (args, page.relative_to(site), hrefs)


def test_a_plan_copied_with_a_field_changed_finds_the_same_pages(tree):
    """SitePlan's look-up tables are made from its pages, never handed over by dataclasses.replace."""
    import dataclasses

    from generator.build import check
    from generator.diagnostics import Diagnostics

    plan = check(tree.content, Diagnostics()).plan
    copy = dataclasses.replace(plan, notes=plan.notes + ("a note",))
    for kind in {p.kind for p in plan.pages}:
        assert copy.of_kind(kind) == plan.of_kind(kind)
    assert copy.paths == plan.paths and copy.find("home") == plan.find("home")
    assert copy._by_kind is not plan._by_kind


def test_ranking_rows_are_headed_by_the_company_and_the_ranked_column_says_so(tree_site):
    """A screen reader moving along a row names the company ("Price €52" said for whom?), and the column the
    ranking follows is announced as sorted, its ▾ hidden from speech."""
    text = (tree_site / "index.html").read_text(encoding="utf-8")
    ranking = text[text.index('<table class="data ranking">'):]
    ranking = ranking[:ranking.index("</table>")]
    assert re.findall(r'<th scope="col"[^>]*aria-sort="descending"[^>]*><bdi>([^<]*)</bdi><span aria-hidden="true"> ▾'
                      r'</span></th>', ranking) == ["Value for money"]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", ranking.split("<tbody>", 1)[1], re.S)
    assert len(rows) == 3
    for row in rows:
        cells = re.findall(r"<(t[hd])( scope=\"row\")?[^>]*>", row)
        assert cells[0] == ("td", "") and cells[1] == ("th", ' scope="row"'), cells  # the rank, then the company
        assert all(tag == "td" for tag, _ in cells[2:]), cells


def test_an_internal_battlecard_opens_with_the_talk_track(tree_internal_site, tree_site):
    """A salesperson's first seconds: the talk track, the landmines and the objections come before the charts
    on the internal card (they were at its end, on a second printed page); the external card has none."""
    internal = (tree_internal_site / "battlecards" / "beta.html").read_text(encoding="utf-8")
    assert "SECRET-TALK-beta" in internal
    assert internal.index('class="card internal bc-internal"') < internal.index('class="card bc-curves"')
    external = (tree_site / "battlecards" / "beta.html").read_text(encoding="utf-8")
    assert "bc-internal" not in external and "SECRET-TALK" not in external
