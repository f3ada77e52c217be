"""The content model: one typed class per kind of content file, and the single source of truth for

* validation (:mod:`generator.validate` runs these models and maps their errors back to file:line),
* the JSON Schema editors use for autocomplete (``valuemap schema``),
* the field reference in ``docs/content.md`` (every field carries a description).

Fields that must never reach a prospect are marked ``internal`` (see :func:`internal_fields`); the page plan,
not the templates, decides which audience sees them.
"""
from __future__ import annotations

import datetime as _dt
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator, model_validator

SLUG_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$"
# Keys that make a score mapping a single score rather than a mapping of criteria.
SCORE_DETAIL_KEYS = ("value", "evidence", "as_of", "note")


def internal(description: str, **kwargs) -> Any:
    """A field that only the internal audience may see."""
    return Field(description=description, json_schema_extra={"internal": True}, **kwargs)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False,
                              str_strip_whitespace=True)


Slug = Annotated[str, Field(pattern=SLUG_PATTERN, description="lower-case letters, digits and hyphens")]
Weight = Annotated[float, Field(gt=0, allow_inf_nan=False)]
Markdown = Annotated[str, Field(description="Markdown text")]


# --- site.yaml ------------------------------------------------------------------------------------------

class Scale(_Model):
    """The range every score is given on."""

    min: float = Field(0, description="Lowest possible score.")
    max: float = Field(10, description="Highest possible score.")

    @model_validator(mode="after")
    def _ordered(self):
        if self.max <= self.min:
            raise ValueError(f"scale max ({self.max:g}) must be greater than min ({self.min:g})")
        return self


class Method(_Model):
    """How the value map is computed. Printed on every map, explained on the methodology page."""

    comparison: Literal["others", "market"] = Field(
        "others",
        description="What each company is compared with: 'others' = the average of the other companies "
        "(Gale's single-company profile); 'market' = the average of every company, itself included "
        "(map centred on 100).")
    fair_value_line: Literal["diagonal", "slope", "regression"] = Field(
        "diagonal",
        description="'diagonal' = relative price equals relative quality through (100, 100); 'slope' = a line "
        "through (100, 100) with the slope below; 'regression' = least-squares fit of price on quality.")
    slope: float = Field(1.0, gt=0, description="Price points customers pay per quality point (method 'slope').")
    fair_value_band: float = Field(
        5.0, ge=0, description="Half-width, in relative-price points, of the fair-value zone around the line.")


class PriceReference(_Model):
    """The plan and seat count at which prices are compared."""

    tier: Slug = Field(description="Plan tier compared, e.g. 'standard'; every company needs a plan of this tier.")
    seats: int = Field(ge=1, le=1_000_000, description="Seats (agents) the price is read at.")


class Criterion(_Model):
    """A rubric item inside a dimension, scored by mystery shoppers, interviews, reviews..."""

    id: Slug = Field(description="Stable identifier used in company files.")
    label: str = Field(min_length=1, description="Name shown to readers.")
    description: Markdown = Field("", description="What is scored and how (Markdown).")
    weight: Weight = Field(1.0, description="Relative weight inside the dimension (normalised to sum to 1).")


class Dimension(_Model):
    """A competing factor of the value map, e.g. usability, personal approach, practicality."""

    id: Slug = Field(description="Stable identifier used in company files and URLs.")
    label: str = Field(min_length=1, description="Name shown to readers.")
    description: Markdown = Field("", description="What the dimension means to a customer (Markdown).")
    weight: Weight = Field(description="Default weight (normalised across dimensions).")
    criteria: list[Criterion] = Field(default_factory=list, description="Optional rubric items.")


class Segment(_Model):
    """A customer segment: its own priorities and the price point its buyers pay."""

    id: Slug = Field(description="Stable identifier used in prospect files and URLs.")
    label: str = Field(min_length=1, description="Name shown to readers.")
    description: Markdown = Field("", description="Who the segment is (Markdown).")
    price_reference: PriceReference = Field(description="Plan tier and seat count compared for this segment.")
    weights: dict[str, Weight] = Field(
        default_factory=dict,
        description="Dimension weights for this segment; dimensions left out keep their default weight.")


