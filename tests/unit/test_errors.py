"""Error handling: bad content → exit 1, every problem reported at once, each naming file:line:column, the
field path, what was expected and a did-you-mean; no traceback; the previous site left byte-identical.

Every expected line and column is computed from the text the test wrote (see :func:`locate`), never typed in.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

REPO = Path(__file__).resolve().parents[2]
TMP_PREFIXES = (".valuemap-tmp-", ".valuemap-old-")


# --- helpers ----------------------------------------------------------------------------------------------

def snapshot(folder: Path) -> dict[str, bytes]:
    """relpath → bytes of every file under ``folder`` (empty dict if it does not exist)."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def locate(text: str, needle: str, nth: int = 1, column_of: str | None = None) -> tuple[int, int]:
    """1-based (line, column) of the ``nth`` line holding ``needle``; the column is where ``column_of``
    (default: ``needle``) starts on that line."""
    hits = [(i + 1, line) for i, line in enumerate(text.splitlines()) if needle in line]
    assert len(hits) >= nth, f"{needle!r} occurs on {len(hits)} line(s), wanted occurrence {nth}"
    number, line = hits[nth - 1]
    return number, line.index(column_of or needle) + 1


def diagnostics_of(run) -> list[dict]:
    assert "Traceback" not in run.err and "Traceback" not in run.out, run.err
    data = json.loads(run.out)
    assert set(data) - {"notes"} == {"ok", "summary", "diagnostics"}  # notes: a check that succeeded
    for d in data["diagnostics"]:
        assert set(d) == {"code", "severity", "file", "line", "column", "path", "message", "hint"}, d
    return data["diagnostics"]


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(TMP_PREFIXES))


def assert_text_report(err: str, diags: list[dict], root: Path) -> None:
    """The terminal report: ``file:line:col: error: message [path] (code)``, a caret excerpt, ``hint: ...``."""
    assert "Traceback" not in err
    lines = err.splitlines()
    for d in diags:
        loc = f"{d['file']}:{d['line']}:{d['column']}" if d["line"] else d["file"]
        path = f" [{d['path']}]" if d["path"] else ""
        head = f"{loc}: {d['severity']}: {d['message']}{path} ({d['code']})"
        assert head in lines, f"missing {head!r} in\n{err}"
        i = lines.index(head)
        if d["line"]:
            source = (root / d["file"]).read_text(encoding="utf-8", errors="replace").splitlines()[d["line"] - 1]
            gutter = f"    {d['line']} | "
            assert lines[i + 1] == gutter + source.replace("\t", " ")[:160], lines[i + 1]
            caret = lines[i + 2]
            assert caret.strip() == "^" and caret.index("^") == len(gutter) + d["column"] - 1, caret
        if d["hint"]:
            assert f"    hint: {d['hint']}" in lines[i + 1:i + 5]


# --- the cases -------------------------------------------------------------------------------------------

@dataclass
class Expect:
    code: str
    file: str  # relative to the project folder, as the author sees it
    at: str  # text on the reported line (unique unless nth is given)
    path: str | None
    message: str  # regular expression searched in the message
    hint: str | None = None  # regular expression searched in the hint (None: not checked)
    column_of: str | None = None  # what the column points at, if not ``at``
    nth: int = 1


@dataclass
class Case:
    id: str
    edit: Callable
    expect: list[Expect]
    codes: list[str] = field(default_factory=list)  # every code reported, sorted (the whole picture)


BETA = "content/companies/beta.yaml"
SITE = "content/site.yaml"
ACME = "content/prospects/acme.yaml"


def replace(rel: str, old: str, new: str):
    def edit(tree):
        tree.replace(rel, old, new)
    return edit


def write(rel: str, text: str):
    def edit(tree):
        tree.write_bytes(rel, text.encode("utf-8"))
    return edit


EVIDENCE = """\
  service:
    value: 5
    evidence:
      - source: {source}
        value: 5
        date: 2024-01-01
"""

