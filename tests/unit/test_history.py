"""History (issue #16): dated snapshots in content/history/, trails on the home map, "What changed since", export.

A hand-computed movement on the small tree (tests/conftest.py: weights setup 0.5·1/4 = 0.125, daily-use
0.5·3/4 = 0.375, service 0.5; comparison with the average of the *others*; diagonal fair-value line, band 5).

Snapshot 2026-01-15 — alpha and gamma as now; Beta then at €55 with service 3 (now €40, service 5 on a
mystery shopper's evidence):

* Beta then: setup 6 ÷ avg(8, 4) = 1 · daily 6 ÷ avg(8, 8) = 0.75 · service 3 ÷ avg(9, 7) = 0.375
  → RQ = 100 · (0.125·1 + 0.375·0.75 + 0.5·0.375) = 59.375; RP = 100 · 55 ÷ avg(60, 50) = 100;
  customer value = 59.375 − 100 = −40.625 → worse value ("59.4", "100.0", "−40.6").
* Beta now (tests/unit/test_score.py): RQ 71.875, RP 100 · 40 ÷ 55 = 72.7273, value −0.8523 → fair
  ("71.9", "72.7", "−0.9"). Beta crossed from worse value to fair value.
* Alpha then: setup 8 ÷ avg(6, 4) = 1.6 · daily 8 ÷ avg(6, 8) = 8/7 · service 9 ÷ avg(3, 7) = 1.8
  → RQ = 100 · (0.2 + 0.375·8/7 + 0.9) = 152.8571; RP = 100 · 60 ÷ avg(55, 50) = 114.2857.

The snapshot also holds an internal evidence item on gamma's daily use (value 4.25, internal-metric weight
0.5, same day as the public 8): the internal build weighs it in — gamma's daily use then (8 + 0.5·4.25) ÷ 1.5
= 6.75, RQ = 100 · (0.125·4/7 + 0.375·6.75/7 + 0.5·7/6) = 101.6369 — and the external build never does
(gamma then: RQ = 100 · (0.125·4/7 + 0.375·8/7 + 0.5·7/6) = 108.3333).
"""
from __future__ import annotations

import datetime as _dt
import json
import math
from pathlib import Path

import pytest

from generator.build import check
from generator.diagnostics import ContentError, Diagnostics
from generator.formats import Formatter
from generator.history import compare
from generator.locales import Translator
from tests.unit.test_build_pages import build, chart_json, load, tables, the_table, visible_text

T = Translator("en")
FMT = Formatter("en", "EUR", 0)
DAY = _dt.date(2026, 1, 15)
THEN = FMT.date(DAY)
NOW = T("history.now")
NOTE_CANARY = "CANARY-SNAPSHOT-NOTE-7f3a"
EVIDENCE_CANARY = "CANARY-EVIDENCE-NOTE-51c2"

SNAPSHOT = f"""\
label: Winter review
note: {NOTE_CANARY}
companies:
  alpha:
    prices: [{{plan: Basic, tier: standard, price: 60, seats: {{min: 1}}}}]
    scores: {{usability: {{setup: 8, daily-use: 8}}, service: 9}}
  beta:
    prices:
      - plan: Basic
        tier: standard
        seats: {{min: 1}}
        observations:
          - {{price: 55, source: mystery-shopper, date: 2026-01-10, url: "https://beta.example/pricing"}}
    scores: {{usability: {{setup: 6, daily-use: 6}}, service: 3}}
  gamma:
    prices: [{{plan: Basic, tier: standard, price: 50, seats: {{min: 1}}}}]
    scores:
      usability:
        setup: 4
        daily-use:
          evidence:
            - {{source: mystery-shopper, value: 8, date: 2026-01-12}}
            - {{source: internal-metric, value: 4.25, date: 2026-01-12, internal: true, note: "{EVIDENCE_CANARY}"}}
      service: 7
"""

BETA_SERVICE_NOW = """\
  service:
    evidence:
      - {source: mystery-shopper, value: 5, date: 2026-02-20, note: "Called back within the hour"}
"""


@pytest.fixture
def history_tree(tree):
    tree.write(f"history/{DAY.isoformat()}.yaml", SNAPSHOT)
    tree.replace("companies/beta.yaml", "  service: 5\n", BETA_SERVICE_NOW)
    return tree


def checked(tree, audience="external"):
    return check(tree.content, Diagnostics(), audience=audience)


# --- the history module --------------------------------------------------------------------------------

