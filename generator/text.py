"""Markdown to safe HTML, and the number formats every page shares.

Markdown is rendered by Python-Markdown, then sanitised by nh3 (the Rust *ammonia* sanitiser) against the
allow-list below: raw HTML in content can format text but cannot run script, load anything, or link to
``javascript:``/``data:`` URLs. Every link gets ``rel="noopener noreferrer"``.
"""
from __future__ import annotations

import threading
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import markdown as _markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "del", "ins", "mark",
    "small", "sub", "sup", "blockquote", "q", "cite", "abbr", "code", "pre", "kbd", "ul", "ol", "li", "dl", "dt",
    "dd", "a", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "figure", "figcaption", "span",
})
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"align", "scope", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "ol": {"start"},
    "code": {"class"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})

_local = threading.local()


def _engine() -> _markdown.Markdown:
    engine = getattr(_local, "engine", None)
    if engine is None:
        engine = _markdown.Markdown(extensions=["tables", "sane_lists", "fenced_code", "smarty"],
                                    output_format="html")
        _local.engine = engine
    return engine


def _sanitise(html: str) -> str:
    return nh3.clean(html, tags=set(ALLOWED_TAGS), attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
                     url_schemes=set(URL_SCHEMES), link_rel="noopener noreferrer", strip_comments=True)


@lru_cache(maxsize=4096)
def markdown(text: str, shift_headings: int = 1) -> Markup:
    """Render Markdown to sanitised HTML. Headings move down ``shift_headings`` levels (h1 is the page's)."""
    if not text or not text.strip():
        return Markup("")
    engine = _engine()
    engine.reset()
    html = engine.convert(text)
    if shift_headings:
        for level in range(6 - shift_headings, 0, -1):
            html = html.replace(f"<h{level}>", f"<h{level + shift_headings}>").replace(
                f"<h{level} ", f"<h{level + shift_headings} ").replace(f"</h{level}>", f"</h{level + shift_headings}>")
    return Markup(_sanitise(html))


@lru_cache(maxsize=4096)
def inline_markdown(text: str) -> Markup:
    """Markdown for one line (a strength, a table cell): the outer <p> removed."""
    html = str(markdown(text, 0))
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


def safe_href(url: str | None) -> str | None:
    """An http(s) URL as given, anything else refused (validation already reports it)."""
    if url and url.lower().startswith(("https://", "http://")):
        return url
    return None


# --- numbers --------------------------------------------------------------------------------------------

CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "RUB": "₽", "INR": "₹", "CHF": "CHF "}


def money(value: float, currency: str, decimals: int | None = None) -> str:
    symbol = CURRENCY_SYMBOLS.get(currency)
    if decimals is None:
        decimals = 0 if abs(value - round(value)) < 0.005 and abs(value) >= 1 else 2
    sign = "−" if value < 0 else ""
    body = f"{abs(rounded(value, decimals)):,}"
    return f"{sign}{symbol}{body}" if symbol else f"{sign}{body} {currency}"


def signed_money(value: float, currency: str) -> str:
    return ("+" if value >= 0.005 else "") + money(value, currency, 2 if abs(value) < 10 else 0)


def rounded(value: float, decimals: int = 1) -> Decimal:
    """Round half away from zero, as a reader rounding by hand does (71.25 → 71.3, not Python's 71.2).

    ``repr`` gives the shortest decimal that round-trips, so 0.15 rounds as the 0.15 the author wrote."""
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def num(value: float, decimals: int = 1) -> str:
    return f"{rounded(value, decimals):,}".replace("-", "−")


def signed(value: float, decimals: int = 1) -> str:
    r = rounded(value, decimals)
    if r == 0:
        return f"{Decimal(0).quantize(Decimal(1).scaleb(-decimals))}"
    return ("+" if r > 0 else "−") + f"{abs(r):,}"


def percent(value: float | None, decimals: int = 0, sign: bool = True) -> str:
    if value is None:
        return "—"
    return (signed(value, decimals) if sign else num(value, decimals)) + "%"
