"""After every build valuemap says what moved on the maps since the previous build into the same folder; and
it shows progress on long builds only where a person watches (the build itself never prints)."""
from __future__ import annotations

import io
import re
import json
import os
import subprocess
import sys
from pathlib import Path

from generator.build import build
from generator.moved import STATE_FILE, Change, Move, Moved
from generator.cli import PROGRESS_MIN_PAGES, _PageProgress
from generator.diagnostics import Diagnostics
from generator.report import moved_markdown

ROOT = Path(__file__).resolve().parents[2]

# The tree of tests/conftest.py with Gamma's price raised from 50 to 90, overall map and segment map.
GAMMA_OVERALL = "    Gamma: rank 2 → 3; zone fair → worse"
BETA_OVERALL = "    Beta: rank 3 → 2; zone fair → better; justified €40 → €54"


def build_ok(cli, tree, *args: str):
    run = cli(tree.root, "build", *args)
    assert run.code == 0, run.err + run.out
    return run


def test_first_build_then_nothing_then_what_moved(tree, cli):
    assert "what moved: first build here" in build_ok(cli, tree).out
    assert "what moved: nothing moved since the previous build" in build_ok(cli, tree).out
    tree.replace("companies/gamma.yaml", "price: 50", "price: 90")
    lines = build_ok(cli, tree).out.splitlines()
    start = lines.index("what moved since the previous build:")
    moved = lines[start:]
    assert moved[1] == "  overall map:"
    assert GAMMA_OVERALL in moved and BETA_OVERALL in moved
    segment = moved.index("  segment Small teams:")
    assert "    Gamma: rank 2 → 3; zone fair → worse" in moved[segment:]
    assert "what moved: nothing moved since the previous build" in build_ok(cli, tree).out


def test_a_company_added_and_removed(tree, cli):
    build_ok(cli, tree)
    tree.write("companies/delta.yaml", (tree.content / "companies/beta.yaml").read_text()
               .replace("Beta", "Delta").replace("price: 40", "price: 45"))
    out = build_ok(cli, tree).out
    assert "    Delta: new on the map at rank" in out
    (tree.content / "companies/delta.yaml").unlink()
    out = build_ok(cli, tree).out
    assert "    Delta: left the map (was rank" in out


def test_the_state_file_holds_only_what_the_pages_show(tree, cli):
    build_ok(cli, tree)
    site = tree.root / "site"
    text = (site / STATE_FILE).read_text(encoding="utf-8")
    assert STATE_FILE in (site / ".valuemap-site").read_text().splitlines()  # in the manifest: valuemap's own
    assert "SECRET" not in text
    state = json.loads(text)
    assert set(state) == {"valuemap_positions", "audience", "maps"} and state["audience"] == "external"
    pages = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    for vmap in state["maps"]:
        for company in vmap["companies"]:
            assert set(company) == {"slug", "name", "rank", "zone", "justified"}
            assert company["justified"] in pages  # the justified price exactly as the pages show it
    build_ok(cli, tree)
    assert (site / STATE_FILE).read_text(encoding="utf-8") == text  # deterministic


def test_another_audience_in_the_same_folder_is_a_first_build(tree, cli):
    build_ok(cli, tree)
    assert "what moved: first build here" in build_ok(cli, tree, "--audience", "internal").out


def test_github_format_appends_a_table_to_the_job_summary(tree, cli, monkeypatch, tmp_path):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    build_ok(cli, tree, "--format", "github")
    assert "first build" in summary.read_text(encoding="utf-8")
    tree.replace("companies/gamma.yaml", "price: 50", "price: 90")
    run = build_ok(cli, tree, "--format", "github")
    assert GAMMA_OVERALL in run.out
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n")
    assert "| Map | Company | Rank | Zone | Justified price |" in text
    assert "| overall map | Gamma | 2 → 3 | fair → worse |  |" in text
    assert "| segment Small teams | Beta | 1 → 2 | fair → better | €42 → €57 |" in text


