"""Model errors → diagnostics: each pydantic error becomes a message a strategy team can act on.

It names the file, line and column (from the loader's positions), the field path, what was expected and
what was found, with a did-you-mean for unknown keys (the valid keys are read off the model at that path).
"""
from __future__ import annotations

import datetime as _dt
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from .content_files import slugify
from .diagnostics import Diagnostics, did_you_mean, format_path, suggestion
from .yaml_reader import Document
from .model import SCORE_DETAIL_KEYS, UNION_TAGS, format_number, visible

_EXPECTED = {
    "float_type": "a number", "float_parsing": "a number", "int_type": "a whole number",
    "int_from_float": "a whole number", "string_type": "text", "bool_type": "true or false",
    "date_type": "a date (YYYY-MM-DD)", "list_type": "a list", "dict_type": "a mapping (key: value pairs)",
    "model_type": "a mapping (key: value pairs)", "model_attributes_type": "a mapping (key: value pairs)",
}
_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n"}
DATE_HINT = "dates are written YYYY-MM-DD, e.g. 2026-11-03"
BOUNDS_HINT = "the limits of every number are listed under 'Number bounds' in docs/security.md"


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {format_number(value)}"
    if isinstance(value, _dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, str):
        shown = visible(value, 37) if len(value) > 40 else visible(value)
        return f"the text '{shown}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _unwrap(annotation: Any, tag: str | None = None) -> Any:
    """Strip Annotated/Optional; pick the union member named by a discriminator tag."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
            members = typing.get_args(annotation)
            chosen = None
            for member in members:
                meta = getattr(member, "__metadata__", ())
                if tag and any(getattr(x, "tag", None) == tag for x in meta):
                    chosen = member
                    break
            if chosen is None:
                real = [x for x in members if x is not type(None)]
                chosen = next((x for x in real if _is_model(_unwrap(x)) or typing.get_origin(_unwrap(x))), real[0])
            annotation = chosen
            tag = None
            continue
        return annotation


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def allowed_keys(model: type[BaseModel], loc: tuple) -> list[str]:
    """The field names valid at ``loc`` (the location of an unknown key), for a did-you-mean."""
    annotation: Any = model
    pending_tag = None
    for part in loc[:-1]:
        if part in UNION_TAGS:
            pending_tag = part
            annotation = _unwrap(annotation, pending_tag)
            continue
        annotation = _unwrap(annotation, pending_tag)
        pending_tag = None
        if _is_model(annotation):
            info = annotation.model_fields.get(part)
            if info is None:
                return []
            annotation = info.annotation
        elif typing.get_origin(annotation) in (list, dict):
            annotation = typing.get_args(annotation)[-1]
        else:
            return []
    annotation = _unwrap(annotation, pending_tag)
    if _is_model(annotation):
        return list(annotation.model_fields)
    return []


def value_at(data, loc: tuple):
    """The raw value at field path ``loc`` (None when the path leads nowhere)."""
    try:
        for part in loc:
            data = data[part]
    except (KeyError, IndexError, TypeError):
        return None
    return data


def _mixed_score_hint(doc: Document, loc: tuple) -> str | None:
    """A score's mapping that holds a score ('value', 'evidence'…) and keys such as criterion ids: the score's
    key decided it is one score, so the other keys are unknown — said where the score's key is."""
    mapping = value_at(doc.data, loc[:-1])
    given = [k for k in SCORE_DETAIL_KEYS if isinstance(mapping, dict) and k in mapping]
    if not given or len(loc) < 2:
        return None
    line = doc.where(loc[:-1] + (given[0],), key=True)["line"]
    return (f"'{given[0]}' (line {line}) makes '{visible(str(loc[-2]))}' one score: to score each of its "
            f"criteria instead, remove {', '.join(repr(k) for k in given)}")


def _loc(prefix: tuple, err: dict) -> tuple:
    """An error's field path as diagnostics show it (union tags left out)."""
    return tuple(p for p in tuple(prefix) + tuple(err["loc"]) if p not in UNION_TAGS)


_BOUNDS = {"greater_than": ("more than", "gt"), "greater_than_equal": ("at least", "ge"),
           "less_than": ("less than", "lt"), "less_than_equal": ("at most", "le")}


