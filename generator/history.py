"""History: where each company stood on the value map at each dated snapshot, and what changed since.

**Where history comes from** (decided; docs/history.md says the same for authors): dated snapshot files,
``content/history/<YYYY-MM-DD>.yaml``, not the git history of ``content/``. A snapshot is part of the
content, so history

* is deterministic and testable: the same files give the same trails, whatever the repository;
* works everywhere the content does: in a wheel install (no ``.git`` at all), in CI's shallow clones (which
  hold one commit, so git history would silently be empty), from a zip of the content folder;
* is recorded deliberately: a team freezes what it *concluded* at a review, not every typo fix that git saw
  (a commit date is when a file changed, not when a price held); and a snapshot may record the past
  afterwards (a price seen in an old invoice), which git could not;
* is validated like every other content file: same types, same positioned errors (file, line, column, field),
  all problems at once; and needs no git library, no network, no I/O beyond reading the files.

**A snapshot** holds, per company, the ``prices`` and ``scores`` that held on its date, written exactly as in a
company file (bare numbers, or values with dated evidence and its source kind, price observations...)::

    label: Spring review                # optional, shown on the pages
    note: Internal remarks              # optional, internal audience only
    companies:
      ticketeer:
        prices: [{plan: Growth, tier: professional, price: 45}]
        scores: {usability: {setup-time: 35, agent-workspace: 4.5}, personal-approach: 2.5}
      gone-vendor:
        name: Gone Vendor               # only for a company no longer in content/companies/
        prices: [...]
        scores: {...}

A snapshot may be partial: a company it leaves out is simply absent at that date (not on that map). Within a
company entry, a criterion left out is unknown at that date (as in a company file). Only the overall map's
price reference needs a plan (history follows the overall map). Dates inside a snapshot (evidence, price
observations, ``as_of``) may not be later than the snapshot's own date.

**Positions at each date** are computed by :mod:`generator.score` — the same functions, the *current*
method, weights and price reference — with the verification rules dated at the snapshot (recency weights
and staleness as they were that day). So every point of a trail is comparable with today's map: a movement
is a change of scores or prices, never of method. The current content is the newest point ("now"). An
external build scores every snapshot from its public evidence and public price observations only, exactly
as it scores the current content; a snapshot's ``note`` is internal.

Everything here is pure (the snapshot files are read by :func:`generator.load.load_snapshots`). Work is linear: companies × snapshots × criteria.
"""
from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from pydantic import Field, ValidationError

from . import model as m
from . import score
from .points import ScoreTrace
from .diagnostics import Diagnostic, Diagnostics, suggestion
from .yaml_reader import Document

DATE_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EPS = 1e-9


# --- the snapshot file's model (the same types as a company file) -----------------------------------------

class SnapshotCompany(m._Model):
    """One company as it stood at a snapshot's date."""

    name: m.Name | None = Field(None, min_length=1, description="Only for a company no longer in "
                                "content/companies/ (otherwise the current name is used).")
    prices: list[m.PricePoint] = Field(min_length=1, description="The plans and prices that held then.")
    scores: dict[str, m.DimensionScore] = Field(description="The scores that held then, as in a company file.")


class SnapshotFile(m._Model):
    """content/history/<YYYY-MM-DD>.yaml: what held on that date."""

    label: m.Text = Field("", description="A short name for the snapshot (e.g. 'Spring review'), shown on pages.")
    note: m.Markdown = m.internal("Internal: what the review found (never on an external page).", default="")
    companies: dict[str, Any] = Field(min_length=1, description="Company slug → its prices and scores then.")


@dataclass(frozen=True)
class Snapshot:
    """A validated snapshot: companies as :class:`generator.model.Company` values, ready for scoring."""

    date: _dt.date
    file: str
    label: str
    note: str  # internal
    companies: Mapping[str, m.Company]


# --- validation ------------------------------------------------------------------------------------------

def _sub_document(doc: Document, prefix: tuple) -> Document:
    """The part of ``doc`` under ``prefix`` as a document of its own (positions kept, paths relative)."""
    n = len(prefix)
    values = {k[n:]: v for k, v in doc.values.items() if k[:n] == prefix}
    keys = {k[n:]: v for k, v in doc.keys.items() if k[:n] == prefix and len(k) > n}
    data = doc.data
    for part in prefix:
        data = data[part]
    return Document(doc.file, data, values, keys, doc.line_offset)


def _snapshot_date(stem: str) -> _dt.date | None:
    if not DATE_NAME.match(stem):
        return None
    try:
        return _dt.date.fromisoformat(stem)
    except ValueError:
        return None


_DROPPED = {"stale-score", "stale-price"}  # the past is not refreshed: old evidence in a snapshot is expected


def _positioned(d: Diagnostic, slug: str, day: _dt.date) -> Diagnostic | None:
    """A company check's diagnostic, re-read for a snapshot entry: its field path under companies.<slug>, a
    date after the snapshot's own instead of "in the future"."""
    if d.code in _DROPPED:
        return None
    path = f"companies.{slug}" + (f".{d.path}" if d.path else "")
    if d.code == "date-in-future":
        return replace(d, code="date-after-snapshot", path=path,
                       message=d.message.replace("is in the future", f"is after the snapshot's date {day.isoformat()}"),
                       hint="a snapshot records what held on its date: move the item to a later snapshot or to "
                       "the company file")
    return replace(d, path=path)


