"""The review gate (generator/gate.py, ``review_gate``): under --strict, every piece of free text about a company
that an external page would show — summary, strengths, weaknesses, evidence notes, ours too — needs a review
date; internal text needs none and never reaches an external page."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from generator.schema import SCHEMA_DIR
from test_errors import diagnostics_of, locate
from test_schema import errors, plain
from generator.yaml_reader import parse_yaml

BETA = "content/companies/beta.yaml"
TODAY = dt.datetime(2026, 11, 23, 12, tzinfo=dt.timezone.utc)
REVIEWED = "2026-11-16"


@pytest.fixture(autouse=True)
def pinned(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(TODAY.timestamp())))


def _reviewed(tree) -> None:
    """The test tree with every external text reviewed, and a gate minimum its bare numbers pass."""
    for slug in ("alpha", "beta", "gamma"):
        rel = f"companies/{slug}.yaml"
        tree.replace(rel, "sells widgets.\"\n", f"sells widgets.\"\nsummary_reviewed: {REVIEWED}\n")
        tree.replace(rel, 'strengths: ["Fast"]', f"strengths: [{{text: Fast, reviewed: {REVIEWED}}}]")
        tree.replace(rel, 'weaknesses: ["Small"]', f"weaknesses: [{{text: Small, reviewed: {REVIEWED}}}]")
    tree.write_bytes("site.yaml", (tree.read("site.yaml") + "verification: {min_status: unsupported}\n").encode())


def _unreviewed(diags: list[dict]) -> list[dict]:
    return [d for d in diags if d["code"] == "unreviewed-text"]


def test_a_reviewed_tree_passes_the_strict_gate(tree, cli):
    _reviewed(tree)
    run = cli(tree.root, "check", "--strict")
    assert run.code == 0, run.err


def test_unreviewed_external_text_fails_strict_with_company_field_and_first_words(tree, cli):
    _reviewed(tree)
    tree.replace("companies/beta.yaml", f"weaknesses: [{{text: Small, reviewed: {REVIEWED}}}]",
                 f"weaknesses:\n  - {{text: Small, reviewed: {REVIEWED}}}\n"
                 "  - Slowest and least personal support we have measured\n")
    assert cli(tree.root, "check").code == 0  # a plain string is valid; without --strict there is no gate
    run = cli(tree.root, "check", "--strict", "--format", "json")
    assert run.code == 1
    [d] = _unreviewed(diagnostics_of(run))
    assert d["severity"] == "error" and d["file"] == BETA and d["path"] == "weaknesses[1]"
    assert d["message"] == ("Beta: weaknesses[1] 'Slowest and least personal…' has not been reviewed for "
                            "external pages")
    assert (d["line"], d["column"]) == locate(tree.read("companies/beta.yaml"), "Slowest")
    assert "reviewed" in d["hint"] and "audience: internal" in d["hint"]
    text = cli(tree.root, "check", "--strict")
    line, column = locate(tree.read("companies/beta.yaml"), "Slowest")
    assert (f"{BETA}:{line}:{column}: error: Beta: weaknesses[1] 'Slowest and least personal…' has not been "
            "reviewed for external pages [weaknesses[1]] (unreviewed-text)") in text.err
    assert cli(tree.root, "build", "--strict").code == 1
    assert not (tree.root / "site").exists()


def test_summary_strengths_and_evidence_notes_of_every_company_count_ours_too(tree, cli):
    _reviewed(tree)
    tree.replace("companies/alpha.yaml", f"summary_reviewed: {REVIEWED}\n", "")  # our own company
    tree.replace("companies/gamma.yaml", f"strengths: [{{text: Fast, reviewed: {REVIEWED}}}]",
                 "strengths: [{text: Fast, audience: external}]")  # explicitly external: still needs a review
    tree.replace("companies/beta.yaml", "  service: 5\n",
                 "  service:\n    evidence:\n"
                 "      - {source: mystery-shopper, value: 5, date: 2026-10-01, note: \"Chat answered in 2 minutes\"}\n"
                 f"      - {{source: mystery-shopper, value: 5, date: 2026-10-02, note: Fine, reviewed: {REVIEWED}}}\n"
                 "      - {source: mystery-shopper, value: 5, date: 2026-10-03}\n")  # no note: nothing to review
    run = cli(tree.root, "check", "--strict", "--format", "json")
    got = sorted((d["file"].rsplit("/", 1)[-1], d["path"], d["message"]) for d in _unreviewed(diagnostics_of(run)))
    assert got == [
        ("alpha.yaml", "summary", "Alpha: summary 'Alpha sells widgets.' has not been reviewed for external pages"),
        ("beta.yaml", "scores.service.evidence[0].note",
         "Beta: scores.service.evidence[0].note 'Chat answered in 2…' has not been reviewed for external pages"),
        ("gamma.yaml", "strengths[0]", "Gamma: strengths[0] 'Fast' has not been reviewed for external pages"),
    ]
    by = {d["path"]: d for d in _unreviewed(diagnostics_of(run))}
    note = by["scores.service.evidence[0].note"]
    assert (note["line"], note["column"]) == locate(tree.read("companies/beta.yaml"), "Chat answered",
                                                    column_of='"Chat')
    assert "note_audience: internal" in note["hint"]
    assert "summary_reviewed" in by["summary"]["hint"]


def test_the_untouched_tree_is_valid_without_strict_and_only_unreviewed_text_fails_it(tree, cli):
    """Plain strings (today's files) stay valid; --strict names each unreviewed text (3 companies × 3 texts)."""
    tree.write_bytes("site.yaml", (tree.read("site.yaml") + "verification: {min_status: unsupported}\n").encode())
    run = cli(tree.root, "check", "--format", "json")
    assert run.code == 0 and diagnostics_of(run) == []
    strict = cli(tree.root, "check", "--strict", "--format", "json")
    diags = diagnostics_of(strict)
    assert {d["code"] for d in diags} == {"unreviewed-text"}
    assert len(diags) == 9


CANARY = """\
strengths:
  - {text: Fast, reviewed: 2026-11-16}
  - {text: "CANARY-STRENGTH they keep customers by lock-in", audience: internal}
weaknesses:
  - {text: Small, reviewed: 2026-11-16}
  - text: CANARY-WEAKNESS former customer Acme Ltd
    audience: internal
"""

CANARY_EVIDENCE = """\
  service:
    evidence:
      - {source: mystery-shopper, value: 5, date: 2026-10-01, note: "CANARY-NOTE interview with Jane at Acme", note_audience: internal}
      - {source: mystery-shopper, value: 6, date: 2026-10-02, note: "CANARY-HIDDEN under NDA", internal: true}
      - {source: mystery-shopper, value: 5, date: 2026-10-03, note: "Public note", reviewed: 2026-11-16}
"""


def _canaries(tree) -> None:
    _reviewed(tree)
    beta = tree.read("companies/beta.yaml")
    start = beta.index("strengths:")
    end = beta.index("talk_track:")
    tree.write("companies/beta.yaml", beta[:start] + CANARY + beta[end:])
    tree.replace("companies/beta.yaml", "  service: 5\n", CANARY_EVIDENCE)


def _site_text(site) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in site.rglob("*")
                     if p.is_file() and p.suffix in (".html", ".json", ".xml", ".txt", ".js"))


