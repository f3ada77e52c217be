"""Screenshots of every page type at 1280 px, 375 px and in print, for the design review (docs/design.md).

    .venv/bin/python tools/screenshots.py [OUT] [--content DIR] [--audience external|internal]

Builds the sample market (``content/``) into a temporary folder, opens one page of each type in headless
Chromium (``/usr/bin/chromium``, or ``VALUEMAP_CHROMIUM``) through Playwright with a real viewport — 1280 px and
375 px wide, full page — and prints each one to a PDF (A4, print media) turned into PNGs with ``pdftoppm``
(one PNG per printed page). Writes ``OUT/<page>-1280.png``, ``OUT/<page>-375.png`` and
``OUT/<page>-print-<n>.png``; OUT defaults to ``/tmp/shots-design/pages-after`` — outside the checkout, so
nothing here reaches git. Needs no network.
"""
from __future__ import annotations

import argparse
import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.build import build  # noqa: E402
from generator.diagnostics import Diagnostics  # noqa: E402

CHROMIUM = Path(os.environ.get("VALUEMAP_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
CHARTS_DRAWN = """() => Array.from(document.querySelectorAll('[data-chart]'))
                           .every(c => c.querySelector('.main-svg'))"""

# One page of each type: (name, path in the site; the first matching file of a glob).
PAGES = [
    ("home", "index.html"), ("competitors", "competitors/index.html"), ("competitor", "competitors/ticketeer.html"),
    ("battlecard", "battlecards/ticketeer.html"), ("canvas", "canvas.html"), ("dimensions", "dimensions/index.html"),
    ("dimension", "dimensions/usability.html"), ("segments", "segments/index.html"),
    ("segment", "segments/small-teams.html"), ("methodology", "methodology.html"), ("weigh", "weigh.html"),
    ("changes", "changes.html"), ("page", "pages/*.html"), ("not-found", "404.html"), ("audit", "audit.html"),
]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


def resolve(site: Path, pattern: str) -> Path | None:
    found = sorted(site.glob(pattern))
    return found[0] if found else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", default="/tmp/shots-design/pages-after")
    parser.add_argument("--content", default=str(ROOT / "content"))
    parser.add_argument("--audience", default="external", choices=["external", "internal"])
    parser.add_argument("--only", default="", help="comma-separated page names (default: all)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    only = {n for n in args.only.split(",") if n}
    with tempfile.TemporaryDirectory(prefix="valuemap-shots-") as tmp:
        site = Path(tmp) / "site"
        diagnostics = Diagnostics()
        build(Path(args.content), site, diagnostics, audience=args.audience)
        if diagnostics.has_errors():
            print("\n".join(str(d) for d in diagnostics.sorted()), file=sys.stderr)
            return 1
        # Served from 127.0.0.1 at the root, as base_url "/" expects (the 404 page links from the root).
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        root = f"http://127.0.0.1:{server.server_address[1]}/"
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            for name, pattern in PAGES:
                if only and name not in only:
                    continue
                path = resolve(site, pattern)
                if path is None:
                    continue
                for width in (1280, 375):
                    context = browser.new_context(viewport={"width": width, "height": 900})
                    page = context.new_page()
                    page.goto(root + path.relative_to(site).as_posix(), wait_until="load")
                    page.wait_for_function(CHARTS_DRAWN, timeout=20_000)
                    page.wait_for_timeout(150)
                    page.screenshot(path=str(out / f"{name}-{width}.png"), full_page=True)
                    context.close()
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.goto(root + path.relative_to(site).as_posix(), wait_until="load")
                page.wait_for_function(CHARTS_DRAWN, timeout=20_000)
                page.emulate_media(media="print")
                page.wait_for_timeout(400)
                pdf = Path(tmp) / f"{name}.pdf"
                pdf.write_bytes(page.pdf(format="A4", print_background=True))
                context.close()
                for old in out.glob(f"{name}-print-*.png"):
                    old.unlink()
                if shutil.which("pdftoppm"):
                    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(out / f"{name}-print")],
                                   check=True)
                print(f"{name}: {path.relative_to(site)}")
            browser.close()
        server.shutdown()
        server.server_close()
    print(f"→ {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
