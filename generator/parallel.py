"""Rendering pages and streaming them to the temporary folder — in this process or in forked workers.

:func:`render_pages` renders the given planned pages and writes each one into the build's temporary folder
(:class:`generator.write.SiteWriter`) as soon as it is made: no finished page is held until the end, so memory
stays flat as the market grows. The atomic swap at the end is unchanged (the writer's :meth:`commit`).

Workers
-------
With ``workers > 1`` (Linux, or any system with ``fork``) the pages are dealt out in chunks to a pool of forked
processes. Fork is what makes this cheap: a worker inherits the finished :class:`SiteContext` (content, scores,
plan), the Jinja environment and the writer, copy-on-write, so nothing is pickled but page indices going out
and one small record per page coming back (path, bytes written, what the page read). Each worker writes its
pages itself, with the same checks as the parent (``SiteWriter.write``; ``open(..., "xb")``); the parent adds
the records to the writer's manifest and counts. The output is the same bytes whatever the number of workers:
each page depends only on the shared context and its own plan entry, and the manifest is sorted.

Fork safety: the pool is forked after every input is built and before anything else runs in the workers; they
never print, log or take a lock the parent's threads may hold (``serve`` has an HTTP and a watcher thread).
A worker ignores SIGINT (Ctrl-C reaches the whole process group: the parent alone unwinds, terminates the
pool and throws the temporary folder away) and dies on SIGTERM (what ``Pool.terminate`` sends). Template
errors come back as diagnostics, in page order, and are reported once by the parent.

Small sites stay in one process (:func:`choose_workers`): forking the pool and its first chunk cost more
than they save below :data:`MIN_PAGES_PER_WORKER` pages per worker (measured: a fork pool of 2 with the
market loaded, 16 empty chunks and the join take 65–90 ms; a page takes 15–70 ms of CPU, so the pool pays
off from a few dozen pages; the sample's 40 pages stay in one process).

What each page reads (serve's incremental builds) is recorded by :mod:`generator.reads`.
"""
from __future__ import annotations

import gc
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from .cpus import can_fork, cpu_count, forked_pool, workers_from_env
from .diagnostics import Diagnostic
from .reads import TrackedCompanies, tracked_context

MIN_PAGES_PER_WORKER = 40
"""Below this many pages per worker a build stays in one process (see the module docstring)."""
GUIDE = 4  # a chunk of company pages: 1/(GUIDE × workers) of those still to deal out (guided self-scheduling)
MIN_CHUNK = 8  # pages: the last chunks, small, so no worker waits long for the other at the end


