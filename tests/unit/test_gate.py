"""The strict gate (generator/gate.py): under --strict, every score and every comparison price an external page
would show below verification.min_status is an error — one per claim, naming the company, the claim, its status
and the minimum, placed on the claim in the company file (file, line, column, field path)."""
from __future__ import annotations

import pytest

from generator.build import check
from generator.diagnostics import ContentError, Diagnostics
from test_errors import diagnostics_of, locate

BETA = "content/companies/beta.yaml"

GAMEABLE_SETUP = """\
    setup:
      value: 6
      evidence:
        - {source: internal-metric, value: 6, date: 2026-01-10}
"""

INTERNAL_ONLY_SERVICE = """\
  service:
    evidence:
      - {source: mystery-shopper, value: 5, date: 2026-01-10, internal: true}
"""


def _verification(tree, settings: str) -> None:
    tree.write_bytes("site.yaml", (tree.read("site.yaml") + f"verification: {settings}\n").encode())


def _place(d: dict) -> tuple[str, int, int]:
    return (d["file"], d["line"], d["column"])


def _beta_at(tree, needle: str) -> tuple[str, int, int]:
    return (BETA, *locate(tree.read("companies/beta.yaml"), needle))


def _gate(diags: list[dict]) -> list[dict]:
    return [d for d in diags if d["code"] == "below-min-status"]


def test_an_unverified_external_claim_fails_the_gate(tree, cli):
    tree.replace("companies/beta.yaml", "    setup: 6\n", GAMEABLE_SETUP)
    assert cli(tree.root, "check").code == 0  # without --strict the gate does not run
    run = cli(tree.root, "check", "--strict", "--format", "json")
    assert run.code == 1
    gate = _gate(diagnostics_of(run))
    by = {(d["file"], d["path"]): d for d in gate}
    d = by[(BETA, "scores.usability.setup")]
    assert d["severity"] == "error"
    assert d["message"] == "Beta: Ease of use › Setup is gameable-only (needs at least single-source)"
    assert _place(d) == _beta_at(tree, "setup:")
    assert "independent" in d["hint"] and "min_status" in d["hint"]
    # The bare numbers and bare prices of the tree are unsupported: each one claim, with its place.
    service = by[(BETA, "scores.service")]
    assert service["message"] == "Beta: Personal approach is unsupported (needs at least single-source)"
    assert _place(service) == _beta_at(tree, "service:")
    price = by[(BETA, "prices[0].price")]
    assert price["message"] == "Beta: price of plan 'Basic' is unsupported (needs at least single-source)"
    assert _place(price) == _beta_at(tree, "price: 40")  # the plan's price (flow mapping: the key's place)
    # One message per claim: 3 companies × (2 criteria + 1 dimension + 1 plan compared on both maps).
    assert len(gate) == 12, gate
    assert len({(d["file"], d["path"]) for d in gate}) == 12
    text = cli(tree.root, "check", "--strict")
    line, column = locate(tree.read("companies/beta.yaml"), "setup:")
    assert (f"{BETA}:{line}:{column}: error: Beta: Ease of use › Setup is gameable-only (needs at least "
            "single-source) [scores.usability.setup] (below-min-status)") in text.err


def test_the_gate_passes_when_min_status_is_unsupported(tree, cli):
    tree.replace("companies/beta.yaml", "    setup: 6\n", GAMEABLE_SETUP)
    _verification(tree, "{min_status: unsupported}")
    tree.review_texts()
    run = cli(tree.root, "check", "--strict")
    assert run.code == 0, run.err
    assert cli(tree.root, "build", "--strict").code == 0


def test_a_dimension_scored_as_a_whole_is_one_claim(tree, cli):
    tree.replace("companies/beta.yaml", "  usability:\n    setup: 6\n    daily-use: 6\n", "  usability: 6\n")
    _verification(tree, "{min_status: single-source}")
    run = cli(tree.root, "check", "--strict", "--format", "json")
    beta = [d for d in _gate(diagnostics_of(run)) if d["file"] == BETA]
    assert sorted(d["path"] for d in beta) == ["prices[0].price", "scores.service", "scores.usability"]
    d = next(d for d in beta if d["path"] == "scores.usability")
    assert d["message"] == "Beta: Ease of use is unsupported (needs at least single-source)"


