"""Reporters: content cannot forge output (terminal control sequences, GitHub workflow commands), and the
JSON report is always one document with a summary."""
from __future__ import annotations

import io
import json
import re
import unicodedata
from pathlib import Path

import pytest

from generator.diagnostics import ERROR, WARNING, Diagnostic, caret_excerpt, visible
from generator.report import GithubReporter, JsonReporter, TerminalReporter, github_data, github_property

# Window-title (OSC), bell, colour (CSI), C1 CSI, bidi override and isolate, zero-width space, line separator.
NASTY = "\x1b]0;pwned\x07 \x1b[2J\x1b[31mred \x9b31m \u202eevil\u2066 \u200b \u2028 \x7f"
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\u2066", "\u200b", "\u2028", "\x7f")


def diag(**over) -> Diagnostic:
    values = dict(code="unknown-dimension", message="unknown dimension 'x'", file="content/companies/beta.yaml",
                  line=2, column=3, path="scores.x", hint="did you mean 'y'?", severity=ERROR)
    values.update(over)
    return Diagnostic(**values)


def test_visible_spells_out_controls_and_format_characters():
    assert visible("plain Ünïcode 日本 ok") == "plain Ünïcode 日本 ok"
    shown = visible(NASTY)
    for ch in RAW:
        assert ch not in shown, repr(ch)
    assert "\\x1b]0;pwned\\x07" in shown and "\\u202eevil\\u2066" in shown and "\\x9b31m" in shown
    assert visible("a\nb\tc\rd") == "a\\nb\\tc\\rd"
    assert all(unicodedata.category(ch)[0] not in "CZ" or ch == " " for ch in shown)


def _terminal(tmp_path: Path, colour: bool, monkeypatch, writes: bool = True) -> tuple[TerminalReporter, io.StringIO]:
    if colour:
        monkeypatch.delenv("NO_COLOR", raising=False)
        monkeypatch.setenv("FORCE_COLOR", "1")
    else:
        monkeypatch.setenv("NO_COLOR", "1")
    err, out = io.StringIO(), io.StringIO()
    return TerminalReporter(stream=err, out=out, root=tmp_path, cwd=tmp_path, writes=writes), err


def test_terminal_reporter_escapes_content_everywhere(tmp_path, monkeypatch):
    name = f"companies/be{NASTY}ta.yaml"
    source = tmp_path / name
    source.parent.mkdir()
    in_line = NASTY.replace("\u2028", "")  # (YAML counts U+2028 as a line break, as the excerpt does)
    source.write_text(f"name: Beta\n\u202escores{in_line}:\n  x: 1\n", encoding="utf-8")
    for colour in (False, True):
        reporter, err = _terminal(tmp_path, colour, monkeypatch)
        reporter.diagnostics([diag(file=name, message=f"unknown {NASTY}", path=f"scores.{NASTY}",
                                   hint=f"did you mean {NASTY}?", line=2, column=3)])
        reporter.message(f"built {NASTY}")
        reporter.problem(f"cannot write {NASTY}")
        text = err.getvalue() + reporter.out.getvalue()
        for ch in RAW[1:]:
            assert ch not in text, (colour, repr(ch))
        if colour:  # valuemap's own colour codes only: ESC followed by "[" and a style valuemap uses
            assert {m for m in re.findall(r"\x1b\[([0-9;]*)m", text)} <= {"0", "1", "1;31", "1;33", "36"}
            assert text.count("\x1b") == len(re.findall(r"\x1b\[[0-9;]*m", text))
        else:
            assert "\x1b" not in text
        assert "\\x1b]0;pwned\\x07" in text and "\\u202e" in text
        assert text.count("\n") == len(text.splitlines())  # no line made up by the content
    # The caret still points at the column it names, after the escapes on its line.
    excerpt = caret_excerpt(name, 2, 2 + len(in_line) + 6, tmp_path).splitlines()
    assert excerpt[0] == "2 | " + visible(f"\u202escores{in_line}:")
    assert excerpt[1].index("^") == excerpt[0].index(":", 4)


