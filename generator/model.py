"""The content model: one typed class per kind of content file, and the single source of truth for

* validation (:mod:`generator.validate` runs these models and maps their errors back to file:line),
* the JSON Schema editors use for autocomplete (``valuemap schema``),
* the field reference in ``docs/content.md`` (every field carries a description).

Fields that must never reach a prospect are marked ``internal`` (see :func:`internal_fields`); the page plan,
not the templates, decides which audience sees them.
"""
from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from decimal import Decimal as _Decimal
from typing import Annotated, Any, Literal, Union

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, Tag,
                      field_validator, model_validator)
from pydantic_core import PydanticCustomError

SLUG_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$"
# Keys that make a score mapping a single score rather than a mapping of criteria.
SCORE_DETAIL_KEYS = ("value", "evidence", "as_of", "note")
# The tags of the score unions: pydantic puts them in an error's location, where no content key can be one.
UNION_TAGS = frozenset({"<number>", "<detail>", "<criteria>"})


def internal(description: str, **kwargs) -> Any:
    """A field that only the internal audience may see."""
    return Field(description=description, json_schema_extra={"internal": True}, **kwargs)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False,
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

    def check(value):
        measure = abs(value) if size else value
        ctx = {"shown": format_number(value), "what": what, "high": format_limit(high),
               "low": format_limit(low), "either": either, "zero": "0, or " if zero else ""}
        if measure > high:
            raise PydanticCustomError("number_too_large", "{shown} is too large for {what} (at most {high}{either})",
                                      ctx)
        if zero and value == 0:
            return value
        if measure < low:
            raise PydanticCustomError("number_too_small",
                                      "{shown} is too small for {what} ({zero}at least {low}{either})", ctx)
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


def _bad_character(text: str, *, one_line: bool) -> str | None:
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
Name = Annotated[str, Field(min_length=1), AfterValidator(_check_name)]
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


# --- site.yaml ------------------------------------------------------------------------------------------

class Scale(_Model):
    """The range every score is given on."""

    min: ScaleEnd = Field(0, description="Lowest possible score: 0 or above (relative quality divides scores "
                          "by an average, which needs non-negative scores; shift a scale such as −5…5 to 0…10).")
    max: ScaleEnd = Field(10, description="Highest possible score.")

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
    slope: Slope = Field(1.0, description="Price points customers pay per quality point (method 'slope').")
    fair_value_band: Band = Field(
        5.0, description="Half-width, in relative-price points, of the fair-value zone around the line.")
    quality_ratio: Literal["criterion", "dimension"] = Field(
        "criterion",
        description="'criterion' (Gale) = relative quality is the weighted sum of per-criterion ratios, each "
        "criterion weighing dimension weight × criterion weight; 'dimension' = the ratio is taken of each "
        "dimension's score (the weighted mean of its criteria), then weighed by the dimension weights.")
    rank_by: Literal["distance", "ratio"] = Field(
        "distance",
        description="What the ranking orders by: 'distance' = customer value, the distance below the "
        "fair-value line (flatters expensive offers less); 'ratio' = relative quality ÷ relative price "
        "(flatters cheap offers).")


class PriceReference(_Model):
    """The plan and seat count at which prices are compared."""

    tier: Slug = Field(description="Plan tier compared, e.g. 'standard'; every company needs a plan of this tier.")
    seats: Seats = Field(description="Seats (agents) the price is read at.")


class Criterion(_Model):
    """A rubric item inside a dimension, scored by mystery shoppers, interviews, reviews..."""

    id: Slug = Field(description="Stable identifier used in company files.")
    label: Name = Field(min_length=1, description="Name shown to readers.")
    description: Markdown = Field("", description="What is scored and how (Markdown).")
    weight: Weight = Field(1.0, description="Relative weight inside the dimension (normalised to sum to 1).")
    better: Literal["higher", "lower"] = Field(
        "higher", description="'lower' for criteria where less is better (minutes to first reply, outages...): "
        "the ratio is turned round (comparison average ÷ score). Not allowed in a dimension with relative input.")
    unit: str | None = Field(
        None, description="Set for a measured criterion (e.g. 'minutes', '%'): its scores are the measured "
        "values in this unit, 0 or above, not points on the site's scale; every company scores it on its own "
        "(not through one score for the whole dimension), and method.quality_ratio must be 'criterion'.")


