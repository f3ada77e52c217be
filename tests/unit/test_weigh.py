"""Weigh it yourself (generator/views/weigh.py, templates/assets/weigh.js, weighting.weight_model/sensitivity).

The page's data block must let a browser reproduce :func:`generator.score.value_map` for any dimension
weights: here RQ(w) = 100 · Σ w_d·S_d / Σ w_d·K_d is computed from the block exactly as weigh.js does and
compared with ``scenario_map`` for the same weights. Sensitivity is checked on the hand-computed market of
tests/conftest.py.
"""
from __future__ import annotations

import html
import json
import math
import re
from dataclasses import replace
from pathlib import Path

import pytest

from generator import quotes as qu
from generator import score as sc
from generator import weighting
from generator.build import build, check
from generator.diagnostics import Diagnostics

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "content"

WEIGHTS = [  # raw slider values, one per dimension of the sample (usability, personal-approach, practicality,
    # reliability); normalised as the page does
    [30, 30, 25, 15], [100, 0, 0, 0], [0, 100, 0, 0], [10, 20, 30, 40], [1, 1, 1, 1], [55, 5, 0, 40],
]


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("weigh") / "site"
    diagnostics = Diagnostics()
    build(SAMPLE, out, diagnostics)
    assert not diagnostics.has_errors(), diagnostics.sorted()
    checked = check(SAMPLE, Diagnostics())
    return out, checked


def data_block(page: Path) -> dict:
    text = page.read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="weigh-data">(.*?)</script>', text, re.S)
    assert found, "no weigh-data block"
    block = json.loads(found.group(1))
    assert block["data"] and block["layout"]  # the map's figure, as every chart block
    data = block["weigh"]
    data["columns"] = data["companies"]
    data["companies"] = companies_from_columns(data["companies"])
    return data


def companies_from_columns(cols: dict) -> list[dict]:
    """The companies as weigh.js reads them out of the block's columns (its function ``companies``)."""
    out = []
    for i, name in enumerate(cols["name"]):
        slug = cols["slug"][i] if cols["slug"][i] is not None else name.lower().replace(" ", "-")
        out.append({"name": name, "slug": slug, "order": i,
                    "href": cols["href"].get(str(i), f"competitors/{slug}.html"), "us": cols["us"] == i,
                    "price": cols["price"][i], "price_status": cols["price_status"][i],
                    "sums": [d[i] for d in cols["sums"]], "known": [d[i] for d in cols["known"]]})
    return out


def prices_from_block(data: dict, company: dict) -> tuple[float, float]:
    """What weigh.js works out of the block: the comparison-average price and the relative price."""
    prices, own = data["prices"], company["price"]
    if prices["comparison"] == "market":
        average = prices["total"] / prices["count"]
    else:
        average = own if prices["count"] <= 1 else (prices["total"] - own) / (prices["count"] - 1)
    return average, 100 * own / average


def rq_from_block(company: dict, weights: list[float]) -> float | None:
    """What weigh.js computes: 100 · Σ w_d·S_d / Σ w_d·K_d (None: not placed)."""
    num = math.fsum(w * s for w, s in zip(weights, company["sums"]))
    den = math.fsum(w * k for w, k in zip(weights, company["known"]))
    return 100.0 * num / den if den > 0 else None


def test_page_is_planned_linked_and_holds_public_fields_only(sample_site):
    out, checked = sample_site
    page = out / "weigh.html"
    assert page.is_file()
    data = data_block(page)
    assert [d["id"] for d in data["dimensions"]] == [d.id for d in checked.content.site.dimensions]
    cols = data["columns"]
    assert set(cols) == {"name", "slug", "price", "price_status", "estimate", "sums", "known", "href", "us"}
    n = len(cols["name"])
    assert all(len(cols[k]) == n for k in ("slug", "price", "price_status"))
    assert len(cols["sums"]) == len(cols["known"]) == len(data["dimensions"])
    assert all(len(column) == n for column in cols["sums"] + cols["known"])
    # a slug only where weigh.js could not derive it from the name: Havenwall's is derived, Hearthside
    # Support's (hearthside) is not
    names = {c.name: s for s, c in checked.content.companies.items()}
    given = {cols["name"][i]: slug for i, slug in enumerate(cols["slug"])}
    assert given["Havenwall"] is None and given["Hearthside Support"] == "hearthside"
    assert all((slug is None) == (names[name] == name.lower().replace(" ", "-")) for name, slug in given.items())
    for company in data["companies"]:
        assert company["slug"] == names[company["name"]]
        # a link only where weigh.js could not work it out
        if str(company["order"]) not in cols["href"]:
            assert (out / "competitors" / f"{company['slug']}.html").is_file()
    assert [c["slug"] for c in data["companies"] if c["us"]] == [checked.content.site.us]
    # listed in the ranking's tie-break order: name casefolded, then slug
    assert [(c["name"].casefold(), c["slug"]) for c in data["companies"]] == sorted(
        (c["name"].casefold(), c["slug"]) for c in data["companies"])
    assert data["prices"]["comparison"] == checked.content.site.method.comparison
    text = page.read_text(encoding="utf-8")
    assert "SECRET" not in text and "talk_track" not in text
    assert 'href="weigh.html"' in (out / "index.html").read_text(encoding="utf-8")
    assert "<noscript>" in text and "need JavaScript" in html.unescape(text)
    assert re.search(r'<script src="assets/weigh\.[0-9a-f]{10}\.js" defer></script>', text)


