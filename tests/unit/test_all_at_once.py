""""Every problem is reported at once": one invalid value does not hide the other problems of its file, and a
file whose name is refused still has its content checked in the same run (it is never built)."""
from __future__ import annotations

import json


def _codes(run) -> list[tuple[str, str, str]]:
    data = json.loads(run.out)
    return sorted((d["code"], d["file"], d["path"] or "") for d in data["diagnostics"])


def test_a_typo_does_not_hide_a_bad_source_kind_and_an_out_of_scale_score(tree, cli):
    tree.replace("companies/beta.yaml", "tier: standard", "teir: standard")
    tree.replace("companies/beta.yaml", "  service: 5\n", "  service:\n    evidence:\n"
                 "      - {source: mystery-shoper, value: 5, date: 2026-10-01}\n")
    tree.replace("companies/beta.yaml", "    setup: 6", "    setup: 16")
    run = cli(tree.root, "check", "--format", "json")
    assert run.code == 1
    assert _codes(run) == [
        ("out-of-scale", "content/companies/beta.yaml", "scores.usability.setup"),
        ("unknown-key", "content/companies/beta.yaml", "prices[0].teir"),
        ("unknown-source-kind", "content/companies/beta.yaml", "scores.service.evidence[0].source"),
    ]


def test_a_badly_named_file_has_its_content_checked_too(tree, cli):
    bad = tree.read("companies/gamma.yaml").replace("name: Gamma", "name: Gamma Two\nfoo: 1")
    bad = bad.replace("  service: 7", "  servise: 7")
    tree.write("companies/Gamma Two.yaml", bad)
    run = cli(tree.root, "check", "--format", "json")
    assert run.code == 1
    codes = _codes(run)
    assert ("slug-invalid", "content/companies/Gamma Two.yaml", "") in codes
    assert ("unknown-key", "content/companies/Gamma Two.yaml", "foo") in codes
    assert ("unknown-dimension", "content/companies/Gamma Two.yaml", "scores.servise") in codes


def test_a_badly_named_page_has_its_front_matter_checked(tree, cli):
    tree.write("pages/About Us.md", "---\ntitle: About\naudience: everyone\n---\nText\n")
    run = cli(tree.root, "check", "--format", "json")
    codes = _codes(run)
    assert ("slug-invalid", "content/pages/About Us.md", "") in codes
    assert ("invalid-choice", "content/pages/About Us.md", "audience") in codes


def test_a_price_without_its_price_does_not_hide_the_rest_of_the_file(tree, cli):
    """A removed value can make its container fail (a plan without a price): the container goes too, and the
    file's reference checks still run on what is left."""
    tree.replace("companies/beta.yaml", "name: Beta", "name: Beta\nwebsit: x")
    tree.replace("companies/beta.yaml", "prices:\n", "prices:\n  - {plan: Pro, tier: premium, price: 90}\n")
    tree.replace("companies/beta.yaml", "price: 40", "price: forty")
    tree.replace("companies/beta.yaml", "    setup: 6", "    setup: 16")
    tree.replace("companies/beta.yaml", "  service: 5\n", "  service:\n    evidence:\n"
                 "      - {source: mystery-shoper, value: 5, date: 2026-10-01}\n")
    run = cli(tree.root, "check", "--format", "json")
    assert run.code == 1
    assert _codes(run) == [
        ("out-of-scale", "content/companies/beta.yaml", "scores.usability.setup"),
        ("unknown-key", "content/companies/beta.yaml", "websit"),
        ("unknown-source-kind", "content/companies/beta.yaml", "scores.service.evidence[0].source"),
        ("wrong-type", "content/companies/beta.yaml", "prices[1].price"),
    ]


def test_a_bad_list_item_keeps_the_items_before_it_with_their_lines(tree, cli):
    """A list loses the failing item and those after it, never the ones before: their messages keep their index
    and line."""
    tree.replace("companies/beta.yaml", "  service: 5\n", "  service:\n    evidence:\n"
                 "      - {source: mystery-shoper, value: 5, date: 2026-10-01}\n"
                 "      - {source: mystery-shopper, value: 5, date: 2026-10}\n")
    run = cli(tree.root, "check", "--format", "json")
    found = {(d["code"], d["path"]): d["line"] for d in json.loads(run.out)["diagnostics"]}
    assert found == {("unknown-source-kind", "scores.service.evidence[0].source"): 12,
                     ("wrong-type", "scores.service.evidence[1].date"): 13}