def test_history_module_places_beta_at_each_date_by_hand(history_tree):
    h = checked(history_tree).scores.history
    assert [s.date for s in h.past] == [DAY] and h.now.current
    trail = h.trail("beta")
    assert len(trail) == 2
    then, now = trail[0].position, trail[1].position
    assert math.isclose(then.relative_quality, 59.375, abs_tol=1e-9)
    assert math.isclose(then.relative_price, 100.0, abs_tol=1e-9)
    assert math.isclose(then.customer_value, -40.625, abs_tol=1e-9) and then.zone == "worse"
    assert math.isclose(now.relative_quality, 71.875, abs_tol=1e-9)
    assert math.isclose(now.relative_price, 100 * 40 / 55, abs_tol=1e-9) and now.zone == "fair"
    alpha = h.trail("alpha")[0].position
    assert math.isclose(alpha.relative_quality, 100 * (0.2 + 0.375 * 8 / 7 + 0.9), abs_tol=1e-9)
    assert math.isclose(alpha.relative_price, 100 * 60 / 52.5, abs_tol=1e-9)
    # gamma's internal evidence counts only for the internal audience
    assert math.isclose(h.trail("gamma")[0].position.relative_quality, 100 * (0.125 * 4 / 7 + 0.375 * 8 / 7 + 0.5 * 7 / 6))
    internal = checked(history_tree, "internal").scores.history
    assert math.isclose(internal.trail("gamma")[0].position.relative_quality,
                        100 * (0.125 * 4 / 7 + 0.375 * 6.75 / 7 + 0.5 * 7 / 6))


def test_compare_lists_the_zone_crossing_the_price_and_the_score(history_tree):
    c = checked(history_tree)
    h = c.scores.history
    changes = compare(c.content.site, h.steps[0], h.now)
    # Beta's cheaper price and better service pull the others back: alpha then 152.9 / 114.3 (value +38.6,
    # better), gamma then 108.3 / 100·50 ÷ avg(60, 55) = 87.0 (value +21.4, better); both fair now.
    assert sorted((m.slug, m.before.zone, m.after.zone) for m in changes.crossed) == [
        ("alpha", "better", "fair"), ("beta", "worse", "fair"), ("gamma", "better", "fair")]
    assert [(p.slug, p.before.price, p.after.price) for p in changes.prices] == [("beta", 55.0, 40.0)]
    assert [(s.slug, s.point.key, s.before.value, s.after.value) for s in changes.scores] == [
        ("beta", ("service", None), 3.0, 5.0)]
    assert changes.scores[0].after.evidence[0].note == "Called back within the hour"
    assert not changes.entered and not changes.left


def test_the_rival_defaults_to_the_nearest_competitor_and_can_be_chosen(history_tree):
    # alpha (137.9, 133.3): gamma (100, 100) is nearer than beta (71.9, 72.7)
    assert checked(history_tree).scores.history.rival == "gamma"
    history_tree.replace("site.yaml", "us: alpha\n", "us: alpha\nhistory: {rival: beta}\n")
    assert checked(history_tree).scores.history.rival == "beta"


def test_a_partial_snapshot_leaves_a_company_out_and_a_new_entrant_appears(history_tree):
    history_tree.write("history/2025-12-01.yaml", SNAPSHOT.split("  gamma:")[0].replace(NOTE_CANARY, "old")
                       .replace("2026-01-10", "2025-11-10"))
    h = checked(history_tree).scores.history
    assert [s.key for s in h.steps] == ["2025-12-01", "2026-01-15", "now"]
    assert h.steps[0].map.get("gamma") is None and len(h.trail("gamma")) == 2
    assert len(h.trail("beta")) == 3
    c = checked(history_tree)
    changes = compare(c.content.site, h.steps[0], h.now)
    assert [p.slug for p in changes.entered] == ["gamma"]


# --- the pages -----------------------------------------------------------------------------------------

