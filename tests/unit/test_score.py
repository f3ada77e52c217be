"""Unit tests of generator/score.py with numbers worked out by hand.

Every expected value is a literal; the comment above it shows the arithmetic. Nothing here recomputes a
number with the formula under test (a calculator checked the digits, never generator/score.py).

The market is the one of tests/conftest.py:

    company  price  setup  daily-use  service   usability = .25·setup + .75·daily-use   (criteria 1 : 3)
    alpha      60     8        8         9        .25·8 + .75·8 = 8
    beta       40     6        6         5        .25·6 + .75·6 = 6
    gamma      50     4        8         7        .25·4 + .75·8 = 1 + 6 = 7

    dimension weights: usability .5, service .5 (overall); segment "small": usability 3 : service 1 → .75/.25

Per-criterion ratios (the default, Gale): the points are setup, daily-use and service (a dimension without
criteria is one point), weighing W = dimension weight × normalised criterion weight:

    overall:  setup .5·.25 = .125   daily-use .5·.75 = .375   service .5          (sum 1)
    "small":  setup .75·.25 = .1875 daily-use .75·.75 = .5625 service .25         (sum 1)

Averages of the others (default comparison), per point:

    alpha: setup (6+4)/2 = 5   daily (6+8)/2 = 7   service (5+7)/2 = 6   price (40+50)/2 = 45
    beta:  setup (8+4)/2 = 6   daily (8+8)/2 = 8   service (9+7)/2 = 8   price (60+50)/2 = 55
    gamma: setup (8+6)/2 = 7   daily (8+6)/2 = 7   service (9+5)/2 = 7   price (60+40)/2 = 50

    RQ alpha = 100·(.125·8/5 + .375·8/7 + .5·9/6) = 100·(.2 + .428571 + .75) = 137.8571   (= 965/7)
    RQ beta  = 100·(.125·6/6 + .375·6/8 + .5·5/8) = 100·(.125 + .28125 + .3125) = 71.875
    RQ gamma = 100·(.125·4/7 + .375·8/7 + .5·7/7) = 100·(.5/7 + 3/7 + .5) = 100·(.5 + .5) = 100
    RP alpha = 100·60/45 = 133.3333; RP beta = 100·40/55 = 72.7273; RP gamma = 100·50/50 = 100
"""
from __future__ import annotations

import datetime as dt

import pytest

from generator import model as m
from generator import quotes
from generator import points as pt
from generator.audience import INTERNAL
from generator import comparisons as cmp
from generator import score as sc

D = dt.date(2026, 10, 1)


def approx(value: float) -> object:
    return pytest.approx(value, abs=1e-4)


# --- builders -------------------------------------------------------------------------------------------

SOURCE_KINDS = [
    {"id": "mystery-shopper", "label": "Mystery shopper"},
    {"id": "internal-metric", "label": "Internal metric", "independent": False, "weight": 0.5},
]


def make_site(method: dict | None = None, **overrides) -> m.Site:
    data = {
        "title": "Test market",
        "market": "Widgets",
        "currency": "EUR",
        "price_basis": "per seat per month",
        "us": "alpha",
        "price_reference": {"tier": "standard", "seats": 10},
        "dimensions": [
            {"id": "usability", "label": "Ease of use", "weight": 0.5,
             "criteria": [{"id": "setup", "label": "Setup", "weight": 1},
                          {"id": "daily-use", "label": "Daily use", "weight": 3}]},
            {"id": "service", "label": "Personal approach", "weight": 0.5},
        ],
        "segments": [
            {"id": "small", "label": "Small teams", "price_reference": {"tier": "standard", "seats": 2},
             "weights": {"usability": 3, "service": 1}},
        ],
        "source_kinds": SOURCE_KINDS,
    }
    if method:
        data["method"] = method
    data.update(overrides)
    return m.Site.model_validate(data)


def plain_site(dimensions: list[dict], method: dict | None = None, us: str = "a", **overrides) -> m.Site:
    """A site without price reference (one plan per company) and without segments."""
    return make_site(method, dimensions=dimensions, segments=[], price_reference=None, us=us, **overrides)


def make_company(name: str, price: float, setup: float, daily: float, service: float) -> m.Company:
    return m.Company.model_validate({
        "name": name,
        "prices": [{"plan": "Basic", "tier": "standard", "price": price, "seats": {"min": 1}}],
        "scores": {"usability": {"setup": setup, "daily-use": daily}, "service": service},
    })


def company(name: str, scores: dict, price: float = 50, **fields) -> m.Company:
    """A company with one plan (no tier: for sites without price reference)."""
    return m.Company.model_validate({"name": name, "prices": [{"plan": "Only", "price": price}],
                                     "scores": scores, **fields})


def market() -> dict[str, m.Company]:
    return {
        "alpha": make_company("Alpha", 60, 8, 8, 9),
        "beta": make_company("Beta", 40, 6, 6, 5),
        "gamma": make_company("Gamma", 50, 4, 8, 7),
    }


def ev(source: str, value: float, **extra) -> m.Evidence:
    return m.Evidence.model_validate({"source": source, "value": value, "date": D, **extra})


def score(site: m.Site | None = None, companies: dict | None = None, audience: str = sc.EXTERNAL
          ) -> sc.MarketScores:
    return sc.score_market(site or make_site(), companies or market(), audience)


KIND_WEIGHTS = {"mystery-shopper": 1.0, "internal-metric": 0.5}


# --- evidence_mean --------------------------------------------------------------------------------------

def test_evidence_mean_weights_sources_by_kind():
    # (1·8 + 0.5·4) / (1 + 0.5) = 10 / 1.5 = 6.6667
    evidence = [ev("mystery-shopper", 8), ev("internal-metric", 4)]
    assert pt.evidence_mean(evidence, KIND_WEIGHTS) == approx(6.6667)


def test_evidence_mean_unknown_kind_counts_fully():
    # an unlisted kind weighs 1: (1·8 + 1·4) / 2 = 6
    evidence = [ev("mystery-shopper", 8), ev("review-site", 4)]
    assert pt.evidence_mean(evidence, KIND_WEIGHTS) == approx(6.0)


def test_evidence_mean_with_all_weights_zero_falls_back_to_plain_mean():
    # weights 0 and 0 → no division by zero; plain mean (8 + 4) / 2 = 6
    evidence = [ev("mystery-shopper", 8), ev("internal-metric", 4)]
    assert pt.evidence_mean(evidence, {"mystery-shopper": 0.0, "internal-metric": 0.0}) == approx(6.0)


def test_evidence_mean_with_one_zero_weight_ignores_that_source():
    # (1·8 + 0·2) / (1 + 0) = 8
    evidence = [ev("mystery-shopper", 8), ev("internal-metric", 2)]
    assert pt.evidence_mean(evidence, {"mystery-shopper": 1.0, "internal-metric": 0.0}) == approx(8.0)


# --- trace (and the audience) ---------------------------------------------------------------------------

def test_trace_of_a_plain_number_is_given():
    t = pt.trace(7, KIND_WEIGHTS)
    assert (t.value, t.given, t.evidence, t.hidden, t.as_of) == (7.0, True, (), 0, None)
    assert isinstance(t.value, float)


def test_trace_of_no_score_is_unknown():
    t = pt.trace(None, KIND_WEIGHTS)
    assert (t.value, t.given, t.evidence, t.hidden) == (None, False, (), 0)


def test_trace_given_value_wins_over_evidence():
    # the evidence alone would give (8 + 0.5·4) / 1.5 = 6.6667, but the author wrote 7
    detail = m.ScoreDetail.model_validate({"value": 7.0, "as_of": D, "note": "reviewed",
                                           "evidence": [ev("mystery-shopper", 8), ev("internal-metric", 4)]})
    t = pt.trace(detail, KIND_WEIGHTS)
    assert t.value == approx(7.0)
    assert t.given is True
    assert len(t.evidence) == 2
    assert t.as_of == D and t.note == "reviewed"


def test_trace_evidence_only_computes_the_weighted_mean():
    # (1·9 + 0.5·6) / 1.5 = 12 / 1.5 = 8
    detail = m.ScoreDetail.model_validate({"evidence": [ev("mystery-shopper", 9), ev("internal-metric", 6)]})
    t = pt.trace(detail, KIND_WEIGHTS)
    assert t.value == approx(8.0)
    assert t.given is False
    assert [e.value for e in t.evidence] == [9.0, 6.0]


def test_trace_external_audience_computes_from_public_evidence_only():
    detail = m.ScoreDetail.model_validate({"evidence": [ev("mystery-shopper", 8),
                                                        ev("internal-metric", 3.1416, internal=True)]})
    # external: only the public 8 → 8; one item hidden
    t = pt.trace(detail, KIND_WEIGHTS, sc.EXTERNAL)
    assert (t.value, t.given, t.hidden) == (approx(8.0), False, 1)
    assert [e.value for e in t.evidence] == [8.0]
    # internal: (1·8 + 0.5·3.1416) / 1.5 = (8 + 1.5708) / 1.5 = 6.3805
    t = pt.trace(detail, KIND_WEIGHTS, INTERNAL)
    assert (t.value, t.hidden) == (approx(6.3805), 0)
    assert len(t.evidence) == 2


