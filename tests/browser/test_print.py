"""Printing: every battlecard of the sample fits one A4 or Letter page (two at most, internal), nothing is wider
than the paper, and the external battlecard never carries internal text.

Printed with headless Chromium's ``page.pdf()`` after ``emulate_media(media="print")`` (valuemap.js redraws the
charts at print width when the print media query matches). Pages are counted in the PDF itself: Chromium writes
one ``/Type /Page`` object per page, uncompressed.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from generator.build import build
from generator.diagnostics import Diagnostics

from tests.browser.conftest import CHART_TIMEOUT_MS, CHARTS_DRAWN, SAMPLE_CONTENT

pytestmark = pytest.mark.browser

FORMATS = ["A4", "Letter"]
A4_CONTENT_PX = 703  # 210 mm less 2 × 12 mm (@page margin) at 96 px per inch: the narrower paper's text width
PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
# Every chart redrawn for paper: its SVG no wider than its box.
CHARTS_FIT = """
() => Array.from(document.querySelectorAll('[data-chart]')).every(c => {
  const svg = c.querySelector('.main-svg');
  return svg && svg.getBoundingClientRect().width <= c.getBoundingClientRect().width + 1;
})
"""
TOO_WIDE = """
() => {
  const limit = document.documentElement.clientWidth + 1;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue;  // drawn inside an SVG: clipped by it
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right < 0 || getComputedStyle(el).display === 'none') continue;  // hidden off-screen
    if (r.right > limit) wide.push(`${el.tagName.toLowerCase()}.${el.getAttribute('class')}: ${Math.round(r.left)}..${Math.round(r.right)}`);
  }
  return {scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
          wide: wide.slice(0, 10)};
}
"""


def companies() -> dict[str, dict]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (SAMPLE_CONTENT / "companies").glob("*.yaml")}


@pytest.fixture(scope="module")
def internal_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("print-internal") / "site"
    diagnostics = Diagnostics()
    build(SAMPLE_CONTENT, out, diagnostics, audience="internal")
    assert not diagnostics.has_errors(), diagnostics.sorted()
    return out


@pytest.fixture(scope="module")
def sites(built_site, internal_site) -> dict[str, Path]:
    return {"external": built_site, "internal": internal_site}


def battlecards(site: Path) -> list[Path]:
    cards = sorted((site / "battlecards").glob("*.html"))
    assert cards, f"no battlecards in {site}"
    return cards


def open_for_print(page, url: str) -> None:
    page.goto(url, wait_until="load")
    page.wait_for_function(CHARTS_DRAWN, timeout=CHART_TIMEOUT_MS)
    page.emulate_media(media="print")
    page.wait_for_function(CHARTS_FIT, timeout=CHART_TIMEOUT_MS)


def pdf_pages(pdf: bytes) -> int:
    assert pdf.startswith(b"%PDF"), "not a PDF"
    return len(PAGE_OBJECT.findall(pdf))


def test_every_competitor_has_a_battlecard(built_site):
    others = [slug for slug, data in companies().items()
              if (built_site / "competitors" / f"{slug}.html").is_file()]
    assert others
    for slug in others:
        assert (built_site / "battlecards" / f"{slug}.html").is_file(), slug
        assert f'href="../battlecards/{slug}.html"' in (built_site / "competitors" / f"{slug}.html").read_text(
            encoding="utf-8"), f"competitors/{slug}.html does not link its battlecard"


@pytest.mark.parametrize("paper", FORMATS)
@pytest.mark.parametrize("audience", ["external", "internal"])
def test_battlecards_print_on_one_page(new_context, sites, audience, paper):
    """The external card on one page; the internal one (talk track, objections, landmines) on two at most."""
    most = 1 if audience == "external" else 2
    page = new_context().new_page()
    counts = {}
    for card in battlecards(sites[audience]):
        open_for_print(page, card.as_uri())
        counts[card.stem] = pdf_pages(page.pdf(format=paper, print_background=True))
    too_long = {slug: n for slug, n in counts.items() if n > most}
    assert not too_long, f"{audience} battlecards on {paper} print on more than {most} page(s): {too_long}"
    assert all(n >= 1 for n in counts.values()), counts


@pytest.fixture(scope="module")
def sites_in(tmp_path_factory):
    """The sample's external site in another interface language, built once per language."""
    made: dict[str, Path] = {}

    def site(lang: str) -> Path:
        if lang not in made:
            import shutil

            root = tmp_path_factory.mktemp(f"print-{lang}")
            shutil.copytree(SAMPLE_CONTENT, root / "content")
            site_yaml = root / "content" / "site.yaml"
            text = site_yaml.read_text(encoding="utf-8")
            site_yaml.write_text(re.sub(r"(?m)^lang: .*$", f"lang: {lang}", text) if re.search(r"(?m)^lang:", text)
                                 else f"lang: {lang}\n" + text, encoding="utf-8")
            diagnostics = Diagnostics()
            build(root / "content", root / "site", diagnostics)
            assert not diagnostics.has_errors(), diagnostics.sorted()
            made[lang] = root / "site"
        return made[lang]
    return site


