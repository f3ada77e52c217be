"""Work per company stays constant as companies are added: rendering is linear, not quadratic.

Issues "Reliability" and "Performance": building 1,200 companies took 26 s and 2,400 companies 102 s — four
times the time for twice the companies — through steps that redo work for every company: the average of the
*other* companies recomputed per company, a page looked up by linear search in the plan, a position looked up
by scanning the value map, label placement comparing every label with every other, Markdown rendered again for
every page that shows the same text.

No timings here (a shared machine makes them noise): each of those steps is counted, by wrapping the function
that does the unit of work, while the same market is built in-process at several sizes. A linear build does
the same work per company at every size: each count divided by the number of companies N must stay within
±15 % between the sizes (or stay below a constant). A count that grows faster is a quadratic step.
"""
from __future__ import annotations

import random
import sys
from collections import Counter
from pathlib import Path

import pytest

from generator import labels, plan, quality, text, value_map_chart
import generator.views  # noqa: F401 -- imported lazily by build(); imported here so that _count_function finds
#                          the names it imports (a module first imported while a counter is in place would
#                          keep that counter after the patch is undone)
from generator.build import build
from generator.views import company as company_views
from generator.diagnostics import Diagnostics
from generator.plan import SitePlan
from generator.score import ValueMap

from tests.conftest import SITE_YAML

SIZES = (30, 120, 240)
TOLERANCE = 0.15

# Distinct, pronounceable names whose first words differ (the value map's short labels use the first word).
_ONSETS = ["B", "C", "D", "F", "G", "H", "K", "L", "M", "N", "P", "R", "S", "T", "V", "Z"]
_VOWELS = ["a", "e", "i", "o", "u"]
_CODAS = ["ra", "lo", "via", "nex", "dor", "mira", "tix", "ban"]
_SUFFIXES = ["Desk", "Support", "Cloud", "Help", "Service"]

# Not plain prose (emphasis, a link): the Markdown engine itself runs on it, not the plain-text shortcut.
SHARED_SUMMARY = "Sells **widgets** to *small teams* — see [the product tour](https://tour.example)."


