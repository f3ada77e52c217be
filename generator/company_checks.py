"""What a company file must satisfy against the site beyond its shape (validation's second pass, see
:mod:`generator.validate`): references to dimensions, criteria and source kinds (with a did-you-mean),
scores and evidence on their scale, unit or relative index, the plans compared at each price point, price
observations and their currencies, dates, links, stale scores and prices (warnings) — and, across the
market, two companies whose names read the same. Every problem names the file, line and field."""
from __future__ import annotations

import datetime as _dt
import unicodedata
from dataclasses import dataclass
from typing import Any

from . import model as m
from .diagnostics import Diagnostics, did_you_mean, format_path, suggestion
from .yaml_reader import Document
from .quotes import price_at


def name_key(name: str) -> str:
    """What two names must share to read the same: NFKC-normalised, case-folded, whitespace collapsed."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return " ".join(folded.split())


def check_names(companies: dict[str, m.Company], documents: dict[str, Document], us: str | None,
                 diagnostics: Diagnostics) -> None:
    """Two companies whose names read the same: a warning on the later one (a competitor rather than us)."""
    seen: dict[str, str] = {}
    for slug in sorted(companies, key=lambda s: (s != us, s)):
        key = name_key(companies[slug].name)
        other = seen.setdefault(key, slug)
        if other == slug:
            continue
        doc, other_doc = documents[f"company:{slug}"], documents[f"company:{other}"]
        whose = " (our own company)" if other == us else ""
        diagnostics.warning(
            "duplicate-name",
            f"the company name '{m.visible(companies[slug].name)}' reads the same as "
            f"'{m.visible(companies[other].name)}' in {other_doc.file}{whose}",
            path="name", hint="readers could not tell the two apart on the maps and in lists: rename one of them",
            **doc.where(("name",)))


def _no_plan(tier: str) -> str:
    """How a company's "no plan of this tier" error starts (check_tiers replaces it when no company has one)."""
    return f"no '{tier}' plan for "


def check_tiers(companies: dict[str, m.Company], site: m.Site, site_doc: Document, diagnostics: Diagnostics,
                others: set[str] = frozenset()) -> None:
    """A price reference whose tier no company has (``standrd``): said once, at site.yaml, with the tiers the
    companies use — instead of a "no plan" error in every company file, which is where the mistake is not.
    ``others``: the tiers written in company files whose shape failed. Called after the history snapshots are
    checked (their "no plan" errors are the same mistake). A file that could not be read at all says no tier:
    a tier only it used would be reported here too — that file's own error comes first to fix, and the
    other files all agreeing on a tier the site does not name is by far the likelier reading."""
    tiers = {p.tier for c in companies.values() for p in c.prices if p.tier is not None} | set(others)
    if not tiers:
        return
    refs = [(("price_reference",), site.price_reference, "price_reference")] + [
        (("segments", i, "price_reference"), s.price_reference, f"segment '{s.id}'")
        for i, s in enumerate(site.segments) if s.price_reference is not None]
    wrong = set()
    for where, ref, label in refs:
        if ref is None or ref.tier in tiers:
            continue
        wrong.add(ref.tier)
        diagnostics.error("unknown-tier", f"no company has a '{ref.tier}' plan (the tier {label} compares)",
                          path=format_path(where + ("tier",)), hint=suggestion(ref.tier, tiers),
                          **site_doc.where(where + ("tier",)))
    if wrong:  # each company's "no 'standrd' plan" says the same again, in the wrong file
        diagnostics.discard(lambda d: d.code == "no-price" and any(d.message.startswith(_no_plan(tier))
                                                                  for tier in wrong))


# What a score is checked against: the site's scale, a measured unit, or a relative index (100 = average).
MAX_RELATIVE = 1000.0


@dataclass(frozen=True)
class _Kind:
    what: str  # "scale" | "measured" | "relative"
    dimension: str = ""
    criterion: str = ""
    unit: str = ""
    better: str = "higher"


def _kind_of(dim: m.Dimension, crit: m.Criterion | None) -> _Kind:
    if dim.input == "relative":
        return _Kind("relative", dim.id)
    if crit is not None and crit.unit is not None:
        return _Kind("measured", dim.id, crit.id, crit.unit, crit.better)
    return _Kind("scale", dim.id)