@pytest.mark.parametrize("paper", FORMATS)
@pytest.mark.parametrize("lang", ["et", "ru", "ja"])
def test_battlecards_print_on_one_page_in_every_language(new_context, sites_in, lang, paper):
    """The card says it fits one A4 or Letter sheet; Estonian and Russian cards once took two on Letter."""
    page = new_context().new_page()
    counts = {}
    for card in battlecards(sites_in(lang)):
        open_for_print(page, card.as_uri())
        counts[card.stem] = pdf_pages(page.pdf(format=paper, print_background=True))
    assert {slug: n for slug, n in counts.items() if n != 1} == {}, f"{lang} on {paper}: {counts}"


CURVES_PLOT_PX = """
() => document.querySelector('.bc-curves [data-chart]')._fullLayout._size.h
"""


def test_battlecard_curves_are_tall_on_screen_and_low_on_paper(new_context, built_site):
    """On screen the value curves get a plot the lines can be told apart in (a 44 px one squashed 17 criteria
    into a band); on paper the low one that keeps the card on one page — and the tall one again afterwards."""
    page = new_context().new_page()
    page.goto((built_site / "battlecards" / "ticketeer.html").as_uri(), wait_until="load")
    page.wait_for_function(CHARTS_DRAWN, timeout=CHART_TIMEOUT_MS)
    screen = page.evaluate(CURVES_PLOT_PX)
    page.emulate_media(media="print")
    page.wait_for_function(CHARTS_FIT, timeout=CHART_TIMEOUT_MS)
    paper = page.evaluate(CURVES_PLOT_PX)
    page.emulate_media(media="screen")
    page.wait_for_function(f"() => ({CURVES_PLOT_PX.strip()})() > 100", timeout=CHART_TIMEOUT_MS)
    assert screen >= 100, f"the value curves' plot is {screen} px high on screen"
    assert paper <= 50, f"the value curves' plot is {paper} px high on paper"


@pytest.mark.parametrize("paper", FORMATS)
def test_competitor_page_prints_in_few_pages(new_context, built_site, paper):
    """The issue's page: six pages before the print stylesheet. Now far fewer, and no page holds only a footer
    (the footer is not printed)."""
    page = new_context().new_page()
    open_for_print(page, (built_site / "competitors" / "ticketeer.html").as_uri())
    assert page.locator(".site-footer").is_hidden()
    assert pdf_pages(page.pdf(format=paper, print_background=True)) <= 5


@pytest.mark.parametrize("paper", FORMATS)
def test_home_page_prints_its_map_under_the_headline(new_context, built_site, paper):
    """The headline figures and the value map share the first page, A4 or Letter: the map's card used to move
    to page two and leave page one nearly blank (four pages; three now). Hidden history trails are left off
    the printed legend, and the figures' details are set smaller in print; on Letter, ~18 mm shorter, the
    text around the map is set tighter still (a print media query on the page's height)."""
    page = new_context().new_page()
    open_for_print(page, (built_site / "index.html").as_uri())
    assert pdf_pages(page.pdf(format=paper, print_background=True)) <= 3


@pytest.mark.parametrize("path", ["battlecards/ticketeer.html", "competitors/ticketeer.html", "index.html"])
def test_nothing_wider_than_the_paper(new_context, sites, path):
    """At the paper's text width, in print media: no horizontal overflow, no scroll box, no navigation."""
    page = new_context(viewport={"width": A4_CONTENT_PX, "height": 1000}).new_page()
    open_for_print(page, (sites["internal"] / path).as_uri())
    found = page.evaluate(TOO_WIDE)
    assert found["scroll"] <= found["client"], f"{path}: horizontal overflow in print: {found}"
    assert not found["wide"], f"{path}: elements wider than the paper: {found['wide']}"
    for hidden in (".site-header nav", ".skip"):
        assert page.locator(hidden).first.is_hidden(), f"{path}: {hidden} printed"
    overflow = page.evaluate("() => Array.from(document.querySelectorAll('.table-scroll'))"
                             ".map(e => getComputedStyle(e).overflowX)")
    assert set(overflow) <= {"visible"}, f"{path}: table scroll boxes in print: {overflow}"


def _canaries(data: dict) -> list[str]:
    """A few words from each internal field of a company (Markdown marks dropped), as a page would show them."""
    texts = [data.get("talk_track", "")] + [o["objection"] for o in data.get("objections", [])]
    words = [" ".join(re.sub(r"[*_`>#\[\]]", "", t).split()[:6]) for t in texts if t]
    return [w for w in words if w]


def test_external_battlecards_hold_no_internal_text(new_context, sites):
    page = new_context().new_page()
    checked = 0
    for slug, data in sorted(companies().items()):
        canaries = _canaries(data)
        external = sites["external"] / "battlecards" / f"{slug}.html"
        if not canaries or not external.is_file():
            continue
        for audience in ("external", "internal"):
            page.goto((sites[audience] / "battlecards" / f"{slug}.html").as_uri(), wait_until="load")
            page.emulate_media(media="print")
            text = " ".join(page.inner_text("body").replace("\u2019", "'").replace("\u2018", "'").split())
            for canary in canaries:
                if audience == "external":
                    assert canary not in text, f"external battlecard {slug} shows internal text: {canary!r}"
                else:
                    assert canary in text, f"internal battlecard {slug} lacks its talk track/objection: {canary!r}"
            page.emulate_media(media="screen")
        checked += 1
    assert checked >= 3, "the sample should have internal talk tracks to check"
