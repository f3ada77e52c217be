"""Links to the site's own pages: checked in the narrative pages' Markdown once the plan is made, and kept away
from the pages an external build leaves out.

**Checked** (:func:`check_links`, the plan stage). A relative link in a narrative page (content/pages/*.md,
published at ``pages/<slug>.html``, or ``<lang>/pages/<slug>.html`` in a multi-language site) —
``sales-playbook.html``, ``../competitors/norbridge.html``, ``../segments/`` — is resolved from the page's
address and looked up in the plan. Every page is checked, internal ones too, whatever the audience built:

* a page of this build (or a file the build writes beside its pages): fine;
* a page only the internal site has, linked from an external page: ``link-to-internal-page``;
* nothing: ``dead-link``, with a did-you-mean among the addresses the page could link to; also a link that
  leads out of the site's folder;
* a link starting with ``/``: ``rooted-link`` — it breaks when the site is opened from a file or served under
  a sub-path (a project site); the hint gives the relative form.

Each is a warning (an error under ``--strict``) at the file, line and column of the link. Links with a scheme
(``https:``, ``mailto:``), to another host (``//host``) or to a place on the same page (``#part``) are not
looked at.

**Withheld** (:func:`withhold_links`, every page an external build renders). Whatever text a link comes from —
a narrative page, a company's summary or notes, a prospect's note, a description in site.yaml — a link that
leads to a page the external site leaves out (an internal page, the audit, the prospect list) is published as
its text alone: the page's address never reaches the external site. Written in another case, without
``.html``, percent-encoded or with a backslash, it is still recognised.
"""
from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from html import unescape
from urllib.parse import unquote

from .diagnostics import Diagnostics, suggestion
from .plan import page_path
from .text import markdown

_ANCHOR = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.S)  # nh3 keeps the author's attribute order: href anywhere
# A link written in content (nh3 gives every one rel="noopener noreferrer") with a relative address: the only
# links that can lead to a withheld page (the templates' own links come from the plan). Matching only these
# in the regular expression keeps the filter at ~0.05 ms a page (a 1,000-company site: 0.1 s in all).
_CONTENT_LINK = re.compile(r'<a\b(?=[^>]*\srel="noopener noreferrer")(?=[^>]*\shref="(?![a-zA-Z][a-zA-Z0-9+.-]*:|#|//))'
                           r"([^>]*)>(.*?)</a>", re.S)
_HREF = re.compile(r'\shref="([^"]*)"')
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")


def site_target(href: str, from_path: str) -> str | None:
    """The site path (e.g. ``pages/faq.html``) a link in the page at ``from_path`` leads to; ``""`` when it leads
    out of the site's folder; ``None`` for a link the site does not resolve (a scheme, another host, only a
    fragment or query). A folder (``segments/``) leads to its ``index.html``. A backslash is read as a slash,
    as browsers read it (and so is an encoded one, which cmark writes for a backslash: read leniently, as the
    withholding must be)."""
    href = unescape(href).strip().replace("\\", "/")
    if not href or _SCHEME.match(href) or href.startswith(("//", "#", "?")):
        return None
    path = unquote(re.split(r"[?#]", href, maxsplit=1)[0]).replace("\\", "/")
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


def _loose(path: str) -> str:
    """A path as a host might still serve it: any case, without ``.html`` or ``/index.html``."""
    p = path.lower().rstrip("/")
    if p.endswith("/index.html"):
        p = p[:-11]
    elif p == "index.html":
        p = ""
    if p.endswith(".html"):
        p = p[:-5]
    return p.rstrip("/")


# --- checked: the narrative pages' links -------------------------------------------------------------------

