"""Shared fixtures: inline content trees (MkDocs-style), the sample site, and an in-process CLI runner."""
from __future__ import annotations

import io
import os
import shutil
import textwrap
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "content"

SITE_YAML = """\
title: Test market
market: Widgets
currency: EUR
price_basis: per seat per month
us: alpha
price_reference: {tier: standard, seats: 10}
dimensions:
  - id: usability
    label: Ease of use
    weight: 0.5
    criteria:
      - {id: setup, label: Setup, weight: 1}
      - {id: daily-use, label: Daily use, weight: 3}
  - id: service
    label: Personal approach
    weight: 0.5
segments:
  - id: small
    label: Small teams
    price_reference: {tier: standard, seats: 2}
    weights: {usability: 3, service: 1}
source_kinds:
  - {id: mystery-shopper, label: Mystery shopper}
  - {id: internal-metric, label: Internal metric, independent: false, weight: 0.5}
"""

COMPANY_YAML = """\
name: {name}
website: https://{slug}.example
summary: "{name} sells widgets."
prices:
  - {{plan: Basic, tier: standard, price: {price}, seats: {{min: 1}}}}
scores:
  usability:
    setup: {setup}
    daily-use: {daily}
  service: {service}
strengths: ["Fast"]
weaknesses: ["Small"]
talk_track: "SECRET-TALK-{slug}"
internal_notes: "SECRET-NOTE-{slug}"
"""

# Three companies with hand-checkable numbers (see tests/unit/test_score.py).
COMPANIES = {
    "alpha": dict(name="Alpha", price=60, setup=8, daily=8, service=9),
    "beta": dict(name="Beta", price=40, setup=6, daily=6, service=5),
    "gamma": dict(name="Gamma", price=50, setup=4, daily=8, service=7),
}


@dataclass
class Tree:
    root: Path  # the project folder (content/ inside)

    @property
    def content(self) -> Path:
        return self.root / "content"

    def write(self, rel: str, text: str) -> Path:
        path = self.content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text) if not text.startswith(("name:", "title:")) else text, encoding="utf-8")
        return path

    def write_bytes(self, rel: str, data: bytes) -> Path:
        path = self.content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def read(self, rel: str) -> str:
        return (self.content / rel).read_text(encoding="utf-8")

    def review_texts(self, day: str = "2026-11-01") -> None:
        """Mark the fixture companies' free text reviewed for external pages (the --strict review gate)."""
        for slug in COMPANIES:
            rel = f"companies/{slug}.yaml"
            self.replace(rel, "sells widgets.\"\n", f"sells widgets.\"\nsummary_reviewed: {day}\n")
            self.replace(rel, 'strengths: ["Fast"]', f"strengths: [{{text: Fast, reviewed: {day}}}]")
            self.replace(rel, 'weaknesses: ["Small"]', f"weaknesses: [{{text: Small, reviewed: {day}}}]")

    def replace(self, rel: str, old: str, new: str) -> None:
        text = self.read(rel)
        assert old in text, f"{old!r} not in {rel}"
        (self.content / rel).write_text(text.replace(old, new, 1), encoding="utf-8")


def company_yaml(slug: str, **values) -> str:
    return COMPANY_YAML.format(slug=slug, **values)


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    """A small valid content tree: 3 companies, 2 dimensions (one with criteria), 1 segment, 1 page."""
    t = Tree(tmp_path)
    t.write("site.yaml", SITE_YAML)
    for slug, values in COMPANIES.items():
        t.write(f"companies/{slug}.yaml", company_yaml(slug, **values))
    t.write("pages/about.md", "---\ntitle: About us\norder: 1\n---\n# Why\n\nWe compete on *value*.\n")
    return t


@pytest.fixture
def sample(tmp_path: Path) -> Tree:
    """A private copy of the sample market in content/."""
    shutil.copytree(SAMPLE, tmp_path / "content")
    return Tree(tmp_path)


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    """A private copy of the templates: edits elsewhere in the checkout can neither make two builds differ nor
    trigger a rebuild in a test that watches them."""
    return Path(shutil.copytree(ROOT / "templates", tmp_path / "templates-copy"))


def site_digest(folder: Path) -> dict[str, str]:
    """Every file of a built site, by path: its sha256 (two builds compared byte for byte)."""
    import hashlib
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def cli(monkeypatch):
    """Run the CLI in-process: ``cli(tree.root, 'build')`` → Run(code, out, err)."""

    def run(cwd: Path, *args: str) -> Run:
        monkeypatch.chdir(cwd)
        monkeypatch.setenv("NO_COLOR", "1")
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse usage errors, --version
                code = exc.code if isinstance(exc.code, int) else 1
        return Run(code, out.getvalue(), err.getvalue())

    return run


# --- one Playwright driver and one Chromium for the whole session (tests/browser and the serve test) ----
# Playwright's sync API runs one driver per thread: a second sync_playwright() in the same session fails,
# so every test that needs a browser asks for these fixtures.

CHROMIUM = Path(os.environ.get("VALUEMAP_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
REQUIRE_BROWSER = os.environ.get("VALUEMAP_REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes"}


def browser_unavailable(reason: str):
    """Skip (developer machine) or fail (``VALUEMAP_REQUIRE_BROWSER=1``, CI) when a tool is missing."""
    if REQUIRE_BROWSER:
        pytest.fail(f"{reason} (VALUEMAP_REQUIRE_BROWSER=1 makes this an error)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def playwright():
    """A running Playwright driver for Debian's Chromium."""
    if not CHROMIUM.is_file():
        browser_unavailable(f"{CHROMIUM} not found (apt-get install chromium): browser tests need it")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        browser_unavailable("the playwright package is not installed (pip install -e '.[test]')")
    driver = sync_playwright().start()
    yield driver
    driver.stop()


def launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@pytest.fixture(scope="session")
def browser(playwright):
    """Headless Debian Chromium, shared by the session."""
    chromium = launch(playwright)
    yield chromium
    chromium.close()