def test_trace_external_audience_with_only_internal_evidence_is_unknown():
    detail = m.ScoreDetail.model_validate({"evidence": [ev("internal-metric", 3.1416, internal=True)]})
    t = pt.trace(detail, KIND_WEIGHTS, sc.EXTERNAL)
    assert (t.value, t.given, t.evidence, t.hidden) == (None, False, (), 1)
    # the internal audience sees it: a single item's weighted mean is itself
    assert pt.trace(detail, KIND_WEIGHTS, INTERNAL).value == approx(3.1416)


def test_trace_external_audience_keeps_an_explicit_value_but_hides_internal_evidence():
    detail = m.ScoreDetail.model_validate({"value": 9.0, "evidence": [ev("internal-metric", 2, internal=True)]})
    t = pt.trace(detail, KIND_WEIGHTS, sc.EXTERNAL)
    assert (t.value, t.given, t.evidence, t.hidden) == (approx(9.0), True, (), 1)


# --- normalise, scenario weights, points ----------------------------------------------------------------

def test_normalise_makes_weights_sum_to_one():
    # 1 : 3 → 1/4, 3/4
    assert sc.normalise({"a": 1, "b": 3}) == {"a": approx(0.25), "b": approx(0.75)}
    # 0.3 : 0.3 : 0.25 : 0.15 (sum 1.0) stays as it is
    assert sc.normalise({"a": 0.3, "b": 0.3, "c": 0.25, "d": 0.15}) == {
        "a": approx(0.3), "b": approx(0.3), "c": approx(0.25), "d": approx(0.15)}


def test_scenario_weights_default():
    # .5 : .5 → .5, .5
    assert sc.scenario_weights(make_site()) == {"usability": approx(0.5), "service": approx(0.5)}


def test_scenario_weights_with_full_overrides():
    # 3 : 1 → 3/4, 1/4
    assert sc.scenario_weights(make_site(), {"usability": 3, "service": 1}) == {
        "usability": approx(0.75), "service": approx(0.25)}


def test_scenario_weights_partial_override_keeps_the_other_default():
    # usability 1.5 (override), service .5 (default) → 1.5/2 = .75, .5/2 = .25
    assert sc.scenario_weights(make_site(), {"usability": 1.5}) == {
        "usability": approx(0.75), "service": approx(0.25)}


def test_scenario_weights_ignore_unknown_dimensions():
    # "price" is no dimension: .5 : .5 stays
    assert sc.scenario_weights(make_site(), {"price": 10}) == {"usability": approx(0.5), "service": approx(0.5)}


def test_points_are_criteria_and_a_dimension_without_criteria_is_one_point():
    pts = sc.points(make_site())
    # criteria 1 : 3 → .25, .75; service has no criteria → one point of weight 1
    assert [(p.dimension, p.criterion, p.weight) for p in pts] == [
        ("usability", "setup", approx(0.25)), ("usability", "daily-use", approx(0.75)), ("service", None, 1.0)]
    assert all(p.better == "higher" and p.on_scale for p in pts)


def test_point_weights_are_dimension_weight_times_criterion_weight():
    site = make_site()
    # overall: .5·.25 = .125, .5·.75 = .375, .5·1 = .5
    assert sc.point_weights(site, sc.overall_scenario(site)) == {
        ("usability", "setup"): approx(0.125), ("usability", "daily-use"): approx(0.375),
        ("service", None): approx(0.5)}
    # segment "small" (.75/.25): .75·.25 = .1875, .75·.75 = .5625, .25·1 = .25
    small = sc.segment_scenario(site, site.segments[0])
    assert sc.point_weights(site, small) == {
        ("usability", "setup"): approx(0.1875), ("usability", "daily-use"): approx(0.5625),
        ("service", None): approx(0.25)}


# --- company scores -------------------------------------------------------------------------------------

def test_company_scores_dimension_is_the_weighted_mean_of_its_criteria():
    site = make_site()
    got = {slug: (s.value("usability"), s.value("service"))
           for slug, c in market().items() for s in [sc.company_scores(site, slug, c)]}
    # usability = .25·setup + .75·daily (see the module docstring)
    assert got == {"alpha": (approx(8.0), approx(9.0)), "beta": (approx(6.0), approx(5.0)),
                   "gamma": (approx(7.0), approx(7.0))}


def test_company_scores_criterion_from_evidence():
    site = make_site()
    setup = {"evidence": [{"source": "mystery-shopper", "value": 8, "date": D},
                          {"source": "internal-metric", "value": 4, "date": D}]}
    c = m.Company.model_validate({"name": "X", "prices": [{"plan": "P", "tier": "standard", "price": 1}],
                                  "scores": {"usability": {"setup": setup, "daily-use": 8}, "service": 9}})
    s = sc.company_scores(site, "x", c)
    # setup = (8 + 0.5·4) / 1.5 = 6.6667; usability = .25·6.6667 + .75·8 = 1.6667 + 6 = 7.6667
    assert s.point("usability", "setup").value == approx(6.6667)
    assert s.point("usability", "setup").given is False
    assert s.value("usability") == approx(7.6667)


def test_company_scores_dimension_scored_as_a_whole_gives_every_criterion_that_score():
    site = make_site()
    c = m.Company.model_validate({"name": "X", "prices": [{"plan": "P", "tier": "standard", "price": 1}],
                                  "scores": {"usability": 8, "service": 9}})
    s = sc.company_scores(site, "x", c)
    assert (s.point("usability", "setup").value, s.point("usability", "daily-use").value) == (8.0, 8.0)
    assert s.value("usability") == approx(8.0)  # .25·8 + .75·8


def test_company_scores_dimension_is_the_mean_of_the_known_criteria_only():
    site = make_site()
    c = m.Company.model_validate({"name": "X", "prices": [{"plan": "P", "tier": "standard", "price": 1}],
                                  "scores": {"usability": {"daily-use": 6}}})
    s = sc.company_scores(site, "x", c)
    # setup unknown → usability = .75·6 / .75 = 6; service unknown → None
    assert s.point("usability", "setup").value is None
    assert (s.value("usability"), s.value("service")) == (approx(6.0), None)


# --- comparison_average ----------------------------------------------------------------------------------

def test_comparison_average_of_the_others_takes_own_value_out_of_the_total():
    # values 8, 6, 7: total 21, count 3
    assert sc.comparison_average(21.0, 3, 8.0, "others") == approx(6.5)  # (21 − 8) / 2
    assert sc.comparison_average(21.0, 3, 6.0, "others") == approx(7.5)  # (21 − 6) / 2
    assert sc.comparison_average(21.0, 3, 7.0, "others") == approx(7.0)  # (21 − 7) / 2


def test_comparison_average_of_the_market_includes_itself():
    for own in (8.0, 6.0, 7.0):  # 21 / 3 = 7 for everyone
        assert sc.comparison_average(21.0, 3, own, "market") == approx(7.0)


def test_comparison_average_of_a_single_company_is_its_own_value():
    # nobody else has a value: compared with itself (parity)
    assert sc.comparison_average(8.0, 1, 8.0, "others") == approx(8.0)


def test_comparison_average_without_own_value_is_the_average_of_the_known_values():
    # the company has no value: (8 + 6 + 7) / 3 = 7; nothing known at all → None
    assert sc.comparison_average(21.0, 3, None, "others") == approx(7.0)
    assert sc.comparison_average(0.0, 0, None, "others") is None


# --- price_at --------------------------------------------------------------------------------------------

PLANS = m.Company.model_validate({
    "name": "Multi",
    "scores": {"service": 5},
    "prices": [
        {"plan": "Starter", "tier": "standard", "price": 30, "seats": {"min": 1, "max": 5}},
        {"plan": "Team", "tier": "standard", "price": 45, "seats": {"min": 1, "max": 50}},
        {"plan": "Growth", "tier": "standard", "price": 40, "seats": {"min": 6, "max": 20}},
        {"plan": "Bravo", "tier": "standard", "price": 45, "seats": {"min": 21, "max": 50}},
        {"plan": "Pro", "tier": "professional", "price": 20, "seats": {"min": 1}},
    ],
})


def ref(tier: str, seats: int) -> m.PriceReference:
    return m.PriceReference(tier=tier, seats=seats)


