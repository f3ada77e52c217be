"""What the maps leave out is told to the author, not only shown on the pages: a competitor not on the overall
map is a note (naming it and why), our own company missing from a map is a warning — an error under --strict,
so a site that cannot show where we stand is never published by the CI gate."""
from __future__ import annotations

import json

PLAN = "  - {plan: Basic, tier: standard, price: PRICE, seats: {min: 1}}\n"
QUOTE_ONLY = ("  - plan: Basic\n    tier: standard\n    seats: {min: 1}\n    observations:\n"
              "      - {quote: true, source: mystery-shopper, date: 2026-10-05}\n")


def _quote_only(tree, slug: str, price: int) -> None:
    tree.replace(f"companies/{slug}.yaml", PLAN.replace("PRICE", str(price)), QUOTE_ONLY)


def test_a_competitor_off_the_overall_map_is_a_note_naming_it_and_why(tree, cli):
    _quote_only(tree, "beta", 40)
    run = cli(tree.root, "check")
    assert run.code == 0, run.err
    assert ("note: 1 competitor not on the overall map: Beta (price on request only, no estimate recorded) — the "
            "site lists it under the map, with the reason") in run.out
    as_json = json.loads(cli(tree.root, "check", "--format", "json").out)
    assert as_json["diagnostics"] == [] and any(n.startswith("1 competitor not on the overall map: Beta")
                                                for n in as_json["notes"])


def test_every_company_on_the_map_gives_no_note(tree, cli):
    run = cli(tree.root, "check")
    assert run.code == 0 and "not on the" not in run.out + run.err


def test_many_competitors_off_the_map_are_counted_past_the_first_five(tree, cli):
    for i in range(7):
        tree.write(f"companies/extra-{i}.yaml", tree.read("companies/beta.yaml").replace("name: Beta", f"name: X{i}")
                   .replace(PLAN.replace("PRICE", "40"), QUOTE_ONLY))
    run = cli(tree.root, "check")
    note = next(line for line in run.out.splitlines() if "not on the overall map" in line)
    assert note.startswith("  note: 7 competitors not on the overall map: X0 (")
    assert note.count("(price on request only") == 5 and " and 2 more — the site lists them" in note


def test_we_are_not_on_a_map_is_a_warning_and_an_error_under_strict(tree, cli):
    _quote_only(tree, "alpha", 60)  # us
    run = cli(tree.root, "check", "--format", "json")
    assert run.code == 0
    found = [(d["severity"], d["code"], d["file"], d["path"], d["line"], d["message"])
             for d in json.loads(run.out)["diagnostics"]]
    assert sorted(found) == [
        ("warning", "us-unplaced", "content/companies/alpha.yaml", "prices", 4,
         "Alpha (us) is not on the Small teams map: price on request only, no estimate recorded"),
        ("warning", "us-unplaced", "content/companies/alpha.yaml", "prices", 4,
         "Alpha (us) is not on the overall map: price on request only, no estimate recorded")]
    strict = cli(tree.root, "check", "--strict")
    assert strict.code == 1 and "error: Alpha (us) is not on the overall map" in strict.err


def test_our_price_left_out_as_internal_is_named_as_the_reason(tree, cli):
    tree.replace("companies/alpha.yaml", PLAN.replace("PRICE", "60"),
                 "  - plan: Basic\n    tier: standard\n    seats: {min: 1}\n    observations:\n"
                 "      - {price: 60, source: mystery-shopper, date: 2026-10-05, internal: true}\n")
    run = cli(tree.root, "check", "--format", "json")
    found = {(d["message"], d["hint"]) for d in json.loads(run.out)["diagnostics"]}
    assert found == {(f"Alpha (us) is not on the {label} map: its only prices there are internal, and this external "
                      "site leaves them out", "the site shows where we stand against the market: add a price "
                      "observation that is not internal") for label in ("overall", "Small teams")}


def test_a_price_far_from_the_others_is_a_note(tree, cli):
    """Gamma at 5,000 beside 60 and 40: every relative and justified price is measured against an average it
    moves (one such price made every competitor "better value"). Said, with the median; the tree's own
    prices (60, 40, 50) say nothing; a price is not refused for it (a note, not a warning)."""
    assert "far from the others" not in cli(tree.root, "check").out
    tree.replace("companies/gamma.yaml", PLAN.replace("PRICE", "50"), PLAN.replace("PRICE", "5000"))
    run = cli(tree.root, "check")
    assert run.code == 0, run.err
    assert ("note: price far from the others on the overall map: Gamma (5,000 EUR, 83× the median) — the median "
            "is 60 EUR") in run.out, run.out
