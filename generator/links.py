"""Links to the site's own pages: checked in the narrative pages' Markdown once the plan is made, and kept away
from the pages an external build leaves out.

**Checked** (:func:`check_links`, the plan stage). A relative link in a narrative page (content/pages/*.md,
published at ``pages/<slug>.html``, or ``<lang>/pages/<slug>.html`` in a multi-language site) —
``sales-playbook.html``, ``../competitors/norbridge.html``, ``../segments/`` — is resolved from the page's
address and looked up in the plan. Every page is checked, internal ones too, whatever the audience built:

* a page of this build (or a file the build writes beside its pages): fine;
* a page only the internal site has, linked from an external page: ``link-to-internal-page``;
* a prospect's page (its address is a secret between sales and the prospect), linked from external text:
  ``link-to-prospect-page``;
* nothing: ``dead-link``, with a did-you-mean among the addresses the page could link to; also a link that
  leads out of the site's folder;
* a link starting with ``/``: ``rooted-link`` — it breaks when the site is opened from a file or served under
  a sub-path (a project site); the hint gives the relative form.

Each is a warning (an error under ``--strict``) at the file, line and column of the link. Links with a scheme
(``https:``, ``mailto:``), to another host (``//host``) or to a place on the same page (``#part``) are not
looked at.

**Withheld** (:func:`withhold_links`, every page an external build renders). Whatever text a link comes from —
a narrative page, a company's summary or notes, a prospect's note, a description in site.yaml — a link that
leads to a page the external site leaves out (an internal page, the audit, the prospect list) or to a
prospect's page (:attr:`generator.plan.SitePlan.unlinked`) is published as its text alone: the page's address never reaches the external site. Written in another case, without
``.html``, percent-encoded or with a backslash, it is still recognised.
"""
from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from html import unescape
from urllib.parse import unquote, urlsplit

from markupsafe import Markup, escape

from .diagnostics import Diagnostics, format_path, suggestion
from .plan import SECRET_FOLDERS, TOKEN_LENGTH, absolute_base, page_path

# A link written in content (nh3 gives every one rel="noopener noreferrer") with a relative address: the only
# links that can lead to a withheld page (the templates' own links come from the plan). Matching only these
# in the regular expression keeps the filter at ~0.05 ms a page (a 1,000-company site: 0.1 s in all).
_RELATIVE = r"(?![a-zA-Z][a-zA-Z0-9+.-]*:|#|//)"


@lru_cache(maxsize=8)
def _content_link(base: str | None) -> re.Pattern:
    """The pattern of a content link whose address is relative or, with ``base``, the site's own full address."""
    address = _RELATIVE if not base else rf"(?:{_RELATIVE}|(?i:(?:https?:)?//))"  # the site's own: _own_path
    return re.compile(rf'<a\b(?=[^>]*\srel="noopener noreferrer")(?=[^>]*\shref="\s*{address})([^>]*)>(.*?)</a>',
                      re.S)
_HREF = re.compile(r'\shref="([^"]*)"')
_ANY_LINK = re.compile(r'<a\b(?=[^>]*\srel="noopener noreferrer")([^>]*)>(.*?)</a>', re.S)  # every content link
_WORD = re.compile(r"[a-z0-9_-]+")  # a word of an address, as withheld names are written (lower case)  # nh3 keeps the author's attribute order: href anywhere
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
_URL_TRIM = "".join(chr(c) for c in range(0x21))  # what a browser strips from both ends of an address
_URL_DROP = str.maketrans("", "", "\t\n\r")  # and drops anywhere in it


def _clean(href: str) -> str:
    """An address as a browser reads it: character references decoded, C0 controls and spaces trimmed from the
    ends, tabs and newlines removed, a backslash read as a slash."""
    return unescape(href).translate(_URL_DROP).strip(_URL_TRIM).replace("\\", "/")


def site_target(href: str, from_path: str, base: str | None = None) -> str | None:
    """The site path (e.g. ``pages/faq.html``) a link in the page at ``from_path`` leads to; ``""`` when it leads
    out of the site's folder; ``None`` for a link the site does not resolve (a scheme, another host, only a
    fragment or query). A folder (``segments/``) leads to its ``index.html``. ``base``: the site's absolute
    address (base_url), under which a full address is the site's own. Read as a browser reads it (:func:`_clean`;
    an encoded backslash too, read leniently, as the withholding must be)."""
    href = _clean(href)
    if base and (href.startswith("//") or _SCHEME.match(href)):
        own = _own_path(href, base)
        if own is not None:
            href = own
    if not href or _SCHEME.match(href) or href.startswith(("//", "#", "?")):
        return None
    path = unquote(re.split(r"[?#]", href, maxsplit=1)[0]).replace("\\", "/")
    if path.startswith("/"):
        joined = posixpath.normpath(path.lstrip("/") or ".")
    else:
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(from_path), path))
    if joined == ".." or joined.startswith("../"):
        return ""
    if joined == "." or path.endswith(("/", "/.", "/..")) or path in (".", ".."):
        return posixpath.join("" if joined == "." else joined, "index.html")
    return joined


