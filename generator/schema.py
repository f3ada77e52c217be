"""JSON Schemas for editors, generated from the content model (``valuemap schema``).

Two flavours, both JSON Schema **draft-07** (the draft the YAML language server — VS Code's YAML extension,
Neovim's yamlls, JetBrains — validates with; it warns that 2020-12 "is not yet fully supported"):

* :func:`json_schemas` — generic: the shape of each kind of file, straight from :mod:`generator.model`
  (:mod:`generator.schema_model`);
* :func:`site_schemas` — per site: the same, plus the site's own vocabulary read from ``site.yaml`` — dimension
  ids (with ``additionalProperties: false``, so ``scores: {usabilty: …}`` is flagged as you type), the criterion
  ids of each dimension, segment ids, source kind ids, the site's scale, the tiers of its price references (as
  suggestions) and the company slugs (``us``, ``evaluating``).

``valuemap schema`` writes the per-site schemas into ``content/.schema/`` (:data:`SCHEMA_DIR`; the loader skips
dot-folders), and every content file points at its schema on its first line (:func:`modeline`)::

    # yaml-language-server: $schema=../.schema/company.schema.json

Pages cannot: their YAML is front matter inside a Markdown file, which the YAML language server does not read.

What a JSON Schema cannot say, ``valuemap check`` still does: references across files (every company needs a
plan at each reference tier and seat count), duplicate keys and YAML 1.1 pitfalls (the schema sees parsed
data), duplicate ids, uneven weights, dates in the future. ``tests/unit/test_schema.py`` lists them.
"""
from __future__ import annotations

import copy
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from .schema_model import _score_number, json_schemas

SCHEMA_DIR = ".schema"  # inside the content folder, so every file reaches it by a relative path
KINDS = ("site", "company", "prospect", "page")
# Where each kind of file lives, relative to the content folder (pages are Markdown: no modeline).
FOLDERS = {"site": "", "company": "companies", "prospect": "prospects"}


def file_name(kind: str) -> str:
    return f"{kind}.schema.json"


def modeline(kind: str) -> str:
    """The first line that points a file of ``kind`` at its schema, relative to the file."""
    up = "../" if FOLDERS[kind] else ""
    return f"# yaml-language-server: $schema={up}{SCHEMA_DIR}/{file_name(kind)}"


# --- the site's vocabulary ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Vocabulary:
    """The ids one site defines, in the order site.yaml gives them (first definition of a duplicate wins)."""

    dimensions: dict[str, dict]  # id → {"label", "description", "criteria": {id: {"label", "description"}}}
    segments: dict[str, dict]  # id → {"label", "description"}
    source_kinds: dict[str, dict]
    tiers: tuple[str, ...]  # the tiers of the price references (site's first, then the segments')
    one_price: bool  # no price_reference: each company lists exactly one price
    scale: tuple[float, float]
    companies: tuple[str, ...] = ()  # slugs of content/companies/*.yaml
    us: str | None = None
    allow_missing: bool = False  # verification.allow_missing: a company may leave a score out
    problems: list[str] = field(default_factory=list, compare=False)


def _brief(item) -> dict:
    return {"label": item.label, "description": " ".join(item.description.split())}


def _kind(dim, crit) -> str:
    """What a score is measured on (company_checks.py: ``_kind_of``): the scale, a measured unit, or a relative index."""
    if dim.input == "relative":
        return "Relative"
    if crit is not None and crit.unit is not None:
        return "Measured"
    return "Scale"


