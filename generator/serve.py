"""``valuemap serve``: build into a private folder, serve it, rebuild on change, reload the browser.

The loop follows MkDocs' ``livereload`` (debounce, rebuild, reload only after a *successful* build) and Zola's
``error_injection_middleware`` (while the content is broken every page carries the problems and the reload
script, and the site heals itself once the file is fixed):

* the site is built by :func:`generator.build.build` into a temporary folder of its own (never ``site/``, never
  the folder CI publishes) and swapped in whole, so a failed rebuild leaves the last good site being served;
* ``watchfiles`` watches the content and templates folders; a burst of changes is grouped until it has been
  quiet for ~100 ms, then one rebuild runs (:data:`Rebuild`: :func:`incremental_rebuild` — company files
  whose bytes did not change are not validated again (:mod:`generator.company_cache`), the market is scored
  again, and only the pages whose inputs changed are re-rendered, see :mod:`generator.incremental` and
  :mod:`generator.rebuild`); the pages open in a browser (each page's event stream says which it is) are
  rendered and moved in first, and only the pages whose file changed reload (:mod:`generator.live_state`);
* the server adds, to the HTML it *sends* (the files on disk stay byte-identical to ``valuemap build``), a
  stylesheet and a script from ``/__valuemap/`` and, after a failed build, a banner listing the problems
  (:mod:`generator.live_reload`). The
  pages' Content-Security-Policy has ``connect-src 'none'``; the served copy says ``connect-src 'self'`` so the
  script may open its Server-Sent Events stream (``/__valuemap/events``). The script loads from the same
  origin, which ``script-src 'self'`` already allows: no inline script is ever added.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import threading
from functools import partial
from pathlib import Path

from .diagnostics import ContentError, Diagnostics
from .live_state import LiveState
from .load import load_content
from .plan import INTERNAL
from .rebuild import Outcome, Rebuild, incremental_rebuild
from .render import find_templates
from .serve_http import Handler, Server, Server6, is_loopback

__all__ = ["LiveState", "Outcome", "Rebuild", "ServeError", "ServeSession", "incremental_rebuild", "serve"]

QUIET_MS = 50  # a rebuild starts once the files have been quiet for one to two steps of this (~100 ms) ...
LONGEST_WAIT_MS = 1600  # ... or when changes have kept coming for this long
SETTLE_S = 0.15  # a failed rebuild looks at the saved files again after this long (ServeSession._settled) ...
SETTLE_TRIES = 3  # ... and builds again at most this many times in all while they keep changing


class ServeError(Exception):
    """``serve`` cannot start (the port is taken, a bad address); the message says why."""


# --------------------------------------------------------------------------- the session


class ServeSession:
    """A running preview: ``with ServeSession(content, port=0, reporter=r) as s: ... s.url ...``.

    :meth:`start` binds the port, builds once, then serves and watches from background threads;
    :meth:`close` stops them and removes the private build folder. Nothing outside that folder is written.
    """

    def __init__(self, content: Path, *, templates: Path | None = None, audience: str = INTERNAL,
                 host: str = "127.0.0.1", port: int = 8000, reporter=None, rebuild: Rebuild | None = None,
                 root: Path | None = None):
        self.content = Path(content)
        self.templates = find_templates(Path(templates) if templates else None, self.content)
        self.audience, self.host, self.port = audience, host, port
        self.reporter = reporter
        self.root = root if root is not None else Path.cwd()
        self.folder = Path(tempfile.mkdtemp(prefix="valuemap-serve-"))  # private: mode 0700
        self.out = self.folder / "site"
        self.state = LiveState()
        self.rebuild = rebuild or incremental_rebuild(self.content, self.out, templates=self.templates,
                                                      audience=audience, first=self.state)
        self._stop = threading.Event()
        self._watching = threading.Event()
        self._lock = threading.Lock()  # one build at a time
        self._threads: list[threading.Thread] = []
        self._server: Server | None = None

    # -- lifecycle

    def __enter__(self) -> "ServeSession":
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def start(self) -> "ServeSession":
        if not 0 <= self.port <= 65535:
            raise ServeError(f"--port must be between 0 and 65535, not {self.port}")
        server_class = Server6 if ":" in self.host else Server
        # The external preview may be shared (--host): a content line can be internal text (a talk track, an
        # objection, a note), so its banner names where a problem is, never what the line says.
        handler = type("Handler", (Handler,), {"state": self.state, "root": self.root,
                                                "excerpts": self.audience == INTERNAL})
        try:
            self._server = server_class((self.host.strip("[]"), self.port), partial(handler, directory=str(self.out)))
        except (OSError, OverflowError) as exc:
            raise ServeError(f"cannot listen on {self.host}:{self.port}: {getattr(exc, 'strerror', None) or exc}"
                             + (" (another server uses the port? try --port 0 for a free one)"
                                if getattr(exc, "errno", None) == 98 else "")) from None
        self.port = self._server.server_address[1]
        self._spawn("valuemap-watch", self._watch)
        self._watching.wait(10)  # the watcher is in place before the first build: no edit is missed
        self.rebuild_now(frozenset())
        self._spawn("valuemap-http", self._server.serve_forever)
        return self

    def _spawn(self, name: str, target) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def close(self) -> None:
        self._stop.set()
        self.state.close()  # event streams end
        if self._server is not None:
            if any(t.name == "valuemap-http" for t in self._threads):
                self._server.shutdown()
            self._server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        shutil.rmtree(self.folder, ignore_errors=True)

    def wait(self) -> None:
        """Block until interrupted (Ctrl-C raises KeyboardInterrupt here, in the main thread)."""
        while not self._stop.wait(0.5):
            pass

    @property
    def url(self) -> str:
        host = self.host if ":" not in self.host else f"[{self.host.strip('[]')}]"
        if host in ("0.0.0.0", "[::]"):
            host = "127.0.0.1" if host == "0.0.0.0" else "[::1]"
        return f"http://{host}:{self.port}/"

    @property
    def watched(self) -> list[Path]:
        paths: list[Path] = []
        for path in (self.content.resolve(), Path(self.templates).resolve()):
            if path.is_dir() and not any(path == p or path.is_relative_to(p) for p in paths):
                paths = [p for p in paths if not p.is_relative_to(path)] + [path]
        return paths

    # -- building and watching

    def rebuild_now(self, changed: frozenset[Path]) -> Outcome:
        with self._lock:
            outcome = self._settled(changed)
            try:
                self._tell(outcome, changed)
            finally:  # the pages waiting for this build are told even if the terminal is gone
                self.state.publish(outcome)
            return outcome

    def _settled(self, changed: frozenset[Path]) -> Outcome:
        """A rebuild, made again when it failed while a saved file was still changing: an editor that writes in
        place leaves a file empty for a moment, one that saves by renaming leaves it missing — a build that
        read it then reports problems that are not there (a flash of errors in the terminal and the banner).
        So a failed rebuild looks at the changed files again after :data:`SETTLE_S`; if any is not as it was
        when the build started, it builds again (at most :data:`SETTLE_TRIES` times). Problems that stay are
        reported."""
        for attempt in range(SETTLE_TRIES):
            before = _states(changed)
            outcome = self.rebuild(changed)
            if outcome.ok or not changed or attempt == SETTLE_TRIES - 1 or self._stop.wait(SETTLE_S) \
                    or _states(changed) == before:
                return outcome
        return outcome

    def _watch(self) -> None:
        import watchfiles

        try:
            for changes in watchfiles.watch(*self.watched, step=QUIET_MS, debounce=LONGEST_WAIT_MS, rust_timeout=200,
                                            yield_on_timeout=True, stop_event=self._stop, raise_interrupt=False):
                self._watching.set()  # anything yielded means the watcher is in place
                if changes and not self._stop.is_set():
                    self.rebuild_now(frozenset(Path(p) for _, p in changes))
        except Exception as exc:  # a folder removed, too many watches: say so, keep serving
            if self.reporter is not None and not self._stop.is_set():
                self.reporter.problem(f"stopped watching for changes: {type(exc).__name__}: {exc}")
        finally:
            self._watching.set()

    def _tell(self, outcome: Outcome, changed: frozenset[Path]) -> None:
        r = self.reporter
        if r is None:
            return
        if outcome.diagnostics:
            r.diagnostics(list(outcome.diagnostics))
        if outcome.problem:
            r.problem(outcome.problem)
        what = "built" if not changed else "rebuilt"
        if changed:  # a file that is still there first: an editor's save-by-rename leaves a temporary name gone
            names = [_display(p, self.root) for p in sorted(changed, key=lambda p: (not p.exists(), str(p)))]
            what += f" after {names[0]}" + (f" and {len(names) - 1} more" if len(names) > 1 else "")
        if outcome.ok:
            redone = (f" ({outcome.rendered} re-rendered)" if changed and outcome.rendered is not None
                      and outcome.rendered < outcome.pages else "")
            first = (f", the open page in {outcome.first_seconds:.2f} s" if outcome.first_seconds is not None
                     and outcome.first_seconds < outcome.seconds - 0.05 else "")  # worth saying when it was sooner
            r.message(f"✓ {what}: {outcome.pages} pages{redone} in {outcome.seconds:.2f} s{first}"
                      + (" — reloading the browser" if changed else ""))
        elif self.state.snapshot().epoch:
            r.message(f"✗ {what}: still serving the last good build; fix the files and save to rebuild")
        else:
            r.message(f"✗ {what}: serving an error page until the files are fixed")


def _states(paths: frozenset[Path]) -> dict:
    """What each path is now (size and change time; None when it is missing): a save still under way shows."""
    states = {}
    for path in paths:
        try:
            st = os.stat(path)
            states[path] = (st.st_size, st.st_mtime_ns)
        except OSError:
            states[path] = None
    return states


def _display(path: Path, root: Path) -> str:
    try:
        return os.path.relpath(path, root)
    except ValueError:
        return str(path)


def serve(content: Path, *, templates: Path | None = None, audience: str = INTERNAL, host: str = "127.0.0.1",
          port: int = 8000, reporter=None) -> None:
    """``valuemap serve``: runs until Ctrl-C (KeyboardInterrupt propagates after the cleanup).

    Raises :class:`ContentError` when the content folder does not exist, :class:`ServeError` when the server
    cannot start.
    """
    if not Path(content).is_dir():
        diagnostics = Diagnostics()
        load_content(Path(content), diagnostics)  # the same "content-missing" diagnostic as ``build``
        raise ContentError(diagnostics)
    if templates is not None and not Path(templates).is_dir():
        raise ServeError(f"the templates folder '{templates}' does not exist or is not a folder (--templates)")
    if reporter is not None and not is_loopback(host):
        reporter.message(f"warning: serving on {host}: anyone who can reach this machine can read the preview"
                         + (" — internal audience: talk tracks and notes included" if audience == INTERNAL else "")
                         + " (the default --host 127.0.0.1 keeps it on this machine)")
    with ServeSession(content, templates=templates, audience=audience, host=host, port=port,
                      reporter=reporter) as session:
        if reporter is not None:
            reporter.message(f"Serving the {audience} preview at {session.url} — watching "
                             + " and ".join(f"{_display(p, session.root)}/" for p in session.watched)
                             + " (Ctrl-C to stop)")
        session.wait()
