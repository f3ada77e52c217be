"""One number, one format: a value reads the same wherever it is shown, and a number worked out from others
on the page (a difference) is worked out from them as shown. Found by an exploratory review: a difference of
+3.9 beside 8.5 and 4.5, a phantom score change "250 minutes → 250.00 minutes", minutes with a decimal in
one row and none in the next."""
from __future__ import annotations

import re

from generator.formats import Formatter, band_decimals, decimals_of
from tests.unit.test_build_pages import load, the_table, visible_text
from tests.unit.test_method import MINUTES, build, company, make, site_yaml

def test_a_difference_is_worked_out_from_the_numbers_shown():
    fmt = Formatter("en", "EUR", 0)
    assert (fmt.number(8.45), fmt.number(4.54), fmt.difference(8.45, 4.54)) == ("8.5", "4.5", "+4.0")  # not +3.9
    assert fmt.difference(7.25, 7.25) == "0.0" and fmt.difference(None, 3) == "—"
    assert fmt.difference(23, 35.4, 0) == "−12"


def test_a_computed_value_has_the_decimals_it_was_written_with():
    # 0.7 · 250 / 0.7 is 250.00000000000003: float noise is not a decimal the author wrote
    assert decimals_of([0.7 * 250 / 0.7]) == 0 and decimals_of([19.99, 72]) == 2 and decimals_of([0.1 + 0.2]) == 1


def test_a_value_outside_the_fair_band_never_reads_as_on_its_edge():
    """−5.02 with a band of ±5.0 is worse value: written −5.0 beside "Worse value" it contradicted the page's
    "within ±5.0 points … a price is fair value". It gets the decimals that tell it apart; inside the band,
    or exactly on its edge (fair), one decimal as always."""
    assert band_decimals(-5.02, 5.0) == 2 and band_decimals(5.04, 5.0) == 2
    assert band_decimals(-5.004, 5.0) == 3 and band_decimals(5.0004, 5.0) == 4
    assert band_decimals(-4.96, 5.0) == 1 and band_decimals(5.0, 5.0) == 1 and band_decimals(-5.06, 5.0) == 1
    assert band_decimals(12.3, 5.0) == 1 and band_decimals(0.0, 0.0) == 1
    fmt = Formatter("en")
    assert fmt.signed(-5.02, band_decimals(-5.02, 5.0)) == "−5.02"


def test_the_sample_s_trail_shows_a_worse_value_as_worse(tmp_path, cli, monkeypatch):
    """The sample's Ticketeer on Feb 2: −5.02 points, worse value; the trail table and the map's hover wrote
    −5.0, on the edge of the fair band."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    import shutil
    from pathlib import Path

    root = tmp_path / "project"
    shutil.copytree(Path(__file__).resolve().parents[2] / "content", root / "content")
    assert cli(root, "build").code == 0
    home = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert '"Feb 2, 2026","70.8","75.8","−5.02"' in home  # the trail's hover
    text = visible_text(load(root / "site" / "index.html"))
    assert re.search(r"Ticketeer\s+Feb 2, 2026\s+70\.8\s+75\.8\s+−5\.02\s+Worse value", text), text[:200]


def test_a_measured_criterion_reads_in_one_format_on_every_page(tmp_path, cli):
    # wait, written as whole minutes: 10, 30 and evidence 20 and 25 (mean 22.5) — every value of the criterion,
    # computed ones too, in whole minutes; the difference of the two shown values
    tree = make(tmp_path, site_yaml(MINUTES, us="slow"), {
        "fast": company("Fast", 50, "  service: {craft: 5, wait: 10}\n"),
        "mid": company("Mid", 50, "  service:\n    craft: 5\n    wait:\n      evidence:\n"
                                   "        - {source: survey, value: 20, date: 2026-10-01}\n"
                                   "        - {source: survey, value: 25, date: 2026-10-02}\n"),
        "slow": company("Slow", 50, "  service: {craft: 5, wait: 30}\n"),
    })
    site = build(cli, tree)
    mid = the_table(load(site / "competitors" / "mid.html"), "Scores per criterion")
    wait = next(r for r in mid.rows if "Wait" in r)
    assert wait[-3:] == ["30 minutes", "23 minutes", "+7 minutes"]  # 22.5 reads 23; 30 − 23 = 7
    fast = the_table(load(site / "competitors" / "fast.html"), "Scores per criterion")
    assert next(r for r in fast.rows if "Wait" in r)[-3:] == ["30 minutes", "10 minutes", "+20 minutes"]
    text = visible_text(load(site / "competitors" / "mid.html"))
    assert "20 minutes" in text and "25 minutes" in text and "22.5" not in text  # evidence as written


def test_the_sample_reports_no_change_that_reads_the_same(tmp_path, cli, monkeypatch):
    """The sample's Norbridge "time to first value": one evidence item of 250 in the snapshot and now (its
    weight decays with age: on this day its weighted mean is 250.00000000000003)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    import shutil
    from pathlib import Path

    root = tmp_path / "project"
    shutil.copytree(Path(__file__).resolve().parents[2] / "content", root / "content")
    run = cli(root, "build")
    assert run.code == 0, run.err
    changes = visible_text(load(root / "site" / "changes.html"))
    assert "250.00" not in changes
    assert "Norbridge Service Desk Time to first value" not in changes.replace(" · ", " ")


