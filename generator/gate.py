"""The strict gate (``check --strict`` / ``build --strict``): nothing weaker than ``verification.min_status``
reaches a page shared outside the company.

The gate is about what an *external* page would show, whatever audience is being built: it scores the external
audience (reusing the build's scores when they are external) and looks at

* every score of every company — one claim per score as written (a dimension scored as a whole is one claim,
  not one per criterion) — with the status the external pages give it (internal evidence left out);
* every comparison price placed on a map (the overall map and each segment's) — one claim per plan.

Each claim weaker than ``min_status`` (:func:`generator.verify.at_least`) is one error ``below-min-status``,
placed on that score or plan in the company file.

An *unknown* score is not shown as a number (pages print "unknown" and place the company on its known scores,
with a range), but it is still a gap in what the page claims to know: it fails the gate like any status below
the minimum, unless the site allows gaps (``verification.allow_missing: true``) or the minimum is ``unknown``.
A company that is not placed on a map shows no comparison price there, so its price is not a claim.
"""
from __future__ import annotations

import datetime as _dt

from . import model as m
from .diagnostics import Diagnostics, format_path
from .score import EXTERNAL, MarketScores, points, score_market
from .validate import Content
from .verify import at_least

CODE = "below-min-status"

_FIX = {
    "unknown": "score it, or set 'allow_missing: true' under verification in site.yaml to publish unknown scores",
    "unsupported": "add evidence behind it (source, value, date)",
    "gameable-only": "add evidence from an independent source: only sources the measured team can game back it",
    "stale": "add recent evidence: the newest is older than the maximum age",
    "conflicting": "look closer: its sources disagree by more than the tolerance",
    "single-source": "confirm it with a second, different kind of source",
    "verified": "",
}


def _passes(status: str, minimum: str, allow_missing: bool) -> bool:
    if status == "unknown":
        return allow_missing or minimum == "unknown"
    return at_least(status, minimum)


def _hint(status: str) -> str:
    fix = _FIX.get(status, "")
    return (fix + "; " if fix else "") + "or lower verification.min_status in site.yaml (the methodology page " \
        "states the rule in force)"


def _message(name: str, claim: str, status: str, minimum: str) -> str:
    needs = f"needs at least {minimum}"
    if status == "unknown":
        needs += ", or verification.allow_missing: true"
    return f"{m.visible(name)}: {m.visible(claim)} is {status} ({needs})"


def gate(content: Content, diagnostics: Diagnostics, today: _dt.date, scores: MarketScores | None = None) -> int:
    """Add one ``below-min-status`` error per claim an external page would show below the minimum; return how
    many. ``scores``: the build's scores, reused when they are the external audience's."""
    site = content.site
    minimum = site.verification.min_status
    allow_missing = site.verification.allow_missing
    if scores is None or scores.audience != EXTERNAL:
        scores = score_market(site, content.companies, EXTERNAL, today)
    labels = {d.id: d.label for d in site.dimensions}
    criteria = {(d.id, c.id): c.label for d in site.dimensions for c in d.criteria}
    found = 0

    def report(slug: str, claim: str, status: str, path: tuple) -> None:
        nonlocal found
        doc = content.documents.get(f"company:{slug}")
        where = doc.where(path, key=True) if doc is not None else {"file": content.files.get(f"company:{slug}")}
        diagnostics.error(CODE, _message(content.companies[slug].name, claim, status, minimum),
                          path=format_path(path), hint=_hint(status), **where)
        found += 1

    pts = points(site)
    for slug, company in content.companies.items():
        seen: set[tuple] = set()
        traces = scores.companies[slug].points
        for p in pts:
            entry = company.scores.get(p.dimension)
            whole = p.criterion is None or not isinstance(entry, dict)
            if whole and p.unit is not None:  # a measured criterion never reads a whole-dimension score
                path = ("scores", p.dimension, p.criterion)
                whole = False
            else:
                path = ("scores", p.dimension) if whole else ("scores", p.dimension, p.criterion)
            if path in seen:
                continue
            seen.add(path)
            status = traces[p.key].status
            if _passes(status, minimum, allow_missing):
                continue
            claim = labels[p.dimension] if whole else f"{labels[p.dimension]} › {criteria[p.key]}"
            report(slug, claim, status, path)

    priced: set[tuple[str, int]] = set()
    for vmap in scores.maps():
        for pos in vmap.positions:
            plan = pos.quote.plan
            company = content.companies[pos.slug]
            index = next(i for i, pp in enumerate(company.prices) if pp is plan or pp == plan)
            if (pos.slug, index) in priced:
                continue
            priced.add((pos.slug, index))
            status = pos.quote.verdict.status
            if _passes(status, minimum, allow_missing):
                continue
            field = "price" if plan.price is not None else "observations"
            report(pos.slug, f"price of plan '{plan.plan}'", status, ("prices", index, field))
    return found
