"""``valuemap new DIR``: a minimal, working project to start from.

The starter is kept here as text (so it ships inside every install, wheel or editable) and written as::

    DIR/
    └── content/
        ├── site.yaml                 the market, the method, two dimensions (one with criteria), one source kind
        ├── companies/our-product.yaml    us
        ├── companies/rival-one.yaml      a competitor
        ├── companies/rival-two.yaml      another competitor
        ├── pages/about.md            one narrative page
        └── .schema/*.schema.json     JSON Schemas for editors (``valuemap schema``), where the files' first
                                      lines point

so that ``cd DIR && valuemap build`` (or ``valuemap build --content DIR/content --out DIR/site``) builds at
once, with no errors and no warnings. Every field carries a comment saying what it is for.
"""
from __future__ import annotations

from pathlib import Path

SITE_YAML = """\
# yaml-language-server: $schema=.schema/site.schema.json
# site.yaml — the market you compare, how the value map is computed, and the vocabulary of the whole site.
# Field reference: docs/content.md in the valuemap repository. The first line points editors with a YAML
# language server at .schema/, which `valuemap schema` rewrites after you change ids here or add a company.

title: Our value map                     # site title, shown on every page
tagline: Where each vendor stands on the value it delivers against the price it asks.  # optional subtitle
market: Team chat software               # the market compared
currency: EUR                            # ISO 4217 code of every price in the company files
price_basis: per user per month          # what one price buys; printed next to every price
us: our-product                          # our own company: the slug of companies/our-product.yaml

price_reference:                         # where prices are compared on the home-page value map:
  tier: standard                         #   every company needs a plan of this tier ...
  seats: 10                              #   ... whose seat range includes this many seats

# method:                                # optional; these are the defaults
#   comparison: others                   # each company against the average of the others (or: market)
#   fair_value_line: diagonal            # diagonal, slope or regression
#   fair_value_band: 5                   # half-width of the fair-value zone, in relative-price points
# scale: {min: 0, max: 10}               # optional; the range every score is given on (default 0–10)

dimensions:                              # the competing factors besides price (at least one)
  - id: usability                        # stable identifier, used in company files and URLs
    label: Ease of use                   # the name readers see
    description: >-                      # what it means to a customer (Markdown)
      How quickly a team gets going and how little the tool gets in the way afterwards.
    weight: 0.6                          # relative weight; weights are normalised to sum to 1
    criteria:                            # optional rubric items, each scored on its own
      - id: setup                        # identifier used in company files
        label: Setup                     # name readers see
        description: Minutes from sign-up to a working team space, done without help.
        weight: 1                        # relative weight inside the dimension
      - id: daily-use
        label: Daily use
        description: How easily people find, answer and follow conversations every day.
        weight: 2
  - id: service                          # a dimension without criteria: one score per company
    label: Service
    description: How the vendor treats you as its customer, from the first enquiry to a support ticket.
    weight: 0.4

source_kinds:                            # where evidence comes from (used in evidence items)
  - id: mystery-shopper                  # identifier used in evidence items
    label: Mystery shopper               # name readers see
    description: A trained shopper contacts the vendor as a prospect and scores the contact.
    independent: true                    # false for sources the measured team can game
    weight: 1                            # how much this source counts in a score computed from evidence

# segments:                              # optional: customer segments, each with its own value map
#   - id: small-teams
#     label: Small teams
#     price_reference: {tier: standard, seats: 3}
#     weights: {usability: 0.8, service: 0.2}
"""

COMPANY_COMMENT = """\
# yaml-language-server: $schema=../.schema/company.schema.json
# companies/{slug}.yaml — one company's scorecard. The file name (a slug) becomes its URL.
# Scores use the site's scale (0–10). A company is scored on every dimension of site.yaml; a dimension with
# criteria is scored per criterion.{more}
"""

_SEE_OURS = "\n# Every field is explained in companies/our-product.yaml."

