"""Unit tests of generator/score.py with numbers worked out by hand.

Every expected value is a literal; the comment above it shows the arithmetic. Nothing here recomputes a
number with the formula under test.

The market is the one of tests/conftest.py:

    company  price  setup  daily-use  service   usability = .25·setup + .75·daily-use   (criteria 1 : 3)
    alpha      60     8        8         9        .25·8 + .75·8 = 8
    beta       40     6        6         5        .25·6 + .75·6 = 6
    gamma      50     4        8         7        .25·4 + .75·8 = 1 + 6 = 7

    dimension weights: usability .5, service .5 (overall); segment "small": usability 3 : service 1 → .75/.25
"""
from __future__ import annotations

import datetime as dt
import math

import pytest

from generator import model as m
from generator import score as sc

D = dt.date(2026, 10, 1)


def approx(value: float) -> object:
    return pytest.approx(value, abs=1e-4)


# --- builders -------------------------------------------------------------------------------------------

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
        "source_kinds": [
            {"id": "mystery-shopper", "label": "Mystery shopper"},
            {"id": "internal-metric", "label": "Internal metric", "independent": False, "weight": 0.5},
        ],
    }
    if method:
        data["method"] = method
    data.update(overrides)
    return m.Site.model_validate(data)


def make_company(name: str, price: float, setup: float, daily: float, service: float) -> m.Company:
    return m.Company.model_validate({
        "name": name,
        "prices": [{"plan": "Basic", "tier": "standard", "price": price, "seats": {"min": 1}}],
        "scores": {"usability": {"setup": setup, "daily-use": daily}, "service": service},
    })


def market() -> dict[str, m.Company]:
    return {
        "alpha": make_company("Alpha", 60, 8, 8, 9),
        "beta": make_company("Beta", 40, 6, 6, 5),
        "gamma": make_company("Gamma", 50, 4, 8, 7),
    }


def ev(source: str, value: float, **extra) -> m.Evidence:
    return m.Evidence.model_validate({"source": source, "value": value, "date": D, **extra})


KIND_WEIGHTS = {"mystery-shopper": 1.0, "internal-metric": 0.5}


# --- evidence_mean --------------------------------------------------------------------------------------

def test_evidence_mean_weights_sources_by_kind():
    # (1·8 + 0.5·4) / (1 + 0.5) = 10 / 1.5 = 6.6667
    evidence = [ev("mystery-shopper", 8), ev("internal-metric", 4)]
    assert sc.evidence_mean(evidence, KIND_WEIGHTS) == approx(6.6667)


def test_evidence_mean_unknown_kind_counts_fully():
    # an unlisted kind weighs 1: (1·8 + 1·4) / 2 = 6
    evidence = [ev("mystery-shopper", 8), ev("review-site", 4)]
    assert sc.evidence_mean(evidence, KIND_WEIGHTS) == approx(6.0)


def test_evidence_mean_with_all_weights_zero_falls_back_to_plain_mean():
    # weights 0 and 0 → no division by zero; plain mean (8 + 4) / 2 = 6
    evidence = [ev("mystery-shopper", 8), ev("internal-metric", 4)]
    assert sc.evidence_mean(evidence, {"mystery-shopper": 0.0, "internal-metric": 0.0}) == approx(6.0)


def test_evidence_mean_with_one_zero_weight_ignores_that_source():
    # (1·8 + 0·2) / (1 + 0) = 8
    evidence = [ev("mystery-shopper", 8), ev("internal-metric", 2)]
    assert sc.evidence_mean(evidence, {"mystery-shopper": 1.0, "internal-metric": 0.0}) == approx(8.0)


# --- trace ----------------------------------------------------------------------------------------------

def test_trace_of_a_plain_number_is_given():
    t = sc.trace(7, KIND_WEIGHTS)
    assert (t.value, t.given, t.evidence, t.as_of) == (7.0, True, (), None)
    assert isinstance(t.value, float)


