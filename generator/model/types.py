"""The building blocks of the content model: bounded numbers, names and text without control characters,
dates — each one type with its own validation and message, used by every model class."""
from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from decimal import Decimal as _Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

SLUG_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$"
# Keys that make a score mapping a single score rather than a mapping of criteria.
SCORE_DETAIL_KEYS = ("value", "evidence", "as_of", "note")
# The tags of the score unions: pydantic puts them in an error's location, where no content key can be one.
UNION_TAGS = frozenset({"<number>", "<detail>", "<criteria>", "<unknown>"})
UNKNOWN = "unknown"  # a score written as unknown: never filled in


def empty_list() -> list:
    """A field's default: a new empty list. Not ``default_factory=list``: pydantic asks each factory whether it
    takes the validated data, through ``inspect.signature``, which parses a built-in's text signature (110 µs for
    ``list``, 8 µs for a function) — each time a model is constructed (history snapshots), and at start-up."""
    return []


def empty_dict() -> dict:
    """A field's default: a new empty mapping (see :func:`empty_list`)."""
    return {}


def internal(description: str, **kwargs) -> Any:
    """A field that only the internal audience may see."""
    return Field(description=description, json_schema_extra={"internal": True}, **kwargs)


class _Model(BaseModel):
    # defer_build: a model's validator is built the first time it validates, not at import (start-up time);
    # nested models are then built once, inside the file-level model that uses them.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False, defer_build=True,
                              str_strip_whitespace=True)


Slug = Annotated[str, Field(pattern=SLUG_PATTERN, description="lower-case letters, digits and hyphens")]


# --- number bounds (docs/security.md, "Number bounds") --------------------------------------------------
# Chosen so that every number that passes validation scores without overflow (see generator/score.py):
# relative price 100·p/p̄ ≤ 100·1e9/0.01 = 1e13 per company; a weight is at most 1e6 times another, so no
# normalised weight underflows and no sum of weights overflows; scores and scale ends are 0 or 1e-6…1e6 in
# size, so a ratio s/s̄ or s̄/s stays below 1e12 (far below 1.8e308 even after squaring in the regression);
# slope ≤ 100 keeps sqrt(1 + slope²) and the line's prices small.

MIN_PRICE, MAX_PRICE = 0.01, 1e9
MIN_WEIGHT, MAX_WEIGHT = 1e-6, 1e6
MAX_WEIGHT_RATIO = 1e6  # largest ÷ smallest weight of one set of weights normalised together
MIN_SCORE, MAX_SCORE = 1e-6, 1e6  # size of a score, an evidence value or a scale end (0 is always allowed)
MAX_SLOPE = 100.0
MAX_FAIR_VALUE_BAND = 1000.0
MAX_SEATS = 1_000_000
# An exchange rate and the monthly-to-annual factor multiply and divide prices: 1e-318 (a subnormal) made a
# price infinite and the build stop with an internal error while check passed. A rate of 1e-9 is 10,000× below
# the smallest real one (1 VND ≈ 0.00004 EUR); a factor of 0.01 means annual billing costs 99 % less.
MIN_RATE, MAX_RATE = 1e-9, 1e9
MIN_BILLING_FACTOR, MAX_BILLING_FACTOR = 0.01, 10.0


def format_limit(value: float) -> str:
    """A bound as an author reads it: 1,000,000,000 · 0.01 · 0.000001."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return format(_Decimal(repr(float(value))), "f")


def format_number(value: Any) -> str:
    """A number an author wrote, short: 1.7e+308, 1e-320, 42."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        if abs(value) < 10**16:
            return str(value)
        return f"{value:.3g}" if value.bit_length() < 1000 else "a number with hundreds of digits"
    try:
        text = repr(float(value))  # the shortest form that reads back the same: 1e-320, 1.7e+308, 0.1
    except (TypeError, ValueError, OverflowError):
        return str(value)
    return text[:-2] if text.endswith(".0") else text