@pytest.mark.parametrize("column_of", ["nte", "x:", "zz"])
def test_a_long_line_is_shown_around_its_column_with_the_caret_under_it(tmp_path, column_of):
    line = "x: " + "a" * 200 + " nte: 1 " + "b" * 100 + "zz"
    (tmp_path / "f.yaml").write_text("first\n" + line + "\n", encoding="utf-8")
    column = line.index(column_of) + 1
    shown, caret = caret_excerpt("f.yaml", 2, column, tmp_path).splitlines()
    assert len(shown) <= len("2 | ") + 160
    assert shown[caret.index("^"):].startswith(column_of)


def test_failure_summary_says_nothing_was_written_only_for_writing_commands(tmp_path, monkeypatch):
    reporter, err = _terminal(tmp_path, False, monkeypatch, writes=False)
    reporter.diagnostics([diag(), diag(severity=WARNING, code="w")])
    assert err.getvalue().endswith("\n✗ 1 error in 1 file, 1 warning.\n")
    reporter, err = _terminal(tmp_path, False, monkeypatch, writes=True)
    reporter.diagnostics([diag()])
    assert err.getvalue().endswith("\n✗ 1 error in 1 file — nothing was written.\n")


def test_check_and_build_summaries(tree, cli):
    tree.replace("companies/beta.yaml", "  service: 5\n", "  servise: 5\n")
    checked = cli(tree.root, "check")
    assert checked.code == 1 and "error" in checked.err
    assert "nothing was written" not in checked.err
    built = cli(tree.root, "build")
    assert built.code == 1 and "— nothing was written." in built.err


# --- GitHub ---------------------------------------------------------------------------------------------

def test_github_escapes_data_and_properties():
    assert github_data("100% done\r\n::error::x") == "100%25 done%0D%0A::error::x"
    assert github_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"


def test_github_file_name_cannot_forge_an_annotation():
    out = io.StringIO()
    reporter = GithubReporter(stream=io.StringIO(), out=out)
    forged = "content/companies/x\n::error file=content/site.yaml,line=1::forged.yaml"
    reporter.diagnostics([diag(file=forged, message="bad\r\n::warning::also forged 50%", hint=f"h{NASTY}",
                               code="code,with:colon"), diag(severity=WARNING)])
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("::error file=content/companies/x%0A%3A%3Aerror file=content/site.yaml%2Cline=1"
                               "%3A%3Aforged.yaml,line=2,col=3,title=code%2Cwith%3Acolon::bad%0D%0A::warning::also "
                               "forged 50%25 [scores.x]")
    assert lines[1].startswith("::warning file=content/companies/beta.yaml,line=2,col=3,title=unknown-dimension::")
    for ch in RAW:
        assert ch not in out.getvalue(), repr(ch)


# --- JSON -----------------------------------------------------------------------------------------------

def _json_run(run) -> dict:
    assert "Traceback" not in run.err
    data = json.loads(run.out)  # exactly one document
    # a build also says what moved; a build or check that succeeds, its notes
    assert set(data) - {"moved", "notes"} == {"ok", "summary", "diagnostics"}
    assert set(data["summary"]) == {"errors", "warnings", "files"}
    return data


def test_json_report_is_one_document_on_success(tree, cli):
    for command in ("check", "build"):
        run = cli(tree.root, command, "--format", "json")
        assert run.code == 0, run.err
        data = _json_run(run)
        data.pop("moved", None) if command == "build" else None
        assert isinstance(data.pop("notes"), list)
        assert data == {"ok": True, "summary": {"errors": 0, "warnings": 0, "files": 0}, "diagnostics": []}