CASES = [
    Case("dimension-typo", replace("companies/beta.yaml", "  usability:\n", "  usabilty:\n"),
         [Expect("unknown-dimension", BETA, "usabilty:", "scores.usabilty", r"^unknown dimension 'usabilty'$",
                 r"^did you mean 'usability'\?$"),
          Expect("missing-score", BETA, "scores:", "scores", r"'usability'", r"every dimension")],
         ["missing-score", "unknown-dimension"]),
    Case("criterion-typo", replace("companies/beta.yaml", "    daily-use: 6", "    daily-uze: 6"),
         [Expect("unknown-criterion", BETA, "daily-uze:", "scores.usability.daily-uze",
                 r"^unknown criterion 'daily-uze' in dimension 'usability'$", r"^did you mean 'daily-use'\?$"),
          Expect("missing-criterion", BETA, "usability:", "scores.usability", r"'daily-use'", r"every criterion")],
         ["missing-criterion", "unknown-criterion"]),
    Case("unknown-top-level-key", replace("companies/beta.yaml", "strengths:", "strenghts:"),
         [Expect("unknown-key", BETA, "strenghts:", "strenghts", r"^unknown field 'strenghts'$",
                 r"^did you mean 'strengths'\?$")],
         ["unknown-key"]),
    Case("unknown-nested-key", replace("companies/beta.yaml", "{plan: Basic,", "{plan: Basic, tear: pro,"),
         [Expect("unknown-key", BETA, "tear:", "prices[0].tear", r"^unknown field 'tear'$",
                 r"^did you mean 'tier'\?$")],
         ["unknown-key"]),
    Case("missing-name", replace("companies/beta.yaml", "name: Beta\n", ""),
         [Expect("missing-field", BETA, "website:", "name", r"^missing required field 'name'$")],
         ["missing-field"]),
    Case("price-is-text", replace("companies/beta.yaml", "price: 40", 'price: "cheap"'),
         [Expect("wrong-type", BETA, '"cheap"', "prices[0].price", r"^expected a number, got the text 'cheap'$",
                 r"without quotes")],
         ["wrong-type"]),
    Case("score-is-text", replace("companies/beta.yaml", "  service: 5", "  service: high"),
         [Expect("wrong-type", BETA, "service: high", "scores.service", r"expected a score.*got the text 'high'",
                 column_of="high")],
         ["wrong-type"]),
    Case("score-out-of-scale", replace("companies/beta.yaml", "  service: 5", "  service: 11"),
         [Expect("out-of-scale", BETA, "service: 11", "scores.service", r"^score 11 is outside the scale 0–10$",
                 column_of="11")],
         ["out-of-scale"]),
    Case("criterion-score-below-scale", replace("companies/beta.yaml", "    setup: 6", "    setup: -1"),
         [Expect("out-of-scale", BETA, "setup: -1", "scores.usability.setup", r"^score -1 is outside the scale 0–10$",
                 column_of="-1")],
         ["out-of-scale"]),
    Case("source-kind-typo", replace("companies/beta.yaml", "  service: 5\n", EVIDENCE.format(source="mystery-shoper")),
         [Expect("unknown-source-kind", BETA, "mystery-shoper", "scores.service.evidence[0].source",
                 r"^unknown source kind 'mystery-shoper'$", r"^did you mean 'mystery-shopper'\?$")],
         ["unknown-source-kind"]),
    Case("source-kind-unknown", replace("companies/beta.yaml", "  service: 5\n", EVIDENCE.format(source="gossip")),
         [Expect("unknown-source-kind", BETA, "gossip", "scores.service.evidence[0].source",
                 r"^unknown source kind 'gossip'$", r"'internal-metric'.*'mystery-shopper'")],
         ["unknown-source-kind"]),
    Case("missing-criterion", replace("companies/beta.yaml", "    daily-use: 6\n", ""),
         [Expect("missing-criterion", BETA, "usability:", "scores.usability", r"'daily-use'", r"every criterion")],
         ["missing-criterion"]),
    Case("missing-dimension-score", replace("companies/beta.yaml", "  service: 5\n", ""),
         [Expect("missing-score", BETA, "scores:", "scores", r"'service'", r"every dimension")],
         ["missing-score"]),
    Case("no-plan-for-segment", replace("companies/beta.yaml", "seats: {min: 1}", "seats: {min: 5}"),
         [Expect("no-price", BETA, "seats: {min: 5}", "prices[0].seats",
                 r"'standard'.*2 seats.*segment 'small'.*: plan 'Basic' is sold for 5 or more seats$",
                 r"widen its seats if it is sold for 2")],
         ["no-price"]),
    Case("no-plan-for-home-map", replace("companies/beta.yaml", "tier: standard", "tier: basic"),
         [Expect("no-price", BETA, "prices:", "prices", r"'standard'.*10 seats.*price_reference", r"add a plan"),
          Expect("no-price", BETA, "prices:", "prices", r"'standard'.*2 seats.*segment 'small'", r"add a plan")],
         ["no-price", "no-price"]),
    Case("prospect-unknown-names",
         write("prospects/acme.yaml", "name: Acme\nsegment: smal\nweights: {usabilty: 2}\n"
                                      "evaluating: [beta, gamm, alpha]\n"),
         [Expect("unknown-segment", ACME, "segment: smal", "segment", r"^unknown segment 'smal'$",
                 r"^did you mean 'small'\?$", column_of="smal"),
          Expect("unknown-dimension", ACME, "usabilty", "weights.usabilty", r"^unknown dimension 'usabilty'$",
                 r"^did you mean 'usability'\?$"),
          Expect("unknown-company", ACME, "gamm", "evaluating[1]", r"^unknown competitor 'gamm'$",
                 r"^did you mean 'gamma'\?$"),
          Expect("us-evaluated", ACME, "alpha]", "evaluating[2]",
                 r"^'alpha' is our own company \(site.yaml 'us'\), not a competitor$", r"always shows us",
                 column_of="alpha")],
         ["unknown-company", "unknown-dimension", "unknown-segment", "us-evaluated"]),
    Case("us-names-missing-company", replace("site.yaml", "us: alpha", "us: alpah"),
         [Expect("unknown-company", SITE, "us: alpah", "us", r"'alpah'.*companies/alpah\.yaml",
                 r"^did you mean 'alpha'\?$", column_of="alpah")],
         ["unknown-company"]),
    Case("duplicate-dimension-id",
         replace("site.yaml", "    label: Personal approach\n    weight: 0.5\n",
                 "    label: Personal approach\n    weight: 0.5\n  - id: service\n    label: Service again\n"
                 "    weight: 1\n"),
         [Expect("duplicate-id", SITE, "- id: service", "dimensions[2].id", r"dimension id 'service' is used twice",
                 nth=2, column_of="service")],
         ["duplicate-id"]),
    Case("duplicate-dimension-id-does-not-blame-companies",  # the companies are right; site.yaml is not
         replace("site.yaml", "    label: Personal approach\n    weight: 0.5\n",
                 "    label: Personal approach\n    weight: 0.5\n  - id: usability\n    label: Usability again\n"
                 "    weight: 1\n"),
         [Expect("duplicate-id", SITE, "- id: usability", "dimensions[2].id", r"dimension id 'usability' is used twice",
                 nth=2, column_of="usability")],
         ["duplicate-id"]),
    Case("duplicate-criterion-id", replace("site.yaml", "{id: daily-use,", "{id: setup,"),
         [Expect("duplicate-id", SITE, "{id: setup, label: Daily use", "dimensions[0].criteria[1].id",
                 r"criterion id 'setup' is used twice", column_of="setup")]),
    Case("bool-given-yes", replace("site.yaml", "independent: false", "independent: yes"),
         [Expect("wrong-type", SITE, "independent: yes", "source_kinds[1].independent",
                 r"^expected true or false, got the text 'yes'$", r"true or false", column_of="yes")],
         ["wrong-type"]),
    Case("unsafe-url-website", replace("companies/beta.yaml", "website: https://beta.example",
                                       "website: javascript:alert(1)"),
         [Expect("unsafe-url", BETA, "javascript:alert(1)", "website", r"'javascript:alert\(1\)' is not a web address",
                 r"https://")],
         ["unsafe-url"]),
    Case("unsafe-url-evidence",
         replace("companies/beta.yaml", "  service: 5\n",
                 EVIDENCE.format(source="mystery-shopper") + "        url: data:text/html,<script>alert(1)</script>\n"),
         [Expect("unsafe-url", BETA, "url: data:", "scores.service.evidence[0].url", r"is not a web address",
                 r"https://", column_of="data:")],
         ["unsafe-url"]),
    Case("whole-section-wrong-type", replace("companies/beta.yaml", "strengths: [\"Fast\"]", "strengths: Fast"),
         [Expect("wrong-type", BETA, "strengths: Fast", "strengths", r"^expected a list, got the text 'Fast'$",
                 column_of="Fast")],
         ["wrong-type"]),
    Case("page-front-matter-wrong-type", replace("pages/about.md", "order: 1", "order: first"),
         [Expect("wrong-type", "content/pages/about.md", "order: first", "order",
                 r"^expected a whole number, got the text 'first'$", column_of="first")],
         ["wrong-type"]),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_reported_precisely_and_the_site_is_kept(case: Case, tree, cli):
    ok = cli(tree.root, "build")
    assert ok.code == 0, ok.err
    before = snapshot(tree.root / "site")
    assert "index.html" in before

    case.edit(tree)
    run = cli(tree.root, "build", "--format", "json")
    assert run.code == 1, (run.out, run.err)
    diags = diagnostics_of(run)

    for exp in case.expect:
        text = (tree.root / exp.file).read_text(encoding="utf-8")
        line, column = locate(text, exp.at, exp.nth, exp.column_of)
        found = [d for d in diags if d["code"] == exp.code and d["path"] == exp.path
                 and re.search(exp.message, d["message"])]
        assert found, f"no {exp.code} at {exp.path} matching {exp.message!r} in {json.dumps(diags, indent=1)}"
        d = found[0]
        assert d["severity"] == "error"
        assert (d["file"], d["line"], d["column"]) == (exp.file, line, column), d
        if exp.hint is not None:
            assert d["hint"] and re.search(exp.hint, d["hint"]), d
    if case.codes:
        assert sorted(d["code"] for d in diags) == case.codes, diags

    # The terminal report says the same, with excerpts and hints, and no traceback.
    text_run = cli(tree.root, "build")
    assert text_run.code == 1
    assert_text_report(text_run.err, diags, tree.root)
    assert "nothing was written" in text_run.err

    # `check` finds the very same problems.
    checked = cli(tree.root, "check", "--format", "json")
    assert checked.code == 1
    assert diagnostics_of(checked) == diags

    # The previous site is byte-identical and no temporary folder is left behind.
    assert snapshot(tree.root / "site") == before
    assert leftovers(tree.root) == []


# --- dates ---------------------------------------------------------------------------------------------

def _epoch(day: dt.date) -> str:
    return str(int(dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.timezone.utc).timestamp()))


