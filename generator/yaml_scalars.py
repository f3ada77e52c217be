"""How a plain YAML scalar reads — the YAML 1.2 core schema, with the YAML 1.1 traps refused rather than
guessed: ``yes``/``no``/``on``/``off`` stay text, ``1e3`` is a number, ``2026-10-01`` is a date, ``012`` is
an error (YAML 1.1 tools read it as octal 10), and numbers too large or too small to be content are refused
with their position. Both readers (:mod:`generator.yaml_reader`'s one pass and
:mod:`generator.yaml_reference`) resolve scalars here.
"""
from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass
from typing import Any

MAX_INT_DIGITS = 30  # no price, weight, score or count needs more; Python refuses int() of > 4,300 digits


@dataclass(frozen=True, slots=True)
class Mark:
    line: int  # 1-based
    column: int  # 1-based


class YamlProblem(Exception):
    def __init__(self, code: str, message: str, line: int = 1, column: int = 1, hint: str | None = None):
        super().__init__(message)
        self.code, self.message, self.line, self.column, self.hint = code, message, line, column, hint


_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_OCTAL_11 = re.compile(r"^[-+]?0[0-9_]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F_]+$")
_OCT = re.compile(r"^0o[0-7_]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NULLS = {"", "~", "null", "Null", "NULL"}
TRUE = {"true", "True", "TRUE"}
FALSE = {"false", "False", "FALSE"}
_SPECIAL_FLOATS = {
    ".inf": math.inf, "+.inf": math.inf, "-.inf": -math.inf,
    ".Inf": math.inf, "+.Inf": math.inf, "-.Inf": -math.inf,
    ".INF": math.inf, "+.INF": math.inf, "-.INF": -math.inf,
    ".nan": math.nan, ".NaN": math.nan, ".NAN": math.nan,
}
def _short(text: str) -> str:
    return text if len(text) <= 24 else f"{text[:10]}...{text[-4:]}"


def _too_large(text: str, mark: Mark, digits: int | None = None) -> YamlProblem:
    size = f" ({digits:,} digits)" if digits else ""
    return YamlProblem("number-too-large", f"number too large: '{_short(text)}'{size} is beyond what content "
                       f"may hold (at most {MAX_INT_DIGITS} digits, or about 1.8e308 written with an exponent)",
                       mark.line, mark.column,
                       hint="check for a pasting mistake; the limits of every field are listed under "
                       "'Number bounds' in docs/security.md")


def _integer(text: str, base: int, mark: Mark) -> int:
    """``text`` (digits only, maybe signed) as an int, refused past MAX_INT_DIGITS before Python converts it."""
    digits = text.lstrip("+-").lstrip("0") or "0"
    if base == 10 and len(digits) > MAX_INT_DIGITS:
        raise _too_large(text, mark, len(digits))
    if base != 10 and len(digits) > 4 * MAX_INT_DIGITS:  # hex/octal: bounded by value below
        raise _too_large(text, mark)
    value = int(("-" if text.startswith("-") else "") + digits, base)
    if abs(value) >= 10**MAX_INT_DIGITS:
        raise _too_large(text, mark)
    return value


# Every number and special float below starts with one of these, every date with a digit (``\d``: any
# script's); other plain scalars are text at once.
NUMBER_START = frozenset("0123456789+-.")


def plain_scalar(text: str, mark: Mark) -> Any:
    if text in NULLS:
        return None
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    if text[0] not in NUMBER_START and not text[0].isdigit():
        return text
    if len(text) == 10 and _DATE.match(text):  # early: the usual date matches none of the number patterns
        return _date(text, mark)
    if "_" in text:  # YAML 1.2 numbers have no digit separators: text — refused where YAML 1.1 reads a number
        _underscored(text, mark)
        return text
    if _INT.match(text):
        return _integer(text.replace("_", ""), 10, mark)
    if _OCTAL_11.match(text):
        digits = text.replace("_", "")
        decimal = _integer(digits, 10, mark)
        octal = f"the octal number {int(digits.lstrip('+-'), 8)}" if set(digits.lstrip("+-")) <= set("01234567") \
            else "an invalid octal number"
        raise YamlProblem("yaml-ambiguous-number",
                          f"'{_short(text)}' is ambiguous: YAML 1.1 tools read it as {octal}, YAML 1.2 as {decimal}",
                          mark.line, mark.column,
                          hint=f"write {decimal} without the leading zero, or quote it (\"{_short(text)}\") if it is text")
    if _HEX.match(text):
        return _integer(text[2:].replace("_", ""), 16, mark)
    if _OCT.match(text):
        return _integer(text[2:].replace("_", ""), 8, mark)
    if _FLOAT.match(text):
        value = float(text.replace("_", ""))
        if math.isinf(value):
            raise _too_large(text, mark)
        if value == 0 and any(c in "123456789" for c in text.lower().split("e")[0]):
            raise YamlProblem("number-too-small", f"number too small: '{_short(text)}' is too close to 0 to be "
                              "stored (it would be read as 0)", mark.line, mark.column,
                              hint="write 0 if you mean zero; the limits of every field are listed under "
                              "'Number bounds' in docs/security.md")
        return value
    if text in _SPECIAL_FLOATS:
        return _SPECIAL_FLOATS[text]
    if _DATE.match(text):
        return _date(text, mark)
    return text


def _underscored(text: str, mark: Mark) -> None:
    """Refuse ``text`` if YAML 1.1 reads it as a number with digit separators (``1_000``, ``0_6``, ``0x1_F``)
    — YAML 1.2, which editors and the JSON Schema follow, reads it as text; either guess loses someone's
    meaning. Other text with an underscore (``0_8``: text in both) is text."""
    number = None
    if _OCTAL_11.match(text):
        digits = text.replace("_", "").lstrip("+-")
        if set(digits) <= set("01234567"):
            number = _integer(("-" if text.startswith("-") else "") + digits, 8, mark)
    elif _INT.match(text):
        number = _integer(text.replace("_", ""), 10, mark)
    elif _HEX.match(text):
        number = _integer(text[2:].replace("_", ""), 16, mark)
    elif _OCT.match(text):
        number = _integer(text[2:].replace("_", ""), 8, mark)
    elif _FLOAT.match(text) and any(c.isdigit() for c in text):
        number = float(text.replace("_", ""))
    if number is None or isinstance(number, float) and math.isinf(number):
        return
    written = format(number, "g") if isinstance(number, float) else str(number)
    raise YamlProblem("yaml-ambiguous-number",
                      f"'{_short(text)}' is ambiguous: YAML 1.1 tools read it as the number {written}, YAML 1.2 "
                      "(and editors) as text", mark.line, mark.column,
                      hint=f"write {written} without underscores if it is a number, or quote it "
                      f"(\"{_short(text)}\") if it is text")


def _date(text: str, mark: Mark) -> _dt.date:
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise YamlProblem("yaml-bad-date", f"'{text}' looks like a date but is not a real one",
                          mark.line, mark.column, hint="dates are written YYYY-MM-DD")
