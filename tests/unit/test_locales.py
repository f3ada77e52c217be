"""Languages (#16): complete interface tables, plural rules, per-locale formats, translated content fields, the
sample built in each language and several languages side by side (generator/languages.py)."""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator import locales
from generator.build import build
from generator.diagnostics import Diagnostics
from generator.formats import Formatter
from generator.locales import Translator, available_languages, placeholders, plural_categories, table_problems

from tests.conftest import SAMPLE

LANGS = ("en", "ja", "ru", "et")
OTHERS = ("ja", "ru", "et")


def _text(entry) -> str:
    return entry if isinstance(entry, str) else " ".join(entry.values())


# --- the tables -------------------------------------------------------------------------------------------

def test_the_four_languages_have_tables():
    assert set(LANGS) <= set(available_languages())


@pytest.mark.parametrize("lang", OTHERS)
def test_every_table_has_every_english_key_with_the_same_placeholders(lang):
    english, table = locales._table("en"), locales._table(lang)
    assert sorted(set(english) - set(table)) == [], f"{lang}.yaml lacks keys the English table has"
    assert sorted(set(table) - set(english)) == [], f"{lang}.yaml has keys English does not"
    for key, entry in english.items():
        assert placeholders(_text(table[key])) == placeholders(_text(entry)), key
    assert table_problems(lang) == []


@pytest.mark.parametrize("lang", OTHERS)
def test_every_table_is_translated(lang):
    """No string is left in English, except ids, formulas and words that are the same in the language."""
    english, table = locales._table("en"), locales._table(lang)
    same_word = {"et": {"col.segment", "segment.eyebrow", "col.link"}}.get(lang, set())  # Segment, Link
    same = [k for k, v in english.items() if isinstance(v, str) and table[k] == v and k not in same_word
            and re.search(r"[A-Za-z]{3}", re.sub(r"\{[a-z_]+\}", "", v))]
    assert same == [], same


def test_plural_messages_have_the_forms_of_their_language():
    english = locales._table("en")
    plural = [k for k, v in english.items() if isinstance(v, dict)]
    assert {"evidence.count", "footer.text", "dimensions.facts", "price.reference_short"} <= set(plural)
    assert plural_categories("ru") == ("one", "few", "many", "other")
    assert plural_categories("et") == ("one", "other") and plural_categories("ja") == ("other",)
    for lang in LANGS:
        for key in plural:
            assert set(plural_categories(lang)) <= set(locales._table(lang)[key]), (lang, key)


@pytest.mark.parametrize("n, expected", [(1, "1 источник"), (2, "2 источника"), (4, "4 источника"),
                                         (5, "5 источников"), (11, "11 источников"), (21, "21 источник"),
                                         (22, "22 источника"), (25, "25 источников"),
                                         (1234, "1\u00a0234 источника")])
def test_russian_has_three_forms_and_its_own_digits(n, expected):
    t = Translator("ru")
    assert t("evidence.count", count=n) == expected
    assert t.plural("evidence.count", n) == expected


def test_estonian_english_and_japanese_plurals():
    et, en, ja = Translator("et"), Translator("en"), Translator("ja")
    assert (et("evidence.count", count=1), et("evidence.count", count=3)) == ("1 allikas", "3 allikat")
    assert (en("evidence.count", count=1), en("evidence.count", count=3)) == ("1 source", "3 sources")
    assert en("evidence.count", count=1200) == "1,200 sources"
    assert (ja("evidence.count", count=1), ja("evidence.count", count=3)) == ("情報源 1 件", "情報源 3 件")
    # without a count the "other" form; in running text the count is isolated like every value
    assert en("evidence.count") == "{count} sources"
    assert str(Translator("ru").html("evidence.count", count=2)) == "<bdi>2</bdi> источника"


def test_a_missing_key_falls_back_to_english(monkeypatch):
    t = Translator("ja")
    monkeypatch.setitem(t.table, "nav.overview", None)
    monkeypatch.delitem(t.table, "nav.overview")
    assert t("nav.overview") == "Overview"


