"""``valuemap export``: JSON on stdout (or a file), documented keys, the same numbers as the pages, no internal
content, and a clean failure on bad content.

Expected numbers for the small tree are worked out by hand in tests/unit/test_score.py.
"""
from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from generator.cli import main
from generator.formats import Formatter
from test_build_pages import RANKING, _sample_internal_texts, load, the_table

COMPANY_KEYS = {"slug", "name", "is_us", "rank", "dimension_scores", "value_score", "relative_quality",
                "relative_price", "price", "plan", "justified_price", "headroom", "headroom_pct", "customer_value",
                "zone"}
SCENARIO_KEYS = {"id", "label", "weights", "price_reference", "comparison", "fair_value_line", "fair_value_band",
                 "companies"}


class BinaryRun:
    def __init__(self, code: int, out: bytes, err: str):
        self.code, self.out, self.err = code, out, err

    def json(self) -> dict:
        return json.loads(self.out.decode("utf-8"))


@pytest.fixture
def export(monkeypatch):
    """Run ``valuemap export`` in-process with a stdout that, like a terminal's, has a binary ``buffer``."""

    def run(cwd: Path, *args: str) -> BinaryRun:
        monkeypatch.chdir(cwd)
        monkeypatch.setenv("NO_COLOR", "1")
        raw = io.BytesIO()
        out = io.TextIOWrapper(raw, encoding="utf-8", write_through=True)
        err = io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(["export", *args])
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
        out.flush()
        return BinaryRun(code, raw.getvalue(), err.getvalue())

    return run


# --- the shared in-process runner ----------------------------------------------------------------------

def test_export_through_the_shared_cli_fixture_prints_json(tree, cli):
    # The conftest runner captures stdout in a StringIO (no .buffer): export must still print its JSON.
    run = cli(tree.root, "export")
    assert run.code == 0, run.err
    assert json.loads(run.out)["valuemap_export"] == 1


# --- shape -----------------------------------------------------------------------------------------------

def test_export_stdout_is_json_with_the_documented_keys(tree, export):
    run = export(tree.root)
    assert run.code == 0, run.err
    assert run.err == ""
    data = run.json()
    assert {"valuemap_export", "site", "dimensions", "scenarios"} <= set(data)
    assert data["valuemap_export"] == 1
    assert data["site"] == {"title": "Test market", "market": "Widgets", "currency": "EUR",
                            "price_basis": "per seat per month", "us": "alpha", "scale": {"min": 0, "max": 10}}
    assert [d["id"] for d in data["dimensions"]] == ["usability", "service"]
    assert data["dimensions"][0]["criteria"] == [
        {"id": "setup", "label": "Setup", "weight": 1, "better": "higher", "unit": None},
        {"id": "daily-use", "label": "Daily use", "weight": 3, "better": "higher", "unit": None}]
    assert [s["id"] for s in data["scenarios"]] == ["overall", "small"]
    for scenario in data["scenarios"]:
        assert SCENARIO_KEYS <= set(scenario)
        assert len(scenario["companies"]) == 3
        for company in scenario["companies"]:
            assert COMPANY_KEYS <= set(company), COMPANY_KEYS - set(company)
            assert set(company["dimension_scores"]) == {"usability", "service"}
            assert company["zone"] in ("better", "fair", "worse")


def test_export_numbers_are_the_hand_computed_ones(tree, export):
    data = export(tree.root).json()
    overall, small = data["scenarios"]
    assert overall["weights"] == {"usability": 0.5, "service": 0.5}
    assert overall["price_reference"] == {"tier": "standard", "seats": 10}
    assert (overall["comparison"], overall["fair_value_line"]["method"], overall["fair_value_band"]) == (
        "others", "diagonal", 5)
    assert [c["slug"] for c in overall["companies"]] == ["alpha", "gamma", "beta"]
    alpha = overall["companies"][0]
    assert (alpha["name"], alpha["is_us"], alpha["rank"], alpha["plan"], alpha["price"]) == (
        "Alpha", True, 1, "Basic", 60)
    assert alpha["dimension_scores"] == {"usability": pytest.approx(8.0), "service": pytest.approx(9.0)}
    assert alpha["value_score"] == pytest.approx(8.5)  # .5·8 + .5·9
    # point weights setup .125, daily use .375, service .5; averages of the others: setup (6 + 4)/2 = 5,
    # daily use (6 + 8)/2 = 7, service (5 + 7)/2 = 6
    # RQ = 100·(.125·8/5 + .375·8/7 + .5·9/6) = 137.8571; RP = 100·60/45 = 133.3333; d = 4.5238
    # justified = 137.8571·45/100 = 62.0357; headroom 2.0357 = 3.3929 % of 60
    got = {k: alpha[k] for k in ("relative_quality", "relative_price", "customer_value", "justified_price",
                                 "headroom", "headroom_pct")}
    assert got == {"relative_quality": pytest.approx(137.8571, abs=1e-4),
                   "relative_price": pytest.approx(133.3333, abs=1e-4),
                   "customer_value": pytest.approx(4.5238, abs=1e-4),
                   "justified_price": pytest.approx(62.0357, abs=1e-4),
                   "headroom": pytest.approx(2.0357, abs=1e-4),
                   "headroom_pct": pytest.approx(3.3929, abs=1e-4)}
    assert alpha["known"] == 1.0 and alpha["quality_price_ratio"] == pytest.approx(1.0339, abs=1e-4)
    # bare numbers: known, but backed by no evidence → coverage 0 and every score "unsupported"
    assert alpha["coverage"] == 0.0
    assert {k: v["status"] for k, v in alpha["scores"].items()} == {
        "usability.setup": "unsupported", "usability.daily-use": "unsupported", "service": "unsupported"}
    assert alpha["price_detail"]["status"] == "unsupported" and alpha["price_detail"]["value"] == 60
    beta = overall["companies"][2]
    # usability .25·6 + .75·6 = 6; RQ = 100·(.125·6/6 + .375·6/8 + .5·5/8) = 71.875; RP = 100·40/55 = 72.7273
    # justified 71.875·55/100 = 39.53125; headroom −0.46875
    assert beta["dimension_scores"] == {"usability": pytest.approx(6.0), "service": pytest.approx(5.0)}
    assert (beta["relative_quality"], beta["relative_price"], beta["justified_price"], beta["headroom"]) == (
        pytest.approx(71.875), pytest.approx(72.7273, abs=1e-4), pytest.approx(39.5312, abs=1e-4),
        pytest.approx(-0.4688, abs=1e-4))
    gamma = overall["companies"][1]
    assert gamma["dimension_scores"] == {"usability": pytest.approx(7.0), "service": pytest.approx(7.0)}
    # segment "small": weights 3 : 1, prices at 2 seats; ranking beta, gamma, alpha
    assert small["label"] == "Small teams"
    assert small["weights"] == {"usability": 0.75, "service": 0.25}
    assert small["price_reference"] == {"tier": "standard", "seats": 2}
    assert [(c["slug"], c["rank"]) for c in small["companies"]] == [("beta", 1), ("gamma", 2), ("alpha", 3)]
    # beta RQ = 100·(.1875·6/6 + .5625·6/8 + .25·5/8) = 76.5625; alpha 100·(.1875·8/5 + .5625·8/7 + .25·9/6) = 131.7857
    assert small["companies"][0]["relative_quality"] == pytest.approx(76.5625)
    assert small["companies"][2]["relative_quality"] == pytest.approx(131.7857, abs=1e-4)
    assert overall["unplaced"] == [] and overall["quality_ratio"] == "criterion" and overall["rank_by"] == "distance"


