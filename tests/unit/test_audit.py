"""What to verify next (generator/audit.py and the internal page audit.html).

A market small enough to work out by hand: three companies, one dimension scored as a whole, the diagonal
fair-value line, each company compared with the average of the *others*. Every price and our own score are
verified; two competitor scores are not. Every expected number is a literal worked out in the comments.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest

from generator import audit as audit_
from generator.build import check
from generator.diagnostics import Diagnostics

from tests.conftest import Tree

TODAY = dt.date(2026, 11, 1)
EPOCH = str(int(dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc).timestamp()))

SITE = """\
title: Audit test
market: Widgets
currency: EUR
price_basis: per seat per month
price_decimals: 0
base_url: https://example.com/
us: alpha
method: {comparison: others, fair_value_line: diagonal, rank_by: distance}
dimensions:
  - {id: service, label: Personal approach, weight: 1}
source_kinds:
  - {id: mystery-shopper, label: Mystery shopper}
  - {id: review-site, label: Review site}
  - {id: vendor-page, label: Vendor page, vendor: true}
"""


def company(name: str, price: int, service: str) -> str:
    # A verified price: the vendor's page and a mystery shopper saw the same figure.
    return (f"name: {name}\nprices:\n  - plan: Standard\n    observations:\n"
            f"      - {{price: {price}, source: vendor-page, date: 2026-10-01}}\n"
            f"      - {{price: {price}, source: mystery-shopper, date: 2026-10-01}}\n"
            f"scores:\n  service: {service}\n")


COMPANIES = {
    # Ours, verified: two kinds of source agree on 6.
    "alpha": company("Alpha", 60, "{evidence: [{source: mystery-shopper, value: 6, date: 2026-10-01}, "
                                  "{source: review-site, value: 6, date: 2026-10-01}]}"),
    # Conflicting: two mystery shops 3 points apart (> tolerance 1). Score (4.5 + 7.5) / 2 = 6 (same date, same
    # kind: equal weights); uncertainty = spread / 2 = 1.5.
    "beta": company("Beta", 40, "{evidence: [{source: mystery-shopper, value: 4.5, date: 2026-10-01}, "
                                "{source: mystery-shopper, value: 7.5, date: 2026-10-01}]}"),
    # Unsupported: a bare number, the default uncertainty ±1.
    "zeta": company("Zeta", 50, "4"),
}

# As they are (others' averages; diagonal: justified = RQ × p̄ / 100; rank by distance d = RQ − RP):
#   Alpha: s̄ = (6 + 4)/2 = 5     → RQ 120;    p̄ = (40 + 50)/2 = 45 → RP 133.33; d = −13.33
#          justified = 120 × 45/100 = 54; headroom = 54 − 60 = −6
#   Beta:  s̄ = (6 + 4)/2 = 5     → RQ 120;    p̄ = (60 + 50)/2 = 55 → RP  72.73; d = +47.27
#   Zeta:  s̄ = (6 + 6)/2 = 6     → RQ  66.67; p̄ = (60 + 40)/2 = 50 → RP 100;    d = −33.33
#   Ranks: Beta #1, Alpha #2, Zeta #3.
#
# Zeta's 4 ± 1 moves our RQ through the others' average:
#   Zeta 3: Alpha s̄ = (6 + 3)/2 = 4.5 → RQ 133.33, d = 0;       justified = 6/4.5 × 45 = 60;    headroom  0
#           Beta RQ 6/4.5 = 133.33 (d +60.61); Zeta RQ 3/6 = 50 (d −50)       → Alpha #2
#   Zeta 5: Alpha s̄ = (6 + 5)/2 = 5.5 → RQ 109.09, d = −24.24;  justified = 6/5.5 × 45 = 49.09; headroom −10.91
#           Zeta RQ 5/6 = 83.33, RP 100, d = −16.67 > −24.24                   → Alpha #3
#   Our rank #2 → #3; justified 49.09 to 60; headroom −10.91 to 0; |Δ justified| = max(6, 4.91) = 6.
#
# Beta's 6 ± 1.5:
#   Beta 4.5: Alpha s̄ = (4.5 + 4)/2 = 4.25 → RQ 141.18, d = +7.84; justified = 6/4.25 × 45 = 63.53; headroom +3.53
#             Beta RQ 4.5/5 = 90 (d +17.27); Zeta s̄ 5.25 → RQ 76.19 (d −23.81)  → Alpha #2
#   Beta 7.5: Alpha s̄ = (7.5 + 4)/2 = 5.75 → RQ 104.35, d = −28.99; justified = 6/5.75 × 45 = 46.96; headroom −13.04
#             Beta RQ 150 (d +77.27); Zeta s̄ 6.75 → RQ 59.26 (d −40.74)           → Alpha #2
#   Our rank holds at #2; justified 46.96 to 63.53; |Δ justified| = max(9.53, 7.04) = 9.53.
#
# Order: Zeta first — it moves our rank — although Beta moves our justified price further (9.53 > 6).


@pytest.fixture
def market(tmp_path, monkeypatch) -> Tree:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    tree = Tree(tmp_path)
    tree.write("site.yaml", SITE)
    for slug, text in COMPANIES.items():
        tree.write(f"companies/{slug}.yaml", text)
    return tree


def checked(tree: Tree, audience: str = "internal"):
    diagnostics = Diagnostics()
    result = check(tree.content, diagnostics, audience=audience)
    return result


def test_hand_computed_ranking_and_ranges(market):
    c = checked(market)
    assert c.scores.today == TODAY
    items = audit_.audit(c.content.site, c.content.companies, c.scores.companies, TODAY)
    assert [(i.slug, i.kind, i.status) for i in items] == [("zeta", "score", "unsupported"),
                                                           ("beta", "score", "conflicting")]
    zeta, beta = items
    # As they are: our rank #2, justified 54, headroom −6.
    assert (zeta.now.rank, zeta.now.justified, zeta.now.headroom) == (2, pytest.approx(54), pytest.approx(-6))

    assert (zeta.value, zeta.uncertainty, zeta.low, zeta.high) == (4, 1, 3, 5)
    assert (zeta.rank_best, zeta.rank_worst, zeta.rank_change) == (2, 3, 1)
    assert zeta.justified_low == pytest.approx(49.0909, abs=1e-4)  # 6/5.5 × 45
    assert zeta.justified_high == pytest.approx(60)  # 6/4.5 × 45
    assert zeta.headroom_low == pytest.approx(-10.9091, abs=1e-4)
    assert zeta.headroom_high == pytest.approx(0, abs=1e-9)
    assert zeta.justified_change == pytest.approx(6)
    assert zeta.movement == ("rank", 1.0)
    assert zeta.needed == "any"

    assert (beta.value, beta.uncertainty, beta.low, beta.high) == pytest.approx((6, 1.5, 4.5, 7.5))
    assert (beta.rank_best, beta.rank_worst, beta.rank_change) == (2, 2, 0)
    assert beta.justified_low == pytest.approx(46.9565, abs=1e-4)  # 6/5.75 × 45
    assert beta.justified_high == pytest.approx(63.5294, abs=1e-4)  # 6/4.25 × 45
    assert beta.headroom_low == pytest.approx(-13.0435, abs=1e-4)
    assert beta.headroom_high == pytest.approx(3.5294, abs=1e-4)
    assert beta.justified_change == pytest.approx(9.5294, abs=1e-4)
    assert beta.movement[0] == "justified"
    assert beta.needed == "resolve"


def test_the_scores_it_is_given_are_left_as_they_were(market):
    c = checked(market)
    before = {s: (dict(cs.points), dict(cs.dimensions)) for s, cs in c.scores.companies.items()}
    audit_.audit(c.content.site, c.content.companies, c.scores, TODAY)  # MarketScores is accepted too
    assert {s: (dict(cs.points), dict(cs.dimensions)) for s, cs in c.scores.companies.items()} == before


def test_equal_rank_changes_go_by_the_justified_price_then_by_name():
    base = audit_.AuditItem("a", "Alpha", "score", "d", None, 0, "unsupported", 5.0, 1.0, "uncertainty", 4.0,
                            6.0, "any", None, None, None, None, None, None, None, 0, 1.0)
    items = [replace(base, slug="c", name="Cee"), replace(base, slug="b", name="Bee"),
             replace(base, slug="z", name="Zed", justified_change=2.0),
             replace(base, slug="y", name="Why", rank_change=1, justified_change=0.5)]
    assert [i.slug for i in sorted(items, key=audit_.sort_key)] == ["y", "z", "b", "c"]


def test_a_large_market_is_skipped_and_the_page_says_so(market, monkeypatch, cli):
    monkeypatch.setattr(audit_, "MAX_COMPANIES", 2)
    c = checked(market)
    assert audit_.audit(c.content.site, c.content.companies, c.scores.companies, TODAY) == []
    run = cli(market.root, "build", "--audience", "internal")
    assert run.code == 0, run.err
    page = (market.root / "site-internal" / "audit.html").read_text(encoding="utf-8")
    assert "Not computed: 3 companies" in page and "<table" not in page


def _rows(html: str) -> list[list[str]]:
    body = html[html.index("<tbody>"):html.index("</tbody>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)]
            for r in rows]


def test_the_page_in_an_internal_build(market, cli):
    run = cli(market.root, "build", "--audience", "internal")
    assert run.code == 0, run.err
    site = market.root / "site-internal"
    page = (site / "audit.html").read_text(encoding="utf-8")
    rows = _rows(page)
    assert [r[0] for r in rows] == ["Zeta", "Beta"]  # verified scores and prices never appear
    zeta, beta = rows
    assert zeta[1:] == ["Personal approach", "No evidence", "4.0", "±1.0", "#2 → #3", "€49 to €60",
                        "−€11 to €0", "any evidence"]
    assert beta[1:] == ["Personal approach", "Sources disagree", "6.0", "±1.5", "#2, holds", "€47 to €64",
                        "−€13 to +€4", "resolve the conflict"]
    assert "Verified" not in page.split("<tbody>")[1].split("</tbody>")[0]
    assert "Now: we rank #2 of 3" in page
    # Linked from the internal navigation, on every page.
    for path in ("index.html", "competitors/beta.html", "methodology.html"):
        assert re.search(r'<nav[^>]*>.*href="(\.\./)?audit\.html".*</nav>', (site / path).read_text(encoding="utf-8"),
                         re.S), path


def test_absent_and_unlinked_in_an_external_build(market, cli):
    run = cli(market.root, "build")
    assert run.code == 0, run.err
    site = market.root / "site"
    assert not (site / "audit.html").exists()
    for path in site.rglob("*"):
        if path.suffix in (".html", ".xml", ".txt"):
            text = path.read_text(encoding="utf-8")
            assert "audit.html" not in text and "What to verify next" not in text, path
    assert (site / "sitemap.xml").is_file()


def test_never_lists_a_verified_score_or_price_in_the_sample(sample):
    c = checked(sample)
    items = audit_.audit(c.content.site, c.content.companies, c.scores.companies, c.scores.today)
    assert items and all(i.status != "verified" for i in items)
    unverified = sum(1 for cs in c.scores.companies.values() for tr in cs.points.values() if tr.status != "verified")
    prices = sum(1 for p in c.scores.overall.positions if p.price_status != "verified")
    assert len(items) == unverified + prices
    keys = [(-i.rank_change, -round(i.justified_change, 9)) for i in items]
    assert keys == sorted(keys)


def test_an_unsupported_price_moves_by_the_default_relative_uncertainty(market):
    # Zeta's price as a bare number: unsupported, ± default uncertainty 1 × price tolerance 10% × 50 = ±5.
    market.replace("companies/zeta.yaml", "  - plan: Standard\n    observations:\n"
                   "      - {price: 50, source: vendor-page, date: 2026-10-01}\n"
                   "      - {price: 50, source: mystery-shopper, date: 2026-10-01}\n",
                   "  - {plan: Standard, price: 50}\n")
    c = checked(market)
    items = audit_.audit(c.content.site, c.content.companies, c.scores.companies, TODAY)
    # Zeta 45: our p̄ = (40 + 45)/2 = 42.5 → RP 141.18, d = 120 − 141.18 = −21.18; justified 120 × 0.425 = 51
    #          Zeta RQ 66.67, RP 45/50 = 90, d = −23.33 → we stay #2 (Beta d +43.81 first)
    # Zeta 55: our p̄ = 47.5 → RP 126.32, d = −6.32; justified 120 × 0.475 = 57; Zeta RP 110, d −43.33 → #2
    # |Δ justified| = 3 < Beta's 9.53: last, after the two scores.
    assert [(i.slug, i.kind) for i in items] == [("zeta", "score"), ("beta", "score"), ("zeta", "price")]
    price = items[2]
    assert (price.status, price.bound, price.needed) == ("unsupported", "uncertainty", "any")
    assert (price.value, price.uncertainty, price.low, price.high) == pytest.approx((50, 5, 45, 55))
    assert (price.rank_best, price.rank_worst, price.rank_change) == (2, 2, 0)
    assert (price.justified_low, price.justified_high) == pytest.approx((51, 57))
    assert (price.headroom_low, price.headroom_high) == pytest.approx((-9, -3))
    assert price.justified_change == pytest.approx(3)