def test_a_tie_is_not_called_a_win(tree, cli):
    """A competitor identical to us: the same value for money, said so — not 'Alpha is better value'."""
    tree.write("companies/twin.yaml", tree.read("companies/alpha.yaml").replace("name: Alpha", "name: Twin"))
    run = cli(tree.root, "build")
    assert run.code == 0, run.err
    for page in ("competitors/twin.html", "battlecards/twin.html"):
        text = visible_text(load(tree.root / "site" / page))
        assert "Alpha and Twin are equal value for money on the overall map." in text, page
        assert "better value for money" not in text
    assert "Alpha is better value for money than Beta" in visible_text(load(tree.root / "site" / "competitors" /
                                                                             "beta.html"))


def test_a_tie_shares_its_rank(tree, cli):
    """Two companies with every figure equal were #1 and #2 (the tie broken by name): now both #1, the next #3
    — in the ranking, the headline, the export and the "weigh it yourself" script's arithmetic."""
    import json

    tree.write("companies/twin.yaml", tree.read("companies/alpha.yaml").replace("name: Alpha", "name: Twin"))
    assert cli(tree.root, "build").code == 0
    table = the_table(load(tree.root / "site" / "index.html"), "Value map data and ranking by value for money",
                      cls="ranking")
    assert [(r[0], r[1]) for r in table.rows] == [("1", "Alpha"), ("1", "Twin"), ("3", "Gamma"), ("4", "Beta")]
    text = visible_text(load(tree.root / "site" / "index.html"))
    assert "#1 of 4" in text
    ranks = {c["slug"]: c["rank"] for c in json.loads(cli(tree.root, "export").out)["scenarios"][0]["companies"]}
    assert ranks == {"alpha": 1, "twin": 1, "gamma": 3, "beta": 4}
    from generator import score as sc, weighting
    from generator.build import check
    from generator.diagnostics import Diagnostics

    checked = check(tree.content, Diagnostics())
    site = checked.content.site
    model = weighting.weight_model(site, checked.scores.companies, {p.slug: p.quote for p in checked.scores.overall.positions},
                                   sc.overall_scenario(site), {s: c.name for s, c in checked.content.companies.items()})
    assert weighting._rank_in_model(model, site.method, sc.overall_scenario(site).weights, site.us) == 1


def _observed(tree, slug: str, price: str) -> None:
    text = tree.read(f"companies/{slug}.yaml")
    line = next(ln for ln in text.splitlines() if ln.startswith("  - {plan: Basic"))
    tree.replace(f"companies/{slug}.yaml", line + "\n",
                 "  - plan: Basic\n    tier: standard\n    seats: {min: 1}\n    observations:\n"
                 f"      - {{price: {price}, source: mystery-shopper, date: 2026-10-01}}\n")


def test_an_observed_price_reads_as_written_whatever_stands_beside_it(tree, cli, monkeypatch):
    # price_decimals 0; ours observed at 60, beta at 40.5: on beta's page ours still reads €60 (as on every
    # other page), not €60.0 because beta's figure beside it has a decimal
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    tree.replace("site.yaml", "currency: EUR\n", "currency: EUR\nprice_decimals: 0\n")
    _observed(tree, "alpha", "60")
    _observed(tree, "beta", "40.5")
    run = cli(tree.root, "build")
    assert run.code == 0, run.err
    table = the_table(load(tree.root / "site" / "competitors" / "beta.html"), "Price observations: Beta and us", cls="observations")
    seen = {row[0]: row[2] for row in table.rows}
    assert seen["Alpha"].startswith("€60 ") and seen["Beta"].startswith("€40.5 "), seen


def _coverage(tree, cli) -> dict[str, float]:
    """Each company's share of its score backed by evidence on the overall map, from the export."""
    import json

    run = cli(tree.root, "export")
    assert run.code == 0, run.err
    return {c["slug"]: c["coverage"] for c in json.loads(run.out)["scenarios"][0]["companies"]}