@pytest.mark.parametrize("tier, seats, plan, price", [
    ("standard", 3, "Starter", 30),  # Starter 30 and Team 45 fit → the cheaper
    ("standard", 5, "Starter", 30),  # seat max is inclusive
    ("standard", 6, "Growth", 40),  # Starter ends at 5; Growth 40 < Team 45; seat min inclusive
    ("standard", 20, "Growth", 40),
    ("standard", 30, "Bravo", 45),  # Team and Bravo both 45 → the plan name decides (Bravo < Team)
    ("professional", 500, "Pro", 20),  # no max: any number of seats; the cheaper standard plans don't count
])
def test_quote_at_picks_the_cheapest_plan_of_the_tier_covering_the_seats(tier, seats, plan, price):
    point = quotes.quote_at(PLANS, make_site(), ref(tier, seats), "external", D).plan  # the cheapest that fits
    assert point is not None
    assert (point.plan, point.price) == (plan, price)


@pytest.mark.parametrize("tier, seats", [("standard", 51), ("enterprise", 10)])
def test_price_at_is_none_when_no_plan_fits(tier, seats):
    assert quotes.price_at(PLANS, ref(tier, seats)) is None


def test_price_at_without_reference_takes_the_only_plan_and_none_of_several():
    single = company("One", {"service": 5}, price=42)
    assert (quotes.price_at(single, None).plan, quotes.price_at(single, None).price) == ("Only", 42)
    assert quotes.price_at(PLANS, None) is None  # five plans, no reference: nothing comparable


# --- fit_line --------------------------------------------------------------------------------------------

REGRESSION = m.Method(fair_value_line="regression")


def test_fit_line_regression_on_collinear_points():
    # (90, 80), (100, 100), (110, 120): slope 20/10 = 2, intercept 100 − 2·100 = −100
    line = sc.fit_line(REGRESSION, [(90.0, 80.0), (100.0, 100.0), (110.0, 120.0)])
    assert (line.method, line.fallback) == ("regression", "")
    assert line.slope == approx(2.0) and line.intercept == approx(-100.0)
    assert line.price_at(105) == approx(110.0)  # −100 + 2·105


def test_fit_line_regression_with_fewer_than_three_points_falls_back_to_the_diagonal():
    line = sc.fit_line(REGRESSION, [(90.0, 80.0), (110.0, 120.0)])
    assert (line.method, line.intercept, line.slope, line.fallback) == ("regression", 0.0, 1.0, "too-few")


def test_fit_line_regression_without_spread_in_quality_falls_back_to_the_diagonal():
    line = sc.fit_line(REGRESSION, [(100.0, 90.0), (100.0, 100.0), (100.0, 120.0)])
    assert (line.intercept, line.slope, line.fallback) == (0.0, 1.0, "no-spread")


@pytest.mark.parametrize("pts", [
    [(90.0, 100.0), (100.0, 100.0), (110.0, 100.0)],  # every price equal: slope 0
    [(90.0, 120.0), (100.0, 100.0), (110.0, 80.0)],  # price falls with quality: slope −2
])
def test_fit_line_regression_with_slope_not_above_zero_falls_back_to_the_diagonal(pts):
    line = sc.fit_line(REGRESSION, pts)
    assert (line.intercept, line.slope, line.fallback) == (0.0, 1.0, "flat")


def test_fit_line_slope_without_points_goes_through_100_100():
    # RP = 100 + 1.5·(RQ − 100) = −50 + 1.5·RQ
    line = sc.fit_line(m.Method(fair_value_line="slope", slope=1.5), [])
    assert line.intercept == approx(-50.0) and line.slope == approx(1.5)
    assert line.price_at(100) == approx(100.0)
    assert line.price_at(120) == approx(130.0)  # −50 + 180


def test_fit_line_slope_goes_through_the_centroid_of_the_points():
    # centroid ((90 + 120)/2, (80 + 100)/2) = (105, 90); intercept = 90 − 2·105 = −120
    line = sc.fit_line(m.Method(fair_value_line="slope", slope=2.0), [(90.0, 80.0), (120.0, 100.0)])
    assert (line.intercept, line.slope, line.fallback) == (approx(-120.0), approx(2.0), "")
    assert line.price_at(105) == approx(90.0)


def test_fair_value_line_price_is_floored_at_zero():
    line = sc.FairValueLine("slope", -400.0, 5.0)
    assert line.price_at(60) == 0.0  # −400 + 300 = −100 → 0
    assert line.price_at(90) == approx(50.0)  # −400 + 450


def test_fit_line_diagonal():
    line = sc.fit_line(m.Method(), [(137.0, 10.0)])
    assert (line.method, line.intercept, line.slope, line.fallback) == ("diagonal", 0.0, 1.0, "")


# --- the value map of the 3-company market ---------------------------------------------------------------

def test_value_map_default_is_per_criterion_ratios_against_the_others_on_the_diagonal():
    vmap = score().overall
    assert (vmap.comparison, vmap.quality_ratio, vmap.rank_by, vmap.line.method, vmap.band) == (
        "others", "criterion", "distance", "diagonal", 5.0)
    assert vmap.unplaced == ()
    # by customer value: alpha 4.5238 > gamma 0 > beta −0.8523
    assert [p.slug for p in vmap.positions] == ["alpha", "gamma", "beta"]
    assert [p.rank for p in vmap.positions] == [1, 2, 3]

    a = vmap.get("alpha")
    assert a.is_us
    assert a.value_score == approx(8.5)  # .5·8 + .5·9
    assert a.price == 60 and a.plan == "Basic"
    assert (a.known, a.partial) == (approx(1.0), False)
    # RQ = 100·(.125·8/5 + .375·8/7 + .5·9/6) = 100·(.2 + .428571 + .75) = 137.8571
    assert a.relative_quality == approx(137.8571)
    # p̄ = (40 + 50) / 2 = 45; RP = 100·60/45 = 133.3333
    assert a.price_average == approx(45.0)
    assert a.relative_price == approx(133.3333)
    # diagonal: line = RQ; customer value = 137.8571 − 133.3333 = 4.5238
    assert a.line_price == approx(137.8571)
    assert a.customer_value == approx(4.5238)
    assert a.perpendicular == approx(3.1988)  # 4.5238 / √2 = 4.5238 / 1.414214
    # justified = 137.8571·45/100 = 62.0357; headroom = 62.0357 − 60 = 2.0357 = 3.3929 % of 60
    assert a.justified_price == approx(62.0357)
    assert a.headroom == approx(2.0357)
    assert a.headroom_pct == approx(3.3929)
    assert a.ratio == approx(1.0339)  # 137.8571 / 133.3333 = 1.033929
    assert a.zone == "fair"  # |4.52| ≤ 5

    b = vmap.get("beta")
    assert not b.is_us
    assert b.value_score == approx(5.5)  # .5·6 + .5·5
    # RQ = 100·(.125·6/6 + .375·6/8 + .5·5/8) = 100·(.125 + .28125 + .3125) = 71.875
    assert b.relative_quality == approx(71.875)
    # p̄ = (60 + 50) / 2 = 55; RP = 100·40/55 = 72.7273
    assert b.price_average == approx(55.0)
    assert b.relative_price == approx(72.7273)
    assert b.customer_value == approx(-0.8523)  # 71.875 − 72.7273
    assert b.justified_price == approx(39.5313)  # 71.875·55/100 = 39.53125
    assert b.headroom == approx(-0.4688)  # 39.53125 − 40 = −0.46875
    assert b.headroom_pct == approx(-1.1719)  # −0.46875 / 40 = −1.171875 %
    assert b.ratio == approx(0.9883)  # 71.875 / 72.7273 = 71.875·55/4000 = 0.988281
    assert b.zone == "fair"

    g = vmap.get("gamma")
    assert g.value_score == approx(7.0)  # .5·7 + .5·7
    # RQ = 100·(.125·4/7 + .375·8/7 + .5·7/7) = 100·(3.5/7 + .5) = 100; p̄ = (60 + 40)/2 = 50 → RP = 100
    assert (g.relative_quality, g.relative_price) == (approx(100.0), approx(100.0))
    assert g.customer_value == approx(0.0)
    assert (g.justified_price, g.headroom, g.headroom_pct) == (approx(50.0), approx(0.0), approx(0.0))
    assert g.zone == "fair"


def test_value_map_quality_ratio_dimension_keeps_the_ratio_of_dimension_scores():
    vmap = score(make_site(method={"quality_ratio": "dimension"})).overall
    assert vmap.quality_ratio == "dimension"
    # dimension scores: usability 8 / 6 / 7, service 9 / 5 / 7 (module docstring)
    # alpha: s̄ usability (6 + 7)/2 = 6.5, service (5 + 7)/2 = 6
    #        RQ = 100·(.5·8/6.5 + .5·9/6) = 100·(.615385 + .75) = 136.5385  (per criterion: 137.8571)
    # beta:  s̄ usability (8 + 7)/2 = 7.5, service (9 + 7)/2 = 8 → RQ = 100·(.5·6/7.5 + .5·5/8) = 100·(.4 + .3125)
    # gamma: s̄ usability (8 + 6)/2 = 7, service (9 + 5)/2 = 7 → RQ = 100·(.5·1 + .5·1) = 100
    rq = {p.slug: p.relative_quality for p in vmap.positions}
    assert rq == {"alpha": approx(136.5385), "beta": approx(71.25), "gamma": approx(100.0)}


