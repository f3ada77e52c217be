"""``valuemap serve``: build into a private folder, serve, rebuild on change, reload only after a good build.

The server runs in-process on port 0 (threads); every wait has a timeout that only guards against a hang —
nothing here asserts how long anything took.
"""
from __future__ import annotations

import http.client
import json
import os
import queue
import re
import signal
import threading
from pathlib import Path

import pytest

from generator.build import build
from generator.diagnostics import Diagnostic, Diagnostics
from generator.live_reload import EVENTS_PATH, SCRIPT_PATH, inject, overlay_html, problem_report, serve_policy
from generator.serve import LiveState, Outcome, ServeSession
from generator.site_folder import MARKER

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
WAIT = 15.0  # seconds: a guard against hanging, never an expectation


class Recorder:
    """A reporter that keeps what it was told (the terminal output of ``serve``)."""

    def __init__(self):
        self.lines: list[str] = []
        self.diagnostic_batches: list[list[Diagnostic]] = []

    def diagnostics(self, items):
        self.diagnostic_batches.append(list(items))

    def message(self, text):
        self.lines.append(text)

    def problem(self, text, code=None):
        self.lines.append("error: " + text)


@pytest.fixture
def session(tree, templates):
    reporter = Recorder()
    s = ServeSession(tree.content, templates=templates, port=0, reporter=reporter, root=tree.root)
    with s:
        s.reporter_record = reporter
        yield s


def get(session: ServeSession, path: str) -> tuple[int, str, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", session.port, timeout=WAIT)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8"), dict(response.getheaders())
    finally:
        conn.close()


class EventStream:
    """The SSE stream read by a thread; events arrive on a queue as (event, data)."""

    def __init__(self, session: ServeSession, page: str, address: str | None = None):
        attrs = dict(re.findall(r'data-(token|epoch|version)="([^"]*)"', page))
        self.conn = http.client.HTTPConnection("127.0.0.1", session.port, timeout=WAIT * 2)
        self.conn.request("GET", f"{EVENTS_PATH}?token={attrs['token']}&epoch={attrs['epoch']}"
                                 f"&version={attrs['version']}" + (f"&page={address}" if address else ""))
        self.response = self.conn.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type").startswith("text/event-stream")
        self.events: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        event, data = "message", []
        try:
            for raw in self.response:
                line = raw.decode("utf-8").rstrip("\r\n")
                if not line:
                    if data:
                        self.events.put((event, "\n".join(data)))
                    event, data = "message", []
                elif line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].strip())
        except (OSError, ValueError):
            pass
        self.events.put(("closed", ""))

    def next(self, wanted: str) -> str:
        """The data of the next ``wanted`` event; fails on a reload when ``wanted`` is something else."""
        while True:
            try:
                event, data = self.events.get(timeout=WAIT)
            except queue.Empty:
                pytest.fail(f"no '{wanted}' event on the stream")
            if event == wanted:
                return data
            assert event != "reload", f"unexpected reload while waiting for '{wanted}'"
            assert event != "closed", f"stream closed while waiting for '{wanted}'"

    def close(self):
        self.conn.close()


BROKEN = "name: Alphonse\nwebsite: x: y\nsummary: x\n"  # invalid YAML on line 2


# --------------------------------------------------------------------------- the round trip


