"""content/companies/<slug>.yaml: one company's scorecard, its evidence and its prices."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union

from pydantic import BeforeValidator, ConfigDict, Discriminator, Field, Tag, model_validator
from pydantic_core import PydanticCustomError

from .types import (Currency, Date, Markdown, Name, PartialDate, Price, SCORE_DETAIL_KEYS, ScoreNumber, Seats, Slug,
                     Text, UNKNOWN, _Model, _check_text, empty_list, internal)


# --- companies/<slug>.yaml ------------------------------------------------------------------------------

AUDIENCES = ("internal", "external")
Audience = Literal["internal", "external"]


class Statement(_Model):
    """A strength or weakness: its text, who may read it, when it was reviewed (a plain string: external)."""

    text: Text = Field(min_length=1, description="The statement (inline Markdown).")
    audience: Audience = Field(
        "external", description="'internal': shown only with --audience internal, never to prospects; 'external' "
        "(the default): shown on the external site, which needs 'reviewed' under --strict.")
    reviewed: Date | None = Field(None, description="When the text was reviewed for external pages (YYYY-MM-DD); "
                                  "external text without it fails 'check --strict' (unreviewed-text).")

    @property
    def internal(self) -> bool:
        return self.audience == "internal"


def _statement(value: Any) -> Any:
    """A plain string is a statement with only its text; anything but text or a mapping is refused here."""
    if isinstance(value, str):
        _check_text(value)  # a problem in a plain string is reported on the item itself, e.g. strengths[0]
        return {"text": value}
    if isinstance(value, (dict, Statement)):
        return value
    raise PydanticCustomError("statement_type", "expected text, or a mapping with 'text' (and 'audience', "
                              "'reviewed')", {})


# One item of strengths/weaknesses: "text", or {text, audience, reviewed}; always a Statement once validated.
StatementItem = Annotated[Statement, BeforeValidator(_statement, json_schema_input_type=Union[Text, Statement])]


class Evidence(_Model):
    """One observation behind a score: who measured what, when, and where it can be checked."""

    source: Slug = Field(description="A source kind id from site.yaml.")
    value: ScoreNumber = Field(description="The score this source gives: on the site's scale; for a measured "
                               "criterion, in its unit (minutes…); for a relative dimension, an index (100 = "
                               "average).")
    date: Date = Field(description="When it was observed (YYYY-MM-DD).")
    url: Text | None = Field(None, description="Where it can be checked.")
    note: Text = Field("", description="What was observed.")
    internal: bool = Field(False, description="true: never shown outside the company (counts in the score).")
    note_audience: Audience = Field(
        "external", description="'internal': the note is shown only internally (the evidence itself still counts "
        "and is shown); 'external' (the default): shown with the evidence, which needs 'reviewed' under --strict.")
    reviewed: Date | None = Field(None, description="When the note was reviewed for external pages (YYYY-MM-DD); an "
                                  "external note without it fails 'check --strict' (unreviewed-text).")

    @property
    def note_internal(self) -> bool:
        """The note never reaches an external page (the whole item is internal, or its note is)."""
        return self.internal or self.note_audience == "internal"


def _note_audience(what: str):
    """The audience of the note of a score or a price observation (the review gate: generator/gate.py)."""
    return Field("external", description=f"'internal': the note is shown only internally (the {what} itself "
                 f"still is); 'external' (the default): shown with the {what}, which needs 'note_reviewed' under "
                 "--strict.")


def _note_reviewed():
    return Field(None, description="When the note was reviewed for external pages (YYYY-MM-DD); an external note "
                 "without it fails 'check --strict' (unreviewed-text).")


class ScoreDetail(_Model):
    """A score with its date and evidence. ``value`` may be left out when evidence is given."""

    value: ScoreNumber | None = Field(None, description="The score; if absent, the weighted mean of the evidence.")
    as_of: Date | None = Field(None, description="When the score was last reviewed.")
    note: Text = Field("", description="Why this score (shown with its evidence).")
    note_audience: Audience = _note_audience("score")
    note_reviewed: Date | None = _note_reviewed()
    evidence: list[Evidence] = Field(default_factory=empty_list, description="Observations behind the score.")

    @property
    def note_internal(self) -> bool:
        """The note never reaches an external page."""
        return self.note_audience == "internal"

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
    if value == UNKNOWN:
        return "<unknown>"
    return None


Score = Annotated[
    Union[Annotated[ScoreNumber, Tag("<number>")], Annotated[ScoreDetail, Tag("<detail>")],
          Annotated[Literal["unknown"], Tag("<unknown>")]],
    Discriminator(_score_kind, custom_error_type="score_type",
                  custom_error_message="expected a score: a number, 'unknown', or a mapping with 'value' and/or "
                  "'evidence'"),
]


def _dimension_kind(value: Any) -> str | None:
    kind = _score_kind(value)
    if kind == "<detail>" and not any(k in value for k in SCORE_DETAIL_KEYS):
        return "<criteria>"
    return kind


DimensionScore = Annotated[
    Union[Annotated[ScoreNumber, Tag("<number>")], Annotated[ScoreDetail, Tag("<detail>")],
          Annotated[Literal["unknown"], Tag("<unknown>")], Annotated[dict[str, Score], Tag("<criteria>")]],
    Discriminator(_dimension_kind, custom_error_type="score_type",
                  custom_error_message="expected a score (a number, 'unknown', or 'value'/'evidence') "
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


class PriceObservation(_Model):
    """One sighting of a plan's price: a figure, a starting price, a range or 'quote only' — where and when."""

    model_config = ConfigDict(populate_by_name=True)

    price: Price | None = Field(None, description="A list price.")
    from_: Price | None = Field(None, alias="from", description="A starting price ('from $20').")
    range: list[Price] | None = Field(None, min_length=2, max_length=2, description="[lowest, highest].")
    quote: bool = Field(False, description="true: the price is on request only ('contact sales').")
    estimate: Price | None = Field(None, description="With quote: our estimate of it (shown as an estimate).")
    currency: Currency | None = Field(None, description="ISO 4217 code; default: the site's currency.")
    billing: Literal["annual", "monthly", "unknown"] = Field("unknown", description="How the price is billed.")
    source: Slug | None = Field(None, description="A source kind id from site.yaml (a vendor page, a review site...).")
    url: Text | None = Field(None, description="Where it can be checked.")
    date: PartialDate = Field(description="When it was seen: a day (YYYY-MM-DD), a month (YYYY-MM) or a year.")
    note: Text = Field("", description="What was seen (shown with the observation).")
    internal: bool = Field(False, description="true: never shown outside the company (and never used there).")
    note_audience: Audience = _note_audience("observation")
    note_reviewed: Date | None = _note_reviewed()

    @property
    def note_internal(self) -> bool:
        """The note never reaches an external page (the whole observation is internal, or its note is)."""
        return self.internal or self.note_audience == "internal"

    @model_validator(mode="after")
    def _one_kind(self):
        given = [k for k, v in (("price", self.price), ("from", self.from_), ("range", self.range)) if v is not None]
        given += ["quote"] if self.quote else []
        if len(given) != 1:
            raise ValueError("a price observation is exactly one of price, from, range or quote: true"
                             + (f" (found {', '.join(given)})" if given else ""))
        if self.estimate is not None and not self.quote:
            raise ValueError("estimate belongs to a quote (quote: true)")
        if self.range is not None and self.range[0] > self.range[1]:
            raise ValueError(f"range [{self.range[0]:g}, {self.range[1]:g}] is backwards: write [lowest, highest]")
        return self

    @property
    def kind(self) -> str:
        return "price" if self.price is not None else "from" if self.from_ is not None else \
            "range" if self.range is not None else "quote"

    @property
    def amount(self) -> float | None:
        return self.price if self.price is not None else self.from_

    @property
    def low(self) -> float | None:
        return self.range[0] if self.range else self.amount

    @property
    def high(self) -> float | None:
        return self.range[1] if self.range else self.amount

    @property
    def date_start(self) -> _dt.date:
        return _first_day(self.date)

    @property
    def date_precision(self) -> str:
        return ("year", "month", "day")[self.date.count("-")]