def test_home_map_draws_the_trails_with_the_hand_computed_points(history_tree, cli):
    site = build(cli, history_tree.root)
    doc = load(site / "index.html")
    figure = chart_json(doc, "value-map")
    trails = {tr["meta"]["trail"]: tr for tr in figure["data"] if tr.get("meta", {}).get("trail")}
    assert set(trails) == {"alpha", "beta", "gamma"}
    beta = trails["beta"]
    assert beta["x"] == pytest.approx([59.375, 71.875]) and beta["y"] == pytest.approx([100.0, 100 * 40 / 55])
    assert beta["customdata"] == [[THEN, "59.4", "100.0", "\u221240.6"], [NOW, "71.9", "72.7", "\u22120.9"]]
    # ours and the rival's (nearest: gamma) drawn at first, beta's a click away
    assert beta.get("visible") == "legendonly"
    assert "visible" not in trails["alpha"] and "visible" not in trails["gamma"]
    # the trail table beside the map reads the same
    trail_table = the_table(doc, T("history.trail_caption"))
    rows = [r for r in trail_table.rows if r[0] == "Beta"]
    assert [r[1:5] for r in rows] == [[THEN, "59.4", "100.0", "\u221240.6"], [NOW, "71.9", "72.7", "\u22120.9"]]
    # the axes hold the trail's points
    assert figure["layout"]["yaxis"]["range"][1] > 114.2857  # alpha then
    link = [a for a in doc.find_all("a") if a.attrs.get("href") == "changes.html" and "since" in a.text()]
    assert link, "the home page links to the changes page"


def test_changes_page_says_what_moved_by_hand(history_tree, cli):
    site = build(cli, history_tree.root)
    doc = load(site / "changes.html")
    text = visible_text(doc)
    assert T("history.since_title", date=THEN) in text
    section = doc.find("section", id=f"since-{DAY.isoformat()}")
    crossed = " ".join(section.find("ul", "moves").text().split())
    assert ("Beta: Worse value → Fair value (relative quality 59.4 → 71.9, relative price 100.0 → 72.7)"
            in crossed), crossed
    prices = tables(section, cls="changes-prices")[0].by_first(T("col.company"))
    assert prices["Beta"][T("history.col.price_then")] == "€55"
    assert prices["Beta"][T("history.col.price_now")] == "€40"
    assert prices["Beta"][T("history.col.change")] == "\u221227%"
    assert prices["Beta"][T("history.col.source_then")] == "Mystery shopper, " + FMT.date(_dt.date(2026, 1, 10))
    scores = tables(section, cls="changes-scores")[0]
    assert len(scores.rows) == 1
    row = dict(zip(scores.columns, scores.rows[0]))
    assert row[T("col.company")] == "Beta" and row[T("history.col.criterion")] == "Personal approach"
    assert row[T("history.col.score_then")].startswith("3.0") and row[T("history.col.score_now")].startswith("5.0")
    assert row[T("history.col.evidence")] == (f"Mystery shopper, {FMT.date(_dt.date(2026, 2, 20))}: 5.0 — "
                                             "Called back within the hour")
    positions = tables(section, cls="changes-positions")[0].by_first(T("col.company"))
    assert positions["Alpha"][T("history.col.rq_then")] == "152.9"
    assert positions["Alpha"][T("history.col.rp_then")] == "114.3"
    assert positions["Beta"][T("history.col.zone_then")] == T("zone.worse")


def test_without_snapshots_there_is_no_changes_page_and_no_trail(tree, cli):
    site = build(cli, tree.root)
    assert not (site / "changes.html").exists()
    figure = chart_json(load(site / "index.html"), "value-map")
    assert not [tr for tr in figure["data"] if tr.get("meta", {}).get("trail")]
    assert "changes.html" not in (site / "index.html").read_text(encoding="utf-8")


# --- the export ----------------------------------------------------------------------------------------

def test_export_carries_positions_per_date_per_company(history_tree, cli):
    run = cli(history_tree.root, "export")
    assert run.code == 0, run.err
    data = json.loads(run.out)
    steps = data["history"]["steps"]
    assert [s["date"] for s in steps][0] == DAY.isoformat() and [s["current"] for s in steps] == [False, True]
    beta = {s["date"]: next(c for c in s["companies"] if c["slug"] == "beta") for s in steps}
    assert beta[DAY.isoformat()]["relative_quality"] == pytest.approx(59.375)
    assert beta[DAY.isoformat()]["relative_price"] == pytest.approx(100.0)
    assert beta[DAY.isoformat()]["zone"] == "worse" and beta[DAY.isoformat()]["price"] == 55.0
    assert data["history"]["rival"] == "gamma"
    gamma_then = next(c for c in steps[0]["companies"] if c["slug"] == "gamma")
    assert gamma_then["relative_quality"] == pytest.approx(100 * (0.125 * 4 / 7 + 0.375 * 8 / 7 + 0.5 * 7 / 6))
    assert NOTE_CANARY not in run.out and EVIDENCE_CANARY not in run.out


