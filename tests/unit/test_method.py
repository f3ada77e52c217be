"""The method of generator/score.py, end to end: small inline markets built with ``valuemap build``, and the
numbers read back from the built pages (and the export) — the numbers a reader sees.

Every expected value is a literal, worked out by hand in the comment above it; nothing is recomputed with the
code under test. Pages format relative quality and price with one decimal, the value-for-money ratio with two,
and the methodology's worked example with four (weights, ratios, terms) and two (scores, averages).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import Tree
from tests.unit.test_build_pages import load, the_table, visible_text

RANKING = "Value map data and ranking by value for money"
SOURCE_KINDS = "source_kinds:\n  - {id: survey, label: Survey}\n"


def site_yaml(dimensions: str, us: str = "ours", extra: str = "") -> str:
    return ("title: Method test\nmarket: Widgets\ncurrency: EUR\nprice_basis: per unit\n"
            f"us: {us}\n{extra}dimensions:\n{dimensions}{SOURCE_KINDS}")


def company(name: str, price: float, scores: str) -> str:
    return f"name: {name}\nprices:\n  - {{plan: Standard, price: {price}}}\nscores:\n{scores}"


def make(tmp_path: Path, site: str, companies: dict[str, str]) -> Tree:
    tree = Tree(tmp_path)
    tree.write("site.yaml", site)
    for slug, text in companies.items():
        tree.write(f"companies/{slug}.yaml", text)
    return tree


def build(cli, tree: Tree) -> Path:
    run = cli(tree.root, "build", "--format", "json")
    assert run.code == 0, (run.out, run.err)
    assert json.loads(run.out)["diagnostics"] == []  # no error, no warning
    return tree.root / "site"


def ranking(site: Path):
    return the_table(load(site / "index.html"), RANKING, cls="ranking")


def export(cli, tree: Tree) -> dict[str, dict]:
    run = cli(tree.root, "export")
    assert run.code == 0, run.err
    overall = next(s for s in json.loads(run.out)["scenarios"] if s["id"] == "overall")
    return {c["slug"]: c for c in overall["companies"]}


# --- the textbook case: five attributes, RQ 232 -----------------------------------------------------------
#
#   attribute  weight  ours  rival   ratio ours/rival   weight × ratio
#   A           .30     9     3       3                 .90
#   B           .25     8     4       2                 .50
#   C           .20     8     4       2                 .40
#   D           .15     8     4       2                 .30
#   E           .10     8.8   4       2.2               .22
#                                                 Σ =  2.32  → RQ = 100 · 2.32 = 232.0
#
# Weighted means (method.quality_ratio: dimension): ours .3·9 + .25·8 + .2·8 + .15·8 + .1·8.8
#   = 2.7 + 2 + 1.6 + 1.2 + .88 = 8.38; rival .3·3 + .25·4 + .2·4 + .15·4 + .1·4 = .9 + 1 + .8 + .6 + .4 = 3.7
#   → RQ = 100 · 8.38 / 3.7 = 226.486… → "226.5" (export 226.4865).
# Prices: ours 60, rival 40 (one price each, no price_reference): RP ours = 100 · 60/40 = 150.0.

TEXTBOOK_DIMENSIONS = """\
  - id: quality
    label: Quality
    weight: 1
    criteria:
      - {id: a, label: Attribute A, weight: 0.30}
      - {id: b, label: Attribute B, weight: 0.25}
      - {id: c, label: Attribute C, weight: 0.20}
      - {id: d, label: Attribute D, weight: 0.15}
      - {id: e, label: Attribute E, weight: 0.10}
