"""Atomic, deterministic builds: same bytes twice; a build killed midway leaves the old site as it was."""
from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

# The child runs the real CLI with SiteWriter.write slowed down, so the signal lands while files are written.
SLOW_BUILD = """
import sys, time
import generator.write as w
original = w.SiteWriter.write
def slow(self, path, data):
    time.sleep(0.05)
    return original(self, path, data)
w.SiteWriter.write = slow
from generator.cli import main
sys.exit(main(["build"]))
"""


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_content_builds_identical_bytes(sample, cli, tmp_path):
    assert cli(sample.root, "build", "--out", str(tmp_path / "one")).code == 0
    assert cli(sample.root, "build", "--out", str(tmp_path / "two")).code == 0
    one, two = snapshot(tmp_path / "one"), snapshot(tmp_path / "two")
    assert len(one) > 20
    assert one == two


def test_rebuild_in_place_is_identical_and_leaves_nothing_behind(tree, cli):
    assert cli(tree.root, "build").code == 0
    first = snapshot(tree.root / "site")
    assert cli(tree.root, "build").code == 0
    assert snapshot(tree.root / "site") == first
    assert sorted(p.name for p in tree.root.iterdir()) == ["content", "site"]


def _start_slow_build(root: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
    return subprocess.Popen([sys.executable, "-c", SLOW_BUILD], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_writing(root: Path, proc: subprocess.Popen) -> Path:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for tmp in root.glob(".valuemap-tmp-*"):
            if any(tmp.glob("competitors/*.html")):  # some pages written, more to come
                return tmp
        if proc.poll() is not None:
            pytest.fail(f"build ended before it could be interrupted: {proc.communicate()}")
        time.sleep(0.01)
    pytest.fail("the build never started writing")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_build_interrupted_midway_keeps_the_old_site(sample, cli, sig):
    assert cli(sample.root, "build").code == 0
    before = snapshot(sample.root / "site")
    sample.replace("companies/ticketeer.yaml", "name: Ticketeer", "name: Ticketeer Renamed")
    proc = _start_slow_build(sample.root)
    _wait_for_writing(sample.root, proc)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert snapshot(sample.root / "site") == before
    assert not [p for p in sample.root.iterdir() if p.name.startswith(".valuemap-")]


def test_build_killed_midway_keeps_the_old_site_and_next_build_cleans_up(sample, cli):
    assert cli(sample.root, "build").code == 0
    before = snapshot(sample.root / "site")
    sample.replace("companies/ticketeer.yaml", "name: Ticketeer", "name: Ticketeer Renamed")
    proc = _start_slow_build(sample.root)
    tmp = _wait_for_writing(sample.root, proc)
    proc.kill()
    proc.communicate(timeout=60)
    assert snapshot(sample.root / "site") == before
    assert tmp.exists()  # SIGKILL cannot be caught: the half-written folder stays beside the site ...
    run = cli(sample.root, "build")
    assert run.code == 0, run.err
    assert not tmp.exists()  # ... and the next build removes it
    assert "Ticketeer Renamed" in (sample.root / "site" / "index.html").read_text()