def test_value_map_segment_uses_its_own_weights_per_criterion():
    vmap = score().segments["small"]
    assert vmap.scenario.weights == {"usability": approx(0.75), "service": approx(0.25)}
    assert vmap.scenario.reference == ref("standard", 2)
    # W: setup .1875, daily-use .5625, service .25; prices are those of the overall map (one plan, min 1 seat)
    # alpha: RQ = 100·(.1875·8/5 + .5625·8/7 + .25·9/6) = 100·(.3 + .642857 + .375) = 131.7857
    #        RP 133.3333; d = −1.5476; justified = 131.7857·.45 = 59.3036; headroom −0.6964
    # beta:  RQ = 100·(.1875·1 + .5625·6/8 + .25·5/8) = 100·(.1875 + .421875 + .15625) = 76.5625
    #        RP 72.7273; d = 3.8352; justified = 76.5625·.55 = 42.1094; headroom 2.1094
    # gamma: RQ = 100·(.1875·4/7 + .5625·8/7 + .25·1) = 100·(5.25/7 + .25) = 100; RP 100; d 0
    assert [p.slug for p in vmap.positions] == ["beta", "gamma", "alpha"]
    rows = {p.slug: (p.relative_quality, p.relative_price, p.customer_value, p.justified_price, p.headroom)
            for p in vmap.positions}
    assert rows == {
        "beta": (approx(76.5625), approx(72.7273), approx(3.8352), approx(42.1094), approx(2.1094)),
        "gamma": (approx(100.0), approx(100.0), approx(0.0), approx(50.0), approx(0.0)),
        "alpha": (approx(131.7857), approx(133.3333), approx(-1.5476), approx(59.3036), approx(-0.6964)),
    }
    assert vmap.get("alpha").value_score == approx(8.25)  # .75·8 + .25·9


@pytest.mark.parametrize("band, zones", [
    # customer value: alpha +4.5238, beta −0.8523, gamma 0
    (5.0, {"alpha": "fair", "beta": "fair", "gamma": "fair"}),  # all within ±5
    (1.0, {"alpha": "better", "beta": "fair", "gamma": "fair"}),  # 4.52 > 1; |−0.85| ≤ 1
    (0.5, {"alpha": "better", "beta": "worse", "gamma": "fair"}),  # −0.85 < −0.5
    (0.0, {"alpha": "better", "beta": "worse", "gamma": "fair"}),  # d = 0 exactly is on the line: fair
])
def test_value_map_zone_is_better_or_worse_outside_the_band_and_fair_inside(band, zones):
    vmap = score(make_site(method={"fair_value_band": band})).overall
    assert vmap.band == band
    assert {p.slug: p.zone for p in vmap.positions} == zones


def test_value_map_market_comparison_includes_itself_and_centres_on_100():
    vmap = score(make_site(method={"comparison": "market"})).overall
    assert vmap.comparison == "market"
    # s̄ for everyone: setup (8+6+4)/3 = 6, daily (8+6+8)/3 = 22/3, service (9+5+7)/3 = 7; p̄ = 150/3 = 50
    a, b, g = vmap.get("alpha"), vmap.get("beta"), vmap.get("gamma")
    assert (a.price_average, b.price_average, g.price_average) == (approx(50.0), approx(50.0), approx(50.0))
    # alpha: RQ = 100·(.125·8/6 + .375·8·3/22 + .5·9/7) = 100·(1/6 + 9/22 + 9/14)
    #           = 100·(77 + 189 + 297)/462 = 100·563/462 = 121.8615; RP = 100·60/50 = 120; d = 1.8615
    assert (a.relative_quality, a.relative_price, a.customer_value) == (
        approx(121.8615), approx(120.0), approx(1.8615))
    # justified = 121.8615·50/100 = 60.9307; headroom = 0.9307
    assert (a.justified_price, a.headroom) == (approx(60.9307), approx(0.9307))
    # beta: RQ = 100·(.125·6/6 + .375·6·3/22 + .5·5/7) = 100·(1/8 + 27/88 + 5/14)
    #          = 100·(77 + 189 + 220)/616 = 100·486/616 = 78.8961; RP = 80; d = −1.1039
    assert (b.relative_quality, b.relative_price, b.customer_value) == (
        approx(78.8961), approx(80.0), approx(-1.1039))
    # gamma: RQ = 100·(.125·4/6 + .375·8·3/22 + .5·7/7) = 100·(11 + 54 + 66)/132 = 100·131/132 = 99.2424
    assert (g.relative_quality, g.relative_price, g.customer_value) == (
        approx(99.2424), approx(100.0), approx(-0.7576))
    # centroid: (121.8615 + 78.8961 + 99.2424)/3 = 300/3 = 100; (120 + 80 + 100)/3 = 100
    assert sum(p.relative_quality for p in vmap.positions) == approx(300.0)
    assert sum(p.relative_price for p in vmap.positions) == approx(300.0)
    assert [p.slug for p in vmap.positions] == ["alpha", "gamma", "beta"]  # 1.86 > −0.76 > −1.10


def test_value_map_slope_line_goes_through_the_market_centroid_100_100():
    site = make_site(method={"comparison": "market", "fair_value_line": "slope", "slope": 2.0})
    vmap = score(site).overall
    # centroid (100, 100) (previous test): RP_line = 100 + 2·(RQ − 100) = 2·RQ − 100
    assert (vmap.line.method, vmap.line.intercept, vmap.line.slope) == ("slope", approx(-100.0), approx(2.0))
    a, b, g = vmap.get("alpha"), vmap.get("beta"), vmap.get("gamma")
    # alpha: line = 2·121.8615 − 100 = 143.7229; d = 143.7229 − 120 = 23.7229
    assert (a.line_price, a.customer_value) == (approx(143.7229), approx(23.7229))
    # justified = 143.7229·50/100 = 71.8615; headroom = 11.8615
    assert (a.justified_price, a.headroom) == (approx(71.8615), approx(11.8615))
    assert a.perpendicular == approx(10.6092)  # 23.7229 / √(1 + 2²) = 23.7229 / 2.236068
    # beta: line = 2·78.8961 − 100 = 57.7922; d = 57.7922 − 80 = −22.2078; justified 28.8961; headroom −11.1039
    assert (b.line_price, b.customer_value, b.justified_price, b.headroom) == (
        approx(57.7922), approx(-22.2078), approx(28.8961), approx(-11.1039))
    # gamma: line = 2·99.2424 − 100 = 98.4848; d = −1.5152
    assert (g.line_price, g.customer_value) == (approx(98.4848), approx(-1.5152))
    assert {p.slug: p.zone for p in vmap.positions} == {"alpha": "better", "beta": "worse", "gamma": "fair"}


def test_value_map_slope_line_under_others_goes_through_the_centroid_not_100_100():
    vmap = score(make_site(method={"fair_value_line": "slope", "slope": 2.0})).overall
    # centroid: RQ (137.857143 + 71.875 + 100)/3 = 103.244048; RP (133.333333 + 72.727273 + 100)/3 = 102.020202
    # intercept = 102.020202 − 2·103.244048 = −104.467893
    assert vmap.line.intercept == approx(-104.4679)
    # alpha: line = −104.467893 + 2·137.857143 = 171.246393; d = 171.246393 − 133.333333 = 37.9131
    assert vmap.get("alpha").customer_value == approx(37.9131)


def test_value_map_line_below_zero_is_floored_for_distance_and_justified_price():
    site = make_site(method={"comparison": "market", "fair_value_line": "slope", "slope": 5.0})
    vmap = score(site).overall
    # line: RP = 100 + 5·(RQ − 100) = 5·RQ − 400
    b = vmap.get("beta")
    # beta: 5·78.8961 − 400 = −5.5195 → floored to 0; d = 0 − 80 = −80; justified = 0·50/100 = 0
    assert b.line_price == 0.0
    assert (b.customer_value, b.justified_price, b.headroom, b.headroom_pct) == (
        approx(-80.0), 0.0, approx(-40.0), approx(-100.0))
    a = vmap.get("alpha")
    # alpha: 5·121.8615 − 400 = 209.3074; d = 89.3074; justified = 104.6537; headroom = 44.6537 (not floored)
    assert (a.line_price, a.customer_value, a.justified_price, a.headroom) == (
        approx(209.3074), approx(89.3074), approx(104.6537), approx(44.6537))