# --- formats ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang, number, money, percent, signed, day, month", [
    ("en", "1,234.5", "€1,234", "+13%", "\u22123.3", "Nov 2, 2026", "Jul 2026"),
    ("ja", "1,234.5", "€1,234", "+13%", "\u22123.3", "2026年11月2日", "2026年7月"),
    ("ru", "1\u00a0234,5", "1\u00a0234\u00a0€", "+13\u00a0%", "\u22123,3", "2 нояб. 2026\u202fг.", "июль 2026\u202fг."),
    ("et", "1\u00a0234,5", "1\u00a0234\u00a0€", "+13%", "\u22123,3", "2. nov 2026", "juuli 2026"),
])
def test_numbers_money_percentages_and_dates_per_locale(lang, number, money, percent, signed, day, month):
    fmt = Formatter(lang, "EUR", 0)
    assert fmt.number(1234.5) == number
    assert fmt.money(1234) == money
    assert fmt.percent(12.5) == percent
    assert fmt.signed(-3.25) == signed
    assert fmt.date(dt.date(2026, 11, 2)) == day
    assert fmt.partial_date("2026-07") == month and fmt.partial_date("2026") == "2026"
    assert fmt.partial_date("2026-11-02") == day


def test_chart_axes_take_the_locale_separators():
    from generator import charts

    fig = charts.difference_figure(["A"], [0.5], ["+0,5"], Translator("ru"))
    assert fig["layout"]["separators"] == ",\u00a0"
    assert charts.difference_figure(["A"], [0.5], ["+0.5"], Translator("en"))["layout"]["separators"] == ".,"


# --- the sample in each language --------------------------------------------------------------------------

def _sample(tmp_path: Path, edit=None) -> Path:
    content = tmp_path / "content"
    shutil.copytree(SAMPLE, content)
    if edit:
        site = content / "site.yaml"
        site.write_text(edit(site.read_text(encoding="utf-8")), encoding="utf-8")
    return content


def _build(content: Path, out: Path) -> Diagnostics:
    diagnostics = Diagnostics()
    build(content, out, diagnostics)
    assert not diagnostics.has_errors(), diagnostics.sorted()
    return diagnostics


@pytest.mark.parametrize("lang", LANGS)
def test_the_sample_builds_in_each_language(tmp_path, lang):
    content = _sample(tmp_path, lambda s: s.replace("\nlang: en\n", f"\nlang: {lang}\n", 1))
    diagnostics = _build(content, tmp_path / "site")
    assert diagnostics.warnings == [], diagnostics.sorted()
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in home
    label = {"en": "Ease of use", "ja": "使いやすさ", "ru": "Простота использования", "et": "Kasutusmugavus"}[lang]
    assert label in home  # a translated dimension label
    assert "hreflang" not in home and "lang-switch" not in home  # one language: no switch
    nav = {"en": "Strategy canvas", "ja": "戦略キャンバス", "ru": "Стратегическая канва", "et": "Strateegialõuend"}
    assert nav[lang] in home


# --- several languages side by side -----------------------------------------------------------------------

MULTI = "\nlang: en\nlanguages: [en, ja, ru, et]\n"


