"""The content folder's own shape: a folder that is a file, a link that leads nowhere or cannot be read, a
site.yaml that is a folder, and YAML left where it is never read — each said clearly (file, what, what to do),
exit code 1, no traceback."""
from __future__ import annotations

import json
import os

import pytest

from generator import load


def _diagnostics(run) -> list[tuple]:
    assert "Traceback" not in run.err + run.out
    return sorted((d["severity"], d["code"], d["file"], d["message"], d["hint"] or "")
                  for d in json.loads(run.out)["diagnostics"])


def test_a_folder_that_cannot_be_read_is_an_error_not_a_crash(tree, cli, monkeypatch):
    real = os.scandir

    def scandir(path):
        if os.path.basename(os.fspath(path)) == "companies":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(load.os, "scandir", scandir)
    run = cli(tree.root, "check", "--format", "json")
    assert run.code == 1
    assert ("error", "folder-unreadable", "content/companies", "cannot read the folder: Permission denied",
            "check its permissions") in _diagnostics(run)


def test_a_content_folder_that_is_a_file_is_said(tree, cli):
    assert not (tree.content / "prospects").exists()
    (tree.content / "prospects").write_text("acme: 1\n", encoding="utf-8")
    run = cli(tree.root, "check", "--format", "json")
    assert run.code == 1
    assert _diagnostics(run) == [("error", "not-a-folder", "content/prospects", "'prospects' is a file, not a folder",
                                  "the .yaml/.yml files go in a folder named 'prospects/'")]


@pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="symbolic links")
def test_a_folder_link_that_leads_nowhere_is_said(tree, cli):
    os.symlink("history", tree.content / "history")  # history → itself: a loop
    run = cli(tree.root, "check", "--format", "json")
    assert run.code == 1
    assert ("error", "not-a-folder", "content/history",
            "'history' is a link that leads nowhere (a loop or a missing target), not a folder",
            "the .yaml/.yml files go in a folder named 'history/'") in _diagnostics(run)


def test_a_site_yaml_that_is_a_folder_is_not_called_missing(tree, cli):
    (tree.content / "site.yaml").unlink()
    (tree.content / "site.yaml").mkdir()
    run = cli(tree.root, "check", "--format", "json")
    assert run.code == 1
    assert ("error", "site-missing", "content/site.yaml", "site.yaml is not a file",
            "every content folder has a site.yaml file with the title, dimensions and segments") in _diagnostics(run)


def test_yaml_left_where_it_is_never_read_is_said(tree, cli):
    tree.write("stray.yaml", "name: Delta\n")
    tree.write("site.yml", "title: x\n")
    tree.write("compnies/delta.yaml", "name: Delta\n")
    tree.write("drafts/delta.yaml", "name: Delta\n")  # the author's own folder: not a content folder's name
    tree.write("README.md", "# Our market\n")
    run = cli(tree.root, "check", "--format", "json")
    assert run.code == 0, run.err  # warnings (errors under --strict)
    assert _diagnostics(run) == [
        ("warning", "file-ignored", "content/site.yml", "ignored: only site.yaml is read at the top of the content "
         "folder", "rename it 'site.yaml'"),
        ("warning", "file-ignored", "content/stray.yaml", "ignored: only site.yaml is read at the top of the "
         "content folder", "company files go in companies/, prospects in prospects/, snapshots in history/"),
        ("warning", "folder-ignored", "content/compnies", "ignored: 'compnies/' is not a content folder",
         "did you mean 'companies/'?"),
    ]


def test_a_tab_that_starts_a_list_item_gets_the_tab_message(tree, cli):
    tree.replace("companies/beta.yaml", 'strengths: ["Fast"]', "strengths:\n\t- Fast")
    run = cli(tree.root, "check", "--format", "json")
    found = [d for d in json.loads(run.out)["diagnostics"] if d["code"] == "yaml-syntax"]
    assert [(d["message"], d["hint"]) for d in found] == [
        ("invalid YAML: a tab character is used for indentation", "YAML indents with spaces only")]


def test_a_file_that_holds_no_value(tree, cli):
    tree.write("companies/delta.yaml", "---\n...\n")
    run = cli(tree.root, "check", "--format", "json")
    assert ("error", "file-not-mapping", "content/companies/delta.yaml",
            "the file holds no value; expected a mapping (key: value pairs)",
            "start the file with keys such as 'name: ...'") in _diagnostics(run)