def test_edit_break_fix_round_trip(session, tree):
    status, page, headers = get(session, "/")
    assert status == 200 and "Alpha" in page
    assert "text/html" in headers["Content-Type"]
    assert f'src="{SCRIPT_PATH}"' in page  # the reload script is added ...
    assert "connect-src 'self'" in page and "connect-src 'none'" not in page  # ... and may open its stream
    assert "valuemap-serve-problems" not in page
    stream = EventStream(session, page)
    try:
        # edit: the new name is served, and the browser is told to reload
        tree.replace("companies/alpha.yaml", "name: Alpha", "name: Alphonse Widgets")
        stream.next("reload")
        status, page, _ = get(session, "/")
        assert status == 200 and "Alphonse Widgets" in page and "valuemap-serve-problems" not in page

        # break: no reload; the problems are pushed and every served page carries them; last good content stays
        tree.write("companies/alpha.yaml", BROKEN)
        report = json.loads(stream.next("problems"))
        assert any("alpha.yaml:2" in item["location"] for item in report["items"]), report
        for path in ("/", "/methodology.html"):
            status, page, _ = get(session, path)
            assert status == 200
            assert 'id="valuemap-serve-problems"' in page
            assert re.search(r"companies/alpha\.yaml:2(:\d+)?</code>", page), page[:3000]
        assert "Alphonse Widgets" in get(session, "/")[1]  # the last good build is still served
        assert f'src="{SCRIPT_PATH}"' in page

        # fix: rebuilt and reloaded by itself
        tree.write("companies/alpha.yaml", tree.read("companies/beta.yaml")
                   .replace("name: Beta", "name: Alpha Fixed").replace("SECRET-TALK-beta", "SECRET-TALK-alpha"))
        stream.next("reload")
        status, page, _ = get(session, "/")
        assert "Alpha Fixed" in page and "valuemap-serve-problems" not in page
    finally:
        stream.close()
    reporter = session.reporter_record
    assert any(d.file and d.file.endswith("alpha.yaml") for batch in reporter.diagnostic_batches for d in batch)
    assert any("still serving the last good build" in line for line in reporter.lines)


@pytest.mark.parametrize("audience", ["external", "internal"])
def test_the_external_preview_s_banner_quotes_no_content_line(tree, templates, audience):
    """A mistake on the line of a talk track: the internal preview shows the line (with its caret), the
    external one — which may be shared with --host — only where it is, never what it says."""
    tree.replace("companies/beta.yaml", 'talk_track: "SECRET-TALK-beta"',
                 'talk_track: "SECRET-TALK-beta"\ntalk_trak: "SECRET-TYPO-beta"')
    with ServeSession(tree.content, templates=templates, port=0, reporter=Recorder(), root=tree.root,
                      audience=audience) as s:
        status, page, _ = get(s, "/")
    assert status == 503 and 'id="valuemap-serve-problems"' in page
    assert "talk_trak" in page  # the field is named: [talk_trak] (unknown-key)
    assert ("SECRET-TYPO-beta" in page) == (audience == "internal"), page[:3000]
    assert "SECRET-TALK-beta" not in page


def test_only_the_pages_an_edit_changed_reload_and_a_page_showing_problems_reloads_once_fixed(session, tree):
    home, beta = get(session, "/")[1], get(session, "/competitors/beta.html")[1]
    home_stream, beta_stream = EventStream(session, home, "/"), EventStream(session, beta, "/competitors/beta.html")
    try:
        assert session.state.wait_for_listeners(2, WAIT)
        assert session.state.watched() == {"index.html", "competitors/beta.html"}
        # Beta's talk track is on its own pages only: Beta's page reloads, the home page does not
        tree.replace("companies/beta.yaml", "SECRET-TALK-beta", "SECRET-TALK-beta, said again")
        beta_stream.next("reload")
        assert "SECRET-TALK-beta, said again" in get(session, "/competitors/beta.html")[1]
        # a broken file: the home page shows the problems (no reload came before them: next() fails on one);
        # once the file is as it was, it reloads to lose the banner, though its file did not change
        gamma = tree.read("companies/gamma.yaml")
        tree.write("companies/gamma.yaml", BROKEN)
        home_stream.next("problems")
        tree.write("companies/gamma.yaml", gamma)
        home_stream.next("reload")
    finally:
        home_stream.close()
        beta_stream.close()