class SourceKind(_Model):
    """A kind of evidence source (mystery shopper, customer interview, review site, internal metric...)."""

    id: Slug = Field(description="Identifier used in evidence items.")
    label: str = Field(min_length=1, description="Name shown to readers.")
    description: Markdown = Field("", description="How this kind of evidence is collected.")
    independent: bool = Field(
        True, description="false for sources the measured team can game (call length, own surveys...).")
    weight: float = Field(1.0, ge=0, description="Weight of this source in a score's evidence mean.")


class Site(_Model):
    """content/site.yaml: the market, the method and the vocabulary of the whole site."""

    title: str = Field(min_length=1, description="Site title.")
    tagline: str = Field("", description="One sentence under the title.")
    base_url: str = Field("/", description="Where the site is published, e.g. https://example.com/valuemap/.")
    lang: str = Field("en", description="Interface language (a table in generator/locales/).")
    market: str = Field(min_length=1, description="The market compared, e.g. 'Help-desk software'.")
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 currency code of every price.")
    price_basis: str = Field(min_length=1, description="What a price buys, e.g. 'per agent per month'.")
    us: Slug = Field(description="Slug of our own company file (content/companies/<us>.yaml).")
    scale: Scale = Field(default_factory=Scale, description="Score range.")
    method: Method = Field(default_factory=Method, description="Value-map method settings.")
    price_reference: PriceReference = Field(description="Price point of the overall (home page) map.")
    dimensions: list[Dimension] = Field(min_length=1, description="The competing factors.")
    segments: list[Segment] = Field(default_factory=list, description="Customer segments.")
    source_kinds: list[SourceKind] = Field(min_length=1, description="Kinds of evidence source.")

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        if not (value.startswith(("http://", "https://", "/"))):
            raise ValueError("base_url must start with https://, http:// or /")
        return value if value.endswith("/") else value + "/"


# --- companies/<slug>.yaml ------------------------------------------------------------------------------

class Evidence(_Model):
    """One observation behind a score: who measured what, when, and where it can be checked."""

    source: Slug = Field(description="A source kind id from site.yaml.")
    value: float = Field(description="The score this source gives, on the site's scale.")
    date: _dt.date = Field(description="When it was observed (YYYY-MM-DD).")
    url: str | None = Field(None, description="Where it can be checked.")
    note: str = Field("", description="What was observed.")
    internal: bool = Field(False, description="true: never shown outside the company (counts in the score).")


class ScoreDetail(_Model):
    """A score with its date and evidence. ``value`` may be left out when evidence is given."""

    value: float | None = Field(None, description="The score; if absent, the weighted mean of the evidence.")
    as_of: _dt.date | None = Field(None, description="When the score was last reviewed.")
    note: str = Field("", description="Why this score.")
    evidence: list[Evidence] = Field(default_factory=list, description="Observations behind the score.")

    @model_validator(mode="after")
    def _has_value(self):
        if self.value is None and not self.evidence:
            raise ValueError("a score needs a 'value' or at least one 'evidence' item")
        return self


