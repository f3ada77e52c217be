"""Injection through content: names and labels reach plotly.js charts as text (never as its pseudo-HTML or
its ``%{...}`` template syntax) and sit in sentences isolated in ``<bdi>`` (a right-to-left override in a
name cannot reorder the sentence around it)."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

from markupsafe import Markup

from generator import charts, value_map_chart
from generator.build import check
from generator.diagnostics import Diagnostics
from generator.locales import Translator

LINK = 'Rival <a href="https://evil.example">x</a>'
# Every piece of markup plotly.js draws, and its template syntax (interpolated in hover templates).
HOSTILE = ('Evil <a href="https://evil.example">log in</a> <b>bold</b><br><i>i</i><sub>s</sub><sup>s</sup>'
           '<span style="font-size:99px">big</span> %{x} %{customdata} %{meta} &amp; end')
FORBIDDEN = ("<a", "<b>bold", "<br><i>", "<sub>", "<sup>", "<span", "%{x}", "%{customdata}", "%{meta}",
             "evil.example\">")
t = Translator("en")
STRUCTURE = re.compile(r"^%\{customdata\}(?=<extra>)|%\{customdata\[\d\]\}|^%\{y\}: %\{customdata\}(?=<extra>)")


def strings(node) -> list[str]:
    """Every string in a figure (keys too)."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in strings(k) + strings(v)]
    if isinstance(node, (list, tuple)):
        return [s for v in node for s in strings(v)]
    return []


def assert_inert(figure: dict) -> None:
    texts = strings(figure)
    assert any("Evil" in s for s in texts), "the hostile name should be in the figure"
    for s in texts:
        s = STRUCTURE.sub("", s)  # valuemap's own template tokens; content must not add any
        for bad in FORBIDDEN:
            assert bad not in s, (bad, s)
        if "Evil" in s and s != "Evil":  # (the phone label is the first word) the rest reads back as written
            assert "&lt;a href=" in s and "&#37;{customdata}" in s and "&amp;amp;" in s, s


def test_plain_escapes_markup_and_template_syntax():
    assert charts.plain('<a href="u">x</a> & %{y:.1f}') == '&lt;a href="u"&gt;x&lt;/a&gt; &amp; &#37;{y:.1f}'
    assert html.unescape(charts.plain(HOSTILE)) == HOSTILE  # plotly.js decodes exactly these entities back
    assert charts.plain("Ticketeer Pro 100%") == "Ticketeer Pro 100&#37;"


def test_value_curves_difference_and_bars_are_inert():
    cats = [("", HOSTILE), (HOSTILE, "Setup")]
    curves = charts.value_curves_figure(cats, [{"name": HOSTILE, "is_us": False, "values": [1, 2],
                                                "labels": ["1.0", HOSTILE]},
                                               {"name": "Us", "is_us": True, "values": [2, 1], "labels": ["2.0", "1.0"]}],
                                        t, (0, 10))
    assert_inert(curves)
    assert curves["data"][0]["hovertemplate"].startswith("%{customdata}<extra>Evil &lt;a")  # structure stays
    assert_inert(charts.difference_figure([HOSTILE, "Plain"], [1.0, -2.0], ["+1.0", HOSTILE], t))
    assert_inert(charts.bars_figure([HOSTILE, "Plain"], [3.0, 4.0], ["3.0", "4.0"], [False, True], t, "Score", (0, 10)))


def test_value_map_is_inert(tree):
    tree.replace("companies/beta.yaml", "name: Beta", "name: " + json.dumps(HOSTILE))
    diagnostics = Diagnostics()
    checked = check(tree.content, diagnostics)
    names = {slug: c.name for slug, c in checked.content.companies.items()}
    assert names["beta"] == HOSTILE
    figure = value_map_chart.value_map_figure(checked.scores.overall, names, t, lambda p: [HOSTILE, "1", "2"])
    assert_inert(figure)
    points = [tr for tr in figure["data"] if tr.get("mode") == "markers+text"]
    assert any(charts.plain(HOSTILE) in tr["text"] for tr in points)
    assert all("%{text}" in tr["hovertemplate"] and "%{customdata[2]}" in tr["hovertemplate"] for tr in points)
    for tr in points:
        for short in tr["meta"]["short"]:
            assert "<" not in short and "%{" not in short, short


CHART_JSON = re.compile(r'<script type="application/json" id="([^"]+)">(.*?)</script>', re.S)


def chart_figures(page: Path) -> dict[str, dict]:
    return {m.group(1): json.loads(m.group(2)) for m in CHART_JSON.finditer(page.read_text(encoding="utf-8"))}