OUR_PRODUCT_YAML = COMPANY_COMMENT.format(slug="our-product", more="") + """
name: Our Product                        # company or product name
website: https://www.our-product.example # public website (optional)
summary: >-                              # who they are and how they compete (Markdown, optional)
  Our Product is the team chat we sell: quick to set up, with a named contact for every customer.

prices:                                  # the published plans
  - plan: Team                           # plan name as the vendor sells it
    tier: standard                       # comparable tier: matches price_reference.tier in site.yaml
    price: 8                             # price in the site's currency, on the site's price basis
    seats: {min: 1, max: 50}             # seat range the price applies to (no max: unlimited)
    note: Billed annually.               # conditions (optional)
  - plan: Business
    tier: professional
    price: 14
    seats: {min: 5}

scores:                                  # one entry per dimension id of site.yaml
  usability:                             # a dimension with criteria: one score per criterion
    setup:                               # a score with the evidence behind it
      as_of: 2024-06-01                  # when the score was last reviewed
      evidence:                          # observations; with no `value`, the score is their weighted mean
        - {source: mystery-shopper, value: 8, date: 2024-05-20, note: "Team space ready in 12 minutes"}
    daily-use: 7.5                       # or just a number
  service: 8                             # a dimension without criteria: one number

strengths: ["Fast to set up", "A named contact for every customer"]  # optional
weaknesses: ["Few integrations"]                                      # optional
talk_track: >-                           # internal: only in `valuemap build --audience internal`
  Lead with the setup time and the named contact.
"""

RIVAL_ONE_YAML = COMPANY_COMMENT.format(slug="rival-one", more=_SEE_OURS) + """
name: Rival One
website: https://www.rival-one.example
summary: The market leader, rich in features and priced for it.

prices:
  - plan: Standard
    tier: standard
    price: 12
    seats: {min: 1}

scores:
  usability:
    setup: 6
    daily-use: 7
  service:                               # a score with a note
    value: 5                             # the score
    note: Support by web form only below the enterprise plan.  # why this score

strengths: ["Many integrations"]
weaknesses: ["Slow support"]
"""

RIVAL_TWO_YAML = COMPANY_COMMENT.format(slug="rival-two", more=_SEE_OURS) + """
name: Rival Two
website: https://www.rival-two.example
summary: The price fighter of the market.

prices:
  - plan: Basic
    tier: standard
    price: 5
    seats: {min: 1, max: 100}

scores:
  usability:
    setup: 7
    daily-use: 5
  service: 4

strengths: ["Lowest price"]
weaknesses: ["Thin once a team grows"]
"""

ABOUT_MD = """\
---
# pages/about.md — a narrative page: YAML front matter between the --- lines, then Markdown.
title: About this value map              # page title
description: What this site compares and how to read it.  # one sentence for page lists and search engines
order: 10                                # position in the navigation (lower first)
audience: external                       # or internal: only in `valuemap build --audience internal`
---

# About this value map

This site compares the team chat products our customers choose between on **value versus price**.
Edit the files in `content/` and run `valuemap build` to rebuild it.
"""

FILES: dict[str, str] = {
    "content/site.yaml": SITE_YAML,
    "content/companies/our-product.yaml": OUR_PRODUCT_YAML,
    "content/companies/rival-one.yaml": RIVAL_ONE_YAML,
    "content/companies/rival-two.yaml": RIVAL_TWO_YAML,
    "content/pages/about.md": ABOUT_MD,
}


def _schemas() -> dict[str, str]:
    """The starter's JSON Schemas (content/.schema/), generated from its site.yaml like `valuemap schema`."""
    from .schema import SCHEMA_DIR, starter_files

    companies = [rel.rsplit("/", 1)[1][:-5] for rel in FILES if rel.startswith("content/companies/")]
    return {f"content/{SCHEMA_DIR}/{name}": text for name, text in starter_files(SITE_YAML, companies).items()}


FILES.update(_schemas())


class ScaffoldError(Exception):
    """The target cannot take a new project (not empty, not a folder). Nothing was written."""


def create(target: Path) -> list[Path]:
    """Write the starter project into ``target`` (created if missing; must be empty). Returns the files."""
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise ScaffoldError(f"{target} exists and is not a folder")
    if target.is_dir() and any(target.iterdir()):
        raise ScaffoldError(f"{target} is not empty: `valuemap new` only writes into a new or empty folder, "
                            "so it never overwrites your files — choose another folder")
    written = []
    for rel, text in FILES.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8", newline="\n") as fh:  # "x": never overwrite
            fh.write(text)
        written.append(path)
    return written