def check_links(content, plan, diagnostics: Diagnostics, files=()) -> None:
    """Report every relative link of every narrative page that the ``plan`` (after the language sub-sites)
    cannot serve. ``files``: what the build writes beside its pages (``valuemap-positions.json``, kept files)."""
    paths = frozenset(p.path for p in plan.pages) | frozenset(files)
    prefix = f"{plan.languages[0]}/" if plan.languages else ""
    for slug, narrative in sorted(content.pages.items()):
        from_path = prefix + page_path("page", slug)
        internal = from_path in plan.withheld  # an internal page may link to the other internal pages
        reachable = paths | plan.withheld if internal else paths
        for href, where in _links_of(narrative):
            target = site_target(href, from_path)
            if target is None:
                continue
            known = _known(target, reachable) if target else None
            if known and not href.startswith("/"):
                continue
            if known:
                relative = posixpath.relpath(known, posixpath.dirname(from_path) or ".")
                diagnostics.warning("rooted-link", f"the link '{href}' starts at the host's root: it breaks when "
                                    f"the site is opened from a file or served under a sub-path", **where,
                                    hint=f"write it relative to the page: '{relative}'")
            elif target == "":
                diagnostics.warning("dead-link", f"the link '{href}' leads out of the site's folder", **where,
                                    hint="link to a page of the site, or give the full address (https://…)")
            elif _known(target, plan.withheld):
                diagnostics.warning(
                    "link-to-internal-page",
                    f"the link '{href}' leads to '{target}', a page only the internal site has", **where,
                    hint="the external site shows the link's text without the link; link to a page both sites "
                         "have, or make that page's audience external")
            else:
                diagnostics.warning("dead-link", f"the link '{href}' leads to '{target}', which is no page of the "
                                    f"site", **where, hint=_dead_hint(href, from_path, reachable))


def _links_of(narrative):
    """Each link of the page's Markdown, in order, with the file, line and column of its address: found after
    the previous one (so a repeated address is placed at each of its lines), where it follows ``(`` or ``<``
    (a link, an autolink), ``: `` (a reference definition) or ``="`` (raw HTML); else anywhere in the body;
    else at the body's first line (an address written with character references, say)."""
    body = narrative.body
    cursor = 0
    for match in _ANCHOR.finditer(markdown(body)):
        found = _HREF.search(match.group(1))
        if found is None:
            continue
        href = unescape(found.group(1))
        at = _find(body, href, cursor)
        if at < 0:
            at = _find(body, href, 0)
        if at < 0:
            yield href, {"file": narrative.file, "line": narrative.body_line, "path": "body"}
            continue
        cursor = at + 1
        start = body.rfind("\n", 0, at) + 1
        yield href, {"file": narrative.file, "line": narrative.body_line + body.count("\n", 0, at),
                     "column": at - start + 1, "path": "body"}


def _find(body: str, href: str, start: int) -> int:
    """Where the address ``href`` is written in ``body`` from ``start`` on (its first character), or -1."""
    best = -1
    for prefix in ("(", "<", ": ", '="', "='"):
        at = body.find(prefix + href, start)
        if at >= 0 and (best < 0 or at + len(prefix) < best):
            best = at + len(prefix)
    return best


def _dead_hint(href: str, from_path: str, paths) -> str | None:
    """A did-you-mean among the addresses the page could link to, written as the page would write them."""
    start = posixpath.dirname(from_path) or "."
    close = suggestion(re.split(r"[?#]", href, maxsplit=1)[0],
                       [posixpath.relpath(p, start) for p in paths if p.endswith(".html")])
    return close if close and close.startswith("did you mean") else None


# --- withheld: an external page never links to what it leaves out --------------------------------------------

@lru_cache(maxsize=8)
def _withheld_names(withheld: frozenset) -> frozenset:
    """The last part of each withheld page's address, as :func:`_loose` reads it (``battle-plan``, ``audit``,
    ``prospects``)."""
    return frozenset(name for name in (_loose(p).rsplit("/", 1)[-1] for p in withheld) if name)


def withhold_links(html: str, from_path: str, withheld: frozenset, present) -> str:
    """``html`` (a whole page at ``from_path``) with its text in place of every link that names a page of
    ``withheld``: a relative link that leads to no page of the site (``present``: every path this build
    writes) and whose address ends in a withheld page's name — in any folder, any case, with or without
    ``.html``, encoded or not (a company summary shown under competitors/ that links ``battle-plan.html``
    leads nowhere, but would still publish the name). Linear in the page: one pass over its links; a link
    is resolved only when its address holds such a name."""
    if not withheld or "<a" not in html:
        return html
    names = _withheld_names(withheld)

    def keep_or_unlink(match: re.Match) -> str:
        found = _HREF.search(match.group(1))
        if found is None:
            return match.group(0)
        href = found.group(1)
        plain = (unquote(unescape(href)) if "%" in href or "&" in href else href).lower()
        if not any(name in plain for name in names):
            return match.group(0)
        target = site_target(href, from_path)
        if target is None or (target and _known(target, present)):
            return match.group(0)  # another site, or a page of this one
        path = unquote(re.split(r"[?#]", unescape(href), maxsplit=1)[0]).replace("\\", "/")
        return match.group(2) if _loose(path).rsplit("/", 1)[-1] in names else match.group(0)

    return _CONTENT_LINK.sub(keep_or_unlink, html)
