"""Honest numbers in the sample market: it shows every verification status, an unknown score, a quote-only
vendor, a price conflict and a price in another currency, passes its own publishing gate, and its
"Trust, but verify" page names examples that really have the status it gives them.

The sample is built on a private copy (the ``sample`` fixture) with "today" pinned (``SOURCE_DATE_EPOCH``) so
that evidence ageing past the freshness limit does not change what these tests see.
"""
from __future__ import annotations

import datetime as _dt
import json
import re

import pytest
import yaml

from generator.verify import STATUSES

TODAY = _dt.datetime(2026, 11, 23, 12, tzinfo=_dt.timezone.utc)

# What content/pages/trust-but-verify.md says about named scores: (company slug, point, status).
PAGE_EXAMPLES = [
    ("sparkwise", "reliability.support-sla", "unknown"),
    ("ticketeer", "usability.admin-configuration", "unsupported"),
    ("quillpoint", "usability.setup-time", "unsupported"),
    ("openfold", "reliability.uptime", "gameable-only"),
    ("sparkwise", "practicality.reporting", "gameable-only"),
    ("norbridge", "personal-approach.preferred-channel", "stale"),
    ("relaybird", "personal-approach.responds-quickly", "conflicting"),
    ("altura-service-cloud", "personal-approach.offers-options", "single-source"),
    ("hearthside", "usability.agent-workspace", "verified"),
]


@pytest.fixture
def pinned(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(TODAY.timestamp())))


@pytest.fixture
def exported(sample, cli, pinned) -> dict:
    run = cli(sample.root, "export", "-o", "model.json")
    assert run.code == 0, run.err
    return json.loads((sample.root / "model.json").read_text(encoding="utf-8"))


def _companies(data: dict):
    for scenario in data["scenarios"]:
        for company in scenario["companies"]:
            yield scenario, company


def _scenario(data: dict, sid: str) -> dict:
    return next(s for s in data["scenarios"] if s["id"] == sid)


def _company(scenario: dict, slug: str) -> dict | None:
    return next((c for c in scenario["companies"] if c["slug"] == slug), None)


def test_the_export_shows_every_status(exported):
    scores = {s["status"] for _, c in _companies(exported) for s in c["scores"].values()}
    prices = {c["price_detail"]["status"] for _, c in _companies(exported)}
    assert scores == set(STATUSES)
    # prices are claims too: checked by two kinds of source, by one, in conflict, and bare or estimated
    assert {"verified", "single-source", "conflicting", "unsupported"} <= prices


def test_an_unknown_score_is_left_unknown_and_the_company_placed_on_the_rest(exported):
    overall = _scenario(exported, "overall")
    unknown = [(c["slug"], k) for c in overall["companies"] for k, s in c["scores"].items() if s["status"] == "unknown"]
    assert unknown
    for slug, key in unknown:
        company = _company(overall, slug)
        assert company["scores"][key]["value"] is None  # never filled in
        assert company["known"] < 1
        low, high = company["relative_quality_range"]
        assert low < company["relative_quality"] < high


def test_a_quote_only_vendor_is_estimated_in_one_map_and_unplaced_in_another(exported):
    unplaced = {(s["id"], u["slug"]) for s in exported["scenarios"] for u in s["unplaced"] if u["reason"] == "quote-only"}
    estimated = {(s["id"], c["slug"]) for s, c in _companies(exported) if c["price_detail"]["kind"] == "estimate"}
    both = {slug for _, slug in unplaced} & {slug for _, slug in estimated}
    assert both, (unplaced, estimated)
    for _, c in _companies(exported):
        if c["price_detail"]["kind"] == "estimate":
            assert c["price_detail"]["status"] == "unsupported"  # our estimate, not an observation


def test_a_price_conflict_is_marked_and_the_vendors_newest_price_compared(sample, exported):
    conflicts = [(s["id"], c) for s, c in _companies(exported) if c["price_detail"]["disagree"]]
    assert conflicts
    for _, c in conflicts:
        assert c["price_detail"]["status"] == "conflicting"
        assert c["price_detail"]["low"] < c["price_detail"]["high"]
    # Sparkwise: pricing page 65 EUR (2026-10-20) against its own help article's 75 EUR (2026-08): 65 wins
    sparkwise = _company(_scenario(exported, "mid-market"), "sparkwise")
    assert sparkwise["price_detail"]["disagree"] is True
    assert sparkwise["price"] == pytest.approx(65)
    assert (sparkwise["price_detail"]["low"], sparkwise["price_detail"]["high"]) == pytest.approx((65, 75))


def test_a_usd_price_is_converted_at_the_stated_rate(sample, cli, exported):
    site = yaml.safe_load((sample.content / "site.yaml").read_text(encoding="utf-8"))
    relaybird = yaml.safe_load((sample.content / "companies" / "relaybird.yaml").read_text(encoding="utf-8"))
    growth = next(p for p in relaybird["prices"] if p["tier"] == "professional")
    usd = next(o for o in growth["observations"] if o.get("currency") == "USD" and o["source"] == "vendor-page")
    rate = site["currencies"]["rates"]["USD"]
    assert site["currency"] == "EUR"
    company = _company(_scenario(exported, "mid-market"), "relaybird")
    assert company["price"] == pytest.approx(usd["price"] * rate)
    assert company["price_detail"]["status"] == "verified"  # the monthly USD listing agrees after conversion
    # Where the competitor page lists the observations, the original dollar figure must be there as well.
    run = cli(sample.root, "build")
    assert run.code == 0, run.err
    page = (sample.root / "site" / "competitors" / "relaybird.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", " ", page)
    if "reviews.example/relaybird/pricing" in page or "USD" in text or "$" in text:
        figure = f"{usd['price']:g}"
        assert re.search(rf"(US\$|\$|USD)\s?{figure}\b", text), "the USD price is not shown as seen"


def test_the_trust_page_names_examples_that_have_the_status_it_gives(exported):
    overall = _scenario(exported, "overall")
    wrong = []
    for slug, key, status in PAGE_EXAMPLES:
        company = _company(overall, slug)
        found = company["scores"][key]["status"] if company else None
        if found != status:
            wrong.append((slug, key, status, found))
    assert wrong == []


def test_the_trust_page_explains_the_prices_and_the_gate(sample):
    page = (sample.content / "pages" / "trust-but-verify.md").read_text(encoding="utf-8")
    site = yaml.safe_load((sample.content / "site.yaml").read_text(encoding="utf-8"))
    assert f"min_status: {site['verification']['min_status']}" in page
    assert f"{site['currencies']['rates']['USD']:g} EUR" in page
    for name in ("Sparkwise", "Norbridge", "Relaybird", "Quote only", "not placed"):
        assert name in page


def test_the_sample_passes_its_own_gate(sample, cli, pinned):
    run = cli(sample.root, "check", "--strict")
    assert run.code == 0, run.out + run.err


def test_the_gate_is_not_a_formality(sample, cli, pinned):
    """Raise the minimum and the same sample is refused: the bare numbers and the unknown score fail it."""
    sample.replace("site.yaml", "min_status: unsupported", "min_status: single-source")
    sample.replace("site.yaml", "allow_missing: true", "allow_missing: false")
    run = cli(sample.root, "check", "--strict")
    assert run.code != 0
    output = run.out + run.err
    assert "below-min-status" in output
    assert "Contractual SLAs" in output and "unknown" in output
