"""Links from a narrative page to the site's own pages (generator/links.py): a dead link, a link out of the site
and a root-relative link are warnings at their file, line and column; a link from an external page to an
internal one is a warning, and the external site shows its text without the link — the internal page's address
appears in no external file."""
from __future__ import annotations

from pathlib import Path

import pytest

from generator.links import site_target, withhold_links

INTERNAL = "---\ntitle: Battle plan\naudience: internal\n---\nInternal tactics.\n"
ABOUT = """\
---
title: About us
order: 1
---
# Why

We compete on *value*.

Read the [battle *plan*](battle-plan.html#first) and [Beta's page](../competitors/beta.html).
A [typo](abuot.html), [from the root](/competitors/gamma.html), [out](../../elsewhere.html).
The [segments](../segments/), [the map](../index.html#map), [mail](mailto:a@b.example), [web](https://x.example/a.html).
"""


def files_text(root: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(root.rglob("*")) if p.is_file())


@pytest.mark.parametrize("href, from_path, target", [
    ("faq.html", "pages/about.html", "pages/faq.html"),
    ("../competitors/beta.html#scores", "pages/about.html", "competitors/beta.html"),
    ("../segments/", "pages/about.html", "segments/index.html"),
    ("..", "pages/about.html", "index.html"),
    ("/competitors/beta.html", "pages/about.html", "competitors/beta.html"),
    ("sales%20plan.html?x=1", "pages/about.html", "pages/sales plan.html"),
    ("../../x.html", "pages/about.html", ""),
    ("https://example.com/a.html", "pages/about.html", None),
    ("mailto:a@b.example", "pages/about.html", None),
    ("//host.example/a.html", "pages/about.html", None),
    ("#part", "pages/about.html", None),
    ("", "pages/about.html", None),
])
def test_a_link_resolves_from_the_page_that_holds_it(href, from_path, target):
    assert site_target(href, from_path) == target


def test_every_link_problem_is_reported_at_its_line_and_column(tree, cli):
    tree.write("pages/battle-plan.md", INTERNAL)
    tree.write("pages/about.md", ABOUT)
    run = cli(tree.root, "check")
    assert run.code == 0, run.err  # warnings
    about = "content/pages/about.md"
    assert f"{about}:9:26: warning: the link 'battle-plan.html#first' leads to 'pages/battle-plan.html', a page only " \
           "the internal site has" in run.err
    assert "(link-to-internal-page)" in run.err
    assert f"{about}:10:10: warning: the link 'abuot.html' leads to 'pages/abuot.html', which is no page" in run.err
    assert "did you mean 'about.html'?" in run.err
    assert f"{about}:10:39: warning: the link '/competitors/gamma.html' starts at the host's root" in run.err
    assert "write it relative to the page: '../competitors/gamma.html'" in run.err
    assert f"{about}:10:71: warning: the link '../../elsewhere.html' leads out of the site's folder" in run.err
    for fine in ("beta.html", "segments/", "index.html#map", "mailto:", "x.example"):
        assert f"'{fine}" not in run.err and f"/{fine}'" not in run.err
    assert run.err.count("warning: the link") == 4
    strict = cli(tree.root, "check", "--strict")
    assert strict.code == 1
    assert strict.err.count("error: the link") == 4


def test_the_internal_audience_may_link_to_an_internal_page(tree, cli):
    tree.write("pages/battle-plan.md", INTERNAL)
    tree.write("pages/about.md", ABOUT.replace("[typo](abuot.html), [from the root](/competitors/gamma.html), "
                                               "[out](../../elsewhere.html).", ""))
    run = cli(tree.root, "build", "--audience", "internal")
    assert run.code == 0, run.err
    assert "warning" not in run.err
    page = (tree.root / "site-internal" / "pages" / "about.html").read_text(encoding="utf-8")
    assert '<a href="battle-plan.html#first" rel="noopener noreferrer">battle <em>plan</em></a>' in page


