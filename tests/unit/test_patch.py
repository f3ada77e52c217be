"""serve's rebuild after an edit updates its folder in place (generator/patch.py), reads only the files that
changed (company_cache.FileDigests) and checks only the pages that read what changed (incremental's read
index) — and the folder stays byte-identical to a full build. Not timed: it counts and compares."""
from __future__ import annotations

import os

import pytest

from generator import company_cache, incremental
from generator.plan import INTERNAL
from generator.patch import PatchWriter
from generator.site_folder import MARKER, read_manifest
from generator.write import TMP_PREFIX, SiteWriter

from tests.conftest import site_digest as snapshot
from tests.unit.test_incremental import Session

SLUG = "ticketeer"
SUMMARY = "Ticketeer is the price fighter of the market"


@pytest.fixture
def served(sample, templates, tmp_path) -> Session:
    s = Session(sample, templates, tmp_path, INTERNAL)
    s.rebuild()
    return s


def test_an_edit_updates_the_folder_in_place_and_leaves_no_temporary_folder(served):
    folder_inode = served.out.stat().st_ino
    page = served.out / "competitors" / f"{SLUG}.html"
    served.sample.replace(f"companies/{SLUG}.yaml", SUMMARY, "Ticketeer, patched in place, is the price fighter")
    served.rebuild()
    assert served.out.stat().st_ino == folder_inode  # the same folder: not a new one swapped in
    assert "patched in place" in page.read_text(encoding="utf-8")
    assert not [p for p in served.out.parent.iterdir() if p.name.startswith(TMP_PREFIX)]
    assert snapshot(served.out) == served.full()


def test_patch_writer_replaces_removes_and_leaves_no_empty_folder(tmp_path):
    """The writer alone: a file kept, one rewritten, one gone with its folder, one new."""
    out = tmp_path / "site"
    first = SiteWriter(out)
    for rel, data in (("index.html", "home"), ("a/old.html", "old"), ("b/kept.html", "kept"), ("b/x.html", "x1")):
        first.write(rel, data)
    first.commit()
    kept_inode = (out / "b" / "kept.html").stat().st_ino
    patch = PatchWriter(out, first.sizes)
    patch.link("b/kept.html", out / "b" / "kept.html")
    patch.write("index.html", "home")  # the same bytes: left in place
    patch.write("b/x.html", "x2")
    patch.write("c/new.html", "new")
    patch.commit()
    assert (out / "b" / "kept.html").stat().st_ino == kept_inode
    assert (out / "b" / "x.html").read_text() == "x2" and (out / "c" / "new.html").read_text() == "new"
    assert not (out / "a").exists()  # its only page went: a full build would not have the folder
    assert read_manifest(out / MARKER) == {"index.html", "b/kept.html", "b/x.html", "c/new.html"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_patch_writer_abort_leaves_the_folder_as_it_was(tmp_path):
    out = tmp_path / "site"
    first = SiteWriter(out)
    first.write("index.html", "home")
    first.commit()
    before = snapshot(out)
    patch = PatchWriter(out, first.sizes)
    patch.write("index.html", "changed")
    patch.abort()
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_failed_rebuild_leaves_the_folder_as_it_was_and_the_next_one_is_right(served, monkeypatch):
    before = snapshot(served.out)
    served.sample.replace(f"companies/{SLUG}.yaml", SUMMARY, "Ticketeer, failing, is the price fighter")
    import generator.parallel as parallel

    real = parallel._render_one

    def failing(index):
        if parallel._Job.pages[index].path == "competitors/index.html":
            raise RuntimeError("boom")
        return real(index)

    monkeypatch.setattr(parallel, "_render_one", failing)
    state = served.state
    with pytest.raises(RuntimeError):
        served.rebuild()
    served.state = state  # what serve keeps after a failed build (it sets it to None on a bug; either is fine)
    assert snapshot(served.out) == before
    monkeypatch.setattr(parallel, "_render_one", real)
    served.rebuild()
    assert "failing" in (served.out / "competitors" / f"{SLUG}.html").read_text(encoding="utf-8")
    assert snapshot(served.out) == served.full()


def test_an_edit_checks_only_the_pages_that_read_the_company(served, monkeypatch):
    """The read index: a talk-track edit computes no fingerprint but those of the pages it renders (the work
    of a rebuild does not grow with the pages that did not read the file)."""
    calls = []
    real = incremental.fingerprint
    monkeypatch.setattr(incremental, "fingerprint", lambda d, reads: calls.append(reads) or real(d, reads))
    assert "talk_track: >-\n  Don't fight Ticketeer" in served.sample.read(f"companies/{SLUG}.yaml")
    served.sample.replace(f"companies/{SLUG}.yaml", "Don't fight Ticketeer", "Lead with the roadmap. Don't fight Ticketeer")
    served.rebuild()
    rendered = set(served.state.rendered)
    # its own pages, and the two that read every company's file (the sample's history: trails, What changed)
    assert {f"competitors/{SLUG}.html", f"battlecards/{SLUG}.html"} <= rendered
    assert rendered <= {f"competitors/{SLUG}.html", f"battlecards/{SLUG}.html", "index.html", "changes.html"}
    assert len(calls) == len(rendered)  # the rendered pages' new fingerprints; none for the pages left alone
    assert snapshot(served.out) == served.full()


def test_file_digests_read_a_file_again_only_when_it_changed(tmp_path, monkeypatch):
    files = company_cache.FileDigests()
    files.RACY_NS = 0  # trust the status at once (the real window is two seconds)
    reads = []
    real = company_cache._digest
    monkeypatch.setattr(company_cache, "_digest", lambda p: reads.append(p) or real(p))
    path = tmp_path / "a.yaml"
    path.write_text("name: A\n")
    first = files.digest(path)
    assert files.digest(path) == first and len(reads) == 1
    path.write_text("name: B\n")  # same size, new status
    second = files.digest(path)
    assert second != first and len(reads) == 2
    path.unlink()
    assert files.digest(path) is None


def test_a_file_changed_within_the_clock_window_is_always_read(tmp_path, monkeypatch):
    files = company_cache.FileDigests()  # RACY_NS: two seconds; the file was written just now
    reads = []
    real = company_cache._digest
    monkeypatch.setattr(company_cache, "_digest", lambda p: reads.append(p) or real(p))
    path = tmp_path / "a.yaml"
    path.write_text("name: A\n")
    files.digest(path)
    st = os.stat(path)
    path.write_text("name: B\n")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # the same mtime, as a coarse clock would give
    assert files.digest(path) == real(path)
    assert len(reads) == 2


def test_an_edit_that_renders_every_page_in_worker_processes(served, monkeypatch):
    """A score edit moves the market: every page is rendered again, here in two forked workers, each writing
    its pages into the temporary folder for the commit to move (a worker cannot leave a page in place)."""
    monkeypatch.setenv("VALUEMAP_WORKERS", "2")
    served.sample.replace(f"companies/{SLUG}.yaml", "value: 35,", "value: 5,")
    served.rebuild()
    assert len(served.state.rendered) > len(served.state.pages) // 2
    assert snapshot(served.out) == served.full()