def test_a_score_its_evidence_contradicts_is_not_backed_by_it(tree, cli, monkeypatch):
    """Beta's service: the team wrote 9, the one mystery shop says 2. Service is half the quality weight;
    Beta's usability scores are bare numbers (no evidence): nothing of Beta's score is backed."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    tree.replace("companies/beta.yaml", "  service: 5\n", "  service:\n    value: 9\n    evidence:\n"
                 "      - {source: mystery-shopper, value: 2, date: 2026-10-01}\n")
    tree.replace("companies/gamma.yaml", "  service: 7\n", "  service:\n    value: 7\n    evidence:\n"
                 "      - {source: mystery-shopper, value: 7, date: 2026-10-01}\n")
    coverage = _coverage(tree, cli)
    assert coverage["beta"] == 0.0 and coverage["gamma"] == 0.5  # gamma's agrees: backed


def test_self_reported_or_stale_evidence_does_not_back_a_score(tree, cli, monkeypatch):
    """Beta's service rests only on its own internal metric, gamma's only on a shop from long ago: neither is
    evidence a prospect may lean on ("Self-reported only", "Out of date"), so neither counts as backed — two
    vendors ranked on such scores read "100% backed by evidence". Alpha's fresh, independent shop does."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")  # 2026-11-17
    tree.replace("companies/beta.yaml", "  service: 5\n", "  service:\n    evidence:\n"
                 "      - {source: internal-metric, value: 5, date: 2026-10-01}\n")
    tree.replace("companies/gamma.yaml", "  service: 7\n", "  service:\n    evidence:\n"
                 "      - {source: mystery-shopper, value: 7, date: 2019-10-01}\n")
    tree.replace("companies/alpha.yaml", "  service: 9\n", "  service:\n    evidence:\n"
                 "      - {source: mystery-shopper, value: 9, date: 2026-10-01}\n")
    coverage = _coverage(tree, cli)
    assert coverage == {"alpha": 0.5, "beta": 0.0, "gamma": 0.0}, coverage


def test_weights_shown_as_percents_add_up_to_a_hundred():
    fmt = Formatter("en", "EUR", 0)
    assert list(fmt.shares({"a": 1 / 3, "b": 1 / 3, "c": 1 / 3}).values()) == ["34%", "33%", "33%"]
    assert list(fmt.shares({i: 0.125 for i in range(8)}).values()) == ["13%"] * 4 + ["12%"] * 4
    assert fmt.shares({"a": 0.25, "b": 0.75}) == {"a": "25%", "b": "75%"}  # exact ones stay as they are
    # the site's own: its criteria's overall weights (methodology) sum to 100%, not 102%
    assert sum(int(v.rstrip("%")) for v in fmt.shares({i: w for i, w in enumerate(
        [0.3 * 2 / 8, 0.3 * 3 / 8, 0.3 * 2 / 8, 0.3 / 8, 0.25, 0.2, 0.25])}).values()) == 100


def test_the_methodology_weights_add_up_to_a_hundred(tmp_path, cli, monkeypatch):
    import shutil
    from pathlib import Path

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    root = tmp_path / "project"
    shutil.copytree(Path(__file__).resolve().parents[2] / "content", root / "content")
    assert cli(root, "build").code == 0
    doc = load(root / "site" / "methodology.html")
    criteria = the_table(doc, "Criteria and their weights")
    overall = [int(r[3].rstrip("%")) for r in criteria.rows]
    assert sum(overall) == 100, criteria.rows
    by_dimension: dict[str, int] = {}
    for r in criteria.rows:
        by_dimension[r[0]] = by_dimension.get(r[0], 0) + int(r[2].rstrip("%"))
    assert set(by_dimension.values()) == {100}, by_dimension


def test_a_verdict_on_a_partly_known_score_says_so(tree, cli):
    tree.replace("companies/gamma.yaml", "  service: 7\n", "  service: unknown\n")
    run = cli(tree.root, "build")
    assert run.code == 0, run.err
    text = visible_text(load(tree.root / "site" / "competitors" / "gamma.html"))
    assert re.search(r"Gamma\s*'s place rests on 50% of its score: the rest is unknown\.", text), text
    assert "rests on" not in visible_text(load(tree.root / "site" / "competitors" / "beta.html"))


def test_the_methodology_says_whose_values_the_averages_take(tree, cli):
    """Averages take every known value, placed on the map or not (tests/unit/test_unmeasured.py shows it):
    the page must say so, or a reader recomputing over the companies drawn finds other numbers."""
    assert cli(tree.root, "build").code == 0
    text = visible_text(load(tree.root / "site" / "methodology.html"))
    assert "whether or not the company is placed on the map" in text
    assert "the companies on it need not average 100" in text