"""


@pytest.fixture
def textbook(tmp_path):
    def make_textbook(method: str = "") -> Tree:
        extra = f"method: {{comparison: others{method}}}\n"
        return make(tmp_path, site_yaml(TEXTBOOK_DIMENSIONS, extra=extra), {
            "ours": company("Ours", 60, "  quality: {a: 9, b: 8, c: 8, d: 8, e: 8.8}\n"),
            "rival": company("Rival", 40, "  quality: {a: 3, b: 4, c: 4, d: 4, e: 4}\n"),
        })
    return make_textbook


def test_textbook_case_gives_232_per_criterion(textbook, cli):
    tree = textbook()
    site = build(cli, tree)
    rows = ranking(site).by_first("Company")
    assert rows["Ours"]["Rel. quality"] == "232.0"  # 100 · (.9 + .5 + .4 + .3 + .22)
    assert rows["Ours"]["Rel. price"] == "150.0"  # 100 · 60 / 40
    assert rows["Ours"]["Rank"] == "1"
    got = export(cli, tree)
    assert got["ours"]["relative_quality"] == pytest.approx(232.0, abs=1e-9)
    assert got["ours"]["relative_price"] == 150.0


def test_textbook_case_with_dimension_ratios_gives_226_5(textbook, cli):
    tree = textbook(", quality_ratio: dimension")
    site = build(cli, tree)
    rows = ranking(site).by_first("Company")
    assert rows["Ours"]["Rel. quality"] == "226.5"  # 100 · 8.38 / 3.7 = 226.486…
    got = export(cli, tree)
    assert got["ours"]["relative_quality"] == pytest.approx(226.4865, abs=1e-4)


# --- the methodology page agrees with the numbers ---------------------------------------------------------

def test_methodology_worked_example_adds_up_to_the_home_page(textbook, cli):
    site = build(cli, textbook())
    doc = load(site / "methodology.html")
    table = the_table(doc, "Relative quality of Ours on the overall map, term by term")
    assert table.rows == [
        # dimension, criterion, weight overall (1 × criterion weight), our score, rival's score (the average of
        # the others: one company), ratio = ours ÷ average, weight × ratio
        ["Quality", "Attribute A", "0.3000", "9.00", "3.00", "3.0000", "0.9000"],  # 9/3 = 3; .3·3 = .9
        ["Quality", "Attribute B", "0.2500", "8.00", "4.00", "2.0000", "0.5000"],  # 8/4 = 2; .25·2 = .5
        ["Quality", "Attribute C", "0.2000", "8.00", "4.00", "2.0000", "0.4000"],  # .2·2 = .4
        ["Quality", "Attribute D", "0.1500", "8.00", "4.00", "2.0000", "0.3000"],  # .15·2 = .3
        ["Quality", "Attribute E", "0.1000", "8.80", "4.00", "2.2000", "0.2200"],  # 8.8/4 = 2.2; .1·2.2 = .22
    ]
    total = doc.find("p", "example-sum").text()
    # .9 + .5 + .4 + .3 + .22 = 2.32, over the whole weight 1 → 100 · 2.32 / 1 = 232.0, as on the home page
    assert total == ("Σ weight × ratio = 2.3200; over a known weight of 1.0000, relative quality = "
                     "100 × 2.3200 ÷ 1.0000 = 232.0.")
    assert ranking(site).by_first("Company")["Ours"]["Rel. quality"] == "232.0"


# Two dimensions, market comparison — each term weighs dimension weight × criterion weight, and the average
# includes ourselves:
#   speed (weight 3 → .75), criteria fast 1 : tidy 1 → .375 each; care (weight 1 → .25), scored as a whole
#   ours: fast 6, tidy 9, care 4;  rival: fast 2, tidy 3, care 6;  market averages: fast 4, tidy 6, care 5
#   ratios: 6/4 = 1.5, 9/6 = 1.5, 4/5 = .8;  terms .375·1.5 = .5625, .5625, .25·.8 = .2
#   Σ = .5625 + .5625 + .2 = 1.325 → RQ 132.5
TWO_DIMENSIONS = """\
  - id: speed
    label: Speed
    weight: 3
    criteria:
      - {id: fast, label: Fast, weight: 1}
      - {id: tidy, label: Tidy, weight: 1}
  - id: care
    label: Care
    weight: 1
