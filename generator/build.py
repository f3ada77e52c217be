"""The pipeline in one place: load → validate → score → plan → render → write, each phase named and timed.

Stages hand frozen values to each other and report problems into one :class:`Diagnostics`. Nothing is
written until every page has rendered; then the site is swapped in whole (see :mod:`generator.write`).
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import ContentError, Diagnostics
from .load import load_content
from .plan import EXTERNAL, SitePlan, make_plan
from .render import TemplateFailure, collect_assets, find_templates, make_environment, render_page
from .score import MarketScores, score_market
from .validate import Content, validate
from .views import make_context, page_view
from .write import SiteWriter, UsageError, check_output, cwd_inside

# What a --templates folder must hold (read before any page renders).
TEMPLATE_FILES = ("base.html", "assets/valuemap.css", "assets/valuemap.js")


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


def check(content_dir: Path, diagnostics: Diagnostics, *, audience: str = EXTERNAL,
          timings: Timings | None = None) -> Checked:
    """Load, validate, score and plan; raise :class:`ContentError` if any error was found."""
    timings = timings or Timings()
    with timings.phase("load"):
        tree = load_content(Path(content_dir), diagnostics)
    with timings.phase("validate"):
        content = validate(tree, diagnostics)
    if content is None:
        raise ContentError(diagnostics)
    with timings.phase("score"):
        scores = score_market(content.site, content.companies, audience)
    with timings.phase("plan"):
        plan = make_plan(content, audience, diagnostics)
    if diagnostics.has_errors():
        raise ContentError(diagnostics)
    return Checked(content, scores, plan)


def build(content_dir: Path, out_dir: Path, diagnostics: Diagnostics, *, templates_dir: Path | None = None,
          audience: str = EXTERNAL) -> BuildResult:
    """Build the site into ``out_dir``. On any error the previous ``out_dir`` is left as it was."""
    content_dir, out_dir = Path(content_dir), Path(out_dir)
    timings = Timings()
    checked = check(content_dir, diagnostics, audience=audience, timings=timings)
    templates = find_templates(_check_templates(templates_dir), content_dir)
    out_real = check_output(out_dir, content_dir, templates_dir=templates, keep=checked.content.site.keep)
    replaced_cwd = cwd_inside(out_real)
    with timings.phase("render"):
        env = make_environment(templates)
        assets = collect_assets(templates)
        ctx = make_context(checked.content, checked.scores, checked.plan, {a.logical: a.path for a in assets})
        rendered: list[tuple[str, str]] = []
        for page in checked.plan.pages:
            try:
                rendered.append((page.path, render_page(env, page.template, page_view(ctx, page), templates, page.path)))
            except TemplateFailure as failure:
                diagnostics.add(failure.diagnostic)
        if diagnostics.has_errors():
            raise ContentError(diagnostics)
    with timings.phase("write"):
        writer = SiteWriter(out_real, keep=checked.content.site.keep, label=str(out_dir),
                            site_yaml=str(content_dir / "site.yaml"))
        try:
            for asset in assets:
                writer.write(asset.path, asset.data)
            for path, html in rendered:
                writer.write(path, html)
            writer.commit()
        except KeyboardInterrupt:
            writer.abort()
            if not writer.committed:
                raise
            # Ctrl-C held back during the swap landed after it: the new site is complete and in place.
        except BaseException:
            writer.abort()
            raise
    return BuildResult(out_dir, len(rendered), writer.files, writer.bytes, timings, replaced_cwd)


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