def _own_path(href: str, base: str) -> str | None:
    """A full address (or ``//host/…``) of the site's own: its path from the site's root (``/pages/x.html``),
    however the host is spelled — any case, a final dot, a user name, the scheme's default port, http for
    https — and the path (percent-encoded, doubled slashes). None for another site's address."""
    try:
        url, site = urlsplit(href), urlsplit(base)
        port, site_port = url.port, site.port
    except ValueError:
        return None
    if url.scheme.lower() not in ("", "http", "https") or not url.netloc:
        return None
    defaults = {None, 80, 443}
    if (url.hostname or "").rstrip(".") != (site.hostname or "").rstrip(".") or (
            port != site_port and not (port in defaults and site_port in defaults)):
        return None
    path = re.sub(r"/{2,}", "/", unquote(url.path) or "/")
    root = re.sub(r"/{2,}", "/", unquote(site.path) or "/")
    root = root if root.endswith("/") else root + "/"
    if not (path + "/").lower().startswith(root.lower()):
        return None
    rest = path[len(root):] if len(path) >= len(root) else ""
    return "/" + rest + (f"?{url.query}" if url.query else "") + (f"#{url.fragment}" if url.fragment else "")


def _known(target: str, paths, kept=()) -> str | None:
    """``target`` or its folder's index page, if ``paths`` has it (``competitors`` → ``competitors/index.html``:
    hosts answer a folder's address with its index); or ``target`` itself if it is a file or folder the site
    keeps (``kept``: names at the site's root, site.yaml ``keep``)."""
    if target in paths:
        return target
    index = posixpath.join(target, "index.html")
    if index in paths:
        return index
    return target if kept and target.split("/", 1)[0] in kept else None


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

def check_links(content, plan, diagnostics: Diagnostics, pages, texts, files=()) -> None:
    """Report every relative link that the ``plan`` (after the language sub-sites) cannot serve: in the
    narrative ``pages``, at its line and column, and in the Markdown ``texts`` of the YAML files, at the field
    (both as :func:`generator.link_texts.linking_texts` gives them). ``files``: what the build writes or keeps
    at the site's root beside its pages (``valuemap-positions.json``, site.yaml ``keep``)."""
    from .text import link_addresses

    checker = _Checker(content, plan, diagnostics, frozenset(files))
    for slug, narrative in pages:
        from_path = checker.prefix + page_path("page", slug)
        lines = narrative.body.split("\n")
        for href, line, column in link_addresses(narrative.body):
            checker.check(href, from_path, from_path in plan.withheld, lambda: {
                "file": narrative.file, "line": narrative.body_line + line - 1,
                "column": _address_column(lines, line, column, href), "path": "body"})
    for text, shown_on, doc_id, path, internal in texts:
        doc = content.documents.get(doc_id)
        for href, _, _ in link_addresses(text):
            checker.check(href, checker.prefix + shown_on, internal, lambda: {
                **(doc.where(path) if doc is not None else {"file": content.files.get(doc_id)}),
                "path": format_path(path)})


