"""Comparisons the views ask for: two companies point by point, and our price against a competitor's on a map.

Pure functions of what scoring made (:mod:`generator.score`); no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from . import model as m
from .points import CompanyScores, Point, points
from .score import Position, Scenario, ValueMap


@dataclass(frozen=True)
class PointComparison:
    """One point, head to head: both values and who is ahead (``lead`` > 0: ``a`` ahead)."""

    point: Point
    a: float | None
    b: float | None
    difference: float | None  # a − b in the point's own units (None if either is unknown)
    lead: int  # +1 a ahead, −1 b ahead, 0 level or unknown (lower is better respected)


def head_to_head(site: m.Site, scores: Mapping[str, CompanyScores], a: str, b: str,
                 level: str = "criterion") -> list[PointComparison]:
    """Every point (``criterion``) or every dimension (``dimension``) of ``a`` against ``b``."""
    if level == "dimension":
        pts = [Point(d.id, None, 1.0) for d in site.dimensions]
        pairs = [(scores[a].dimensions[p.dimension], scores[b].dimensions[p.dimension]) for p in pts]
    else:
        pts = list(points(site))
        pairs = [(scores[a].points[p.key].value, scores[b].points[p.key].value) for p in pts]
    out = []
    for p, (va, vb) in zip(pts, pairs):
        diff = None if va is None or vb is None else va - vb
        lead = 0 if diff is None or abs(diff) < 1e-9 else (1 if diff > 0 else -1) * (-1 if p.better == "lower" else 1)
        out.append(PointComparison(p, va, vb, diff, lead))
    return out


@dataclass(frozen=True)
class PriceComparison:
    """Us and a competitor on one map: prices, our price against theirs, their justified price and rank."""

    scenario: Scenario
    ours: Position | None
    theirs: Position | None
    ours_vs_theirs_pct: float | None  # (ours − theirs) / theirs; None if either is unplaced or theirs is free


def price_comparison(vmap: ValueMap, us: str, them: str) -> PriceComparison:
    a, b = vmap.get(us), vmap.get(them)
    pct = 100.0 * (a.price - b.price) / b.price if a and b and b.price > 0 else None
    return PriceComparison(vmap.scenario, a, b, pct)