@pytest.mark.parametrize("secret", ["", "s3cret"])
def test_check_tells_what_build_tells(sample, cli, monkeypatch, tmp_path, secret):
    """check is build without the writing: the same page count and the same notes (no sitemap, no prospect
    pages: why), as text and in the JSON document."""
    monkeypatch.setenv("VALUEMAP_PROSPECT_SECRET", secret)

    def summary(run) -> tuple[str, list[str]]:
        pages = re.search(r"(\d+) pages", run.out).group(1)
        return pages, [line.strip()[len("note: "):] for line in run.out.splitlines()
                       if line.strip().startswith("note: ")]

    checked = cli(sample.root, "check")
    built = cli(sample.root, "build", "--out", str(tmp_path / "out"))
    assert checked.code == built.code == 0, (checked.err, built.err)
    pages, notes = summary(checked)
    assert (pages, notes) == summary(built)
    assert int(pages) == sum(1 for _ in (tmp_path / "out").rglob("*.html"))
    sitemap = [n for n in notes if n.startswith("no sitemap.xml: base_url in content/site.yaml is '/'")]
    count = len(list((sample.content / "prospects").glob("*.yaml")))
    assert count >= 2  # the sample has prospects: without the secret their pages are skipped, and the note says so
    prospects = [n for n in notes if f"VALUEMAP_PROSPECT_SECRET is not set ({count} prospect files skipped)" in n]
    assert len(sitemap) == 1 and len(prospects) == (0 if secret else 1), notes
    for command in ("check", "build"):
        run = cli(sample.root, command, "--format", "json", *(["--out", str(tmp_path / "json")]
                                                             if command == "build" else []))
        assert _json_run(run)["notes"] == notes, command


def test_json_report_counts_and_names_files_from_the_project_folder(tree, cli, tmp_path):
    tree.replace("companies/beta.yaml", "  service: 5\n", "  servise: 5\n")
    tree.replace("companies/gamma.yaml", "  service: 7\n", "  servise: 7\n")
    tree.write("companies/notes.txt", "ignored\n")  # a warning
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for cwd, content in ((tree.root, "content"), (elsewhere, str(tree.content)), (tree.content, ".")):
        run = cli(cwd, "check", "--format", "json", "--content", content)
        assert run.code == 1
        data = _json_run(run)
        assert data["ok"] is False
        assert data["summary"]["errors"] >= 2 and data["summary"]["warnings"] == 1
        files = {d["file"] for d in data["diagnostics"]}
        assert data["summary"]["files"] == len(files)
        assert {"content/companies/beta.yaml", "content/companies/gamma.yaml", "content/companies/notes.txt"} <= files, (
            cwd, files)


def test_json_report_escapes_controls_and_holds_problems():
    out = io.StringIO()
    reporter = JsonReporter(stream=io.StringIO(), out=out)
    reporter.diagnostics([diag(message=f"bad {NASTY} \ud800", file=None)])
    text = out.getvalue()
    for ch in RAW + ("\ud800",):
        assert ch not in text, repr(ch)
    assert text.isascii() or all(unicodedata.category(c)[0] != "C" for c in text if c != "\n")
    data = json.loads(text)
    assert data["diagnostics"][0]["message"] == f"bad {NASTY} \ud800"  # the same text, escaped
    assert data["summary"] == {"errors": 1, "warnings": 0, "files": 0}

    for problem, code in (("internal error: KeyError: 'x' — the previous site was left as it was", "internal-error"),
                          ("'site' is inside the content folder", "usage-error")):
        out, err = io.StringIO(), io.StringIO()
        reporter = JsonReporter(stream=err, out=out)
        reporter.problem(problem)
        reporter.message("progress goes to stderr")
        data = json.loads(out.getvalue())
        assert data["ok"] is False and data["summary"]["errors"] == 1
        assert data["diagnostics"][0]["code"] == code and data["diagnostics"][0]["message"] == problem
        assert err.getvalue() == "progress goes to stderr\n"


def test_a_build_run_inside_the_old_site_says_so_as_text_and_in_json(tree, cli, tmp_path):
    """The shell sits in a folder the swap removed: the note says how to see the new files, in both formats."""
    out = tmp_path / "out"
    content = str(tree.content)
    assert cli(tree.root, "build", "--content", content, "--out", str(out)).code == 0
    (out / "assets").mkdir(exist_ok=True)
    text = cli(out / "assets", "build", "--content", content, "--out", str(out))
    assert text.code == 0 and "note: your current folder was the old site and has been replaced" in text.out
    as_json = cli(out / "assets", "build", "--content", content, "--out", str(out), "--format", "json")
    notes = _json_run(as_json)["notes"]
    assert any(n.startswith("your current folder was the old site and has been replaced") for n in notes), notes