def test_serves_the_internal_preview_in_a_private_folder_identical_to_a_build(session, tree, templates, tmp_path):
    assert session.out.is_relative_to(session.folder) and not session.out.is_relative_to(tree.root)
    assert not (tree.root / "site").exists()  # serve never writes site/, the folder CI publishes
    page = get(session, "/")[1]
    assert "internal-banner" in page  # the team's preview: internal audience by default
    diagnostics = Diagnostics()
    reference = tmp_path / "reference"
    build(tree.content, reference, diagnostics, templates_dir=templates, audience="internal")
    files = sorted(p.relative_to(reference) for p in reference.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(session.out) for p in session.out.rglob("*") if p.is_file())
    for rel in files:
        if rel.name != MARKER:
            assert (reference / rel).read_bytes() == (session.out / rel).read_bytes(), rel
    assert b"__valuemap" not in (session.out / "index.html").read_bytes()


def test_missing_page_is_404_with_the_script_and_assets_are_plain(session):
    status, page, _ = get(session, "/no/such/page.html")
    assert status == 404 and f'src="{SCRIPT_PATH}"' in page
    css = next(p for p in session.out.rglob("*.css"))
    status, body, headers = get(session, "/" + css.relative_to(session.out).as_posix())
    assert status == 200 and "__valuemap" not in body
    status, script, headers = get(session, SCRIPT_PATH)
    assert status == 200 and "javascript" in headers["Content-Type"] and "EventSource" in script


def test_first_build_failing_serves_an_error_page_until_fixed(tree, templates):
    good = tree.read("companies/alpha.yaml")
    tree.write("companies/alpha.yaml", BROKEN)
    with ServeSession(tree.content, templates=templates, port=0, reporter=Recorder(), root=tree.root) as s:
        status, page, _ = get(s, "/")
        assert status == 503
        assert 'id="valuemap-serve-problems"' in page and "alpha.yaml:2" in page
        assert f'src="{SCRIPT_PATH}"' in page and "connect-src 'self'" in page
        stream = EventStream(s, page)
        try:
            tree.write("companies/alpha.yaml", good)
            stream.next("reload")
        finally:
            stream.close()
        status, page, _ = get(s, "/")
        assert status == 200 and "Alpha" in page and "valuemap-serve-problems" not in page


def test_close_removes_the_private_folder(tree, templates):
    s = ServeSession(tree.content, templates=templates, port=0, root=tree.root)
    with s:
        assert (s.out / "index.html").is_file()
    assert not s.folder.exists()


def test_the_rebuild_function_can_be_swapped(tree, templates):
    seen = []

    def rebuild(changed):
        seen.append(changed)
        return Outcome(False, (Diagnostic("test", "<b>bad</b>", file="x.yaml", line=3, column=1),))

    with ServeSession(tree.content, templates=templates, port=0, rebuild=rebuild, root=tree.root) as s:
        assert seen == [frozenset()]
        page = get(s, "/")[1]
        assert "&lt;b&gt;bad&lt;/b&gt;" in page and "<b>bad</b>" not in page


def test_a_build_that_read_a_file_mid_save_is_made_again_before_problems_are_told(tree, templates):
    """An editor writing in place leaves the file empty for a moment: a build that read it then failed with
    problems that were not there. A failed rebuild whose saved file changed meanwhile is made again, and only
    what stays is told; a real problem is still told (after one look at the files)."""
    reporter = Recorder()
    saved = tree.content / "companies" / "beta.yaml"
    calls = []
    finished = saved.read_text(encoding="utf-8")

    def rebuild(changed):
        calls.append(changed)
        if changed and len(calls) == 2:  # the first rebuild of a save: read while the editor was writing
            saved.write_text(finished + "# saved\n", encoding="utf-8")  # ... which then finished
            return Outcome(False, (Diagnostic("yaml-empty", "the file is empty", file=str(saved)),))
        if changed and "broken" in saved.read_text(encoding="utf-8"):
            return Outcome(False, (Diagnostic("real", "a real problem", file=str(saved)),))
        return Outcome(True, ())

    with ServeSession(tree.content, templates=templates, port=0, rebuild=rebuild, root=tree.root,
                      reporter=reporter) as s:
        outcome = s.rebuild_now(frozenset({saved}))
        assert outcome.ok  # built again once the save had finished (the watcher may build too: not counted)
        assert not any("empty" in d.message for batch in reporter.diagnostic_batches for d in batch)
        saved.write_text(finished + "broken: yes\n", encoding="utf-8")
        outcome = s.rebuild_now(frozenset({saved}))
        assert not outcome.ok  # the file stays as it is: the problem is real, and told
        assert any(d.message == "a real problem" for batch in reporter.diagnostic_batches for d in batch)