def test_trace_given_value_wins_over_evidence():
    # the evidence alone would give (8 + 0.5·4) / 1.5 = 6.6667, but the author wrote 7
    detail = m.ScoreDetail.model_validate({"value": 7.0, "as_of": D, "note": "reviewed",
                                           "evidence": [ev("mystery-shopper", 8), ev("internal-metric", 4)]})
    t = sc.trace(detail, KIND_WEIGHTS)
    assert t.value == approx(7.0)
    assert t.given is True
    assert len(t.evidence) == 2
    assert t.as_of == D and t.note == "reviewed"


def test_trace_evidence_only_computes_the_weighted_mean():
    # (1·9 + 0.5·6) / 1.5 = 12 / 1.5 = 8
    detail = m.ScoreDetail.model_validate({"evidence": [ev("mystery-shopper", 9), ev("internal-metric", 6)]})
    t = sc.trace(detail, KIND_WEIGHTS)
    assert t.value == approx(8.0)
    assert t.given is False
    assert [e.value for e in t.evidence] == [9.0, 6.0]


# --- normalise and scenario weights ---------------------------------------------------------------------

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


# --- dimension_result ------------------------------------------------------------------------------------

def test_dimension_result_weights_criteria():
    usability = make_site().dimensions[0]
    # criteria 1 : 3 → .25·4 + .75·8 = 1 + 6 = 7
    result = sc.dimension_result(usability, {"setup": 4.0, "daily-use": 8.0}, KIND_WEIGHTS)
    assert result.value == approx(7.0)
    assert result.direct is None
    assert {c: t.value for c, t in result.criteria.items()} == {"setup": 4.0, "daily-use": 8.0}


def test_dimension_result_criteria_from_evidence():
    usability = make_site().dimensions[0]
    setup = m.ScoreDetail.model_validate({"evidence": [ev("mystery-shopper", 8), ev("internal-metric", 4)]})
    # setup = (8 + 0.5·4) / 1.5 = 6.6667; usability = .25·6.6667 + .75·8 = 1.6667 + 6 = 7.6667
    result = sc.dimension_result(usability, {"setup": setup, "daily-use": 8.0}, KIND_WEIGHTS)
    assert result.criteria["setup"].value == approx(6.6667)
    assert result.criteria["setup"].given is False
    assert result.value == approx(7.6667)


def test_dimension_result_scored_directly():
    service = make_site().dimensions[1]
    result = sc.dimension_result(service, 9, KIND_WEIGHTS)
    assert result.value == approx(9.0)
    assert result.criteria == {}
    assert result.direct is not None and result.direct.given


def test_company_scores_of_the_fixture_market():
    site = make_site()
    got = {slug: (s.value("usability"), s.value("service"))
           for slug, c in market().items() for s in [sc.company_scores(site, slug, c)]}
    # usability = .25·setup + .75·daily (see the module docstring)
    assert got == {"alpha": (approx(8.0), approx(9.0)), "beta": (approx(6.0), approx(5.0)),
                   "gamma": (approx(7.0), approx(7.0))}


# --- comparison_average ----------------------------------------------------------------------------------

def test_comparison_average_of_the_others():
    values = {"alpha": 8.0, "beta": 6.0, "gamma": 7.0}
    assert sc.comparison_average(values, "alpha", "others") == approx(6.5)  # (6 + 7) / 2
    assert sc.comparison_average(values, "beta", "others") == approx(7.5)  # (8 + 7) / 2
    assert sc.comparison_average(values, "gamma", "others") == approx(7.0)  # (8 + 6) / 2


def test_comparison_average_of_the_market_includes_itself():
    values = {"alpha": 8.0, "beta": 6.0, "gamma": 7.0}
    for slug in values:  # (8 + 6 + 7) / 3 = 7 for everyone
        assert sc.comparison_average(values, slug, "market") == approx(7.0)