def _bounded(what: str, *, low: float, high: float, zero: bool = False, size: bool = False):
    """An AfterValidator: ``value`` (its size if ``size``) in [low, high]; 0 also allowed if ``zero``."""
    either = " either side of 0" if size else ""
    limits = {"what": what, "high": format_limit(high), "low": format_limit(low), "either": either,
              "zero": "0, or " if zero else ""}  # the message's parts, laid out once (not per value checked)

    def check(value):
        measure = abs(value) if size else value
        if measure > high:
            raise PydanticCustomError("number_too_large", "{shown} is too large for {what} (at most {high}{either})",
                                      {"shown": format_number(value), **limits})
        if zero and value == 0:
            return value
        if measure < low:
            raise PydanticCustomError("number_too_small",
                                      "{shown} is too small for {what} ({zero}at least {low}{either})",
                                      {"shown": format_number(value), **limits})
        return value

    return AfterValidator(check)


def _range_schema(low: float, high: float, zero: bool = False, size: bool = False) -> dict:
    if size:
        ranges = [{"minimum": low, "maximum": high}, {"minimum": -high, "maximum": -low}]
        return {"anyOf": [{"const": 0}, *ranges]} if zero else {"anyOf": ranges}
    if zero and low > 0:
        return {"minimum": 0, "maximum": high, "anyOf": [{"const": 0}, {"minimum": low}]}
    return {"minimum": low, "maximum": high}


Weight = Annotated[float, _bounded("a weight", low=MIN_WEIGHT, high=MAX_WEIGHT),
                   Field(json_schema_extra=_range_schema(MIN_WEIGHT, MAX_WEIGHT))]
SourceWeight = Annotated[float, _bounded("a source weight", low=MIN_WEIGHT, high=MAX_WEIGHT, zero=True),
                         Field(json_schema_extra=_range_schema(MIN_WEIGHT, MAX_WEIGHT, zero=True))]
Price = Annotated[float, _bounded("a price", low=MIN_PRICE, high=MAX_PRICE, zero=True),
                  Field(json_schema_extra=_range_schema(MIN_PRICE, MAX_PRICE, zero=True))]
ScoreNumber = Annotated[float, _bounded("a score", low=MIN_SCORE, high=MAX_SCORE, zero=True, size=True),
                        Field(json_schema_extra=_range_schema(MIN_SCORE, MAX_SCORE, zero=True, size=True))]
ScaleEnd = Annotated[float, _bounded("a scale end", low=MIN_SCORE, high=MAX_SCORE, zero=True, size=True),
                     Field(json_schema_extra=_range_schema(MIN_SCORE, MAX_SCORE, zero=True, size=True))]
Seats = Annotated[int, _bounded("a seat count", low=1, high=MAX_SEATS),
                  Field(json_schema_extra=_range_schema(1, MAX_SEATS))]
Slope = Annotated[float, Field(gt=0), _bounded("a slope", low=0, high=MAX_SLOPE),
                  Field(json_schema_extra={"exclusiveMinimum": 0, "maximum": MAX_SLOPE})]
Band = Annotated[float, _bounded("a fair-value band", low=0, high=MAX_FAIR_VALUE_BAND),
                 Field(json_schema_extra=_range_schema(0, MAX_FAIR_VALUE_BAND))]
Rate = Annotated[float, _bounded("an exchange rate", low=MIN_RATE, high=MAX_RATE),
                 Field(json_schema_extra=_range_schema(MIN_RATE, MAX_RATE))]
BillingFactor = Annotated[float, _bounded("a billing factor", low=MIN_BILLING_FACTOR, high=MAX_BILLING_FACTOR),
                          Field(json_schema_extra=_range_schema(MIN_BILLING_FACTOR, MAX_BILLING_FACTOR))]


# --- names and text: no control or invisible characters (docs/security.md) ------------------------------

