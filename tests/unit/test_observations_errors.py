"""Validation of the "honest numbers" content model: price observations (source kind, currency rate, dates,
links), 'unknown' scores, allow_missing, currencies.as_of, and the stale-score / stale-price warnings — each
reported with file, line, column and field path (computed from the text written, never typed in)."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from test_errors import diagnostics_of, locate

BETA = "content/companies/beta.yaml"
SITE = "content/site.yaml"
TODAY = dt.date(2026, 6, 15)


def _epoch(day: dt.date) -> str:
    return str(int(dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.timezone.utc).timestamp()))


def _run(tree, cli, monkeypatch, *args):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", _epoch(TODAY))
    run = cli(tree.root, "check", "--format", "json", *args)
    return run, diagnostics_of(run)


def _at(tree, rel: str, needle: str, column_of: str | None = None, nth: int = 1) -> tuple[str, int, int]:
    line, column = locate(tree.read(rel), needle, nth, column_of)
    return (f"content/{rel}", line, column)


def _place(d: dict) -> tuple[str, int, int]:
    return (d["file"], d["line"], d["column"])


OBSERVED = """\
  - plan: Basic
    tier: standard
    seats: {min: 1}
    observations:
%s
"""


def _observations(tree, *items: str) -> None:
    tree.replace("companies/beta.yaml", "  - {plan: Basic, tier: standard, price: 40, seats: {min: 1}}\n",
                 OBSERVED % "\n".join("      - " + i for i in items))


def test_a_good_observation_validates(tree, cli, monkeypatch):
    _observations(tree, "{price: 40, source: mystery-shopper, date: 2026-05, url: https://beta.example/pricing}")
    run, diags = _run(tree, cli, monkeypatch)
    assert run.code == 0, run.err
    assert diags == []


def test_observation_source_must_be_a_source_kind(tree, cli, monkeypatch):
    _observations(tree, "{price: 40, source: mystery-shoper, date: 2026-05}")
    run, diags = _run(tree, cli, monkeypatch)
    assert run.code == 1
    [d] = diags
    assert d["code"] == "unknown-source-kind" and d["path"] == "prices[0].observations[0].source"
    assert d["message"] == "unknown source kind 'mystery-shoper'"
    assert d["hint"] == "did you mean 'mystery-shopper'?"
    assert _place(d) == _at(tree, "companies/beta.yaml", "mystery-shoper")


def test_another_currency_needs_a_rate(tree, cli, monkeypatch):
    _observations(tree, "{price: 40, currency: USD, source: mystery-shopper, date: 2026-05}")
    run, diags = _run(tree, cli, monkeypatch)
    assert run.code == 1
    [d] = diags
    assert d["code"] == "no-rate" and d["path"] == "prices[0].observations[0].currency"
    assert "USD" in d["message"] and "EUR" in d["message"]
    assert "currencies.rates" in d["hint"]
    assert _place(d) == _at(tree, "companies/beta.yaml", "USD")
    # With the rate it validates; the site's own currency never needs one.
    tree.write_bytes("site.yaml", (tree.read("site.yaml") + "currencies:\n  as_of: 2026-06-01\n  rates: {USD: 0.92}\n")
                     .encode())
    run, diags = _run(tree, cli, monkeypatch)
    assert run.code == 0, run.err


def test_currencies_as_of_in_the_future(tree, cli, monkeypatch):
    tree.write_bytes("site.yaml", (tree.read("site.yaml") + "currencies:\n  as_of: 2026-07-01\n  rates: {USD: 0.92}\n")
                     .encode())
    run, diags = _run(tree, cli, monkeypatch)
    assert run.code == 1
    [d] = diags
    assert (d["code"], d["path"], d["message"]) == ("date-in-future", "currencies.as_of", "date 2026-07-01 is in the future")
    assert _place(d) == _at(tree, "site.yaml", "2026-07-01")


def test_observation_dates_in_the_future_partial_dates_by_their_first_day(tree, cli, monkeypatch):
    _observations(tree, "{price: 40, source: mystery-shopper, date: 2026-07}",  # July 1st: after June 15th
                  "{price: 41, source: mystery-shopper, date: 2026-06}",  # June 1st: fine
                  "{price: 42, source: mystery-shopper, date: 2026}")  # January 1st: fine
    run, diags = _run(tree, cli, monkeypatch)
    assert run.code == 1
    [d] = diags
    assert (d["code"], d["path"]) == ("date-in-future", "prices[0].observations[0].date")
    assert d["message"] == "date 2026-07 is in the future" and d["hint"] == "today is 2026-06-15"
    assert _place(d) == _at(tree, "companies/beta.yaml", "2026-07")


def test_observation_url_must_be_a_web_address(tree, cli, monkeypatch):
    _observations(tree, "{price: 40, source: mystery-shopper, date: 2026-05, url: 'javascript:alert(1)'}")
    run, diags = _run(tree, cli, monkeypatch)
    assert run.code == 1
    [d] = diags
    assert (d["code"], d["path"]) == ("unsafe-url", "prices[0].observations[0].url")
    assert _place(d) == _at(tree, "companies/beta.yaml", "javascript:", column_of="'javascript:")


def test_unknown_is_a_score_everywhere(tree, cli, monkeypatch):
    tree.replace("companies/beta.yaml", "    setup: 6", "    setup: unknown")
    tree.replace("companies/gamma.yaml", "  service: 7", "  service: unknown")
    run, diags = _run(tree, cli, monkeypatch)
    assert run.code == 0, run.err
    assert diags == []


def test_missing_scores_need_allow_missing(tree, cli, monkeypatch):
    tree.replace("companies/beta.yaml", "    daily-use: 6\n", "")
    tree.replace("companies/beta.yaml", "  service: 5\n", "")
    run, diags = _run(tree, cli, monkeypatch)
    assert run.code == 1
    by_code = {d["code"]: d for d in diags}
    assert set(by_code) == {"missing-criterion", "missing-score"}
    for d in by_code.values():
        assert "allow_missing" in d["hint"] and "unknown" in d["hint"]
    assert _place(by_code["missing-criterion"]) == _at(tree, "companies/beta.yaml", "usability:")
    assert _place(by_code["missing-score"]) == _at(tree, "companies/beta.yaml", "scores:")
    tree.write_bytes("site.yaml", (tree.read("site.yaml") + "verification: {allow_missing: true}\n").encode())
    run, diags = _run(tree, cli, monkeypatch)
    assert run.code == 0, run.err


def test_stale_score_and_stale_price_are_warnings_errors_under_strict(tree, cli, monkeypatch):
    tree.replace("companies/beta.yaml", "  service: 5\n", "  service: {value: 5, as_of: 2025-01-10}\n")
    tree.write_bytes("companies/gamma.yaml", (tree.read("companies/gamma.yaml") + "as_of: 2025-02-01\n").encode())
    _observations(tree, "{price: 40, source: mystery-shopper, date: 2025-05}",  # 410 days: older than 365
                  "{price: 41, source: mystery-shopper, date: 2026-05-01}")
    tree.write_bytes("site.yaml", (tree.read("site.yaml") + "verification: {max_age_days: 300, min_status: unknown}\n")
                     .encode())
    tree.review_texts("2026-06-01")  # this test's "today" is 2026-06-15
    run, diags = _run(tree, cli, monkeypatch)
    assert run.code == 0, run.err
    assert {d["severity"] for d in diags} == {"warning"}
    got = sorted((d["code"], d["file"], d["path"]) for d in diags)
    gamma = "content/companies/gamma.yaml"
    assert got == sorted([
        ("stale-price", BETA, "prices[0].observations[0].date"),
        ("stale-score", BETA, "scores.service"),
        ("stale-score", gamma, "scores.service"),  # no date of its own: the company's as_of
        ("stale-score", gamma, "scores.usability.daily-use"),
        ("stale-score", gamma, "scores.usability.setup"),
    ]), json.dumps(diags, indent=1)
    by = {(d["file"], d["path"]): d for d in diags}
    assert _place(by[(BETA, "scores.service")]) == _at(tree, "companies/beta.yaml", "2025-01-10")
    assert "300 days" in by[(BETA, "scores.service")]["message"]
    assert _place(by[(BETA, "prices[0].observations[0].date")]) == _at(tree, "companies/beta.yaml", "2025-05")
    assert "365 days" in by[(BETA, "prices[0].observations[0].date")]["message"]
    assert _place(by[(gamma, "scores.service")]) == _at(tree, "companies/gamma.yaml", "service:")
    strict, sdiags = _run(tree, cli, monkeypatch, "--strict")
    assert strict.code == 1
    assert {d["code"] for d in sdiags} == {"stale-price", "stale-score"}
    assert all(d["severity"] == "error" for d in sdiags)


def test_scores_with_evidence_are_never_stale_by_as_of(tree, cli, monkeypatch):
    tree.replace("companies/beta.yaml", "  service: 5\n",
                 "  service:\n    as_of: 2020-01-01\n    evidence:\n"
                 "      - {source: mystery-shopper, value: 5, date: 2026-06-01}\n")
    run, diags = _run(tree, cli, monkeypatch)
    assert run.code == 0 and diags == []


@pytest.mark.parametrize("written, message", [
    ("[50]", "'range' needs 2 items, not 1"),
    ("[50, 60, 70]", "'range' takes at most 2 items, not 3"),
])
def test_a_range_of_the_wrong_length_says_how_many_it_takes(tree, cli, monkeypatch, written, message):
    """A range is [lowest, highest]: one value once read 'needs at least one item', three pydantic's own words."""
    _observations(tree, f"{{range: {written}, source: mystery-shopper, date: 2026-05}}")
    run, diags = _run(tree, cli, monkeypatch)
    assert run.code == 1
    [d] = diags
    assert (d["code"], d["path"], d["message"]) == ("wrong-length", "prices[0].observations[0].range", message)
    assert _place(d) == _at(tree, "companies/beta.yaml", written)


