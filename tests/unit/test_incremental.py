"""Incremental builds (``serve``): after one company file changes, only the pages that read it — or that show
market-wide numbers it moved — are re-rendered; every other file is reused; the site is byte-identical to a
full build. Not timed: it counts what was rendered and compares bytes."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.build import build
from generator.diagnostics import Diagnostics
from generator.plan import EXTERNAL, INTERNAL, SECRET_FOLDERS
from generator.serve import incremental_rebuild
from generator.site_folder import MARKER, manifest_entry, read_manifest

from tests.conftest import site_digest as snapshot

ROOT = Path(__file__).resolve().parents[2]
SLUG = "ticketeer"
SUMMARY = "Ticketeer is the price fighter of the market"


class Session:
    """An incremental build folder, as ``serve`` keeps one, and a full build to compare it with."""

    def __init__(self, sample, templates: Path, tmp: Path, audience: str):
        self.sample, self.templates, self.tmp, self.audience = sample, templates, tmp, audience
        self.out = tmp / "served"
        self.state = None
        self.full_builds = 0

    def rebuild(self):
        result = build(self.sample.content, self.out, Diagnostics(), templates_dir=self.templates,
                       audience=self.audience, incremental=self.state or True)
        self.state = result.state
        return result

    def full(self) -> dict[str, str]:
        self.full_builds += 1
        out = self.tmp / f"full-{self.full_builds}"
        build(self.sample.content, out, Diagnostics(), templates_dir=self.templates, audience=self.audience)
        return snapshot(out)

    def inodes(self) -> dict[str, int]:
        return {p.relative_to(self.out).as_posix(): p.stat().st_ino for p in self.out.rglob("*.html")}


@pytest.fixture(params=[INTERNAL, EXTERNAL])
def session(request, sample, templates, tmp_path) -> Session:
    s = Session(sample, templates, tmp_path, request.param)
    first = s.rebuild()
    assert s.state is not None and len(s.state.rendered) == len(s.state.pages)  # the first build renders all
    assert first.pages > 20
    return s


def test_a_prose_edit_rerenders_only_the_pages_that_read_the_company(session):
    before = session.inodes()
    session.sample.replace(f"companies/{SLUG}.yaml", SUMMARY, "Ticketeer, renamed in prose only, is the price fighter")
    session.rebuild()
    rendered = set(session.state.rendered)
    assert f"competitors/{SLUG}.html" in rendered
    # other companies' own pages did not read Ticketeer's file: reused, the very same files (hard links)
    others = [p for p in session.state.pages if p.startswith("competitors/") and p != "competitors/index.html"
              and p != f"competitors/{SLUG}.html"]
    assert len(others) >= 8
    assert not rendered & set(others)
    after = session.inodes()
    assert all(after[p] == before[p] for p in others)
    assert len(rendered) < len(session.state.pages) * 2 // 3  # the market-wide pages (lists, maps) read it too
    assert snapshot(session.out) == session.full()


def test_a_score_edit_moves_the_market_and_rerenders_every_page_showing_relative_numbers(session):
    text = session.sample.read(f"companies/{SLUG}.yaml")
    assert "value: 35," in text
    session.sample.replace(f"companies/{SLUG}.yaml", "value: 35,", "value: 5,")
    session.rebuild()
    rendered = set(session.state.rendered)
    competitor_pages = {p for p in session.state.pages if p.startswith("competitors/")}
    assert competitor_pages <= rendered  # every one shows the map and relative quality
    assert "index.html" in rendered
    assert snapshot(session.out) == session.full()


def test_touching_a_file_without_changing_it_rerenders_nothing(session):
    before = snapshot(session.out)
    path = session.sample.content / "companies" / f"{SLUG}.yaml"
    os.utime(path, None)
    session.rebuild()
    assert session.state.rendered == ()
    assert snapshot(session.out) == before


def test_a_template_or_site_edit_rerenders_everything(session):
    base = session.templates / "base.html"
    base.write_text(base.read_text().replace("</footer>", "<!-- edited --></footer>", 1))
    session.rebuild()
    assert len(session.state.rendered) == len(session.state.pages)
    assert snapshot(session.out) == session.full()


def test_a_new_and_a_removed_company(session):
    source = session.sample.content / "companies" / f"{SLUG}.yaml"
    added = source.with_name("ticketeer-two.yaml")
    added.write_text(source.read_text().replace("name: Ticketeer", "name: Ticketeer Two", 1))
    session.rebuild()
    assert "competitors/ticketeer-two.html" in session.state.rendered
    assert snapshot(session.out) == session.full()
    added.unlink()
    session.rebuild()
    assert "competitors/ticketeer-two.html" not in session.state.pages
    assert not (session.out / "competitors" / "ticketeer-two.html").exists()
    assert not (session.out / "battlecards" / "ticketeer-two.html").exists()
    # serve updates its folder in place (generator/patch.py): the manifest names exactly what is there
    on_disk = {p.relative_to(session.out).as_posix() for p in session.out.rglob("*") if p.is_file()} - {MARKER}
    assert read_manifest(session.out / MARKER) == frozenset(manifest_entry(f, SECRET_FOLDERS) for f in on_disk)
    assert snapshot(session.out) == session.full()


def test_serve_rebuild_reports_how_many_pages_it_rendered(sample, templates, tmp_path):
    rebuild = incremental_rebuild(sample.content, tmp_path / "site", templates=templates, audience=INTERNAL)
    first = rebuild(frozenset())
    assert first.ok and first.rendered == first.pages
    sample.replace(f"companies/{SLUG}.yaml", SUMMARY, "Ticketeer, edited, is the price fighter")
    second = rebuild(frozenset({sample.content / "companies" / f"{SLUG}.yaml"}))
    assert second.ok and 0 < second.rendered < second.pages


def test_a_summary_edit_rerenders_only_the_pages_that_show_the_summary(session):
    """Reads are recorded per field (generator/parallel.py TrackedModels): the maps, the canvas and the other
    lists read every company's name, prices and scores, not its summary, so they are reused. (The sample has
    a history: the home page's trails and the What changed page read every company's past, which counts as
    reading everything.)"""
    session.sample.replace(f"companies/{SLUG}.yaml", SUMMARY, "Ticketeer, renamed in prose only, is the price fighter")
    session.rebuild()
    rendered = set(session.state.rendered)
    assert {f"competitors/{SLUG}.html", "competitors/index.html"} <= rendered
    assert rendered <= {f"competitors/{SLUG}.html", "competitors/index.html", "index.html", "changes.html"}
    for page in ("canvas.html", "weigh.html", "methodology.html", f"battlecards/{SLUG}.html"):
        assert page not in rendered, (page, sorted(rendered))
    assert not any(p.startswith(("segments/", "dimensions/")) for p in rendered), sorted(rendered)
    assert snapshot(session.out) == session.full()


def test_serve_reuses_validated_files_and_scores_and_stays_identical_to_a_full_build(sample, templates, tmp_path):
    """serve's rebuild (company cache, scores kept when unchanged, field-level reads) against a full build,
    after a prose edit, a score edit and a prose edit again."""
    out = tmp_path / "served"
    rebuild = incremental_rebuild(sample.content, out, templates=templates, audience=INTERNAL)
    first = rebuild(frozenset())
    assert first.ok and first.rendered == first.pages

    def full() -> dict[str, str]:
        target = tmp_path / f"full-{os.urandom(4).hex()}"
        build(sample.content, target, Diagnostics(), templates_dir=templates, audience=INTERNAL)
        return snapshot(target)

    sample.replace(f"companies/{SLUG}.yaml", SUMMARY, "Ticketeer, in other words, is the price fighter")
    second = rebuild(frozenset())
    assert second.ok and 0 < second.rendered <= 4, second  # the page, the list, the history's two
    assert second.phases["score"] < first.phases["score"] or second.phases["score"] < 0.01
    assert snapshot(out) == full()
    sample.replace(f"companies/{SLUG}.yaml", "value: 35,", "value: 5,")
    third = rebuild(frozenset())
    assert third.ok and third.rendered > second.rendered
    assert snapshot(out) == full()
    sample.replace(f"companies/{SLUG}.yaml", "Ticketeer, in other words,", "Ticketeer, once more,")
    fourth = rebuild(frozenset())
    assert fourth.ok and 0 < fourth.rendered <= 4
    assert snapshot(out) == full()


def test_a_shared_block_counts_its_reads_for_every_page_that_shows_it():
    """views.common.shared_block: a competitor page and its battlecard share the "where they sit" block; the
    second page's recorded reads include what making the block read, or an edit would skip that page."""
    import types

    from generator import reads
    from generator.views.common import shared_block

    ctx = types.SimpleNamespace(memo={})

    def make():
        reads.TrackedCompanies.reads.add("acme:prices")
        return {"block": 1}

    try:
        reads.TrackedCompanies.reads = {"acme:name"}  # the first page
        first = shared_block(ctx, ("where", "acme"), make)
        assert reads.TrackedCompanies.reads == {"acme:name", "acme:prices"}
        reads.TrackedCompanies.reads = set()  # the second page
        again = shared_block(ctx, ("where", "acme"), lambda: pytest.fail("made twice"))
        assert again is first and reads.TrackedCompanies.reads == {"acme:prices"}
        reads.TrackedCompanies.reads = None  # not recording: made and kept without reads ...
        ctx.memo.clear()
        shared_block(ctx, ("where", "beta"), lambda: {"block": 2})
        reads.TrackedCompanies.reads = set()  # ... so a recording page makes it again, its reads known
        made = []
        shared_block(ctx, ("where", "beta"), lambda: made.append(1) or {"block": 2})
        assert made == [1]
    finally:
        reads.TrackedCompanies.reads = None