def validate_snapshots(docs: Mapping[str, Document], site: m.Site | None, company_files: Mapping[str, Any],
                       companies: Mapping[str, m.Company], site_doc: Document | None, diagnostics: Diagnostics,
                       today: _dt.date) -> tuple[Snapshot, ...]:
    """Every snapshot checked — its name (a date, not in the future), its shape and, per company, everything
    a company file is checked for — all problems reported at once. Returns the valid snapshots, oldest first
    (a snapshot with any error is left out; the build fails anyway)."""
    from .model_errors import shape_errors
    from .company_checks import check_company  # the company file's reference checks, unchanged
    if site is not None and site.history.rival is not None and site_doc is not None:
        rival = site.history.rival
        others = [s for s in company_files if s != site.us]
        if rival not in others:
            diagnostics.error("unknown-company", f"history.rival names '{rival}', which is not a competitor",
                              path="history.rival", hint="that is us" if rival == site.us else suggestion(rival, others),
                              **site_doc.where(("history", "rival")))
    # History follows the overall map: a snapshot needs a plan at the overall price reference only.
    checked_site = site.model_copy(update={"segments": []}) if site is not None else None
    out = []
    for stem in sorted(docs):
        doc = docs[stem]
        day = _snapshot_date(stem)
        if day is None:
            unreal = f" ({stem} is not a date)" if DATE_NAME.match(stem) else ""  # 2026-02-30
            diagnostics.error("snapshot-name", f"'{Path(doc.file).name}': a snapshot's file name is its date{unreal}",
                              file=doc.file, line=1, column=1, hint="name it YYYY-MM-DD.yaml, e.g. 2026-05-01.yaml")
            continue
        if day > today:
            diagnostics.error("date-in-future", f"snapshot date {day.isoformat()} is in the future", file=doc.file,
                              line=1, column=1, hint=f"today is {today.isoformat()}")
            continue
        errors_before = len(diagnostics.errors)
        try:
            top = SnapshotFile.model_validate(doc.data)
        except ValidationError as exc:
            shape_errors(exc, doc, SnapshotFile, diagnostics)
            continue
        entries: dict[str, m.Company] = {}
        for slug, raw in top.companies.items():
            where = ("companies", slug)
            if not isinstance(slug, str) or not re.match(m.SLUG_PATTERN, slug):
                diagnostics.error("slug-invalid", f"'{m.visible(str(slug))}' is not a company slug",
                                  path=f"companies.{slug}", hint="use the company file's name (lower-case letters, "
                                  "digits and hyphens)", **doc.where(where, key=True))
                continue
            try:
                entry = SnapshotCompany.model_validate(raw)
            except ValidationError as exc:
                shape_errors(exc, doc, SnapshotCompany, diagnostics, prefix=where)
                continue
            name = entry.name or (companies[slug].name if slug in companies else None)
            if slug not in company_files and entry.name is None:
                diagnostics.error("unknown-company", f"unknown company '{slug}'", path=f"companies.{slug}",
                                  hint=suggestion(slug, list(company_files)) or "give a company that has left the "
                                  "market its 'name'", **doc.where(where, key=True))
                continue
            company = m.Company.model_construct(name=name or slug, prices=entry.prices, scores=entry.scores)
            if checked_site is not None:
                found = Diagnostics()
                check_company(slug, company, checked_site, _sub_document(doc, where), found, day)
                for d in found.items:
                    kept = _positioned(d, slug, day)
                    if kept is not None:
                        diagnostics.add(kept)
            entries[slug] = company
        if len(diagnostics.errors) == errors_before:
            out.append(Snapshot(day, doc.file, top.label, top.note, dict(sorted(entries.items()))))
    return tuple(out)


# --- positions at each date ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Step:
    """The market at one date: the overall map and every company's scores, as :mod:`generator.score` gives them."""

    date: _dt.date
    current: bool  # the current content ("now"), the newest step
    label: str
    note: str  # internal: the snapshot's note
    map: score.ValueMap
    scores: Mapping[str, score.CompanyScores]
    companies: Mapping[str, m.Company]

    @property
    def key(self) -> str:
        return "now" if self.current else self.date.isoformat()


@dataclass(frozen=True)
class TrailPoint:
    step: Step
    position: score.Position


@dataclass(frozen=True)
class History:
    """Every step, oldest first (the last is now); ``rival``: the competitor whose trail is shown with ours."""

    steps: tuple[Step, ...]
    rival: str | None

    @property
    def past(self) -> tuple[Step, ...]:
        return self.steps[:-1]

    @property
    def now(self) -> Step:
        return self.steps[-1]

    def trail(self, slug: str) -> list[TrailPoint]:
        """Where ``slug`` stood at each date it was placed, oldest first."""
        return [TrailPoint(s, p) for s in self.steps if (p := s.map.get(slug)) is not None]

    def trails(self) -> dict[str, list[TrailPoint]]:
        """Every company placed at two dates or more (a single point is no trail), in slug order."""
        slugs = sorted({p.slug for s in self.steps for p in s.map.positions})
        out = {}
        for slug in slugs:
            trail = self.trail(slug)
            if len(trail) >= 2:
                out[slug] = trail
        return out