def vocabulary(site, companies: tuple[str, ...] = ()) -> Vocabulary:
    """The vocabulary of a validated :class:`generator.model.Site`."""
    dims: dict[str, dict] = {}
    for d in site.dimensions:
        if d.id not in dims:
            crits: dict[str, dict] = {}
            for c in d.criteria:
                crits.setdefault(c.id, {**_brief(c), "kind": _kind(d, c)})
            dims[d.id] = {**_brief(d), "criteria": crits, "kind": _kind(d, None),
                          "measured": any(c.unit is not None for c in d.criteria)}
    segments: dict[str, dict] = {}
    for s in site.segments:
        segments.setdefault(s.id, _brief(s))
    kinds: dict[str, dict] = {}
    for k in site.source_kinds:
        kinds.setdefault(k.id, _brief(k))
    refs = [site.price_reference] + [s.price_reference for s in site.segments]
    tiers = tuple(dict.fromkeys(r.tier for r in refs if r is not None))
    return Vocabulary(dims, segments, kinds, tiers, site.price_reference is None,
                      (site.scale.min, site.scale.max), tuple(companies), site.us,
                      site.verification.allow_missing)


def read_vocabulary(content_dir: Path) -> tuple[Vocabulary | None, str | None]:
    """Load and validate ``site.yaml`` alone (and list the company files); ``(None, why)`` if it is broken."""
    from . import model as m
    from .diagnostics import Diagnostics
    from .content_files import collect
    from .load import load_yaml_file
    from .site_checks import check_site
    from .validate import _validate_doc, today

    content_dir = Path(content_dir)
    site_path = content_dir / "site.yaml"
    if not content_dir.is_dir():
        return None, f"there is no content folder '{content_dir}'"
    if not site_path.is_file():
        return None, f"there is no {site_path}"
    diagnostics = Diagnostics()
    doc = load_yaml_file(site_path, str(site_path), diagnostics)
    if doc is not None:  # translated fields (label: {en: …, ja: …}) → the site's lang text
        from .languages import plain_document

        doc = plain_document(doc, "site", diagnostics)
    site = _validate_doc(doc, m.Site, diagnostics) if doc is not None else None
    if site is not None:
        check_site(site, doc, diagnostics, today())
    errors = diagnostics.errors
    if site is None or errors:
        count = len(errors)
        return None, (f"{site_path} has {count} error{'s' if count != 1 else ''} "
                      f"(run 'valuemap check' to see {'them' if count != 1 else 'it'})")
    found = collect(content_dir / "companies", (".yaml", ".yml"), content_dir, Path.cwd(), Diagnostics())
    return vocabulary(site, tuple(sorted(slug for slug, _, _ in found))), None


# --- per-site schemas -----------------------------------------------------------------------------------

def _described(label: str, description: str) -> str:
    return f"{label}: {description}" if description else label


def _ids(ids, base: dict, what: str) -> dict:
    """``base`` (a string schema) restricted to ``ids``; none defined → nothing is valid, and the description
    says why."""
    out = {k: v for k, v in base.items() if k not in ("pattern", "anyOf", "type")}
    out["type"] = "string"
    ids = list(ids)
    if ids:
        out["enum"] = ids
    else:
        out["not"] = {}
        out["description"] = f"{base.get('description', '')} (site.yaml defines no {what})".strip()
    return out


def _keyed(ids: dict[str, dict], value: dict, base: dict) -> dict:
    """A mapping whose keys are exactly some of ``ids`` (each documented by its label), values ``value``."""
    props = {}
    for key, info in ids.items():
        props[key] = {"description": _described(info["label"], info.get("description", "")), **value}
    out = {k: v for k, v in base.items() if k not in ("additionalProperties", "propertyNames")}
    out.update({"type": "object", "properties": props, "additionalProperties": False})
    return out


MAX_RELATIVE = 1000.0  # company_checks.py: a relative index is above 0 and at most this