"""


def test_methodology_worked_example_with_weights_and_the_market_average(tmp_path, cli):
    tree = make(tmp_path, site_yaml(TWO_DIMENSIONS, extra="method: {comparison: market}\n"), {
        "ours": company("Ours", 50, "  speed: {fast: 6, tidy: 9}\n  care: 4\n"),
        "rival": company("Rival", 50, "  speed: {fast: 2, tidy: 3}\n  care: 6\n"),
    })
    site = build(cli, tree)
    doc = load(site / "methodology.html")
    assert the_table(doc, "Relative quality of Ours on the overall map, term by term").rows == [
        ["Speed", "Fast", "0.3750", "6.00", "4.00", "1.5000", "0.5625"],
        ["Speed", "Tidy", "0.3750", "9.00", "6.00", "1.5000", "0.5625"],
        ["Care", "Overall", "0.2500", "4.00", "5.00", "0.8000", "0.2000"],
    ]
    assert doc.find("p", "example-sum").text() == (
        "Σ weight × ratio = 1.3250; over a known weight of 1.0000, relative quality = 100 × 1.3250 ÷ 1.0000 = 132.5.")
    assert ranking(site).by_first("Company")["Ours"]["Rel. quality"] == "132.5"


def test_methodology_states_the_formula_in_force_and_every_rule(textbook, tmp_path, cli):
    criterion = visible_text(load(build(cli, textbook()) / "methodology.html"))
    assert "relative quality = 100 × Σ (dimension weight × criterion weight × score ÷ comparison average)" in criterion
    assert "100 × Σ (dimension weight × dimension score ÷ comparison average of dimension scores)" not in criterion

    other = Tree(tmp_path / "dimension")
    for rel in ("site.yaml", "companies/ours.yaml", "companies/rival.yaml"):
        other.write(rel, (tmp_path / "content" / rel).read_text(encoding="utf-8"))
    other.replace("site.yaml", "comparison: others", "comparison: others, quality_ratio: dimension")
    dimension = visible_text(load(build(cli, other) / "methodology.html"))
    assert "relative quality = 100 × Σ (dimension weight × dimension score ÷ comparison average of dimension scores)" \
        in dimension
    assert "dimension weight × criterion weight × score" not in dimension

    for text in (criterion, dimension):
        assert "slope: a line through the centre of the companies shown" in text  # the slope line
        assert "the diagonal is used and the map says so" in text  # the regression's fallback
        assert "A free offer (price 0) sits at relative price 0" in text
        assert "Unknown scores are never filled in" in text
        assert "the scale starts at 0 or higher" in text  # ratios need non-negative scores


# --- lower is better, measured in minutes -----------------------------------------------------------------
#
# One dimension, two criteria weighing 1 : 1 (.5 each): "craft" on the scale (everyone 5: ratio 1) and "wait"
# in minutes, lower is better (ratio = average of the others ÷ own). Equal prices (50): RP 100 for all.
#   fast  10 min: others (30 + 20)/2 = 25 → 25/10 = 2.5 → RQ 100·(.5·1 + .5·2.5) = 175.0, d = +75
#   mid   20 min: others (10 + 30)/2 = 20 → 20/20 = 1   → RQ 100·(.5 + .5)     = 100.0, d = 0
#   slow  30 min: others (10 + 20)/2 = 15 → 15/30 = .5  → RQ 100·(.5 + .25)    =  75.0, d = −25
# Fewer minutes rank higher; read the wrong way round ("slow" 30 the best), the order would reverse.

MINUTES = """\
  - id: service
    label: Service
    weight: 1
    criteria:
      - {id: craft, label: Craft, weight: 1}
      - {id: wait, label: Wait, weight: 1, unit: minutes, better: lower}