@pytest.mark.parametrize("raw", WEIGHTS)
def test_data_block_reproduces_value_map(sample_site, raw):
    out, checked = sample_site
    data = data_block(out / "weigh.html")
    site = checked.content.site
    ids = [d["id"] for d in data["dimensions"]]
    total = math.fsum(raw)
    weights = [v / total for v in raw]
    scenario = sc.Scenario("visitor", "", sc.normalise(dict(zip(ids, raw))), site.price_reference)
    vmap = sc.scenario_map(site, checked.content.companies, checked.scores.companies, scenario,
                           checked.scores.audience, checked.scores.today)
    placed = {}
    for company in data["companies"]:
        rq = rq_from_block(company, weights)
        if rq is not None:
            placed[company["slug"]] = rq
    assert set(placed) == {p.slug for p in vmap.positions}
    for p in vmap.positions:
        assert placed[p.slug] == pytest.approx(p.relative_quality, rel=1e-12, abs=1e-9)
        block = next(c for c in data["companies"] if c["slug"] == p.slug)
        assert prices_from_block(data, block) == (p.price_average, p.relative_price)  # the very same doubles
        assert block["price"] == p.price
    # the ranking as weigh.js makes it (diagonal line in the sample; distance; ties by the order given)
    line = vmap.line
    assert (line.method, line.intercept, line.slope) == ("diagonal", 0.0, 1.0)

    def key(c):
        rq = placed[c["slug"]]
        return (-round(max(rq, 0.0) - prices_from_block(data, c)[1], 9), c["order"])

    order = [c["slug"] for c in sorted((c for c in data["companies"] if c["slug"] in placed), key=key)]
    assert order == [p.slug for p in vmap.positions]


def test_weight_model_matches_value_map_for_other_methods(sample_site):
    """Market comparison, per-dimension ratios: the same partial sums still give value_map's RQ."""
    _, checked = sample_site
    site = checked.content.site
    for method in ({"comparison": "market"}, {"quality_ratio": "dimension"},
                   {"fair_value_line": "regression", "rank_by": "ratio"}):
        variant = site.model_copy(update={"method": site.method.model_copy(update=method)})
        names = {s: c.name for s, c in checked.content.companies.items()}
        quotes = {s: qu.quote_at(c, variant, variant.price_reference, "external", checked.scores.today)
                  for s, c in checked.content.companies.items()}
        for raw in WEIGHTS:
            scenario = sc.Scenario("v", "", sc.normalise(dict(zip([d.id for d in site.dimensions], raw))),
                                   variant.price_reference)
            model = weighting.weight_model(variant, checked.scores.companies, quotes, scenario, names)
            vmap = sc.value_map(variant, checked.scores.companies, quotes, scenario, names)
            for c in model.companies:
                num = math.fsum(scenario.weights[d] * c.sums[d] for d in model.dimensions)
                den = math.fsum(scenario.weights[d] * c.known[d] for d in model.dimensions)
                p = vmap.get(c.slug)
                assert (p is None) == (den <= 0)
                if p is not None:
                    assert 100.0 * num / den == pytest.approx(p.relative_quality, rel=1e-12)


def _overall(tree):
    """The tree checked, with its overall scenario, each company's comparison price there and its name."""
    checked = check(tree.content, Diagnostics())
    site = checked.content.site
    scenario = sc.overall_scenario(site)
    quotes = {s: qu.quote_at(c, site, scenario.reference, "external", checked.scores.today)
              for s, c in checked.content.companies.items()}
    return checked, scenario, quotes, {s: c.name for s, c in checked.content.companies.items()}


