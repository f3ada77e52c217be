"""Pages rendered in worker processes and streamed to the temporary folder: the same bytes as one process, the
same diagnostics (once, in page order), the previous site kept on failure, nothing held back in memory."""
from __future__ import annotations

from pathlib import Path

import pytest

from generator import parallel
from generator.build import build
from generator.diagnostics import ContentError, Diagnostics

from tests.conftest import site_digest as snapshot
from tests.unit.test_atomic import SLOW_BUILD

ROOT = Path(__file__).resolve().parents[2]


def test_one_and_two_workers_write_identical_sites(sample, templates, tmp_path):
    one = build(sample.content, tmp_path / "one", Diagnostics(), templates_dir=templates, workers=1)
    two = build(sample.content, tmp_path / "two", Diagnostics(), templates_dir=templates, workers=2)
    a, b = snapshot(tmp_path / "one"), snapshot(tmp_path / "two")
    assert len(a) > 20
    assert a == b  # manifest included: sorted, whatever order the workers finished in
    assert (one.pages, one.files, one.bytes) == (two.pages, two.files, two.bytes)


def test_the_pool_really_forks_and_every_page_is_counted(sample, templates, tmp_path, monkeypatch):
    calls = []
    real = parallel.render_pages

    def spy(*args, **kwargs):
        calls.append(kwargs["workers"])
        return real(*args, **kwargs)

    monkeypatch.setattr(parallel, "render_pages", spy)
    result = build(sample.content, tmp_path / "site", Diagnostics(), templates_dir=templates, workers=2)
    assert calls == [2]
    manifest = (tmp_path / "site" / ".valuemap-site").read_text().splitlines()[1:]
    on_disk = sorted(p.relative_to(tmp_path / "site").as_posix() for p in (tmp_path / "site").rglob("*")
                     if p.is_file() and p.name != ".valuemap-site")
    assert len(manifest) == len(on_disk) == result.files


def test_small_sites_stay_in_one_process():
    assert parallel.choose_workers(30) == 1  # the sample: the pool would cost more than it saves
    assert parallel.choose_workers(5000, 1) == 1
    assert parallel.choose_workers(5000, 2) == 2
    assert parallel.choose_workers(3, 8) == 3


def test_a_template_error_in_a_worker_is_reported_once_and_the_old_site_stays(sample, templates, tmp_path):
    out = tmp_path / "site"
    build(sample.content, out, Diagnostics(), templates_dir=templates, workers=2)
    before = snapshot(out)
    page = templates / "competitor.html"
    page.write_text(page.read_text().replace("{% block content %}", "{% block content %}{{ no_such_field }}", 1))
    diagnostics = Diagnostics()
    with pytest.raises(ContentError):
        build(sample.content, out, diagnostics, templates_dir=templates, workers=2)
    errors = [d for d in diagnostics.sorted() if d.code == "template-error"]
    competitors = [p for p in (out / "competitors").glob("*.html") if p.name != "index.html"]
    # one mistake, said once (it was one error per competitor page: thousands in a large market)
    assert len(errors) == 1, [e.message for e in errors]
    assert errors[0].message.endswith(f"(while rendering competitors/{sorted(p.name for p in competitors)[0]} "
                                      f"and {len(competitors) - 1} other pages)"), errors[0].message
    assert "competitor.html" in (errors[0].file or "")
    assert snapshot(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".valuemap-")]


def test_pages_are_streamed_not_held(sample, templates, tmp_path, monkeypatch):
    """Each page is on disk in the temporary folder before the next one renders (one process here)."""
    from generator import write

    seen: list[int] = []
    real = write.SiteWriter.write

    def spy(self, rel, data):
        real(self, rel, data)
        if rel.endswith(".html"):
            seen.append(sum(1 for p in self.tmp.rglob("*.html")))

    monkeypatch.setattr(write.SiteWriter, "write", spy)
    build(sample.content, tmp_path / "site", Diagnostics(), templates_dir=templates, workers=1)
    assert seen == list(range(1, len(seen) + 1)) and len(seen) >= 20  # one more page on disk per page rendered


# The child runs the real CLI with two workers and SiteWriter.write slowed down (inherited by the forked
# workers), so Ctrl-C lands while the workers are writing pages.
SLOW_PARALLEL_BUILD = SLOW_BUILD  # the same child: the forked workers inherit the slowed write