def company_name(i: int) -> str:
    onset = _ONSETS[i % len(_ONSETS)]
    vowel = _VOWELS[(i // len(_ONSETS)) % len(_VOWELS)]
    coda = _CODAS[(i // (len(_ONSETS) * len(_VOWELS))) % len(_CODAS)]
    return f"{onset}{vowel}{coda}{i} {_SUFFIXES[i % len(_SUFFIXES)]}"


def company_yaml(i: int, rng: random.Random, distinct: bool) -> str:
    name = company_name(i)
    summary = (f"**{name}** sells *widgets* — see [its tour](https://c{i}.example/tour)." if distinct
               else SHARED_SUMMARY)
    talk = f"Talk about **value** with {name}." if distinct else "Talk about **value**."
    price = rng.choice([19, 24.5, 29, 35, 39.9, 45, 49, 55, 60, 72, 89, 99])
    return (f"name: {name}\n"
            f"website: https://c{i}.example\n"
            f"summary: {summary!r}\n"
            f"prices:\n  - {{plan: Basic, tier: standard, price: {price}, seats: {{min: 1}}}}\n"
            f"scores:\n  usability:\n    setup: {rng.randint(1, 10)}\n    daily-use: {rng.randint(1, 10)}\n"
            f"  service: {rng.randint(1, 10)}\n"
            f"strengths: [\"Fast *onboarding*\"]\nweaknesses: [\"Small\"]\n"
            f"talk_track: {talk!r}\n")


def write_market(root: Path, n: int, distinct: bool) -> Path:
    """A market of ``n`` companies (the first is us, "alpha" in tests/conftest.py's site.yaml)."""
    content = root / "content"
    (content / "companies").mkdir(parents=True)
    (content / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    rng = random.Random(n * 7919 + distinct)
    for i in range(n):
        slug = "alpha" if i == 0 else f"c{i:04d}"
        (content / "companies" / f"{slug}.yaml").write_text(company_yaml(i, rng, distinct), encoding="utf-8")
    (content / "pages").mkdir()
    (content / "pages" / "about.md").write_text("---\ntitle: About us\norder: 1\n---\n# Why\n\nWe compete on "
                                                "*value*.\n", encoding="utf-8")
    return content


# --- counting --------------------------------------------------------------------------------------------

def _count_function(monkeypatch, counts: Counter, key: str, module, attr: str) -> None:
    """Wrap ``module.attr`` with a counter, in every generator module that imported it by name."""
    original = getattr(module, attr)

    def counted(*args, **kwargs):
        counts[key] += 1
        return original(*args, **kwargs)

    for mod in list(sys.modules.values()):
        if getattr(mod, "__name__", "").startswith("generator") and getattr(mod, attr, None) is original:
            monkeypatch.setattr(mod, attr, counted)


def _count_method(monkeypatch, counts: Counter, key: str, cls, attr: str) -> None:
    original = getattr(cls, attr)

    def counted(self, *args, **kwargs):
        counts[key] += 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(cls, attr, counted)


COUNTED = {
    "label overlap checks (boxes given to labels._overlaps)": "overlap",
    "relative links (plan.relative_url)": "relative_url",
    "page look-ups (SitePlan.find)": "find",
    "comparison averages (quality.comparison_average)": "comparison_average",
    "position look-ups (ValueMap.get)": "get",
    "Markdown conversions (text._to_html, uncached)": "to_html",
    "Markdown engine runs (text._render, cmark-gfm)": "render",
}


def _count_overlap_checks(monkeypatch, counts: Counter) -> None:
    """Count the boxes each candidate label position is compared with (labels._overlaps takes them all at once)."""
    original = labels._overlaps

    def counted(b, others, own):
        others = list(others)
        counts["overlap"] += sum(1 for o in others if o[4] != own)  # its own marker is skipped, not compared
        return original(b, others, own)

    monkeypatch.setattr(labels, "_overlaps", counted)


def counted_build(tmp_path: Path, n: int, distinct: bool, audience: str = "internal") -> Counter:
    """Build a market of ``n`` companies in-process and count the units of work."""
    root = tmp_path / f"{'distinct' if distinct else 'shared'}-{n}-{audience}"
    content = write_market(root, n, distinct)
    counts: Counter = Counter()
    with pytest.MonkeyPatch.context() as mp:
        _count_overlap_checks(mp, counts)
        _count_function(mp, counts, "relative_url", plan, "relative_url")
        _count_function(mp, counts, "comparison_average", quality, "comparison_average")
        _count_function(mp, counts, "to_html", text, "_to_html")
        _count_function(mp, counts, "render", text, "_render")
        _count_method(mp, counts, "find", SitePlan, "find")
        for block in ("_head_to_head", "_where_they_sit"):  # made once for a competitor's two pages
            _count_function(mp, counts, block, company_views, block)
        _count_method(mp, counts, "get", ValueMap, "get")
        # Markdown is cached per text for the whole process: start cold so each build counts its own work.
        text.markdown.cache_clear()
        text.inline_markdown.cache_clear()
        diagnostics = Diagnostics()
        # one process: the counters live here (forked render workers would count in their own memory)
        result = build(content, root / "site", diagnostics, audience=audience, workers=1)
    assert not diagnostics.has_errors(), diagnostics.items
    assert result.pages >= n, result  # every competitor has its page
    counts["pages"] = result.pages
    return counts


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[tuple[int, bool], Counter]:
    tmp = tmp_path_factory.mktemp("linear")
    return {(n, distinct): counted_build(tmp, n, distinct) for n in SIZES for distinct in (False, True)}


def _per_company(builds, key: str, distinct: bool) -> dict[int, float]:
    return {n: builds[(n, distinct)][key] / n for n in SIZES}


def _describe(builds, key: str, distinct: bool) -> str:
    return ", ".join(f"N={n}: {builds[(n, distinct)][key]} ({builds[(n, distinct)][key] / n:.2f}/company)"
                     for n in SIZES)


# Work that scales with the companies a page shows (every competitor on the home page's ranking...): per
# company the same at every size. Label overlap checks are bounded instead (see below); Markdown has its own.
LINEAR = {label: key for label, key in COUNTED.items() if key != "overlap"}


# With one shared text, Markdown work is constant, not per company (test_markdown_runs_once_per_unique_text):
# those pairs are not generated at all.
CASES = [(label, distinct) for label in LINEAR for distinct in (False, True)
         if distinct or LINEAR[label] not in ("to_html", "render")]


@pytest.mark.parametrize("label, distinct", CASES,
                         ids=[f"{label}-{'distinct' if d else 'shared'}-text" for label, d in CASES])
def test_work_per_company_is_constant(builds, label, distinct):
    """Each unit of work divided by N stays within ±15 % from one size to the next (30 → 120 → 240)."""
    key = LINEAR[label]
    per = _per_company(builds, key, distinct)
    assert builds[(SIZES[0], distinct)][key] > 0, f"{label}: never called — is the counter still wired in?"
    for small, large in zip(SIZES, SIZES[1:]):
        assert abs(per[large] / per[small] - 1) <= TOLERANCE, (
            f"{label} per company changes with the number of companies (a quadratic step if it grows): "
            f"{_describe(builds, key, distinct)}")


def test_the_marginal_company_costs_the_same_at_every_size(builds):
    """A stricter reading of linear: the work one more company adds is the same at 30→120 as at 120→240."""
    small, mid, large = SIZES
    for label, key in LINEAR.items():
        for distinct in (False, True):
            counts = {n: builds[(n, distinct)][key] for n in SIZES}
            first = (counts[mid] - counts[small]) / (mid - small)
            second = (counts[large] - counts[mid]) / (large - mid)
            assert abs(second - first) <= first * TOLERANCE + 0.05, (
                f"{label}: one more company costs more in a larger market: {_describe(builds, key, distinct)}")


# --- label placement ---------------------------------------------------------------------------------------
# The value map's area is fixed (760 × 480 px), so the density of labels grows with N: a grid cell of
# place_labels holds a share of *all* points, and comparing each candidate box with every box of its cells was
# quadratic (HEAD before this test: 2,000 points took 2.6 s per map, 1,000 took 0.83 s). Each cell now keeps at
# most labels._CELL_CAP markers and as many labels, so a candidate meets a bounded number of boxes.

def overlap_bound(label: str) -> int:
    """The most overlap checks placing one label can make: every candidate position × the grid cells its box
    can span (the box is 7.2 px per character + 4 wide, 16 px high; cells 160 × 48 px) × 2 capped lists."""
    width = 7.2 * len(label) + 4
    cells = (int(width // 160) + 2) * 2
    return len(labels.POSITIONS) * cells * 2 * labels._CELL_CAP


def _count_overlaps(monkeypatch, points) -> int:
    counts: Counter = Counter()
    with monkeypatch.context() as mp:
        _count_overlap_checks(mp, counts)
        labels.place_labels(points, (40.0, 160.0), (30.0, 170.0))
    return counts["overlap"]


def _spread(n: int, seed: int = 1) -> list[tuple[float, float, str]]:
    rng = random.Random(seed * 100_003 + n)
    return [(rng.uniform(50, 150), rng.uniform(40, 160), company_name(i)) for i in range(n)]


def test_label_overlap_checks_per_label_are_bounded_in_a_build(builds):
    """In the builds above: overlap checks per company stay below the bound for every map the company is on
    (the overall map and the one segment's)."""
    maps = 2
    bound = maps * max(overlap_bound(company_name(i)) for i in range(max(SIZES)))
    for (n, distinct), counts in builds.items():
        assert counts["overlap"] > 0
        assert counts["overlap"] / n <= bound, (n, distinct, counts["overlap"], bound)


def test_place_labels_is_linear_once_the_chart_is_crowded(monkeypatch):
    """Directly on place_labels, with sizes where the chart is solid with labels: checks per label stay
    within ±15 % from 1,000 to 2,000 to 4,000 points and below the bound (uncapped, they doubled with N)."""
    sizes = (1000, 2000, 4000)
    per = {}
    for n in sizes:
        points = _spread(n)
        per[n] = _count_overlaps(monkeypatch, points) / n
        assert per[n] <= max(overlap_bound(label) for _, _, label in points), (n, per[n])
    for small, large in zip(sizes, sizes[1:]):
        assert abs(per[large] / per[small] - 1) <= TOLERANCE, f"overlap checks per label: {per}"


@pytest.mark.parametrize("n", [1, 2, 5, 10, 20, 30])
def test_place_labels_is_unchanged_below_the_cap(monkeypatch, n):
    """Below the cap the placement is exactly the uncapped greedy one (the cap lifted gives the same)."""
    for seed in range(5):
        points = _spread(n, seed)
        capped = labels.place_labels(points, (40.0, 160.0), (30.0, 170.0))
        with monkeypatch.context() as mp:
            mp.setattr(labels, "_CELL_CAP", 10 ** 9)
            uncapped = labels.place_labels(points, (40.0, 160.0), (30.0, 170.0))
        assert capped == uncapped, (n, seed)


def test_sample_value_maps_are_placed_as_uncapped(sample, monkeypatch):
    """The sample market's maps (overall and each segment) are far below the cap: the same labels."""
    from generator.load import load_content
    from generator.score import score_market
    from generator.validate import validate

    diagnostics = Diagnostics()
    content = validate(load_content(sample.content, diagnostics), diagnostics)
    assert content is not None, diagnostics.items
    scores = score_market(content.site, content.companies)
    names = {s: c.name for s, c in content.companies.items()}
    identity = lambda key, **values: key  # noqa: E731
    for vmap in scores.maps():
        capped = value_map_chart.value_map_figure(vmap, names, identity, lambda p: ["1", "2", "3"])
        with monkeypatch.context() as mp:
            mp.setattr(labels, "_CELL_CAP", 10 ** 9)
            uncapped = value_map_chart.value_map_figure(vmap, names, identity, lambda p: ["1", "2", "3"])
        assert capped == uncapped, vmap.scenario.id


def test_a_competitors_page_and_its_battlecard_share_their_blocks(builds):
    """The head-to-head numbers and tables and the "where they sit" map are made once per competitor, for its
    page and its battlecard (views.common.shared_block keeps the last few blocks: the two pages are rendered
    one after the other). A memo emptied whenever it filled up made a fifth of them twice."""
    for (n, _), counts in builds.items():
        competitors = n - 1  # the first company is us
        assert counts["pages"] > 2 * competitors
        assert counts["_head_to_head"] == competitors, (n, counts["_head_to_head"])
        assert counts["_where_they_sit"] == competitors, (n, counts["_where_they_sit"])


def test_markdown_runs_once_per_unique_text(builds):
    """Markdown is converted once per unique text, whatever the number of pages that show it: with one
    summary shared by every company the engine runs a constant number of times; with a summary per
    company, a constant number of times per company."""
    shared = {n: builds[(n, False)] for n in SIZES}
    for key in ("to_html", "render"):
        counts = [shared[n][key] for n in SIZES]
        assert counts[0] > 0, f"{key}: never called"
        assert len(set(counts)) == 1, f"shared text: {key} grows with N: {_describe(builds, key, False)}"
    # Per company with distinct texts: the summary (on its page and on the competitors list) and the talk
    # track (internal audience): 3 conversions each, the same at every size.
    distinct = {n: builds[(n, True)] for n in SIZES}
    extra = [distinct[n]["render"] - shared[n]["render"] for n in SIZES]
    per = [e / (n - 1) for e, n in zip(extra, SIZES)]  # us has no competitor page
    assert max(per) - min(per) < 0.1, f"distinct texts: engine runs per company vary: {extra} for N = {SIZES}"
    assert 1 <= per[0] <= 4, per
