"""The pipeline in one place: load → validate → score → plan → render → write, each phase named and timed.

Stages hand frozen values to each other and report problems into one :class:`Diagnostics`. Pages are
rendered in worker processes and streamed into a temporary folder as they are made (:mod:`generator.parallel`);
only a complete, error-free site is swapped in whole (see :mod:`generator.write`), so the folder ``--out``
names never holds a partial site.
"""
from __future__ import annotations

import gc
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Protocol

from .diagnostics import ContentError, Diagnostics, UsageError
from .gate import gate
from .load import load_content
from .map_notes import check_we_are_placed, internally_priced, outlying_prices, unplaced_competitors
from .plan import EXTERNAL, PROSPECT_SECRET_ENV, SECRET_FOLDERS, SitePlan, make_plan
from .score import MarketScores, score_market
from .validate import Content, today, validate
if TYPE_CHECKING:  # rendering is imported by build() only: `check` starts without Jinja2, views, Markdown
    import jinja2

    from .moved import Moved  # what moved since the last build: told by build() only

    from .render import Asset
    from .views.common import SiteContext
    from .incremental import SiteState
    from .company_cache import CompanyCache


# What a --templates folder must hold (read before any page renders).
TEMPLATE_FILES = ("base.html", "assets/valuemap.css", "assets/valuemap.js")
# Optional in a --templates folder: valuemap's own are used when a folder made before them lacks them.
CRAWLER_TEMPLATES = ("sitemap.xml", "robots.txt", "audit.html",  # newer than copied template folders
                     "languages.html")  # the root of a multi-language site (site.yaml languages)
OG_IMAGE_FILE = "assets/og-image.png"  # the link-preview image (og:image); none if a templates folder lacks it

Progress = Callable[[int, int], None]  # (pages rendered, pages in all): called before the first page and after each


class First(Protocol):
    """What ``serve`` tells a build about the browsers watching it (:class:`generator.live_state.LiveState`):
    which pages are open, and — after an edit — which of them were moved in first and which pages are still to
    come (see :func:`_render_first`)."""

    def watched(self) -> frozenset[str]: ...  # site-relative paths of the pages open in a browser

    def published(self, paths: frozenset[str], pending: frozenset[str]) -> None: ...  # moved in; still to come

    def pending(self, paths: frozenset[str]) -> None: ...  # the pages still to render, once decided