@pytest.fixture(scope="module")
def multi(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("multi")
    content = _sample(tmp, lambda s: s.replace("\nlang: en\n", MULTI, 1)
                      .replace("base_url: /\n", "base_url: https://example.com/vm/\n", 1))
    _build(content, tmp / "site")
    return tmp / "site"


def _pages(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*.html")}


def test_each_language_is_a_complete_sub_site_and_the_root_redirects(multi, tmp_path):
    single = tmp_path / "single"
    _build(_sample(tmp_path / "s"), single)
    expected = _pages(single)
    for lang in LANGS:
        assert _pages(multi / lang) == expected, lang
    root = {p.name for p in multi.iterdir()}
    assert {"index.html", "404.html", "sitemap.xml", "robots.txt", "assets", *LANGS} <= root
    assert not (multi / "ja" / "assets").exists()  # assets are shared
    index = (multi / "index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=en/index.html">' in index
    for lang in LANGS:
        assert f'hreflang="{lang}" href="https://example.com/vm/{lang}/index.html"' in index


def test_every_page_declares_its_language_and_its_alternates(multi):
    page = (multi / "ru" / "competitors" / "ticketeer.html").read_text(encoding="utf-8")
    assert '<html lang="ru">' in page
    for lang in LANGS:
        assert (f'<link rel="alternate" hreflang="{lang}" '
                f'href="https://example.com/vm/{lang}/competitors/ticketeer.html">') in page
        href = "ticketeer.html" if lang == "ru" else f"../../{lang}/competitors/ticketeer.html"
        assert f'<a href="{href}" hreflang="{lang}" lang="{lang}"' in page
    assert '<link rel="alternate" hreflang="x-default" href="https://example.com/vm/">' in page
    assert 'aria-current="true">Русский</a>' in page
    assert "../../assets/valuemap." in page  # the shared stylesheet
    assert "Конкуренты" in page and "Кривые ценности" in page


def test_text_shown_as_written_is_marked_with_its_language(multi):
    """A Russian page quoting the team's English summary, strengths, evidence notes or a narrative page marks
    them lang="en" (WCAG 3.1.2: a screen reader would read English with a Russian voice); the English pages
    need no such mark, and a summary translated into the page's language gets none."""
    import re as _re

    ru = (multi / "ru" / "competitors" / "havenwall.html").read_text(encoding="utf-8")
    assert _re.search(r'<div class="prose"><div lang="en"><p>Havenwall is ', ru)
    assert '<li><span lang="en">Support in office hours (CET) only</span></li>' in ru
    assert '— <bdi lang="en">Email at 17:40 answered at 09:15 the next morning</bdi>' in ru
    page = (multi / "ru" / "pages" / "trust-but-verify.html").read_text(encoding="utf-8")
    assert '<div lang="en"><h2' in page or '<div lang="en"><p>' in page
    battlecard = (multi / "et" / "battlecards" / "havenwall.html").read_text(encoding="utf-8")
    assert 'lang="en"' in battlecard.split("</header>", 1)[1]
    for path in ("competitors/havenwall.html", "pages/trust-but-verify.html", "battlecards/havenwall.html"):
        body = (multi / "en" / path).read_text(encoding="utf-8").split("</header>", 1)[1]
        assert 'lang="en"' not in body, path


def test_a_summary_translated_into_the_page_s_language_is_not_marked(tmp_path):
    content = _sample(tmp_path, lambda s: s.replace("\nlang: en\n", "\nlang: en\nlanguages: [en, et]\n", 1))
    company = content / "companies" / "havenwall.yaml"
    text = company.read_text(encoding="utf-8")
    block = text[text.index("summary: >-\n"):text.index("summary_reviewed:")]
    company.write_text(text.replace(block, "summary:\n  en: Havenwall sells help desks.\n  et: Havenwall müüb "
                                           "kasutajatoe tarkvara.\n"), encoding="utf-8")
    _build(content, tmp_path / "site")
    et = (tmp_path / "site" / "et" / "competitors" / "havenwall.html").read_text(encoding="utf-8")
    assert '<div class="prose"><p>Havenwall müüb kasutajatoe tarkvara.</p>' in et
    assert '<li><span lang="en">' in et  # the strengths are still as written


def test_the_sitemap_lists_every_language(multi):
    sitemap = (multi / "sitemap.xml").read_text(encoding="utf-8")
    for lang in LANGS:
        assert f"https://example.com/vm/{lang}/competitors/ticketeer.html" in sitemap
    assert "https://example.com/vm/index.html" not in sitemap  # the redirect is not a page to index


def test_the_root_404_links_into_the_first_language(multi):
    page = (multi / "404.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page and 'href="/vm/en/index.html"' in page
    assert (multi / "ja" / "404.html").is_file()


def test_chart_labels_equal_the_table_cells_in_russian(multi):
    page = (multi / "ru" / "index.html").read_text(encoding="utf-8")
    payload = re.search(r'<script type="application/json"[^>]*>(.*?)</script>', page, re.S).group(1)
    figure = json.loads(payload)
    hover = json.dumps(figure, ensure_ascii=False)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", page.split("<table", 2)[1], re.S)
    cells = [re.findall(r'<td class="num[^"]*"><bdi>([+\u2212]?[0-9\u00a0]+,[0-9]+)</bdi>', row)[:3] for row in rows]
    cells = [c for row in cells for c in row]  # relative quality, relative price, value: the hover's numbers
    assert len(cells) >= 9, "no decimal-comma numbers in the Russian ranking"
    for text in cells:
        assert text in hover, text
    assert not re.search(r'<td class="num[^"]*"><bdi>[+\u2212]?\d+\.\d', page)
    assert figure["layout"]["separators"] == ",\u00a0"


def test_a_multi_language_build_is_deterministic(multi, tmp_path):
    content = _sample(tmp_path, lambda s: s.replace("\nlang: en\n", MULTI, 1)
                      .replace("base_url: /\n", "base_url: https://example.com/vm/\n", 1))
    _build(content, tmp_path / "again")
    for path in sorted(_pages(multi)):
        assert (multi / path).read_bytes() == (tmp_path / "again" / path).read_bytes(), path


# --- translated content fields ----------------------------------------------------------------------------

def test_translated_labels_fall_back_with_a_warning(tree, cli):
    tree.replace("site.yaml", "title: Test market\n", "title: Test market\nlanguages: [en, ja, ru]\n")
    tree.replace("site.yaml", "label: Ease of use", "label: {en: Ease of use, ja: 使いやすさ}")
    tree.replace("site.yaml", "label: Small teams", "label: {en: Small teams, ja: 小規模チーム, ru: Малые команды}")
    tree.replace("companies/beta.yaml", 'summary: "Beta sells widgets."',
                 'summary:\n  en: "Beta sells widgets."\n  ru: "Beta продаёт виджеты."')
    run = cli(tree.root, "build", "--format", "json")
    assert run.code == 0, run.out + run.err
    report = json.loads(run.out)
    warnings = [d for d in report["diagnostics"] if d["code"] == "missing-translation"]
    where = {(d["file"], d["line"], d["path"], d["message"].split("'")[1]) for d in warnings}
    site_lines = tree.read("site.yaml").splitlines()
    ease = next(i for i, line in enumerate(site_lines, 1) if "使いやすさ" in line)
    assert ("content/site.yaml", ease, "dimensions[0].label", "ru") in {(Path(f).as_posix()[-17:], l, p, lang)
                                                                         for f, l, p, lang in where}
    assert any(d["path"] == "summary" and "'ja'" in d["message"] and d["file"].endswith("beta.yaml")
               for d in warnings)
    assert all(d["severity"] == "warning" for d in warnings)
    site = tree.root / "site"
    assert "使いやすさ" in (site / "ja" / "dimensions" / "index.html").read_text(encoding="utf-8")
    ru = (site / "ru" / "dimensions" / "index.html").read_text(encoding="utf-8")
    assert "Ease of use" in ru and "Малые команды" in (site / "ru" / "segments" / "index.html").read_text("utf-8")
    assert "Beta продаёт виджеты." in (site / "ru" / "competitors" / "beta.html").read_text(encoding="utf-8")
    assert "Beta sells widgets." in (site / "en" / "competitors" / "beta.html").read_text(encoding="utf-8")
    # --strict: a missing translation stops the build
    assert cli(tree.root, "check", "--strict").code == 1


def test_a_translation_is_checked_like_the_field(tree, cli):
    tree.replace("site.yaml", "label: Ease of use", 'label: {en: Ease of use, ja: "使い\\u202eやすさ", jp: x}')
    run = cli(tree.root, "check", "--format", "json")
    assert run.code == 1
    found = {d["code"]: d for d in json.loads(run.out)["diagnostics"]}
    assert found["invalid-translation"]["path"] == "dimensions[0].label.ja"
    assert found["unknown-language"]["path"] == "dimensions[0].label.jp"
    assert "ja" in (found["unknown-language"].get("hint") or "")


@pytest.mark.parametrize("label, messages", [
    ('{en: ""}', {"dimensions[0].label.en": "the 'en' text of dimensions[0].label is empty"}),
    ('{en: "  ", ja: ""}', {"dimensions[0].label.en": "the 'en' text of dimensions[0].label is empty",
                            "dimensions[0].label.ja": "the 'ja' text of dimensions[0].label is empty"}),
    ("{}", {"dimensions[0].label": "dimensions[0].label is an empty mapping: it has no text in any language"}),
    ('{en: "", et: Kasutusmugavus}', {"dimensions[0].label.en": "the 'en' text of dimensions[0].label is empty"}),
])
def test_an_empty_translation_is_one_clear_error(tree, cli, label, messages):
    """``label: {en: ""}`` once also said "expected text, got a mapping", though a mapping is how translations
    are written: only the empty text is wrong, and it is said once."""
    tree.replace("site.yaml", "label: Ease of use", f"label: {label}")
    run = cli(tree.root, "check", "--format", "json")
    assert run.code == 1
    diags = json.loads(run.out)["diagnostics"]
    assert {d["path"]: d["message"] for d in diags} == messages
    assert all(d["code"] == "invalid-translation" and d["line"] for d in diags)
    assert all(d["hint"] == ("write the en text" if label == '{en: ""}' else d["hint"]) for d in diags)


def test_languages_must_be_known(tree, cli):
    tree.replace("site.yaml", "title: Test market\n", "title: Test market\nlanguages: [en, jp, en]\n")
    run = cli(tree.root, "check", "--format", "json")
    codes = [(d["code"], d["path"]) for d in json.loads(run.out)["diagnostics"]]
    assert ("unknown-language", "languages[1]") in codes and ("duplicate-language", "languages[2]") in codes


def test_check_reports_a_table_that_lacks_english_keys(tree, cli, tmp_path, monkeypatch):
    """A team's own table (beside the module, where available_languages() reads them) that lacks keys."""
    here = tmp_path / "locales"
    here.mkdir()
    shutil.copy(Path(locales.__file__).parent / "en.yaml", here / "en.yaml")
    english = yaml.safe_load((here / "en.yaml").read_text(encoding="utf-8"))
    partial = {k: v for k, v in english.items() if k not in ("nav.overview", "evidence.count")}
    partial["chart.us"] = "Meie {oops}"
    (here / "fi.yaml").write_text(yaml.safe_dump(partial, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(locales, "_HERE", here)
    locales._table.cache_clear()
    try:
        tree.replace("site.yaml", "title: Test market\n", "title: Test market\nlang: fi\n")
        run = cli(tree.root, "check", "--format", "json")
        found = json.loads(run.out)["diagnostics"]
        missing = {d["path"] for d in found if d["code"] == "locale-missing-key"}
        assert missing == {"nav.overview", "evidence.count"}
        assert all(d["file"].endswith("fi.yaml") and d["severity"] == "warning"
                   for d in found if d["code"] == "locale-missing-key")
        placeholder = [d for d in found if d["code"] == "locale-placeholder"]
        assert placeholder and placeholder[0]["severity"] == "warning" and placeholder[0]["path"] == "chart.us"
        assert run.code == 0
        assert cli(tree.root, "check", "--strict").code == 1
    finally:
        monkeypatch.undo()
        locales._table.cache_clear()


def test_the_schema_accepts_the_mapping_form():
    jsonschema = pytest.importorskip("jsonschema")
    from generator.schema import json_schemas
    from generator.yaml_reader import parse_yaml

    schema = json_schemas()["site"]
    data = parse_yaml((SAMPLE / "site.yaml").read_text(encoding="utf-8"), "site.yaml").data
    data = json.loads(json.dumps(data, default=str))  # dates as the editor's YAML server reads them: text
    assert isinstance(data["dimensions"][0]["label"], dict)
    jsonschema.Draft7Validator(schema).validate(data)
    data["dimensions"][0]["label"] = {"jp": "x"}
    assert list(jsonschema.Draft7Validator(schema).iter_errors(data))