def test_value_map_regression_line_is_least_squares_of_price_on_quality():
    vmap = score(make_site(method={"fair_value_line": "regression"})).overall
    # points (RQ, RP): alpha (137.857143, 133.333333), beta (71.875, 72.727273), gamma (100, 100)
    # x̄ = 309.732143/3 = 103.244048; ȳ = 306.060606/3 = 102.020202
    # deviations: alpha (34.613095, 31.313131), beta (−31.369048, −29.292929), gamma (−3.244048, −2.020202)
    # Sxx = 1198.066362 + 984.017149 + 10.523845 = 2192.607355
    # Sxy = 1083.844396 + 918.891294 + 6.553632 = 2009.289322
    # slope = 2009.289322 / 2192.607355 = 0.916393; intercept = 102.020202 − 0.916393·103.244048 = 7.408113
    assert (vmap.line.method, vmap.line.fallback) == ("regression", "")
    assert vmap.line.slope == pytest.approx(0.916393, rel=1e-6)
    assert vmap.line.intercept == pytest.approx(7.408113, rel=1e-6)
    a, b, g = vmap.get("alpha"), vmap.get("beta"), vmap.get("gamma")
    # alpha: line = 7.408113 + 0.916393·137.857143 = 133.739389; d = 133.739389 − 133.333333 = 0.406056
    assert (a.line_price, a.customer_value) == (approx(133.7394), approx(0.4061))
    # justified = 133.739389·45/100 = 60.182725; headroom = 0.182725
    assert (a.justified_price, a.headroom) == (approx(60.1827), approx(0.1827))
    # beta: line = 7.408113 + 0.916393·71.875 = 73.273837; d = 73.273837 − 72.727273 = 0.546564
    assert (b.line_price, b.customer_value) == (approx(73.2738), approx(0.5466))
    assert b.justified_price == approx(40.3006)  # 73.273837·55/100
    # gamma: line = 7.408113 + 91.639268 = 99.047381; d = −0.952619; justified = 49.523690
    assert (g.line_price, g.customer_value, g.justified_price) == (approx(99.0474), approx(-0.9526), approx(49.5237))
    # ranking by customer value: beta 0.5466 > alpha 0.4061 > gamma −0.9526
    assert [p.slug for p in vmap.positions] == ["beta", "alpha", "gamma"]


def test_value_map_regression_with_every_price_equal_falls_back_to_the_diagonal_as_flat():
    companies = {"alpha": make_company("Alpha", 50, 8, 8, 9), "beta": make_company("Beta", 50, 6, 6, 5),
                 "gamma": make_company("Gamma", 50, 4, 8, 7)}
    vmap = score(make_site(method={"fair_value_line": "regression"}), companies).overall
    # every RP = 100 → slope 0 → diagonal, fallback "flat"
    assert (vmap.line.method, vmap.line.intercept, vmap.line.slope, vmap.line.fallback) == (
        "regression", 0.0, 1.0, "flat")
    # alpha: RQ 137.8571 (prices do not change quality); d = 137.8571 − 100 = 37.8571
    assert vmap.get("alpha").customer_value == approx(37.8571)


def test_value_map_regression_with_two_companies_falls_back_to_the_diagonal():
    site = make_site(method={"fair_value_line": "regression"})
    companies = {k: v for k, v in market().items() if k != "gamma"}
    scores = {slug: sc.company_scores(site, slug, c) for slug, c in companies.items()}
    prices = {slug: quotes.quote_at(c, site, site.price_reference, "external", D) for slug, c in companies.items()}
    names = {slug: c.name for slug, c in companies.items()}
    vmap = sc.value_map(site, scores, prices, sc.overall_scenario(site), names)
    assert (vmap.line.method, vmap.line.intercept, vmap.line.slope, vmap.line.fallback) == (
        "regression", 0.0, 1.0, "too-few")
    a, b = vmap.get("alpha"), vmap.get("beta")
    # each is compared with the other one alone
    # alpha: RQ = 100·(.125·8/6 + .375·8/6 + .5·9/5) = 100·(.5·4/3 + .9) = 156.6667; RP = 100·60/40 = 150
    assert (a.relative_quality, a.relative_price, a.customer_value) == (
        approx(156.6667), approx(150.0), approx(6.6667))
    assert (a.justified_price, a.headroom) == (approx(62.6667), approx(2.6667))  # 156.6667·40/100
    # beta: RQ = 100·(.125·6/8 + .375·6/8 + .5·5/9) = 100·(.375 + .277778) = 65.2778; RP = 100·40/60 = 66.6667
    assert (b.relative_quality, b.relative_price, b.customer_value) == (
        approx(65.2778), approx(66.6667), approx(-1.3889))
    assert (a.zone, b.zone) == ("better", "fair")  # 6.67 > 5; |−1.39| ≤ 5
    assert [p.rank for p in (a, b)] == [1, 2]


def test_value_map_ties_are_broken_by_casefolded_name_then_slug():
    # identical companies: everyone RQ = 100, RP = 100, d = 0 → order by name.casefold(), then slug
    companies = {"xen": make_company("Charlie", 50, 7, 7, 7), "yak": make_company("bravo", 50, 7, 7, 7),
                 "zed": make_company("alpha", 50, 7, 7, 7), "abc": make_company("ALPHA", 50, 7, 7, 7)}
    vmap = score(make_site(us="zed"), companies).overall
    assert all(p.customer_value == approx(0.0) for p in vmap.positions)
    # "alpha" = "ALPHA" casefolded → slug abc < zed; then bravo, then Charlie (a case-sensitive sort would
    # put "ALPHA" and "Charlie" first)
    assert [p.slug for p in vmap.positions] == ["abc", "zed", "yak", "xen"]


# --- ranking by ratio -----------------------------------------------------------------------------------

def ratio_market() -> dict[str, m.Company]:
    # one score everywhere: a 9 at 50, b 3 at 10, c 6 at 60
    return {"a": make_company("A", 50, 9, 9, 9), "b": make_company("B", 10, 3, 3, 3),
            "c": make_company("C", 60, 6, 6, 6)}


def test_rank_by_distance_and_by_ratio_can_disagree():
    # a: s̄ (3+6)/2 = 4.5 → RQ 200; p̄ (10+60)/2 = 35 → RP 142.8571; d = 57.1429; ratio 1.4
    # b: s̄ (9+6)/2 = 7.5 → RQ 40;  p̄ (50+60)/2 = 55 → RP 18.1818;  d = 21.8182; ratio 2.2
    # c: s̄ (9+3)/2 = 6   → RQ 100; p̄ (50+10)/2 = 30 → RP 200;      d = −100;    ratio 0.5
    vmap = score(make_site(us="a"), ratio_market()).overall
    assert {p.slug: (p.relative_quality, p.relative_price, p.customer_value, p.ratio) for p in vmap.positions} == {
        "a": (approx(200.0), approx(142.8571), approx(57.1429), approx(1.4)),
        "b": (approx(40.0), approx(18.1818), approx(21.8182), approx(2.2)),
        "c": (approx(100.0), approx(200.0), approx(-100.0), approx(0.5)),
    }
    assert [p.slug for p in vmap.positions] == ["a", "b", "c"]  # distance (default)
    vmap = score(make_site(method={"rank_by": "ratio"}, us="a"), ratio_market()).overall
    assert vmap.rank_by == "ratio"
    assert [p.slug for p in vmap.positions] == ["b", "a", "c"]  # 2.2 > 1.4 > 0.5
    assert [p.rank for p in vmap.positions] == [1, 2, 3]


# --- free offers and unplaced companies -----------------------------------------------------------------

def test_free_company_against_paid_ones_is_placed_at_price_zero_without_ratio():
    companies = market()
    companies["beta"] = make_company("Beta", 0, 6, 6, 5)
    vmap = score(make_site(), companies).overall
    b = vmap.get("beta")
    # beta: RQ 71.875 (quality unchanged); p̄ = (60 + 50)/2 = 55; RP = 0; d = 71.875 − 0
    # justified = 71.875·55/100 = 39.53125; headroom = 39.53125 − 0
    assert (b.relative_quality, b.relative_price, b.customer_value) == (approx(71.875), 0.0, approx(71.875))
    assert (b.justified_price, b.headroom) == (approx(39.5313), approx(39.5313))
    assert (b.ratio, b.headroom_pct) == (None, None)
    assert b.zone == "better"
    # alpha: p̄ = (0 + 50)/2 = 25 → RP 240; d = 137.8571 − 240 = −102.1429
    # gamma: p̄ = (60 + 0)/2 = 30 → RP 166.6667; d = 100 − 166.6667 = −66.6667
    assert (vmap.get("alpha").relative_price, vmap.get("alpha").customer_value) == (
        approx(240.0), approx(-102.1429))
    assert (vmap.get("gamma").relative_price, vmap.get("gamma").customer_value) == (
        approx(166.6667), approx(-66.6667))
    assert [p.slug for p in vmap.positions] == ["beta", "gamma", "alpha"]