@pytest.mark.parametrize("languages", ["", "languages: [en, et]\n"])
def test_the_external_site_never_carries_an_internal_page_address(tree, cli, languages):
    tree.replace("site.yaml", "title: Test market\n", f"title: Test market\n{languages}")
    tree.write("pages/battle-plan.md", INTERNAL)
    tree.write("pages/about.md", ABOUT)
    run = cli(tree.root, "build")
    assert run.code == 0, run.err
    assert "link-to-internal-page" in run.err
    site = tree.root / "site"
    assert "battle-plan" not in files_text(site)
    for about in ([site / "pages" / "about.html"] if not languages else
                  [site / "en" / "pages" / "about.html", site / "et" / "pages" / "about.html"]):
        page = about.read_text(encoding="utf-8")
        assert "Read the battle <em>plan</em> and " in page  # the text stays, the link goes
        assert '<a href="../competitors/beta.html" rel="noopener noreferrer">Beta’s page</a>' in page


def test_withholding_keeps_every_other_link():
    html = ('<p><a href="a.html" rel="noopener noreferrer">A</a> <a href="../pages/b.html#x" rel="noopener '
            'noreferrer"><em>B</em></a> <a title="t" href="B.HTML" rel="noopener noreferrer">C</a> '
            '<a href="https://e.example/b.html" rel="noopener noreferrer">E</a> '
            '<a href="../audit.html" rel="noopener noreferrer">F</a></p>')
    present = {"pages/x.html", "pages/a.html"}
    out = withhold_links(html, "pages/x.html", frozenset({"pages/b.html", "audit.html"}), present)
    assert out == ('<p><a href="a.html" rel="noopener noreferrer">A</a> <em>B</em> C '
                   '<a href="https://e.example/b.html" rel="noopener noreferrer">E</a> F</p>')
    assert withhold_links(html, "pages/x.html", frozenset(), present) == html
    # a page of the site keeps its link, even named like a withheld one (pages/audit.html, audit.html)
    kept = '<a href="audit.html" rel="noopener noreferrer">A</a>'
    assert withhold_links(kept, "pages/x.html", frozenset({"audit.html"}), {"pages/audit.html"}) == kept


LEAKS = """\
raw HTML, title first: <a title="t" href="battle-plan.html">one</a>
[two][ref] and [three](<battle-plan.html>)
[four](Battle-Plan.html) [five](battle-plan) [six](battle-plan.html/) [seven](./battle%2Dplan.html?x#y)
[eight](../pages/battle-plan.html) [nine](.\\battle-plan.html) ![img](battle-plan.html)
<a href=" battle-plan.html ">ten</a> <a href="battle-pl&#10;an.html">eleven</a> [twelve](battle-plan.html/.)
[thirteen](battle-plan.html/x/..) [fourteen](https://map.example/pages/battle-plan.html)
[fifteen](battle-plan.html%3Fq) [sixteen](battle-plan.html;x) [seventeen](https://map.example:443/pages/battle-plan.html)
[eighteen](http://map.example/pages/battle-plan.html) [nineteen](https://MAP.example./pages/battle-plan.html)
[twenty](https://user@map.example/pages/battle-plan.html) [twentyone](//map.example/pages/battle-plan.html)
[twentytwo](https://map.example//pages/battle-plan.html) [twentythree](https://map.example/%70ages/battle-plan.html)
<https://map.example/pages/battle-plan.html> twentyfour

[ref]: battle-plan.html
"""


def block(text: str, indent: str) -> str:
    """``text`` as a YAML literal block under a key, indented by ``indent``."""
    return "|\n" + "".join(f"{indent}{line}\n" if line else "\n" for line in text.splitlines())


@pytest.mark.parametrize("where", ["page", "summary", "segment", "prospect"])
def test_no_spelling_of_an_internal_page_address_reaches_the_external_site(tree, cli, monkeypatch, where):
    """Whatever text holds the link — a page, a company summary, a segment's description, a prospect's note —
    and however it is written."""
    tree.write("pages/battle-plan.md", INTERNAL)
    tree.replace("site.yaml", "title: Test market\n", "title: Test market\nbase_url: https://map.example/\n")
    if where == "page":
        tree.write("pages/about.md", ABOUT.replace("We compete on *value*.", LEAKS))
    elif where == "summary":
        tree.replace("companies/beta.yaml", 'summary: "Beta sells widgets."\n', f"summary: {block(LEAKS, '  ')}")
    elif where == "segment":
        tree.replace("site.yaml", "    label: Small teams\n",
                     f"    label: Small teams\n    description: {block(LEAKS, '      ')}")
    else:
        monkeypatch.setenv("VALUEMAP_PROSPECT_SECRET", "s3cret")
        tree.write("prospects/acme.yaml", f"name: Acme\nsegment: small\nevaluating: [beta]\nnote: {block(LEAKS, '  ')}")
    run = cli(tree.root, "build")
    assert run.code == 0, run.err
    text = files_text(tree.root / "site")
    assert "battle-plan" not in text.lower() and "battle%2dplan" not in text.lower()
    for word in ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                 "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
                 "twentyone", "twentytwo", "twentythree", "twentyfour"):
        assert word in text and f">{word}</a>" not in text, word  # the text stays, the link goes
    internal = cli(tree.root, "build", "--audience", "internal")
    assert internal.code == 0, internal.err
    assert "battle-plan.html" in files_text(tree.root / "site-internal")