"""


def test_lower_is_better_minutes_rank_the_right_way_round(tmp_path, cli):
    tree = make(tmp_path, site_yaml(MINUTES, us="slow"), {
        slug: company(slug.title(), 50, f"  service: {{craft: 5, wait: {minutes}}}\n")
        for slug, minutes in (("fast", 10), ("mid", 20), ("slow", 30))
    })
    table = ranking(build(cli, tree))
    assert [(r[1], r[2], r[3]) for r in table.rows] == [
        ("Fast", "175.0", "100.0"), ("Mid", "100.0", "100.0"), ("Slow", "75.0", "100.0")]


# --- a free competitor ------------------------------------------------------------------------------------
#
# One dimension scored as a whole; ours 8 at 60, paid 6 at 40, gratis 4 at 0 (average of the others):
#   gratis: RQ = 100·4/((8 + 6)/2) = 400/7 = 57.14 → "57.1"; RP = 100·0/((60 + 40)/2) = 0 → "0.0"; ratio: free
#   paid:   RQ = 100·6/((8 + 4)/2) = 100.0;  RP = 100·40/((60 + 0)/2) = 133.33 → "133.3"; d = −33.3
#   ours:   RQ = 100·8/((6 + 4)/2) = 160.0;  RP = 100·60/((40 + 0)/2) = 300.0;            d = −140.0
# Ranked by distance: gratis (+57.1), paid (−33.3), ours (−140.0).

ONE_DIMENSION = "  - {id: quality, label: Quality, weight: 1}\n"


def test_a_free_competitor_sits_at_relative_price_zero_and_its_ratio_reads_free(tmp_path, cli):
    tree = make(tmp_path, site_yaml(ONE_DIMENSION), {
        "ours": company("Ours", 60, "  quality: 8\n"),
        "paid": company("Paid", 40, "  quality: 6\n"),
        "gratis": company("Gratis", 0, "  quality: 4\n"),
    })
    table = ranking(build(cli, tree))
    assert [(r[1], r[2], r[3], r[4], r[5]) for r in table.rows] == [
        ("Gratis", "57.1", "0.0", "+57.1", "free"),
        ("Paid", "100.0", "133.3", "−33.3", "0.75"),  # 100 / 133.33 = .75
        ("Ours", "160.0", "300.0", "−140.0", "0.53"),  # 160 / 300 = .5333
    ]


# --- a market without price_reference ---------------------------------------------------------------------

def test_one_price_per_company_without_a_price_reference(textbook, cli):
    site = build(cli, textbook())
    home = visible_text(load(site / "index.html"))
    assert "Each company's one published price is compared" in home
    assert not re.search(r"(?i)\btier\b|\bseats\b", home)


def test_no_page_mentions_tiers_or_seats_without_a_price_reference(textbook, cli):
    site = build(cli, textbook())
    for page in sorted(site.rglob("*.html")):
        text = visible_text(load(page))
        assert not re.search(r"(?i)\btiers?\b|\bseats?\b", text), (page.name, text)


# --- rank by ratio ----------------------------------------------------------------------------------------
#
# One dimension; average of the others:
#   big   9 at 70: RQ = 100·9/((3 + 6)/2) = 200.0; RP = 100·70/((20 + 60)/2) = 175.0; d = +25.0; ratio 200/175 = 1.14
#   cheap 3 at 20: RQ = 100·3/((9 + 6)/2) = 40.0;  RP = 100·20/((70 + 60)/2) = 30.77; d = +9.2;  ratio 1.30
#   mid   6 at 60: RQ = 100·6/((9 + 3)/2) = 100.0; RP = 100·60/((70 + 20)/2) = 133.33; d = −33.3; ratio .75
# By distance: big, cheap, mid. By ratio: cheap (1.30) before big (1.14) — the ratio flatters the cheap offer.

def _ratio_market(tmp_path, rank_by: str) -> Tree:
    return make(tmp_path, site_yaml(ONE_DIMENSION, us="big", extra=f"method: {{rank_by: {rank_by}}}\n"), {
        "big": company("Big", 70, "  quality: 9\n"),
        "cheap": company("Cheap", 20, "  quality: 3\n"),
        "mid": company("Mid", 60, "  quality: 6\n"),
    })


def test_rank_by_ratio_puts_the_cheaper_better_ratio_first(tmp_path, cli):
    table = ranking(build(cli, _ratio_market(tmp_path, "ratio")))
    assert "Quality ÷ price ▾" in table.columns
    assert "Value for money" in table.columns  # shown, not the order
    assert [(r[0], r[1], r[5]) for r in table.rows] == [("1", "Cheap", "1.30"), ("2", "Big", "1.14"),
                                                         ("3", "Mid", "0.75")]


def test_rank_by_distance_puts_the_expensive_better_value_first(tmp_path, cli):
    table = ranking(build(cli, _ratio_market(tmp_path, "distance")))
    assert "Value for money ▾" in table.columns and "Quality ÷ price" in table.columns
    assert [(r[0], r[1], r[4]) for r in table.rows] == [("1", "Big", "+25.0"), ("2", "Cheap", "+9.2"),
                                                         ("3", "Mid", "−33.3")]