def shape_errors(error: ValidationError, doc: Document, model: type[BaseModel], diagnostics: Diagnostics,
                 prefix: tuple = ()) -> None:
    """Translate pydantic errors into diagnostics with file, line, column and field path. A misspelled
    required key (``nme:``) is one mistake, said once: at the key written, which names the field it
    resembles and says that field is missing (not a second "missing" error at the mapping's first line)."""
    errors = error.errors(include_url=False)
    missing = {_loc(prefix, err) for err in errors if err["type"] == "missing"}
    meant: dict[tuple, int] = {}  # a missing field → the error of the misspelled key that stands for it
    for i, err in enumerate(errors):
        if err["type"] == "extra_forbidden" and missing:
            loc = _loc(prefix, err)
            close = did_you_mean(str(loc[-1]), allowed_keys(model, tuple(err["loc"]))) if loc else None
            if close is not None and loc[:-1] + (close,) in missing:
                meant.setdefault(loc[:-1] + (close,), i)
    for i, err in enumerate(errors):
        raw_loc = tuple(prefix) + tuple(err["loc"])
        loc = _loc(prefix, err)
        path = format_path(loc)
        kind = err["type"]
        value = err.get("input")
        hint = None
        if kind == "extra_forbidden":
            allowed = allowed_keys(model, tuple(err["loc"]))
            key = str(loc[-1]) if loc else ""
            hint = suggestion(key, allowed)
            close = did_you_mean(key, allowed)
            if "<detail>" in raw_loc and not close:
                hint = _mixed_score_hint(doc, loc) or hint
            message = f"unknown field '{visible(key)}'"
            if close is not None and meant.get(loc[:-1] + (close,)) == i:
                message += f", and the required field '{close}' is missing"
            diagnostics.error("unknown-key", message, path=path, hint=hint, **doc.where(loc, key=True))
            continue
        if kind == "missing":
            if loc not in meant:
                diagnostics.error("missing-field", f"missing required field '{loc[-1] if loc else ''}'",
                                  path=path, **doc.where(loc[:-1], key=True))
            continue
        if kind in ("number_too_large", "number_too_small"):
            diagnostics.error(kind.replace("_", "-"), err["msg"], path=path, hint=BOUNDS_HINT, **doc.where(loc))
            continue
        if kind == "float_type" and isinstance(value, int) and not isinstance(value, bool):
            # an integer too large to be a number at all (the YAML reader refuses more than 30 digits)
            diagnostics.error("number-too-large", f"{_describe(value)} is too large", path=path,
                              hint=BOUNDS_HINT, **doc.where(loc))
            continue
        if kind == "invalid_character":
            char_hint = ("names and titles are one line" if "line break" in err["msg"] else
                         "delete it (it often comes with pasted text): invisible and control characters can "
                         "disguise a name or reorder the text around it")
            diagnostics.error("invalid-character", err["msg"], path=path, hint=char_hint, **doc.where(loc))
            continue
        if kind == "date_not_real":
            diagnostics.error("invalid-date", err["msg"], path=path, hint=DATE_HINT, **doc.where(loc))
            continue
        if kind in _EXPECTED:
            expected = _EXPECTED[kind]
            value_text = None
            if kind == "bool_type" and isinstance(value, str) and value.lower() in _YAML11_BOOLS:
                hint = f"'{value}' is text in YAML 1.2; write true or false"
            elif kind == "string_type" and isinstance(value, (bool, int, float, _dt.date)):
                hint = "put the value in quotes if it is meant as text"
            elif kind in ("float_type", "int_type") and isinstance(value, str):
                hint = "write the number without quotes or units"
            elif kind in ("int_type", "int_from_float") and isinstance(value, float) and value.is_integer():
                value_text = f"the number {format_number(value)}.0"  # "got the number 20" read as a contradiction
                hint = f"write {format_number(value)}, without '.0'"
            elif kind == "date_type" and isinstance(value, str):
                hint = DATE_HINT
            diagnostics.error("wrong-type", f"expected {expected}, got {value_text or _describe(value)}", path=path,
                              hint=hint, **doc.where(loc))
            continue
        if kind == "finite_number":
            diagnostics.error("not-finite", f"expected a finite number, got {_describe(value)}", path=path,
                              **doc.where(loc))
            continue
        if kind == "literal_error":
            expected = err.get("ctx", {}).get("expected", "")
            diagnostics.error("invalid-choice", f"{_describe(value)} is not a valid choice", path=path,
                              hint=f"expected {expected}", **doc.where(loc))
            continue
        if kind == "string_pattern_mismatch":
            is_key = "[key]" in raw_loc  # a mapping's key: the path and the position are the key's
            if is_key:
                loc = tuple(p for p in loc if p != "[key]")
                path = format_path(loc)
            currency = path.endswith("currency") or path.startswith("currencies.rates.")
            if currency:
                msg = f"{_describe(value)} is not a currency code"
                upper = value.upper() if isinstance(value, str) else ""
                hint = (f"write '{upper}': currency codes are ISO 4217, three capital letters" if
                        len(upper) == 3 and upper.isascii() and upper.isalpha() else
                        "use the ISO 4217 code, e.g. EUR or USD")
            else:
                msg = f"{_describe(value)} is not a valid id"
                slug = slugify(value) if isinstance(value, str) else ""
                hint = ("ids are lower-case letters, digits and hyphens: " + (f"write '{slug}'" if slug else
                                                                               "e.g. 'personal-approach'"))
            diagnostics.error("invalid-value" if currency else "invalid-id", msg, path=path, hint=hint,
                              **doc.where(loc, key=is_key))
            continue
        if kind == "score_type":
            diagnostics.error("wrong-type", f"{err['msg']}, got {_describe(value)}", path=path, **doc.where(loc))
            continue
        if kind in ("too_short", "string_too_short"):
            least = (err.get("ctx") or {}).get("min_length", 1)
            msg = ("must not be empty" if kind == "string_too_short" else
                   "needs at least one item" if least <= 1 else f"needs {least} items, not {len(value)}")
            diagnostics.error("empty-value" if least <= 1 or kind == "string_too_short" else "wrong-length",
                              f"'{loc[-1] if loc else 'value'}' {msg}", path=path, **doc.where(loc))
            continue
        if kind == "too_long":
            most = (err.get("ctx") or {}).get("max_length")
            diagnostics.error("wrong-length", f"'{loc[-1] if loc else 'value'}' takes at most {most} items, "
                              f"not {len(value)}", path=path, **doc.where(loc))
            continue
        message = err["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, "):]
        elif kind in _BOUNDS:
            words, bound = _BOUNDS[kind]
            limit = (err.get("ctx") or {}).get(bound)
            message = (f"{_describe(value)} is out of range: it must be {words} {format_number(limit)}"
                       if isinstance(limit, (int, float)) else
                       f"{_describe(value)} is out of range: {message[0].lower()}{message[1:]}")
        diagnostics.error("invalid-value", message, path=path, **doc.where(loc))


