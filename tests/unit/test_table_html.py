"""Table and evidence rows built in Python (generator/table_html.py) escape exactly as Jinja's autoescape does."""
from __future__ import annotations

from markupsafe import Markup, escape

from generator.table_html import _e, evidence_rows, table_rows
from generator.views.common import cell, table

NASTY = ["plain", "<script>alert('x')</script>", 'a "quoted" & \'single\'', "5 > 3 < 4", "", "Ülo's Café & Co",
         "&amp; stays text", "日本語の<名前>"]
MARKS = {"verified": Markup('<span class="status status-verified" role="img" aria-label="Verified"></span>')}


def test_escaping_is_markupsafes():
    for text in NASTY:
        assert _e(text) == str(escape(text)), text
    assert _e(Markup("<b>kept</b>")) == "<b>kept</b>"  # markup passes as it is, as autoescape lets it
    assert _e(3) == "3"


def test_table_rows_escape_every_text_and_link_and_keep_the_marks():
    rows = [[cell(name, href=f"x.html?q={name}", strong=i == 0), cell("7.5", status="verified")]
            for i, name in enumerate(NASTY)]
    html = table_rows(table("Caption", [("Company", False), ("Score", True)], rows, [True] + [False] * 7), MARKS)
    assert isinstance(html, Markup)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.count('<tr class="us">') == 1 and html.count("<tr>") == len(NASTY) - 1
    assert html.count(str(MARKS["verified"])) == len(NASTY)
    assert '<th scope="row" class=""><strong><a href="x.html?q=plain"><bdi>plain</bdi></a></strong></th>' in html
    assert '<td class="num "><bdi>7.5</bdi>' in html
    assert 'href="x.html?q=a &#34;quoted&#34; &amp; &#39;single&#39;"' in html


def test_evidence_rows_show_sources_notes_links_and_badges():
    row = {"dimension": "Ease <of> use", "criterion": "Setup", "score": "7.0", "status": "verified",
           "summary": "2 items", "as_of": "Oct 1, 2026", "note": "A <note>", "hidden": "1 hidden",
           "sources": [{"source": "Mystery shopper", "badge": "independent", "value": "7.0", "date": "Sep 2, 2026",
                        "note": "said 'fast'", "href": "https://example.com/a?b=1&c=2", "internal": True}]}
    html = evidence_rows([row], MARKS, {"Oct 1, 2026": "reviewed Oct 1, 2026"}, "source", "internal")
    assert "<bdi>Ease &lt;of&gt; use</bdi>" in html
    assert '<span class="ev-summary">2 items · reviewed Oct 1, 2026</span>' in html
    assert '<span class="ev-note">A &lt;note&gt;</span>' in html
    assert '<span class="ev-date">Sep 2, 2026</span> — <bdi>said &#39;fast&#39;</bdi>' in html
    assert '<a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer">source</a>' in html
    assert '<span class="badge internal">internal</span>' in html
    assert '<span class="ev-hidden">1 hidden</span>' in html
    assert str(MARKS["verified"]) in html
