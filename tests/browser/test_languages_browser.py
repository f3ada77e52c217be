"""The sample in four languages side by side (#16), in Chromium: no English interface string on the ja, ru and et
pages, numbers and dates in each locale's format, Japanese glyphs drawn (no tofu), nothing wider than a phone.

The English strings come from generator/locales/en.yaml: every fragment between placeholders of two words or
more that no other table also holds (``valuemap check --strict``, formulas) and that the content does not
contain (content text stays in the team's language: an English description is not an interface string).
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator import locales
from generator.build import build
from generator.charts import FONT
from generator.diagnostics import Diagnostics

from tests.browser.conftest import SAMPLE_CONTENT, Probe

LANGS = ("en", "ja", "ru", "et")
PAGES = ("index.html", "competitors/index.html", "competitors/ticketeer.html", "canvas.html",
         "dimensions/usability.html", "segments/small-teams.html", "methodology.html", "weigh.html",
         "battlecards/ticketeer.html", "pages/why-value-not-price.html", "changes.html")
MONTHS = {  # abbreviated, as a table cell shows them (formats.Formatter.date: CLDR skeleton yMMMd)
    "ru": "янв\\.|февр\\.|мар\\.|апр\\.|мая|июн\\.|июл\\.|авг\\.|сент\\.|окт\\.|нояб\\.|дек\\.",
    "et": "jaan|veebr|märts|apr|mai|juuni|juuli|aug|sept|okt|nov|dets",
}
DATE = {"ja": r"\d{4}年\d{1,2}月\d{1,2}日", "ru": rf"\d{{1,2}} (?:{MONTHS['ru']}) \d{{4}}\s?г\.",
        "et": rf"\d{{1,2}}\. (?:{MONTHS['et']}) \d{{4}}", "en": r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}, \d{4}"}


@pytest.fixture(scope="module")
def multi_site(tmp_path_factory) -> Path:
    """The sample with ``languages: [en, ja, ru, et]``, built once for this module."""
    tmp = tmp_path_factory.mktemp("languages")
    content = tmp / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    site = content / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("\nlang: en\n", "\nlang: en\nlanguages: [en, ja, ru, et]\n",
                                                             1), encoding="utf-8")
    diagnostics = Diagnostics()
    build(content, tmp / "site", diagnostics)
    assert not diagnostics.has_errors(), diagnostics.sorted()
    return tmp / "site"


def _content_text() -> str:
    return " ".join(p.read_text(encoding="utf-8") for p in SAMPLE_CONTENT.rglob("*")
                    if p.is_file() and p.suffix in (".yaml", ".md")).lower()


def english_interface_strings() -> list[str]:
    """Distinctive English fragments of the interface: ≥ 2 words, in no other table, not in the content."""
    english = locales._table("en")
    others = " ".join(str(v) for lang in ("ja", "ru", "et") for v in locales._table(lang).values()).lower()
    content = _content_text()
    found: set[str] = set()
    for entry in english.values():
        for text in ([entry] if isinstance(entry, str) else entry.values()):
            for fragment in re.split(r"\{[a-z_]+\}|[():;“”\"]", text):
                fragment = fragment.strip(" .,·—–-+#|/?!")
                if len(fragment.split()) >= 2 and len(fragment) >= 10 and re.search(r"[a-z]{3}", fragment) \
                        and fragment.lower() not in others and fragment.lower() not in content:
                    found.add(fragment)
    return sorted(found)


def _open(probe, url: str, viewport=None) -> Probe:
    p = probe(viewport=viewport or {"width": 1280, "height": 900})
    p.open(url)
    if p.chart_count():
        p.wait_for_charts()
    return p


def test_the_list_of_english_strings_finds_english_on_the_english_pages(multi_site, probe):
    strings = english_interface_strings()
    assert len(strings) > 150
    p = _open(probe, (multi_site / "en" / "index.html").as_uri())
    text = p.page.evaluate("document.body.innerText")
    assert sum(s in text for s in strings) >= 10  # the check below would notice English


@pytest.mark.parametrize("lang", ("ja", "ru", "et"))
def test_no_english_interface_string_numbers_and_dates_in_the_locale(multi_site, probe, lang):
    strings = english_interface_strings()
    for rel in PAGES:
        p = _open(probe, (multi_site / lang / rel).as_uri())
        p.assert_clean()
        assert p.page.evaluate("document.documentElement.lang") == lang
        # what a reader sees, and what the charts draw (SVG text: labels, axis titles, legends)
        text = p.page.evaluate("document.body.innerText + ' ' + Array.from(document.querySelectorAll('svg text'))"
                               ".map(t => t.textContent).join(' ')")
        english = [s for s in strings if s in text]
        assert english == [], f"{lang}/{rel}: English interface text {english}"
        if rel == "index.html":
            cells = p.page.evaluate("Array.from(document.querySelectorAll('table.ranking td.num'))"
                                    ".map(td => td.innerText)")
            decimals = [c for c in cells if re.search(r"\d[.,]\d", c)]
            assert decimals, cells
            if lang in ("ru", "et"):
                assert all(re.search(r"\d,\d", c) and not re.search(r"\d\.\d", c) for c in decimals), decimals
                assert any(re.search(r"\d\u00a0€", c) for c in cells), cells  # 72 €
            else:
                assert all(not re.search(r"\d,\d", c) for c in decimals), decimals
                assert any("€" in c for c in cells)
            assert re.search(DATE[lang], text), f"{lang}: no date like {DATE[lang]} in {text[:400]}"
            # a tick label of plotly's own axes uses the locale's decimal separator too
            sep = p.page.evaluate("document.querySelector('.js-plotly-plot')?._fullLayout?.separators || ''")
            assert sep[:1] == ("," if lang in ("ru", "et") else ".")


GLYPHS = """
([font, chars]) => {
  const canvas = document.createElement('canvas');
  canvas.width = 64; canvas.height = 64;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  return chars.map(ch => {
    ctx.clearRect(0, 0, 64, 64);
    ctx.font = '40px ' + font;
    ctx.fillStyle = '#000';
    ctx.textBaseline = 'top';
    ctx.fillText(ch, 4, 4);
    const data = ctx.getImageData(0, 0, 64, 64).data;
    let hash = 0, ink = 0;
    for (let i = 3; i < data.length; i += 4) { if (data[i] > 127) { ink++; hash = (hash * 31 + i) | 0; } }
    return [hash, ink, ctx.measureText(ch).width];
  });
}
"""


def test_japanese_glyphs_render_without_tofu(multi_site, probe):
    """Distinct characters draw distinct shapes; a missing glyph draws the same box for every character (tofu).
    Checked with the page's own font stack and with the charts' (charts.FONT)."""
    p = _open(probe, (multi_site / "ja" / "index.html").as_uri())
    body_font = p.page.evaluate("getComputedStyle(document.body).fontFamily")
    chars = ["価", "値", "格", "使", "い", "や", "す", "さ", "競", "合"]
    tofu = ["\U000F0000", "\U000F0001"]  # private use, plane 15: no font has them → the .notdef box
    for font in (body_font, FONT):
        shapes = p.page.evaluate(GLYPHS, [font, chars + tofu])
        drawn, boxes = shapes[:len(chars)], shapes[len(chars):]
        assert boxes[0][:2] == boxes[1][:2], "the reference: two missing glyphs draw the same box"
        assert all(s[1] > 0 for s in drawn), "a Japanese character drew no ink"
        assert len({tuple(s[:2]) for s in drawn}) == len(chars), f"{font}: Japanese characters drawn alike (tofu)"
        assert all(tuple(s[:2]) != tuple(boxes[0][:2]) for s in drawn), f"{font}: a character drawn as the box"
    # and the page's own Japanese text is laid out in a font that has it: a run of kanji is as wide as its
    # characters at full width (a tofu box is narrower than a CJK glyph in DejaVu); absolute: shrink-to-fit
    # whatever the body's layout (a flex column stretches its children)
    width = p.page.evaluate("""() => { const s = document.createElement('span'); s.textContent = '価値価値価値価値';
        s.style.fontSize = '20px'; s.style.position = 'absolute'; document.body.append(s); const w = s.getBoundingClientRect().width; s.remove();
        return w; }""")
    assert 150 <= width <= 170, width


@pytest.mark.parametrize("lang", ("ja", "ru", "et"))
def test_nothing_is_wider_than_a_phone(multi_site, probe, lang):
    for rel in ("index.html", "competitors/ticketeer.html", "methodology.html", "dimensions/index.html"):
        p = _open(probe, (multi_site / lang / rel).as_uri(), viewport={"width": 375, "height": 800})
        over = p.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert over <= 0, f"{lang}/{rel} is {over}px wider than the phone"


def test_the_language_switch_leads_to_the_same_page(multi_site, probe):
    p = _open(probe, (multi_site / "ru" / "competitors" / "ticketeer.html").as_uri())
    p.page.click(".lang-switch a[hreflang=ja]")
    p.page.wait_for_load_state("load")
    assert p.page.url.endswith("/ja/competitors/ticketeer.html")
    assert p.page.evaluate("document.documentElement.lang") == "ja"
    root = probe()
    root.page.goto((multi_site / "index.html").as_uri())
    root.page.wait_for_url(re.compile(r".*/en/index\.html$"), timeout=10_000)


def test_the_pages_of_a_multi_language_site_are_valid_html(multi_site, vnu_jar):
    """The root redirect, the language switch and the hreflang links (tests/browser/test_html_valid.py checks the
    single-language sample)."""
    import json
    import subprocess

    pages = [multi_site / "index.html", multi_site / "404.html", multi_site / "ja" / "index.html",
             multi_site / "ru" / "competitors" / "ticketeer.html", multi_site / "et" / "methodology.html"]
    run = subprocess.run(["java", "-jar", str(vnu_jar), "--format", "json", "--errors-only", *map(str, pages)],
                         capture_output=True, text=True, timeout=300)
    report = json.loads(run.stderr.strip() or run.stdout.strip())
    messages = [f"{m.get('url', '').replace(multi_site.as_uri() + '/', '')}: {m.get('message')}"
                for m in report.get("messages", [])]
    assert messages == []


@pytest.mark.parametrize("lang", ["ja", "ru", "et"])
def test_a_phone_s_value_curves_show_each_criterion_s_whole_name(multi_site, probe, lang):
    """On a phone the value curves turn sideways, criteria down the left: every name is drawn inside the chart.
    Japanese names (no spaces to wrap at) were cut at the left edge: 初期価値までの時間 read 期価値までの時間."""
    p = _open(probe, (multi_site / lang / "competitors" / "ticketeer.html").as_uri(),
              viewport={"width": 375, "height": 800})
    cut = p.page.evaluate("""() => {
        const chart = document.querySelector("[data-chart='value-curves-data']");
        const left = chart.getBoundingClientRect().left;
        return Array.from(chart.querySelectorAll('.ytick text')).filter(t => t.getBoundingClientRect().left < left - 0.5)
            .map(t => t.textContent); }""")
    assert cut == []