def test_internal_text_passes_the_gate_and_never_reaches_the_external_build(tree, cli):
    _canaries(tree)
    run = cli(tree.root, "check", "--strict", "--format", "json")
    assert run.code == 0, run.out
    assert cli(tree.root, "build", "--strict").code == 0
    external = _site_text(tree.root / "site")
    for canary in ("CANARY-STRENGTH", "CANARY-WEAKNESS", "CANARY-NOTE", "CANARY-HIDDEN", "Acme", "lock-in"):
        assert canary not in external, canary
    assert "Public note" in external and ">Fast<" in external  # the reviewed text is still shown
    assert cli(tree.root, "export", "-o", "model.json").code == 0
    exported = (tree.root / "model.json").read_text(encoding="utf-8")
    assert "CANARY" not in exported
    assert cli(tree.root, "build", "--audience", "internal", "--out", "site-internal").code == 0
    beta = (tree.root / "site-internal" / "competitors" / "beta.html").read_text(encoding="utf-8")
    for canary in ("CANARY-STRENGTH", "CANARY-WEAKNESS", "CANARY-NOTE", "CANARY-HIDDEN"):
        assert canary in beta, canary
    assert 'CANARY-STRENGTH they keep customers by lock-in <span class="badge internal">internal</span>' in beta


