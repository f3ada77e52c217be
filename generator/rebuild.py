"""``serve``'s (re)build after files changed: the pipeline run into serve's private folder, never raising for
content, and what the terminal and the browsers are told of it (:class:`Outcome`).

:func:`incremental_rebuild` (what ``serve`` runs) keeps validated files and scores between runs
(:mod:`generator.company_cache`, :mod:`generator.rescore`), renders only the pages whose inputs changed
(:mod:`generator.incremental`) and — when told which pages are open in a browser
(:class:`generator.build.First`: the session's :class:`generator.live_state.LiveState`) — renders those first
and publishes them before the rest (``generator.build._render_first``).
"""
from __future__ import annotations

import os
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .build import First, build
from .diagnostics import ContentError, Diagnostic, Diagnostics
from .company_cache import CompanyCache
from .diagnostics import UsageError


@dataclass(frozen=True)
class Outcome:
    """The result of one (re)build, as the server and the terminal need it."""

    ok: bool
    diagnostics: tuple[Diagnostic, ...] = ()  # errors (failed build) or warnings (successful build)
    problem: str | None = None  # a failure that is not about the content: output folder, a bug in valuemap
    pages: int = 0
    seconds: float = 0.0
    rendered: int | None = None  # pages rendered (the others reused unchanged); None: not counted
    phases: dict | None = None  # seconds per build phase (load, validate, score, plan, render, write)
    changed: frozenset[str] | None = None  # site-relative files whose bytes changed (None: any may have)
    first_seconds: float | None = None  # when the pages open in a browser were fresh (published before the rest)


Rebuild = Callable[[frozenset[Path]], Outcome]
"""Builds the site after the given files changed (empty on the first build). Must never raise for content."""


def full_rebuild(content: Path, out: Path, *, templates: Path | None, audience: str) -> Rebuild:
    """The whole site, every time (kept for tools and tests; ``serve`` uses :func:`incremental_rebuild`)."""
    return _rebuild(content, out, templates=templates, audience=audience, incremental=False)


def incremental_rebuild(content: Path, out: Path, *, templates: Path | None, audience: str,
                        first: First | None = None) -> Rebuild:
    """Load, validate, score and plan everything (scores are relative to the market), then re-render only the
    pages whose inputs changed and reuse the others' files (:mod:`generator.incremental`): the site on disk is
    byte-identical to a full build. The first build, and any build after a failed one, renders every page.

    ``first`` (the session's :class:`LiveState`): after an edit, the pages open in a browser are rendered and
    moved in before the others and ``first.published`` is told at once, so the page being read reloads in
    milliseconds while the rest of a large rebuild goes on (a price moves every page of the market)."""
    return _rebuild(content, out, templates=templates, audience=audience, incremental=True, first=first)


class _Timed:
    """One rebuild's view of the browsers (:class:`generator.build.First`): when the early pages were published,
    if they were (the served folder is then no longer the last build's: if the rebuild fails, the next one
    writes every file)."""

    def __init__(self, watchers: First, start: float) -> None:
        self.watchers, self.start = watchers, start
        self.seconds: float | None = None

    def watched(self) -> frozenset[str]:
        return self.watchers.watched()

    def published(self, paths: frozenset[str], pending: frozenset[str] = frozenset()) -> None:
        self.seconds = time.perf_counter() - self.start
        self.watchers.published(paths, pending)

    def pending(self, paths: frozenset[str]) -> None:
        self.watchers.pending(paths)


def _rebuild(content: Path, out: Path, *, templates: Path | None, audience: str, incremental: bool,
             first: First | None = None) -> Rebuild:
    state = None  # what the last successful build wrote into ``out``
    cache = CompanyCache() if incremental else None  # validated company files, reused while unchanged

    def rebuild(changed: frozenset[Path]) -> Outcome:
        nonlocal state
        diagnostics = Diagnostics()
        start = time.perf_counter()
        early = _Timed(first, start) if first is not None and state is not None else None
        try:
            result = build(content, out, diagnostics, templates_dir=templates, audience=audience,
                           incremental=(state or True) if incremental else None, cache=cache, first=early)
        except ContentError:
            if early is not None and early.seconds is not None:
                state = None  # pages were moved in before the failure: the folder is not the last build's
            return Outcome(False, tuple(diagnostics.sorted()))
        except UsageError as exc:  # the output or templates folder cannot be used
            state = None  # the folder may not be as the last build left it: the next build writes it whole
            return Outcome(False, tuple(diagnostics.sorted()), str(exc))
        except Exception as exc:  # a bug in valuemap: keep serving the last good site, say so
            state = None
            if os.environ.get("VALUEMAP_DEBUG"):
                traceback.print_exc()
            return Outcome(False, tuple(diagnostics.sorted()),
                           f"internal error: {type(exc).__name__}: {exc} — this is a bug in valuemap; "
                           "run with VALUEMAP_DEBUG=1 for the traceback")
        state = result.state
        rendered = (sum(1 for path in state.rendered if path.endswith('.html')) if state is not None
                    else result.pages)  # HTML pages, as result.pages counts them
        return Outcome(True, tuple(diagnostics.sorted()), pages=result.pages, seconds=time.perf_counter() - start,
                       rendered=rendered, phases=dict(result.timings.phases), changed=result.changed,
                       first_seconds=early.seconds if early is not None else None)

    return rebuild