def _first_day(text: str) -> _dt.date:
    parts = [int(x) for x in text.split("-")]
    return _dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


class PricePoint(_Model):
    """A published plan: one price, or the observations of its price from several sources."""

    plan: Name = Field(min_length=1, description="Plan name as the vendor sells it.")
    tier: Slug | None = Field(None, description="Comparable tier (e.g. standard, professional, enterprise); "
                              "needed when site.yaml sets a price_reference — a plan without one is never "
                              "compared.")
    price: Price | None = Field(None, description="Price in the site's currency, on the site's price basis (a "
                                "bare number: shown as unsupported; prefer observations with their source).")
    observations: list[PriceObservation] = Field(
        default_factory=empty_list, description="What several sources say the price is (each with its source and date).")
    per: Literal["seat", "account"] = Field(
        "seat", description="'account': the price is for the whole account; it is divided by the seats compared.")
    seats: SeatRange = Field(default_factory=SeatRange, description="Seat range the price applies to.")
    as_of: Date | None = Field(None, description="When the price was checked.")
    note: Text = Field("", description="Conditions (annual billing, add-ons...).")

    @model_validator(mode="after")
    def _price_or_observations(self):
        if (self.price is None) == (not self.observations):
            raise ValueError("a plan has either a 'price' or a list of 'observations' (one of the two)")
        return self