def test_a_plan_listed_again_with_overlapping_seats_is_a_warning_at_the_second(tree, cli, monkeypatch):
    # two prices for one plan written as two plans (a copy left behind, or observations meant): the second
    # is named, with the line of the first; an error under --strict
    tree.replace("companies/beta.yaml", "  - {plan: Basic, tier: standard, price: 40, seats: {min: 1}}\n",
                 "  - {plan: Basic, tier: standard, price: 40, seats: {min: 1}}\n"
                 "  - {plan: Team, tier: standard, price: 45, seats: {min: 1}}\n"
                 "  - {plan: basic, tier: standard, price: 38, seats: {min: 5, max: 50}}\n")
    run, diags = _run(tree, cli, monkeypatch)
    assert run.code == 0, run.err
    [d] = [d for d in diags if d["code"] == "same-plan"]
    first = _at(tree, "companies/beta.yaml", "plan: Basic", column_of="Basic")
    assert d["severity"] == "warning" and d["path"] == "prices[2].plan"
    assert _place(d) == _at(tree, "companies/beta.yaml", "plan: basic", column_of="basic")
    assert d["message"] == (f"plan 'basic' (tier 'standard') is listed again, with seats that overlap those of the "
                            f"plan at line {first[1]}: the pages cannot tell the two apart, and where both are "
                            "compared only the cheaper one counts")
    assert "observations" in d["hint"]
    strict, _ = _run(tree, cli, monkeypatch, "--strict")
    assert strict.code == 1


