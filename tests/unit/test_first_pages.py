"""``serve``: after an edit, the pages open in a browser are rendered and moved in before the others, they alone
reload, a page still being made is sent once it is made, and the site ends byte-identical to a full build.

Not timed: it checks the order things happen in (what is on disk when the early pages are published) and the
bytes at the end. How long it takes is measured by ``python bench/run.py --serve``.
"""
from __future__ import annotations

import threading
from pathlib import Path

import pytest

from generator import parallel
from generator.build import build
from generator.diagnostics import Diagnostics
from generator.plan import INTERNAL
from generator.live_state import LiveState, site_file
from generator.rebuild import Outcome, incremental_rebuild

from tests.conftest import site_digest as snapshot

SLUG = "ticketeer"
PAGE = f"competitors/{SLUG}.html"
OTHER = "competitors/relaybird.html"
PRICE = "- {price: 15, billing: annual, source: vendor-page"  # Ticketeer's Starter plan, seen on its price page


class Watchers:
    """A browser open on ``pages``; keeps what the rebuild published and what the folder held at that moment."""

    def __init__(self, out: Path, pages: set[str]):
        self.out, self.pages = out, frozenset(pages)
        self.calls: list[tuple[frozenset, frozenset]] = []
        self.on_disk: dict[str, bytes] = {}
        self.narrowed: list[frozenset] = []

    def watched(self) -> frozenset[str]:
        return self.pages

    def published(self, paths, pending):
        self.calls.append((paths, pending))
        self.on_disk = {p: (self.out / p).read_bytes() for p in (PAGE, OTHER, "index.html")}

    def pending(self, paths):
        self.narrowed.append(paths)


def full(sample, templates, tmp_path, name="full") -> dict[str, str]:
    out = tmp_path / name
    build(sample.content, out, Diagnostics(), templates_dir=templates, audience=INTERNAL)
    return snapshot(out)


@pytest.fixture
def served(sample, templates, tmp_path):
    out = tmp_path / "served"
    watchers = Watchers(out, {PAGE})
    rebuild = incremental_rebuild(sample.content, out, templates=templates, audience=INTERNAL, first=watchers)
    first = rebuild(frozenset())
    assert first.ok and watchers.calls == []  # the first build writes a whole folder: nothing goes first
    return out, watchers, rebuild


def test_a_price_edit_publishes_the_open_page_first_and_ends_identical_to_a_full_build(served, sample, templates,
                                                                                       tmp_path):
    out, watchers, rebuild = served
    old_page, old_other = (out / PAGE).read_bytes(), (out / OTHER).read_bytes()
    sample.replace(f"companies/{SLUG}.yaml", PRICE, PRICE.replace("15", "17"))
    outcome = rebuild(frozenset())
    assert outcome.ok, outcome
    [(paths, pending)] = watchers.calls
    assert paths == {PAGE}  # the open page, moved in ...
    assert watchers.on_disk[PAGE] != old_page and watchers.on_disk[PAGE] == (out / PAGE).read_bytes()
    assert watchers.on_disk[OTHER] == old_other  # ... while the other pages were still the old ones
    assert OTHER in pending and PAGE not in pending
    assert watchers.narrowed and OTHER in watchers.narrowed[-1] and PAGE not in watchers.narrowed[-1]
    assert outcome.first_seconds is not None and outcome.first_seconds <= outcome.seconds
    # the final commit changed every other page the price moved, not the one already published
    assert OTHER in outcome.changed and PAGE not in outcome.changed
    assert snapshot(out) == full(sample, templates, tmp_path)


def test_an_open_page_whose_bytes_do_not_change_is_not_published(served, sample, templates, tmp_path):
    out, watchers, rebuild = served
    watchers.pages = frozenset({OTHER})
    # Ticketeer's talk track is on its own pages only: Relaybird's page is rendered first and found the same
    sample.replace(f"companies/{SLUG}.yaml", "Don't fight Ticketeer on price", "Never fight Ticketeer on price")
    outcome = rebuild(frozenset())
    assert outcome.ok
    assert [paths for paths, _ in watchers.calls] == [frozenset()]
    assert OTHER not in outcome.changed and PAGE in outcome.changed
    assert snapshot(out) == full(sample, templates, tmp_path)


