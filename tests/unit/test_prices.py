"""Price observations → one comparison price (generator/prices.py), worked out by hand."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from generator import prices as pr

RULES = pr.PriceRules(currency="EUR", rates={"USD": 0.9, "GBP": 1.2}, billing="annual", monthly_to_annual=0.8,
                      choose="vendor-newest", tolerance=0.10)


@dataclass(frozen=True)
class Obs:
    kind: str = "price"
    amount: float | None = None
    low: float | None = None
    high: float | None = None
    estimate: float | None = None
    currency: str | None = None
    billing: str = "annual"
    source: str = "vendor-page"
    date_start: dt.date = dt.date(2026, 10, 1)
    date_precision: str = "day"


def vendor(o) -> bool:
    return o.source == "vendor-page"


def test_a_single_price_in_the_site_currency_is_taken_as_it_is():
    chosen = pr.choose([Obs(amount=39)], RULES, vendor)
    assert (chosen.value, chosen.low, chosen.high, chosen.disagree) == (39, 39, 39, False)


def test_another_currency_is_converted_with_the_given_rate():
    # $40 × 0.9 = €36
    chosen = pr.choose([Obs(amount=40, currency="USD")], RULES, vendor)
    assert chosen.value == pytest.approx(36.0) and chosen.chosen.converted


def test_a_currency_without_a_rate_has_no_comparison_price():
    chosen = pr.choose([Obs(amount=40, currency="JPY")], RULES, vendor)
    assert (chosen.value, chosen.reason) == (None, "no-rate")


def test_monthly_billing_is_turned_into_the_annual_equivalent():
    # €50 billed monthly × 0.8 = €40 annual-billing equivalent
    chosen = pr.choose([Obs(amount=50, billing="monthly")], RULES, vendor)
    assert chosen.value == pytest.approx(40.0) and chosen.chosen.billing_adjusted


def test_unknown_billing_is_compared_as_it_is_and_marked():
    chosen = pr.choose([Obs(amount=50, billing="unknown")], RULES, vendor)
    assert chosen.value == 50 and chosen.chosen.billing_unknown and not chosen.chosen.billing_adjusted


def test_from_and_range_and_estimate():
    # from $20 → compared at 20 (USD → €18); range [165, 500] → midpoint 332.5, range kept
    assert pr.choose([Obs(kind="from", amount=20, currency="USD")], RULES, vendor).value == pytest.approx(18.0)
    chosen = pr.choose([Obs(kind="range", low=165, high=500)], RULES, vendor)
    assert (chosen.value, chosen.low, chosen.high) == (332.5, 165, 500)
    estimate = pr.choose([Obs(kind="quote", estimate=120)], RULES, vendor)
    assert (estimate.value, estimate.chosen.kind) == (120, "estimate")


def test_quote_only_without_an_estimate_is_not_a_price():
    chosen = pr.choose([Obs(kind="quote")], RULES, vendor)
    assert (chosen.value, chosen.reason) == (None, "quote-only")


def test_vendor_newest_prefers_the_vendor_over_a_newer_review_site():
    # vendor page €19 (2026-09), vendor help article €39 monthly → €31.2 (2026-10), review site €15 (2026-11)
    obs = [Obs(amount=19, date_start=dt.date(2026, 9, 1)),
           Obs(amount=39, billing="monthly", date_start=dt.date(2026, 10, 1)),
           Obs(amount=15, source="review-site", date_start=dt.date(2026, 11, 1))]
    chosen = pr.choose(obs, RULES, vendor)
    assert chosen.value == pytest.approx(31.2)  # the newest vendor observation: 39 × 0.8
    # they disagree: values 19, 31.2, 15 → spread 16.2 > 10 % of the mean 21.73
    assert chosen.disagree and (chosen.low, chosen.high) == (15, pytest.approx(31.2))


def test_other_choice_rules():
    obs = [Obs(amount=19, date_start=dt.date(2026, 9, 1)), Obs(amount=22, source="review-site",
                                                                date_start=dt.date(2026, 11, 1)),
           Obs(amount=20, source="review-site", date_start=dt.date(2026, 10, 1))]
    def value(rule: str) -> float:
        return pr.choose(obs, pr.PriceRules(**{**RULES.__dict__, "choose": rule}), vendor).value
    assert value("newest") == 22
    assert value("lowest") == 19
    assert value("highest") == 22
    assert value("median") == 20  # 19, 20, 22
    assert value("vendor-newest") == 19  # the only vendor observation


def test_agreement_exactly_at_the_tolerance():
    # 20 and 22: spread 2; mean 21; 10 % of 21 = 2.1 ≥ 2 → agree. 20 and 22.2: 2.2 > 2.11 → disagree
    assert not pr.choose([Obs(amount=20), Obs(amount=22)], RULES, vendor).disagree
    assert pr.choose([Obs(amount=20), Obs(amount=22.2)], RULES, vendor).disagree


def test_newest_by_date_then_precision():
    # a month-only date (2026-10 → 2026-10-01) ties with the day 2026-10-01: the day wins (more precise)
    obs = [Obs(amount=30, date_start=dt.date(2026, 10, 1), date_precision="month"),
           Obs(amount=31, date_start=dt.date(2026, 10, 1), date_precision="day")]
    assert pr.choose(obs, RULES, vendor).value == 31
