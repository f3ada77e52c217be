"""``valuemap serve``'s HTTP side: the files of the last good build, with the reload script and (after a failed
build) the problems banner added to the HTML it sends; the Server-Sent Events stream that tells each open page
to reload or shows it the problems; the servers for IPv4 and IPv6. The session that builds, watches and swaps
is :mod:`generator.serve`; what a page is sent with is :mod:`generator.live_reload`, what the builds so far
were is :mod:`generator.live_state`."""
from __future__ import annotations

import ipaddress
import json
import socket
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .live_reload import ERROR_PAGE, EVENTS_PATH, RELOAD_JS, SCRIPT_PATH, SERVE_CSS, STYLE_PATH, inject, problem_report
from .live_state import LiveState, Snapshot, site_file

KEEPALIVE_S = 15.0
PENDING_WAIT_S = 120.0  # a page the rebuild has still to make is sent once it is made (or after this long)


class Handler(SimpleHTTPRequestHandler):
    """Files of the last good build, with :func:`inject` applied to HTML; the event stream; the script."""

    state: LiveState  # set on the subclass made by :class:`generator.serve.ServeSession`
    root: Path | None
    excerpts = True  # the content lines a problem points at, in the banner: not in the external preview
    server_version = "valuemap-serve"
    sys_version = ""

    def log_message(self, format, *args):  # noqa: A002 - the terminal is for build results, not requests
        pass

    def do_GET(self):
        self._respond(head=False)

    def do_HEAD(self):
        self._respond(head=True)

    def _send(self, status: int, ctype: str, body: bytes, head: bool, *, cache: str = "no-store") -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _report(self, snap: Snapshot) -> dict | None:
        if snap.outcome is None or snap.outcome.ok:
            return None
        return problem_report(snap.outcome, have_site=snap.epoch > 0, root=self.root, excerpts=self.excerpts)

    def _respond(self, head: bool) -> None:
        path = urlsplit(self.path).path
        if path == EVENTS_PATH and not head:
            return self._events()
        if path == SCRIPT_PATH:
            return self._send(200, "text/javascript; charset=utf-8", RELOAD_JS.encode(), head)
        if path == STYLE_PATH:
            return self._send(200, "text/css; charset=utf-8", SERVE_CSS.encode(), head)
        snap = self.state.snapshot()
        if snap.epoch == 0:  # no good build yet: the error page (with the script) until it is fixed
            report = self._report(snap) or {"title": "valuemap serve: building…", "lead": "", "items": []}
            page = inject(ERROR_PAGE, self.state, snap, report)
            return self._send(503, "text/html; charset=utf-8", page.encode(), head)
        page = site_file(path)
        if page is not None:  # a page the running rebuild has still to make is sent once it is made
            self.state.wait_fresh(page, PENDING_WAIT_S)
            snap = self.state.snapshot()
        file = Path(self.translate_path(self.path))
        if file.is_dir():
            if not path.endswith("/"):
                return super().do_HEAD() if head else super().do_GET()  # redirects to the folder with a "/"
            file = file / "index.html"
        if file.suffix == ".html" and file.is_file():
            return self._send_page(200, file, snap, head)
        if not file.exists():
            return self._send_page(404, Path(self.directory) / "404.html", snap, head)
        return super().do_HEAD() if head else super().do_GET()

    def _send_page(self, status: int, file: Path, snap: Snapshot, head: bool) -> None:
        try:
            text = file.read_bytes().decode("utf-8", errors="replace")
        except OSError:  # swapped away between the check and the read (only where the swap is two renames)
            return self._send(404, "text/plain; charset=utf-8", b"not found\n", head)
        page = inject(text, self.state, snap, self._report(snap))
        self._send(status, "text/html; charset=utf-8", page.encode("utf-8"), head)

    def _events(self) -> None:
        query = parse_qs(urlsplit(self.path).query)

        def number(name: str) -> int:
            try:
                return int(query.get(name, ["-1"])[0])
            except ValueError:
                return -1

        token, seen_epoch, seen_version = query.get("token", [""])[0], number("epoch"), number("version")
        page = site_file(query.get("page", [""])[0])  # the file of the page this stream is for
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Accel-Buffering", "no")
        self.end_headers()
        snap = self.state.snapshot()
        # The page shows a banner of problems if a build failed at or after the one it was served after (the
        # stream may connect, or reconnect with the page's first address, after later builds).
        problems = self.state.failed_since(seen_version)
        self.state.listening(+1, page)
        try:
            self._write("retry: 1000\n\n")
            while not snap.closed:
                if token != self.state.token or snap.epoch > seen_epoch and (
                        problems or self.state.changed_since(page, seen_epoch)):
                    self._write(f"event: reload\ndata: {snap.epoch}\n\n")  # only ever after a successful build
                    token, seen_epoch = self.state.token, snap.epoch
                else:
                    if snap.epoch > seen_epoch:  # a build that left this page's file as it was: no reload
                        seen_epoch = snap.epoch
                        self._write(": unchanged\n\n")
                    # (a rebuild that moved the open pages in first and then failed: both in one snapshot)
                    if snap.version != seen_version and snap.outcome is not None and not snap.outcome.ok:
                        self._write(f"event: problems\ndata: {json.dumps(self._report(snap))}\n\n")
                        problems = True
                    elif snap.version == seen_version:
                        self._write(": keep-alive\n\n")
                seen_version = snap.version
                snap = self.state.wait(seen_version, KEEPALIVE_S)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError):
            pass  # the page went away (reload, closed tab)
        finally:
            self.state.listening(-1, page)
        self.close_connection = True

    def _write(self, text: str) -> None:
        self.wfile.write(text.encode("utf-8"))
        self.wfile.flush()


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class Server6(Server):
    address_family = socket.AF_INET6


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        pass
    if host.lower() == "localhost":
        return True
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    return bool(infos) and all(ipaddress.ip_address(info[4][0].split("%")[0]).is_loopback for info in infos)
