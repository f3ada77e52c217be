"""Content the method cannot compute honestly is refused: negative scales, measured criteria scored on the scale
or below 0, relative inputs out of range, several prices without a price reference, plans without a tier.

Same contract as tests/unit/test_errors.py (whose helpers this file uses): exit 1, every problem with its code,
file, line, column, field path and hint, the same report from ``check``, and the previous site byte-identical.
Every expected line and column is computed from the text the test wrote, never typed in.
"""
from __future__ import annotations

import json
import re

import pytest

from tests.unit.test_errors import (BETA, SITE, Case, Expect, assert_text_report, diagnostics_of, leftovers,
                                    locate, snapshot)

SETUP = "      - {id: setup, label: Setup, weight: 1}\n"
SETUP_MINUTES = "      - {id: setup, label: Setup, weight: 1, unit: minutes, better: lower}\n"
BETA_USABILITY = "  usability:\n    setup: 6\n    daily-use: 6\n"


def edits(*steps):
    """Several (file, old, new) replacements applied in order."""
    def edit(tree):
        for rel, old, new in steps:
            tree.replace(rel, old, new)
    return edit


MEASURED = ("site.yaml", SETUP, SETUP_MINUTES)
RELATIVE_SERVICE = ("site.yaml", "    label: Personal approach\n    weight: 0.5\n",
                    "    label: Personal approach\n    weight: 0.5\n    input: relative\n")
NO_REFERENCE = ("site.yaml", "price_reference: {tier: standard, seats: 10}\n", "")