class Dimension(_Model):
    """A competing factor of the value map, e.g. usability, personal approach, practicality."""

    id: Slug = Field(description="Stable identifier used in company files and URLs.")
    label: Name = Field(min_length=1, description="Name shown to readers.")
    description: Markdown = Field("", description="What the dimension means to a customer (Markdown).")
    weight: Weight = Field(description="Default weight (normalised across dimensions).")
    criteria: list[Criterion] = Field(default_factory=list, description="Optional rubric items.")
    input: Literal["scale", "relative"] = Field(
        "scale", description="'relative': scores are already relative to the market (100 = the market "
        "average), e.g. a published market-perceived quality index; they are used as ratios directly (score "
        "÷ 100), must be above 0 and at most 1000, and are not checked against the scale. Its criteria cannot "
        "be 'better: lower' or have a 'unit'.")


class Segment(_Model):
    """A customer segment: its own priorities and the price point its buyers pay."""

    id: Slug = Field(description="Stable identifier used in prospect files and URLs.")
    label: Name = Field(min_length=1, description="Name shown to readers.")
    description: Markdown = Field("", description="Who the segment is (Markdown).")
    price_reference: PriceReference | None = Field(
        None, description="Plan tier and seat count compared for this segment (default: the site's).")
    weights: dict[str, Weight] = Field(
        default_factory=dict,
        description="Dimension weights for this segment; dimensions left out keep their default weight.")


class SourceKind(_Model):
    """A kind of evidence source (mystery shopper, customer interview, review site, internal metric...)."""

    id: Slug = Field(description="Identifier used in evidence items.")
    label: Name = Field(min_length=1, description="Name shown to readers.")
    description: Markdown = Field("", description="How this kind of evidence is collected.")
    independent: bool = Field(
        True, description="false for sources the measured team can game (call length, own surveys...).")
    weight: SourceWeight = Field(1.0, description="Weight of this source in a score's evidence mean.")


class Site(_Model):
    """content/site.yaml: the market, the method and the vocabulary of the whole site."""

    title: Name = Field(min_length=1, description="Site title.")
    tagline: Text = Field("", description="One sentence under the title.")
    base_url: Text = Field("/", description="Where the site is published, e.g. https://example.com/valuemap/.")
    lang: str = Field("en", description="Interface language (a table in generator/locales/).")
    market: Name = Field(min_length=1, description="The market compared, e.g. 'Help-desk software'.")
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 currency code of every price.")
    price_basis: Name = Field(min_length=1, description="What a price buys, e.g. 'per agent per month'.")
    us: Slug = Field(description="Slug of our own company file (content/companies/<us>.yaml).")
    scale: Scale = Field(default_factory=Scale, description="Score range.")
    method: Method = Field(default_factory=Method, description="Value-map method settings.")
    price_reference: PriceReference | None = Field(
        None, description="Price point of the overall map, and of every segment without its own. Leave out in "
        "a market with one price per product: each company then lists exactly one price, without tier or seats.")
    price_decimals: int | None = Field(
        None, ge=0, le=4, description="Decimals shown in prices; default: as many as the prices entered have "
        "(at most 2), so a price of 72 is never shown as 71.77.")
    dimensions: list[Dimension] = Field(min_length=1, description="The competing factors.")
    segments: list[Segment] = Field(default_factory=list, description="Customer segments.")
    source_kinds: list[SourceKind] = Field(min_length=1, description="Kinds of evidence source.")
    keep: list[str] = Field(
        default_factory=lambda: ["CNAME"],
        description="Top-level names in the output folder that valuemap did not write and must carry over into "
        "every new build, e.g. CNAME (the default). Dot-entries such as .git are always carried over.")

    @field_validator("keep")
    @classmethod
    def _keep(cls, value: list[str]) -> list[str]:
        for name in value:
            if (not name or name in (".", "..") or "/" in name or "\\" in name
                    or any(ord(c) < 32 for c in name) or name.startswith(".valuemap-")):
                raise ValueError(f"keep: {name!r} is not a plain file name (no slashes, not '.' or '..')")
        return value

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
    value: ScoreNumber = Field(description="The score this source gives, on the site's scale.")
    date: Date = Field(description="When it was observed (YYYY-MM-DD).")
    url: Text | None = Field(None, description="Where it can be checked.")
    note: Text = Field("", description="What was observed.")
    internal: bool = Field(False, description="true: never shown outside the company (counts in the score).")


