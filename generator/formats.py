"""Every number a reader sees — in a table, a chart label, a hover, a headline — is formatted here, once.

One rule for rounding: half away from zero on the decimal the author wrote (``repr`` of the float, so 0.15
rounds to 0.2 as a person rounding by hand expects, not to Python's 0.1). The rounded decimal is then laid
out by Babel in the site's locale (digits, group and decimal separators, currency symbol and its place), and
a negative sign is always the typographic minus (U+2212). Charts get these strings as labels and hover text,
never a d3 format of their own, so a value reads the same in a chart and in the table beside it; the axes'
own tick numbers take the locale's separators (:meth:`Formatter.separators`, plotly's ``layout.separators``).

Dates too are laid out by Babel in the site's language, short enough for a table cell (the CLDR skeleton
``yMMMd``: ``Nov 2, 2026``, ``2026年11月2日``, ``2 нояб. 2026 г.``, ``2. nov 2026``); a date written to the month
or the year only is shown so (``Jul 2026``, ``2026年7月``), never with an invented day. Every per-language difference lives here and in
the interface tables (generator/locales/): a view never formats a number, a date or a plural by hand.
"""
from __future__ import annotations

import copy
import datetime as _dt
import math
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from functools import lru_cache
from typing import Any, Iterable, Mapping

from babel import Locale
from babel.dates import format_skeleton
from babel.numbers import NumberPattern, get_currency_symbol, get_decimal_symbol, get_group_symbol

MINUS = "\u2212"
MEMO_SIZE = 20_000  # formatted numbers and dates a Formatter remembers (see Formatter._keep)
_WIDE = Context(prec=400)  # any finite float has at most 309 integer digits: quantize never overflows


def rounded(value: float, decimals: int = 1) -> Decimal:
    """Round half away from zero, as a reader rounding by hand does (71.25 → 71.3, not Python's 71.2)."""
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP,
                                                 context=_WIDE)


def decimals_of(values: Iterable[float], cap: int = 2) -> int:
    """The most decimals any of ``values`` was written with (at most ``cap``): 19 and 39.5 → 1."""
    most = 0
    for v in values:  # to 9 decimals first: a computed 250.00000000000003 was written as 250
        exponent = Decimal(repr(round(float(v), 9))).normalize().as_tuple().exponent
        most = max(most, -exponent if isinstance(exponent, int) and exponent < 0 else 0)
    return min(most, cap)


@lru_cache(maxsize=None)
def _locale(lang: str) -> Locale:
    return Locale.parse(lang.replace("-", "_"))


@lru_cache(maxsize=None)
def _pattern(lang: str, kind: str, decimals: int) -> NumberPattern:
    loc = _locale(lang)
    base = {"decimal": loc.decimal_formats[None], "currency": loc.currency_formats["standard"],
            "percent": loc.percent_formats[None]}[kind]
    pattern = copy.copy(base)
    pattern.frac_prec = (decimals, decimals)
    return pattern


# Values a fast layout is checked against before it is used (quantized to its decimals first): every length of
# integer part up to thirteen digits (the grouping), fractions that round up, down and to zero.
_PROBES = tuple(Decimal(v) for v in ("0", "0.4", "0.05", "1", "7.25", "12", "99.999", "123", "999.5", "1000",
                                     "1234.5", "12345", "123456.78", "1234567", "12345678.9", "123456789",
                                     "1234567890.12", "9999999999999"))