def _check_value(value: float, what: str, path: tuple, kind: _Kind, site: m.Site, doc: Document,
                 diagnostics: Diagnostics) -> None:
    """One number (a score or an evidence value) against what its point is measured on."""
    if kind.what == "scale":
        if not _in_scale(value, site.scale):
            rng = f"{site.scale.min:g}–{site.scale.max:g}"
            diagnostics.error("out-of-scale", f"{what} {value:g} is outside the scale {rng}",
                              path=format_path(path), **doc.where(path))
    elif kind.what == "measured":
        unit = m.visible(kind.unit)
        if value < 0:
            diagnostics.error(
                "negative-measure", f"{what} {value:g} {unit} is below 0: criterion '{kind.criterion}' is "
                f"measured in {unit}, and a ratio needs measurements of 0 or above", path=format_path(path),
                hint=f"enter the measured {unit} (not on the site's scale)", **doc.where(path))
        elif value == 0 and kind.better == "lower":
            diagnostics.warning(
                "measured-zero", f"{what} 0 {unit} on '{kind.criterion}', where lower is better, has no finite "
                "ratio (the average ÷ 0): it is left out of this company's relative quality, as an unknown "
                "score is", path=format_path(path),
                hint=f"enter the measurement rounded up to the smallest unit observed, e.g. 1 {unit}",
                **doc.where(path))
    elif not 0 < value <= MAX_RELATIVE:
        diagnostics.error(
            "relative-out-of-range", f"{what} {value:g} is outside the relative range: dimension "
            f"'{kind.dimension}' takes relative input, above 0 and at most {MAX_RELATIVE:g} "
            "(100 = the market average)", path=format_path(path),
            hint="enter an index relative to the market (e.g. 115 = 15% above average), not a point on the scale",
            **doc.where(path))


def _in_scale(value: float, scale: m.Scale) -> bool:
    return scale.min <= value <= scale.max


def _check_score(score: Any, path: tuple, site: m.Site, kinds: list[str], doc: Document,
                 diagnostics: Diagnostics, day: _dt.date, kind: _Kind = _Kind("scale"),
                 company_as_of: _dt.date | None = None) -> None:
    if score == m.UNKNOWN:  # 'unknown' is a score everywhere a number is: never filled in, nothing to check
        return
    if isinstance(score, float):
        _check_value(score, "score", path, kind, site, doc, diagnostics)
        _check_stale_score(None, company_as_of, path, site, doc, diagnostics, day)
        return
    if score.value is not None:
        _check_value(score.value, "score", path + ("value",), kind, site, doc, diagnostics)
    if not score.evidence:
        _check_stale_score(score.as_of, company_as_of, path, site, doc, diagnostics, day)
    if score.as_of and score.as_of > day:
        diagnostics.error("date-in-future", f"date {score.as_of.isoformat()} is in the future",
                          path=format_path(path + ("as_of",)), hint=f"today is {day.isoformat()}",
                          **doc.where(path + ("as_of",)))
    for i, ev in enumerate(score.evidence):
        ev_path = path + ("evidence", i)
        if ev.source not in kinds:
            diagnostics.error("unknown-source-kind", f"unknown source kind '{ev.source}'",
                              path=format_path(ev_path + ("source",)), hint=suggestion(ev.source, kinds),
                              **doc.where(ev_path + ("source",)))
        _check_value(ev.value, "evidence value", ev_path + ("value",), kind, site, doc, diagnostics)
        if ev.date > day:
            diagnostics.error("date-in-future", f"date {ev.date.isoformat()} is in the future",
                              path=format_path(ev_path + ("date",)), hint=f"today is {day.isoformat()}",
                              **doc.where(ev_path + ("date",)))
        if ev.url is not None:
            _check_url(ev.url, ev_path + ("url",), doc, diagnostics)