def test_comparison_average_of_a_single_company_is_its_own_value():
    assert sc.comparison_average({"alpha": 8.0}, "alpha", "others") == approx(8.0)


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
def test_price_at_picks_the_cheapest_plan_of_the_tier_covering_the_seats(tier, seats, plan, price):
    point = sc.price_at(PLANS, ref(tier, seats))
    assert point is not None
    assert (point.plan, point.price) == (plan, price)


@pytest.mark.parametrize("tier, seats", [("standard", 51), ("enterprise", 10)])
def test_price_at_is_none_when_no_plan_fits(tier, seats):
    assert sc.price_at(PLANS, ref(tier, seats)) is None


# --- fit_line --------------------------------------------------------------------------------------------

def test_fit_line_regression_on_collinear_points():
    # (90, 80), (100, 100), (110, 120): slope 20/10 = 2, intercept 100 − 2·100 = −100
    line = sc.fit_line(m.Method(fair_value_line="regression"), [(90.0, 80.0), (100.0, 100.0), (110.0, 120.0)])
    assert (line.method, line.fallback) == ("regression", False)
    assert line.slope == approx(2.0) and line.intercept == approx(-100.0)
    assert line.price_at(105) == approx(110.0)


def test_fit_line_regression_without_spread_in_quality_falls_back_to_the_diagonal():
    line = sc.fit_line(m.Method(fair_value_line="regression"), [(100.0, 90.0), (100.0, 100.0), (100.0, 120.0)])
    assert (line.intercept, line.slope, line.fallback) == (0.0, 1.0, True)


def test_fit_line_slope_goes_through_100_100():
    # RP = 100 + 1.5·(RQ − 100) = −50 + 1.5·RQ
    line = sc.fit_line(m.Method(fair_value_line="slope", slope=1.5), [])
    assert line.intercept == approx(-50.0) and line.slope == approx(1.5)
    assert line.price_at(100) == approx(100.0)
    assert line.price_at(120) == approx(130.0)


# --- the value map of the 3-company market ---------------------------------------------------------------

def score(site: m.Site | None = None) -> sc.MarketScores:
    site = site or make_site()
    return sc.score_market(site, market())


def test_value_map_overall_diagonal_others():
    vmap = score().overall
    assert (vmap.comparison, vmap.line.method, vmap.band) == ("others", "diagonal", 5.0)
    assert [p.slug for p in vmap.positions] == ["alpha", "gamma", "beta"]  # by customer value 3.2 > 0 > −1.5
    assert [p.rank for p in vmap.positions] == [1, 2, 3]

    a = vmap.get("alpha")
    assert a.is_us
    assert a.value_score == approx(8.5)  # .5·8 + .5·9
    assert a.price == 60 and a.plan == "Basic"
    # s̄ of the others: usability (6 + 7) / 2 = 6.5, service (5 + 7) / 2 = 6
    assert a.quality_average == {"usability": approx(6.5), "service": approx(6.0)}
    # RQ = 100·(.5·8/6.5 + .5·9/6) = 100·(.615385 + .75) = 136.5385
    assert a.relative_quality == approx(136.5385)
    # p̄ = (40 + 50) / 2 = 45; RP = 100·60/45 = 133.3333
    assert a.price_average == approx(45.0)
    assert a.relative_price == approx(133.3333)
    # diagonal: line = RQ; customer value = 136.5385 − 133.3333 = 3.2051
    assert a.line_price == approx(136.5385)
    assert a.customer_value == approx(3.2051)
    assert a.perpendicular == approx(2.2664)  # 3.2051 / √2
    # justified = 136.5385·45/100 = 61.4423; headroom = 61.4423 − 60 = 1.4423 = 2.4038 % of 60
    assert a.justified_price == approx(61.4423)
    assert a.headroom == approx(1.4423)
    assert a.headroom_pct == approx(2.4038)
    assert a.ratio == approx(1.0240)  # 136.5385 / 133.3333
    assert a.zone == "fair"  # |3.2| ≤ 5

    b = vmap.get("beta")
    assert not b.is_us
    assert b.value_score == approx(5.5)  # .5·6 + .5·5
    # s̄: usability (8 + 7) / 2 = 7.5, service (9 + 7) / 2 = 8
    # RQ = 100·(.5·6/7.5 + .5·5/8) = 100·(.4 + .3125) = 71.25
    assert b.relative_quality == approx(71.25)
    # p̄ = (60 + 50) / 2 = 55; RP = 100·40/55 = 72.7273
    assert b.relative_price == approx(72.7273)
    assert b.customer_value == approx(-1.4773)  # 71.25 − 72.7273
    assert b.justified_price == approx(39.1875)  # 71.25·55/100
    assert b.headroom == approx(-0.8125)  # 39.1875 − 40
    assert b.headroom_pct == approx(-2.0313)  # −0.8125 / 40
    assert b.zone == "fair"

    g = vmap.get("gamma")
    # s̄: usability (8 + 6) / 2 = 7, service (9 + 5) / 2 = 7 → RQ = 100·(.5·7/7 + .5·7/7) = 100
    # p̄ = (60 + 40) / 2 = 50 → RP = 100·50/50 = 100
    assert (g.relative_quality, g.relative_price) == (approx(100.0), approx(100.0))
    assert g.customer_value == approx(0.0)
    assert (g.justified_price, g.headroom, g.headroom_pct) == (approx(50.0), approx(0.0), approx(0.0))
    assert g.zone == "fair"