class Objection(_Model):
    """An objection sales hears, and the answer (internal)."""

    objection: Text = Field(min_length=1, description="What the prospect says.")
    response: Markdown = Field(min_length=1, description="How we answer (Markdown).")


class Company(_Model):
    """content/companies/<slug>.yaml: one company's scorecard (ours or a competitor's)."""

    name: Name = Field(min_length=1, description="Company or product name.")
    website: Text | None = Field(None, description="Public website (https://...).")
    summary: Markdown = Field("", description="Who they are and how they compete (Markdown; always external: "
                              "internal remarks belong in internal_notes).")
    summary_reviewed: Date | None = Field(None, description="When the summary was reviewed for external pages "
                                          "(YYYY-MM-DD); without it 'check --strict' fails (unreviewed-text).")
    as_of: Date | None = Field(None, description="When this scorecard was last reviewed.")
    prices: list[PricePoint] = Field(min_length=1, description="Published plans.")
    scores: dict[str, DimensionScore] = Field(
        description="Per dimension id: a score, or a mapping of criterion id → score.")
    strengths: list[StatementItem] = Field(
        default_factory=empty_list, description="Where they beat the market: text, or {text, audience, reviewed}.")
    weaknesses: list[StatementItem] = Field(
        default_factory=empty_list, description="Where they fall short: text, or {text, audience, reviewed}.")
    talk_track: Markdown = internal("Internal: how sales positions us against them (Markdown).", default="")
    objections: list[Objection] = internal("Internal: objection handling.", default_factory=empty_list)
    internal_notes: Markdown = internal("Internal notes (Markdown).", default="")

    def free_texts(self) -> list["FreeText"]:
        """Every piece of free text about the company that needs an audience and a review: the summary, each
        strength and weakness, each score's note and each of its evidence notes, each price observation's note
        (empty ones too: a review date may still be written)."""
        out = [FreeText(("summary",), self.summary, False, self.summary_reviewed, ("summary_reviewed",))]
        for name in ("strengths", "weaknesses"):
            for i, item in enumerate(getattr(self, name)):
                out.append(FreeText((name, i), item.text, item.internal, item.reviewed, (name, i, "reviewed"),
                                    (name, i, "text")))
        for dim, score in self.scores.items():
            found = [((dim, crit), s) for crit, s in score.items()] if isinstance(score, dict) else [((dim,), score)]
            for where, detail in found:
                if not isinstance(detail, ScoreDetail):
                    continue
                at = ("scores", *where)
                out.append(FreeText(at + ("note",), detail.note, detail.note_internal, detail.note_reviewed,
                                    at + ("note_reviewed",)))
                for j, ev in enumerate(detail.evidence):
                    at = ("scores", *where, "evidence", j)
                    out.append(FreeText(at + ("note",), ev.note, ev.note_internal, ev.reviewed, at + ("reviewed",)))
        for i, point in enumerate(self.prices):
            for j, obs in enumerate(point.observations):
                at = ("prices", i, "observations", j)
                out.append(FreeText(at + ("note",), obs.note, obs.note_internal, obs.note_reviewed,
                                    at + ("note_reviewed",)))
        return out


@dataclass(frozen=True)
class FreeText:
    """One piece of free text in a company file (:meth:`Company.free_texts`)."""

    path: tuple  # its field path: ("strengths", 1), ("scores", "usability", "setup", "evidence", 0, "note")
    text: str
    internal: bool  # never shown on an external page
    reviewed: _dt.date | None
    reviewed_path: tuple  # where its review date is (or would be) written
    text_path: tuple = ()  # where the text itself is written, when not at ``path``

    @property
    def at(self) -> tuple:
        return self.text_path or self.path