def test_github_format_without_the_variable_writes_no_summary(tree, cli, monkeypatch, tmp_path):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.chdir(tmp_path)
    build_ok(cli, tree, "--format", "github")
    assert not list(tmp_path.glob("*.md"))


def test_json_document_holds_what_moved(tree, cli):
    first = json.loads(build_ok(cli, tree, "--format", "json").out)
    assert first["ok"] is True and first["moved"] == {"first_build": True, "moves": []}
    tree.replace("companies/gamma.yaml", "price: 50", "price: 90")
    run = build_ok(cli, tree, "--format", "json")
    document = json.loads(run.out)  # still exactly one document on stdout
    gamma = [m for m in document["moved"]["moves"] if m["company"] == "gamma" and m["map"] == "overall"]
    assert gamma == [{"map": "overall", "map_label": "overall map", "company": "gamma", "name": "Gamma",
                      "changes": {"rank": {"before": 2, "after": 3}, "zone": {"before": "fair", "after": "worse"}}}]
    assert GAMMA_OVERALL in run.err  # the text goes to stderr with the other messages


def test_markdown_cells_are_escaped():
    moved = Moved(False, (Move("overall", "overall map", "x", "A|B *C*\n", (Change("rank", 1, 2),)),))
    assert "| overall map | A\\|B \\*C\\* | 1 → 2 |  |  |" in moved_markdown(moved)


# --- progress ----------------------------------------------------------------------------------------------

class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def drive(progress: _PageProgress, total: int) -> None:
    for done in range(total + 1):
        progress(done, total)
    progress.close()


def test_build_reports_progress_to_a_callback_and_prints_nothing(tree, capsys):
    calls = []
    build(tree.content, tree.root / "site", Diagnostics(), progress=lambda done, total: calls.append((done, total)))
    total = calls[0][1]
    assert calls == [(done, total) for done in range(total + 1)] and total >= 10
    assert capsys.readouterr() == ("", "")


def test_a_bar_on_a_terminal_for_a_long_build_only(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    long, short = FakeTerminal(), FakeTerminal()
    drive(_PageProgress(False, stream=long), PROGRESS_MIN_PAGES + 50)
    drive(_PageProgress(False, stream=short), PROGRESS_MIN_PAGES)
    assert f"{PROGRESS_MIN_PAGES + 50}/{PROGRESS_MIN_PAGES + 50}" in long.getvalue()
    assert short.getvalue() == ""


def test_quiet_in_ci_and_off_a_terminal_unless_asked(monkeypatch):
    monkeypatch.setenv("CI", "true")
    ci, plain, asked = FakeTerminal(), io.StringIO(), io.StringIO()
    drive(_PageProgress(False, stream=ci), 1000)
    drive(_PageProgress(False, stream=plain), 1000)
    drive(_PageProgress(True, stream=asked), 1000)
    assert ci.getvalue() == "" and plain.getvalue() == ""
    lines = asked.getvalue().splitlines()  # counts, not a bar, where no terminal draws it
    assert lines[0] == "rendered 100/1000 pages" and lines[-1] == "rendered 1000/1000 pages" and len(lines) == 10


def test_progress_option_prints_counts(tree, cli):
    """The last count is the number of pages the build reports (robots.txt is rendered, but no page)."""
    run = build_ok(cli, tree, "--progress")
    last = [line for line in run.err.splitlines() if line.startswith("rendered ")][-1]
    built = re.search(r"built (\d+) pages", run.out + run.err).group(1)
    assert last == f"rendered {built}/{built} pages", (last, built)


def test_rich_is_imported_only_for_a_bar(tree):
    """Start-up time: a build that draws no bar never imports rich."""
    code = ("import sys; from generator.cli import main; code = main(['build', '--content', sys.argv[1], "
            "'--out', sys.argv[2]]); print('rich' in sys.modules); sys.exit(code)")
    env = {**os.environ, "CI": "1"}
    run = subprocess.run([sys.executable, "-c", code, str(tree.content), str(tree.root / "site")],
                         capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "False"