def test_a_cross_language_link_is_checked_and_withheld(tree, cli):
    tree.replace("site.yaml", "title: Test market\n", "title: Test market\nlanguages: [en, et]\n")
    tree.write("pages/battle-plan.md", INTERNAL)
    tree.write("pages/about.md", ABOUT.replace(
        "We compete on *value*.", "[ok](../../et/pages/about.html) [bad](../../et/pages/battle-plan.html) "
                                  "[typo](../../et/pages/abot.html) [state](../../valuemap-positions.json)"))
    run = cli(tree.root, "check", "--format", "json")
    found = {(d["code"], d["message"].split("'")[1]) for d in __import__("json").loads(run.out)["diagnostics"]
             if d["code"] in ("dead-link", "link-to-internal-page")}
    assert ("link-to-internal-page", "../../et/pages/battle-plan.html") in found
    assert ("dead-link", "../../et/pages/abot.html") in found
    assert not any(href in ("../../et/pages/about.html", "../../valuemap-positions.json") for _, href in found)
    assert cli(tree.root, "build").code == 0
    assert "battle-plan" not in files_text(tree.root / "site")


def test_every_link_is_reported_where_it_stands(tree, cli):
    """A repeated address is reported at each line; an internal page's own links are checked too (by check,
    which builds the external plan)."""
    tree.write("pages/battle-plan.md", INTERNAL + "\nSee [a](nope.html).\n\nAgain [b](nope.html) and [c](about.htm).\n")
    run = cli(tree.root, "check", "--format", "json")
    dead = [(d["line"], d["column"]) for d in __import__("json").loads(run.out)["diagnostics"]
            if d["code"] == "dead-link"]
    assert dead == [(7, 9), (9, 11), (9, 30)]


def test_a_kept_file_or_folder_is_linked_and_not_withheld(tree, cli):
    """site.yaml keep: names the build leaves in place at the site's root; a link to one (or into a kept
    folder) is neither dead nor withheld, though 'audit' is also the name of the internal audit page."""
    tree.replace("site.yaml", "title: Test market\n", "title: Test market\nkeep: [audit, report.pdf]\n")
    tree.write("pages/about.md", "---\ntitle: About us\n---\n[a](../audit/q3.pdf) [b](../report.pdf) [c](../audit.html)\n")
    run = cli(tree.root, "check", "--format", "json")
    linked = [d for d in __import__("json").loads(run.out)["diagnostics"] if "link" in d["code"]]
    assert [d["message"].split("'")[1] for d in linked] == ["../audit.html"]  # the audit page: internal only
    assert cli(tree.root, "build").code == 0
    page = (tree.root / "site" / "pages" / "about.html").read_text(encoding="utf-8")
    assert '<a href="../audit/q3.pdf" rel="noopener noreferrer">a</a>' in page
    assert '<a href="../report.pdf" rel="noopener noreferrer">b</a>' in page
    assert "audit.html" not in page


def test_a_link_is_placed_where_it_is_written_not_where_its_address_first_appears(tree, cli):
    body = ("Code `(nope.html` and <!-- (nope.html --> first.\n\n"
            "See [a][r], then [b](nope.html)\n  and [c](nope.html) café [d](nope.html).\n\n"
            '<p><a title="t" href="nope.html">e</a></p>\n\n[r]: nope.html\n')
    tree.write("pages/about.md", "---\ntitle: About us\n---\n" + body)
    run = cli(tree.root, "check", "--format", "json")
    dead = [(d["line"], d["column"]) for d in __import__("json").loads(run.out)["diagnostics"]
            if d["code"] == "dead-link"]
    # a: the reference link's text; b, c, d: the address; e: the raw tag's href (file line = body line + 3)
    assert dead == [(6, 5), (6, 22), (7, 11), (7, 31), (9, 23)]


