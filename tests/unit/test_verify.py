"""Verification status, recency weighting and uncertainty (generator/verify.py) from hand-made evidence.

Every expected value is a literal worked out by hand in the comment above it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from generator import verify as v

TODAY = dt.date(2026, 11, 1)
RULES = v.Rules(tolerance=1.0, relative_tolerance=0.15, max_age_days=365, half_life_days=180,
                default_uncertainty=1.0, today=TODAY)
KINDS = {"shopper": v.Kind(1.0, True), "review": v.Kind(1.0, True), "interview": v.Kind(1.0, True),
         "own-metric": v.Kind(0.5, False)}


@dataclass(frozen=True)
class Ev:
    source: str
    value: float
    date: dt.date = dt.date(2026, 10, 1)


def status(value, evidence, given=False, **kw) -> v.Verdict:
    return v.verdict(value, given, evidence, KINDS, RULES, **kw)


def test_unknown_when_there_is_no_score():
    assert status(None, []).status == "unknown"
    assert status(None, []).uncertainty is None


def test_a_bare_number_is_unsupported_with_the_default_uncertainty():
    verdict = status(7.0, [], given=True)
    assert (verdict.status, verdict.uncertainty, verdict.items) == ("unsupported", 1.0, 0)


def test_only_gameable_sources():
    assert status(8.0, [Ev("own-metric", 8.0), Ev("own-metric", 9.0)]).status == "gameable-only"


def test_two_kinds_agreeing_within_the_tolerance_are_verified():
    # shopper 8, review 8.6: spread 0.6 ≤ 1 → verified; uncertainty = spread/2 = 0.3
    verdict = status(8.3, [Ev("shopper", 8.0), Ev("review", 8.6)])
    assert (verdict.status, verdict.kinds) == ("verified", 2)
    assert verdict.uncertainty == pytest.approx(0.3)


def test_exactly_at_the_tolerance_still_agrees():
    # spread 9 − 8 = 1.0 = tolerance → verified (agreement is "at most")
    assert status(8.5, [Ev("shopper", 8.0), Ev("review", 9.0)]).status == "verified"


def test_just_past_the_tolerance_conflicts():
    # spread 9.01 − 8 = 1.01 > 1 → conflicting; uncertainty 0.505
    verdict = status(8.5, [Ev("shopper", 8.0), Ev("review", 9.01)])
    assert verdict.status == "conflicting"
    assert verdict.uncertainty == pytest.approx(0.505)


def test_two_sources_of_the_same_kind_are_one_voice():
    # two mystery shops agreeing: one kind → single-source, not verified
    verdict = status(8.0, [Ev("shopper", 8.0), Ev("shopper", 8.2)])
    assert (verdict.status, verdict.kinds) == ("single-source", 1)


def test_a_gameable_source_can_confirm_an_independent_one():
    # shopper 8 and own metric 8.5 agree (0.5 ≤ 1), two kinds, one independent → verified
    assert status(8.2, [Ev("shopper", 8.0), Ev("own-metric", 8.5)]).status == "verified"


def test_a_gameable_source_disagreeing_with_an_independent_one_needs_a_closer_look():
    # shopper 4 against the vendor's own metric 9: spread 5 > 1 → conflicting
    assert status(5.0, [Ev("shopper", 4.0), Ev("own-metric", 9.0)]).status == "conflicting"


def test_a_hand_set_value_far_from_its_evidence_conflicts():
    # evidence 8.0 and 8.4 agree, but the team wrote 6: 8.4 − 6 = 2.4 > 1 → conflicting
    assert status(6.0, [Ev("shopper", 8.0), Ev("review", 8.4)], given=True).status == "conflicting"


def test_a_conflicting_score_could_be_what_its_farthest_report_says():
    # the team wrote 9, one shopper report says 2: the range reaches 2 (±7), not the default ±1 — and it
    # could be any of the reports when they disagree among themselves (mean 5, reports 2 and 8: ±3)
    assert status(9.0, [Ev("shopper", 2.0)], given=True).uncertainty == 7.0
    assert status(5.0, [Ev("shopper", 2.0), Ev("review", 8.0)]).uncertainty == 3.0
    assert status(6.0, [Ev("shopper", 8.0), Ev("review", 8.4)], given=True).uncertainty == pytest.approx(2.4)


def test_stale_when_the_newest_evidence_is_older_than_the_maximum_age():
    # newest 2025-10-31: 366 days before 2026-11-01 > 365 → stale
    old = [Ev("shopper", 8.0, dt.date(2025, 10, 31)), Ev("review", 8.0, dt.date(2025, 6, 1))]
    assert status(8.0, old).status == "stale"


def test_exactly_at_the_maximum_age_is_not_stale():
    # 2025-11-01 → 2026-11-01 is 365 days: not older than the maximum → verified
    assert status(8.0, [Ev("shopper", 8.0, dt.date(2025, 11, 1)), Ev("review", 8.0, dt.date(2025, 11, 1))]
                  ).status == "verified"


def test_stale_mixed_with_fresh_is_judged_by_the_newest():
    # one fresh (2026-10-01) and one old (2024-01-01) item: the newest is fresh → not stale; two kinds agree
    mixed = [Ev("shopper", 8.0, dt.date(2026, 10, 1)), Ev("review", 8.5, dt.date(2024, 1, 1))]
    verdict = status(8.2, mixed)
    assert (verdict.status, verdict.newest) == ("verified", dt.date(2026, 10, 1))


def test_a_month_only_date_counts_from_its_first_day():
    # "2025-10" is read as 2025-10-01 (the earliest day it can mean): 396 days old → stale
    from generator.prices import partial_date
    start, precision = partial_date("2025-10")
    assert (start, precision) == (dt.date(2025, 10, 1), "month")
    assert status(8.0, [Ev("shopper", 8.0, start)]).status == "stale"
    assert partial_date(2024) == (dt.date(2024, 1, 1), "year")
    assert partial_date("2026-11-03") == (dt.date(2026, 11, 3), "day")
    with pytest.raises(ValueError):
        partial_date("11/2026")


def test_measured_values_agree_relatively():
    # minutes: 20 and 22 → spread 2 ≤ 15 % of the mean 21 (3.15) → verified; 20 and 30 → 10 > 3.75 → conflicting
    assert status(21.0, [Ev("shopper", 20.0), Ev("review", 22.0)], measured=True).status == "verified"
    assert status(25.0, [Ev("shopper", 20.0), Ev("review", 30.0)], measured=True).status == "conflicting"


def test_recency_halves_every_half_life():
    # 180 days old → 0.5; 360 days → 0.25; today → 1; a future date counts as today
    assert v.recency(TODAY - dt.timedelta(days=180), RULES) == pytest.approx(0.5)
    assert v.recency(TODAY - dt.timedelta(days=360), RULES) == pytest.approx(0.25)
    assert v.recency(TODAY, RULES) == pytest.approx(1.0)


def test_evidence_score_weighs_kind_and_recency():
    # shopper 8 today (weight 1·1), review 4 180 days old (1·0.5), own metric 10 today (0.5·1)
    # (8 + 0.5·4 + 0.5·10) / (1 + 0.5 + 0.5) = 15 / 2 = 7.5
    evidence = [Ev("shopper", 8.0, TODAY), Ev("review", 4.0, TODAY - dt.timedelta(days=180)),
                Ev("own-metric", 10.0, TODAY)]
    assert v.evidence_score(evidence, KINDS, RULES) == pytest.approx(7.5)


def test_status_order_and_minimum():
    assert v.at_least("verified", "single-source")
    assert v.at_least("single-source", "single-source")
    assert not v.at_least("stale", "single-source")
    assert not v.at_least("unknown", "unsupported")
