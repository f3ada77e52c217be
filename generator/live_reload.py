"""What ``valuemap serve`` adds to the HTML it sends (the files on disk stay byte-identical to ``valuemap
build``): the pages' Content-Security-Policy opened for the event stream (``connect-src 'self'``), a
stylesheet and the reload script from ``/__valuemap/``, and — after a failed build — a banner listing the
problems, every piece of text HTML-escaped. The script reloads the page after a successful rebuild and
redraws the banner after a failed one, from the Server-Sent Events :mod:`generator.serve` sends.
"""
from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Protocol, Sequence

from .diagnostics import ERROR, Diagnostic, caret_excerpt


class Outcome(Protocol):  # a finished build (generator.serve.Outcome): what a failed one reports
    diagnostics: Sequence[Diagnostic]
    problem: str | None


class LiveState(Protocol):  # the server run (generator.serve.LiveState): pages of an earlier run reload
    token: str


class Snapshot(Protocol):  # the builds so far (generator.serve.Snapshot): what a page was served at
    epoch: int
    version: int

PREFIX = "/__valuemap/"
EVENTS_PATH = PREFIX + "events"
SCRIPT_PATH = PREFIX + "reload.js"
STYLE_PATH = PREFIX + "serve.css"


def problem_report(outcome: Outcome, *, have_site: bool, root: Path | None = None, excerpts: bool = True) -> dict:
    """The problems of a failed build as plain data: rendered into HTML here and by reload.js in the browser.
    ``excerpts=False`` (the external preview): no content line is quoted — it may be internal text."""
    items = []
    for d in outcome.diagnostics:
        items.append({"severity": d.severity, "location": d.location, "message": d.message,
                      "detail": " ".join(p for p in (f"[{d.path}]" if d.path else "", f"({d.code})") if p),
                      "excerpt": caret_excerpt(d.file, d.line, d.column, root) if excerpts else "",
                      "hint": d.hint or ""})
    if outcome.problem:
        items.append({"severity": ERROR, "location": "valuemap", "message": outcome.problem, "detail": "",
                      "excerpt": "", "hint": ""})
    errors = sum(1 for i in items if i["severity"] == ERROR)
    return {
        "title": f"valuemap serve: the build failed ({errors} error{'s' * (errors != 1)})",
        "lead": ("Showing the last good build. " if have_site else "Nothing has been built yet. ")
        + "Fix the files below and save: the page reloads by itself.",
        "items": items,
    }


def overlay_html(report: dict) -> str:
    """The banner listing the problems; every piece of text is HTML-escaped (messages quote the content)."""
    e = html.escape
    rows = []
    for item in report["items"]:
        rows.append(
            f'<li class="valuemap-serve-{e(item["severity"])}"><code>{e(item["location"])}</code>: '
            f'<strong>{e(item["severity"])}</strong>: {e(item["message"])}'
            + (f' <span class="valuemap-serve-detail">{e(item["detail"])}</span>' if item["detail"] else "")
            + (f'<pre>{e(item["excerpt"])}</pre>' if item["excerpt"] else "")
            + (f'<p class="valuemap-serve-hint">hint: {e(item["hint"])}</p>' if item["hint"] else "")
            + "</li>")
    return (f'<section id="valuemap-serve-problems" class="valuemap-serve-problems" role="alert">'
            f'<h2>{e(report["title"])}</h2><p>{e(report["lead"])}</p><ol>{"".join(rows)}</ol></section>\n')


_CSP_META = re.compile(r"""<meta\b[^>]*\bhttp-equiv\s*=\s*["']?content-security-policy["']?[^>]*>""", re.I)
_CONTENT_ATTR = re.compile(r"""(\bcontent\s*=\s*)(?:"([^"]*)"|'([^']*)')""", re.I)


def serve_policy(policy: str) -> str:
    """The page's CSP with what the reload script needs: ``connect-src 'self'`` and ``script-src 'self'``."""
    directives: list[list[str]] = [d.split() for d in policy.split(";") if d.split()]
    names = [d[0].lower() for d in directives]

    def allow_self(name: str) -> None:
        if name in names:
            values = directives[names.index(name)]
            if "'self'" not in values:
                values[1:] = [v for v in values[1:] if v != "'none'"] + ["'self'"]
        else:
            directives.append([name, "'self'"])
            names.append(name)

    allow_self("connect-src")
    if "script-src" in names or "default-src" in names:  # no policy for scripts: nothing to open up
        allow_self("script-src")
    return "; ".join(" ".join(d) for d in directives)


def _rewrite_csp(page: str) -> str:
    def meta(match: re.Match) -> str:
        def attr(m: re.Match) -> str:
            value = html.unescape(m.group(2) if m.group(2) is not None else m.group(3))
            return f'{m.group(1)}"{html.escape(serve_policy(value), quote=False).replace(chr(34), "&quot;")}"'
        return _CONTENT_ATTR.sub(attr, match.group(0), count=1)
    return _CSP_META.sub(meta, page)


