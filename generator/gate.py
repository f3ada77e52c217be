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

It also checks the free text an external page would show (:func:`review_gate`): every company's summary, each
strength and weakness, each score's note, each evidence note and each price observation's note not marked
internal — ours too — needs a review date (``summary_reviewed`` for the summary, ``note_reviewed`` for a score's
or a price observation's note, ``reviewed`` for the others), else one error ``unreviewed-text`` naming the
company, the field and the text's first words. Internal text (``audience: internal``, ``note_audience:
internal``, internal evidence and observations) never reaches an external page and needs no review.
"""
from __future__ import annotations

import datetime as _dt
from typing import Iterator

from . import model as m
from .diagnostics import Diagnostics, format_path
from .points import points
from .score import EXTERNAL, MarketScores, score_market
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


UNREVIEWED = "unreviewed-text"
FIRST_WORDS = 4


def first_words(text: str, count: int = FIRST_WORDS) -> str:
    """The text's first ``count`` words, with an ellipsis when there is more: 'Slowest and least personal…'."""
    words = text.split()
    return m.visible(" ".join(words[:count]), 60) + ("…" if len(words) > count else "")


def _review_hint(path: tuple) -> str:
    if path == ("summary",):
        return "check it is fit to show prospects, then add 'summary_reviewed: YYYY-MM-DD' (internal remarks " \
            "belong in internal_notes)"
    if path[0] == "scores" and "evidence" in path:
        return "check the note is fit to show prospects, then add 'reviewed: YYYY-MM-DD' to the evidence item; or " \
            "'note_audience: internal' to keep the note to the internal site"
    if path[0] in ("scores", "prices"):
        where = "score" if path[0] == "scores" else "price observation"
        return f"check the note is fit to show prospects, then add 'note_reviewed: YYYY-MM-DD' to the {where}; " \
            "or 'note_audience: internal' to keep the note to the internal site"
    return "check it is fit to show prospects, then write it as {text: ..., reviewed: YYYY-MM-DD}; or " \
        "{text: ..., audience: internal} to keep it to the internal site"


def _where(content: Content, slug: str, path: tuple, key: bool = False) -> dict:
    doc = content.documents.get(f"company:{slug}")
    return doc.where(path, key=key) if doc is not None else {"file": content.files.get(f"company:{slug}")}


def _unreviewed(content: Content) -> Iterator[tuple[str, object]]:
    """(slug, text) for each piece of free text an external page would show without a ``reviewed`` date (our
    own company's too)."""
    for slug, company in content.companies.items():
        for text in company.free_texts():
            if not text.internal and text.text and text.reviewed is None:
                yield slug, text


def review_gate(content: Content, diagnostics: Diagnostics) -> int:
    """Add one ``unreviewed-text`` error per piece of free text an external page would show without a
    ``reviewed`` date (:func:`_unreviewed`); return how many."""
    found = 0
    for slug, text in _unreviewed(content):
        diagnostics.error(UNREVIEWED, f"{m.visible(content.companies[slug].name)}: {format_path(text.path)} "
                          f"'{first_words(text.text)}' has not been reviewed for external pages",
                          path=format_path(text.path), hint=_review_hint(text.path), **_where(content, slug, text.at))
        found += 1
    return found


def _below_minimum(content: Content, scores: MarketScores) -> Iterator[tuple[str, str, str, tuple]]:
    """(slug, claim, status, path) for each claim an external page would show below the minimum: every score
    as written, every comparison price placed on a map (once per plan)."""
    site = content.site
    minimum = site.verification.min_status
    allow_missing = site.verification.allow_missing
    labels = {d.id: d.label for d in site.dimensions}
    criteria = {(d.id, c.id): c.label for d in site.dimensions for c in d.criteria}
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
            if not _passes(status, minimum, allow_missing):
                yield slug, labels[p.dimension] if whole else f"{labels[p.dimension]} › {criteria[p.key]}", \
                    status, path

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
            if not _passes(status, minimum, allow_missing):
                field = "price" if plan.price is not None else "observations"
                yield pos.slug, f"price of plan '{plan.plan}'", status, ("prices", index, field)


def _external(content: Content, today: _dt.date, scores: MarketScores | None) -> MarketScores:
    """What the external pages show: the build's scores when they are the external audience's."""
    return scores if scores is not None and scores.audience == EXTERNAL \
        else score_market(content.site, content.companies, EXTERNAL, today)


def gate(content: Content, diagnostics: Diagnostics, today: _dt.date, scores: MarketScores | None = None) -> int:
    """Add one ``below-min-status`` error per claim an external page would show below the minimum
    (:func:`_below_minimum`), and one ``unreviewed-text`` error per unreviewed text it would show
    (:func:`review_gate`); return how many. ``scores``: the build's scores, reused when they are the external
    audience's."""
    minimum = content.site.verification.min_status
    found = 0
    for slug, claim, status, path in _below_minimum(content, _external(content, today, scores)):
        diagnostics.error(CODE, _message(content.companies[slug].name, claim, status, minimum),
                          path=format_path(path), hint=_hint(status), **_where(content, slug, path, key=True))
        found += 1
    return found + review_gate(content, diagnostics)


def preview(content: Content, today: _dt.date, scores: MarketScores | None = None) -> tuple[str, ...]:
    """``check`` without ``--strict``: one note counting what the gate would refuse, so that its first run in CI
    is no surprise (a new project's placeholder scores have no evidence yet, its texts no review date).
    Counted only: no message is made, no file read again for a line."""
    claims = [slug for slug, *_ in _below_minimum(content, _external(content, today, scores))]
    texts = [slug for slug, _ in _unreviewed(content)]
    if not claims and not texts:
        return ()
    total, files = len(claims) + len(texts), len(set(claims) | set(texts))
    said = ([f"{_count(len(claims), 'score or price', 'scores or prices')} below verification.min_status "
             f"({content.site.verification.min_status})"] if claims else []) + \
        ([f"{_count(len(texts), 'text', 'texts')} not reviewed for external pages"] if texts else [])
    return (f"the publishing gate (--strict) would refuse {_count(total, 'thing', 'things')} in "
            f"{_count(files, 'file', 'files')}: {', '.join(said)} — `valuemap check --strict` lists each one",)


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"