def test_rank_by_ratio_puts_a_free_offer_first():
    companies = market()
    companies["beta"] = make_company("Beta", 0, 6, 6, 5)
    vmap = score(make_site(method={"rank_by": "ratio"}), companies).overall
    # beta free (no finite ratio) first; gamma 100/166.6667 = 0.6 > alpha 137.8571/240 = 0.5744
    assert [p.slug for p in vmap.positions] == ["beta", "gamma", "alpha"]
    assert (vmap.get("gamma").ratio, vmap.get("alpha").ratio) == (approx(0.6), approx(0.5744))


def test_company_whose_competitors_are_all_free_is_unplaced_free_comparison():
    companies = {"alpha": make_company("Alpha", 50, 8, 8, 9), "beta": make_company("Beta", 0, 6, 6, 5),
                 "gamma": make_company("Gamma", 0, 4, 8, 7)}
    vmap = score(make_site(), companies).overall
    assert vmap.unplaced == (sc.Unplaced("alpha", "Alpha", True, "free-comparison"),)
    assert vmap.get("alpha") is None
    # beta: RQ 71.875; p̄ = (50 + 0)/2 = 25; RP 0; d = 71.875; justified = 71.875·25/100 = 17.96875
    # gamma: RQ 100; p̄ 25; RP 0; d = 100; justified 25
    b, g = vmap.get("beta"), vmap.get("gamma")
    assert (b.relative_quality, b.relative_price, b.customer_value, b.justified_price) == (
        approx(71.875), 0.0, approx(71.875), approx(17.9688))
    assert (g.relative_quality, g.customer_value, g.justified_price, g.headroom) == (
        approx(100.0), approx(100.0), approx(25.0), approx(25.0))
    assert [p.slug for p in vmap.positions] == ["gamma", "beta"]


def test_company_without_comparable_plan_is_unplaced_no_price():
    companies = market()
    companies["delta"] = m.Company.model_validate({
        "name": "Delta", "prices": [{"plan": "Big", "tier": "enterprise", "price": 90}],
        "scores": {"usability": {"setup": 8, "daily-use": 8}, "service": 9}})
    vmap = score(make_site(), companies).overall
    assert vmap.unplaced == (sc.Unplaced("delta", "Delta", False, "no-price"),)
    assert vmap.get("delta") is None
    # delta's scores (known) still count in the quality averages, its price (none comparable) does not:
    # alpha: setup (6+4+8)/3 = 6, daily (6+8+8)/3 = 22/3, service (5+7+9)/3 = 7
    #        RQ = 100·(1/6 + 9/22 + 9/14) = 100·563/462 = 121.8615; p̄ = (40 + 50)/2 = 45 → RP 133.3333
    a = vmap.get("alpha")
    assert (a.relative_quality, a.relative_price) == (approx(121.8615), approx(133.3333))


def test_company_without_any_known_score_is_unplaced_no_known_score():
    companies = market()
    companies["delta"] = make_company("Delta", 50, 1, 1, 1).model_copy(update={"scores": {}})
    vmap = score(make_site(), companies).overall
    assert vmap.unplaced == (sc.Unplaced("delta", "Delta", False, "no-known-score"),)
    # delta's quality counts nowhere: alpha's RQ stays 137.8571;
    # its price does count: alpha p̄ = (40 + 50 + 50)/3 = 46.6667 → RP = 100·60/46.6667 = 128.5714
    a = vmap.get("alpha")
    assert (a.relative_quality, a.relative_price) == (approx(137.8571), approx(128.5714))


def test_company_whose_known_scores_cannot_be_compared_is_unplaced_no_comparable_score():
    # delta knows only service, and every other company scores service 0: no finite ratio, no relative quality
    # — its scores are known, so the reason is not "no known score"
    companies = {"alpha": make_company("Alpha", 50, 7, 7, 0), "beta": make_company("Beta", 40, 6, 6, 0),
                 "delta": m.Company.model_validate({
                     "name": "Delta", "prices": [{"plan": "Basic", "tier": "standard", "price": 45,
                                                  "seats": {"min": 1}}], "scores": {"service": 4}})}
    vmap = score(make_site(), companies).overall
    assert vmap.unplaced == (sc.Unplaced("delta", "Delta", False, "no-comparable-score"),)
    # where lower is better, a score of 0 has no finite ratio either (the average ÷ 0)
    site = plain_site([{"id": "speed", "label": "Speed", "weight": 1, "criteria": [
        {"id": "wait", "label": "Wait", "weight": 1, "unit": "minutes", "better": "lower"}]}])
    vmap = score(site, {"a": company("A", {"speed": {"wait": 5}}), "b": company("B", {"speed": {"wait": 0}}),
                        "c": company("C", {"speed": {"wait": 10}})}).overall
    assert vmap.unplaced == (sc.Unplaced("b", "B", False, "no-comparable-score"),)


def test_point_with_comparison_average_zero_is_left_out_with_its_weight():
    companies = {"alpha": make_company("Alpha", 50, 7, 7, 4), "beta": make_company("Beta", 50, 7, 7, 0),
                 "gamma": make_company("Gamma", 50, 7, 7, 0)}
    vmap = score(make_site(), companies).overall
    a, b = vmap.get("alpha"), vmap.get("beta")
    # alpha: service s̄ = (0 + 0)/2 = 0 → no ratio; setup 7/7, daily 7/7
    #        RQ = 100·(.125·1 + .375·1)/(.125 + .375) = 100; known share .5
    assert (a.relative_quality, a.known, a.partial) == (approx(100.0), approx(0.5), True)
    # beta: service s̄ = (4 + 0)/2 = 2 → ratio 0/2 = 0; RQ = 100·(.125 + .375 + .5·0) = 50; known share 1
    assert (b.relative_quality, b.known, b.partial) == (approx(50.0), approx(1.0), False)


def test_comparison_averages_use_only_the_companies_whose_value_is_known():
    companies = market()
    companies["gamma"] = m.Company.model_validate({
        "name": "Gamma", "prices": [{"plan": "Basic", "tier": "standard", "price": 50}],
        "scores": {"usability": {"setup": 4, "daily-use": 8}}})  # no service score
    vmap = score(make_site(), companies).overall
    # alpha: service s̄ = beta's 5 alone → 9/5; RQ = 100·(.125·8/5 + .375·8/7 + .5·9/5) = 20 + 42.8571 + 90
    # beta:  service s̄ = alpha's 9 alone → 5/9; RQ = 100·(.125·1 + .375·6/8 + .5·5/9) = 12.5 + 28.125 + 27.7778
    # gamma: service unknown → RQ = 100·(.125·4/7 + .375·8/7)/.5 = 100·(3.5/7)/.5 = 100; known share .5
    g = vmap.get("gamma")
    assert vmap.get("alpha").relative_quality == approx(152.8571)
    assert vmap.get("beta").relative_quality == approx(68.4028)
    assert (g.relative_quality, g.known, g.partial) == (approx(100.0), approx(0.5), True)
    assert g.value_score == approx(7.0)  # usability 7 alone (service unknown, weight redistributed)


def test_an_unknown_score_widens_the_range_from_the_lowest_to_the_highest_value_of_the_scale():
    """The methodology's promise: "relative quality is drawn as a range, each unknown score anywhere from
    {min} to {max} on the scale" — averages held (the known values'), known scores without spread here."""
    site = plain_site([{"id": "x", "label": "X", "weight": 1}, {"id": "y", "label": "Y", "weight": 1}],
                      verification={"allow_missing": True, "default_uncertainty": 0})
    companies = {"a": company("A", {"x": 4}), "b": company("B", {"x": 4, "y": 6}), "c": company("C", {"x": 4, "y": 6})}
    a = score(site, companies).overall.get("a")
    # x: 4 / 4 = 1 (exactly, no spread); y unknown: its average is the known values' (6 + 6)/2 = 6
    # RQ on the known only = 100·(.5·1)/.5 = 100
    assert (a.relative_quality, a.known) == (approx(100.0), approx(0.5))
    # y = 0 → ratio 0:     100·(.5·1 + .5·0)     = 50
    # y = 10 → ratio 10/6: 100·(.5·1 + .5·10/6) = 50 + 83.3333 = 133.3333
    assert (a.rq_low, a.rq_high) == (approx(50.0), approx(133.3333))
    # a company with every score known and no spread has no range at all
    b = score(site, companies).overall.get("b")
    assert b.rq_low == approx(b.relative_quality) == approx(b.rq_high)


def test_an_unknown_score_compared_with_the_whole_market_counts_itself_in_the_average_at_each_end():
    """comparison: market — a known score is compared with the market's average, itself included; so is an
    unknown one at each end of the scale (the audit moves it the same way), not with the others' alone."""
    site = plain_site([{"id": "x", "label": "X", "weight": 1}, {"id": "y", "label": "Y", "weight": 1}],
                      method={"comparison": "market"},
                      verification={"allow_missing": True, "default_uncertainty": 0})
    companies = {"a": company("A", {"x": 4}), "b": company("B", {"x": 4, "y": 6}), "c": company("C", {"x": 4, "y": 6})}
    a = score(site, companies).overall.get("a")
    # x: 4 / ((4 + 4 + 4)/3) = 1; RQ on the known only = 100
    assert a.relative_quality == approx(100.0)
    # y = 0:  average (6 + 6 + 0)/3 = 4 → ratio 0          → 100·(.5·1 + .5·0)        = 50
    # y = 10: average (6 + 6 + 10)/3 = 7.3333 → 10/7.3333 → 100·(.5·1 + .5·1.363636) = 118.1818
    assert (a.rq_low, a.rq_high) == (approx(50.0), approx(118.1818))