class ScoreDetail(_Model):
    """A score with its date and evidence. ``value`` may be left out when evidence is given."""

    value: ScoreNumber | None = Field(None, description="The score; if absent, the weighted mean of the evidence.")
    as_of: Date | None = Field(None, description="When the score was last reviewed.")
    note: Text = Field("", description="Why this score.")
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
    Union[Annotated[ScoreNumber, Tag("<number>")], Annotated[ScoreDetail, Tag("<detail>")]],
    Discriminator(_score_kind, custom_error_type="score_type",
                  custom_error_message="expected a score: a number, or a mapping with 'value' and/or 'evidence'"),
]


def _dimension_kind(value: Any) -> str | None:
    kind = _score_kind(value)
    if kind == "<detail>" and not any(k in value for k in SCORE_DETAIL_KEYS):
        return "<criteria>"
    return kind


DimensionScore = Annotated[
    Union[Annotated[ScoreNumber, Tag("<number>")], Annotated[ScoreDetail, Tag("<detail>")],
          Annotated[dict[str, Score], Tag("<criteria>")]],
    Discriminator(_dimension_kind, custom_error_type="score_type",
                  custom_error_message="expected a score (a number, or 'value'/'evidence') "
                  "or a mapping of criterion scores"),
]


class SeatRange(_Model):
    """The seat counts a plan is sold for."""

    min: Seats = Field(1, description="Fewest seats the plan is sold for.")
    max: Seats | None = Field(None, description="Most seats (leave out for no limit).")

    @model_validator(mode="after")
    def _ordered(self):
        if self.max is not None and self.max < self.min:
            raise ValueError(f"seats max ({self.max}) is below min ({self.min})")
        return self


class PricePoint(_Model):
    """A published plan."""

    plan: Name = Field(min_length=1, description="Plan name as the vendor sells it.")
    tier: Slug | None = Field(None, description="Comparable tier (e.g. standard, professional, enterprise); "
                              "needed when site.yaml sets a price_reference — a plan without one is never "
                              "compared.")
    price: Price = Field(description="Price in the site's currency, on the site's price basis.")
    seats: SeatRange = Field(default_factory=SeatRange, description="Seat range the price applies to.")
    as_of: Date | None = Field(None, description="When the price was checked.")
    note: Text = Field("", description="Conditions (annual billing, add-ons...).")


class Objection(_Model):
    """An objection sales hears, and the answer (internal)."""

    objection: Text = Field(min_length=1, description="What the prospect says.")
    response: Markdown = Field(min_length=1, description="How we answer (Markdown).")


class Company(_Model):
    """content/companies/<slug>.yaml: one company's scorecard (ours or a competitor's)."""

    name: Name = Field(min_length=1, description="Company or product name.")
    website: Text | None = Field(None, description="Public website (https://...).")
    summary: Markdown = Field("", description="Who they are and how they compete (Markdown).")
    as_of: Date | None = Field(None, description="When this scorecard was last reviewed.")
    prices: list[PricePoint] = Field(min_length=1, description="Published plans.")
    scores: dict[str, DimensionScore] = Field(
        description="Per dimension id: a score, or a mapping of criterion id → score.")
    strengths: list[Text] = Field(default_factory=list, description="Where they beat the market.")
    weaknesses: list[Text] = Field(default_factory=list, description="Where they fall short.")
    talk_track: Markdown = internal("Internal: how sales positions us against them (Markdown).", default="")
    objections: list[Objection] = internal("Internal: objection handling.", default_factory=list)
    internal_notes: Markdown = internal("Internal notes (Markdown).", default="")


# --- prospects/<slug>.yaml ------------------------------------------------------------------------------

class Prospect(_Model):
    """content/prospects/<slug>.yaml: a prospect and the priorities its page is weighed with."""

    name: Name = Field(min_length=1, description="Prospect organisation name.")
    segment: Slug = Field(description="Segment id from site.yaml (gives the price point).")
    weights: dict[str, Weight] = Field(default_factory=dict,
                                       description="The prospect's own dimension weights (override the segment's).")
    evaluating: list[Slug] = Field(default_factory=list, description="Competitor slugs the prospect evaluates.")
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