def test_the_external_competitor_page_keeps_its_reviewed_text(tree, cli):
    """Internal items are left out, not replaced: a list with only internal items shows 'None recorded.'"""
    _canaries(tree)
    tree.replace("companies/beta.yaml", "  - {text: Fast, reviewed: 2026-11-16}\n", "")
    assert cli(tree.root, "build").code == 0
    page = (tree.root / "site" / "competitors" / "beta.html").read_text(encoding="utf-8")
    assert "CANARY" not in page and ">Small<" in page
    assert 'class="none"' in page  # no external strengths left


def test_a_review_date_in_the_future_is_an_error(tree, cli):
    _reviewed(tree)
    tree.replace("companies/beta.yaml", f"weaknesses: [{{text: Small, reviewed: {REVIEWED}}}]",
                 "weaknesses: [{text: Small, reviewed: 2026-12-01}]")
    run = cli(tree.root, "check", "--format", "json")  # even without --strict
    assert run.code == 1
    [d] = [d for d in diagnostics_of(run) if d["severity"] == "error"]
    assert d["code"] == "date-in-future" and d["path"] == "weaknesses[0].reviewed"
    assert d["message"] == "review date 2026-12-01 is in the future"
    assert (d["line"], d["column"]) == locate(tree.read("companies/beta.yaml"), "2026-12-01")


@pytest.mark.parametrize("old, new, code, path", [
    ('weaknesses: ["Small"]', "weaknesses: [{text: Small, audience: publik}]", "invalid-choice",
     "weaknesses[0].audience"),
    ('weaknesses: ["Small"]', "weaknesses: [{text: Small, reviwed: 2026-11-16}]", "unknown-key",
     "weaknesses[0].reviwed"),
    ('weaknesses: ["Small"]', "weaknesses: [{audience: internal}]", "missing-field", "weaknesses[0].text"),
    ('weaknesses: ["Small"]', "weaknesses: [42]", None, "weaknesses[0]"),
], ids=["bad-audience", "misspelt-key", "no-text", "a-number"])
def test_a_wrong_statement_is_reported_where_it_is_written(tree, cli, old, new, code, path):
    tree.replace("companies/beta.yaml", old, new)
    run = cli(tree.root, "check", "--format", "json")
    assert run.code == 1
    found = [d for d in diagnostics_of(run) if d["severity"] == "error"]
    assert [d["path"] for d in found] == [path], found
    if code is not None:
        assert found[0]["code"] == code, found
    assert found[0]["file"] == BETA and found[0]["line"] == locate(tree.read("companies/beta.yaml"), "weaknesses:")[0]


def test_the_sample_passes_the_review_gate(sample, cli):
    run = cli(sample.root, "check", "--strict")
    assert run.code == 0, run.err


