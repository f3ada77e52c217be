"""A company's comparison price at one reference point (a tier and a number of seats): which of its plans
can be compared there, and the price chosen from that plan's observations (:mod:`generator.prices`) with the
verification verdict of that price. Pure; scoring (:mod:`generator.score`) places companies by these."""
from __future__ import annotations

from dataclasses import dataclass, replace

from . import model as m
from . import prices as prices_
from . import verify
from .audience import EXTERNAL, INTERNAL


def plans_at(company: m.Company, ref: m.PriceReference | None) -> list[m.PricePoint]:
    """The plans that can be compared at ``ref``: without a reference the company's only plan; with one, the
    plans of the reference tier whose seat range holds the reference seats."""
    if ref is None:
        return list(company.prices) if len(company.prices) == 1 else []
    return [p for p in company.prices
            if p.tier == ref.tier and p.seats.min <= ref.seats and (p.seats.max is None or ref.seats <= p.seats.max)]


def price_at(company: m.Company, ref: m.PriceReference | None) -> m.PricePoint | None:
    """The first comparable plan (validation asks only whether one exists; scoring compares their prices)."""
    fits = plans_at(company, ref)
    return fits[0] if fits else None


@dataclass(frozen=True)
class Quote:
    """A company's comparison price at one reference point: the plan, the price chosen from its observations,
    and how strong that price is."""

    plan: m.PricePoint
    chosen: prices_.ChosenPrice
    verdict: verify.Verdict

    @property
    def value(self) -> float | None:
        return self.chosen.value

    @property
    def estimated(self) -> bool:
        """The price is our estimate of a quote-only vendor's, not one seen: it reads "≈€72" wherever shown."""
        return self.chosen.chosen is not None and self.chosen.chosen.kind == "estimate"


@dataclass(frozen=True)
class _Sighting:  # a price observation as verification sees evidence
    source: str
    value: float
    date: object


def _observations(plan: m.PricePoint, site: m.Site, audience: str) -> list:
    if plan.price is not None:  # a bare number: in the site's currency and billing, no source, no date
        return [m.PriceObservation(price=plan.price, billing=site.prices.billing,
                                   date=(plan.as_of or _FAR_PAST).isoformat())]
    return [o for o in plan.observations if audience == INTERNAL or not o.internal]


_FAR_PAST = verify.Rules().today


class Pricing:
    """What every quote of one site and day is judged by, made once per map (not once per plan): the price
    rules, the vendor source kinds, the verification rules and the source kinds' weights."""

    __slots__ = ("site", "rules", "vendors", "price_rules", "kinds")

    def __init__(self, site: m.Site, today):
        self.site = site
        self.rules = prices_.PriceRules(site.currency, dict(site.currencies.rates) if site.currencies else {},
                                        site.prices.billing, site.prices.monthly_to_annual, site.prices.choose,
                                        site.prices.tolerance)
        self.vendors = {k.id for k in site.source_kinds if k.vendor}
        v = site.verification
        self.price_rules = verify.Rules(v.tolerance, site.prices.tolerance, site.prices.max_age_days,
                                        v.half_life_days, v.default_uncertainty, today)
        self.kinds = verify.kinds_of(site)


def quote(plan: m.PricePoint, site: m.Site, ref: m.PriceReference | None, audience: str, today,
          pricing: Pricing | None = None) -> Quote:
    """The comparison price of one plan (see :mod:`generator.prices` for the rules). ``pricing``: the site's
    rules for ``today``, when the caller quotes many plans."""
    if pricing is None or pricing.site is not site or pricing.price_rules.today != today:
        pricing = Pricing(site, today)
    obs = _observations(plan, site, audience)
    vendors = pricing.vendors
    chosen = prices_.choose(obs, pricing.rules, lambda o: o.source in vendors)
    if plan.per == "account" and chosen.value is not None:  # an account price, per seat at the reference
        seats = ref.seats if ref else 1
        chosen = replace(chosen, value=chosen.value / seats, low=chosen.low / seats, high=chosen.high / seats)
    sightings = [] if plan.price is not None else [
        _Sighting(c.observation.source or "", c.value, c.observation.date_start)
        for c in chosen.observations if c.value is not None]
    verdict = verify.verdict(chosen.value, plan.price is not None, sightings, pricing.kinds, pricing.price_rules,
                             measured=True)
    if chosen.value is not None and chosen.chosen is not None and chosen.chosen.kind == "estimate":
        verdict = replace(verdict, status="unsupported")  # an estimate of a quote is ours, not observed
    return Quote(plan, chosen, verdict)


def quote_at(company: m.Company, site: m.Site, ref: m.PriceReference | None, audience: str, today,
             pricing: Pricing | None = None) -> Quote | None:
    """The cheapest comparable plan's quote at ``ref`` (a plan without a comparison price only if none has one)."""
    quotes = [quote(p, site, ref, audience, today, pricing) for p in plans_at(company, ref)]
    if not quotes:
        return None
    return min(quotes, key=lambda q: (q.value is None, q.value or 0.0, q.plan.plan))


def priced_only_internally(company: m.Company, site: m.Site, ref: m.PriceReference | None, today) -> bool:
    """Whether the company has a comparison price at ``ref`` for the internal audience and none for the external
    one: the prices that make it comparable there are internal observations (an external map leaves it off).
    Not when it has no price for either (a quote-only plan, internal or not: no build places it)."""
    external = quote_at(company, site, ref, EXTERNAL, today)
    if external is not None and external.value is not None:
        return False
    internal = quote_at(company, site, ref, INTERNAL, today)
    return internal is not None and internal.value is not None


def quotes_at(companies, site: m.Site, ref: m.PriceReference | None, audience: str, today, kept=None) -> dict:
    """Every company's quote at ``ref`` (slug → :class:`Quote` or None), the site's rules made once.
    ``kept(slug, company, make)`` (serve, :meth:`generator.rescore.ScoreMemo.quote`): a quote kept from the
    last scoring while the company's prices are unchanged."""
    pricing = Pricing(site, today)
    if kept is None:
        return {slug: quote_at(c, site, ref, audience, today, pricing) for slug, c in companies.items()}
    return {slug: kept(slug, c, lambda c=c: quote_at(c, site, ref, audience, today, pricing))
            for slug, c in companies.items()}
