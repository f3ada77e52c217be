"""Links from a narrative page (content/pages/*.md) to the site's own pages, checked once the plan is made.

A relative link (``sales-playbook.html``, ``../competitors/norbridge.html``, ``../segments/``) is resolved from
the page's address (``pages/<slug>.html``; the same in every language's sub-site) and looked up in the plan:

* a page of this build: fine;
* a page only the other audience has (an internal page linked from an external one): the external build
  shows the link's text without the link — the internal page's address never reaches it — and the build
  warns (an error under ``--strict``);
* nothing: a dead link, a warning with a did-you-mean among the addresses the page could link to;
* a link starting with ``/``: a warning — it breaks when the site is opened from a file or served under a
  sub-path (a project site); the hint gives the relative form.

Links with a scheme (``https:``, ``mailto:``), to another host (``//host``) or to a place on the same page
(``#part``) are not looked at. Every problem names the file, the line and the link."""
from __future__ import annotations

import posixpath
import re
from html import unescape
from urllib.parse import unquote

from markupsafe import Markup

from .diagnostics import Diagnostics, suggestion
from .text import markdown

_ANCHOR = re.compile(r'<a href="([^"]*)"[^>]*>(.*?)</a>', re.S)  # text.markdown's output: nh3 writes href first
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")


def site_target(href: str, from_path: str) -> str | None:
    """The site path (e.g. ``pages/faq.html``) a link in the page at ``from_path`` leads to; ``""`` when it leads
    out of the site's folder; ``None`` for a link the site does not resolve (a scheme, another host, only a
    fragment or query). A folder (``segments/``) leads to its ``index.html``."""
    href = unescape(href).strip()
    if not href or _SCHEME.match(href) or href.startswith(("//", "#", "?")):
        return None
    path = unquote(re.split(r"[?#]", href, maxsplit=1)[0])
    if path.startswith("/"):
        joined = posixpath.normpath(path.lstrip("/") or ".")
    else:
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(from_path), path))
    if joined == ".." or joined.startswith("../"):
        return ""
    if joined == "." or path.endswith("/"):
        return posixpath.join("" if joined == "." else joined, "index.html")
    return joined


def _known(target: str, paths) -> str | None:
    """``target`` or its folder's index page, if ``paths`` has it (``competitors`` → ``competitors/index.html``:
    hosts answer a folder's address with its index)."""
    if target in paths:
        return target
    index = posixpath.join(target, "index.html")
    return index if index in paths else None


def check_links(content, pages, withheld, diagnostics: Diagnostics) -> None:
    """Report every relative link of every narrative page that this build's ``pages`` (planned, before the
    language sub-sites) cannot serve. ``withheld``: the paths of the pages the other audience has."""
    paths = frozenset(p.path for p in pages)
    for page in pages:
        if page.kind != "page":
            continue
        narrative = content.pages[page.key]
        for match in _ANCHOR.finditer(markdown(narrative.body)):
            href = unescape(match.group(1))
            target = site_target(href, page.path)
            if target is None:
                continue
            known = _known(target, paths) if target else None
            if known and not href.startswith("/"):
                continue
            where = _where(href, narrative)
            if known:
                relative = posixpath.relpath(known, posixpath.dirname(page.path) or ".")
                diagnostics.warning("rooted-link", f"the link '{href}' starts at the host's root: it breaks when "
                                    f"the site is opened from a file or served under a sub-path", **where,
                                    hint=f"write it relative to the page: '{relative}'")
            elif target == "":
                diagnostics.warning("dead-link", f"the link '{href}' leads out of the site's folder", **where,
                                    hint="link to a page of the site, or give the full address (https://…)")
            elif _known(target, withheld):
                diagnostics.warning(
                    "link-to-internal-page",
                    f"the link '{href}' leads to '{target}', a page only the internal site has", **where,
                    hint="the external site shows the link's text without the link; link to a page both sites "
                         "have, or make that page's audience external")
            else:
                diagnostics.warning("dead-link", f"the link '{href}' leads to '{target}', which is no page of the "
                                    f"site", **where, hint=_dead_hint(href, page.path, paths))


def _dead_hint(href: str, from_path: str, paths) -> str | None:
    """A did-you-mean among the addresses the page could link to, written as the page would write them."""
    start = posixpath.dirname(from_path) or "."
    close = suggestion(re.split(r"[?#]", href, maxsplit=1)[0],
                       [posixpath.relpath(p, start) for p in paths if p.endswith(".html")])
    return close if close and close.startswith("did you mean") else None


def _where(href: str, narrative) -> dict:
    """File, line and column of the link's address in the page's Markdown: where it follows ``(`` or ``<`` (a
    link, an autolink) or ``=`` and a quote (raw HTML), else anywhere on the line; the body's first line if it is
    written differently (with character references, say)."""
    lines = narrative.body.split("\n")
    for prefixes in (("(", "<", '="', "='", ": "), ("",)):
        for number, line in enumerate(lines):
            for prefix in prefixes:
                at = line.find(prefix + href)
                if at >= 0:
                    return {"file": narrative.file, "line": narrative.body_line + number,
                            "column": at + len(prefix) + 1, "path": "body"}
    return {"file": narrative.file, "line": narrative.body_line, "path": "body"}


def unlink_withheld(html: Markup, from_path: str, withheld) -> Markup:
    """``html`` with every link to a page of ``withheld`` replaced by the link's text (the external build: an
    internal page's address never reaches a prospect)."""
    if not withheld or "<a " not in html:
        return html

    def keep_or_unlink(match: re.Match) -> str:
        target = site_target(match.group(1), from_path)
        return match.group(2) if target and _known(target, withheld) else match.group(0)

    return Markup(_ANCHOR.sub(keep_or_unlink, str(html)))