@pytest.mark.parametrize("second", [
    "  - {plan: Basic, tier: standard, price: 30, seats: {min: 11}}\n",  # a volume band: seats of its own
    "  - {plan: Basic, tier: enterprise, price: 90, seats: {min: 1}}\n",  # another tier
    "  - {plan: Basic, price: 35}\n",  # no tier: never compared
])
def test_one_plan_name_at_other_seats_or_tiers_is_not_a_warning(tree, cli, monkeypatch, second):
    tree.replace("companies/beta.yaml", "  - {plan: Basic, tier: standard, price: 40, seats: {min: 1}}\n",
                 "  - {plan: Basic, tier: standard, price: 40, seats: {min: 1, max: 10}}\n" + second)
    run, diags = _run(tree, cli, monkeypatch)
    assert run.code == 0, run.err
    assert [d for d in diags if d["code"] == "same-plan"] == []


def test_a_misspelled_tier_is_named_at_the_tier_with_a_did_you_mean(tree, cli, monkeypatch):
    tree.replace("companies/beta.yaml", "{plan: Basic, tier: standard,", "{plan: Basic, tier: standad,")
    run, diags = _run(tree, cli, monkeypatch)
    assert run.code == 1
    [d] = [d for d in diags if d["severity"] == "error"]
    assert (d["code"], d["path"], d["hint"]) == ("no-price", "prices[0].tier", "did you mean 'standard'?")
    assert _place(d) == _at(tree, "companies/beta.yaml", "tier: standad", column_of="standad")
    assert "plan 'Basic' has tier 'standad'" in d["message"]


def test_a_lower_case_currency_code_is_named_at_its_key_with_the_code_to_write(tree, cli, monkeypatch):
    tree.write_bytes("site.yaml", (tree.read("site.yaml") + "currencies:\n  as_of: 2026-06-01\n  rates:\n"
                                   "    usd: 0.92\n").encode())
    run, diags = _run(tree, cli, monkeypatch)
    assert run.code == 1
    [d] = diags
    assert (d["code"], d["path"], d["message"]) == ("invalid-value", "currencies.rates.usd",
                                                     "the text 'usd' is not a currency code")
    assert d["hint"] == "write 'USD': currency codes are ISO 4217, three capital letters"
    assert _place(d) == _at(tree, "site.yaml", "    usd: 0.92", column_of="usd")