# --- optional price reference ---------------------------------------------------------------------------

def test_without_price_reference_each_single_plan_is_compared_and_several_plans_are_not():
    site = make_site(price_reference=None, segments=[])
    scores = {"usability": {"setup": 4, "daily-use": 8}, "service": 7}
    companies = {
        "alpha": company("Alpha", {"usability": {"setup": 8, "daily-use": 8}, "service": 9}, price=60),
        "beta": company("Beta", {"usability": {"setup": 6, "daily-use": 6}, "service": 5}, price=40),
        "gamma": m.Company.model_validate({"name": "Gamma", "scores": scores,
                                           "prices": [{"plan": "S", "price": 50}, {"plan": "L", "price": 80}]}),
    }
    vmap = score(site, companies).overall
    assert vmap.scenario.reference is None
    assert vmap.unplaced == (sc.Unplaced("gamma", "Gamma", False, "no-price"),)
    a, b = vmap.get("alpha"), vmap.get("beta")
    # quality still counts gamma: alpha RQ 137.8571, beta RQ 71.875 (module docstring)
    # prices: alpha p̄ = 40 (beta alone) → RP 150; beta p̄ = 60 → RP 66.6667
    assert (a.plan, a.relative_quality, a.relative_price) == ("Only", approx(137.8571), approx(150.0))
    assert (b.relative_quality, b.relative_price) == (approx(71.875), approx(66.6667))


# --- the five-attribute textbook case -------------------------------------------------------------------

TEXTBOOK_DIMENSIONS = [{"id": "quality", "label": "Quality", "weight": 1, "criteria": [
    {"id": f"q{i}", "label": f"Attribute {i}", "weight": w} for i, w in enumerate([30, 25, 20, 15, 10], 1)]}]


def textbook_market() -> dict[str, m.Company]:
    def crit(*values):
        return {"quality": {f"q{i}": v for i, v in enumerate(values, 1)}}
    return {"us": company("Us", crit(8, 9, 6, 7, 5), price=60),
            "b": company("B", crit(4, 5, 7, 6, 3), price=40),
            "c": company("C", crit(6, 7, 9, 8, 5), price=50)}


def test_textbook_five_attributes_per_criterion_is_the_weighted_sum_of_ratios():
    vmap = score(plain_site(TEXTBOOK_DIMENSIONS, us="us"), textbook_market()).overall
    us = vmap.get("us")
    # weights .30 .25 .20 .15 .10; competitors' averages (b, c): 5, 6, 8, 7, 4
    # RQ = 100·(.30·8/5 + .25·9/6 + .20·6/8 + .15·7/7 + .10·5/4)
    #    = 100·(.48 + .375 + .15 + .15 + .125) = 100·1.28 = 128
    assert us.relative_quality == approx(128.0)
    # p̄ = (40 + 50)/2 = 45 → RP = 133.3333; d = 128 − 133.3333 = −5.3333 → worse (band 5)
    assert (us.relative_price, us.customer_value, us.zone) == (approx(133.3333), approx(-5.3333), "worse")


def test_textbook_five_attributes_quality_ratio_dimension_is_the_ratio_of_weighted_means():
    vmap = score(plain_site(TEXTBOOK_DIMENSIONS, {"quality_ratio": "dimension"}, us="us"),
                 textbook_market()).overall
    us = vmap.get("us")
    # us: .30·8 + .25·9 + .20·6 + .15·7 + .10·5 = 2.4 + 2.25 + 1.2 + 1.05 + .5 = 7.4
    # b:  .30·4 + .25·5 + .20·7 + .15·6 + .10·3 = 1.2 + 1.25 + 1.4 + .9 + .3 = 5.05
    # c:  .30·6 + .25·7 + .20·9 + .15·8 + .10·5 = 1.8 + 1.75 + 1.8 + 1.2 + .5 = 7.05
    # RQ = 100·7.4 / ((5.05 + 7.05)/2) = 100·7.4/6.05 = 122.3140  (≠ 128 above)
    assert us.relative_quality == approx(122.3140)
    # d = 122.3140 − 133.3333 = −11.0193
    assert us.customer_value == approx(-11.0193)


# --- lower is better, measured criteria, relative input -------------------------------------------------

SPEED_DIMENSIONS = [{"id": "speed", "label": "Speed", "weight": 1, "criteria": [
    {"id": "first-reply", "label": "First reply", "better": "lower", "unit": "minutes"},
    {"id": "tone", "label": "Tone"}]}]


def speed_market(a_reply: float = 30) -> dict[str, m.Company]:
    return {"a": company("A", {"speed": {"first-reply": a_reply, "tone": 8}}),
            "b": company("B", {"speed": {"first-reply": 60, "tone": 6}}),
            "c": company("C", {"speed": {"first-reply": 90, "tone": 7}})}


def test_lower_is_better_ratio_is_average_over_own_and_measured_counts_in_rq():
    ms = score(plain_site(SPEED_DIMENSIONS), speed_market())
    pts = sc.points(plain_site(SPEED_DIMENSIONS))
    assert [(p.criterion, p.better, p.unit, p.on_scale) for p in pts] == [
        ("first-reply", "lower", "minutes", False), ("tone", "higher", None, True)]
    vmap = ms.overall
    # every price 50 → RP 100
    # a: first-reply s̄ (60 + 90)/2 = 75 → 75/30 = 2.5; tone s̄ (6 + 7)/2 = 6.5 → 8/6.5 = 1.230769
    #    RQ = 100·(.5·2.5 + .5·1.230769) = 125 + 61.5385 = 186.5385
    # b: first-reply s̄ (30 + 90)/2 = 60 → 60/60 = 1; tone s̄ (8 + 7)/2 = 7.5 → .8; RQ = 100·(.5 + .4) = 90
    # c: first-reply s̄ (30 + 60)/2 = 45 → 45/90 = .5; tone s̄ (8 + 6)/2 = 7 → 1; RQ = 100·(.25 + .5) = 75
    assert {p.slug: p.relative_quality for p in vmap.positions} == {
        "a": approx(186.5385), "b": approx(90.0), "c": approx(75.0)}
    # the measured criterion is not on the scale: dimension score = tone alone
    assert {s: c.value("speed") for s, c in ms.companies.items()} == {"a": 8.0, "b": 6.0, "c": 7.0}
    assert {p.slug: p.value_score for p in vmap.positions} == {"a": 8.0, "b": 6.0, "c": 7.0}


def test_lower_is_better_with_own_value_zero_has_no_ratio_and_its_weight_is_redistributed():
    vmap = score(plain_site(SPEED_DIMENSIONS), speed_market(a_reply=0)).overall
    a, b, c = vmap.get("a"), vmap.get("b"), vmap.get("c")
    # a: first-reply 0 → no ratio; RQ = 100·(.5·8/6.5)/.5 = 123.0769; known share .5
    assert (a.relative_quality, a.known, a.partial) == (approx(123.0769), approx(0.5), True)
    # b: first-reply s̄ (0 + 90)/2 = 45 → 45/60 = .75; RQ = 100·(.5·.75 + .5·.8) = 77.5
    # c: first-reply s̄ (0 + 60)/2 = 30 → 30/90 = 1/3; RQ = 100·(.5/3 + .5·1) = 66.6667
    assert (b.relative_quality, c.relative_quality) == (approx(77.5), approx(66.6667))


RELATIVE_DIMENSIONS = [{"id": "mpq", "label": "Market-perceived quality", "weight": 1, "input": "relative"},
                       {"id": "service", "label": "Service", "weight": 1}]


def relative_market() -> dict[str, m.Company]:
    return {"a": company("A", {"mpq": 120, "service": 8}), "b": company("B", {"mpq": 90, "service": 6}),
            "c": company("C", {"mpq": 100, "service": 7})}


