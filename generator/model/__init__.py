"""The content model: one typed class per kind of content file, and the single source of truth for

* validation (:mod:`generator.validate` runs these models and maps their errors back to file:line),
* the JSON Schema editors use for autocomplete (``valuemap schema``),
* the field reference in ``docs/content.md`` (every field carries a description).

Fields that must never reach a prospect are marked ``internal`` (see :func:`internal_fields`); the page plan,
not the templates, decides which audience sees them.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

# The package is the model's one public surface: every type, site and company class is re-exported here.
from .types import *  # noqa: F401,F403
from .types import Markdown, Name, Slug, Text, Weight, _Model, empty_dict, empty_list, internal  # noqa: F401
from .site import *  # noqa: F401,F403
from .site import Site
from .company import *  # noqa: F401,F403
from .company import Company


# --- prospects/<slug>.yaml ------------------------------------------------------------------------------

class Prospect(_Model):
    """content/prospects/<slug>.yaml: a prospect and the priorities its page is weighed with."""

    name: Name = Field(min_length=1, description="Prospect organisation name.")
    segment: Slug = Field(description="Segment id from site.yaml (gives the price point).")
    weights: dict[str, Weight] = Field(default_factory=empty_dict,
                                       description="The prospect's own dimension weights (override the segment's).")
    evaluating: list[Slug] = Field(default_factory=empty_list, description="Competitor slugs the prospect evaluates.")
    note: Markdown = Field("", description="A personal note shown on the prospect's page (Markdown).")
    internal_notes: Markdown = internal("Internal notes about the deal (Markdown).", default="")


# --- pages/*.md front matter ----------------------------------------------------------------------------

class PageMeta(_Model):
    """Front matter of a narrative page in content/pages/."""

    title: Name = Field(min_length=1, description="Page title.")
    description: Text = Field("", description="One-sentence summary (meta description, page lists).")
    order: int = Field(100, description="Position in the navigation (lower first).")
    audience: Literal["external", "internal"] = Field("external", description="Who may see the page.")


MODELS: dict[str, type[_Model]] = {"site": Site, "company": Company, "prospect": Prospect, "page": PageMeta}


def internal_fields(model: type[BaseModel]) -> frozenset[str]:
    """Names of a model's fields marked internal."""
    return frozenset(
        name for name, info in model.model_fields.items()
        if isinstance(info.json_schema_extra, dict) and info.json_schema_extra.get("internal")
    )
