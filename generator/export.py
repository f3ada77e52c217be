"""``valuemap export``: the computed model as JSON, with stable keys documented in docs/export.md.

Only what the external site shows is exported (no internal fields, no internal evidence), so the export
can be shared wherever the site can.
"""
from __future__ import annotations

import orjson

from .build import Checked
from .score import ValueMap

EXPORT_VERSION = 1


def _r(value: float | None) -> float | None:
    """Numbers at full precision: the pages round them once, and so can the reader (rounding here first and
    again there could turn 80.04999 into 80.1 where the page shows 80.0)."""
    return value


def _price(p) -> dict:
    q = p.quote
    chosen = q.chosen.chosen
    return {"value": _r(p.price), "low": _r(q.chosen.low), "high": _r(q.chosen.high), "status": q.verdict.status,
            "kind": chosen.kind if chosen else None, "observations": len(q.chosen.observations),
            "disagree": q.chosen.disagree, "newest": q.verdict.newest.isoformat() if q.verdict.newest else None}


def _scores(checked: Checked, slug: str) -> dict:
    """Every point's score with its status, evidence count and uncertainty (what the pages mark)."""
    out = {}
    for (dim, crit), trace in checked.scores.companies[slug].points.items():
        v = trace.verdict
        out[f"{dim}.{crit}" if crit else dim] = {
            "value": _r(trace.value), "status": v.status, "sources": len(trace.evidence),
            "uncertainty": _r(v.uncertainty), "newest": v.newest.isoformat() if v.newest else None}
    return out


def _scenario(checked: Checked, vmap: ValueMap) -> dict:
    companies = []
    for p in vmap.positions:
        dims = checked.scores.companies[p.slug].dimensions
        companies.append({
            "slug": p.slug,
            "name": p.name,
            "is_us": p.is_us,
            "rank": p.rank,
            "dimension_scores": {d: _r(v) for d, v in dims.items()},
            "scores": _scores(checked, p.slug),
            "known": _r(p.known),
            "coverage": _r(p.coverage),
            "relative_quality_range": [_r(p.rq_low), _r(p.rq_high)],
            "relative_price_range": [_r(p.rp_low), _r(p.rp_high)],
            "price_detail": _price(p),
            "value_score": _r(p.value_score),
            "relative_quality": _r(p.relative_quality),
            "relative_price": _r(p.relative_price),
            "price": _r(p.price),
            "plan": p.plan,
            "justified_price": _r(p.justified_price),
            "headroom": _r(p.headroom),
            "headroom_pct": _r(p.headroom_pct),
            "customer_value": _r(p.customer_value),
            "perpendicular_distance": _r(p.perpendicular),
            "quality_price_ratio": _r(p.ratio),
            "zone": p.zone,
        })
    return {
        "id": vmap.scenario.id,
        "label": vmap.scenario.label or None,
        "weights": {d: _r(w) for d, w in vmap.scenario.weights.items()},
        "price_reference": ({"tier": vmap.scenario.reference.tier, "seats": vmap.scenario.reference.seats}
                            if vmap.scenario.reference else None),
        "comparison": vmap.comparison,
        "quality_ratio": vmap.quality_ratio,
        "rank_by": vmap.rank_by,
        "fair_value_line": {"method": vmap.line.method, "intercept": _r(vmap.line.intercept),
                            "slope": _r(vmap.line.slope), "fallback": vmap.line.fallback or None},
        "fair_value_band": vmap.band,
        "companies": companies,
        "unplaced": [{"slug": u.slug, "name": u.name, "is_us": u.is_us, "reason": u.reason} for u in vmap.unplaced],
    }


def _history(checked: Checked) -> dict | None:
    """The overall map at each dated snapshot of content/history/ and now (generator/history.py): positions per
    date per company, scored like the current map (the export's audience: external, public evidence only).
    None without snapshots."""
    h = checked.scores.history
    if h is None or len(h.steps) < 2:
        return None
    return {
        "rival": h.rival,
        "steps": [{
            "date": s.date.isoformat(), "current": s.current, "label": s.label or None,
            "companies": [{"slug": p.slug, "name": p.name, "is_us": p.is_us, "rank": p.rank,
                           "relative_quality": _r(p.relative_quality), "relative_price": _r(p.relative_price),
                           "customer_value": _r(p.customer_value), "zone": p.zone, "price": _r(p.price),
                           "plan": p.plan, "justified_price": _r(p.justified_price)} for p in s.map.positions],
            "unplaced": [{"slug": u.slug, "name": u.name, "is_us": u.is_us, "reason": u.reason}
                         for u in s.map.unplaced],
        } for s in h.steps],
    }


def export_model(checked: Checked) -> dict:
    site = checked.content.site
    return {
        "valuemap_export": EXPORT_VERSION,
        "site": {"title": site.title, "market": site.market, "currency": site.currency,
                 "price_basis": site.price_basis, "us": site.us,
                 "scale": {"min": site.scale.min, "max": site.scale.max}},
        "dimensions": [{"id": d.id, "label": d.label, "weight": d.weight, "input": d.input,
                        "criteria": [{"id": c.id, "label": c.label, "weight": c.weight, "better": c.better,
                                      "unit": c.unit} for c in d.criteria]}
                       for d in site.dimensions],
        "scenarios": [_scenario(checked, vmap) for vmap in checked.scores.maps()],
        "history": _history(checked),
    }


def export_json(checked: Checked) -> bytes:
    return orjson.dumps(export_model(checked), option=orjson.OPT_INDENT_2) + b"\n"