def _check_stale_score(as_of: _dt.date | None, company_as_of: _dt.date | None, path: tuple, site: m.Site,
                       doc: Document, diagnostics: Diagnostics, day: _dt.date) -> None:
    """A score with no evidence behind it, last reviewed (its own ``as_of``, else the company's) longer ago than
    ``verification.max_age_days``: a warning (an error under --strict). Without any date there is nothing to
    compare; the score is shown as unsupported."""
    reviewed = as_of or company_as_of
    limit = site.verification.max_age_days
    if reviewed is None or (day - reviewed).days <= limit:
        return
    where = path + ("as_of",) if as_of is not None else path
    diagnostics.warning(
        "stale-score", f"score with no evidence, last reviewed {reviewed.isoformat()}: older than "
        f"{limit} days (verification.max_age_days)", path=format_path(path),
        hint="review it and update 'as_of', or add dated evidence (source, value, date)",
        **(doc.where(where) if as_of is not None else doc.where(path, key=True)))


def _check_url(url: str, path: tuple, doc: Document, diagnostics: Diagnostics) -> None:
    if not url.lower().startswith(("https://", "http://")):
        diagnostics.error("unsafe-url", f"'{url[:60]}' is not a web address",
                          path=format_path(path), hint="links must start with https:// or http://",
                          **doc.where(path))