def test_the_sample_keeps_sensitive_text_internal_and_every_competitor_some_reviewed_text(sample, cli):
    assert cli(sample.root, "build").code == 0
    site = sample.root / "site"
    external = _site_text(site)
    for secret in ("migrating is hard", "Former customer", "billing dispute", "IT lead at a regional utility",
                   "travel company"):
        assert secret not in external, secret
    assert cli(sample.root, "build", "--audience", "internal", "--out", "site-internal").code == 0
    internal = _site_text(sample.root / "site-internal")
    for secret in ("migrating is hard", "Former customer"):
        assert secret in internal, secret
    for page in sorted((site / "competitors").glob("*.html")):
        if page.name == "index.html":
            continue
        html = page.read_text(encoding="utf-8")
        assert 'class="none"' not in html.split('class="plus"', 1)[1].split("</ul>", 1)[0], page.name
        assert 'class="none"' not in html.split('class="minus"', 1)[1].split("</ul>", 1)[0], page.name


def test_the_site_schema_accepts_the_new_shapes(tree, cli):
    """Plain strings, {text, audience, reviewed}, summary_reviewed and an evidence item's reviewed/note_audience:
    what check accepts, the editor's schema accepts too (and a wrong audience is refused by both)."""
    assert cli(tree.root, "schema").code == 0
    schema = json.loads((tree.content / SCHEMA_DIR / "company.schema.json").read_text(encoding="utf-8"))
    _canaries(tree)
    tree.replace("companies/beta.yaml", "  - {text: Small, reviewed: 2026-11-16}\n", "  - Small\n")
    assert cli(tree.root, "check", "--strict").code == 1  # the plain "Small" is unreviewed, but valid
    assert cli(tree.root, "check").code == 0
    data = plain(parse_yaml(tree.read("companies/beta.yaml"), BETA).data)
    assert "summary_reviewed" in data and isinstance(data["weaknesses"][0], str)
    assert errors(schema, data) == []
    data["weaknesses"][1]["audience"] = "publik"
    assert errors(schema, data)


NOTES = """\
  service:
    value: 5
    note: "CANARY-SCORE-NOTE chat answered by a bot"
prices:
  - plan: Basic
    tier: standard
    seats: {min: 1}
    observations:
      - {price: 40, source: mystery-shopper, date: 2026-10-01, note: "CANARY-PRICE-NOTE quoted on a call"}
"""


def _notes(tree, score_extra: str = "", price_extra: str = "") -> None:
    """Beta with a score note and a price observation note (``*_extra``: keys added beside each note)."""
    _reviewed(tree)
    text = NOTES
    if score_extra:
        text = text.replace('bot"\n', f'bot"\n    {score_extra}\n')
    if price_extra:
        text = text.replace('call"}', f'call", {price_extra}}}')
    tree.replace("companies/beta.yaml", "  service: 5\n", text.split("prices:\n")[0])
    tree.replace("companies/beta.yaml", "prices:\n  - {plan: Basic, tier: standard, price: 40, seats: {min: 1}}\n",
                 "prices:\n" + text.split("prices:\n")[1])


def test_score_and_price_notes_are_reviewed_too(tree, cli):
    """A score's note and a price observation's note are shown on the external competitor page: under --strict
    each needs 'note_reviewed' (they were once outside the gate)."""
    _notes(tree)
    assert cli(tree.root, "check").code == 0
    run = cli(tree.root, "check", "--strict", "--format", "json")
    assert run.code == 1
    found = {d["path"]: d for d in _unreviewed(diagnostics_of(run))}
    assert sorted(found) == ["prices[0].observations[0].note", "scores.service.note"]
    beta = tree.read("companies/beta.yaml")
    score, price = found["scores.service.note"], found["prices[0].observations[0].note"]
    assert score["file"] == BETA and price["file"] == BETA
    assert (score["line"], score["column"]) == locate(beta, "CANARY-SCORE-NOTE", column_of='"CANARY-SCORE')
    assert (price["line"], price["column"]) == locate(beta, "CANARY-PRICE-NOTE", column_of='"CANARY-PRICE')
    assert score["message"] == ("Beta: scores.service.note 'CANARY-SCORE-NOTE chat answered by…' has not been "
                                "reviewed for external pages")
    for d in (score, price):
        assert "note_reviewed: YYYY-MM-DD" in d["hint"] and "note_audience: internal" in d["hint"]
    assert "to the score" in score["hint"] and "to the price observation" in price["hint"]
    # the external page shows both notes: that is why they are reviewed
    assert cli(tree.root, "build").code == 0
    page = (tree.root / "site" / "competitors" / "beta.html").read_text(encoding="utf-8")
    assert "CANARY-SCORE-NOTE" in page and "CANARY-PRICE-NOTE" in page


