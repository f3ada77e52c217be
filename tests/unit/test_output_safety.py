"""Output safety, second round: a rebuild deletes only what valuemap wrote (manifest, dot-entries, keep:), every
command that writes is guarded the same way, --out is resolved before any check, the folder mode is kept,
usage errors are usage errors, and Ctrl-C while modules import is a clean exit 130."""
from __future__ import annotations

import os
import re
import select
import signal
import stat
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from generator.site_folder import MANIFEST_HEADER, MARKER
from tests.conftest import ROOT, SAMPLE

OLD_MARKER_TEXT = "This folder is written by valuemap; it is replaced on every build.\n"


def everything(root: Path) -> dict[str, object]:
    """Every path under ``root`` with its bytes (folders → their mode, links → their target)."""
    out: dict[str, object] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = p.relative_to(root).as_posix()
            if p.is_symlink():
                out[rel] = "->" + os.readlink(p)
            elif p.is_dir():
                out[rel] = stat.S_IMODE(p.stat().st_mode)
            else:
                out[rel] = p.read_bytes()
    return out


def site_files(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


def leftovers(*folders: Path) -> list[str]:
    return [str(p) for f in folders if f.is_dir() for p in f.iterdir() if p.name.startswith((".valuemap-tmp", ".valuemap-old"))]


@contextmanager
def umask(mask: int):
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def add_keep(tree, names: list[str]) -> None:
    tree.write("site.yaml", tree.read("site.yaml") + "keep: [" + ", ".join(f'"{n}"' for n in names) + "]\n")


def gh_pages_extras(site: Path) -> None:
    (site / "CNAME").write_text("values.example.com\n")
    (site / ".git" / "objects" / "ab").mkdir(parents=True)
    (site / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    (site / ".git" / "objects" / "ab" / "cdef").write_bytes(b"\x78\x01blob")
    (site / ".nojekyll").write_text("")
    (site / ".well-known").mkdir()
    (site / ".well-known" / "security.txt").write_text("Contact: mailto:security@example.com\n")


# --- 1. a rebuild deletes only what valuemap wrote --------------------------------------------------------

def test_rebuild_carries_over_cname_and_git_folder(tree, cli):
    assert cli(tree.root, "build").code == 0
    site = tree.root / "site"
    gh_pages_extras(site)
    extras = {k: v for k, v in everything(site).items() if k.startswith((".git", ".nojekyll", ".well-known", "CNAME"))}
    git_inode = (site / ".git").stat().st_ino
    tree.replace("companies/beta.yaml", "name: Beta", "name: Beta Renamed")
    run = cli(tree.root, "build")
    assert run.code == 0, run.err
    after = everything(site)
    assert {k: v for k, v in after.items() if k in extras} == extras
    assert (site / ".git").stat().st_ino == git_inode  # moved, not copied
    assert "Beta Renamed" in (site / "index.html").read_text()
    assert not leftovers(tree.root, site)


def test_manifest_lists_every_written_file_sorted_and_deterministic(tree, cli, tmp_path):
    assert cli(tree.root, "build").code == 0
    site = tree.root / "site"
    gh_pages_extras(site)
    assert cli(tree.root, "build").code == 0
    lines = (site / MARKER).read_text().splitlines()
    assert lines[0] == MANIFEST_HEADER
    written = [f for f in site_files(site) if f != MARKER and not f.startswith((".git/", ".nojekyll", ".well-known/"))
               and f != "CNAME"]
    assert lines[1:] == sorted(lines[1:]) == written
    assert cli(tree.root, "build", "--out", str(tmp_path / "fresh")).code == 0
    assert (tmp_path / "fresh" / MARKER).read_bytes() == (site / MARKER).read_bytes()


def test_file_valuemap_did_not_write_refuses_the_rebuild_and_changes_nothing(tree, cli):
    assert cli(tree.root, "build").code == 0
    site = tree.root / "site"
    (site / "notes.txt").write_text("mine")
    (site / "competitors" / "extra.html").write_text("<p>mine</p>")
    (site / "empty-folder").mkdir()
    tree.replace("companies/beta.yaml", "name: Beta", "name: Beta Renamed")
    before = everything(tree.root)
    run = cli(tree.root, "build")
    assert run.code == 2, run
    assert "Traceback" not in run.err and "internal error" not in run.err
    for name in ("notes.txt", "competitors/extra.html", "empty-folder/"):
        assert name in run.err
    assert "delete" in run.err and "keep:" in run.err and "site.yaml" in run.err and "--out" in run.err
    assert everything(tree.root) == before


def test_refusal_names_at_most_ten_files(tree, cli):
    assert cli(tree.root, "build").code == 0
    site = tree.root / "site"
    for i in range(13):
        (site / f"mine-{i:02}.txt").write_text("x")
    before = everything(tree.root)
    run = cli(tree.root, "build")
    assert run.code == 2
    named = re.findall(r"mine-\d\d\.txt", run.err)
    assert named == [f"mine-{i:02}.txt" for i in range(10)]
    assert "13 files" in run.err and "3 more" in run.err
    assert everything(tree.root) == before


def test_names_listed_in_keep_are_carried_over(tree, cli):
    add_keep(tree, ["downloads", "robots.txt"])
    assert cli(tree.root, "build").code == 0
    site = tree.root / "site"
    (site / "downloads").mkdir()
    (site / "downloads" / "brochure.pdf").write_bytes(b"%PDF-1.7")
    (site / "robots.txt").write_text("User-agent: *\n")
    (site / "CNAME").write_text("x.example\n")  # no longer kept: keep: replaces the default list
    run = cli(tree.root, "build")
    assert run.code == 2 and "CNAME" in run.err and "downloads" not in run.err
    (site / "CNAME").unlink()
    assert cli(tree.root, "build").code == 0
    assert (site / "downloads" / "brochure.pdf").read_bytes() == b"%PDF-1.7"
    assert (site / "robots.txt").read_text() == "User-agent: *\n"
    assert "downloads" not in (site / MARKER).read_text()


def test_a_file_valuemap_wrote_then_put_under_keep_is_kept(tree, cli):
    """The robots.txt valuemap wrote, edited by hand, then listed under keep: — the build no longer writes it,
    and the edited file stays (it was dropped with the old site: no robots.txt at all, and no word)."""
    assert cli(tree.root, "build").code == 0
    site = tree.root / "site"
    assert "robots.txt" in (site / MARKER).read_text()
    (site / "robots.txt").write_text("User-agent: *\nDisallow: /drafts/\n")
    add_keep(tree, ["CNAME", "robots.txt"])
    assert cli(tree.root, "build").code == 0
    assert (site / "robots.txt").read_text() == "User-agent: *\nDisallow: /drafts/\n"
    assert "robots.txt" not in (site / MARKER).read_text()  # the author's now: carried over from here on
    assert cli(tree.root, "build").code == 0
    assert (site / "robots.txt").read_text() == "User-agent: *\nDisallow: /drafts/\n"


@pytest.mark.parametrize("bad", ["../CNAME", "a/b", "..", "", "sub\\\\x"])
def test_keep_accepts_only_plain_names(tree, cli, bad):
    add_keep(tree, [bad])
    run = cli(tree.root, "check")
    assert run.code == 1, run
    assert "keep" in run.err and "plain file name" in run.err and "Traceback" not in run.err


def test_carried_name_the_build_also_writes_is_refused_without_change(tree, cli):
    add_keep(tree, ["index.html"])
    site = tree.root / "site"
    site.mkdir()
    (site / MARKER).write_text(MANIFEST_HEADER + "\n")  # a valuemap site whose manifest lists nothing
    (site / "index.html").write_text("hand-made home page")
    before = everything(tree.root)
    run = cli(tree.root, "build")
    assert run.code == 2, run
    assert "index.html" in run.err
    assert everything(tree.root) == before


def test_site_of_the_previous_version_is_owned_once(tree, cli):
    assert cli(tree.root, "build").code == 0
    site = tree.root / "site"
    (site / MARKER).write_text(OLD_MARKER_TEXT)  # a marker without a manifest: built before manifests
    (site / "old-page.html").write_text("from an older build")
    (site / "CNAME").write_text("x.example\n")
    assert cli(tree.root, "build").code == 0
    assert not (site / "old-page.html").exists()
    assert (site / "CNAME").read_text() == "x.example\n"
    assert (site / MARKER).read_text().startswith(MANIFEST_HEADER)
    (site / "old-page.html").write_text("again")  # from now on the manifest decides
    assert cli(tree.root, "build").code == 2


def test_gh_pages_checkout_without_marker_is_built_into(tree, cli):
    site = tree.root / "site"
    site.mkdir()
    (site / ".git").write_text("gitdir: ../.git/worktrees/site\n")  # `git worktree add site gh-pages`
    assert cli(tree.root, "build").code == 0
    assert (site / ".git").read_text() == "gitdir: ../.git/worktrees/site\n"
    assert (site / "index.html").is_file()


def test_failed_swap_moves_carried_entries_back(tree, cli, monkeypatch):
    import generator.write as w

    assert cli(tree.root, "build").code == 0
    site = tree.root / "site"
    gh_pages_extras(site)
    before = everything(tree.root)

    def broken_swap(self):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(w.SiteWriter, "_swap", broken_swap)
    run = cli(tree.root, "build")
    assert run.code == 2  # the machine's problem, said as such (not "internal error … a bug", exit 3)
    assert "Input/output error — the previous site was left as it was" in run.err, run.err
    assert everything(tree.root) == before


# --- 2. every command that writes is guarded ---------------------------------------------------------------

def _project_templates(tree) -> Path:
    import shutil

    shutil.copytree(ROOT / "templates", tree.root / "templates")
    return tree.root / "templates"


@pytest.mark.parametrize("target", ["content/export.json", "content/companies/x.json", "templates/export.json",
                                    "content"])
def test_export_never_writes_into_content_or_templates(tree, cli, target):
    _project_templates(tree)
    before = everything(tree.root)
    run = cli(tree.root, "export", "-o", target)
    assert run.code == 2, run
    assert "Traceback" not in run.err and "internal error" not in run.err and "previous site" not in run.err
    assert everything(tree.root) == before


def test_export_onto_a_folder_is_a_clear_usage_error(tree, cli):
    (tree.root / "out").mkdir()
    before = everything(tree.root)
    run = cli(tree.root, "export", "-o", "out")
    assert run.code == 2, run
    assert "'out'" in run.err and "folder" in run.err
    assert "internal error" not in run.err and "previous site" not in run.err
    assert everything(tree.root) == before


@pytest.mark.parametrize("target", ["missing/export.json", "afile/export.json"])
def test_export_into_a_missing_folder_or_below_a_file_is_a_usage_error(tree, cli, target):
    (tree.root / "afile").write_text("x")
    before = everything(tree.root)
    run = cli(tree.root, "export", "-o", target)
    assert run.code == 2, run
    assert "internal error" not in run.err
    assert everything(tree.root) == before


def test_export_writes_atomically_and_keeps_the_mode(tree, cli, monkeypatch):
    import generator.write as w

    target = tree.root / "model.json"
    assert cli(tree.root, "export", "-o", "model.json").code == 0
    first = target.read_bytes()
    assert first.startswith(b"{")
    target.chmod(0o600)
    tree.replace("companies/beta.yaml", "name: Beta", "name: Beta Renamed")

    def failing_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(w.os, "replace", failing_replace)
    run = cli(tree.root, "export", "-o", "model.json")
    assert run.code == 2 and "previous site" not in run.err and "No space left on device" in run.err, run.err
    assert target.read_bytes() == first
    assert sorted(p.name for p in tree.root.iterdir()) == ["content", "model.json"]  # no temporary file left
    monkeypatch.undo()
    assert cli(tree.root, "export", "-o", "model.json").code == 0
    assert b"Beta Renamed" in target.read_bytes()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_export_follows_a_link_to_a_file(tree, cli):
    (tree.root / "real.json").write_text("old")
    os.symlink("real.json", tree.root / "latest.json")
    assert cli(tree.root, "export", "-o", "latest.json").code == 0
    assert (tree.root / "latest.json").is_symlink()
    assert (tree.root / "real.json").read_bytes().startswith(b"{")


@pytest.mark.parametrize("out", ["content/schema", "templates", "afile", "afile/schema"])
def test_schema_out_is_guarded(tree, cli, out):
    _project_templates(tree)
    (tree.root / "afile").write_text("x")
    before = everything(tree.root)
    run = cli(tree.root, "schema", "--out", out)
    assert run.code == 2, run
    assert "internal error" not in run.err and "Traceback" not in run.err
    assert everything(tree.root) == before


def test_schema_writes_into_a_new_folder(tree, cli):
    assert cli(tree.root, "schema", "--out", "editor/schema").code == 0
    assert (tree.root / "editor" / "schema" / "site.schema.json").is_file()


@pytest.mark.parametrize("target", ["docs", "content/content.md"])
def test_docs_file_is_guarded(tree, cli, target):
    from generator.docs import BEGIN, END

    (tree.root / "docs").mkdir()
    tree.write("content.md", f"# Fields\n\n{BEGIN}\n{END}\n")  # a valid docs file, but inside content/
    before = everything(tree.root)
    run = cli(tree.root, "docs", "--file", target)
    assert run.code == 2, run
    assert "internal error" not in run.err and "previous site" not in run.err
    assert ("folder" in run.err) if target == "docs" else ("content folder" in run.err), run.err
    assert everything(tree.root) == before


def test_internal_error_in_export_does_not_talk_about_a_site(tree, cli, monkeypatch):
    import generator.export as export

    monkeypatch.setattr(export, "export_json", lambda checked: 1 / 0)
    run = cli(tree.root, "export")
    assert run.code == 3
    assert "previous site" not in run.err


# --- 3. --out is resolved first; a failed build leaves no stray folder -------------------------------------

def test_build_from_inside_the_site_into_dot(tree, cli):
    assert cli(tree.root, "build").code == 0
    site = tree.root / "site"
    (site / "CNAME").write_text("x.example\n")
    tree.replace("companies/beta.yaml", "name: Beta", "name: Beta Renamed")
    run = cli(site, "build", "--content", "../content", "--out", ".")
    assert run.code == 0, run.err
    assert "cd" in run.out + run.err  # the shell sits in the replaced folder: say how to get to the new one
    assert "Beta Renamed" in (tree.root / "site" / "index.html").read_text()
    assert (tree.root / "site" / "CNAME").read_text() == "x.example\n"
    assert not leftovers(tree.root, tree.root / "site")
    assert sorted(p.name for p in tree.root.iterdir()) == ["content", "site"]


def test_out_with_dotdot_through_the_site_is_the_site(tree, cli):
    assert cli(tree.root, "build").code == 0
    tree.replace("companies/beta.yaml", "name: Beta", "name: Beta Renamed")
    run = cli(tree.root, "build", "--out", "site/sub/..")
    assert run.code == 0, run.err
    site = tree.root / "site"
    assert not (site / "sub").exists()
    assert "Beta Renamed" in (site / "index.html").read_text()
    assert not leftovers(tree.root, site)
    assert sorted(p.name for p in tree.root.iterdir()) == ["content", "site"]


def test_failed_build_into_a_new_nested_folder_leaves_no_folder(tree, cli, monkeypatch):
    import generator.write as w

    before = everything(tree.root)

    def broken_commit(self):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(w.SiteWriter, "commit", broken_commit)
    run = cli(tree.root, "build", "--out", "public/deep/site")
    assert run.code == 3
    assert everything(tree.root) == before


# --- 4. the folder mode ----------------------------------------------------------------------------------

def test_rebuild_keeps_a_private_folder_private(tree, cli):
    assert cli(tree.root, "build", "--audience", "internal").code == 0
    site = tree.root / "site-internal"  # an internal build's own default folder
    site.chmod(0o700)
    assert cli(tree.root, "build", "--audience", "internal").code == 0
    assert stat.S_IMODE(site.stat().st_mode) == 0o700


@pytest.mark.parametrize("mask", [0o077, 0o027, 0o022])
def test_new_site_folder_and_files_follow_the_umask(tree, cli, mask):
    with umask(mask):
        assert cli(tree.root, "build").code == 0
    site = tree.root / "site"
    assert stat.S_IMODE(site.stat().st_mode) == 0o777 & ~mask
    assert stat.S_IMODE((site / "index.html").stat().st_mode) == 0o666 & ~mask
    assert stat.S_IMODE((site / "assets").stat().st_mode) == 0o777 & ~mask


# --- 5. usage errors -----------------------------------------------------------------------------------

@pytest.mark.parametrize("args, words", [
    (["--templates", "nowhere"], ["nowhere", "does not exist"]),
    (["--templates", "empty-templates"], ["empty-templates", "base.html"]),
    (["--out", "afile/site"], ["afile", "file"]),
], ids=["missing-templates", "templates-without-base", "out-below-a-file"])
def test_usage_errors_not_internal_errors(tree, cli, args, words):
    (tree.root / "afile").write_text("x")
    (tree.root / "empty-templates").mkdir()
    before = everything(tree.root)
    run = cli(tree.root, "build", *args)
    assert run.code == 2, run
    assert "internal error" not in run.err and "Traceback" not in run.err
    for word in words:
        assert word in run.err
    assert everything(tree.root) == before


# --- 6. Ctrl-C while modules import ------------------------------------------------------------------------

def _console_script() -> str:
    """The wrapper pip writes for the [project.scripts] entry of pyproject.toml."""
    line = next(l for l in (ROOT / "pyproject.toml").read_text().splitlines() if l.startswith("valuemap ="))
    module, func = line.split("=", 1)[1].strip().strip('"').split(":")
    return (f"import re\nimport sys\nfrom {module} import {func}\nif __name__ == '__main__':\n"
            f"    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n    sys.exit({func}())\n")


# -X importtime prints a line when an import completes: the first valuemap module done (generator.entry, or
# whatever the CLI imports first where there is no entry module) means valuemap's own code is running.
STARTED = re.compile(rb"\| +generator\.\w+\n")


@pytest.mark.slow
@pytest.mark.parametrize("how", ["console-script", "python-m"])
def test_ctrl_c_during_start_up_is_a_clean_exit(tmp_path, how):
    """SIGINT lands while valuemap's modules import. Python's own start-up (site, runpy) is waited out with
    -X importtime: a signal before any valuemap code runs is Python's to handle, not valuemap's."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
    argv = ["-c", _console_script()] if how == "console-script" else ["-m", "generator"]
    cmd = [sys.executable, "-X", "importtime", *argv, "check", "--content", str(SAMPLE)]
    codes = []
    for delay in (0, 0.002, 0.01, 0.02, 0.04, 0.07, 0.1, 0.15, 0.2):
        proc = subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        seen = b""
        deadline = time.monotonic() + 30
        while not STARTED.search(seen) and time.monotonic() < deadline:
            ready, _, _ = select.select([proc.stderr], [], [], 1)
            if ready:
                chunk = os.read(proc.stderr.fileno(), 65536)
                if not chunk:
                    break
                seen += chunk
        assert STARTED.search(seen), seen[-2000:]
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        err = "\n".join(l for l in (seen + err).decode().splitlines() if not l.startswith("import time:"))
        assert "Traceback" not in err, (delay, err)
        assert proc.returncode in (130, 0, -signal.SIGINT), (delay, proc.returncode, err)
        if proc.returncode == 130:
            assert "interrupted" in err
        codes.append(proc.returncode)
    assert 130 in codes, codes


def test_cli_main_stays_importable():
    from generator.cli import main

    assert callable(main)


def test_ctrl_c_wrapped_by_python_is_still_an_interruption(monkeypatch, capsys, tmp_path):
    """Python 3.11 turns a KeyboardInterrupt raised while a class is created (pydantic builds model classes on
    first use) into "RuntimeError: Error calling __set_name__ …" caused by it. That is Ctrl-C: exit 130 and
    "interrupted", not "internal error" (seen once in CI, in the start-up test above)."""
    from generator import cli

    def wrapped(args, reporter):
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as ctrl_c:
            raise RuntimeError("Error calling __set_name__ on 'cached_property' instance 'data'") from ctrl_c

    monkeypatch.setattr(cli, "cmd_check", wrapped)
    monkeypatch.chdir(tmp_path)
    code = cli.main(["check"])
    err = capsys.readouterr().err
    assert code == 130 and "interrupted" in err and "internal error" not in err, err


@pytest.mark.parametrize("where", ["package", "checkout"])
def test_a_single_file_is_never_written_into_valuemaps_own_templates(where):
    """export -o, schema --out and docs --file refuse valuemap's bundled templates wherever they are: inside the
    package (a wheel: generator/templates/) or beside it (a checkout: templates/)."""
    import generator
    from generator.site_folder import OutputError
    from generator.write_file import check_file_output

    package = Path(generator.__file__).parent
    folder = package / "templates" if where == "package" else package.parent / "templates"
    with pytest.raises(OutputError, match="inside valuemap's templates"):
        check_file_output(folder / "export.json", create_folders=True, option="the export file")


def test_ctrl_c_inside_a_callback_python_ignores_is_delivered_again(capsys):
    """Seen in CI: SIGINT landed in importlib's module-lock weakref callback, where Python prints "Exception
    ignored in …" and a traceback and goes on. valuemap's hook prints nothing and raises the KeyboardInterrupt
    again in the main thread (exit 130, "interrupted", as for any Ctrl-C); other exceptions still reach
    Python's own hook. (A finaliser that raises is such a callback too.)"""
    import gc

    from generator import entry

    class Raises:
        def __init__(self, exc):
            self.exc = exc

        def __del__(self):
            raise self.exc

    assert sys.unraisablehook is entry._unraisable
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # as while the CLI runs a command
    try:
        with pytest.raises(KeyboardInterrupt):
            Raises(KeyboardInterrupt())  # finalised at once: Python hands the exception to the hook
            gc.collect()
            for _ in range(2_000):  # delivered again a moment later, from another thread
                time.sleep(0.001)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert "Traceback" not in capsys.readouterr().err
    Raises(ValueError("boom"))
    gc.collect()
    assert "ValueError: boom" in capsys.readouterr().err


def test_a_full_disk_under_export_is_said_as_such_not_as_a_bug(tmp_path):
    """`export > /dev/full`: the machine's problem, named, exit 2 — not "internal error … a bug in valuemap"
    (exit 3), and no traceback when Python flushes the failed stream again at exit."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    with open("/dev/full", "wb") as full:
        run = subprocess.run([sys.executable, "-m", "generator", "export"], cwd=ROOT, stdout=full,
                             stderr=subprocess.PIPE, text=True, timeout=60,
                             env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert run.returncode == 2, run.stderr
    assert "No space left on device" in run.stderr and "cannot read or write a file" in run.stderr
    assert "internal error" not in run.stderr and "Traceback" not in run.stderr and "Exception ignored" not in run.stderr


@pytest.mark.parametrize("args, built", [(["build", "--out", "out-site"], True),
                                         (["check", "--format", "json"], False)])
def test_a_report_that_cannot_be_written_says_what_was_done(tmp_path, args, built):
    """A full disk under the report: after a build that swapped its site in, it does not say "the previous
    site was left as it was"; the JSON report, which writes to its own stream, ends without a traceback."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    import shutil

    shutil.copytree(SAMPLE, tmp_path / "content")
    with open("/dev/full", "wb") as full:
        run = subprocess.run([sys.executable, "-m", "generator", *args], cwd=tmp_path, stdout=full,
                             stderr=subprocess.PIPE, text=True, timeout=120,
                             env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert run.returncode == 2, run.stderr
    assert "No space left on device" in run.stderr and "Traceback" not in run.stderr, run.stderr
    assert "previous site" not in run.stderr
    if built:
        assert "the site was built" in run.stderr and (tmp_path / "out-site" / "index.html").is_file()


def test_missing_templates_are_a_broken_install_not_a_bug(tree, cli, monkeypatch):
    """valuemap's own templates not found (a broken install, or running one checkout's code on another's
    content): the message says to reinstall; it is not "internal error … a bug" (exit 3)."""
    import generator.render as render

    def missing():
        raise render.MissingTemplates("valuemap's templates were not found — reinstall valuemap")

    monkeypatch.setattr(render, "bundled_templates", missing)
    run = cli(tree.root, "build")
    assert run.code == 2, run.err
    assert "reinstall valuemap" in run.err and "internal error" not in run.err
    assert not (tree.root / "site").exists()
