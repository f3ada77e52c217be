"""Trust, but verify: how strong each score is, decided from its evidence by rules the site states.

Pure functions (no I/O). A score's *status* is one of, from strongest to weakest:

* ``verified``       — at least two different kinds of source agreeing within the tolerance, at least one of
  them independent (one the measured team cannot game);
* ``single-source``  — evidence of one kind only (several reports of one kind are one voice);
* ``conflicting``    — sources disagree by more than the tolerance (each side is shown);
* ``stale``          — the newest evidence is older than the maximum age;
* ``gameable-only``  — only sources the measured team can game (own surveys, call length...);
* ``unsupported``    — a bare number with no evidence behind it;
* ``unknown``        — no score at all.

The checks run in the order unknown → unsupported → gameable-only → stale → conflicting → verified →
single-source: the first that applies is the status. A score set by hand next to its evidence is also
*conflicting* when it differs from the evidence by more than the tolerance.

A score computed from evidence weighs each item by its source kind's weight and by its age: an item
``age`` days old counts ``0.5 ** (age / half_life)`` — an observation one half-life old counts half.
Its *uncertainty* (half-width, in the score's units) is half the spread of the evidence when
there are two or more items, else the site's default uncertainty for an unsupported or single report.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Mapping, Sequence

STATUSES = ("verified", "single-source", "conflicting", "stale", "gameable-only", "unsupported", "unknown")
"""Strongest first: ``STATUSES.index(a) < STATUSES.index(b)`` means a is stronger than b."""


def at_least(status: str, minimum: str) -> bool:
    """Whether ``status`` is as strong as ``minimum`` or stronger."""
    return STATUSES.index(status) <= STATUSES.index(minimum)


@dataclass(frozen=True)
class Rules:
    """The verification rules of a site (``site.yaml: verification``), with their defaults."""

    tolerance: float = 1.0  # agreement, in scale points (measured criteria: relative, see below)
    relative_tolerance: float = 0.15  # agreement of measured values and prices: within 15 % of their mean
    max_age_days: int = 365
    half_life_days: float = 180.0
    default_uncertainty: float = 1.0  # scale points for a single report or a bare number
    today: _dt.date = _dt.date(2000, 1, 1)


@dataclass(frozen=True)
class Kind:
    """What verification needs to know of a source kind."""

    weight: float
    independent: bool


@dataclass(frozen=True)
class Verdict:
    status: str
    newest: _dt.date | None  # date of the newest evidence considered
    kinds: int  # distinct source kinds
    items: int  # evidence items considered
    spread: float | None  # max − min of the independent values (None: fewer than two)
    uncertainty: float | None  # half-width of the score's plausible range (None: unknown)


def kinds_of(site) -> dict[str, Kind]:
    """The site's source kinds (``site.source_kinds``) as verification weighs them."""
    return {k.id: Kind(k.weight, k.independent) for k in site.source_kinds}


def recency(day: _dt.date, rules: Rules) -> float:
    """The weight an observation of ``day`` keeps today: halves every ``half_life_days``."""
    age = max((rules.today - day).days, 0)
    return 0.5 ** (age / rules.half_life_days) if rules.half_life_days > 0 else 1.0


def evidence_score(evidence: Sequence, kinds: Mapping[str, Kind], rules: Rules) -> float:
    """Σ (kind weight × recency × value) ÷ Σ (kind weight × recency); the plain mean if every weight is 0."""
    weights = [kinds[ev.source].weight * recency(ev.date, rules) if ev.source in kinds else recency(ev.date, rules)
               for ev in evidence]
    total = sum(weights)
    if total <= 0:
        return sum(ev.value for ev in evidence) / len(evidence)
    return sum(w * ev.value for w, ev in zip(weights, evidence)) / total


def _agree(values: Sequence[float], tolerance: float, relative: bool) -> bool:
    spread = max(values) - min(values)
    if relative:
        mean = sum(values) / len(values)
        return spread <= tolerance * abs(mean) + 1e-12
    return spread <= tolerance + 1e-12


def verdict(value: float | None, given: bool, evidence: Sequence, kinds: Mapping[str, Kind], rules: Rules,
            *, measured: bool = False) -> Verdict:
    """The status of one score: ``value`` (None: unknown), whether it was set by hand, and the evidence the
    audience may see. ``measured``: values in a unit (agreement is relative, not in scale points)."""
    if value is None:
        return Verdict("unknown", None, 0, 0, None, None)
    tolerance = rules.relative_tolerance if measured else rules.tolerance
    default_u = rules.default_uncertainty * (abs(value) * rules.relative_tolerance if measured else 1.0)
    if not evidence:
        return Verdict("unsupported", None, 0, 0, None, default_u)
    newest = max(ev.date for ev in evidence)
    if not any(kinds.get(ev.source, Kind(1.0, True)).independent for ev in evidence):
        return Verdict("gameable-only", newest, len({ev.source for ev in evidence}), len(evidence), None, default_u)
    values = [ev.value for ev in evidence]
    spread = max(values) - min(values) if len(values) > 1 else None
    uncertainty = spread / 2 if spread is not None and spread > 0 else default_u
    n_kinds = len({ev.source for ev in evidence})
    base = dict(newest=newest, kinds=n_kinds, items=len(evidence), spread=spread, uncertainty=uncertainty)
    if (rules.today - newest).days > rules.max_age_days:
        return Verdict("stale", **base)
    checked = values + ([value] if given else [])
    if len(checked) > 1 and not _agree(checked, tolerance, measured):
        if given:  # the team's number could be what its evidence says: its range reaches the farthest report
            # (a given 9 that one report puts at 2 spans 2…16, not the default 8…10)
            base["uncertainty"] = max(uncertainty, max(abs(v - value) for v in values))
        return Verdict("conflicting", **base)
    if n_kinds >= 2:
        return Verdict("verified", **base)
    return Verdict("single-source", **base)