def test_a_misspelled_required_key_does_not_hide_the_rest_of_the_file(tree, cli):
    tree.replace("companies/beta.yaml", "name: Beta", "nmae: Beta")
    tree.replace("companies/beta.yaml", "    setup: 6", "    setup: 16")
    run = cli(tree.root, "check", "--format", "json")
    # one mistake, one message: at the key written, saying the field it resembles is missing
    assert _codes(run) == [
        ("out-of-scale", "content/companies/beta.yaml", "scores.usability.setup"),
        ("unknown-key", "content/companies/beta.yaml", "nmae"),
    ]
    [typo] = [d for d in json.loads(run.out)["diagnostics"] if d["code"] == "unknown-key"]
    assert typo["message"] == "unknown field 'nmae', and the required field 'name' is missing"
    assert typo["hint"] == "did you mean 'name'?" and typo["line"] == 1


def test_a_typo_in_site_yaml_does_not_hide_the_companies_problems(tree, cli):
    """An unknown key in site.yaml, or a required one misspelled: the rest of site.yaml still says what every
    other file is checked against."""
    tree.replace("site.yaml", "market: Widgets", "market: Widgets\ntagine: x")
    tree.replace("site.yaml", "currency: EUR", "curency: EUR")
    tree.replace("companies/beta.yaml", "    setup: 6", "    setup: 16")
    tree.replace("companies/gamma.yaml", "  service: 7", "  servise: 7")
    run = cli(tree.root, "check", "--format", "json")
    assert run.code == 1
    assert _codes(run) == [
        ("missing-score", "content/companies/gamma.yaml", "scores"),
        ("out-of-scale", "content/companies/beta.yaml", "scores.usability.setup"),
        ("unknown-dimension", "content/companies/gamma.yaml", "scores.servise"),
        ("unknown-key", "content/site.yaml", "curency"),
        ("unknown-key", "content/site.yaml", "tagine"),
    ]


def test_other_mistakes_in_site_yaml_hold_the_other_files_checks_back(tree, cli):
    """A value of the wrong type in site.yaml: checking the companies against a guess could report problems
    that are not there, so only site.yaml's own problem is reported until it is right."""
    tree.replace("site.yaml", "    weight: 0.5\n    criteria:", "    weight: half\n    criteria:")
    tree.replace("companies/beta.yaml", "    setup: 6", "    setup: 16")
    run = cli(tree.root, "check", "--format", "json")
    assert _codes(run) == [("wrong-type", "content/site.yaml", "dimensions[0].weight")]


def test_a_company_file_that_cannot_be_read_is_not_unknown_elsewhere(tree, cli):
    """Its own problem is reported; no other file says it does not exist (us, a prospect, a snapshot)."""
    tree.write("prospects/acme.yaml", "name: Acme\nsegment: small\nevaluating: [beta, gamma]\n")
    tree.write("history/2026-01-01.yaml", "companies:\n  gamma: {prices: [{plan: Basic, tier: standard, price: 55}], "
               "scores: {usability: {setup: 4, daily-use: 8}, service: 7}}\n")
    assert cli(tree.root, "check").code == 0
    tree.write("companies/gamma.yaml", "name: [\n")
    tree.write("companies/alpha.yaml", "name: Alpha\n\tprices: []\n")  # us
    run = cli(tree.root, "check", "--format", "json")
    assert run.code == 1
    assert _codes(run) == [("yaml-syntax", "content/companies/alpha.yaml", ""),
                           ("yaml-syntax", "content/companies/gamma.yaml", "")]


def test_a_tier_no_company_has_is_reported_once_at_site_yaml(tree, cli):
    tree.replace("site.yaml", "price_reference: {tier: standard, seats: 2}", "price_reference: {tier: standrd, seats: 2}")
    run = cli(tree.root, "check", "--format", "json")
    assert run.code == 1
    diagnostics = json.loads(run.out)["diagnostics"]
    assert [(d["code"], d["file"], d["path"], d["line"], d["hint"]) for d in diagnostics] == [
        ("unknown-tier", "content/site.yaml", "segments[0].price_reference.tier", 20, "did you mean 'standard'?")]