def test_smaller_messages_say_exactly_what_is_wrong(tree, cli):
    tree.write("pages/about.md", "---\ntitle: About us\norder: 1\n# Why\n\nWe compete on *value*.\n")
    tree.write("history/2026-02-30.yaml", "companies: {}\n")
    tree.write("prospects/acme.yaml", "name: Acme\nsegment: small\nevaluating: [beta, gamma, beta]\n")
    run = cli(tree.root, "check", "--format", "json")
    found = {d["code"]: (d["file"], d["message"], d["hint"]) for d in json.loads(run.out)["diagnostics"]}
    assert found == {
        "front-matter-missing": ("content/pages/about.md", "the page's front matter is not closed",
                                 "end the front matter with a line '---' before the text of the page"),
        "snapshot-name": ("content/history/2026-02-30.yaml", "'2026-02-30.yaml': a snapshot's file name is its "
                          "date (2026-02-30 is not a date)", "name it YYYY-MM-DD.yaml, e.g. 2026-05-01.yaml"),
        "duplicate-competitor": ("content/prospects/acme.yaml", "'beta' is listed twice", "list each competitor once"),
    }


def test_a_number_out_of_range_says_the_bound_in_plain_words(tree, cli):
    tree.replace("site.yaml", "market: Widgets", "market: Widgets\nprice_decimals: 5")
    run = cli(tree.root, "check", "--format", "json")
    assert [(d["code"], d["message"]) for d in json.loads(run.out)["diagnostics"]] == [
        ("invalid-value", "the number 5 is out of range: it must be at most 4")]


def test_when_the_companies_cannot_be_listed_no_other_file_calls_a_company_unknown(tree, cli):
    """Which companies exist is unknown: the folder's own error is the one reported (not 'us names alpha, but
    there is no companies/alpha.yaml', nor an unknown competitor in every prospect)."""
    tree.write("prospects/acme.yaml", "name: Acme\nsegment: small\nevaluating: [beta]\n")
    for path in (tree.content / "companies").iterdir():
        path.unlink()
    (tree.content / "companies").rmdir()
    (tree.content / "companies").write_text("alpha: 1\n", encoding="utf-8")
    run = cli(tree.root, "check", "--format", "json")
    assert run.code == 1
    assert [d["code"] for d in json.loads(run.out)["diagnostics"]] == ["not-a-folder"]


def test_an_id_with_underscores_or_capitals_gets_its_corrected_form(tree, cli):
    tree.replace("site.yaml", "us: alpha", "us: Alpha_One")
    run = cli(tree.root, "check", "--format", "json")
    found = [(d["code"], d["path"], d["hint"]) for d in json.loads(run.out)["diagnostics"]]
    assert ("invalid-id", "us", "ids are lower-case letters, digits and hyphens: write 'alpha-one'") in found


def test_a_folder_or_a_pipe_named_like_a_content_file_is_a_warning_not_silence(tree, cli):
    """`companies/dir.yaml/` and a FIFO `companies/pipe.yaml`: never read (a pipe would hang the build), and
    said, like any other file that is ignored."""
    import json as _json
    import os as _os

    (tree.content / "companies" / "archive.yaml").mkdir()
    if hasattr(_os, "mkfifo"):
        _os.mkfifo(tree.content / "companies" / "pipe.yaml")
    (tree.content / "pages").mkdir(exist_ok=True)
    (tree.content / "pages" / "draft.md").mkdir()
    run = cli(tree.root, "check", "--format", "json")
    assert run.code == 0, run.out
    found = {(d["file"], d["message"]) for d in _json.loads(run.out)["diagnostics"] if d["code"] == "file-ignored"}
    expected = {("content/companies/archive.yaml", "ignored: 'archive.yaml' is a folder, not a .yaml/.yml file"),
                ("content/pages/draft.md", "ignored: 'draft.md' is a folder, not a .md file")}
    if hasattr(_os, "mkfifo"):
        expected.add(("content/companies/pipe.yaml", "ignored: 'pipe.yaml' is a pipe (FIFO), not a .yaml/.yml file"))
    assert found == expected
