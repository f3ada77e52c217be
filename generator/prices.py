"""Prices as real market data gives them: several observations per plan, in other currencies, billed
monthly or annually, quoted only on request, "from" a figure or within a range — turned into one comparison
price by a rule the site states. Pure functions, no I/O.

An observation is one of:

* ``price: 39``            — a list price;
* ``from: 20``             — a starting price ("from $20"): compared at that figure, marked as a lower bound;
* ``range: [165, 500]``    — compared at the midpoint, the range kept as its uncertainty;
* ``quote: true``          — price on request: not a number. With ``estimate: 120`` it is compared at the
  estimate, marked as an estimate; without, the plan has no comparison price and the company is not placed.

Each is converted to the site's currency with the rates in ``site.yaml`` (``currencies``) and to the site's
billing basis: a monthly-billed price is multiplied by ``prices.monthly_to_annual`` when the site compares
annual-billing prices (and an annual one divided by it for a monthly basis); an observation whose billing is
unknown is compared as it is, and marked. The plan's comparison price is then chosen from the comparable
observations by ``prices.choose``:

* ``vendor-newest`` (default) — the newest observation from the vendor itself (a source kind marked
  ``vendor: true``), else the newest of any source;
* ``newest`` · ``lowest`` · ``highest`` · ``median``.

Observations *disagree* when their comparable prices differ by more than ``prices.tolerance`` (a share of
their mean); the pages mark the price and show every observation on the company page.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

CHOICES = ("vendor-newest", "newest", "lowest", "highest", "median")


@dataclass(frozen=True)
class PriceRules:
    currency: str
    rates: Mapping[str, float]  # 1 unit of the key currency = rate units of the site's currency
    billing: str = "annual"  # the basis prices are compared on: annual | monthly
    monthly_to_annual: float = 1.0  # factor from a monthly-billed price to its annual-billing equivalent
    choose: str = "vendor-newest"
    tolerance: float = 0.10


@dataclass(frozen=True)
class Comparable:
    """One observation, in the site's currency and billing basis."""

    observation: object  # the model's observation (for source, url, date, note)
    value: float | None  # None: quote without estimate, or a currency without a rate
    low: float | None
    high: float | None
    kind: str  # "price" | "from" | "range" | "quote" | "estimate"
    converted: bool  # another currency, converted
    billing_adjusted: bool  # monthly ↔ annual converted
    billing_unknown: bool
    problem: str = ""  # "no-rate" | "quote-only" when value is None


@dataclass(frozen=True)
class ChosenPrice:
    """A plan's comparison price, where it comes from, and how far the observations agree."""

    value: float | None
    low: float | None  # the range of the comparable observations (uncertainty)
    high: float | None
    chosen: Comparable | None
    observations: tuple[Comparable, ...]
    disagree: bool
    reason: str = ""  # why there is no value: "quote-only" | "no-rate" | "no-price" (no observation it may use)


def comparable(obs, rules: PriceRules, is_vendor: Callable[[object], bool] = lambda o: False) -> Comparable:
    """``obs``: an object with ``kind`` and ``amount``/``low``/``high``/``estimate``, ``currency``, ``billing``."""
    currency = obs.currency or rules.currency
    rate = 1.0 if currency == rules.currency else rules.rates.get(currency)
    factor = 1.0
    adjusted = False
    if obs.billing != "unknown" and obs.billing != rules.billing:
        factor = rules.monthly_to_annual if obs.billing == "monthly" else 1.0 / rules.monthly_to_annual
        adjusted = factor != 1.0
    kind = obs.kind
    if kind == "quote":
        if obs.estimate is None:
            return Comparable(obs, None, None, None, "quote", False, False, False, "quote-only")
        kind, low, high = "estimate", obs.estimate, obs.estimate
    elif kind == "range":
        low, high = obs.low, obs.high
    else:
        low = high = obs.amount
    if rate is None:
        return Comparable(obs, None, None, None, kind, True, adjusted, obs.billing == "unknown", "no-rate")
    low, high = low * rate * factor, high * rate * factor
    value = (low + high) / 2
    return Comparable(obs, value, low, high, kind, currency != rules.currency, adjusted, obs.billing == "unknown")


_PRECISION = {"year": 0, "month": 1, "day": 2}


def _newest(items: Sequence[Comparable]) -> Comparable:
    """The newest by first possible day; of two on the same day, the more precise date."""
    return max(items, key=lambda c: (c.observation.date_start, _PRECISION[c.observation.date_precision]))


def choose(observations: Sequence, rules: PriceRules, is_vendor: Callable[[object], bool]) -> ChosenPrice:
    """The comparison price of a plan from its observations (see the module docstring for the rules)."""
    all_items = tuple(comparable(o, rules) for o in observations)
    usable = [c for c in all_items if c.value is not None]
    if not usable:
        # no observation at all: every one is internal and this is the external audience — to its pages the plan
        # has no comparable price, as when there is no plan at this point
        reason = all_items[0].problem if all_items else "no-price"
        return ChosenPrice(None, None, None, None, all_items, False, reason)
    if rules.choose == "vendor-newest":
        vendor = [c for c in usable if is_vendor(c.observation)]
        chosen = _newest(vendor or usable)
    elif rules.choose == "newest":
        chosen = _newest(usable)
    elif rules.choose == "lowest":
        chosen = min(usable, key=lambda c: c.value)
    elif rules.choose == "highest":
        chosen = max(usable, key=lambda c: c.value)
    else:  # median: the middle observation (the lower middle of an even count), a real observation
        ordered = sorted(usable, key=lambda c: c.value)
        chosen = ordered[(len(ordered) - 1) // 2]
    low = min(c.low for c in usable)
    high = max(c.high for c in usable)
    values = [c.value for c in usable]
    mean = sum(values) / len(values)
    disagree = len(values) > 1 and (max(values) - min(values)) > rules.tolerance * abs(mean) + 1e-9
    return ChosenPrice(chosen.value, low, high, chosen, all_items, disagree)


def partial_date(text: str | int | _dt.date) -> tuple[_dt.date, str]:
    """A day, a month or a year → (its first day, precision "day" | "month" | "year"). Raises ValueError."""
    if isinstance(text, _dt.date):
        return text, "day"
    raw = str(text).strip()
    parts = raw.split("-")
    if len(parts) == 1 and len(parts[0]) == 4 and parts[0].isdigit():
        return _dt.date(int(parts[0]), 1, 1), "year"
    if len(parts) == 2 and len(parts[0]) == 4 and len(parts[1]) == 2 and raw.replace("-", "").isdigit():
        return _dt.date(int(parts[0]), int(parts[1]), 1), "month"
    if len(parts) == 3:
        return _dt.date.fromisoformat(raw), "day"
    raise ValueError(f"'{raw}' is not a date: write YYYY-MM-DD, YYYY-MM or YYYY")