@pytest.mark.parametrize("comparison, expected", [
    # others: service s̄ a (6+7)/2 = 6.5, b (8+7)/2 = 7.5, c (8+6)/2 = 7
    #   a = 100·(.5·1.2 + .5·8/6.5) = 60 + 61.5385; b = 100·(.5·.9 + .5·6/7.5) = 45 + 40; c = 50 + 50
    ("others", {"a": 121.5385, "b": 85.0, "c": 100.0}),
    # market: service s̄ = 7 for all; mpq ratio unchanged (s/100)
    #   a = 60 + 50·8/7 = 60 + 57.1429; b = 45 + 50·6/7 = 45 + 42.8571; c = 50 + 50
    ("market", {"a": 117.1429, "b": 87.8571, "c": 100.0}),
])
def test_relative_input_is_used_as_the_ratio_whatever_the_comparison(comparison, expected):
    ms = score(plain_site(RELATIVE_DIMENSIONS, {"comparison": comparison}), relative_market())
    assert {p.slug: p.relative_quality for p in ms.overall.positions} == {k: approx(v) for k, v in expected.items()}
    # the index is kept as the dimension's value, but not in the value score on the scale (service alone)
    assert ms.companies["a"].value("mpq") == approx(120.0)
    assert {p.slug: p.value_score for p in ms.overall.positions} == {"a": 8.0, "b": 6.0, "c": 7.0}


# --- the audience: internal evidence never reaches an external number -----------------------------------

def canary_market(canary: float) -> dict[str, m.Company]:
    companies = market()
    alpha = m.Company.model_validate({
        "name": "Alpha", "prices": [{"plan": "Basic", "tier": "standard", "price": 60}],
        "scores": {"usability": {"setup": {"evidence": [{"source": "internal-metric", "value": canary,
                                                          "date": D, "internal": True}]},
                                 "daily-use": 8},
                   "service": {"value": 9, "evidence": [{"source": "internal-metric", "value": canary,
                                                         "date": D, "internal": True}]}}})
    companies["alpha"] = alpha
    return companies


def test_external_audience_numbers_do_not_depend_on_internal_evidence():
    external = score(make_site(), canary_market(3.1416), sc.EXTERNAL)
    assert external.audience == "external"
    assert external == score(make_site(), canary_market(7.77), sc.EXTERNAL)  # changing the canary: no change
    alpha = external.companies["alpha"]
    # setup: only internal evidence → unknown; service: explicit value 9 stays, its evidence hidden
    assert (alpha.point("usability", "setup").value, alpha.point("usability", "setup").hidden) == (None, 1)
    assert (alpha.point("service", None).value, alpha.point("service", None).evidence) == (9.0, ())
    assert alpha.value("usability") == approx(8.0)  # daily-use alone
    vmap = external.overall
    a, b, g = vmap.get("alpha"), vmap.get("beta"), vmap.get("gamma")
    # alpha: daily 8/7, service 9/6, setup left out: RQ = 100·(.375·8/7 + .5·1.5)/.875
    #        = 100·(3/7 + 3/4)/(7/8) = 100·(33/28)·(8/7) = 100·66/49 = 134.6939; known share .875
    assert (a.relative_quality, a.known, a.partial) == (approx(134.6939), approx(0.875), True)
    assert a.value_score == approx(8.5)  # .5·8 + .5·9
    # beta: setup s̄ = gamma's 4 alone → 6/4; RQ = 100·(.125·1.5 + .375·6/8 + .5·5/8) = 18.75 + 28.125 + 31.25
    assert b.relative_quality == approx(78.125)
    # gamma: setup s̄ = beta's 6 alone → 4/6; RQ = 100·(1/12 + 3/7 + 1/2) = 100·85/84 = 101.1905
    assert g.relative_quality == approx(101.1905)
    assert all(not any(e.internal for t in c.points.values() for e in t.evidence)
               for c in external.companies.values())


def test_internal_audience_sees_internal_evidence():
    internal = score(make_site(), canary_market(3.1416), INTERNAL)
    alpha = internal.companies["alpha"]
    assert alpha.point("usability", "setup").value == approx(3.1416)
    assert len(alpha.point("service", None).evidence) == 1
    # alpha: RQ = 100·(.125·3.1416/5 + .375·8/7 + .5·9/6) = 100·(.07854 + .428571 + .75) = 125.7111
    assert internal.overall.get("alpha").relative_quality == approx(125.7111)
    assert internal != score(make_site(), canary_market(7.77), INTERNAL)


# --- head to head and price comparison ------------------------------------------------------------------

def test_head_to_head_lead_respects_lower_is_better():
    site = plain_site(SPEED_DIMENSIONS)
    ms = score(site, speed_market())
    rows = cmp.head_to_head(site, ms.companies, "a", "b")
    # first-reply: 30 − 60 = −30, lower is better → a ahead; tone: 8 − 6 = 2 → a ahead
    assert [(r.point.criterion, r.a, r.b, r.difference, r.lead) for r in rows] == [
        ("first-reply", 30.0, 60.0, approx(-30.0), 1), ("tone", 8.0, 6.0, approx(2.0), 1)]
    rows = cmp.head_to_head(site, ms.companies, "b", "c")
    # first-reply: 60 − 90 = −30 → b ahead; tone: 6 − 7 = −1 → c ahead
    assert [r.lead for r in rows] == [1, -1]
    # dimension level: speed 8 (tone alone) against 6 → a ahead
    rows = cmp.head_to_head(site, ms.companies, "a", "b", "dimension")
    assert [(r.point.dimension, r.a, r.b, r.difference, r.lead) for r in rows] == [
        ("speed", 8.0, 6.0, approx(2.0), 1)]


def test_head_to_head_level_or_unknown_has_no_lead():
    site = make_site()
    companies = market()
    companies["gamma"] = m.Company.model_validate({
        "name": "Gamma", "prices": [{"plan": "Basic", "tier": "standard", "price": 50}],
        "scores": {"usability": {"setup": 8, "daily-use": 8}}})
    ms = score(site, companies)
    rows = cmp.head_to_head(site, ms.companies, "alpha", "gamma")
    # setup 8 = 8, daily 8 = 8 → level; service 9 against unknown → no difference, no lead
    assert [(r.difference, r.lead) for r in rows] == [(approx(0.0), 0), (approx(0.0), 0), (None, 0)]


def test_price_comparison_is_ours_against_theirs_in_percent():
    vmap = score().overall
    c = cmp.price_comparison(vmap, "alpha", "beta")
    assert c.ours is vmap.get("alpha") and c.theirs is vmap.get("beta")
    assert c.ours_vs_theirs_pct == approx(50.0)  # (60 − 40)/40
    assert cmp.price_comparison(vmap, "alpha", "gamma").ours_vs_theirs_pct == approx(20.0)  # (60 − 50)/50
    assert cmp.price_comparison(vmap, "beta", "alpha").ours_vs_theirs_pct == approx(-33.3333)  # (40 − 60)/60


def test_price_comparison_with_an_unplaced_or_free_competitor_has_no_percentage():
    companies = market()
    companies["beta"] = make_company("Beta", 0, 6, 6, 5)
    vmap = score(make_site(), companies).overall
    assert cmp.price_comparison(vmap, "alpha", "beta").ours_vs_theirs_pct is None  # theirs free
    c = cmp.price_comparison(vmap, "alpha", "nobody")
    assert (c.theirs, c.ours_vs_theirs_pct) == (None, None)


# --- lower is better on the scale; measured criteria never borrow a scale score ----------------------

EFFORT_DIMENSIONS = [{"id": "support", "label": "Support", "weight": 1, "criteria": [
    {"id": "effort", "label": "Customer effort", "better": "lower"},  # on the scale, lower is better
    {"id": "tone", "label": "Tone"}]}]


def effort_market() -> dict[str, m.Company]:
    # a is best on both criteria: least effort (2) and best tone (8)
    return {"a": company("A", {"support": {"effort": 2, "tone": 8}}),
            "b": company("B", {"support": {"effort": 4, "tone": 6}}),
            "c": company("C", {"support": {"effort": 6, "tone": 7}})}


def test_lower_is_better_on_the_scale_per_criterion():
    vmap = score(plain_site(EFFORT_DIMENSIONS), effort_market()).overall
    # a: effort s̄ (4 + 6)/2 = 5 → 5/2 = 2.5; tone 8/6.5 → RQ = 100·(1.25 + .615385) = 186.5385
    assert vmap.get("a").relative_quality == approx(186.5385)


def test_quality_ratio_dimension_respects_lower_is_better_on_the_scale():
    vmap = score(plain_site(EFFORT_DIMENSIONS, {"quality_ratio": "dimension"}), effort_market()).overall
    # effort is lower-is-better on the 0–10 scale: it reads as 10 − s in the dimension score
    # a: (8 + 8)/2 = 8, b: (6 + 6)/2 = 6, c: (4 + 7)/2 = 5.5 → a's RQ = 100·8/((6 + 5.5)/2) = 800/5.75 = 139.1304
    assert vmap.get("a").relative_quality == approx(139.1304)


def test_dimension_scored_as_a_whole_does_not_fill_a_measured_criterion():
    site = plain_site(SPEED_DIMENSIONS)
    a = company("A", {"speed": 8})  # one score on the 0–10 scale for the whole dimension
    s = sc.company_scores(site, "a", a)
    # a scale score of 8 is not 8 minutes: the measured criterion stays unknown
    assert s.point("speed", "first-reply").value is None
