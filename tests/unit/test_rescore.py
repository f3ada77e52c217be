"""serve's scoring after an edit (generator/rescore.py): each company's scores and quotes, and the quality table,
made again only when their inputs changed — and the numbers always those of a fresh scoring.

Not timed: it counts what was made again and compares every position with a scoring from scratch."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from generator.diagnostics import Diagnostics
from generator.load import load_content
from generator.plan import INTERNAL
from generator.rescore import ScoreMemo
from generator.score import Position, score_market
from generator.validate import validate

DAY = dt.date(2026, 11, 24)
SLUG = "ticketeer"


@pytest.fixture
def market(sample):
    diagnostics = Diagnostics()
    content = validate(load_content(sample.content, diagnostics), diagnostics)
    assert content is not None, diagnostics.sorted()
    return content


def same(a, b) -> None:
    """Every map of two scorings holds equal positions (every field), the same unplaced and the same line."""
    assert a.companies == b.companies
    for x, y in zip(a.maps(), b.maps(), strict=True):
        assert x.positions == y.positions and x.unplaced == y.unplaced and x.line == y.line
        for p, q in zip(x.positions, y.positions):
            assert dataclasses.astuple(p) == dataclasses.astuple(q)


def with_(market, slug: str, **update):
    companies = dict(market.companies)
    companies[slug] = companies[slug].model_copy(update=update)
    return companies


def test_a_price_edit_makes_only_that_company_s_quotes_again(market):
    memo = ScoreMemo()
    first = score_market(market.site, market.companies, INTERNAL, DAY, memo=memo)
    assert memo.made == len(market.companies)
    references = len({repr(vmap.scenario.reference) for vmap in first.maps()})
    companies = with_(market, SLUG, prices=[plan.model_copy(update={"price": 99.0})
                                            for plan in market.companies[SLUG].prices])
    again = score_market(market.site, companies, INTERNAL, DAY, memo=memo)
    assert memo.made == 0 and memo.quoted == references  # that company's, once per price reference
    assert again.quality.companies is first.quality.companies  # the ratios did not move: kept
    fresh = score_market(market.site, companies, INTERNAL, DAY)
    same(again, fresh)
    assert [p.relative_price for p in again.overall.positions] != [p.relative_price for p in first.overall.positions]


def test_a_score_edit_makes_that_company_s_scores_and_the_quality_table_again(market):
    memo = ScoreMemo()
    first = score_market(market.site, market.companies, INTERNAL, DAY, memo=memo)
    scores = dict(market.companies[SLUG].scores)
    dimension = next(k for k, v in scores.items() if isinstance(v, dict))
    criteria = dict(scores[dimension])
    criteria[next(iter(criteria))] = 9
    scores[dimension] = criteria
    companies = with_(market, SLUG, scores=scores)
    again = score_market(market.site, companies, INTERNAL, DAY, memo=memo)
    assert memo.made == 1 and memo.quoted == 0
    assert again.quality.companies is not first.quality.companies
    same(again, score_market(market.site, companies, INTERNAL, DAY))


def test_added_and_removed_companies_and_another_day_or_audience(market):
    memo = ScoreMemo()
    score_market(market.site, market.companies, INTERNAL, DAY, memo=memo)
    fewer = {s: c for s, c in market.companies.items() if s != SLUG}
    same(score_market(market.site, fewer, INTERNAL, DAY, memo=memo), score_market(market.site, fewer, INTERNAL, DAY))
    assert memo.made == 0
    more = dict(fewer, **{"ticketeer-two": market.companies[SLUG]})  # a copy under another name
    same(score_market(market.site, more, INTERNAL, DAY, memo=memo), score_market(market.site, more, INTERNAL, DAY))
    assert memo.made == 1
    later = DAY + dt.timedelta(days=400)  # evidence ages: everything again
    same(score_market(market.site, more, INTERNAL, later, memo=memo),
         score_market(market.site, more, INTERNAL, later))
    assert memo.made == len(more)
    same(score_market(market.site, more, "external", later, memo=memo),
         score_market(market.site, more, "external", later))
    assert memo.made == len(more)


def test_a_position_made_from_its_row_equals_one_made_field_by_field(market):
    scores = score_market(market.site, market.companies, INTERNAL, DAY)
    for vmap in scores.maps():
        for position in vmap.positions:
            row = {f.name: getattr(position, f.name) for f in dataclasses.fields(Position)}
            made = Position(**row)
            assert made == position and repr(made) == repr(position)
            assert vars(made) == vars(position)
            with pytest.raises(dataclasses.FrozenInstanceError):
                position.rank = 0