class _Layout:
    """One Babel number pattern laid out without Babel's general path: its prefix and suffix (currency symbol
    in place, quotes removed) computed once, the digits grouped by hand — ~2 µs against Babel's ~10 µs per
    number, and a 1,000-company build lays out ~21,000 numbers its memo has not seen.

    Only the plain shape is handled — no scientific or significant-digits pattern, no currency *name*, no
    quote in a symbol — and only once the layout gives Babel's exact text for every value of :data:`_PROBES`
    (:func:`_fast_layout`); any other pattern keeps Babel's path. The value is positive (the sign is added by
    :class:`Formatter`), already a Decimal."""

    __slots__ = ("prefix", "suffix", "quantum", "min_frac", "max_frac", "min_int", "first", "then", "group",
                 "point")

    def __init__(self, pattern: NumberPattern, loc: Locale, currency: str | None):
        def fixed(text: str) -> str:
            if currency is not None:
                text = text.replace("¤¤", currency.upper()).replace("¤", get_currency_symbol(currency, loc))
            return text

        self.prefix, self.suffix = fixed(pattern.prefix[0]), fixed(pattern.suffix[0])
        self.min_frac, self.max_frac = pattern.frac_prec
        self.quantum = Decimal(1).scaleb(-self.max_frac)
        self.min_int = pattern.int_prec[0]
        self.first, self.then = pattern.grouping
        self.group, self.point = get_group_symbol(loc), get_decimal_symbol(loc)

    def __call__(self, value: Decimal) -> str:
        whole, _, frac = f"{value.quantize(self.quantum, context=_WIDE):f}".partition(".")
        if len(whole) < self.min_int:
            whole = "0" * (self.min_int - len(whole)) + whole
        if len(whole) > self.first:
            parts = [whole[-self.first:]]
            whole = whole[:-self.first]
            while len(whole) > self.then:
                parts.append(whole[-self.then:])
                whole = whole[:-self.then]
            parts.append(whole)
            whole = self.group.join(reversed(parts))
        frac = frac or "0"
        if len(frac) < self.min_frac:
            frac += "0" * (self.min_frac - len(frac))
        if self.max_frac == 0 or (self.min_frac == 0 and int(frac) == 0):
            return self.prefix + whole + self.suffix
        while len(frac) > self.min_frac and frac[-1] == "0":
            frac = frac[:-1]
        return self.prefix + whole + self.point + frac + self.suffix


@lru_cache(maxsize=None)
def _fast_layout(lang: str, kind: str, decimals: int, currency: str | None) -> "_Layout | None":
    """The fast layout of a pattern, or None where Babel's own path is kept (see :class:`_Layout`)."""
    pattern, loc = _pattern(lang, kind, decimals), _locale(lang)
    shape = pattern.prefix[0] + pattern.suffix[0]
    if pattern.exp_prec or "@" in pattern.pattern or "¤¤¤" in shape or pattern.number_pattern == "" \
            or (kind == "percent") != (pattern.scale == 2) or (kind != "percent" and pattern.scale):
        return None
    layout = _Layout(pattern, loc, currency)
    if "'" in layout.prefix + layout.suffix + layout.group + layout.point or "¤" in layout.prefix + layout.suffix:
        return None
    with localcontext(_WIDE):
        try:
            for probe in _PROBES:
                value = probe.quantize(Decimal(1).scaleb(-decimals))
                shown = value / 100 if kind == "percent" else value
                if layout(value) != pattern.apply(shown, loc, currency=currency, currency_digits=False):
                    return None
        except ArithmeticError:  # hundreds of decimals: a probe needs more digits than _WIDE holds
            return None
    return layout


def band_decimals(value: float, band: float, decimals: int = 1, most: int = 4) -> int:
    """The decimals a customer value is shown with: ``decimals``, more when that many would put it on the
    fair-value band's edge while it lies outside (−5.02 beside "Worse value" with a band of ±5.0: at one decimal
    it reads −5.0, which a reader takes as fair). The same in weigh.js (bandDecimals)."""
    while decimals < most and abs(value) > band and abs(rounded(value, decimals)) <= band:
        decimals += 1
    return decimals