def check_company(slug: str, company: m.Company, site: m.Site, doc: Document, diagnostics: Diagnostics,
                   day: _dt.date) -> None:
    """A company file against the site: known dimensions, criteria and source kinds; every score and evidence
    value on what its point is measured on; a plan at every price point compared; observations with a rate
    for their currency; no date in the future; links that are web addresses; warnings for stale scores and
    prices."""
    dims: dict[str, m.Dimension] = {}
    for d in site.dimensions:  # a duplicate id is reported on site.yaml; the first definition counts
        dims.setdefault(d.id, d)
    kinds = [k.id for k in site.source_kinds]
    for dim_id, score in company.scores.items():
        path = ("scores", dim_id)
        if dim_id not in dims:
            diagnostics.error("unknown-dimension", f"unknown dimension '{m.visible(dim_id)}'", path=format_path(path),
                              hint=suggestion(dim_id, dims), **doc.where(path, key=True))
            continue
        dim = dims[dim_id]
        if isinstance(score, dict):
            crit_ids = [c.id for c in dim.criteria]
            if not crit_ids:
                diagnostics.error("no-criteria", f"dimension '{dim_id}' has no criteria; give it one score",
                                  path=format_path(path), hint="write e.g. 'usability: 7' or add criteria in site.yaml",
                                  **doc.where(path))
                continue
            for crit_id, crit_score in score.items():
                if crit_id not in crit_ids:
                    diagnostics.error("unknown-criterion",
                                      f"unknown criterion '{m.visible(crit_id)}' in dimension '{dim_id}'",
                                      path=format_path(path + (crit_id,)), hint=suggestion(crit_id, crit_ids),
                                      **doc.where(path + (crit_id,), key=True))
                    continue
                crit = next(c for c in dim.criteria if c.id == crit_id)
                _check_score(crit_score, path + (crit_id,), site, kinds, doc, diagnostics, day, _kind_of(dim, crit),
                             company.as_of)
            missing = [c for c in crit_ids if c not in score]
            if missing and not site.verification.allow_missing:
                diagnostics.error("missing-criterion",
                                  f"dimension '{dim_id}' scores criteria but not {', '.join(repr(c) for c in missing)}",
                                  path=format_path(path), hint="score every criterion, or give the dimension one score; "
                                  "write 'unknown' for a criterion not scored yet, or set 'allow_missing: true' under "
                                  "verification in site.yaml to let a company leave criteria out (they are unknown)",
                                  **doc.where(path, key=True))
        else:
            measured = [c for c in dim.criteria if c.unit is not None]
            if measured and score != m.UNKNOWN:  # 'unknown' is unknown in every unit
                c = measured[0]
                diagnostics.error(
                    "measured-needs-criteria",
                    f"dimension '{dim_id}' has a measured criterion '{c.id}' ({m.visible(c.unit)}); score each "
                    "criterion", path=format_path(path),
                    hint=f"write one score per criterion under '{dim_id}', with '{c.id}' in {m.visible(c.unit)}: "
                    "one number on the scale cannot stand for a measurement",
                    **doc.where(path, key=True))
            _check_score(score, path, site, kinds, doc, diagnostics, day, _kind_of(dim, None), company.as_of)
    missing_dims = [d for d in dims if d not in company.scores]
    if missing_dims and not site.verification.allow_missing:
        diagnostics.error("missing-score", f"no score for dimension(s) {', '.join(repr(d) for d in missing_dims)}",
                          path="scores", hint="every company is scored on every dimension: write 'unknown' for one "
                          "not scored yet, or set 'allow_missing: true' under verification in site.yaml to let a "
                          "company leave dimensions out (they are unknown)",
                          **doc.where(("scores",), key=True))
    # The price points compared, as score.py reads them: the site's, and each segment's own (a segment without
    # one uses the site's, which is checked once, under price_reference).
    refs = [("price_reference", site.price_reference)] + [(f"segment '{s.id}'", s.price_reference)
                                                          for s in site.segments if s.price_reference is not None]
    said: set[int] = set()  # plans whose misspelled tier is reported
    for label, ref in refs:
        if price_at(company, ref) is not None:
            continue
        if ref is None:  # no price reference: each company lists exactly one price
            diagnostics.error("several-prices", f"{len(company.prices)} prices, but site.yaml sets no "
                              "price_reference, so each company lists exactly one price", path="prices",
                              hint="keep one plan, or add price_reference (tier and seats) to site.yaml to say "
                              "which plan is compared", **doc.where(("prices",), key=True))
            continue
        misspelled = next((i for i, p in enumerate(company.prices)
                           if p.tier is not None and p.tier != ref.tier and did_you_mean(p.tier, [ref.tier])), None)
        if misspelled is not None:  # 'standad': the mistake is at that plan's tier, not a plan missing
            if misspelled in said:  # one mistake, said once (the segments compare the same tier)
                continue
            said.add(misspelled)
            where = ("prices", misspelled, "tier")
            diagnostics.error("no-price", f"{_no_plan(ref.tier)}{ref.seats} seats (needed by {label} in site.yaml): "
                              f"plan '{m.visible(company.prices[misspelled].plan)}' has tier "
                              f"'{m.visible(company.prices[misspelled].tier)}'", path=format_path(where),
                              hint=f"did you mean '{ref.tier}'?", **doc.where(where))
            continue
        sized = next((i for i, p in enumerate(company.prices) if p.tier == ref.tier), None)
        if sized is not None:  # a plan of the tier, sold for other seat counts: the mistake (or the fact) is there
            seats = company.prices[sized].seats
            sold = f"{seats.min}–{seats.max}" if seats.max is not None else f"{seats.min} or more"
            where = ("prices", sized, "seats")
            diagnostics.error("no-price", f"{_no_plan(ref.tier)}{ref.seats} seats (needed by {label} in site.yaml): "
                              f"plan '{m.visible(company.prices[sized].plan)}' is sold for {sold} seats",
                              path=format_path(where), hint=f"widen its seats if it is sold for {ref.seats}, or add "
                              "the plan that is", **doc.where(where, key=True))
            continue
        untiered = [p.plan for p in company.prices if p.tier is None]
        why = ""
        hint = "add a plan with that tier whose seats range covers the count"
        if untiered:
            names = ", ".join(f"'{m.visible(n)}'" for n in untiered)
            why = f"; plan {names} has no tier, so it cannot be compared" if len(untiered) == 1 else \
                f"; plans {names} have no tier, so they cannot be compared"
            hint = f"give each plan a tier (e.g. 'tier: {ref.tier}'), or " + hint
        diagnostics.error("no-price", f"{_no_plan(ref.tier)}{ref.seats} seats (needed by {label} in "
                          f"site.yaml){why}", path="prices", hint=hint, **doc.where(("prices",), key=True))
    _check_same_plans(company, doc, diagnostics)
    for i, price in enumerate(company.prices):
        if price.as_of and price.as_of > day:
            diagnostics.error("date-in-future", f"date {price.as_of.isoformat()} is in the future",
                              path=format_path(("prices", i, "as_of")), **doc.where(("prices", i, "as_of")))
        elif price.price is not None and price.as_of is not None:  # a bare price is one observation, dated as_of
            _check_stale_price(price.as_of, ("prices", i, "as_of"), site, doc, diagnostics, day)
        for j, obs in enumerate(price.observations):
            _check_observation(obs, ("prices", i, "observations", j), site, kinds, doc, diagnostics, day)
    if company.as_of and company.as_of > day:
        diagnostics.error("date-in-future", f"date {company.as_of.isoformat()} is in the future",
                          path="as_of", **doc.where(("as_of",)))
    for text in company.free_texts():  # a review cannot have happened yet
        if text.reviewed is not None and text.reviewed > day:
            diagnostics.error("date-in-future", f"review date {text.reviewed.isoformat()} is in the future",
                              path=format_path(text.reviewed_path), hint=f"today is {day.isoformat()}",
                              **doc.where(text.reviewed_path))
    if company.website:
        _check_url(company.website, ("website",), doc, diagnostics)