# --- agreement with the pages ----------------------------------------------------------------------------

def test_export_agrees_with_the_home_and_segment_pages(sample, cli, export):
    data = export(sample.root).json()
    run = cli(sample.root, "build")
    assert run.code == 0, run.err
    site = sample.root / "site"
    currency = data["site"]["currency"]
    assert [s["id"] for s in data["scenarios"]][0] == "overall"
    assert len(data["scenarios"]) >= 2
    mismatches = []
    for scenario in data["scenarios"]:
        page = site / ("index.html" if scenario["id"] == "overall" else f"segments/{scenario['id']}.html")
        table = the_table(load(page), RANKING, cls="ranking")
        shown = [(r[table.columns.index("Company")], r[table.columns.index("Rank")],
                  r[table.columns.index("Rel. quality")], r[table.columns.index("Rel. price")],
                  r[table.columns.index("Price")]) for r in table.rows]
        fmt = Formatter("en", currency, 0)  # the sample's prices are whole euros
        exported = [(c["name"], str(c["rank"]), fmt.number(c["relative_quality"]), fmt.number(c["relative_price"]),
                     ("≈" if c["price_detail"]["kind"] == "estimate" else "") + fmt.money(c["price"]))
                    for c in scenario["companies"]]  # our estimate of a quote reads "≈€72"
        if shown != exported:
            mismatches.append((scenario["id"], [(s, e) for s, e in zip(shown, exported) if s != e]))
    assert mismatches == []


def test_export_has_no_internal_content(tree, export):
    out = export(tree.root).out.decode("utf-8")
    assert "SECRET" not in out  # talk_track "SECRET-TALK-…", internal_notes "SECRET-NOTE-…"
    for field in ("talk_track", "internal_notes", "objections"):
        assert f'"{field}"' not in out


def test_sample_export_has_no_internal_content(sample, export):
    out = export(sample.root).out.decode("utf-8")
    texts = _sample_internal_texts(sample.content)
    assert len(texts) >= 20
    assert [key for key, text in texts.items() if text in out] == []
    for field in ("talk_track", "internal_notes", "objections", "evidence", "note"):
        assert f'"{field}"' not in out


# --- output file and failures ------------------------------------------------------------------------------

def test_export_to_a_file_writes_the_same_bytes(tree, cli, export):
    stdout = export(tree.root).out
    run = cli(tree.root, "export", "-o", "model.json")
    assert run.code == 0, run.err
    assert run.out == ""
    assert (tree.root / "model.json").read_bytes() == stdout
    run = cli(tree.root, "export", "--output", "again.json")
    assert (tree.root / "again.json").read_bytes() == stdout


def test_export_is_deterministic(tree, export):
    assert export(tree.root).out == export(tree.root).out


def test_export_of_bad_content_exits_1_with_a_message(tree, cli):
    tree.replace("companies/beta.yaml", "service: 5", 'service: "five"')
    run = cli(tree.root, "export")
    assert run.code == 1
    assert run.out == ""
    assert "beta.yaml" in run.err
    assert "service" in run.err


def test_export_of_bad_content_writes_no_file(tree, cli):
    tree.replace("site.yaml", "us: alpha", "us: nobody")
    run = cli(tree.root, "export", "-o", "model.json")
    assert run.code == 1
    assert run.err.strip()
    assert not (tree.root / "model.json").exists()
