"""Paths: file names become URLs (slug checks), links may not lead out of content/, the output folder is
chosen safely, and a build writes nothing but its --out folder (no stale pages, no leftovers)."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

TMP_PREFIXES = (".valuemap-tmp-", ".valuemap-old-")


def snapshot(folder: Path) -> dict[str, bytes]:
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def everything(root: Path) -> dict[str, bytes | None]:
    """Every path under ``root`` (folders → None, links → their target text), without following links."""
    out: dict[str, bytes | None] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = p.relative_to(root).as_posix()
            if p.is_symlink():
                out[rel] = b"->" + os.readlink(p).encode()
            elif p.is_dir():
                out[rel] = None
            else:
                out[rel] = p.read_bytes()
    return out


def outside(snap: dict, out: str = "site") -> dict:
    return {k: v for k, v in snap.items() if k != out and not k.startswith(out + "/")}


def diagnostics_of(run) -> list[dict]:
    assert "Traceback" not in run.err and "Traceback" not in run.out, run.err
    return json.loads(run.out)["diagnostics"]


def only(diags: list[dict], code: str) -> dict:
    found = [d for d in diags if d["code"] == code]
    assert len(found) == 1, diags
    return found[0]


def company_text(tree, slug: str = "beta") -> str:
    return tree.read(f"companies/{slug}.yaml")


# --- slugs ---------------------------------------------------------------------------------------------

def test_file_name_with_space_and_capitals_is_slug_invalid_with_corrected_name(tree, cli):
    assert cli(tree.root, "build").code == 0
    before = snapshot(tree.root / "site")
    tree.write_bytes("companies/Bad Name.yaml", company_text(tree).replace("Beta", "Delta").encode())
    run = cli(tree.root, "build", "--format", "json")
    assert run.code == 1
    d = only(diagnostics_of(run), "slug-invalid")
    assert d["file"] == "content/companies/Bad Name.yaml"
    assert "'Bad Name.yaml'" in d["message"]
    assert d["hint"] == "rename it to 'bad-name.yaml'"
    text = cli(tree.root, "build")
    assert "content/companies/Bad Name.yaml: error: " in text.err and "hint: rename it to 'bad-name.yaml'" in text.err
    assert snapshot(tree.root / "site") == before


@pytest.mark.parametrize("name, corrected", [
    ("Élan Vital.yaml", "lan-vital.yaml"),
    ("under_score.yaml", "under-score.yaml"),
    ("-dash.yaml", "dash.yaml"),
], ids=["accent", "underscore", "leading-dash"])
def test_other_invalid_slugs(tree, cli, name, corrected):
    tree.write_bytes(f"companies/{name}", company_text(tree).replace("Beta", "Delta").encode())
    d = only(diagnostics_of(cli(tree.root, "build", "--format", "json")), "slug-invalid")
    assert d["file"] == f"content/companies/{name}"
    assert d["hint"].startswith("rename it to '") and d["hint"].endswith(".yaml'")
    hinted = d["hint"][len("rename it to '"):-1]
    assert hinted.replace(".yaml", "") and all(c.islower() or c.isdigit() or c == "-" for c in hinted[:-5]), hinted
    if name != "Élan Vital.yaml":  # transliteration is a nicety; only require a valid slug there
        assert hinted == corrected


@pytest.mark.parametrize("rel", ["companies/index.yaml", "companies/assets.yaml", "prospects/index.yaml",
                                 "pages/index.md"])
def test_reserved_slug(tree, cli, rel):
    if rel.startswith("pages/"):
        tree.write(rel, "---\ntitle: Index\n---\nHello\n")
    elif rel.startswith("prospects/"):
        tree.write(rel, "name: Index\nsegment: small\n")
    else:
        tree.write_bytes(rel, company_text(tree).replace("Beta", "Index").encode())
    run = cli(tree.root, "build", "--format", "json")
    assert run.code == 1
    d = only(diagnostics_of(run), "slug-reserved")
    assert d["file"] == f"content/{rel}"
    stem = Path(rel).stem
    assert f"'{stem}'" in d["message"] and "reserved" in d["message"]
    assert d["hint"] and stem in d["hint"]
    assert not (tree.root / "site").exists()


def _case_sensitive(folder: Path) -> bool:
    probe = folder / "CaseProbe"
    probe.write_text("x")
    try:
        return not (folder / "caseprobe").exists()
    finally:
        probe.unlink()


def test_names_differing_only_in_case_clash(tree, cli):
    if not _case_sensitive(tree.content / "companies"):
        pytest.skip("case-insensitive file system: Alpha.yaml and alpha.yaml cannot both exist")
    tree.write_bytes("companies/Alpha.yaml", company_text(tree, "alpha").encode())
    run = cli(tree.root, "build", "--format", "json")
    assert run.code == 1
    diags = diagnostics_of(run)
    about_upper = [d for d in diags if d["file"] == "content/companies/Alpha.yaml"]
    assert about_upper, diags
    # The problem is that both files give the same page: say so (naming the other file) — and never
    # advise renaming Alpha.yaml to the name that is already taken.
    assert any(d["code"] == "slug-clash" and "alpha.yaml" in d["message"] for d in about_upper), about_upper
    assert not any("rename it to 'alpha.yaml'" == d["hint"] for d in about_upper), about_upper


def test_yaml_and_yml_of_the_same_name_clash(tree, cli):
    tree.write_bytes("companies/beta.yml", company_text(tree).replace("Beta", "Beta Two").encode())
    run = cli(tree.root, "build", "--format", "json")
    assert run.code == 1
    d = only(diagnostics_of(run), "slug-clash")
    assert d["file"] == "content/companies/beta.yml"
    assert "beta.yaml" in d["message"] and "beta.yml" in d["message"]


# --- links out of content/ -----------------------------------------------------------------------------

def _outside_company(tree) -> Path:
    elsewhere = tree.root / "elsewhere"
    elsewhere.mkdir()
    target = elsewhere / "evil.yaml"
    target.write_text(company_text(tree).replace("Beta", "Evil"), encoding="utf-8")
    return target


def test_symlinked_company_file_outside_content_is_refused(tree, cli):
    assert cli(tree.root, "build").code == 0
    before = snapshot(tree.root / "site")
    target = _outside_company(tree)
    os.symlink(target, tree.content / "companies" / "evil.yaml")
    run = cli(tree.root, "build", "--format", "json")
    assert run.code == 1
    diags = diagnostics_of(run)
    d = only(diags, "path-outside-content")
    assert d["file"] == "content/companies/evil.yaml"
    assert d["hint"]
    assert not any(x["file"] and "elsewhere" in x["file"] for x in diags)
    assert snapshot(tree.root / "site") == before


def test_relative_symlink_escaping_content_is_refused(tree, cli):
    _outside_company(tree)
    os.symlink("../../elsewhere/evil.yaml", tree.content / "companies" / "evil.yaml")
    d = only(diagnostics_of(cli(tree.root, "build", "--format", "json")), "path-outside-content")
    assert d["file"] == "content/companies/evil.yaml"


def test_symlink_inside_content_that_leads_out_is_refused(tree, cli):
    target = _outside_company(tree)
    os.symlink(target, tree.content / "hop.yaml")  # content/hop.yaml → outside
    os.symlink("../hop.yaml", tree.content / "companies" / "evil.yaml")  # companies/evil.yaml → content/hop.yaml
    d = only(diagnostics_of(cli(tree.root, "build", "--format", "json")), "path-outside-content")
    assert d["file"] == "content/companies/evil.yaml"


def test_symlinked_site_yaml_outside_content_is_refused(tree, cli):
    real = tree.root / "elsewhere" / "site.yaml"
    real.parent.mkdir()
    (tree.content / "site.yaml").rename(real)
    os.symlink(real, tree.content / "site.yaml")
    run = cli(tree.root, "build", "--format", "json")
    assert run.code == 1
    d = only(diagnostics_of(run), "path-outside-content")
    assert d["file"] == "content/site.yaml"


def test_symlinked_companies_folder_outside_content_is_refused(tree, cli):
    """A linked folder leads out of content/ just as a linked file does."""
    real = tree.root / "elsewhere" / "companies"
    real.parent.mkdir()
    (tree.content / "companies").rename(real)
    os.symlink(real, tree.content / "companies")
    run = cli(tree.root, "build", "--format", "json")
    assert run.code == 1, "files behind a link out of content/ were read"
    diags = diagnostics_of(run)
    assert any(d["code"] == "path-outside-content" and d["file"].startswith("content/companies") for d in diags), diags


def test_dangling_symlink_is_reported_not_silently_dropped(tree, cli):
    """A company file that is a broken link is a company missing from the map: the author must hear of it."""
    os.symlink("delta-moved.yaml", tree.content / "companies" / "delta.yaml")
    run = cli(tree.root, "check", "--format", "json")
    assert "Traceback" not in run.err
    diags = json.loads(run.out)["diagnostics"] if run.out.strip() else []
    assert any(d["file"] == "content/companies/delta.yaml" for d in diags), (run.code, run.out, run.err)


# --- the output folder ---------------------------------------------------------------------------------

@pytest.mark.parametrize("out", ["content", ".", "content/companies", "ABS_ROOT", "ABS_CONTENT", "content/.."],
                         ids=["content", "project", "inside-content", "abs-project", "abs-content", "dotdot"])
def test_out_overlapping_the_content_is_a_usage_error(tree, cli, out):
    out = {"ABS_ROOT": str(tree.root), "ABS_CONTENT": str(tree.content)}.get(out, out)
    before = everything(tree.root)
    run = cli(tree.root, "build", "--out", out)
    assert run.code == 2, run
    assert "Traceback" not in run.err
    assert run.err.startswith("error: ")
    assert "content" in run.err and ("overlap" in run.err or "refus" in run.err), run.err
    assert everything(tree.root) == before


def test_out_overlapping_content_given_with_content_option(tree, cli):
    before = everything(tree.root)
    run = cli(tree.root.parent, "build", "--content", f"{tree.root.name}/content", "--out", tree.root.name)
    assert run.code == 2, run
    assert "overlap" in run.err
    assert everything(tree.root) == before


def test_out_foreign_non_empty_folder_is_refused_and_untouched(tree, cli):
    docs = tree.root / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "README.md").write_text("my notes\n")
    (docs / "sub" / "data.bin").write_bytes(bytes(range(256)))
    before = everything(tree.root)
    run = cli(tree.root, "build", "--out", "docs")
    assert run.code == 2, run
    assert "Traceback" not in run.err
    assert "'docs'" in run.err and "not empty" in run.err and "valuemap" in run.err
    assert everything(tree.root) == before


def test_out_foreign_folder_refused_even_when_content_is_broken_later_fixed(tree, cli):
    (tree.root / "docs").mkdir()
    (tree.root / "docs" / "keep.txt").write_text("keep")
    tree.replace("companies/beta.yaml", "  service: 5", "  service: 50")
    assert cli(tree.root, "build", "--out", "docs").code == 1  # content errors first
    tree.replace("companies/beta.yaml", "  service: 50", "  service: 5")
    assert cli(tree.root, "build", "--out", "docs").code == 2
    assert (tree.root / "docs" / "keep.txt").read_text() == "keep"
    assert sorted(p.name for p in (tree.root / "docs").iterdir()) == ["keep.txt"]


def test_out_that_is_a_file_or_a_symlink_is_refused(tree, cli):
    (tree.root / "out.txt").write_text("not a folder")
    (tree.root / "real").mkdir()
    os.symlink(tree.root / "real", tree.root / "linked")
    before = everything(tree.root)
    for out in ("out.txt", "linked"):
        run = cli(tree.root, "build", "--out", out)
        assert run.code == 2, (out, run)
        assert f"'{out}'" in run.err
    assert everything(tree.root) == before


def test_out_empty_existing_folder_is_used(tree, cli):
    (tree.root / "public").mkdir()
    run = cli(tree.root, "build", "--out", "public")
    assert run.code == 0, run.err
    assert (tree.root / "public" / "index.html").is_file()


# --- what a build leaves behind ------------------------------------------------------------------------

def test_removed_company_leaves_no_stale_page(tree, cli, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1717243200")
    assert cli(tree.root, "build").code == 0
    site = tree.root / "site"
    assert (site / "competitors" / "gamma.html").is_file()
    (tree.content / "companies" / "gamma.yaml").unlink()
    # A file valuemap did not write is never deleted silently: the rebuild refuses, then goes on once it is gone
    # (tests/unit/test_output_safety.py covers the manifest and keep: policy in full).
    (site / "stray.html").write_text("left by hand")
    before = snapshot(site)
    refused = cli(tree.root, "build")
    assert refused.code == 2 and "stray.html" in refused.err, refused
    assert snapshot(site) == before
    (site / "stray.html").unlink()
    assert cli(tree.root, "build").code == 0
    after = snapshot(site)
    assert not [p for p in after if "gamma" in p.lower()]
    assert "stray.html" not in after
    assert not [p for p, data in after.items() if not p.startswith("assets/") and b"Gamma" in data]
    # The site is exactly what a fresh build produces.
    assert cli(tree.root, "build", "--out", "fresh").code == 0
    assert snapshot(tree.root / "fresh") == after


def test_leftover_temp_folders_of_killed_builds_are_cleaned(tree, cli):
    assert cli(tree.root, "build").code == 0
    dead = 999_999  # above any pid_max this machine can have... check it
    try:
        os.kill(dead, 0)
        pytest.skip("pid 999999 is alive")
    except ProcessLookupError:
        pass
    except PermissionError:
        pytest.skip("pid 999999 is alive")
    for prefix in TMP_PREFIXES:
        stale = tree.root / f"{prefix}site-{dead}"
        (stale / "competitors").mkdir(parents=True)
        (stale / "competitors" / "half.html").write_text("<p>half written")
    live = tree.root / f".valuemap-tmp-site-{os.getppid()}"  # a build still running (the parent is alive)
    live.mkdir()
    run = cli(tree.root, "build")
    assert run.code == 0, run.err
    left = sorted(p.name for p in tree.root.iterdir() if p.name.startswith(TMP_PREFIXES))
    assert left == [live.name]
    live.rmdir()


def test_leftover_temp_folder_cleaned_when_site_did_not_exist_yet(tree, cli):
    stale = tree.root / ".valuemap-tmp-site-999999"
    stale.mkdir()
    (stale / "index.html").write_text("half")
    assert cli(tree.root, "build").code == 0
    assert not stale.exists()


def test_nothing_is_written_outside_out(tree, cli):
    before = everything(tree.root)
    assert cli(tree.root, "build").code == 0  # first build
    first = everything(tree.root)
    assert outside(first) == before
    assert cli(tree.root, "build").code == 0  # rebuild over it
    assert outside(everything(tree.root)) == before
    tree.replace("companies/beta.yaml", "  service: 5", "  service: 12")
    broken = everything(tree.root)
    assert cli(tree.root, "build").code == 1  # failed build
    assert everything(tree.root) == broken
    tree.replace("companies/beta.yaml", "  service: 12", "  service: 5")
    fixed = everything(tree.root)
    assert cli(tree.root, "build", "--out", "public/site").code == 0  # nested --out
    after = everything(tree.root)
    assert outside(outside(after, "public/site"), "public") == outside(fixed, "public")
    assert {k for k in after if k.startswith("public") and not k.startswith("public/site")} == {"public"}


def test_failed_first_build_creates_no_output_folder(tree, cli):
    tree.replace("companies/beta.yaml", "  service: 5", "  service: 12")
    before = everything(tree.root)
    assert cli(tree.root, "build").code == 1
    assert everything(tree.root) == before
    assert not (tree.root / "site").exists()


def test_template_failure_leaves_nothing_behind(tree, cli):
    import shutil

    shutil.copytree(Path(__file__).resolve().parents[2] / "templates", tree.root / "templates")
    home = tree.root / "templates" / "home.html"
    home.write_text(home.read_text(encoding="utf-8").replace("{% block content %}", "{% block content %}{{ nope }}", 1),
                    encoding="utf-8")
    before = everything(tree.root)
    run = cli(tree.root, "build")
    assert run.code == 1
    assert "template-error" in run.err
    assert everything(tree.root) == before


@pytest.mark.parametrize("epoch", ["1764000000000", "9" * 30])
def test_a_source_date_epoch_past_year_9999_is_a_usage_error(tree, cli, monkeypatch, epoch):
    """Milliseconds given for seconds: a clear message and exit 2, not an internal error (exit 3)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    for command in ("check", "build"):
        run = cli(tree.root, command)
        assert run.code == 2, (run.code, run.err)
        assert f"SOURCE_DATE_EPOCH={epoch} is not a date valuemap can use" in run.err and "internal" not in run.err
    assert not (tree.root / "site").exists()


def test_a_missing_content_folder_is_named_as_given_and_is_no_file(tmp_path, cli):
    """`--content /abs/elsewhere` from a folder far from it: the message names '/abs/elsewhere', not
    '../../../abs/elsewhere', and the summary does not count a file that no error names."""
    work = tmp_path / "a" / "b" / "c"
    work.mkdir(parents=True)
    missing = tmp_path / "elsewhere" / "content"
    run = cli(work, "check", "--content", str(missing))
    assert run.code == 1
    assert f"the content folder '{missing}' does not exist" in run.err, run.err
    assert "✗ 1 error." in run.err and "in 1 file" not in run.err, run.err
    inside = cli(work, "check", "--content", str(work / "content"))
    assert "the content folder 'content' does not exist" in inside.err, inside.err