def nearest_rival(vmap: score.ValueMap, us: str) -> str | None:
    """The competitor nearest to us on ``vmap`` (straight-line distance in relative quality and price; ties by
    slug); None when we are not placed or nobody else is."""
    ours = vmap.get(us)
    if ours is None:
        return None
    best = min(((math.hypot(p.relative_quality - ours.relative_quality, p.relative_price - ours.relative_price),
                 p.slug) for p in vmap.positions if p.slug != us), default=None)
    return best[1] if best else None


def score_history(site: m.Site, snapshots: Sequence[Snapshot], companies: Mapping[str, m.Company],
                  current: score.MarketScores) -> History:
    """Place every snapshot's companies on the overall map with the current method (see the module docstring);
    the current content, already scored, is the last step."""
    audience = current.audience
    pts = score.points(site)
    scenario = score.overall_scenario(site)
    steps = []
    for snap in sorted(snapshots, key=lambda s: s.date):
        rules = score.rules_of(site, snap.date)
        scored = {slug: score.company_scores(site, slug, c, audience, pts, rules)
                  for slug, c in sorted(snap.companies.items())}
        vmap = score.scenario_map(site, snap.companies, scored, scenario, audience, snap.date)
        steps.append(Step(snap.date, False, snap.label, snap.note, vmap, scored, snap.companies))
    today = current.today or _dt.date.today()
    steps.append(Step(today, True, "", "", current.overall, current.companies, companies))
    rival = site.history.rival if site.history.rival in companies else nearest_rival(current.overall, site.us)
    return History(tuple(steps), rival)


# --- what changed between two dates ----------------------------------------------------------------------

@dataclass(frozen=True)
class Move:
    """A company placed at both dates: its positions then and now."""

    slug: str
    name: str
    before: score.Position
    after: score.Position

    @property
    def crossed(self) -> bool:
        return self.before.zone != self.after.zone


@dataclass(frozen=True)
class PriceChange:
    slug: str
    name: str
    before: score.Position
    after: score.Position


@dataclass(frozen=True)
class ScoreChange:
    slug: str
    name: str
    point: score.Point
    before: ScoreTrace
    after: ScoreTrace


@dataclass(frozen=True)
class Changes:
    since: Step
    until: Step
    moves: tuple[Move, ...]  # every company placed at both dates, in the later map's rank order
    entered: tuple[score.Position, ...]  # placed at the later date only
    left: tuple[score.Position, ...]  # placed at the earlier date only
    prices: tuple[PriceChange, ...]
    scores: tuple[ScoreChange, ...]

    @property
    def crossed(self) -> tuple[Move, ...]:
        """Who moved from one zone to another (across the fair-value line or into or out of its band)."""
        return tuple(mv for mv in self.moves if mv.crossed)


def _differs(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return (a is None) != (b is None)
    return abs(a - b) > EPS * max(1.0, abs(a), abs(b))


Same = Callable[[str, "score.Point | None", float, float], bool]
"""``same(kind, point, before, after)``: whether two values read the same ("price" or "score", the score's point).
The pages pass one that compares the values as they show them (a score of 7.4995 and one of 7.5 both read
"7.5": nothing a reader could see changed); the default compares the numbers themselves."""


def _same_numbers(kind: str, point, before: float, after: float) -> bool:
    return not _differs(before, after)


def compare(site: m.Site, since: Step, until: Step, site_points: Sequence[score.Point] | None = None,
            same: Same = _same_numbers) -> Changes:
    """What changed from ``since`` to ``until`` (pure; linear in companies × criteria)."""
    pts = site_points or score.points(site)
    moves, entered, prices = [], [], []
    for after in until.map.positions:
        before = since.map.get(after.slug)
        if before is None:
            entered.append(after)
            continue
        moves.append(Move(after.slug, after.name, before, after))
        if not same("price", None, before.price, after.price) or before.plan != after.plan:
            prices.append(PriceChange(after.slug, after.name, before, after))
    left = tuple(p for p in since.map.positions if until.map.get(p.slug) is None)
    changed = []
    for slug in sorted(until.scores):
        then = since.scores.get(slug)
        if then is None:  # a new entrant: its scores are its first, listed with its position
            continue
        now = until.scores[slug]
        name = until.companies[slug].name
        for p in pts:
            before, after = then.points[p.key], now.points[p.key]
            if (before.value is None) != (after.value is None) or (
                    before.value is not None and not same("score", p, before.value, after.value)):
                changed.append(ScoreChange(slug, name, p, before, after))
    return Changes(since, until, tuple(moves), tuple(entered), left, tuple(prices), tuple(changed))