def _check_same_plans(company: m.Company, doc: Document, diagnostics: Diagnostics) -> None:
    """A warning for a plan listed again under the same name and tier with seats that overlap the first's: two
    prices for one plan (usually meant as observations of it, or a copy left behind). The pages could not tell
    the two apart, and where both are compared only the cheaper counts. Plans without a tier are never
    compared; one name at several seat ranges (volume bands) is fine."""
    seen: dict[tuple, list[int]] = {}
    for i, plan in enumerate(company.prices):
        if plan.tier is None:
            continue
        same = seen.setdefault((name_key(plan.plan), plan.tier), [])
        first = next((j for j in same if _overlap(company.prices[j].seats, plan.seats)), None)
        same.append(i)
        if first is None:
            continue
        line = doc.where(("prices", first, "plan"))["line"]
        diagnostics.warning(
            "same-plan", f"plan '{m.visible(plan.plan)}' (tier '{plan.tier}') is listed again, with seats that "
            f"overlap those of the plan at line {line}: the pages cannot tell the two apart, and where both are "
            "compared only the cheaper one counts", path=format_path(("prices", i, "plan")),
            hint="several prices seen for one plan are observations of that plan (each with its source and "
            "date, see docs/content.md); a different plan needs a name of its own or a seat range of its own",
            **doc.where(("prices", i, "plan")))


def _overlap(a: m.SeatRange, b: m.SeatRange) -> bool:
    return a.min <= (b.max if b.max is not None else a.min) and b.min <= (a.max if a.max is not None else b.min)


def _check_observation(obs: m.PriceObservation, path: tuple, site: m.Site, kinds: list[str], doc: Document,
                       diagnostics: Diagnostics, day: _dt.date) -> None:
    """One price observation: its source kind, a rate for its currency, its date (not in the future; a warning
    when older than prices.max_age_days — a partial date counts from its first day), its link."""
    if obs.source is not None and obs.source not in kinds:
        diagnostics.error("unknown-source-kind", f"unknown source kind '{obs.source}'",
                          path=format_path(path + ("source",)), hint=suggestion(obs.source, kinds),
                          **doc.where(path + ("source",)))
    if obs.currency is not None and obs.currency != site.currency:
        rates = site.currencies.rates if site.currencies is not None else {}
        if obs.currency not in rates:
            diagnostics.error(
                "no-rate", f"no exchange rate for {obs.currency}: a price in {obs.currency} cannot be compared in "
                f"{site.currency}", path=format_path(path + ("currency",)),
                hint=f"add it under currencies.rates in site.yaml (1 {obs.currency} in {site.currency}, e.g. "
                f"'{obs.currency}: 0.92'), with currencies.as_of the day the rate was read",
                **doc.where(path + ("currency",)))
    start = obs.date_start
    if start > day:
        diagnostics.error("date-in-future", f"date {obs.date} is in the future", path=format_path(path + ("date",)),
                          hint=f"today is {day.isoformat()}", **doc.where(path + ("date",)))
    else:
        _check_stale_price(start, path + ("date",), site, doc, diagnostics, day, shown=obs.date)
    if obs.url is not None:
        _check_url(obs.url, path + ("url",), doc, diagnostics)


def _check_stale_price(seen: _dt.date, path: tuple, site: m.Site, doc: Document, diagnostics: Diagnostics,
                       day: _dt.date, shown: str | None = None) -> None:
    limit = site.prices.max_age_days
    if (day - seen).days <= limit:
        return
    diagnostics.warning(
        "stale-price", f"price seen {shown or seen.isoformat()}: older than {limit} days (prices.max_age_days)",
        path=format_path(path), hint="check the price again and add a new dated observation", **doc.where(path))
