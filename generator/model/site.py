"""content/site.yaml: the market, the method and the vocabulary of the whole site."""
from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from .types import (Band, BillingFactor, Currency, Date, Markdown, Name, Rate, ScaleEnd, Seats, Slope, Slug,
                     SourceWeight, Text, Weight, _Model, empty_dict, empty_list)


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
    criteria: list[Criterion] = Field(default_factory=empty_list, description="Optional rubric items.")
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
        default_factory=empty_dict,
        description="Dimension weights for this segment; dimensions left out keep their default weight.")


class SourceKind(_Model):
    """A kind of evidence source (mystery shopper, customer interview, review site, internal metric...)."""

    id: Slug = Field(description="Identifier used in evidence items.")
    label: Name = Field(min_length=1, description="Name shown to readers.")
    description: Markdown = Field("", description="How this kind of evidence is collected.")
    independent: bool = Field(
        True, description="false for sources the measured team can game (call length, own surveys...).")
    weight: SourceWeight = Field(1.0, description="Weight of this source in a score's evidence mean.")
    vendor: bool = Field(False, description="true for the vendor itself (its pricing page, its help articles): "
                         "preferred for prices under prices.choose: vendor-newest.")


STATUS = Literal["verified", "single-source", "conflicting", "stale", "gameable-only", "unsupported", "unknown"]


class Verification(_Model):
    """How strong a score or a price is: the rules behind every status mark (the methodology page states them)."""

    tolerance: float = Field(1.0, ge=0, le=1e6,
                             description="Sources agree when their scores differ by at most this (scale points).")
    relative_tolerance: float = Field(
        0.15, ge=0, le=10, description="Measured values agree when they differ by at most this share of their "
        "mean (0.15 = 15 %).")
    max_age_days: int = Field(365, ge=1, le=100_000,
                              description="Evidence older than this (days) makes a score stale.")
    half_life_days: float = Field(
        365, ge=1, le=100_000, description="Recency weighting: evidence this many days old counts half.")
    default_uncertainty: float = Field(
        1.0, ge=0, le=1e6, description="± scale points of a score from one report, or from none.")
    min_status: STATUS = Field(
        "single-source", description="`--strict`: the weakest status a score or price on an external page may have.")
    allow_missing: bool = Field(
        False, description="true: a company may leave a dimension or criterion out; it is unknown (never filled in).")


class Currencies(_Model):
    """Exchange rates into the site's currency, with the date they were read."""

    as_of: Date = Field(description="When the rates were read (YYYY-MM-DD).")
    rates: dict[Currency, Rate] = Field(
        description="1 unit of each currency in the site's currency, e.g. USD: 0.92.")


class PriceRules(_Model):
    """How one comparison price is chosen from a plan's observations."""

    choose: Literal["vendor-newest", "newest", "lowest", "highest", "median"] = Field(
        "vendor-newest", description="'vendor-newest' = the newest observation from the vendor itself (a source "
        "kind with vendor: true), else the newest of any; or the newest, lowest, highest or median observation.")
    tolerance: float = Field(0.10, ge=0, le=10, description="Observations disagree when they differ by more than "
                             "this share of their mean (0.10 = 10 %).")
    billing: Literal["annual", "monthly"] = Field("annual", description="The billing prices are compared on.")
    monthly_to_annual: BillingFactor = Field(
        1.0, description="Factor from a monthly-billed price to its annual-billing equivalent, e.g. "
        "0.8 when annual billing costs 20 % less. 1 = compared as they are.")
    max_age_days: int = Field(365, ge=1, le=100_000, description="A price seen longer ago than this is stale.")


class HistorySettings(_Model):
    """The value map's history (content/history/, see docs/history.md): whose trails are drawn at first."""

    rival: Slug | None = Field(
        None, description="The competitor whose trail is shown with ours on the home map (others can be switched "
        "on in the legend); default: the competitor nearest to us on the current map.")


class Site(_Model):
    """content/site.yaml: the market, the method and the vocabulary of the whole site."""

    title: Name = Field(min_length=1, description="Site title.")
    tagline: Text = Field("", description="One sentence under the title.")
    base_url: Text = Field("/", description="Where the site is published, e.g. https://example.com/valuemap/.")
    lang: str = Field("en", description="Interface language (a table in generator/locales/), and the language "
                      "the content is written in: a translated field (label: {en: …, ja: …}) falls back to it.")
    languages: list[str] = Field(
        default_factory=empty_list, description="Build several languages side by side, e.g. [en, ja, ru, et]: one "
        "sub-folder per language (/en/, /ja/ …), a language switch and hreflang links on every page; the site's "
        "root redirects to the first. Empty (the default): one language, 'lang', at the root.")
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
    segments: list[Segment] = Field(default_factory=empty_list, description="Customer segments.")
    source_kinds: list[SourceKind] = Field(min_length=1, description="Kinds of evidence source.")
    verification: Verification = Field(default_factory=Verification,
                                       description="Rules for the status of every score and price.")
    prices: PriceRules = Field(default_factory=PriceRules, description="How a plan's comparison price is chosen.")
    currencies: Currencies | None = Field(None, description="Exchange rates for prices in other currencies.")
    history: HistorySettings = Field(default_factory=HistorySettings,
                                     description="The value map over time: trails and the 'what changed' page.")
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