@dataclass
class Timings:
    phases: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def phase(self, name: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.phases[name] = self.phases.get(name, 0.0) + time.perf_counter() - start

    @property
    def total(self) -> float:
        return sum(self.phases.values())


@dataclass(frozen=True)
class Checked:
    """The result of ``check``: content that is valid, scored and planned — everything but the HTML."""

    content: Content
    scores: MarketScores
    plan: SitePlan


@dataclass(frozen=True)
class BuildResult:
    out: Path
    pages: int
    files: int
    bytes: int
    timings: Timings
    replaced_cwd: bool = False  # the current folder was (inside) the old site: the shell now sits in a removed folder
    moved: "Moved | None" = None  # what moved on the maps since the previous build into the same folder
    notes: tuple[str, ...] = ()  # worth telling the author, not problems (e.g. why there is no sitemap.xml)
    state: "SiteState | None" = None  # incremental builds (serve): what the next one compares with
    changed: frozenset[str] | None = None  # serve after an edit: the files the commit changed (None: any)


def prospect_secret_from_env() -> str | None:
    """The key of the prospect pages' addresses, from ``VALUEMAP_PROSPECT_SECRET`` (None when unset or blank).
    Read here, at the edge; the plan receives it as data."""
    secret = os.environ.get(PROSPECT_SECRET_ENV, "").strip()
    return secret or None


def check(content_dir: Path, diagnostics: Diagnostics, *, audience: str = EXTERNAL,
          timings: Timings | None = None, strict: bool = False, prospect_secret: str | None = None,
          cache: "CompanyCache | None" = None) -> Checked:
    """Load, validate, score and plan; raise :class:`ContentError` if any error was found.

    ``cache`` (serve): validated company files kept from the previous call (:mod:`generator.company_cache`).

    ``strict``: every warning is an error too, and every score or price an external page would show below
    ``verification.min_status`` is an error (CI's gate before publishing; see :mod:`generator.gate`)."""
    timings = timings or Timings()
    with _collector_paused():
        with timings.phase("load"):
            tree = load_content(Path(content_dir), diagnostics)
        with timings.phase("validate"):
            content = validate(tree, diagnostics, cache)
        del tree  # the parse of every file: the models are what the later stages read
        return _score_and_plan(content, diagnostics, audience, timings, strict, prospect_secret, cache)


@contextmanager
def _collector_paused():
    """Python's cyclic garbage collector off while the content is read, validated and scored.

    These stages make objects that live until the build ends (models, scores) and almost no cyclic garbage;
    the collector, triggered by the growing heap, scanned all of them again and again for nothing (a
    1,000-company market: 9 full collections, ~0.6 s of a 4 s check, collecting nothing). Reference counting
    still frees everything that is not a cycle; the collector runs again as soon as the stages are done."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _score_and_plan(content: Content | None, diagnostics: Diagnostics, audience: str, timings: Timings, strict: bool,
                    prospect_secret: str | None, cache: "CompanyCache | None" = None) -> Checked:
    if strict:
        diagnostics.promote_warnings()
    if content is None:
        raise ContentError(diagnostics)
    with timings.phase("score"):
        if cache is not None:  # serve: the previous scores when nothing they read changed
            scores = cache.market_scores(content.site, content.companies, audience, today(), score_market)
        else:
            scores = score_market(content.site, content.companies, audience, today())
        scores = _with_history(content, scores)
    with timings.phase("plan"):
        # Without a secret an external build plans no prospect pages and its plan carries a note saying so
        # (a note, not a warning: --strict does not fail on it).
        plan = make_plan(content, audience, diagnostics,
                         prospect_secret if prospect_secret is not None else prospect_secret_from_env())
        _check_links(content, plan, diagnostics, cache)
        check_we_are_placed(content, scores, diagnostics)
        plan = replace(plan, notes=plan.notes + unplaced_competitors(content, scores) + outlying_prices(content, scores)
                       + (internally_priced(content, scores) if audience == EXTERNAL else ()))
    if strict:
        with timings.phase("gate"):  # what an external page would show, whatever the audience built
            gate(content, diagnostics, today(), scores)
        diagnostics.promote_warnings()

    if diagnostics.has_errors():
        raise ContentError(diagnostics)
    return Checked(content, scores, plan)


def _check_links(content: Content, plan: SitePlan, diagnostics: Diagnostics,
                 cache: "CompanyCache | None" = None) -> None:
    """Every link to the site's own pages, against the plan (generator/links.py): the Markdown parser is
    imported only when some text may hold one (generator/link_texts.py; check's start-up). ``cache`` (serve):
    each unchanged company's texts that may hold one are kept from the last rebuild."""
    from .link_texts import linking_texts
    pages, texts = linking_texts(content, cache.link_texts if cache is not None else None)
    if pages or texts:
        from .links import check_links
        from .moved import STATE_FILE
        check_links(content, plan, diagnostics, pages, texts, files=(STATE_FILE, *content.site.keep))
    if plan.prospect_links:  # a prospect page's address written in full, with any host
        from .links import check_prospect_addresses
        check_prospect_addresses(content, plan, diagnostics)


def _with_history(content: Content, scores: MarketScores) -> MarketScores:
    """The overall map at each snapshot of content/history/, scored like the current one (generator/history.py)."""
    from .history import score_history
    return replace(scores, history=score_history(content.site, content.history, content.companies, scores))


def build(content_dir: Path, out_dir: Path, diagnostics: Diagnostics, *, templates_dir: Path | None = None,
          audience: str = EXTERNAL, progress: Progress | None = None, strict: bool = False,
          prospect_secret: str | None = None, workers: int | None = None,
          incremental: "SiteState | bool | None" = None, cache: "CompanyCache | None" = None,
          first: "First | None" = None) -> BuildResult:
    """Build the site into ``out_dir``. On any error the previous ``out_dir`` is left as it was.

    ``progress(done, total)`` is told how many pages have rendered (the CLI draws a bar from it; the build
    itself never prints). Pages are written into the temporary folder as they render, in ``workers``
    processes (default: :func:`generator.parallel.choose_workers`; the same bytes whatever the number).
    ``incremental`` (``serve``): ``True`` records what each page read, a :class:`SiteState` from the previous
    build into the same ``out_dir`` also reuses the pages whose inputs did not change (see
    :mod:`generator.incremental`); the new state is in the result. ``first`` (serve, after an edit): the pages
    open in a browser are rendered and moved in before the others, and ``first.published`` is told which
    changed (:func:`_render_first`)."""
    content_dir, out_dir = Path(content_dir), Path(out_dir)
    timings = Timings()
    checked = check(content_dir, diagnostics, audience=audience, timings=timings, strict=strict,
                    prospect_secret=prospect_secret, cache=cache)
    from . import incremental as inc
    from .moved import STATE_FILE, compare_positions, positions, read_positions, state_text
    from .parallel import choose_workers, diagnostics_of, render_pages
    from .render import collect_assets, find_templates
    from .site_folder import check_output, cwd_inside
    from .write import SiteWriter
    from .views import make_context

    templates = find_templates(_check_templates(templates_dir), content_dir)
    out_real = check_output(out_dir, content_dir, templates_dir=templates, keep=checked.content.site.keep)
    replaced_cwd = cwd_inside(out_real)
    with timings.phase("render"):  # rendering and writing each page into the temporary folder
        if cache is not None:  # serve: one environment for the session, its compiled templates kept
            env = cache.environment(templates, lambda: _environment(templates, reload=True))
        else:
            env = _environment(templates)
        assets = collect_assets(templates) + _preview_image(templates)
        ctx = make_context(checked.content, checked.scores, checked.plan, {a.logical: a.path for a in assets},
                           *((cache.formatter,) if cache is not None else ()))
        track = bool(incremental) and inc.supported(checked.content)
        decision = None
        to_render = list(checked.plan.pages)
        last = incremental if isinstance(incremental, inc.SiteState) else None
        # serve, scores kept (company_cache): the positions the last build wrote into this folder, unchanged
        kept = inc.kept_positions(last, out_real, ctx) if track else None
        options = dict(keep=checked.content.site.keep, label=str(out_dir), site_yaml=str(content_dir / "site.yaml"),
                       hidden=SECRET_FOLDERS)
        from .patch import PatchWriter  # serve after an edit: only the changed files move into its folder
        patching = track and last is not None and last.out == out_real and bool(last.files)
        writer = PatchWriter(out_real, last.files, **options) if patching else SiteWriter(out_real, **options)
        try:
            records = []
            early = first is not None and patching and all(asset.path in last.files for asset in assets)
            if early:
                records, to_render = _render_first(first, env, templates, ctx, to_render, writer, track)
            previous = kept[1] if kept else read_positions(out_real)  # what moved is told after the build
            if track:
                decision = _decide(ctx, to_render, content_dir, templates, audience, out_real, last, cache)
                to_render = decision.render
            if early and records:  # the pages a browser may ask for that are still to come: fewer now
                first.pending(frozenset(page.path for page in to_render))
            for page in decision.reuse if decision else ():
                writer.link(page.path, out_real / page.path)
            records += render_pages(env, templates, ctx, to_render, writer, track=track, progress=progress,
                                    workers=choose_workers(len(to_render), workers))
            for diagnostic in diagnostics_of(records):
                diagnostics.add(diagnostic)
            if diagnostics.has_errors():
                raise ContentError(diagnostics)
            state = kept[1] if kept else positions(ctx)
        except BaseException:
            writer.abort()
            raise
    with timings.phase("write"):
        try:
            for asset in assets:
                writer.write(asset.path, asset.data)
            state_file = kept[2] if kept else state_text(state)
            writer.write(STATE_FILE, state_file)
            writer.commit()
        except KeyboardInterrupt:
            writer.abort()
            if not writer.committed:
                raise
            # Ctrl-C held back during the swap landed after it: the new site is complete and in place.
        except BaseException:
            writer.abort()
            raise
    pages = checked.plan.html_pages
    site_state = inc.next_state(out_real, decision, incremental if isinstance(incremental, inc.SiteState)
                                else None, records, writer.sizes,
                                (tuple(ctx.scores.maps()), state, state_file)) if decision else None
    return BuildResult(out_dir, pages, writer.files, writer.bytes, timings, replaced_cwd,
                       compare_positions(previous, state), checked.plan.notes, site_state,
                       frozenset(writer.changed) if isinstance(writer, PatchWriter) else None)


def _render_first(first: "First", env, templates: Path, ctx: "SiteContext", pages: list, writer, track: bool):
    """serve: the pages open in a browser, rendered in this process and moved into the served folder at once
    (:meth:`generator.patch.PatchWriter.publish`), before anything else is decided: after a price edit every
    page of a 1,000-company market is made again (seconds), the one being read first (milliseconds). They are
    rendered whether or not their inputs changed (a few milliseconds; a page whose bytes are the same is left
    as it was and does not reload). Only when every asset file is already in the folder under its name (a
    page published early never links a stylesheet that is not there yet). Returns their records and the pages
    left to render."""
    from .parallel import render_pages

    wanted = first.watched()
    early = [page for page in pages if page.path in wanted]
    if not early:
        return [], pages
    records = render_pages(env, templates, ctx, early, writer, track=track, workers=1)
    rest = [page for page in pages if page.path not in wanted]
    if all(r.diagnostic is None for r in records):  # a template error is reported with the others' below
        first.published(frozenset(writer.publish(page.path for page in early)), frozenset(p.path for p in rest))
    return records, rest


def _decide(ctx: "SiteContext", pages: list, content_dir: Path, templates: Path, audience: str, out: Path,
            last: "SiteState | None", cache: "CompanyCache | None"):
    """serve: which planned pages to render and which files of the last build into ``out`` to keep
    (:func:`generator.incremental.decide`), from the digests of everything the pages may read."""
    from . import incremental as inc

    content = ctx.content
    market, inputs = inc.market_digest_since(ctx, last)
    site = inc.site_digest(content_dir, templates, ctx, audience, cache.files if cache is not None else None)
    companies = (cache.file_digests(content.companies) if cache is not None else None) \
        or inc.company_digests(content)
    return inc.decide(last, out, pages, site, market, companies, content.companies, inputs)


def _environment(templates: Path, reload: bool = False) -> "jinja2.Environment":
    from .render import make_environment

    env = make_environment(templates, reload)
    _fall_back_to_bundled(env, templates)
    return env


def _fall_back_to_bundled(env: jinja2.Environment, templates: Path) -> None:
    """A templates folder copied before sitemap.xml, robots.txt and audit.html existed still builds: those (only)
    come from valuemap's own templates when the folder lacks them."""
    if all((templates / name).is_file() for name in CRAWLER_TEMPLATES):
        return
    import jinja2

    from .render import MissingTemplates, bundled_templates

    try:
        bundled = bundled_templates()
    except MissingTemplates:
        return

    def load(name: str):
        if name in CRAWLER_TEMPLATES and not (templates / name).is_file() and (bundled / name).is_file():
            path = bundled / name
            return path.read_text(encoding="utf-8"), str(path), lambda: True
        return None

    env.loader = jinja2.ChoiceLoader([env.loader, jinja2.FunctionLoader(load)])


def _preview_image(templates: Path) -> list[Asset]:
    """The link-preview image (og:image), fingerprinted like the other assets; none if the folder lacks it."""
    from .render import Asset, _fingerprint
    from .views.frame import OG_IMAGE

    source = templates / OG_IMAGE_FILE
    if not source.is_file():
        return []
    data = source.read_bytes()
    return [Asset(OG_IMAGE, _fingerprint(source.name, data), data)]


def _check_templates(templates_dir: Path | None) -> Path | None:
    """A --templates folder that does not exist or lacks the files every build reads is a usage error."""
    if templates_dir is None:
        return None
    templates_dir = Path(templates_dir)
    if not templates_dir.is_dir():
        what = "is not a folder" if templates_dir.exists() else "does not exist"
        raise UsageError(f"the templates folder '{templates_dir}' {what} (--templates)")
    missing = [name for name in TEMPLATE_FILES if not (templates_dir / name).is_file()]
    if missing:
        raise UsageError(f"'{templates_dir}' is not a valuemap templates folder: it has no {', '.join(missing)} "
                         f"(--templates; copy valuemap's templates/ folder to start from)")
    return templates_dir