def test_many_dead_links_are_reported_in_linear_time(tree, cli):
    """Each link is looked for on its own line, and the file is read once for all excerpts: 4,000 dead links
    once took 2.6 s and 16,000 took 20 s. Not timed: a count of the lines searched would be brittle, so this
    only checks that every one is reported, each at its own line."""
    tree.write("pages/about.md", "---\ntitle: About us\n---\n" + "".join(f"[x](n{i}.html)\n\n" for i in range(2000)))
    run = cli(tree.root, "check", "--format", "json")
    lines = [d["line"] for d in __import__("json").loads(run.out)["diagnostics"] if d["code"] == "dead-link"]
    assert lines == [4 + 2 * i for i in range(2000)]


def test_links_in_yaml_markdown_are_checked_at_their_field(tree, cli):
    """A company's summary and strengths, a segment's description, an internal talk track: each link is resolved
    from the page the text is shown on (one folder deep) and reported at its field."""
    tree.write("pages/battle-plan.md", INTERNAL)
    tree.replace("companies/beta.yaml", 'summary: "Beta sells widgets."',
                 'summary: "Beta sells [widgets](../pages/abot.html), see [plan](../pages/battle-plan.html)."')
    tree.replace("companies/beta.yaml", 'strengths: ["Fast"]', 'strengths: ["Fast, [like Gamma](gamma.html)"]')
    tree.replace("companies/beta.yaml", 'talk_track: "SECRET-TALK-beta"',
                 'talk_track: "Use the [plan](../pages/battle-plan.html) and [x](../pages/nowhere.html)"')
    tree.replace("site.yaml", "    label: Small teams\n",
                 "    label: Small teams\n    description: \"[all segments](./) or [big](big.html)\"\n")
    run = cli(tree.root, "check", "--format", "json")
    found = {(d["code"], d["file"], d["path"], d["message"].split("'")[1]): d["line"]
             for d in __import__("json").loads(run.out)["diagnostics"] if "link" in d["code"]}
    beta, site = "content/companies/beta.yaml", "content/site.yaml"
    assert set(found) == {
        ("dead-link", beta, "summary", "../pages/abot.html"),
        ("link-to-internal-page", beta, "summary", "../pages/battle-plan.html"),
        ("dead-link", beta, "talk_track", "../pages/nowhere.html"),  # internal text: the plan link is fine
        ("dead-link", site, "segments[0].description", "big.html"),
    }, found  # gamma.html from competitors/beta.html is Gamma's page; ./ is the segment list
    assert found[("dead-link", beta, "summary", "../pages/abot.html")] == 3
    assert "did you mean '../pages/about.html'?" in cli(tree.root, "check").err


def test_a_summary_link_still_leads_there_from_a_large_lists_later_page(tree, cli, monkeypatch):
    """A company's summary is written as from competitors/; a very large market's list continues on
    competitors/page/N.html, a folder deeper, where its links are rewritten to lead to the same places."""
    from urllib.parse import unquote

    from generator import plan
    monkeypatch.setattr(plan, "LIST_PAGE_SIZE", 1)
    for slug in ("beta", "gamma"):
        tree.replace(f"companies/{slug}.yaml", f'summary: "{slug.title()} sells widgets."',
                     f'summary: "{slug.title()} sells [widgets](../segments/small.html?x#y), see [Beta](beta.html)."')
    assert cli(tree.root, "check").err.count("warning") == 0
    assert cli(tree.root, "build").code == 0
    site = tree.root / "site"
    later = site / "competitors" / "page" / "2.html"
    html = later.read_text(encoding="utf-8")
    assert 'href="../../segments/small.html?x#y"' in html and 'href="../beta.html"' in html
    for page in (site / "competitors" / "index.html", later):
        import re
        for href in re.findall(r'href="([^"#?]+)[^"]*" rel="noopener noreferrer"', page.read_text(encoding="utf-8")):
            if not href.startswith("http"):
                assert (page.parent / unquote(href)).resolve().is_file(), (page, href)