CASES = [
    Case("scale-starts-below-zero",
         edits(("site.yaml", "us: alpha\n", "us: alpha\nscale: {min: -1, max: 10}\n")),
         [Expect("scale-negative", SITE, "scale: {min: -1", "scale.min",
                 r"starts at -1: relative quality divides scores by an average", r"shift the scale.*0…11",
                 column_of="-1")],
         ["scale-negative"]),
    Case("scale-minus-five-to-five",  # every score 0…10 of the tree is also outside −5…5
         edits(("site.yaml", "us: alpha\n", "us: alpha\nscale: {min: -5, max: 5}\n")),
         [Expect("scale-negative", SITE, "scale: {min: -5", "scale.min", r"starts at -5",
                 r"-5…5 → 0…10\) and add 5 to every score", column_of="-5")]),
    Case("measured-criterion-below-zero",
         edits(MEASURED, ("companies/beta.yaml", "    setup: 6\n", "    setup: -3\n")),
         [Expect("negative-measure", BETA, "setup: -3", "scores.usability.setup",
                 r"^score -3 minutes is below 0: criterion 'setup' is measured in minutes", r"measured minutes",
                 column_of="-3")],
         ["negative-measure"]),
    Case("measured-evidence-below-zero",
         edits(MEASURED, ("companies/beta.yaml", "    setup: 6\n",
                          "    setup:\n      evidence:\n        - {source: mystery-shopper, value: -12, "
                          "date: 2024-01-01}\n")),
         [Expect("negative-measure", BETA, "value: -12", "scores.usability.setup.evidence[0].value",
                 r"^evidence value -12 minutes is below 0", r"not on the site's scale", column_of="-12")],
         ["negative-measure"]),
    Case("measured-dimension-scored-as-a-whole",
         edits(MEASURED, ("companies/beta.yaml", BETA_USABILITY, "  usability: 6\n")),
         [Expect("measured-needs-criteria", BETA, "usability: 6", "scores.usability",
                 r"^dimension 'usability' has a measured criterion 'setup' \(minutes\); score each criterion$",
                 r"one score per criterion", column_of="usability")],
         ["measured-needs-criteria"]),
    Case("measured-criterion-with-dimension-ratios",
         edits(MEASURED, ("site.yaml", "us: alpha\n", "us: alpha\nmethod: {quality_ratio: dimension}\n")),
         [Expect("mixed-units", SITE, "quality_ratio: dimension", "method.quality_ratio",
                 r"dimension 'usability' has a measured criterion 'setup' \(minutes\).*cannot mix",
                 r"quality_ratio: criterion", column_of="dimension")],
         ["mixed-units"]),
    Case("relative-input-zero",
         edits(RELATIVE_SERVICE, ("companies/beta.yaml", "  service: 5\n", "  service: 0\n")),
         [Expect("relative-out-of-range", BETA, "service: 0", "scores.service",
                 r"^score 0 is outside the relative range.*above 0 and at most 1000 \(100 = the market average\)",
                 r"115 = 15% above average", column_of="0")],
         ["relative-out-of-range"]),
    Case("relative-input-too-large",
         edits(RELATIVE_SERVICE, ("companies/beta.yaml", "  service: 5\n", "  service: 1200\n")),
         [Expect("relative-out-of-range", BETA, "service: 1200", "scores.service", r"^score 1200 is outside",
                 column_of="1200")],
         ["relative-out-of-range"]),
    Case("relative-dimension-with-lower-is-better",
         edits(("site.yaml", "    weight: 0.5\n    criteria:\n", "    weight: 0.5\n    input: relative\n    criteria:\n"),
               ("site.yaml", SETUP, "      - {id: setup, label: Setup, weight: 1, better: lower}\n")),
         [Expect("relative-lower", SITE, "better: lower", "dimensions[0].criteria[0].better",
                 r"criterion 'setup' says lower is better, but dimension 'usability' takes relative input",
                 r"remove 'better: lower'", column_of="lower")],
         ["relative-lower"]),
    Case("several-prices-without-a-reference",
         edits(NO_REFERENCE, ("companies/beta.yaml", "prices:\n",
                              "prices:\n  - {plan: Pro, tier: pro, price: 80, seats: {min: 1}}\n")),
         [Expect("several-prices", BETA, "prices:", "prices",
                 r"^2 prices, but site.yaml sets no price_reference, so each company lists exactly one price$",
                 r"add price_reference \(tier and seats\).*or keep one plan|keep one plan.*price_reference")],
         ["several-prices"]),
    Case("plan-without-tier-under-a-reference",
         edits(("companies/beta.yaml", "{plan: Basic, tier: standard,", "{plan: Basic,")),
         [Expect("no-price", BETA, "prices:", "prices",
                 r"no 'standard' plan for 10 seats \(needed by price_reference in site.yaml\); plan 'Basic' has no "
                 r"tier, so it cannot be compared", r"give each plan a tier"),
          Expect("no-price", BETA, "prices:", "prices", r"segment 'small'.*plan 'Basic' has no tier",
                 r"give each plan a tier")],
         ["no-price", "no-price"]),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_method_errors_are_reported_precisely_and_the_site_is_kept(case: Case, tree, cli):
    ok = cli(tree.root, "build")
    assert ok.code == 0, ok.err
    before = snapshot(tree.root / "site")

    case.edit(tree)
    run = cli(tree.root, "build", "--format", "json")
    assert run.code == 1, (run.out, run.err)
    diags = diagnostics_of(run)
    for exp in case.expect:
        text = (tree.root / exp.file).read_text(encoding="utf-8")
        line, column = locate(text, exp.at, exp.nth, exp.column_of)
        found = [d for d in diags if d["code"] == exp.code and d["path"] == exp.path
                 and re.search(exp.message, d["message"])]
        assert found, f"no {exp.code} at {exp.path} matching {exp.message!r} in {json.dumps(diags, indent=1)}"
        d = found[0]
        assert d["severity"] == "error"
        assert (d["file"], d["line"], d["column"]) == (exp.file, line, column), d
        if exp.hint is not None:
            assert d["hint"] and re.search(exp.hint, d["hint"]), d
    if case.codes:
        assert sorted(d["code"] for d in diags) == case.codes, diags

    text_run = cli(tree.root, "build")
    assert text_run.code == 1
    assert_text_report(text_run.err, diags, tree.root)
    assert "nothing was written" in text_run.err
    checked = cli(tree.root, "check", "--format", "json")
    assert checked.code == 1
    assert diagnostics_of(checked) == diags
    assert snapshot(tree.root / "site") == before
    assert leftovers(tree.root) == []


# --- what is allowed -----------------------------------------------------------------------------------

def reported(run) -> list[dict]:
    """The diagnostics of a successful run's JSON report (whatever else the report carries)."""
    assert "Traceback" not in run.err
    return json.loads(run.out)["diagnostics"]


def test_measured_values_are_not_checked_against_the_scale(tree, cli):
    tree.replace("site.yaml", SETUP, SETUP_MINUTES)
    tree.replace("companies/beta.yaml", "    setup: 6\n", "    setup: 45\n")  # 45 minutes, far past the 0–10 scale
    run = cli(tree.root, "build", "--format", "json")
    assert run.code == 0, run.out
    assert reported(run) == []


def test_relative_inputs_are_not_checked_against_the_scale(tree, cli):
    tree.replace("site.yaml", *RELATIVE_SERVICE[1:])
    tree.replace("companies/beta.yaml", "  service: 5\n", "  service: 115\n")  # 15% above the market average
    run = cli(tree.root, "build", "--format", "json")
    assert run.code == 0, run.out
    assert reported(run) == []


def test_zero_where_lower_is_better_is_left_out_with_a_warning(tree, cli):
    """score.py leaves out a lower-is-better own value of 0 (average ÷ 0 has no finite value): the build goes
    on, and the author is told why that criterion does not count for this company."""
    tree.replace("site.yaml", SETUP, SETUP_MINUTES)
    tree.replace("companies/beta.yaml", "    setup: 6\n", "    setup: 0\n")
    run = cli(tree.root, "build", "--format", "json")
    assert run.code == 0, run.out
    diags = reported(run)
    assert [(d["code"], d["severity"], d["path"]) for d in diags] == [
        ("measured-zero", "warning", "scores.usability.setup")]
    text = tree.read("companies/beta.yaml")
    assert (diags[0]["file"], diags[0]["line"], diags[0]["column"]) == (BETA, *locate(text, "setup: 0", column_of="0"))
    assert "left out of this company's relative quality" in diags[0]["message"]


def test_a_segment_without_its_own_price_reference_uses_the_sites(tree, cli):
    """Only the site's price point (10 seats) applies once the segment has none: a plan sold from 5 seats is fine."""
    tree.replace("site.yaml", "    price_reference: {tier: standard, seats: 2}\n", "")
    tree.replace("companies/beta.yaml", "seats: {min: 1}", "seats: {min: 5}")
    run = cli(tree.root, "build", "--format", "json")
    assert run.code == 0, run.out
    assert reported(run) == []


def test_one_price_each_without_a_reference_and_without_tiers_builds(tree, cli):
    tree.replace("site.yaml", *NO_REFERENCE[1:])
    tree.replace("site.yaml", "    price_reference: {tier: standard, seats: 2}\n", "")
    for slug in ("alpha", "beta", "gamma"):
        tree.replace(f"companies/{slug}.yaml", "tier: standard, ", "")
    run = cli(tree.root, "build", "--format", "json")
    assert run.code == 0, run.out
    assert reported(run) == []