def test_value_map_segment_uses_its_own_weights():
    vmap = score().segments["small"]
    assert vmap.scenario.weights == {"usability": approx(0.75), "service": approx(0.25)}
    assert vmap.scenario.reference == ref("standard", 2)
    # beta:  RQ = 100·(.75·6/7.5 + .25·5/8) = 100·(.6 + .15625) = 75.625; RP = 72.7273; d = +2.8977
    # gamma: RQ = 100·(.75·1 + .25·1) = 100; RP = 100; d = 0
    # alpha: RQ = 100·(.75·8/6.5 + .25·9/6) = 100·(.923077 + .375) = 129.8077; RP = 133.3333; d = −3.5256
    assert [p.slug for p in vmap.positions] == ["beta", "gamma", "alpha"]
    rows = {p.slug: (p.relative_quality, p.relative_price, p.customer_value, p.justified_price, p.headroom)
            for p in vmap.positions}
    assert rows == {
        # justified = RQ·p̄/100: 75.625·.55 = 41.5938, headroom 41.5938 − 40 = 1.5938
        "beta": (approx(75.625), approx(72.7273), approx(2.8977), approx(41.5938), approx(1.5938)),
        "gamma": (approx(100.0), approx(100.0), approx(0.0), approx(50.0), approx(0.0)),
        # 129.8077·.45 = 58.4135, headroom 58.4135 − 60 = −1.5865
        "alpha": (approx(129.8077), approx(133.3333), approx(-3.5256), approx(58.4135), approx(-1.5865)),
    }
    assert vmap.get("alpha").value_score == approx(8.25)  # .75·8 + .25·9


def test_value_map_zone_band():
    # band 1: alpha d = +3.2 > 1 → better; beta d = −1.48 < −1 → worse; gamma d = 0 → fair
    vmap = score(make_site(method={"fair_value_band": 1.0})).overall
    assert {p.slug: p.zone for p in vmap.positions} == {"alpha": "better", "beta": "worse", "gamma": "fair"}
    # band 5 (default): all within ±5 → fair
    assert {p.zone for p in score().overall.positions} == {"fair"}