def test_a_failure_after_the_early_pages_makes_the_next_build_write_every_file(served, sample, templates, tmp_path,
                                                                               monkeypatch):
    out, watchers, rebuild = served
    real = parallel.render_pages

    def failing_after_first(env, templates_, ctx, pages, writer, **kw):
        records = real(env, templates_, ctx, pages, writer, **kw)
        if PAGE in {p.path for p in pages}:  # the early call: fine
            return records
        bad = records[0]
        failure = Diagnostics()
        failure.error("template-error", "boom", file="templates/x.html")
        return [parallel.Rendered(bad.index, bad.path, 0, None, failure.sorted()[0])] + records[1:]

    monkeypatch.setattr(parallel, "render_pages", failing_after_first)
    sample.replace(f"companies/{SLUG}.yaml", PRICE, PRICE.replace("15", "18"))
    failed = rebuild(frozenset())
    assert not failed.ok and len(watchers.calls) == 1  # the open page had been published when it failed
    monkeypatch.setattr(parallel, "render_pages", real)
    sample.replace(f"companies/{SLUG}.yaml", PRICE.replace("15", "18"), PRICE)  # back as the last good build
    healed = rebuild(frozenset())
    assert healed.ok and healed.rendered == healed.pages  # not "nothing changed": every file written again
    assert healed.changed is None
    assert snapshot(out) == full(sample, templates, tmp_path)


def test_nothing_goes_first_when_the_assets_change(served, sample, templates, tmp_path):
    out, watchers, rebuild = served
    css = templates / "assets" / "valuemap.css"
    css.write_text(css.read_text() + "\n/* changed */\n")
    sample.replace(f"companies/{SLUG}.yaml", PRICE, PRICE.replace("15", "16"))
    outcome = rebuild(frozenset())
    assert outcome.ok and watchers.calls == []  # an early page would link a stylesheet not yet there
    assert snapshot(out) == full(sample, templates, tmp_path)


# --------------------------------------------------------------------------- what the server does with it


def test_site_file_of_an_address():
    assert site_file("/") == "index.html"
    assert site_file("/competitors/ticketeer.html") == "competitors/ticketeer.html"
    assert site_file("/de/") == "de/index.html"
    assert site_file("/a%20b/") == "a b/index.html"
    assert site_file("/assets/valuemap.css") is None
    assert site_file("/de") is None  # redirected to /de/ first
    assert site_file("/../etc/passwd.html") is None
    assert site_file("") is None


def test_only_the_pages_that_changed_since_they_were_served_reload():
    state = LiveState()
    state.publish(Outcome(True))  # epoch 1: a full build, any page may have changed
    assert state.changed_since("index.html", 0) and not state.changed_since("index.html", 1)
    state.published(frozenset({PAGE}), frozenset({OTHER}))  # epoch 2: the open page first
    assert state.snapshot().epoch == 2
    assert state.changed_since(PAGE, 1) and not state.changed_since(OTHER, 1)
    state.publish(Outcome(True, changed=frozenset({OTHER})))  # epoch 3: the rest
    assert state.changed_since(OTHER, 2) and not state.changed_since(PAGE, 2)
    assert state.changed_since(None, 2)  # a page that did not say which it is: reload to be safe
    assert not state.failed_since(-1) and not state.failed_since(3)  # nothing has failed (a page without a version)
    state.publish(Outcome(False))  # version 4 failed
    assert state.failed_since(4) and state.failed_since(-1) and not state.failed_since(5)


def test_a_request_for_a_page_still_to_come_waits_for_it():
    state = LiveState()
    state.publish(Outcome(True))
    state.published(frozenset({PAGE}), frozenset({OTHER, "index.html"}))
    state.pending(frozenset({OTHER}))  # decided: index.html is reused
    done = threading.Event()

    def ask():
        state.wait_fresh(OTHER, 15)
        done.set()

    threading.Thread(target=ask, daemon=True).start()
    state.wait_fresh("index.html", 15)  # not pending any more: no wait
    state.wait_fresh(PAGE, 15)
    assert not done.wait(0.2)  # still waiting while the rebuild makes it
    state.publish(Outcome(True, changed=frozenset({OTHER})))
    assert done.wait(15)


def test_the_terminal_says_when_the_open_page_was_fresh(tree, templates):
    from generator.serve import ServeSession

    lines = []

    class Reporter:
        def message(self, text):
            lines.append(text)

    session = ServeSession(tree.content, templates=templates, port=0, reporter=Reporter(), root=tree.root)
    try:
        changed = frozenset({tree.content / "companies" / "beta.yaml"})
        session._tell(Outcome(True, pages=2014, seconds=5.37, rendered=2014, first_seconds=0.08), changed)
        session._tell(Outcome(True, pages=2014, seconds=0.09, rendered=2, first_seconds=0.06), changed)
    finally:
        session.close()
    assert lines[0] == ("✓ rebuilt after content/companies/beta.yaml: 2014 pages in 5.37 s, the open page in "
                        "0.08 s — reloading the browser")
    assert "open page" not in lines[1]  # no sooner to speak of