@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
def test_ctrl_c_to_the_whole_group_during_a_parallel_build_keeps_the_old_site(sample, cli, sig):
    import os
    import signal
    import subprocess
    import sys
    import time

    assert cli(sample.root, "build").code == 0
    before = snapshot(sample.root / "site")
    sample.replace("companies/ticketeer.yaml", "name: Ticketeer", "name: Ticketeer Renamed")
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1", VALUEMAP_WORKERS="2")
    proc = subprocess.Popen([sys.executable, "-c", SLOW_PARALLEL_BUILD], cwd=sample.root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if any(tmp.glob("competitors/*.html") for tmp in sample.root.glob(".valuemap-tmp-*")):
            break
        if proc.poll() is not None:
            pytest.fail(f"build ended before it could be interrupted: {proc.communicate()}")
        time.sleep(0.01)
    else:
        pytest.fail("the build never started writing")
    os.killpg(proc.pid, getattr(signal, sig))  # as a terminal's Ctrl-C does: every process of the group
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err, err
    assert snapshot(sample.root / "site") == before
    assert not [p for p in sample.root.iterdir() if p.name.startswith(".valuemap-")]


def test_company_files_read_ahead_in_a_second_process_give_the_same_content_and_problems(tmp_path, monkeypatch):
    """A large market's company files are parsed two in three by a forked reader (load.read_in_order): the
    validated content, and every problem with its file, line and column, are those of one process."""
    from generator import load
    from generator.build import check
    from tests.unit.test_linear import write_market

    content = write_market(tmp_path, load.READ_AHEAD_MIN + 40, distinct=True)
    companies = content / "companies"
    (companies / "c0005.yaml").write_text("name: [unclosed\n", encoding="utf-8")  # YAML syntax
    text = (companies / "c0007.yaml").read_text(encoding="utf-8")
    (companies / "c0007.yaml").write_bytes(b"\xef\xbb\xbf" + text.encode())  # a warning, the file still valid
    (companies / "c0008.yaml").write_text(text.replace("setup: ", "setup: 99", 1), encoding="utf-8")  # out of scale
    (companies / "c0011.yaml").write_text("- a list\n", encoding="utf-8")  # not a mapping

    def run(workers: str):
        monkeypatch.setenv("VALUEMAP_WORKERS", workers)
        loads = []
        real = load.PendingFile.load
        monkeypatch.setattr(load.PendingFile, "load", lambda self, d: loads.append(self.path) or real(self, d))
        found = Diagnostics()
        with pytest.raises(ContentError):
            check(content, found)
        monkeypatch.setattr(load.PendingFile, "load", real)
        return [(d.code, d.file, d.line, d.column, d.path, d.message) for d in found.items], len(loads)

    one, loads_one = run("1")
    two, loads_two = run("2")
    assert two == one
    codes = {c[0] for c in one}
    assert {"yaml-syntax", "encoding-bom", "file-not-mapping"} <= codes, codes
    assert any(c[1].endswith("c0008.yaml") and c[2] and c[2] > 1 for c in one), one  # its line, read again
    assert loads_one == load.READ_AHEAD_MIN + 40
    assert loads_two < loads_one // 2  # the reader parsed the others


def test_a_pool_whose_idle_workers_got_sigterm_still_stops():
    """Idle workers wait for work holding the pool's queue lock. SIGTERM to the process group (CI cancelling
    a build) ended them, the pool started others, and Pool.terminate() in the parent waited for that lock
    forever (the group-SIGTERM test above hung one run in three; under load, every time). cpus.stop_pool
    kills and reaps the workers without waiting on the lock, and leaves no worker behind holding the pipes."""
    code = ("import os, signal, time\n"
            "from generator.cpus import forked_pool\n"
            "try:\n"
            "    with forked_pool(2) as pool:\n"
            "        time.sleep(0.5)  # idle: one is blocked reading the task queue, holding its lock\n"
            "        for p in pool._pool:\n"
            "            os.kill(p.pid, signal.SIGTERM)\n"
            "        time.sleep(0.3)  # the pool may have started others in their place\n"
            "        raise KeyboardInterrupt  # the block fails: the pool is stopped (cpus.stop_pool)\n"
            "except KeyboardInterrupt:\n"
            "    pass\n"
            "assert all(p.exitcode is not None for p in pool._pool)\n"
            "print('stopped')\n")
    for done in _three_runs(code):
        assert done.returncode == 0 and "stopped" in done.stdout, done.stderr


def test_a_ctrl_c_held_back_while_the_workers_start_stops_the_pool():
    """Ctrl-C is held back while the pool forks. Let through before the pool was guarded, it dropped the new
    pool: its finaliser ran Pool.terminate and the build hung joining a worker (the group-Ctrl-C test above,
    on a busy machine). Now it lands inside the guard, which stops every worker, and the process ends."""
    code = ("import os, signal, multiprocessing.pool as mp\n"
            "from generator.cpus import forked_pool\n"
            "made = []\n"
            "original = mp.Pool.__init__\n"
            "def init(self, *args, **kwargs):\n"
            "    original(self, *args, **kwargs)\n"
            "    made.append(self)\n"
            "    os.kill(os.getpid(), signal.SIGINT)  # held back: it lands when forked_pool lets it through\n"
            "mp.Pool.__init__ = init\n"
            "try:\n"
            "    with forked_pool(2) as pool:\n"
            "        print('the block ran')\n"
            "except KeyboardInterrupt:\n"
            "    assert all(p.exitcode is not None for p in made[0]._pool)\n"
            "    print('stopped')\n")
    for done in _three_runs(code):
        assert done.returncode == 0 and done.stdout.strip() == "stopped", (done.stdout, done.stderr)


def _three_runs(code: str):
    """``code`` run three times in a fresh interpreter (a race shows on some runs only), each run's result."""
    import os
    import subprocess
    import sys

    for _ in range(3):
        yield subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_market_pages_go_out_one_by_one_first_and_a_company_s_pages_together():
    from types import SimpleNamespace as Planned

    pages = [Planned(key=f"c{i % 400:03d}") for i in range(800)] + [Planned(key="") for _ in range(5)]
    order = sorted(range(len(pages)), key=lambda i: (pages[i].key or "", i))
    chunks = parallel._chunks(pages, order, 2)
    assert sorted(i for chunk in chunks for i in chunk) == list(range(len(pages)))  # every page, once
    assert chunks[:5] == [[i] for i in range(800, 805)]  # the market-wide pages: alone, first
    together = sum(1 for chunk in chunks[5:] for a, b in zip(chunk, chunk[1:]) if pages[a].key == pages[b].key)
    assert together == 400  # a company's two pages: never split by a chunk boundary
    sizes = [len(chunk) for chunk in chunks[5:]]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] == 100  # 800 / (4 × 2): shrinking chunks …
    assert sizes[-1] <= parallel.MIN_CHUNK  # … down to a few pages, so the workers end together
    assert len(sizes) < 60  # and still few round trips