def test_problems_reach_a_page_when_the_open_pages_went_first_and_the_build_then_failed(session):
    """A rebuild that moved the open pages in first (a new epoch) and then failed: the stream of a page
    whose file did not change may see both in one snapshot — it must still get the problems. And a page
    served with the banner whose stream connects only after a good build that left its file as it was
    reloads (to lose the banner)."""
    page = get(session, "/")[1]
    stream = EventStream(session, page, "/")
    failure = Outcome(False, (Diagnostic("test", "broken on purpose", file="content/companies/beta.yaml",
                                         line=2, column=1),))
    try:
        assert session.state.wait_for_listeners(1, WAIT)
        with session.state._cond:  # the stream thread sees the early publish and the failure as one snapshot
            session.state.published(frozenset(), frozenset())
            session.state.publish(failure)
        assert "broken on purpose" in stream.next("problems")
    finally:
        stream.close()
    with_banner = get(session, "/")[1]
    assert 'id="valuemap-serve-problems"' in with_banner
    session.state.publish(Outcome(True, changed=frozenset()))  # a good build that left index.html as it was
    late = EventStream(session, with_banner, "/")  # the page's own (older) epoch and version
    try:
        late.next("reload")
    finally:
        late.close()


# --------------------------------------------------------------------------- pieces


def test_problems_are_html_escaped():
    outcome = Outcome(False, (Diagnostic("unknown-key", "unknown key '<script>alert(1)</script>'",
                                         file="content/a&b.yaml", line=4, column=2, path="x.<y>",
                                         hint="did you mean \"<img>\"?"),), problem="boom <i>")
    text = overlay_html(problem_report(outcome, have_site=True))
    assert "<script>" not in text and "<img>" not in text and "<i>" not in text and "<y>" not in text
    assert "content/a&amp;b.yaml:4:2" in text and "&lt;script&gt;" in text


def test_policy_opens_connect_src_only():
    base = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'none'; "
            "base-uri 'none'")
    assert serve_policy(base) == ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                                  "connect-src 'self'; base-uri 'none'")
    assert "connect-src 'self'" in serve_policy("default-src 'none'")
    assert "script-src 'self'" in serve_policy("default-src 'none'")


def test_inject_keeps_the_page_and_adds_script_banner_and_policy():
    page = ('<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="default-src '
            "'none'; script-src 'self'; connect-src 'none'\"></head><body class=\"x\"><p>hi</p></body></html>")
    state = LiveState()
    state.publish(Outcome(True))
    out = inject(page, state, state.snapshot(), {"title": "T", "lead": "L", "items": []})
    assert "connect-src 'self'" in out and "<p>hi</p>" in out
    assert out.index('<body class="x">') < out.index("valuemap-serve-problems") < out.index("<p>hi</p>")
    assert out.index(SCRIPT_PATH) < out.index("</body>")
    assert 'data-epoch="1"' in out and f'data-token="{state.token}"' in out


# --------------------------------------------------------------------------- the command line


def test_cli_serve_is_wired_and_reports_a_missing_content_folder(cli, tmp_path):
    run = cli(tmp_path, "serve", "--content", "nowhere", "--port", "0")
    assert run.code == 1 and "content-missing" in run.err
    run = cli(tmp_path, "serve", "--help")
    assert run.code == 0 and "--port" in run.out and "--host" in run.out


