"""A quote-only vendor and a vendor with only unknown scores are never ranked as if measured, and the pages
say why (issue "Honest numbers": done-when)."""
from __future__ import annotations

import json

from tests.unit.test_build_pages import load, the_table, visible_text, RANKING


def _market(tree):
    tree.replace("site.yaml", "source_kinds:", "verification: {allow_missing: true}\nsource_kinds:")
    # delta: price on request only, no estimate
    tree.write("companies/delta.yaml", """\
name: Delta
prices:
  - plan: Enterprise
    tier: standard
    seats: {min: 1}
    observations:
      - {quote: true, date: 2026-10, note: "Talk to sales"}
scores:
  usability: {setup: 9, daily-use: 9}
  service: 9
""")
    # epsilon: a price, but not one known score
    tree.write("companies/epsilon.yaml", """\
name: Epsilon
prices:
  - {plan: Basic, tier: standard, price: 45, seats: {min: 1}}
scores:
  usability: {setup: unknown, daily-use: unknown}
  service: unknown
""")


def test_neither_is_ranked_and_the_pages_say_why(tree, cli):
    _market(tree)
    run = cli(tree.root, "build")
    assert run.code == 0, run.err
    home = load(tree.root / "site" / "index.html")
    ranking = the_table(home, RANKING, cls="ranking")
    # the three measured, priced companies only (averages use everything known: Delta's scores and Epsilon's
    # price are facts about the market, so the three may reorder — but the two are never ranked)
    assert sorted(r[1] for r in ranking.rows) == ["Alpha", "Beta", "Gamma"]
    text = visible_text(home)
    assert "Delta — not placed: its price is given only on request, and no estimate is recorded" in text
    assert "Epsilon — not placed: none of its scores is known" in text
    # their own pages say so too, and show 'unknown' rather than a number
    epsilon = visible_text(load(tree.root / "site" / "competitors" / "epsilon.html"))
    assert "unknown" in epsilon.lower()
    assert "cannot both be placed on the overall map" in epsilon


def test_known_scores_that_cannot_be_compared_are_not_called_unknown(tree, cli):
    # zeta knows only service, and every other company scores service 0: no ratio, so no place — but its
    # score is known, and neither the page nor the CLI may say otherwise
    for slug, service in (("alpha", 9), ("beta", 5), ("gamma", 7)):
        tree.replace(f"companies/{slug}.yaml", f"service: {service}", "service: 0")
    tree.write("companies/zeta.yaml", """\
name: Zeta
prices:
  - {plan: Basic, tier: standard, price: 45, seats: {min: 1}}
scores:
  usability: {setup: unknown, daily-use: unknown}
  service: 6
""")
    tree.replace("site.yaml", "source_kinds:", "verification: {allow_missing: true}\nsource_kinds:")
    run = cli(tree.root, "build")
    assert run.code == 0, run.err
    text = visible_text(load(tree.root / "site" / "index.html"))
    assert ("Zeta — not placed: none of its known scores can be compared (every other company scores 0 on "
            "them, or it scores 0 where lower is better)") in text
    assert "none of its scores is known" not in text
    assert "Zeta (none of its known scores can be compared" in run.out


def test_the_export_lists_them_as_unplaced_with_the_reason(tree, cli):
    _market(tree)
    run = cli(tree.root, "export")
    assert run.code == 0, run.err
    overall = json.loads(run.out)["scenarios"][0]
    assert sorted(c["slug"] for c in overall["companies"]) == ["alpha", "beta", "gamma"]
    assert {u["slug"]: u["reason"] for u in overall["unplaced"]} == {"delta": "quote-only",
                                                                      "epsilon": "no-known-score"}


def test_an_estimate_places_a_quote_only_vendor_marked_as_an_estimate(tree, cli):
    _market(tree)
    tree.replace("companies/delta.yaml", '{quote: true, date: 2026-10, note: "Talk to sales"}',
                 '{quote: true, estimate: 80, date: 2026-10, note: "Talk to sales; our estimate"}')
    run = cli(tree.root, "export")
    overall = json.loads(run.out)["scenarios"][0]
    delta = next(c for c in overall["companies"] if c["slug"] == "delta")
    assert delta["price_detail"]["kind"] == "estimate" and delta["price_detail"]["status"] == "unsupported"
    assert delta["price"] == 80
