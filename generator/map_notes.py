"""What the maps leave out, told to the author after scoring (part of ``check`` and ``build``): a company an
external build leaves off a map because its prices there are internal (a note), the competitors not on the
overall map (a note), and our own company missing from a map (a warning: the site exists to show where we
stand, and ``--strict`` stops it from being published so).

Only the maps' unplaced companies are looked at: no cost at scale.
"""
from __future__ import annotations

from .diagnostics import Diagnostics
from .plan import INTERNAL
from .score import MarketScores
from .validate import Content, today

# Why a company is not placed, in the words of the CLI (the pages say it in the site's language).
REASONS = {"no-price": "no comparable price", "quote-only": "price on request only, no estimate recorded",
           "no-rate": "a price in a currency without an exchange rate", "no-known-score": "no score to compare",
           "no-comparable-score": "none of its known scores can be compared (every other company scores 0 on "
                                  "them, or it scores 0 where lower is better)",
           "free-comparison": "every company it is compared with is free"}
INTERNAL_ONLY = "its only prices there are internal, and this external site leaves them out"
NAMED = 5  # unplaced competitors a note names; the rest are counted


OUTLIER = 5.0  # a comparison price this many times the median (or its fraction) is named in a note


def outlying_prices(content: Content, scores: MarketScores) -> tuple[str, ...]:
    """A note naming the companies whose price on the overall map is more than :data:`OUTLIER` times the median
    price, or less than its fraction: every relative price, justified price and headroom is measured against an
    average such a price moves (one price 85× the others made every competitor "better value" and ours worth
    €328). Not a warning: a price may be right. Linear: one median of the placed prices."""
    placed = [p for p in scores.overall.positions if p.price is not None and p.price > 0]
    if len(placed) < 3:
        return ()
    ordered = sorted(p.price for p in placed)
    mid = len(ordered) // 2
    median = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    far = [p for p in placed if p.price > OUTLIER * median or p.price * OUTLIER < median]
    if not far:
        return ()
    named = ", ".join(f"{p.name} ({p.price:,.0f} {content.site.currency}, {p.price / median:.2g}× the median)"
                      for p in sorted(far, key=lambda p: -abs(p.price / median - 1))[:NAMED])
    more = f" and {len(far) - NAMED} more" if len(far) > NAMED else ""
    return (f"price far from the others on the overall map: {named}{more} — the median is "
            f"{median:,.0f} {content.site.currency}; every relative and justified price is measured against an "
            "average it moves: check the price, its plan and its seat count",)


def internally_priced(content: Content, scores: MarketScores) -> tuple[str, ...]:
    """A note per company an external build leaves off a map only because the prices that would place it there
    are internal: not a problem (a price may be confidential), but the author previews the internal site and
    would not see it."""
    left: dict[str, list[str]] = {}
    for vmap in scores.maps():
        for u in vmap.unplaced:
            if _internal_only(content, scores, vmap, u):
                left.setdefault(u.slug, []).append(vmap.scenario.label or "the overview")
    notes = []
    for slug, maps in sorted(left.items()):
        several = len(maps) > 1
        notes.append(f"{content.files.get(f'company:{slug}', slug)}: {content.companies[slug].name} is left off "
                     f"{len(maps)} map{'s' if several else ''} of this external site ({', '.join(maps)}): "
                     + ("the prices it is compared at there come" if several else
                        "the price it is compared at there comes")
                     + f" only from internal observations (the internal build has {'them' if several else 'it'})")
    return tuple(notes)


def _why(content: Content, scores: MarketScores, vmap, u) -> str:
    """Why ``u`` is not on ``vmap``, in the CLI's words: an external build that leaves out internal prices
    says so (the company has a price; this site may not show it)."""
    if scores.audience != INTERNAL and _internal_only(content, scores, vmap, u):
        return INTERNAL_ONLY
    return REASONS.get(u.reason, u.reason)


def _internal_only(content: Content, scores: MarketScores, vmap, u) -> bool:
    """``u`` is off ``vmap`` only because the prices that would place it there are internal."""
    from .quotes import priced_only_internally

    return u.reason in ("no-price", "quote-only") and priced_only_internally(
        content.companies[u.slug], content.site, vmap.scenario.reference, scores.today or today())


def unplaced_competitors(content: Content, scores: MarketScores) -> tuple[str, ...]:
    """One note naming the competitors that are not on the overall map, and why (the pages say so too)."""
    left = [u for u in scores.overall.unplaced if not u.is_us]
    if not left:
        return ()
    named = ", ".join(f"{u.name} ({_why(content, scores, scores.overall, u)})" for u in left[:NAMED])
    more = f" and {len(left) - NAMED} more" if len(left) > NAMED else ""
    count = f"{len(left)} competitor{'s' if len(left) > 1 else ''}"
    return (f"{count} not on the overall map: {named}{more} — the site lists {'them' if len(left) > 1 else 'it'} "
            "under the map, with the reason",)


def check_we_are_placed(content: Content, scores: MarketScores, diagnostics: Diagnostics) -> None:
    """A warning per map our own company is not on (an error under --strict)."""
    us = content.site.us
    doc = content.documents.get(f"company:{us}")
    for vmap in scores.maps():
        for u in vmap.unplaced:
            if not u.is_us:
                continue
            field = "scores" if u.reason in ("no-known-score", "no-comparable-score") else "prices"
            where = doc.where((field,), key=True) if doc is not None else {}
            why = _why(content, scores, vmap, u)
            hint = ("the site shows where we stand against the market: " + (
                "add a price observation that is not internal" if why == INTERNAL_ONLY else
                "give us what that map compares (a price at its reference point, known scores)"))
            diagnostics.warning("us-unplaced", f"{u.name} (us) is not on the {vmap.scenario.label or 'overall'} "
                                f"map: {why}", path=field, hint=hint, **where)