def test_reviewed_score_and_price_notes_pass(tree, cli):
    _notes(tree, f"note_reviewed: {REVIEWED}", f"note_reviewed: {REVIEWED}")
    run = cli(tree.root, "check", "--strict")
    assert run.code == 0, run.err


def test_internal_score_and_price_notes_pass_and_stay_off_the_external_build(tree, cli):
    _notes(tree, "note_audience: internal", "note_audience: internal")
    assert cli(tree.root, "check", "--strict").code == 0
    assert cli(tree.root, "build", "--strict").code == 0
    external = _site_text(tree.root / "site")
    assert "CANARY" not in external
    beta = (tree.root / "site" / "competitors" / "beta.html").read_text(encoding="utf-8")
    assert ">5.0<" in beta or "5.0" in beta  # the score itself is still shown
    assert cli(tree.root, "build", "--audience", "internal", "--out", "site-internal").code == 0
    internal = (tree.root / "site-internal" / "competitors" / "beta.html").read_text(encoding="utf-8")
    assert "CANARY-SCORE-NOTE" in internal and "CANARY-PRICE-NOTE" in internal


def test_a_future_note_review_date_is_an_error(tree, cli):
    _notes(tree, "note_reviewed: 2026-12-01", f"note_reviewed: {REVIEWED}")
    run = cli(tree.root, "check", "--format", "json")
    assert run.code == 1
    [d] = [d for d in diagnostics_of(run) if d["severity"] == "error"]
    assert d["code"] == "date-in-future" and d["path"] == "scores.service.note_reviewed"


def _note(run) -> str:
    notes = [n for n in json.loads(run.out)["notes"] if n.startswith("the publishing gate")]
    assert len(notes) <= 1, notes
    return notes[0] if notes else ""


def test_check_without_strict_counts_what_the_gate_would_refuse(tree, cli):
    """A new project's first `check --strict` in CI was its first sight of the gate: plain `check` passed and
    said nothing. It now says, in one note, how many things the gate would refuse, as many as it does."""
    run = cli(tree.root, "check", "--format", "json")
    assert run.code == 0
    strict = cli(tree.root, "check", "--strict", "--format", "json")
    refused = [d for d in diagnostics_of(strict) if d["severity"] == "error"]
    texts = sum(d["code"] == "unreviewed-text" for d in refused)
    claims = sum(d["code"] == "below-min-status" for d in refused)
    assert texts == 9 and claims > 0 and texts + claims == len(refused), refused
    assert _note(run) == (f"the publishing gate (--strict) would refuse {len(refused)} things in 3 files: {claims} "
                          f"scores or prices below verification.min_status (single-source), {texts} texts not "
                          "reviewed for external pages — `valuemap check --strict` lists each one")


def test_check_says_nothing_of_the_gate_when_it_passes_or_under_strict(tree, cli):
    _reviewed(tree)
    assert _note(cli(tree.root, "check", "--format", "json")) == ""
    tree.replace("companies/beta.yaml", f"summary_reviewed: {REVIEWED}\n", "")
    run = cli(tree.root, "check", "--format", "json")
    assert _note(run).startswith("the publishing gate (--strict) would refuse 1 thing in 1 file: 1 text not "
                                 "reviewed"), _note(run)
    assert "publishing gate" not in cli(tree.root, "check", "--strict", "--format", "json").out