FUTURE_SCORE = """\
  service:
    value: 5
    as_of: 2024-06-02
    evidence:
      - {source: mystery-shopper, value: 5, date: 2024-07-01}
"""


def _with_dates(tree):
    tree.replace("companies/beta.yaml", "  service: 5\n", FUTURE_SCORE)
    tree.replace("companies/beta.yaml", "seats: {min: 1}}", "seats: {min: 1}, as_of: 2024-06-05}")
    tree.write_bytes("companies/beta.yaml", (tree.read("companies/beta.yaml") + "as_of: 2024-06-03\n").encode())


def test_dates_in_the_future_are_errors(tree, cli, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", _epoch(dt.date(2024, 6, 1)))
    assert cli(tree.root, "build").code == 0
    before = snapshot(tree.root / "site")
    _with_dates(tree)
    text = tree.read("companies/beta.yaml")
    run = cli(tree.root, "build", "--format", "json")
    assert run.code == 1
    diags = diagnostics_of(run)
    assert [d["code"] for d in diags] == ["date-in-future"] * 4
    expected = [
        ("prices[0].as_of", "2024-06-05"),
        ("scores.service.as_of", "2024-06-02"),
        ("scores.service.evidence[0].date", "2024-07-01"),
        ("as_of", "2024-06-03"),
    ]
    by_path = {d["path"]: d for d in diags}
    assert set(by_path) == {p for p, _ in expected}
    for path, date in expected:
        d = by_path[path]
        assert (d["file"], (d["line"], d["column"])) == (BETA, locate(text, date)), d
        assert d["message"] == f"date {date} is in the future"
    for path in ("scores.service.as_of", "scores.service.evidence[0].date"):
        assert by_path[path]["hint"] == "today is 2024-06-01"
    assert snapshot(tree.root / "site") == before


def test_the_same_dates_are_fine_once_they_have_passed(tree, cli, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", _epoch(dt.date(2024, 7, 1)))  # the latest date written is today
    _with_dates(tree)
    run = cli(tree.root, "build")
    assert run.code == 0, run.err


# --- many problems at once -----------------------------------------------------------------------------

def test_many_errors_in_many_files_are_reported_together_sorted(tree, cli):
    assert cli(tree.root, "build").code == 0
    before = snapshot(tree.root / "site")
    tree.replace("site.yaml", "us: alpha", "us: alpah")
    tree.replace("companies/alpha.yaml", "price: 60", 'price: "sixty"')
    tree.replace("companies/beta.yaml", "strengths:", "strenghts:")
    tree.replace("companies/gamma.yaml", "  service: 7", "  service: 70")
    tree.replace("companies/gamma.yaml", "website: https://gamma.example", "website: javascript:void(0)")
    tree.replace("pages/about.md", "order: 1", "order: first")
    tree.write("prospects/acme.yaml", "name: Acme\nsegment: smal\n")

    def at(rel, needle):
        return (f"content/{rel}", locate(tree.read(rel), needle)[0])

    expected = [
        (*at("companies/alpha.yaml", '"sixty"'), "wrong-type"),
        (*at("companies/beta.yaml", "strenghts"), "unknown-key"),
        (*at("companies/gamma.yaml", "javascript:"), "unsafe-url"),
        (*at("companies/gamma.yaml", "service: 70"), "out-of-scale"),
        (*at("pages/about.md", "order: first"), "wrong-type"),
        (*at("prospects/acme.yaml", "smal"), "unknown-segment"),
        (*at("site.yaml", "us: alpah"), "unknown-company"),
    ]
    assert expected == sorted(expected)  # sorted by file, then line

    run = cli(tree.root, "build", "--format", "json")
    assert run.code == 1
    diags = diagnostics_of(run)
    assert [(d["file"], d["line"], d["code"]) for d in diags] == expected

    text = cli(tree.root, "build")
    assert text.code == 1
    assert "Traceback" not in text.err
    heads = [ln for ln in text.err.splitlines() if re.match(r"^content/\S+:\d+:\d+: error: ", ln)]
    assert [(h.split(":")[0], int(h.split(":")[1])) for h in heads] == [(f, ln) for f, ln, _ in expected]
    assert "✗ 7 errors in 6 files" in text.err
    assert snapshot(tree.root / "site") == before


def test_all_problems_of_one_file_are_reported_together(tree, cli):
    """A field typo must not hide the other problems of the same file: the author fixes them in one go."""
    tree.replace("companies/beta.yaml", "strengths:", "strenghts:")
    tree.replace("companies/beta.yaml", "  service: 5", "  servcie: 5")
    tree.replace("companies/beta.yaml", "    setup: 6", "    setup: 11")
    text = tree.read("companies/beta.yaml")
    diags = diagnostics_of(cli(tree.root, "check", "--format", "json"))
    got = {(d["code"], d["line"]) for d in diags}
    assert ("unknown-key", locate(text, "strenghts")[0]) in got
    assert ("unknown-dimension", locate(text, "servcie")[0]) in got, diags
    assert ("out-of-scale", locate(text, "setup: 11")[0]) in got, diags


# --- templates -----------------------------------------------------------------------------------------

def _copy_templates(tree) -> Path:
    dest = tree.root / "templates"
    shutil.copytree(REPO / "templates", dest)
    return dest / "home.html"


def _insert_after_block(home: Path, line: str) -> int:
    """Insert ``line`` right after ``{% block content %}``; return its 1-based line number."""
    lines = home.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, ln in enumerate(lines) if "{% block content %}" in ln)
    lines.insert(index + 1, line + "\n")
    home.write_text("".join(lines), encoding="utf-8")
    return index + 2


@pytest.mark.parametrize("broken, message", [
    ("<p>{{ nope }}</p>", r"'nope' is undefined"),
    ("<p>{{ nope( }}</p>", r"TemplateSyntaxError"),
], ids=["undefined", "syntax"])
def test_broken_template_names_template_and_line(tree, cli, broken, message):
    home = _copy_templates(tree)
    ok = cli(tree.root, "build")
    assert ok.code == 0, ok.err
    before = snapshot(tree.root / "site")
    line = _insert_after_block(home, broken)

    run = cli(tree.root, "build", "--format", "json")
    assert run.code == 1, run.err
    diags = diagnostics_of(run)
    assert diags and {d["code"] for d in diags} == {"template-error"}
    d = diags[0]
    assert d["file"] == "templates/home.html"
    assert d["line"] == line
    assert re.search(message, d["message"]), d
    assert "index.html" in d["message"]  # the page being rendered

    text = cli(tree.root, "build")
    assert text.code == 1
    assert f"templates/home.html:{line}:1: error: " in text.err
    assert "Traceback" not in text.err
    assert snapshot(tree.root / "site") == before
    assert leftovers(tree.root) == []


# --- check writes nothing ------------------------------------------------------------------------------

def test_check_reports_the_same_errors_and_writes_nothing(tree, cli):
    tree.replace("companies/beta.yaml", "  usability:\n", "  usabilty:\n")
    tree.replace("site.yaml", "us: alpha", "us: alpah")
    before = snapshot(tree.root)
    build_diags = diagnostics_of(cli(tree.root, "check", "--format", "json"))
    run = cli(tree.root, "check")
    assert run.code == 1
    assert "Traceback" not in run.err
    assert "unknown dimension 'usabilty'" in run.err and "did you mean 'usability'?" in run.err
    assert {d["code"] for d in build_diags} == {"unknown-dimension", "missing-score", "unknown-company"}
    assert snapshot(tree.root) == before
    assert not (tree.root / "site").exists()
    assert sorted(p.name for p in tree.root.iterdir()) == ["content"]


def test_check_of_good_content_writes_nothing(tree, cli):
    before = snapshot(tree.root)
    run = cli(tree.root, "check")
    assert run.code == 0, run.err
    assert snapshot(tree.root) == before
    assert sorted(p.name for p in tree.root.iterdir()) == ["content"]


# --- usage errors --------------------------------------------------------------------------------------

@pytest.mark.parametrize("args, mention", [
    (["build", "--nope"], "--nope"),
    (["check", "--outt", "x"], "--outt"),
    (["nope"], "nope"),
    (["build", "--format", "xml"], "xml"),
    (["build", "--audience", "everyone"], "everyone"),
    ([], None),
], ids=["unknown-option", "unknown-check-option", "unknown-command", "bad-format", "bad-audience", "no-command"])
def test_usage_errors_exit_2(tree, cli, args, mention):
    before = snapshot(tree.root)
    run = cli(tree.root, *args)
    assert run.code == 2, run
    assert "Traceback" not in run.err
    if mention:
        assert mention in run.err
    assert snapshot(tree.root) == before


def test_usage_error_does_not_touch_previous_site(tree, cli):
    assert cli(tree.root, "build").code == 0
    before = snapshot(tree.root / "site")
    assert cli(tree.root, "build", "--bogus").code == 2
    assert snapshot(tree.root / "site") == before
