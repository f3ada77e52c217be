"""JSON Schema for editors, generated from the content model (``valuemap schema``).

Point an editor's YAML language server at the files, e.g. with a first line
``# yaml-language-server: $schema=../schema/company.schema.json`` in each company file.
"""
from __future__ import annotations

from .model import MODELS


def json_schemas() -> dict[str, dict]:
    """kind → JSON Schema (draft 2020-12) of that kind of content file."""
    out = {}
    for kind, model in MODELS.items():
        schema = model.model_json_schema(mode="validation")
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"valuemap:{kind}"
        out[kind] = schema
    return out
