"""The generic JSON Schemas (draft-07) of valuemap's content files, straight from the content model
(:mod:`generator.model`): pydantic's output turned into draft-07, and what the model says in validators rather
than in types written as JSON Schema. :mod:`generator.schema` adds each site's own vocabulary to them."""
from __future__ import annotations

from typing import Any

from .model import MODELS, SCORE_DETAIL_KEYS

DRAFT = "http://json-schema.org/draft-07/schema#"


# --- generic schemas ------------------------------------------------------------------------------------

_ANNOTATIONS = {"description", "title", "default", "examples", "internal", "markdownDescription"}


def _draft07(node: Any) -> Any:
    """pydantic's 2020-12 output → draft-07: ``$defs`` → ``definitions``, and a ``$ref`` never beside a
    validating keyword (draft-07 ignores the siblings of ``$ref``): those are moved into an ``allOf``."""
    if isinstance(node, list):
        return [_draft07(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "$defs":
            out["definitions"] = {name: _draft07(sub) for name, sub in value.items()}
        elif key == "$ref" and isinstance(value, str):
            out[key] = value.replace("#/$defs/", "#/definitions/")
        elif key in ("properties", "definitions"):
            out[key] = {name: _draft07(sub) for name, sub in value.items()}
        else:
            out[key] = _draft07(value)
    if "$ref" in out and set(out) - _ANNOTATIONS - {"$ref"}:
        ref = out.pop("$ref")
        out["allOf"] = [{"$ref": ref}, *out.get("allOf", [])]
    return out


def _score_number(schema: dict) -> dict:
    """The number branch of a score: the model's bounds."""
    return next(b for b in schema["properties"]["scores"]["additionalProperties"]["oneOf"]
                if b.get("type") == "number")


def _fix_generic(kind: str, schema: dict) -> dict:
    """What the model says in validators rather than in types, written as JSON Schema."""
    defs = schema.get("definitions", {})
    if "ScoreDetail" in defs:  # a score needs a value or at least one evidence item
        defs["ScoreDetail"]["anyOf"] = [
            {"required": ["value"], "properties": {"value": {"type": "number"}}},
            {"required": ["evidence"], "properties": {"evidence": {"minItems": 1}}},
        ]
    if kind == "company":  # a mapping with a score key is one score, never a mapping of criteria
        criteria = next(b for b in schema["properties"]["scores"]["additionalProperties"]["oneOf"]
                        if b.get("type") == "object")
        criteria["propertyNames"] = {"not": {"enum": list(SCORE_DETAIL_KEYS)}}
    web = "^[Hh][Tt][Tt][Pp][Ss]?://"  # a link must be a web address (company_checks.py: _check_url)
    for holder in (schema, *defs.values()):
        for name in ("website", "url"):
            prop = holder.get("properties", {}).get(name)
            if prop:  # Company.website, Evidence.url
                for branch in prop.get("anyOf", [prop]):
                    if branch.get("type") == "string":
                        branch["pattern"] = web
    if "PricePoint" in defs:  # a plan has a price or observations, not both, not neither
        defs["PricePoint"]["oneOf"] = [_only("price", ("observations",)), _only("observations", ("price",))]
    if "PriceObservation" in defs:  # an observation is exactly one of these
        kinds = ("price", "from", "range", "quote")
        defs["PriceObservation"]["oneOf"] = [_only(k, tuple(o for o in kinds if o != k)) for k in kinds]
    if kind == "site":
        from .locales import available_languages

        props = schema["properties"]
        props["lang"]["enum"] = available_languages()
        props["languages"]["items"]["enum"] = available_languages()
        props["languages"]["uniqueItems"] = True
        for branch in props["base_url"].get("anyOf", [props["base_url"]]):
            if branch.get("type") == "string":
                branch["pattern"] = "^(/|https?://)"  # as the model reads it (lower case)
        props["keep"]["items"]["pattern"] = r"^(?!\.{1,2}$)(?!\.valuemap-)[^/\\\x00-\x1f]+$"
        rates = defs["Currencies"]["properties"]["rates"]
        rates["propertyNames"] = dict(rates.get("propertyNames", {}), pattern="^[A-Z]{3}$")
        rates["additionalProperties"] = False
    from .languages import translatable_schema  # label: {en: …, ja: …} as well as plain text

    return translatable_schema(kind, schema)


def _given(key: str) -> dict:
    """``key`` holds something, as the model reads it: not null; a list not empty; ``quote`` true."""
    value = {"observations": {"type": "array", "minItems": 1}, "quote": {"const": True}}.get(
        key, {"not": {"type": "null"}})
    return {"required": [key], "properties": {key: value}}


def _only(key: str, others: tuple[str, ...]) -> dict:
    """``key`` is given and none of ``others`` (:func:`_given`)."""
    return {**_given(key), "not": {"anyOf": [_given(o) for o in others]}}


def json_schemas() -> dict[str, dict]:
    """kind → generic JSON Schema (draft-07) of that kind of content file."""
    out = {}
    for kind, model in MODELS.items():
        schema = _draft07(model.model_json_schema(mode="validation"))
        schema = {"$schema": DRAFT, "$id": f"valuemap:{kind}", **_fix_generic(kind, schema)}
        out[kind] = schema
    return out