def test_sensitivity_by_hand(tree):
    """The market of tests/conftest.py, usability weight u, service 1 − u (diagonal, others' averages):

        alpha: S_usability = .25·8/5 + .75·8/7 = .4 + 6/7;  S_service = 9/6 = 1.5;  RP = 400/3
        beta:  S_usability = .25·6/6 + .75·6/8 = .8125;     S_service = 5/8;        RP = 800/11
        gamma: S_usability = .25·4/7 + .75·8/7 = 1;         S_service = 1;          RP = 100

        distance alpha = 100·(1.5 − (17/70)·u) − 400/3 = 50/3 − (170/7)·u
        distance beta  = 100·(.625 + .1875·u) − 800/11 = 62.5 − 800/11 + 18.75·u
        distance gamma = 0

    Alpha (us) ranks first while 50/3 − 170u/7 > 62.5 − 800/11 + 18.75u, i.e. u < (1775/66) / (1205/28)
    = 49700/79530 = 0.6249214…; then beta leads and alpha is second (its distance still > 0 up to u = 0.686).
    At u = 0 alpha still leads (50/3 > 0 > 62.5 − 72.73). So usability may move from 0 % to 62.49 %, and
    service (= 1 − u) from 37.51 % to 100 %."""
    checked, scenario, quotes, names = _overall(tree)
    site = checked.content.site
    found = {s.dimension: s for s in weighting.sensitivity(site, checked.scores.companies, scenario, quotes, names)}
    u_star = 49700 / 79530
    use, service = found["usability"], found["service"]
    assert (use.rank, use.weight, use.low, use.below, use.above) == (1, 0.5, 0.0, None, 2)
    assert use.high == pytest.approx(u_star, abs=2e-5)
    assert (service.rank, service.weight, service.high, service.above, service.below) == (1, 0.5, 1.0, None, 2)
    assert service.low == pytest.approx(1 - u_star, abs=2e-5)


def test_moved_weights_rescale_the_others():
    moved = weighting.moved_weights({"a": 0.5, "b": 0.3, "c": 0.2}, "a", 0.8)
    assert moved == pytest.approx({"a": 0.8, "b": 0.12, "c": 0.08})
    assert weighting.moved_weights({"a": 1.0, "b": 0.0}, "a", 0.4) == pytest.approx({"a": 0.4, "b": 0.6})


def test_a_slug_is_derived_from_ascii_names_only():
    """weigh.js derives a left-out slug with JavaScript's toLowerCase, which agrees with Python's lower()
    on ASCII only: any other name carries its slug."""
    from generator.views.weigh import derived_slug
    assert derived_slug("Lumen Desk") == "lumen-desk"
    assert derived_slug("Ünïcorn Desk") is None and derived_slug("İstanbul Destek") is None


def test_a_sum_keeps_fifteen_digits_and_a_large_one_every_digit():
    """The block's partial sums: 15 significant digits (see views.weigh._sum); a sum of 10⁴ or more exactly,
    where 15 digits would reach the decimal a figure shows."""
    from generator.views.weigh import _sum
    assert _sum(0.12345678901234567) == 0.123456789012346
    assert _sum(-1.2945747726879477) == -1.29457477268795
    assert _sum(0.0) == 0.0 and _sum(2.5) == 2.5 and _sum(1e-5) == 1e-5
    assert _sum(1234567890123.4567) == 1234567890123.4567


def test_a_rank_s_range_is_shown_rounded_inwards():
    """The rank changes at an end that is not 0% or 100%: "holds from 5%" for a first change at 5.03% was
    false at the slider's 5%. Each such end is rounded inwards; a range inside one percent gets a decimal."""
    from generator.formats import Formatter
    from generator.views.weigh import _held

    fmt = Formatter("en", "EUR")

    def held(low, high, below, above):
        return _held(fmt, weighting.Sensitivity("d", 0.3, 2, low, high, below, above))

    assert held(0.0503, 1.0, 3, None) == {"low": "6%", "high": "100%"}
    assert held(0.0, 0.6249, None, 2) == {"low": "0%", "high": "62%"}
    assert held(0.0, 0.62, None, 2) == {"low": "0%", "high": "61%"}  # at 62% exactly it has changed
    assert held(0.2503, 0.2580, 3, 1) == {"low": "25.1%", "high": "25.7%"}
    assert held(0.0, 1.0, 4, None) == {"low": "1%", "high": "100%"}  # changes at 0% itself
    assert held(0.25031, 0.25032, 3, 1) == {"low": "25.031%", "high": "25.032%"}  # never backwards


def test_the_sensitivity_table_s_ends_hold_on_the_slider(tree):
    """Each end the table prints, set on the slider, gives the rank the table says holds (the tree's market:
    usability 0–62.49 %, service 37.51–100 %; see test_sensitivity_by_hand)."""
    from generator.formats import Formatter
    from generator.views.weigh import _held

    checked, scenario, quotes, names = _overall(tree)
    site = checked.content.site
    fmt = Formatter(site.lang, site.currency)
    found = weighting.sensitivity(site, checked.scores.companies, scenario, quotes, names)
    shown = {s.dimension: _held(fmt, s) for s in found}
    assert shown == {"usability": {"low": "0%", "high": "62%"}, "service": {"low": "38%", "high": "100%"}}
    for s in found:
        for text in shown[s.dimension].values():
            moved = weighting.moved_weights(scenario.weights, s.dimension, float(text.rstrip("%")) / 100)
            vmap = sc.value_map(site, checked.scores.companies, quotes,
                                       replace(scenario, weights=moved), names)
            assert vmap.get(site.us).rank == s.rank, (s.dimension, text)
