"""``serve``: the market scored again after an edit, each company's part made again only when its inputs changed.

A company's scores read only its ``scores`` (with the site's points, verification rules, the audience and the
day); its quote at a price reference reads only its ``prices`` (with the site's price rules). The relative
quality table (:mod:`generator.quality`) reads every company's scores, and nothing else. So after one edit:

* a summary or a talk track: nothing is scored again (``CompanyCache.market_scores`` keeps the whole result);
* a price: that company's quotes are made again, the quality table is kept, the maps are placed again;
* a score or an evidence item: that company's scores, the quality table (a score moves every ratio's
  comparison average) and the maps.

A :class:`ScoreMemo` belongs to one ``serve`` session (:class:`generator.company_cache.CompanyCache`), never
global; it holds what the last scoring made and compares inputs by identity first — serve keeps the validated
model of an unchanged file, so an unchanged company's ``scores`` and ``prices`` are the very same objects —
then by equality. Everything is keyed by the site, audience and day as well: any change to them starts afresh.
The numbers are those of a fresh :func:`generator.score.score_market` (``tests/unit/test_rescore.py``).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Mapping

if TYPE_CHECKING:
    from .quality import QualityTable


def _same(a, b) -> bool:
    return a is b or a == b


def _kept(table: dict, key, inputs, make: Callable[[], object]) -> tuple[object, bool]:
    """``table[key]``'s result if it was made of ``inputs`` (the same or equal), else ``make()`` kept there;
    and whether it was made."""
    last = table.get(key)
    if last is not None and _same(last[0], inputs):
        return last[1], False
    result = make()
    table[key] = (inputs, result)
    return result, True


class ScoreMemo:
    """What the last scoring of one ``serve`` session made, per company; see the module docstring."""

    def __init__(self) -> None:
        self._key: tuple | None = None  # (site, audience, day)
        self._scores: dict[str, tuple] = {}  # slug → (company.scores, CompanyScores)
        self._quotes: dict[tuple, tuple] = {}  # (price reference, slug) → (company.prices, Quote | None)
        self._quality: QualityTable | None = None
        self.made = 0  # companies scored, quotes made by the last scoring (tests read these)
        self.quoted = 0

    def start(self, site, audience: str, day) -> None:
        """Begin a scoring: what was kept for another site, audience or day is dropped."""
        key = self._key
        if key is None or not _same(key[0], site) or key[1:] != (audience, day):
            self._scores.clear()
            self._quotes.clear()
            self._quality = None
        self._key = (site, audience, day)
        self.made = self.quoted = 0

    def company(self, slug: str, company, make: Callable[[], object]):
        """``slug``'s scores: the last ones if its ``scores`` are unchanged, else ``make()``."""
        result, made = _kept(self._scores, slug, company.scores, make)
        self.made += made
        return result

    def quote(self, reference: str, slug: str, company, make: Callable[[], object]):
        """``slug``'s quote at the price reference ``reference`` (its ``repr``): the last one if its ``prices``
        are unchanged, else ``make()``."""
        result, made = _kept(self._quotes, (reference, slug), company.prices, make)
        self.quoted += made
        return result

    def quality(self, scores: Mapping[str, object], make: Callable[[], QualityTable]) -> QualityTable:
        """The quality table of ``scores``: the last one, re-labelled for this mapping, when every company's
        scores are the very objects it was made of (so its ratios are those ``make()`` would compute)."""
        last = self._quality
        if last is not None and last.scores.keys() == scores.keys() and all(
                last.scores[slug] is value for slug, value in scores.items()):
            table = last.relabelled(scores)
        else:
            table = make()
        self._quality = table
        return table

    def keep_only(self, slugs) -> None:
        """Forget the companies that are gone (their files removed or renamed)."""
        alive = set(slugs)
        for slug in set(self._scores) - alive:
            del self._scores[slug]
        for key in [k for k in self._quotes if k[1] not in alive]:
            del self._quotes[key]