def test_built_charts_hold_names_as_text(tree, cli):
    tree.replace("companies/beta.yaml", "name: Beta", "name: " + json.dumps(LINK))
    tree.replace("site.yaml", "label: Setup", "label: '<b>Setup</b> %{x}'")
    run = cli(tree.root, "build")
    assert run.code == 0, run.err
    site = tree.root / "site"
    pages = {"home": site / "index.html", "canvas": site / "canvas.html",
             "competitor": site / "competitors" / "beta.html", "dimension": site / "dimensions" / "usability.html"}
    for kind, page in pages.items():
        figures = chart_figures(page)
        assert figures, kind
        texts = [s for figure in figures.values() for s in strings(figure)]
        assert any("Rival &lt;a href=" in s for s in texts) or kind == "competitor" and any(
            "Rival" in s for s in texts), kind
        for s in texts:
            assert "<a" not in s and "<b>Setup" not in s and "%{x}" not in s, (kind, s)
        assert '<a href="https://evil.example"' not in page.read_text(encoding="utf-8"), kind
    curves = chart_figures(pages["competitor"])["value-curves-data"]
    assert "Rival &lt;a href=\"https://evil.example\"&gt;x&lt;/a&gt;" in [tr["name"] for tr in curves["data"]]
    assert "&lt;b&gt;Setup&lt;/b&gt; &#37;{x}" in curves["data"][0]["x"][1]
    # The JSON sits in <script>: "</" and "<!--" still cannot close it early.
    assert "</a>" not in CHART_JSON.search((pages["home"]).read_text(encoding="utf-8")).group(2)


# --- names in running text ---------------------------------------------------------------------------

def test_translator_html_escapes_and_isolates_each_value():
    out = t.html("competitor.verdict.ratio.ahead", us="Alpha", them="Be\u202eta <i>", gap="4.7")
    assert isinstance(out, Markup)
    assert out == ("<bdi>Alpha</bdi> offers more value for money than <bdi>Be\u202eta &lt;i&gt;</bdi>: "
                   "a quality-to-price ratio <bdi>4.7</bdi> higher on the overall map.")
    assert t.html("competitor.evidence_title", name="X") == "Where <bdi>X</bdi>&#39;s scores come from"
    assert t.html("nav.skip") == "Skip to content"
    # Plain text stays plain for attributes, <title> and charts.
    assert t("competitor.evidence_title", name="X") == "Where X's scores come from"


RTL = "בטא 2"  # right to left: beside it, a neighbouring number or colon would join its run without <bdi>


def test_names_in_sentences_are_isolated(tree, cli):
    tree.replace("companies/beta.yaml", "name: Beta", f'name: "{RTL}"')  # (control characters are refused)
    run = cli(tree.root, "build")
    assert run.code == 0, run.err
    site = tree.root / "site"
    beta = (site / "competitors" / "beta.html").read_text(encoding="utf-8")
    verdict = re.search(r'<p class="lede verdict">(.*?)</p>', beta, re.S).group(1)
    # customer value: alpha +4.5238, beta −0.8523 (tests/unit/test_score.py) → gap 5.3761
    assert verdict == (f"<bdi>Alpha</bdi> is better value for money than <bdi>{RTL}</bdi>. For its quality "
                       f"<bdi>Alpha</bdi> could ask <bdi>€62</bdi> and asks <bdi>€60</bdi>; <bdi>{RTL}</bdi> could "
                       "ask <bdi>€40</bdi> and asks <bdi>€40</bdi>.")
    assert f"<h1>{RTL}</h1>" in beta  # a block: its own bidi paragraph already
    assert "Head to head with <bdi>Alpha</bdi>" in beta
    assert f"About <bdi>{RTL}</bdi>" in beta
    assert f"Where <bdi>Alpha</bdi> and <bdi>{RTL}</bdi> raise or lower" in beta
    assert f"Where <bdi>{RTL}</bdi>&#39;s scores come from" in beta
    assert f"<caption>Prices at each segment&#39;s reference point: <bdi>{RTL}</bdi> against us</caption>" in beta
    assert f'<th scope="col" class="num"><bdi>{RTL}</bdi></th>' in beta  # a name as a column heading
    # Attributes and <title> take the plain sentence: no tags, escaped or not.
    for attribute in re.findall(r'(?:aria-label|content)="([^"]*)"', beta) + re.findall(r"<title>(.*?)</title>", beta):
        assert "bdi" not in attribute, attribute
    assert f'aria-label="Table: Prices at each segment&#39;s reference point: {RTL} against us"' in beta
    assert f"<title>{RTL} · Test market</title>" in beta

    home = (site / "index.html").read_text(encoding="utf-8")
    assert f'<a href="competitors/beta.html"><bdi>{RTL}</bdi></a>' in home  # table cell
    assert "we charge <bdi>€60</bdi> (<bdi>Basic</bdi>)" in home
    assert "<bdi>Widgets</bdi> · <bdi>3</bdi> companies compared" in home  # footer: the market's name
    cards = (site / "competitors" / "index.html").read_text(encoding="utf-8")
    assert f'<h2><a href="beta.html"><bdi>{RTL}</bdi></a></h2>' in cards
    dim = (site / "dimensions" / "usability.html").read_text(encoding="utf-8")
    assert "<caption>Scores on <bdi>Ease of use</bdi></caption>" in dim
    assert 'aria-label="Table: Scores on Ease of use"' in dim
    seg = (site / "segments" / "small.html").read_text(encoding="utf-8")
    assert "The value map for <bdi>Small teams</bdi>" in seg
    assert "<caption>What matters to <bdi>Small teams</bdi></caption>" in seg