def _score_defs(schema: dict, vocab: Vocabulary) -> None:
    """``Score``/``ScoreDetail``/``Evidence`` for points on the scale, and ``Measured…``/``Relative…`` for
    measured criteria and relative dimensions: what each number is checked against."""
    defs = schema["definitions"]
    low, high = vocab.scale
    base_number = _score_number(schema)
    numbers = {
        "Scale": ({"minimum": low, "maximum": high}, f"A score on the site's scale, {low:g} to {high:g}."),
        "Measured": ({"minimum": 0}, "A measurement in the criterion's unit (0 or above), not a point on the scale."),
        "Relative": ({"exclusiveMinimum": 0, "maximum": MAX_RELATIVE},
                     f"An index relative to the market (100 = the market average), above 0 and at most "
                     f"{MAX_RELATIVE:g}; not a point on the scale."),
    }
    evidence, detail = defs.pop("Evidence"), defs.pop("ScoreDetail")
    for kind, (bounds, description) in numbers.items():
        prefix = "" if kind == "Scale" else kind
        number = copy.deepcopy(base_number)
        number.update(bounds)
        number["description"] = description
        defs[f"{prefix}Score"] = number
        ev = copy.deepcopy(evidence)
        ev["properties"]["value"] = {"description": ev["properties"]["value"]["description"],
                                     "allOf": [{"$ref": f"#/definitions/{prefix}Score"}]}
        defs[f"{prefix}Evidence"] = ev
        de = copy.deepcopy(detail)
        de["properties"]["value"]["anyOf"] = [{"$ref": f"#/definitions/{prefix}Score"}, {"type": "null"}]
        de["properties"]["evidence"]["items"] = {"$ref": f"#/definitions/{prefix}Evidence"}
        defs[f"{prefix}ScoreDetail"] = de


UNKNOWN_SCORE = {"const": "unknown", "description": "Not known: shown as unknown, never filled in."}


def _score(kind: str) -> dict:
    prefix = "" if kind == "Scale" else kind
    return {"anyOf": [{"$ref": f"#/definitions/{prefix}Score"}, {"$ref": f"#/definitions/{prefix}ScoreDetail"},
                      UNKNOWN_SCORE]}


def _company(schema: dict, vocab: Vocabulary) -> dict:
    defs = schema["definitions"]
    evidence = defs["Evidence"]["properties"]
    evidence["source"] = _ids(vocab.source_kinds, evidence["source"], "source kinds")
    if vocab.source_kinds:
        evidence["source"]["description"] += " One of: " + ", ".join(
            f"{k} ({v['label']})" for k, v in vocab.source_kinds.items()) + "."
    observation = defs["PriceObservation"]["properties"]
    given = next(b for b in observation["source"]["anyOf"] if b.get("type") == "string")
    observation["source"] = dict({k: v for k, v in observation["source"].items() if k != "anyOf"},
                                 anyOf=[_ids(vocab.source_kinds, given, "source kinds"), {"type": "null"}])
    _score_defs(schema, vocab)
    if vocab.tiers:
        tier = defs["PricePoint"]["properties"]["tier"]
        tier["examples"] = list(vocab.tiers)
        tier["description"] += " The site compares prices at: " + ", ".join(vocab.tiers) + "."
    if vocab.one_price:
        prices = schema["properties"]["prices"]
        prices["maxItems"] = 1
        prices["description"] += " site.yaml sets no price_reference: exactly one price."
    props = {}
    for dim_id, dim in vocab.dimensions.items():
        branches = [UNKNOWN_SCORE] if dim["measured"] else list(_score(dim["kind"])["anyOf"])
        if dim["criteria"]:
            criteria = {}
            for crit_id, crit in dim["criteria"].items():
                criteria[crit_id] = {"description": _described(crit["label"], crit["description"]),
                                     **_score(crit["kind"])}
            branches.append({"description": f"One score per criterion of '{dim_id}'.", "type": "object",
                             "properties": criteria, "additionalProperties": False,
                             **({} if vocab.allow_missing else {"required": list(criteria)})})
        props[dim_id] = {"description": _described(dim["label"], dim["description"]), "anyOf": branches}
    scores = schema["properties"]["scores"]
    schema["properties"]["scores"] = {
        "description": scores["description"], "title": scores.get("title", "Scores"), "type": "object",
        "properties": props, "additionalProperties": False,
        **({} if vocab.allow_missing else {"required": list(props)})}
    return schema