@pytest.mark.parametrize("allow_missing", [False, True])
def test_unknown_fails_unless_the_site_allows_missing(tree, cli, allow_missing):
    tree.replace("companies/beta.yaml", "  service: 5\n", "  service: unknown\n")
    _verification(tree, "{min_status: unsupported%s}" % (", allow_missing: true" if allow_missing else ""))
    tree.review_texts()
    run = cli(tree.root, "check", "--strict", "--format", "json")
    if allow_missing:
        assert run.code == 0, run.out
        return
    assert run.code == 1
    [d] = _gate(diagnostics_of(run))
    assert d["message"] == ("Beta: Personal approach is unknown (needs at least unsupported, or "
                            "verification.allow_missing: true)")
    assert d["path"] == "scores.service" and _place(d) == _beta_at(tree, "service:")


def test_the_gate_judges_the_external_page_whatever_audience_is_built(tree, monkeypatch):
    """Internal evidence makes the score known internally; the external page shows it as unknown."""
    monkeypatch.chdir(tree.root)
    tree.replace("companies/beta.yaml", "  service: 5\n", INTERNAL_ONLY_SERVICE)
    _verification(tree, "{min_status: unsupported}")
    check(tree.content, Diagnostics(), audience="internal")  # passes without --strict
    for audience in ("internal", "external"):
        with pytest.raises(ContentError) as failed:
            check(tree.content, Diagnostics(), audience=audience, strict=True)
        [d] = [d for d in failed.value.diagnostics.errors if d.code == "below-min-status"]
        assert d.message.startswith("Beta: Personal approach is unknown")
        assert (d.file, d.line, d.column) == _beta_at(tree, "service:")


def test_the_sample_gate_reports_only_real_claims(sample, monkeypatch):
    """Every gate message on the sample names a company, a claim and a status, on a line of a company file."""
    monkeypatch.chdir(sample.root)
    diagnostics = Diagnostics()
    try:
        check(sample.content, diagnostics, strict=True)
    except ContentError:
        pass
    gate = [d for d in diagnostics.errors if d.code == "below-min-status"]
    for d in gate:
            assert d.file.startswith("content/companies/") and d.line and d.path.startswith(("scores.", "prices["))
            assert "(needs at least " in d.message


# --- the methodology page states the rules in force ----------------------------------------------------------

RULES = """\
verification:
  tolerance: 1.5
  relative_tolerance: 0.2
  max_age_days: 200
  half_life_days: 90
  default_uncertainty: 0.75
  min_status: gameable-only
  allow_missing: true
prices:
  choose: median
  tolerance: 0.25
  billing: annual
  monthly_to_annual: 0.85
  max_age_days: 400
currencies:
  as_of: 2026-01-15
  rates: {USD: 0.92, GBP: 1.17}
"""


def _methodology_text(tree, cli) -> str:
    import html
    import re
    run = cli(tree.root, "build")
    assert run.code == 0, run.err
    page = (tree.root / "site" / "methodology.html").read_text(encoding="utf-8")
    section = page[page.index('id="how-sure"'):]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", section)).split())


def test_the_methodology_page_states_the_rules_in_force(tree, cli):
    default = _methodology_text(tree, cli)
    assert "How sure we are" in default
    assert "within 1 on the 0–10 scale" in default and "older than 365 days" in default
    assert "0.5^(age in days ÷ 365)" in default
    assert "“One source” or stronger" in default
    assert "stops the build: write the score, or allow unknown scores" in default  # allow_missing off
    assert "the newest observation from the vendor itself" in default
    assert "needs its exchange rate" in default

    tree.write_bytes("site.yaml", (tree.read("site.yaml") + RULES).encode())
    text = _methodology_text(tree, cli)
    for shown in ("within 1.5 on the 0–10 scale", "measured values within 20% of their mean",
                  "prices within 25% of their mean", "older than 200 days", "more than 400 days ago",
                  "loses half its weight every 90 days", "0.5^(age in days ÷ 90)", "±0.75 on the scale",
                  "“Self-reported only” or stronger", "does not stop the build",
                  "may leave a dimension or a criterion out", "the median observation", "multiplied by 0.85",
                  "rates read on Jan 15, 2026", "1 GBP = 1.17 EUR; 1 USD = 0.92 EUR",
                  "differ by more than 25% of their mean", "anywhere from 0 to 10 on the scale",
                  "not placed on the map, unless an estimate is recorded", "shown as an estimate"):
        assert shown in text, shown
    assert "older than 365 days" not in text and "0.5^(age in days ÷ 365)" not in text
    # configuration names stay off the shared page (the internal build lists them under "Settings in force")
    assert "verification.allow_missing" not in text and "(gameable-only)" not in text