def _score_kind(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return "<number>"
    if isinstance(value, dict):
        return "<detail>"
    return None


Score = Annotated[
    Union[Annotated[float, Tag("<number>")], Annotated[ScoreDetail, Tag("<detail>")]],
    Discriminator(_score_kind, custom_error_type="score_type",
                  custom_error_message="expected a score: a number, or a mapping with 'value' and/or 'evidence'"),
]


def _dimension_kind(value: Any) -> str | None:
    kind = _score_kind(value)
    if kind == "<detail>" and not any(k in value for k in SCORE_DETAIL_KEYS):
        return "<criteria>"
    return kind


DimensionScore = Annotated[
    Union[Annotated[float, Tag("<number>")], Annotated[ScoreDetail, Tag("<detail>")],
          Annotated[dict[str, Score], Tag("<criteria>")]],
    Discriminator(_dimension_kind, custom_error_type="score_type",
                  custom_error_message="expected a score (a number, or 'value'/'evidence') "
                  "or a mapping of criterion scores"),
]


class SeatRange(_Model):
    """The seat counts a plan is sold for."""

    min: int = Field(1, ge=1, description="Fewest seats the plan is sold for.")
    max: int | None = Field(None, ge=1, description="Most seats (leave out for no limit).")

    @model_validator(mode="after")
    def _ordered(self):
        if self.max is not None and self.max < self.min:
            raise ValueError(f"seats max ({self.max}) is below min ({self.min})")
        return self


class PricePoint(_Model):
    """A published plan."""

    plan: str = Field(min_length=1, description="Plan name as the vendor sells it.")
    tier: Slug = Field(description="Comparable tier (e.g. standard, professional, enterprise).")
    price: float = Field(ge=0, description="Price in the site's currency, on the site's price basis.")
    seats: SeatRange = Field(default_factory=SeatRange, description="Seat range the price applies to.")
    as_of: _dt.date | None = Field(None, description="When the price was checked.")
    note: str = Field("", description="Conditions (annual billing, add-ons...).")


class Objection(_Model):
    """An objection sales hears, and the answer (internal)."""

    objection: str = Field(min_length=1, description="What the prospect says.")
    response: Markdown = Field(min_length=1, description="How we answer (Markdown).")


class Company(_Model):
    """content/companies/<slug>.yaml: one company's scorecard (ours or a competitor's)."""

    name: str = Field(min_length=1, description="Company or product name.")
    website: str | None = Field(None, description="Public website (https://...).")
    summary: Markdown = Field("", description="Who they are and how they compete (Markdown).")
    as_of: _dt.date | None = Field(None, description="When this scorecard was last reviewed.")
    prices: list[PricePoint] = Field(min_length=1, description="Published plans.")
    scores: dict[str, DimensionScore] = Field(
        description="Per dimension id: a score, or a mapping of criterion id → score.")
    strengths: list[str] = Field(default_factory=list, description="Where they beat the market.")
    weaknesses: list[str] = Field(default_factory=list, description="Where they fall short.")
    talk_track: Markdown = internal("Internal: how sales positions us against them (Markdown).", default="")
    objections: list[Objection] = internal("Internal: objection handling.", default_factory=list)
    internal_notes: Markdown = internal("Internal notes (Markdown).", default="")


# --- prospects/<slug>.yaml ------------------------------------------------------------------------------

class Prospect(_Model):
    """content/prospects/<slug>.yaml: a prospect and the priorities its page is weighed with."""

    name: str = Field(min_length=1, description="Prospect organisation name.")
    segment: Slug = Field(description="Segment id from site.yaml (gives the price point).")
    weights: dict[str, Weight] = Field(default_factory=dict,
                                       description="The prospect's own dimension weights (override the segment's).")
    evaluating: list[Slug] = Field(default_factory=list, description="Competitor slugs the prospect evaluates.")
    note: Markdown = Field("", description="A personal note shown on the prospect's page (Markdown).")
    internal_notes: Markdown = internal("Internal notes about the deal (Markdown).", default="")


# --- pages/*.md front matter ----------------------------------------------------------------------------

class PageMeta(_Model):
    """Front matter of a narrative page in content/pages/."""

    title: str = Field(min_length=1, description="Page title.")
    description: str = Field("", description="One-sentence summary (meta description, page lists).")
    order: int = Field(100, description="Position in the navigation (lower first).")
    audience: Literal["external", "internal"] = Field("external", description="Who may see the page.")


MODELS: dict[str, type[_Model]] = {"site": Site, "company": Company, "prospect": Prospect, "page": PageMeta}


def internal_fields(model: type[BaseModel]) -> frozenset[str]:
    """Names of a model's fields marked internal."""
    return frozenset(
        name for name, info in model.model_fields.items()
        if isinstance(info.json_schema_extra, dict) and info.json_schema_extra.get("internal")
    )