def test_a_score_beside_criterion_scores_is_named_where_it_stands(tree, cli):
    """'value' under a dimension that has criteria makes the mapping one score: its criteria are then unknown
    keys, and the hint names the line of the key that decided it."""
    tree.replace("companies/beta.yaml", "  usability:\n", "  usability:\n    value: 5\n")
    run = cli(tree.root, "check", "--format", "json")
    found = [(d["code"], d["path"], d["hint"]) for d in json.loads(run.out)["diagnostics"]]
    hint = "'value' (line 8) makes 'usability' one score: to score each of its criteria instead, remove 'value'"
    assert found == [("unknown-key", "scores.usability.setup", hint),
                     ("unknown-key", "scores.usability.daily-use", hint)]


def test_a_misspelled_score_key_keeps_its_did_you_mean(tree, cli):
    tree.replace("companies/beta.yaml", "  service: 5\n", "  service:\n    value: 5\n    evidense: []\n")
    run = cli(tree.root, "check", "--format", "json")
    assert [(d["code"], d["hint"]) for d in json.loads(run.out)["diagnostics"]] == [
        ("unknown-key", "did you mean 'evidence'?")]


def test_a_misspelled_optional_key_in_site_yaml_is_read_as_meant_not_as_its_default(tree, cli):
    """'critera' dropped would leave the dimension without criteria: every company would be told its criterion
    scores are wrong. Read as 'criteria', only the typo and the companies' real problems are reported."""
    tree.replace("site.yaml", "    criteria:\n", "    critera:\n")
    tree.replace("companies/beta.yaml", "    setup: 6", "    setup: 16")
    run = cli(tree.root, "check", "--format", "json")
    assert _codes(run) == [("out-of-scale", "content/companies/beta.yaml", "scores.usability.setup"),
                           ("unknown-key", "content/site.yaml", "dimensions[0].critera")]


def test_a_left_out_field_hides_nothing_about_a_field_that_only_starts_like_it(tree, cli):
    tree.replace("companies/beta.yaml", 'summary: "Beta sells widgets."', "summary: [oops]\nsummary_reviewed: 2099-01-01")
    run = cli(tree.root, "check", "--format", "json")
    assert _codes(run) == [("date-in-future", "content/companies/beta.yaml", "summary_reviewed"),
                           ("wrong-type", "content/companies/beta.yaml", "summary")]


def test_a_key_read_as_meant_hides_no_problem_of_its_container(tree, cli):
    tree.replace("companies/beta.yaml", "{plan: Basic, tier: standard, price: 40",
                 "{plan: Basic, tier: standard, price: 40, seats: {min: 1}}\n  - {plna: Pro, tier: premium, price: 90")
    tree.replace("companies/beta.yaml", "{plan: Basic, tier: standard, price: 40, seats: {min: 1}}\n",
                 "{plan: Basic, tier: basic, price: 40, seats: {min: 1}}\n")
    run = cli(tree.root, "check", "--format", "json")
    assert _codes(run) == [("no-price", "content/companies/beta.yaml", "prices"),
                           ("no-price", "content/companies/beta.yaml", "prices"),
                           ("unknown-key", "content/companies/beta.yaml", "prices[1].plna")]


def test_a_tier_no_company_has_is_found_even_when_a_company_file_has_a_shape_error(tree, cli):
    tree.replace("site.yaml", "price_reference: {tier: standard, seats: 2}", "price_reference: {tier: standrd, seats: 2}")
    tree.replace("companies/beta.yaml", "name: Beta", "name: Beta\nwbsite: x")
    run = cli(tree.root, "check", "--format", "json")
    assert _codes(run) == [("unknown-key", "content/companies/beta.yaml", "wbsite"),
                           ("unknown-tier", "content/site.yaml", "segments[0].price_reference.tier")]