def test_value_map_market_comparison():
    vmap = score(make_site(method={"comparison": "market"})).overall
    assert vmap.comparison == "market"
    # s̄ = (8 + 6 + 7)/3 = 7 and (9 + 5 + 7)/3 = 7 for everyone; p̄ = (60 + 40 + 50)/3 = 50
    a, b, g = vmap.get("alpha"), vmap.get("beta"), vmap.get("gamma")
    assert a.quality_average == {"usability": approx(7.0), "service": approx(7.0)}
    assert a.price_average == approx(50.0)
    # alpha: RQ = 100·(.5·8 + .5·9)/7 = 850/7 = 121.4286; RP = 100·60/50 = 120; d = 1.4286
    assert (a.relative_quality, a.relative_price, a.customer_value) == (
        approx(121.4286), approx(120.0), approx(1.4286))
    # justified = 121.4286·50/100 = 60.7143; headroom = 0.7143
    assert (a.justified_price, a.headroom) == (approx(60.7143), approx(0.7143))
    # beta: RQ = 100·5.5/7 = 78.5714; RP = 80; d = −1.4286
    assert (b.relative_quality, b.relative_price, b.customer_value) == (
        approx(78.5714), approx(80.0), approx(-1.4286))
    assert (g.relative_quality, g.relative_price) == (approx(100.0), approx(100.0))
    assert [p.slug for p in vmap.positions] == ["alpha", "gamma", "beta"]


def test_value_map_slope_line():
    vmap = score(make_site(method={"fair_value_line": "slope", "slope": 2.0})).overall
    # RP_line = 100 + 2·(RQ − 100) = 2·RQ − 100
    assert (vmap.line.method, vmap.line.intercept, vmap.line.slope) == ("slope", approx(-100.0), approx(2.0))
    a, b, g = vmap.get("alpha"), vmap.get("beta"), vmap.get("gamma")
    # alpha: line = 2·136.5385 − 100 = 173.0769; d = 173.0769 − 133.3333 = 39.7436
    assert (a.line_price, a.customer_value) == (approx(173.0769), approx(39.7436))
    # justified = 173.0769·45/100 = 77.8846; headroom = 17.8846
    assert (a.justified_price, a.headroom) == (approx(77.8846), approx(17.8846))
    assert a.perpendicular == approx(17.7739)  # 39.7436 / √(1 + 2²) = 39.7436 / 2.2361
    # beta: line = 2·71.25 − 100 = 42.5; d = 42.5 − 72.7273 = −30.2273; justified = 42.5·.55 = 23.375
    assert (b.line_price, b.customer_value, b.justified_price, b.headroom) == (
        approx(42.5), approx(-30.2273), approx(23.375), approx(-16.625))
    # gamma sits on (100, 100), which the line goes through
    assert (g.line_price, g.customer_value) == (approx(100.0), approx(0.0))
    assert {p.slug: p.zone for p in vmap.positions} == {"alpha": "better", "beta": "worse", "gamma": "fair"}


def test_value_map_regression_line():
    vmap = score(make_site(method={"fair_value_line": "regression"})).overall
    # points (RQ, RP): alpha (136.538462, 133.333333), beta (71.25, 72.727273), gamma (100, 100)
    # x̄ = 307.788462/3 = 102.596154; ȳ = 306.060606/3 = 102.020202
    # deviations: alpha (33.942308, 31.313131), beta (−31.346154, −29.292929), gamma (−2.596154, −2.020202)
    # Sxx = 1152.080251 + 982.581361 + 6.740015 = 2141.401627
    # Sxy = 1062.839938 + 918.220668 + 5.244755 = 1986.305361
    # slope = 1986.305361 / 2141.401627 = 0.927573; intercept = 102.020202 − 0.927573·102.596154 = 6.854826
    assert vmap.line.method == "regression" and not vmap.line.fallback
    assert vmap.line.slope == pytest.approx(0.927573, rel=1e-6)
    assert vmap.line.intercept == pytest.approx(6.854826, rel=1e-6)
    a, b, g = vmap.get("alpha"), vmap.get("beta"), vmap.get("gamma")
    # alpha: line = 6.854826 + 0.927573·136.538462 = 133.504155; d = 133.504155 − 133.333333 = 0.170821
    assert (a.line_price, a.customer_value) == (approx(133.5042), approx(0.1708))
    # justified = 133.504155·45/100 = 60.076870; headroom = 0.076870
    assert (a.justified_price, a.headroom) == (approx(60.0769), approx(0.0769))
    # beta: line = 6.854826 + 0.927573·71.25 = 72.944370; d = 72.944370 − 72.727273 = 0.217098
    assert (b.line_price, b.customer_value) == (approx(72.9444), approx(0.2171))
    assert b.justified_price == approx(40.1194)  # 72.944370·55/100
    # gamma: line = 6.854826 + 92.757255 = 99.612081; d = −0.387919; justified = 49.8060
    assert (g.line_price, g.customer_value, g.justified_price) == (approx(99.6121), approx(-0.3879), approx(49.8060))
    # ranking by customer value: beta 0.2171 > alpha 0.1708 > gamma −0.3879
    assert [p.slug for p in vmap.positions] == ["beta", "alpha", "gamma"]