class Formatter:
    """Number formats of one site: its language, its currency and the precision its prices support."""

    def __init__(self, lang: str = "en", currency: str = "EUR", price_decimals: int = 0):
        self.lang, self.currency, self.price_decimals = lang, currency, price_decimals
        self._loc = _locale(lang)
        # Babel lays out ~25 µs per number and a site shows the same few hundred values again and again
        # (scores, indices, prices): each (kind, rounded value, decimals) is laid out once per formatter.
        self._memo: dict[object, str] = {}  # (kind, value, decimals) or a day → its text
        self._variants: dict[tuple[str, int], "Formatter"] = {}  # (currency, decimals) → formats (variant)

    def variant(self, currency: str, price_decimals: int) -> "Formatter":
        """The same language's formats for another currency or precision (an observation in its own currency),
        kept: a price observation table asks for them on every competitor page."""
        key = (currency, price_decimals)
        if currency == self.currency and price_decimals == self.price_decimals:
            return self
        kept = self._variants.get(key)
        if kept is None:
            kept = self._variants[key] = Formatter(self.lang, currency, price_decimals)
        return kept

    def _keep(self, key: object, text: str) -> str:
        # Bounded: every company brings numbers of its own, so an unbounded memo grew with each page a render
        # worker made (5,000 companies: ~100 MB per worker). Emptied when full, it keeps what repeats soon.
        if len(self._memo) >= MEMO_SIZE:
            self._memo.clear()
        self._memo[key] = text
        return text

    def _apply(self, kind: str, value: Decimal, decimals: int) -> str:
        key = (kind, value, decimals)
        text = self._memo.get(key)
        if text is None:
            text = self._keep(key, self._layout(kind, value, decimals))
        return text

    def _layout(self, kind: str, value: Decimal, decimals: int) -> str:
        fast = _fast_layout(self.lang, kind, decimals, self.currency if kind == "currency" else None)
        if fast is not None:
            text = fast(abs(value))
            return (MINUS + text) if value < 0 else text
        with localcontext(_WIDE):  # Babel quantizes in the current context: keep every finite float in range
            if kind == "percent":
                text = _pattern(self.lang, kind, decimals).apply(abs(value) / 100, self._loc)
            else:
                text = _pattern(self.lang, kind, decimals).apply(
                    abs(value), self._loc, currency=self.currency if kind == "currency" else None,
                    currency_digits=False)
        return (MINUS + text) if value < 0 else text

    def number(self, value: float | None, decimals: int = 1) -> str:
        """A score or an index: ``7.3``, ``137.9``; unknown → ``—``."""
        if value is None:
            return "—"
        key = ("number", value, decimals)  # the same float again: skip the rounding too
        text = self._memo.get(key)
        if text is None:
            text = self._keep(key, self._apply("decimal", rounded(value, decimals), decimals))
        return text

    def whole(self, value: int) -> str:
        """A rank or a count: ``4,002`` — grouped as the interface strings group theirs ("#4,002 of 5,000")."""
        return self.number(value, 0)

    def _remembered(self, key: tuple, make) -> str:
        """The text for ``key`` (the kind, the float and its options) laid out once: the same float is shown
        on many pages (a company's price on its page, its battlecard and every list), and rounding it through
        Decimal costs as much as looking the rounded value up."""
        text = self._memo.get(key)
        if text is None:
            text = self._keep(key, make())
        return text

    def signed(self, value: float | None, decimals: int = 1) -> str:
        """A difference: ``+3.2``, ``−0.9``, ``0.0`` (no sign on what rounds to zero)."""
        if value is None:
            return "—"
        return self._remembered(("signed", value, decimals), lambda: self._signed("decimal", value, decimals))

    def _signed(self, kind: str, value: float, decimals: int) -> str:
        r = rounded(value, decimals)
        body = self._apply(kind, abs(r), decimals)
        return body if r == 0 else ("+" if r > 0 else MINUS) + body

    def money(self, value: float | None, decimals: int | None = None) -> str:
        """A price at the precision the data supports: ``€72``, ``72 €``."""
        if value is None:
            return "—"
        d = self.price_decimals if decimals is None else decimals
        return self._remembered(("money", value, d), lambda: self._apply("currency", rounded(value, d), d))

    def signed_money(self, value: float | None) -> str:
        if value is None:
            return "—"
        d = self.price_decimals
        return self._remembered(("signed_money", value, d), lambda: self._signed("currency", value, d))

    def percent(self, value: float | None, decimals: int = 0, sign: bool = True) -> str:
        """``value`` in percent points (12.5 → ``+13%``)."""
        if value is None:
            return "—"
        return self._remembered(("percent", value, decimals, sign), lambda: self._percent(value, decimals, sign))

    def _percent(self, value: float, decimals: int, sign: bool) -> str:
        r = rounded(value, decimals)
        body = self._apply("percent", abs(r), decimals)
        if r == 0:
            return body
        if r < 0:
            return MINUS + body
        return ("+" + body) if sign else body

    def share(self, fraction: float) -> str:
        """A weight or a coverage, given as a fraction: 0.3 → ``30%``."""
        return self.percent(100.0 * fraction, 0, sign=False)

    def shares(self, fractions: Mapping[Any, float]) -> dict[Any, str]:
        """Parts of one whole (weights, normalised) as whole percents that add up to 100%, each written as
        :meth:`share` writes it: largest remainder — three thirds read 34%, 33%, 33% (not 33% three times),
        eight eighths 13% four times and 12% four times (not 13% eight times: 104%). Ties go to the first."""
        total = math.fsum(fractions.values())
        if total <= 0:
            return {k: self.share(v) for k, v in fractions.items()}
        # to 9 decimals: a near-tie broken by float noise would break differently here and in weigh.js
        exact = {k: round(100.0 * v / total, 9) for k, v in fractions.items()}
        whole = {k: math.floor(x) for k, x in exact.items()}
        order = sorted(enumerate(exact), key=lambda item: (round(whole[item[1]] - exact[item[1]], 9), item[0]))
        for _, k in order[:100 - sum(whole.values())]:
            whole[k] += 1
        return {k: self.percent(whole[k], 0, sign=False) for k in fractions}

    def ratio(self, value: float | None) -> str:
        """The value-for-money ratio RQ ÷ RP: ``1.05``; a free offer has none → ``—``."""
        return self.number(value, 2)

    def measure(self, value: float | None, unit: str | None, decimals: int | None = None) -> str:
        """A measured value with its unit: ``23 minutes``, ``99.9 %``. ``decimals``: the criterion's (as many
        as its values are written with, :func:`generator.views.common.unit_decimals`), so that one criterion's
        values read alike; without it, as many as ``value`` has (at most 2)."""
        if value is None:
            return "—"
        if decimals is None:
            decimals = decimals_of([value], cap=2)
        return self.number(value, decimals) + (f" {unit}" if unit else "")

    def difference(self, a: float | None, b: float | None, decimals: int = 1) -> str:
        """``a − b`` as a reader works it out from the two numbers shown beside it (each rounded to
        ``decimals``): 8.45 and 4.55 read 8.5 and 4.5, so their difference reads +4.0, not +3.9."""
        if a is None or b is None:
            return "—"
        return self.signed(float(rounded(a, decimals) - rounded(b, decimals)), decimals)

    def date(self, day: _dt.date | None) -> str:
        """A day in the site's language: ``Nov 2, 2026`` · ``2026年11月2日`` · ``2 нояб. 2026 г.``."""
        if not day:
            return ""
        text = self._memo.get(day)
        if text is None:
            text = self._keep(day, format_skeleton("yMMMd", day, locale=self._loc))
        return text

    def partial_date(self, text: str | _dt.date | None) -> str:
        """A date as written in content, to the day, the month or the year: ``2026-07`` → ``Jul 2026``."""
        if not text:
            return ""
        if isinstance(text, _dt.date):
            return self.date(text)
        parts = str(text).split("-")
        try:
            if len(parts) == 3:
                return self.date(_dt.date(int(parts[0]), int(parts[1]), int(parts[2])))
            if len(parts) == 2:
                return format_skeleton("yMMM", _dt.date(int(parts[0]), int(parts[1]), 1), locale=self._loc)
        except ValueError:
            pass
        return str(text)

    def separators(self) -> str:
        """plotly.js's ``layout.separators`` for this language: its decimal, then its group separator."""
        return get_decimal_symbol(self._loc) + get_group_symbol(self._loc)