class _Checker:
    """One link at a time, against what the build writes (and, for internal text, the internal pages too)."""

    def __init__(self, content, plan, diagnostics: Diagnostics, kept: frozenset):
        self.plan, self.diagnostics, self.kept = plan, diagnostics, kept
        # A withheld page is no target for external text even where the build writes a file at its address
        # (the external build's "not found" stub at prospects/index.html, in the internal list's place).
        self.paths = frozenset(p.path for p in plan.pages) - plan.withheld
        self.everything = self.paths | plan.withheld
        self.base = absolute_base(content.site.base_url)
        self.prefix = f"{plan.languages[0]}/" if plan.languages else ""
        self.hints: dict[tuple, list[str]] = {}  # the addresses a page could link to, per folder and reach

    def check(self, href: str, from_path: str, internal: bool, where) -> None:
        """``internal``: the text is shown only internally, where every internal page is there to link to.
        ``where()``: the diagnostic's file, line, column and field (made only for a problem)."""
        target = site_target(href, from_path, self.base)
        if target is None:
            return
        if target and not internal and _secret(target):
            _warn_prospect_link(self.diagnostics, href, where())
            return
        reachable = self.everything if internal else self.paths
        rooted = _clean(href).startswith("/")
        known = _known(target, reachable, self.kept) if target else None
        if known and not rooted:
            return
        warn = self.diagnostics.warning
        if known:
            relative = posixpath.relpath(known, posixpath.dirname(from_path) or ".")
            warn("rooted-link", f"the link '{href}' starts at the host's root: it breaks when the site is opened "
                 f"from a file or served under a sub-path", **where(),
                 hint=f"write it relative to the page: '{relative}'")
        elif target == "":
            warn("dead-link", f"the link '{href}' leads out of the site's folder", **where(),
                 hint="link to a page of the site, or give the full address (https://…)")
        elif _known(target, self.plan.withheld):
            warn("link-to-internal-page", f"the link '{href}' leads to '{target}', a page only the internal site "
                 f"has", **where(), hint="the external site shows the link's text without the link; link to a "
                 "page both sites have, or make that page's audience external")
        else:
            start = posixpath.dirname(from_path) or "."
            if (start, internal) not in self.hints:
                self.hints[(start, internal)] = [posixpath.relpath(p, start) for p in reachable if p.endswith(".html")]
            close = suggestion(re.split(r"[?#]", href, maxsplit=1)[0], self.hints[(start, internal)])
            warn("dead-link", f"the link '{href}' leads to '{target}', which is no page of the site", **where(),
                 hint=close if close and close.startswith("did you mean") else None)


def _secret(target: str) -> bool:
    """``target`` is a page at a secret address (a prospect's page, in any language's folder), not the list."""
    folder, _, name = target.rpartition("/")
    return bool(folder) and name != "index.html" and any(part in SECRET_FOLDERS for part in folder.split("/"))


_TOKEN_RUN = re.compile(r"[A-Za-z0-9_-]{%d,}" % TOKEN_LENGTH)


def holds_token(address: str, tokens: frozenset) -> bool:
    """Whether ``address`` (read as a browser reads it) holds one of ``tokens`` — a prospect page's address,
    whatever host or folder it is written with (a token is unguessable: nothing else holds it)."""
    plain = _clean(address)
    plain = unquote(plain) if "%" in plain else plain
    for run in _TOKEN_RUN.findall(plain):
        if any(run[i:i + TOKEN_LENGTH] in tokens for i in range(len(run) - TOKEN_LENGTH + 1)):
            return True
    return False


def check_prospect_addresses(content, plan, diagnostics: Diagnostics) -> None:
    """A warning (``link-to-prospect-page``) for each link in external text whose address holds a prospect
    page's token but is not a relative link (those :func:`check_links` reports): a full address with any host
    (``https://example.com/prospects/<token>.html``, ``www.`` or not, the site's base_url or another). The
    external build publishes each as its text (:func:`withhold_links`). Texts are scanned for the token
    first; only those holding one are parsed."""
    tokens = frozenset(link.token for link in plan.prospect_links)
    if not tokens:
        return
    from .link_texts import every_text
    from .text import link_addresses

    for text, where, path, internal in every_text(content):
        if internal or not text or not holds_token(text, tokens):
            continue
        for href, line, column in link_addresses(text):
            if site_target(_clean(href), "x/y.html") is not None or not holds_token(href, tokens):
                continue  # relative: check_links says it (once)
            if isinstance(where, str):  # a YAML text: at its field
                doc = content.documents.get(where)
                at = doc.where(path) if doc is not None else {"file": content.files.get(where)}
            else:  # a narrative page: at the link
                at = {"file": where.file, "line": where.body_line + line - 1, "column": column}
            _warn_prospect_link(diagnostics, href, {**at, "path": format_path(path)})


def _warn_prospect_link(diagnostics: Diagnostics, href: str, where: dict) -> None:
    """``link-to-prospect-page``, at ``where`` (file, line, column, field path)."""
    diagnostics.warning("link-to-prospect-page", f"the link '{href}' leads to a prospect's page: its address is a "
                        "secret between sales and that prospect", **where,
                        hint="the external site shows the link's text without the link; a prospect page is "
                        "reached only by the address sales sends")