def choose_workers(pages: int, requested: int | None = None) -> int:
    """How many processes render ``pages`` pages: ``requested`` (or ``VALUEMAP_WORKERS``) if given, else one
    per CPU, but never so many that a worker gets fewer than :data:`MIN_PAGES_PER_WORKER` pages."""
    if not can_fork():
        return 1
    requested = requested or workers_from_env()
    if requested is not None:
        return max(1, min(requested, pages))
    return max(1, min(cpu_count(), pages // MIN_PAGES_PER_WORKER))


# --------------------------------------------------------------------------- rendering


@dataclass(frozen=True)
class Rendered:
    """What the parent keeps of one page: never its HTML."""

    index: int  # position in the pages given
    path: str
    size: int  # bytes written (0 when it failed)
    reads: tuple[str, ...] | None = None  # read_key()s (ALL: every company); None when not tracked
    diagnostic: Diagnostic | None = None


class _Job:
    """Everything a worker needs, set before the fork (inherited, never pickled)."""

    env = None
    templates = None
    ctx = None
    pages: Sequence = ()
    writer = None
    track = False


def _render_one(index: int) -> Rendered:
    from .links import withhold_links
    from .plan import absolute_base
    from .render import TemplateFailure, render_page
    from .views import page_view

    page = _Job.pages[index]
    if _Job.track:
        TrackedCompanies.reads = set()
    try:
        html = render_page(_Job.env, page.template, page_view(_Job.ctx, page), _Job.templates, page.path)
    except TemplateFailure as failure:
        return Rendered(index, page.path, 0, None, failure.diagnostic)
    finally:
        reads = TrackedCompanies.reads
        TrackedCompanies.reads = None
    plan = _Job.ctx.plan
    if plan.unlinked:  # an external build: no link to a page it leaves out or to a prospect's (generator/links.py)
        site = _Job.ctx.content.site
        html = withhold_links(html, page.path, plan.unlinked, plan.paths, frozenset(site.keep),
                              absolute_base(site.base_url), plan.secret_tokens)
    data = html.encode("utf-8")
    _Job.writer.write(page.path, data)
    return Rendered(index, page.path, len(data), tuple(sorted(reads)) if reads is not None else None)


def _render_chunk(indices: Sequence[int]) -> list[Rendered]:
    return [_render_one(i) for i in indices]


def _chunks(pages: Sequence, order: list[int], workers: int) -> list[list[int]]:
    """The pages dealt out to the workers: each market-wide page (no key: home, lists, segments, weigh…) a
    chunk of its own, first — they are the longest to make (a 5,000-company weigh page: seconds) and, taken
    one by one, both workers share them — then the companies' pages in shrinking chunks, a company's pages
    kept together: each takes 1/(:data:`GUIDE` × workers) of the pages still to deal out, down to
    :data:`MIN_CHUNK`. Large chunks first keep the round trips few; small ones last keep the end short (with
    equal chunks of 125 pages at 1,000 companies, one worker sat idle for the last 0.3 s of a 4 s render)."""
    market = [i for i in order if not pages[i].key]
    companies = [i for i in order if pages[i].key]
    chunks = [[i] for i in market]
    start = 0
    while start < len(companies):
        end = min(len(companies), start + max(MIN_CHUNK, -(-(len(companies) - start) // (GUIDE * workers))))
        while end < len(companies) and pages[companies[end]].key == pages[companies[end - 1]].key:
            end += 1  # the rest of this company's pages
        chunks.append(companies[start:end])
        start = end
    return chunks


def render_pages(env, templates, ctx, pages: Sequence, writer, *, workers: int = 1, track: bool = False,
                 progress: Callable[[int, int], None] | None = None) -> list[Rendered]:
    """Render ``pages`` and write each into ``writer`` as it is made; return one record per page, in order.
    ``progress(done, total)`` counts the HTML pages (the number build reports), not robots.txt or sitemap.xml.

    The caller adds the records' diagnostics (template errors) and fails the build if there are any; the
    pages already written are thrown away with the temporary folder."""
    _Job.env, _Job.templates, _Job.pages, _Job.writer, _Job.track = env, templates, pages, writer, track
    _Job.ctx = tracked_context(ctx) if track else ctx
    total = len(pages)
    readable = [page.path.endswith(".html") for page in pages]  # what progress counts: pages, not robots.txt
    shown, done = sum(readable), 0
    results: list[Rendered | None] = [None] * total
    # Everything made so far (content, scores, plan) lives until the build ends: moved to a permanent generation,
    # the collector stops scanning it again and again as pages are made (~1 s of a 1,000-company build), and a
    # forked worker never writes to it (its memory stays shared with the parent instead of being copied). No
    # full collection first: the stages before made almost no cyclic garbage (a 1,000-company market: the
    # collection took 0.18 s and found nothing), and what little there is stays until the build ends.
    gc.freeze()
    try:
        if progress is not None:
            progress(0, shown)
        # A company's pages one after the other (its competitor page, then its battlecard): they share blocks
        # (views.common.shared_block). The order pages are made in changes no byte of any page.
        order = sorted(range(total), key=lambda i: (pages[i].key or "", i))
        if workers <= 1 or total < 2:
            for i in order:
                results[i] = _render_one(i)
                done += readable[i]
                if progress is not None and readable[i]:
                    progress(done, shown)
        else:
            chunks = _chunks(pages, order, workers)
            # Ctrl-C or a failure stops the workers at once (forked_pool); the caller then aborts the writer
            with forked_pool(workers) as pool:
                for records in pool.imap_unordered(_render_chunk, chunks):
                    for record in records:
                        results[record.index] = record
                        if record.diagnostic is None:
                            writer.record(record.path, record.size)
                    done += sum(readable[record.index] for record in records)
                    if progress is not None:
                        progress(done, shown)
    finally:
        gc.unfreeze()
        _Job.env = _Job.ctx = _Job.writer = None
        _Job.pages = ()
    return results  # type: ignore[return-value]


def diagnostics_of(records: Iterable[Rendered]) -> list[Diagnostic]:
    """The template errors of ``records``, each mistake once (:func:`generator.render.merged`)."""
    from .render import merged

    return merged([r.diagnostic for r in records if r.diagnostic is not None])