_CONTROL_NAMES = {
    0x00: "NULL", 0x07: "BELL", 0x08: "BACKSPACE", 0x09: "CHARACTER TABULATION", 0x0A: "LINE FEED",
    0x0B: "LINE TABULATION", 0x0C: "FORM FEED", 0x0D: "CARRIAGE RETURN", 0x1B: "ESCAPE", 0x7F: "DELETE",
    0x85: "NEXT LINE",
}
# Bidirectional embeddings, overrides and isolates: they reorder the text shown around them.
BIDI_CONTROLS = frozenset([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def describe_character(char: str) -> str:
    """``U+202E (RIGHT-TO-LEFT OVERRIDE)``."""
    code = ord(char)
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(code) or (
        "a control character" if unicodedata.category(char) == "Cc" else "unnamed")
    return f"U+{code:04X} ({name})"


def visible(text: str, limit: int = 40) -> str:
    """``text`` safe to print on a terminal: control and invisible characters written as \\uXXXX escapes."""
    out = []
    for char in text[:limit]:
        code = ord(char)
        if unicodedata.category(char) not in ("Cc", "Cf", "Zl", "Zp", "Cs"):
            out.append(char)
        elif char in "\t\n\r":
            out.append({"\t": "\\t", "\n": "\\n", "\r": "\\r"}[char])
        else:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    return "".join(out) + ("..." if len(text) > limit else "")


_LINE_CHARS = str.maketrans("\t\n\r", "   ")  # allowed in text that may span lines


def _bad_character(text: str, *, one_line: bool) -> str | None:
    # At C speed first: what isprintable() accepts holds no control, format (bidi too) or separator character.
    if text.isprintable() or (not one_line and text.translate(_LINE_CHARS).isprintable()):
        return None
    for char in text:
        category = unicodedata.category(char)
        if one_line and category in ("Cc", "Cf", "Zl", "Zp"):
            return char
        if not one_line and ((category == "Cc" and char not in "\t\n\r") or ord(char) in BIDI_CONTROLS):
            return char
    return None


def _character_error(text: str, char: str) -> PydanticCustomError:
    category = unicodedata.category(char)
    if char in "\n\r\x0b\x0c\x85" or category in ("Zl", "Zp"):
        kind = "a line break"
    elif category == "Cc":
        kind = "the control character"
    else:
        kind = "the invisible character"
    return PydanticCustomError(
        "invalid_character", "'{shown}' contains {kind} {char}",
        {"shown": visible(text), "kind": kind, "char": describe_character(char), "code": ord(char)})


def _check_name(value: str) -> str:
    char = _bad_character(value, one_line=True)
    if char is not None:
        raise _character_error(value, char)
    if not value.strip():
        raise PydanticCustomError("string_too_short", "must not be empty")
    return value


def _check_text(value: str) -> str:
    char = _bad_character(value, one_line=False)
    if char is not None:
        raise _character_error(value, char)
    return value


# A name or label shown to readers: one line, no control or invisible (format) characters, not blank.
Name = Annotated[str, Field(min_length=1, json_schema_extra={"pattern": r"\S"}), AfterValidator(_check_name)]
# Any other text (Markdown too): line breaks and tabs allowed; other controls and bidi overrides are not.
Text = Annotated[str, AfterValidator(_check_text)]
Markdown = Annotated[str, Field(description="Markdown text"), AfterValidator(_check_text)]


# --- dates: written 2026-11-03, or "2026-11-03" in quotes (the JSON Schema's format: date allows both) ----

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date_from_text(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if _ISO_DATE.match(text):
            try:
                return _dt.date.fromisoformat(text)
            except ValueError:
                raise PydanticCustomError("date_not_real", "'{shown}' is not a real date", {"shown": visible(text)})
    return value  # anything else: the strict date check reports it


Date = Annotated[_dt.date, BeforeValidator(_date_from_text)]


_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _partial_date(value: Any) -> Any:
    """A day, a month or a year, kept as written (YYYY-MM-DD, YYYY-MM, YYYY): real data is often no finer."""
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return str(value)
    if isinstance(value, str) and _PARTIAL_DATE.match(value.strip()):
        text = value.strip()
        parts = [int(x) for x in text.split("-")]
        try:
            _dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
        except ValueError:
            raise PydanticCustomError("date_not_real", "'{shown}' is not a real date", {"shown": visible(text)})
        return text
    raise PydanticCustomError("partial_date", "expected a date: a day (YYYY-MM-DD), a month (YYYY-MM) or a year "
                              "(YYYY), got {shown}", {"shown": visible(str(value))})


# The schema's pattern: a month 01–12, a day 01–31 (a day past its month's end: check says so)
_PARTIAL_DATE_SCHEMA = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
PartialDate = Annotated[str, BeforeValidator(_partial_date),
                        Field(json_schema_extra={"pattern": _PARTIAL_DATE_SCHEMA})]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 currency code, e.g. EUR")]