def _address_column(lines: list[str], line: int, column: int, href: str) -> int:
    """The column of the address itself when it is written on the link's line just after where the link starts
    (``[text](address)``); else the link's start (a reference link: its text)."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    for prefix in ("](", "](<", '="', "='", "="):
        at = text.find(prefix + href, column - 1)
        if at >= 0 and "[" not in text[column:at] and "<a" not in text[column:at]:  # not a later link's
            return at + len(prefix) + 1
    return column


# --- withheld: an external page never links to what it leaves out --------------------------------------------

@lru_cache(maxsize=8)
def _withheld_names(withheld: frozenset) -> frozenset:
    """The last part of each withheld page's address, as :func:`_loose` reads it (``battle-plan``, ``audit``,
    ``prospects``)."""
    return frozenset(name for name in (_loose(p).rsplit("/", 1)[-1] for p in withheld) if name)


def withhold_links(html: str, from_path: str, withheld: frozenset, present, kept=(), base: str | None = None,
                   tokens: frozenset = frozenset()) -> str:
    """``html`` (a whole page at ``from_path``) with its text in place of every content link that leads to a
    page of ``withheld``, or names one: a relative link that leads to nothing the build writes (``present``:
    every path of the plan; ``kept``: the names site.yaml keeps at the root) and whose address ends in a
    withheld page's name — in any folder, any case, with or without ``.html``, encoded or not (a company
    summary shown under competitors/ that links ``battle-plan.html`` leads nowhere, but would still publish the
    name). Addresses are read as a browser reads them (spaces at the ends, tabs and newlines inside ignored).
    ``tokens``: the prospect pages' — a link whose address holds one goes whatever its host (``www.`` or not,
    a custom domain or the host's own).

    Linear in the page: one pass over its content links; another site's address is passed over after a look
    at its host, and a link is resolved only when a word of its address is a withheld name (a set look-up,
    whatever the number of names)."""
    if (not withheld and not tokens) or "<a" not in html:
        return html
    names = _withheld_names(withheld)

    def keep_or_unlink(match: re.Match) -> str:
        found = _HREF.search(match.group(1))
        if found is None:
            return match.group(0)
        href = found.group(1)
        if tokens and holds_token(href, tokens):
            return _text_of(match.group(2), names)  # a prospect's address, on any host
        plain = _clean(href)
        if plain.startswith("//") or _SCHEME.match(plain):  # a full address: this site's own, or passed over
            if not base or _own_path(plain, base) is None:
                return match.group(0)
        plain = (unquote(plain) if "%" in plain else plain).lower()
        if names.isdisjoint(_WORD.findall(plain)):
            return match.group(0)
        target = site_target(href, from_path, base)
        if target is None:
            return match.group(0)  # another site
        if target and _known(target, withheld):
            return _text_of(match.group(2), names)
        if target and _known(target, present, kept):
            return match.group(0)  # a page (or a kept file) of this site
        # leads to nothing this site has, but names a withheld page (``playbook.html;x``, ``playbook.html%3Fq``):
        # dead either way, and its address would publish the name
        return _text_of(match.group(2), names)

    return (_ANY_LINK if tokens else _content_link(base)).sub(keep_or_unlink, html)


def _text_of(text: str, names: frozenset) -> str:
    """A withheld link's text, published in its place — unless the text is the address itself (an autolink,
    ``<https://…/pages/battle-plan.html>``): then an ellipsis, or the address would be published as text."""
    shown = unquote(unescape(re.sub(r"<[^>]*>", "", text))).lower()
    if ("/" in shown or ".htm" in shown) and not names.isdisjoint(_WORD.findall(shown)):
        return "…"
    return text


def rebase_links(html: str, written_in: str, shown_in: str) -> str:
    """``html`` (a text's Markdown, rendered) whose relative links were written from the folder ``written_in``,
    shown on a page in ``shown_in``: each relative content link rewritten to lead to the same place from there
    (a company's summary, written as from competitors/, on a large list's competitors/page/2.html)."""
    if written_in == shown_in or "<a" not in html:
        return html

    def rebased(match: re.Match) -> str:
        found = _HREF.search(match.group(1))
        href = unescape(found.group(1)) if found is not None else ""
        if not href or href.startswith(("/", "\\")):
            return match.group(0)
        cut = min((i for i in (href.find("?"), href.find("#")) if i >= 0), default=len(href))
        path, rest = href[:cut], href[cut:]
        moved = posixpath.relpath(posixpath.normpath(posixpath.join(written_in, path or ".")), shown_in)
        moved += "/" if path.endswith("/") and not moved.endswith("/") else ""
        start, end = match.start(1) + found.start(1), match.start(1) + found.end(1)
        whole = match.group(0)
        offset = match.start()
        return whole[:start - offset] + str(escape(moved + rest)) + whole[end - offset:]

    return Markup(_content_link(None).sub(rebased, str(html)))
