"""``valuemap new DIR``: a starter project that builds at once, cleanly; never writes into a non-empty folder."""
from __future__ import annotations

import re

import pytest
import yaml

from generator.scaffold import FILES

EXPECTED = sorted(FILES)  # content/site.yaml, content/companies/*.yaml (us + 2), content/pages/about.md


def _files(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_new_writes_the_starter_and_it_builds_without_errors_or_warnings(tmp_path, cli):
    run = cli(tmp_path, "new", "proj")
    assert run.code == 0, run.err
    assert "proj" in run.out + run.err
    proj = tmp_path / "proj"
    assert _files(proj) == EXPECTED

    check = cli(proj, "check")
    assert check.code == 0, check.err
    assert "warning" not in (check.out + check.err).lower(), check.out + check.err

    build = cli(proj, "build")
    assert build.code == 0, build.err
    assert "warning" not in (build.out + build.err).lower(), build.out + build.err
    site = proj / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'id="value-map-data"' in home
    for name in ("Our Product", "Rival One", "Rival Two"):
        assert name in home
    assert list((site / "pages").glob("about*.html")), "the starter's narrative page was not built"


def test_the_starter_builds_with_content_given_from_elsewhere_and_for_internal_audience(tmp_path, cli):
    assert cli(tmp_path, "new", "proj").code == 0
    run = cli(tmp_path, "build", "--content", "proj/content", "--out", "proj/site")
    assert run.code == 0, run.err
    assert "warning" not in (run.out + run.err).lower()
    assert (tmp_path / "proj" / "site" / "index.html").is_file()
    internal = cli(tmp_path, "build", "--content", "proj/content", "--out", "internal", "--audience", "internal")
    assert internal.code == 0, internal.err
    assert "warning" not in internal.err.lower()


def test_the_starter_has_two_dimensions_one_with_criteria_us_and_two_competitors_and_one_page():
    site = yaml.safe_load(FILES["content/site.yaml"])
    dims = site["dimensions"]
    assert len(dims) == 2
    assert [bool(d.get("criteria")) for d in dims].count(True) == 1
    companies = [rel for rel in FILES if rel.startswith("content/companies/")]
    assert len(companies) == 3
    assert f"content/companies/{site['us']}.yaml" in companies
    assert [rel for rel in FILES if rel.startswith("content/pages/")] == ["content/pages/about.md"]


@pytest.mark.parametrize("kind", ["content/site.yaml", "content/companies/", "content/pages/"])
def test_every_field_of_the_starter_is_explained_by_a_comment(kind):
    """Each field name is explained at least once in its kind of file: a ``#`` comment on its line or above it
    (the competitors' files point to ours, where every company field is explained)."""
    fields: dict[str, bool] = {}
    for rel, text in FILES.items():
        if not rel.startswith(kind):
            continue
        lines = text.splitlines()
        for i, line in enumerate(lines):
            match = re.match(r"^\s*(?:- )?([a-z_]+):", line)
            if not match or line.lstrip().startswith("#"):
                continue
            commented = "#" in line or (i > 0 and lines[i - 1].lstrip().startswith("#"))
            fields[match.group(1)] = fields.get(match.group(1), False) or commented
    assert fields
    unexplained = sorted(name for name, ok in fields.items() if not ok)
    assert not unexplained, f"{kind}: no comment explains {unexplained}"


def test_new_into_an_existing_empty_folder(tmp_path, cli):
    (tmp_path / "empty").mkdir()
    run = cli(tmp_path, "new", "empty")
    assert run.code == 0, run.err
    assert _files(tmp_path / "empty") == EXPECTED


@pytest.mark.parametrize("existing", ["notes.txt", ".git/HEAD"])
def test_new_refuses_a_non_empty_folder_and_writes_nothing(tmp_path, cli, existing):
    proj = tmp_path / "proj"
    (proj / existing).parent.mkdir(parents=True, exist_ok=True)
    (proj / existing).write_text("mine\n", encoding="utf-8")
    run = cli(tmp_path, "new", "proj")
    assert run.code == 2, (run.out, run.err)
    assert "not empty" in run.err
    assert "proj" in run.err
    assert _files(proj) == [existing]
    assert (proj / existing).read_text(encoding="utf-8") == "mine\n"


def test_new_refuses_a_file(tmp_path, cli):
    (tmp_path / "proj").write_text("a file\n", encoding="utf-8")
    run = cli(tmp_path, "new", "proj")
    assert run.code == 2
    assert "not a folder" in run.err
    assert (tmp_path / "proj").read_text(encoding="utf-8") == "a file\n"


def test_new_needs_a_folder_argument(tmp_path, cli):
    run = cli(tmp_path, "new")
    assert run.code == 2
    assert "DIR" in run.err


@pytest.mark.parametrize("name, word", [("odd name é #1", "'odd name é #1'"), ("-dash", "./-dash"),
                                        ("plain", "plain")])
def test_the_next_step_new_prints_can_be_pasted_into_a_shell(tmp_path, cli, name, word):
    """`cd odd name é #1` breaks at the spaces and the '#'; `cd -dash` reads an option."""
    import shlex

    run = cli(tmp_path, "new", "--", name)
    assert run.code == 0, run.err
    printed = (run.out + run.err).split("next: ", 1)[1].strip()
    assert printed == f"cd {word} && valuemap build"
    assert (tmp_path / shlex.split(printed)[1]).resolve() == (tmp_path / name).resolve()