class ServeProcess:
    """``valuemap serve`` in a process of its own, its private folder under ``tmp_path/tmp`` (TMPDIR): the
    signal tests. ``**popen``: where its output goes, its session, what it inherits."""

    def __init__(self, tree, tmp_path, **popen):
        import subprocess
        import sys

        self.temp = tmp_path / "tmp"
        self.temp.mkdir()
        env = dict(os.environ, TMPDIR=str(self.temp), PYTHONPATH=str(ROOT), NO_COLOR="1")
        popen.setdefault("stdout", subprocess.PIPE)
        popen.setdefault("stderr", subprocess.PIPE)
        self.proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--content", str(tree.content),
                                      "--port", "0"], cwd=tree.root, env=env, **popen)

    def folders(self) -> list[Path]:
        return list(self.temp.glob("valuemap-serve-*"))

    def wait_for_preview(self, read=None) -> None:
        """Until the first build is in the private folder (``read()``: drain a terminal meanwhile)."""
        import time

        deadline = time.monotonic() + WAIT * 4
        while time.monotonic() < deadline and not any((f / "site" / "index.html").is_file() for f in self.folders()):
            time.sleep(0.05)
            if read is not None:
                read()
        assert self.folders(), "serve never built its preview"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=WAIT)


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP here")
def test_a_closed_terminal_stops_serve_and_removes_its_private_folder(tree, tmp_path):
    """SIGHUP to the whole process group (a terminal tab closed, an SSH session lost) is a stop like Ctrl-C:
    the private preview folder — internal pages, the prospect list — is removed, and nothing prints a
    traceback. It used to die on the spot and leave the folder behind."""
    with ServeProcess(tree, tmp_path, text=True, start_new_session=True) as serve:
        serve.wait_for_preview()
        os.killpg(serve.proc.pid, signal.SIGHUP)
        out, err = serve.proc.communicate(timeout=WAIT * 2)
    assert serve.proc.returncode == 130, err
    assert "Traceback" not in err and "Traceback" not in out, err
    assert not serve.folders(), "the private preview folder was left behind"


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP here")
def test_a_real_terminal_closing_stops_serve_cleanly(tree, tmp_path):
    """In a terminal that is gone, writing "interrupted" fails (EIO): that last word may not end the run with
    an error (exit 1) and leave the private preview folder behind."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()

    def read():  # a terminal reads what it is sent
        try:
            os.read(master, 65536)
        except OSError:
            pass

    with ServeProcess(tree, tmp_path, stdout=slave, stderr=slave, start_new_session=True) as serve:
        os.close(slave)
        serve.wait_for_preview(read)
        os.close(master)  # the terminal goes away ...
        os.killpg(serve.proc.pid, signal.SIGHUP)  # ... and hangs up its session
        serve.proc.wait(timeout=WAIT * 2)
    assert serve.proc.returncode == 130
    assert not serve.folders(), "the private preview folder was left behind"


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP here")
def test_nohup_keeps_serve_running_when_the_terminal_closes(tree, tmp_path):
    """`nohup valuemap serve &`: a SIGHUP the caller chose to ignore stays ignored (SIGINT still stops it)."""
    import time

    def ignore_hangup():
        signal.signal(signal.SIGHUP, signal.SIG_IGN)

    with ServeProcess(tree, tmp_path, text=True, preexec_fn=ignore_hangup) as serve:
        serve.wait_for_preview()
        serve.proc.send_signal(signal.SIGHUP)
        time.sleep(1.0)
        assert serve.proc.poll() is None, "serve stopped on a SIGHUP that nohup had it ignore"
        serve.proc.send_signal(signal.SIGINT)
        out, err = serve.proc.communicate(timeout=WAIT * 2)
    assert serve.proc.returncode == 130, err
    assert not serve.folders()


def test_cli_serve_warns_off_loopback_and_ctrl_c_exits_130(cli, tree, templates, monkeypatch):
    from generator import serve as serve_module

    folders = []

    def interrupted(self):
        folders.append(self.folder)
        assert get(self, "/")[0] == 200
        raise KeyboardInterrupt

    monkeypatch.setattr(serve_module.ServeSession, "wait", interrupted)
    run = cli(tree.root, "serve", "--port", "0", "--host", "0.0.0.0", "--templates", str(templates))
    assert run.code == 130, run
    assert "warning: serving on 0.0.0.0" in run.out
    assert "interrupted" in run.err and "Traceback" not in run.err + run.out
    assert "Serving the internal preview at http://127.0.0.1:" in run.out
    assert folders and not folders[0].exists()


def test_cli_serve_port_in_use_is_a_usage_error(cli, tree, templates):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        run = cli(tree.root, "serve", "--port", str(port), "--templates", str(templates))
    assert run.code == 2 and "cannot listen" in run.err


# --------------------------------------------------------------------------- in a real browser

CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


@pytest.mark.browser
def test_browser_reloads_by_itself_after_an_edit_without_csp_errors(session, tree, browser):
    # the session's one Playwright driver (tests/conftest.py): a second sync driver in one session fails
    console: list[str] = []
    try:
        context = browser.new_context()
        context.add_init_script(CSP_RECORDER)
        page = context.new_page()
        page.on("console", lambda m: m.type in ("error", "warning") and console.append(f"[{m.type}] {m.text}"))
        page.goto(session.url, wait_until="load")
        assert "Alpha" in page.inner_text("body")
        # the script's event stream is open before the file changes
        assert session.state.wait_for_listeners(1, WAIT), (
            f"the page did not open its event stream; CSP violations: "
            f"{page.evaluate('window.__cspViolations')}; console: {console}")
        assert page.evaluate("window.__cspViolations") == []
        with page.expect_event("load", timeout=WAIT * 1000):
            tree.replace("companies/alpha.yaml", "name: Alpha", "name: Alphonse Reloaded")
        page.wait_for_function("() => document.body && document.body.innerText.includes('Alphonse Reloaded')",
                               timeout=WAIT * 1000)
        assert page.evaluate("window.__cspViolations") == []

        # a broken file: the banner appears without a reload (pushed on the stream), text escaped
        tree.write("companies/alpha.yaml", BROKEN)
        page.wait_for_selector("#valuemap-serve-problems", timeout=WAIT * 1000)
        banner = page.inner_text("#valuemap-serve-problems")
        assert "alpha.yaml:2" in banner
        assert "Alphonse Reloaded" in page.inner_text("main")
        assert page.evaluate("window.__cspViolations") == []
    finally:
        context.close()
    assert console == []  # no CSP report ("Refused to connect ..."), no failed load, no script error


def test_the_rebuild_message_names_the_saved_file_not_an_editor_s_temporary_one(session, tree):
    """sed -i and many editors save by writing a temporary file and renaming it over the real one: the
    watcher reports both; the message names the file that is still there."""
    real = tree.content / "companies" / "beta.yaml"
    real.write_text(real.read_text().replace("Beta sells widgets.", "Beta sells more widgets."))
    gone = tree.content / "companies" / ".#beta.yaml"  # an editor's temporary name: sorts first, gone by now
    session.rebuild_now(frozenset({gone, real}))
    line = session.reporter_record.lines[-1]
    assert "after content/companies/beta.yaml and 1 more" in line, line


@pytest.mark.browser
def test_browser_reloads_only_the_tab_whose_page_changed(session, tree, browser):
    context = browser.new_context()
    try:
        home, beta = context.new_page(), context.new_page()
        home.goto(session.url, wait_until="load")
        beta.goto(session.url + "competitors/beta.html", wait_until="load")
        assert session.state.wait_for_listeners(2, WAIT)
        for tab in (home, beta):
            tab.evaluate("window.__stillHere = true")  # gone if the tab reloads
        with beta.expect_event("load", timeout=WAIT * 1000):
            tree.replace("companies/beta.yaml", "SECRET-TALK-beta", "SECRET-TALK-beta, said again")
        assert "said again" in beta.inner_text("body")
        assert beta.evaluate("window.__stillHere === undefined")
        assert session.state.wait_for_listeners(2, WAIT)  # the reloaded tab's stream is open again
        assert home.evaluate("window.__stillHere === true")  # its page did not change: not reloaded
    finally:
        context.close()
