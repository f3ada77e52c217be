"""What ``serve`` shows, shared by its threads: the latest build, which pages are open in a browser and which
files each build changed — so a page reloads only when its own file changed, and a page the running rebuild
has still to make is sent once it is made.

Written by the rebuild thread (:meth:`LiveState.publish` after each build, :meth:`LiveState.published` when
the open pages went first), read by every request thread (:mod:`generator.serve`).
"""
from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from typing import Callable
from urllib.parse import unquote

from .rebuild import Outcome


@dataclass(frozen=True)
class Snapshot:
    epoch: int  # successful builds so far: a page served at epoch E reloads when the epoch grows past E
    version: int  # builds finished so far, successful or not
    outcome: Outcome | None  # the latest build
    closed: bool


class LiveState:
    """What the server shows; written by the rebuild thread, read by every request thread."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._snap = Snapshot(0, 0, None, False)
        self.token = secrets.token_hex(8)  # this server run: pages from an earlier run reload
        self.listeners = 0  # open event streams (pages being watched)
        self._pages: dict[str, int] = {}  # site-relative file of each watched page → its open streams
        self._changed_at: dict[str, int] = {}  # file → the epoch whose build last changed it
        self._all_changed_at = 0  # the last epoch whose build may have changed any file (a full build)
        self._pending: frozenset[str] = frozenset()  # pages the running rebuild has still to move in
        self._failed_at = -1  # the version of the last failed build (-1: none yet)

    def listening(self, delta: int, page: str | None = None) -> None:
        with self._cond:
            self.listeners += delta
            if page is not None:
                count = self._pages.get(page, 0) + delta
                if count > 0:
                    self._pages[page] = count
                else:
                    self._pages.pop(page, None)
            self._cond.notify_all()

    # -- what a rebuild is told (generator.build.First) and what the pages ask

    def watched(self) -> frozenset[str]:
        """The site-relative files of the pages open in a browser (their event streams say which)."""
        with self._cond:
            return frozenset(self._pages)

    def published(self, paths: frozenset[str], pending: frozenset[str]) -> None:
        """A rebuild moved the pages being read in before the others: they reload now (a new epoch, which
        only they changed in); a request for one of ``pending`` waits until the rebuild is done."""
        with self._cond:
            s = self._snap
            epoch = s.epoch + 1
            for path in paths:
                self._changed_at[path] = epoch
            self._pending = pending
            self._snap = Snapshot(epoch, s.version + 1, Outcome(True, changed=paths), s.closed)
            self._cond.notify_all()

    def pending(self, paths: frozenset[str]) -> None:
        """The pages the running rebuild has still to move in, once it has decided which (fewer than said)."""
        with self._cond:
            self._pending = paths
            self._cond.notify_all()

    def failed_since(self, version: int) -> bool:
        """Whether a build failed at or after ``version`` (a page served then shows, or has been sent, the
        problems banner: it reloads after the next good build even if its file did not change)."""
        with self._cond:
            return self._failed_at >= 0 and self._failed_at >= version  # -1: no build has failed yet

    def changed_since(self, page: str | None, epoch: int) -> bool:
        """Whether the file of ``page`` (None: not known) may have changed after the build of ``epoch``."""
        with self._cond:
            if page is None or self._all_changed_at > epoch:
                return True
            return self._changed_at.get(page, 0) > epoch

    def wait_fresh(self, page: str, timeout: float) -> None:
        """Block while ``page`` is one the running rebuild has still to move in (at most ``timeout`` s)."""
        with self._cond:
            self._cond.wait_for(lambda: page not in self._pending or self._snap.closed, timeout)

    def wait_for_listeners(self, count: int, timeout: float) -> bool:
        """For tests and tools: block until at least ``count`` event streams are open."""
        with self._cond:
            return self._cond.wait_for(lambda: self.listeners >= count, timeout)

    def snapshot(self) -> Snapshot:
        with self._cond:
            return self._snap

    def publish(self, outcome: Outcome) -> Snapshot:
        with self._cond:
            s = self._snap
            epoch = s.epoch + outcome.ok
            if outcome.ok and outcome.changed is None:
                self._all_changed_at = epoch
            elif outcome.ok:
                for path in outcome.changed:
                    self._changed_at[path] = epoch
            self._pending = frozenset()
            if not outcome.ok:
                self._failed_at = s.version + 1
            self._snap = Snapshot(epoch, s.version + 1, outcome, s.closed)
            self._cond.notify_all()
            return self._snap

    def close(self) -> None:
        with self._cond:
            s = self._snap
            self._snap = Snapshot(s.epoch, s.version, s.outcome, True)
            self._cond.notify_all()

    def wait(self, after_version: int, timeout: float) -> Snapshot:
        """The state once a build newer than ``after_version`` has finished (or on close, or timeout)."""
        with self._cond:
            self._cond.wait_for(lambda: self._snap.version != after_version or self._snap.closed, timeout)
            return self._snap

    def wait_for(self, predicate: Callable[[Snapshot], bool], timeout: float) -> Snapshot:
        """For tests and tools: block until ``predicate(snapshot)`` holds; returns the snapshot either way."""
        with self._cond:
            self._cond.wait_for(lambda: predicate(self._snap), timeout)
            return self._snap


def site_file(url_path: str) -> str | None:
    """The site-relative file a page's address is served from (``/a/`` → ``a/index.html``); None for an
    address that is not a page's (a folder without its slash is redirected first)."""
    path = unquote(url_path.split("?", 1)[0].split("#", 1)[0])
    if not path.startswith("/") or "\0" in path:
        return None
    parts = [p for p in path.split("/") if p]
    if any(p in (".", "..") for p in parts):
        return None
    if path.endswith("/"):
        parts.append("index.html")
    if not parts or not parts[-1].endswith(".html"):
        return None
    return "/".join(parts)