def _weights(base: dict, vocab: Vocabulary) -> dict:
    return _keyed(vocab.dimensions, base["additionalProperties"], base)


def _prospect(schema: dict, vocab: Vocabulary) -> dict:
    props = schema["properties"]
    props["segment"] = _ids(vocab.segments, props["segment"], "segments")
    props["weights"] = _weights(props["weights"], vocab)
    competitors = [slug for slug in vocab.companies if slug != vocab.us]
    evaluating = props["evaluating"]
    if competitors:
        evaluating["items"] = _ids(competitors, {"description": "A competitor: the slug of its file in "
                                                  "companies/ (not our own)."}, "competitors")
    else:
        evaluating["maxItems"] = 0
    return schema


def _site(schema: dict, vocab: Vocabulary) -> dict:
    props = schema["properties"]
    if vocab.companies:
        props["us"] = _ids(vocab.companies, props["us"], "companies")
    segment = schema["definitions"]["Segment"]["properties"]
    segment["weights"] = _weights(segment["weights"], vocab)
    competitors = [slug for slug in vocab.companies if slug != vocab.us]
    history = schema["definitions"]["HistorySettings"]["properties"]
    if competitors:
        given = next(b for b in history["rival"]["anyOf"] if b.get("type") == "string")
        history["rival"] = dict({k: v for k, v in history["rival"].items() if k != "anyOf"},
                                anyOf=[_ids(competitors, given, "competitors"), {"type": "null"}])
    return schema


def site_schemas(vocab: Vocabulary | None) -> dict[str, dict]:
    """kind → JSON Schema that knows the site's ids; the generic schemas if ``vocab`` is None."""
    schemas = json_schemas()
    if vocab is None:
        return schemas
    schemas["company"] = _company(schemas["company"], vocab)
    schemas["prospect"] = _prospect(schemas["prospect"], vocab)
    schemas["site"] = _site(schemas["site"], vocab)
    for kind, schema in schemas.items():
        schema["$id"] = f"valuemap:{kind}"
        schema["$comment"] = ("Generated by `valuemap schema` from site.yaml and the company files; "
                              "run it again after changing ids there. Do not edit.")
    return schemas


def render(schema: dict) -> str:
    """A schema as the file holds it: deterministic, UTF-8, one trailing newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def schema_files(content_dir: Path) -> tuple[dict[str, str], str | None]:
    """file name → text of every schema for the site in ``content_dir``, and why it is generic (or None)."""
    vocab, why = read_vocabulary(content_dir)
    return {file_name(kind): render(schema) for kind, schema in site_schemas(vocab).items()}, why


def own_folder(content_dir: Path) -> Path:
    """``content/.schema``: the one place inside the content folder valuemap writes."""
    return Path(content_dir) / SCHEMA_DIR


def is_own_folder(out: Path, content_dir: Path) -> bool:
    """Does ``out`` name the content folder's own ``.schema/``? Its parent is compared on the real path, its
    name as written: a ``.schema`` that is a link is still the own folder (and then refused, not followed)."""
    out = Path(os.path.normpath(os.path.abspath(out)))
    return Path(os.path.realpath(out.parent)) / out.name == Path(os.path.realpath(content_dir)) / SCHEMA_DIR


def starter_files(site_yaml: str, companies: list[str]) -> dict[str, str]:
    """The schema files for a site given as text (``valuemap new``'s starter), keyed by file name."""
    from . import model as m
    from .yaml_reader import parse_yaml

    site = m.Site.model_validate(parse_yaml(site_yaml, "site.yaml").data)
    return {file_name(kind): render(schema)
            for kind, schema in site_schemas(vocabulary(site, tuple(sorted(companies)))).items()}