def _insert(page: str, pattern: str, text: str, *, after: bool, last: bool = False, fallback_end: bool) -> str:
    matches = list(re.finditer(pattern, page, re.I))
    if not matches:
        return page + text if fallback_end else text + page
    m = matches[-1] if last else matches[0]
    at = m.end() if after else m.start()
    return page[:at] + text + page[at:]


def script_tag(state: LiveState, snap: Snapshot) -> str:
    return (f'<script src="{SCRIPT_PATH}" data-token="{state.token}" data-epoch="{snap.epoch}" '
            f'data-version="{snap.version}" defer></script>\n')


def inject(page: str, state: LiveState, snap: Snapshot, report: dict | None) -> str:
    """A built page as ``serve`` sends it: CSP opened for the event stream, stylesheet, banner, reload script."""
    page = _rewrite_csp(page)
    page = _insert(page, r"</head\s*>", f'<link rel="stylesheet" href="{STYLE_PATH}">\n', after=False,
                   fallback_end=False)
    if report is not None:
        page = _insert(page, r"<body\b[^>]*>", "\n" + overlay_html(report), after=True, fallback_end=False)
    return _insert(page, r"</body\s*>", script_tag(state, snap), after=False, last=True, fallback_end=True)


ERROR_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; style-src 'self'; \
img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'">
<meta name="robots" content="noindex, nofollow">
<title>valuemap serve: the build failed</title>
<link rel="icon" href="data:,">
</head>
<body>
<main></main>
</body>
</html>
"""

RELOAD_JS = r"""/* valuemap serve: reloads the page after a successful rebuild and shows the problems of a failed one.
   Served only by `valuemap serve` (never part of a built site); no inline script, DOM built with textContent. */
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || typeof EventSource === "undefined") { return; }
  function data(name) { return encodeURIComponent(me.getAttribute("data-" + name) || ""); }
  var source = new EventSource("/__valuemap/events?token=" + data("token") + "&epoch=" + data("epoch") +
                               "&version=" + data("version") +
                               "&page=" + encodeURIComponent(window.location.pathname));

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function show(report) {
    var old = document.getElementById("valuemap-serve-problems");
    var box = el("section", "valuemap-serve-problems");
    box.id = "valuemap-serve-problems";
    box.setAttribute("role", "alert");
    box.appendChild(el("h2", "", report.title));
    box.appendChild(el("p", "", report.lead));
    var list = el("ol");
    report.items.forEach(function (item) {
      var li = el("li", "valuemap-serve-" + item.severity);
      li.appendChild(el("code", "", item.location));
      li.appendChild(document.createTextNode(": "));
      li.appendChild(el("strong", "", item.severity));
      li.appendChild(document.createTextNode(": " + item.message));
      if (item.detail) { li.appendChild(document.createTextNode(" ")); li.appendChild(el("span", "valuemap-serve-detail", item.detail)); }
      if (item.excerpt) { li.appendChild(el("pre", "", item.excerpt)); }
      if (item.hint) { li.appendChild(el("p", "valuemap-serve-hint", "hint: " + item.hint)); }
      list.appendChild(li);
    });
    box.appendChild(list);
    if (old) { old.parentNode.replaceChild(box, old); } else { document.body.insertBefore(box, document.body.firstChild); }
  }

  source.addEventListener("reload", function () { source.close(); window.location.reload(); });
  source.addEventListener("problems", function (event) { show(JSON.parse(event.data)); });
  window.addEventListener("pagehide", function () { source.close(); });
})();
"""

SERVE_CSS = """/* valuemap serve: the build-problems banner (served by `valuemap serve` only). */
.valuemap-serve-problems { position: fixed; z-index: 2147483647; top: 0; left: 0; right: 0; max-height: 70vh;
  overflow: auto; margin: 0; padding: 1rem 1.25rem; background: #fff5f5; color: #4a0000;
  border-bottom: 4px solid #b00020; box-shadow: 0 4px 16px rgba(0, 0, 0, .25); font: 15px/1.45 system-ui, sans-serif; }
.valuemap-serve-problems h2 { margin: 0 0 .25rem; font-size: 1.1rem; color: #b00020; }
.valuemap-serve-problems p { margin: .25rem 0; }
.valuemap-serve-problems ol { margin: .5rem 0 0; padding-left: 1.5rem; }
.valuemap-serve-problems li { margin: .5rem 0; }
.valuemap-serve-problems code, .valuemap-serve-problems pre { font: 13px/1.4 ui-monospace, monospace; }
.valuemap-serve-problems pre { margin: .25rem 0; padding: .4rem .6rem; background: #fff; border: 1px solid #e6b8b8;
  overflow: auto; }
.valuemap-serve-warning strong { color: #7a5200; }
.valuemap-serve-detail, .valuemap-serve-hint { color: #6b3a3a; }
"""