def test_a_tier_no_company_has_says_nothing_in_the_history_snapshots(tree, cli):
    """The snapshots' plans are checked like company files: each one's "no 'standrd' plan — did you mean
    'standrd'?" was the same mistake again, in the wrong file, with a hint to break a correct tier."""
    tree.write("history/2026-01-01.yaml", "companies:\n  gamma: {prices: [{plan: Basic, tier: standard, price: 55}], "
               "scores: {usability: {setup: 4, daily-use: 8}, service: 7}}\n")
    tree.replace("site.yaml", "price_reference: {tier: standard, seats: 10}", "price_reference: {tier: standrd, seats: 10}")
    run = cli(tree.root, "check", "--format", "json")
    assert _codes(run) == [("unknown-tier", "content/site.yaml", "price_reference.tier")]


def test_a_tier_no_company_has_is_found_even_when_a_company_file_cannot_be_read(tree, cli):
    """A file that cannot be parsed says no tier; the others all agree on one the site does not name."""
    tree.replace("site.yaml", "price_reference: {tier: standard, seats: 2}", "price_reference: {tier: standrd, seats: 2}")
    tree.write("companies/gamma.yaml", "name: [\n")
    run = cli(tree.root, "check", "--format", "json")
    assert _codes(run) == [("unknown-tier", "content/site.yaml", "segments[0].price_reference.tier"),
                           ("yaml-syntax", "content/companies/gamma.yaml", "")]
    assert "did you mean 'standard'?" in run.out


def test_a_company_file_with_a_refused_name_is_not_unknown_elsewhere(tree, cli):
    tree.write("prospects/acme.yaml", "name: Acme\nsegment: small\nevaluating: [beta, gamma]\n")
    (tree.content / "companies" / "gamma.yaml").rename(tree.content / "companies" / "Gamma.yaml")
    run = cli(tree.root, "check", "--format", "json")
    assert _codes(run) == [("slug-invalid", "content/companies/Gamma.yaml", "")]


def test_a_repeated_id_in_site_yaml_is_one_error_not_one_in_every_company_file(tree, cli):
    """Two criteria of one id: which one a company's score means is unknown, so the company files' reference
    checks wait (their shape is still checked) — they once gave an "unknown criterion" error in every file."""
    tree.replace("site.yaml", "      - {id: daily-use, label: Daily use, weight: 3}",
                 "      - {id: setup, label: Daily use, weight: 3}")
    tree.replace("companies/gamma.yaml", "name: Gamma", "name: Gamma\nwebsit: https://gamma.example")
    run = cli(tree.root, "check", "--format", "json")
    assert run.code == 1
    assert _codes(run) == [("duplicate-id", "content/site.yaml", "dimensions[0].criteria[1].id"),
                           ("unknown-key", "content/companies/gamma.yaml", "websit")]


def test_a_repeated_segment_id_holds_back_no_company_check(tree, cli):
    """Company files name dimensions, criteria and source kinds, never segments: a repeated segment id is said,
    and every company file is still checked."""
    tree.replace("site.yaml", "    weights: {usability: 3, service: 1}\n",
                 "    weights: {usability: 3, service: 1}\n  - id: small\n    label: Small again\n")
    tree.replace("companies/gamma.yaml", "  usability:", "  usabilty:")
    run = cli(tree.root, "check", "--format", "json")
    assert run.code == 1
    codes = _codes(run)
    assert ("duplicate-id", "content/site.yaml", "segments[1].id") in codes
    assert ("unknown-dimension", "content/companies/gamma.yaml", "scores.usabilty") in codes


def test_site_yaml_s_own_checks_are_told_with_a_value_out_of_range(tree, cli):
    """price_decimals: 5 (out of range) and a scale starting below zero: both at once — the scale's check
    waited until the other value was right."""
    tree.write("site.yaml", tree.read("site.yaml") + "price_decimals: 5\nscale: {min: -5, max: 10}\n")
    tree.replace("companies/beta.yaml", "    setup: 6", "    setup: 16")  # the other files still wait
    run = cli(tree.root, "check", "--format", "json")
    assert _codes(run) == [("invalid-value", "content/site.yaml", "price_decimals"),
                           ("scale-negative", "content/site.yaml", "scale.min")]