def test_value_map_regression_with_two_companies_falls_back_to_the_diagonal():
    site = make_site(method={"fair_value_line": "regression"})
    companies = {k: v for k, v in market().items() if k != "gamma"}
    scores = {slug: sc.company_scores(site, slug, c) for slug, c in companies.items()}
    prices = {slug: sc.price_at(c, site.price_reference) for slug, c in companies.items()}
    vmap = sc.value_map(site, scores, prices, sc.overall_scenario(site), "alpha")
    assert (vmap.line.method, vmap.line.intercept, vmap.line.slope, vmap.line.fallback) == (
        "regression", 0.0, 1.0, True)
    a, b = vmap.get("alpha"), vmap.get("beta")
    # each is compared with the other one alone
    # alpha: RQ = 100·(.5·8/6 + .5·9/5) = 100·(.666667 + .9) = 156.6667; RP = 100·60/40 = 150; d = 6.6667
    assert (a.relative_quality, a.relative_price, a.customer_value) == (
        approx(156.6667), approx(150.0), approx(6.6667))
    assert (a.justified_price, a.headroom) == (approx(62.6667), approx(2.6667))  # 156.6667·40/100
    # beta: RQ = 100·(.5·6/8 + .5·5/9) = 100·(.375 + .277778) = 65.2778; RP = 100·40/60 = 66.6667; d = −1.3889
    assert (b.relative_quality, b.relative_price, b.customer_value) == (
        approx(65.2778), approx(66.6667), approx(-1.3889))
    assert (a.zone, b.zone) == ("better", "fair")  # 6.67 > 5; |−1.39| ≤ 5
    assert [p.rank for p in (a, b)] == [1, 2]


def test_value_map_ties_are_ranked_by_slug():
    # two identical companies and a third: the identical pair has equal customer value → alphabetical
    site = make_site(us="beta")
    companies = {"zeta": make_company("Zeta", 50, 7, 7, 7), "beta": make_company("Beta", 50, 7, 7, 7),
                 "mid": make_company("Mid", 50, 7, 7, 7)}
    vmap = sc.score_market(site, companies).overall
    # everyone: RQ = 100, RP = 100, d = 0
    assert [p.slug for p in vmap.positions] == ["beta", "mid", "zeta"]
    assert all(p.customer_value == approx(0.0) for p in vmap.positions)


def test_value_map_zero_scores_use_the_scale_difference():
    # service: everyone else scored 0 → s̄ = 0; ratio = 1 + (s − s̄)/span = 1 + (4 − 0)/10 = 1.4
    site = make_site()
    companies = {"alpha": make_company("Alpha", 50, 7, 7, 4), "beta": make_company("Beta", 50, 7, 7, 0),
                 "gamma": make_company("Gamma", 50, 7, 7, 0)}
    vmap = sc.score_market(site, companies).overall
    # alpha RQ = 100·(.5·7/7 + .5·1.4) = 100·(.5 + .7) = 120
    assert vmap.get("alpha").relative_quality == approx(120.0)
    # beta: s̄ service = (4 + 0)/2 = 2 → ratio 0/2 = 0; RQ = 100·(.5·1 + .5·0) = 50
    assert vmap.get("beta").relative_quality == approx(50.0)
    assert all(math.isfinite(p.relative_quality) for p in vmap.positions)