def test_the_audit_shows_a_small_spread_with_the_decimals_it_needs(tmp_path, cli):
    """A whole-minute value of 2 with no evidence: ±1 × 2 × 0.15 = ±0.3 minutes — not '±0 minutes' because the
    criterion's values are written without decimals."""
    tree = make(tmp_path, site_yaml(MINUTES, us="slow"), {
        "fast": company("Fast", 50, "  service: {craft: 5, wait: 2}\n"),
        "mid": company("Mid", 50, "  service: {craft: 5, wait: 20}\n"),
        "slow": company("Slow", 50, "  service: {craft: 5, wait: 30}\n"),
    })
    run = cli(tree.root, "build", "--audience", "internal")
    assert run.code == 0, run.err
    text = visible_text(load(tree.root / "site-internal" / "audit.html"))
    assert "±0.3 minutes" in text and "±0 minutes" not in text


def test_each_card_says_how_it_prints(tree, cli):
    """The external card fits one page (tests/browser/test_print.py); the internal one adds its notes, which may
    take a second page — it once claimed one page too."""
    assert cli(tree.root, "build").code == 0
    assert cli(tree.root, "build", "--audience", "internal").code == 0
    external = visible_text(load(tree.root / "site" / "battlecards" / "beta.html"))
    internal = visible_text(load(tree.root / "site-internal" / "battlecards" / "beta.html"))
    assert "Prints on one A4 or Letter page." in external and "internal notes" not in external
    assert "The card prints on one A4 or Letter page; the internal notes may take a second." in internal


def test_every_page_marking_dimension_scores_says_how_they_are_marked(tree, cli):
    """The home heat map, a dimension's page and a competitor's mark dimension scores by their weakest known
    criterion: each says so (only the competitor page and the canvas did, and a prospect saw ∅ unexplained)."""
    assert cli(tree.root, "build").code == 0
    note = "A dimension's score is the weighted mean of its known criteria and carries the weakest mark among them"
    for page in ("index.html", "dimensions/usability.html", "competitors/beta.html", "canvas.html",
                 "segments/small.html"):
        assert note in visible_text(load(tree.root / "site" / page)).replace("’", "'"), page


def test_a_criterion_s_unit_is_written_in_each_language(tmp_path, cli, monkeypatch):
    """`unit: {en: minutes, ja: 分}`: the Japanese pages read 23 分 (they read "23 minutes", and the field
    refused a translation)."""
    import shutil
    from pathlib import Path

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    root = tmp_path / "project"
    shutil.copytree(Path(__file__).resolve().parents[2] / "content", root / "content")
    site = root / "content" / "site.yaml"
    text = site.read_text(encoding="utf-8").replace("unit: minutes", "unit: {en: minutes, ja: 分}")
    site.write_text(text.replace("\nlang: en\n", "\nlang: en\nlanguages: [en, ja]\n", 1), encoding="utf-8")
    run = cli(root, "build")
    assert run.code == 0, run.err
    ja = visible_text(load(root / "site" / "ja" / "competitors" / "ticketeer.html"))
    en = visible_text(load(root / "site" / "en" / "competitors" / "ticketeer.html"))
    assert "23 分" in ja and "23 minutes" not in ja  # (content notes stay as written: "in 35 minutes")
    assert "23 minutes" in en


def test_our_estimate_of_a_quote_reads_as_an_estimate_wherever_it_is_shown(tmp_path, cli, monkeypatch):
    """The sample's Norbridge sells by quote; €72 is our estimate. "could ask €47 and asks €72" said the
    vendor asks it: it reads "≈€72" in the verdict, the tables and the competitor list, as in weigh.js."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    import shutil
    from pathlib import Path

    root = tmp_path / "project"
    shutil.copytree(Path(__file__).resolve().parents[2] / "content", root / "content")
    assert cli(root, "build").code == 0
    site = root / "site"
    page = visible_text(load(site / "competitors" / "norbridge.html"))
    assert re.search(r"Norbridge Service Desk could ask €\d+ and asks ≈€72", page), page[:400]
    home = the_table(load(site / "index.html"), "Value map data and ranking by value for money", cls="ranking")
    prices = {r[1]: r[table_column(home, "Price")] for r in home.rows}
    assert prices["Norbridge Service Desk"].startswith("≈€72") and prices["Ticketeer"].startswith("€")
    assert "≈€72" in visible_text(load(site / "competitors" / "index.html"))


def table_column(table, name: str) -> int:
    return table.columns.index(name)