# --- nothing internal in an external build -------------------------------------------------------------

def test_a_snapshots_internal_values_never_reach_the_external_build(history_tree, cli):
    # gamma's RQ then with the internal evidence counted (101.6) vs from public evidence only (108.3)
    internal_rq, public_rq = FMT.number(101.6369), FMT.number(108.3333)
    history_tree.write(f"history/{DAY.isoformat()}.yaml",
                       SNAPSHOT.replace("{source: mystery-shopper, value: 8, date: 2026-01-12}",
                                        "{source: mystery-shopper, value: 8, date: 2026-01-12, note: public-note}"))
    external = build(cli, history_tree.root)
    text = "".join(p.read_text(encoding="utf-8") for p in external.rglob("*") if p.is_file() and
                   p.suffix in (".html", ".json", ".txt", ".xml"))
    assert NOTE_CANARY not in text and EVIDENCE_CANARY not in text
    trail = the_table(load(external / "index.html"), T("history.trail_caption"))
    gamma = [r for r in trail.rows if r[0] == "Gamma"]
    assert gamma[0][:3] == ["Gamma", THEN, public_rq]
    assert internal_rq not in text
    internal = build(cli, history_tree.root, "--audience", "internal")
    inside = (internal / "changes.html").read_text(encoding="utf-8")
    assert NOTE_CANARY in inside
    trail = the_table(load(internal / "index.html"), T("history.trail_caption"))
    assert [r for r in trail.rows if r[0] == "Gamma"][0][2] == internal_rq


# --- bad snapshot files --------------------------------------------------------------------------------

BAD = """\
companies:
  beta:
    prices: [{plan: Basic, tier: standard, price: 55, seats: {min: 1}}]
    scores:
      usability: {setpu: 6, daily-use: 11}
      service:
        evidence:
          - {source: mystery-shopper, value: 3, date: 2026-03-01}
  betta:
    prices: [{plan: Basic, tier: standard, price: 55, seats: {min: 1}}]
    scores: {service: 3}
  gamma:
    prics: []
"""


def test_bad_snapshot_files_give_positioned_errors_all_at_once(tree, cli):
    tree.write("history/2026-02-01.yaml", BAD)
    tree.write("history/2026-13-01.yaml", SNAPSHOT)
    tree.write("history/2999-01-01.yaml", SNAPSHOT)
    tree.replace("site.yaml", "us: alpha\n", "us: alpha\nhistory: {rival: gamm}\n")
    run = cli(tree.root, "check")
    assert run.code == 1, run.err
    assert "Traceback" not in run.err
    f = str(Path("content") / "history" / "2026-02-01.yaml")
    expected = [
        (f"{f}:5:19: error: unknown criterion 'setpu'", "(unknown-criterion)", "did you mean 'setup'"),
        (f"{f}:5:40: error: score 11 is outside the scale", "[companies.beta.scores.usability.daily-use]", ""),
        (f"{f}:8:55: error: date 2026-03-01 is after the snapshot's date 2026-02-01", "(date-after-snapshot)", ""),
        (f"{f}:9:3: error: unknown company 'betta'", "(unknown-company)", "did you mean 'beta'"),
        (f"{f}:13:5: error: unknown field 'prics'", "[companies.gamma.prics]", "did you mean 'prices'"),
        (str(Path("content") / "history" / "2026-13-01.yaml") + ":1:1: error:", "(snapshot-name)", ""),
        (str(Path("content") / "history" / "2999-01-01.yaml") + ":1:1: error: snapshot date 2999-01-01 is in the future",
         "(date-in-future)", ""),
        (str(Path("content") / "site.yaml"), "history.rival names 'gamm'", "did you mean 'gamma'"),
    ]
    for start, inside, hint in expected:
        lines = [ln for ln in run.err.splitlines() if ln.startswith(start) or (start in ln and inside in ln)]
        assert lines, f"no diagnostic starting {start!r} in:\n{run.err}"
        assert any(inside in ln for ln in lines), f"{inside!r} not in {lines}\n{run.err}"
        if hint:
            assert hint in run.err, run.err


def test_a_bad_snapshot_fails_the_build_and_writes_nothing(tree, cli):
    tree.write("history/2026-02-01.yaml", BAD)
    run = cli(tree.root, "build")
    assert run.code == 1 and not (tree.root / "site").exists()
    with pytest.raises(ContentError):
        checked(tree)
