"""Markdown to safe HTML. (Numbers are formatted in :mod:`generator.formats`, once for every page.)

Markdown is rendered by cmark-gfm (GitHub's C implementation of CommonMark, through the ``cmarkgfm`` wheel):
CommonMark plus GFM tables, ``~~strikethrough~~`` and autolinks, with smart punctuation. It runs in linear
time on any input. The parse tree is edited before rendering: headings move down a level (the page has the
h1) and lists and block quotes nested deeper than ``MAX_NESTING`` are flattened, so no input makes the HTML
nest deeper than that. The HTML is then sanitised by nh3 (the Rust *ammonia* sanitiser) against the
allow-list below: raw HTML in content can format text but cannot run script, load anything, or link to
``javascript:``/``data:`` URLs. Every link gets ``rel="noopener noreferrer"``. docs/security.md ("Markdown")
has the measured worst cases.

cmarkgfm's Python wrappers leak the parse tree and the output buffer of every call and cannot edit the tree,
so the library it ships is driven here directly through cffi's ABI mode (same process, same library). The
functions' declarations are parsed once, by ``tools/cmark_ffi.py``, into ``generator/_cmark_ffi.py``
(cffi's out-of-line ABI mode): declaring them at run time imported pycparser and parsed C on every start.
"""
from __future__ import annotations

import re
from html import unescape
from functools import lru_cache

import cmarkgfm.cmark
import nh3
from cmarkgfm import _cmark
from markupsafe import Markup

from ._cmark_ffi import ffi as _ffi  # cmark-gfm's functions, declared once by tools/cmark_ffi.py

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "del", "ins", "mark",
    "small", "sub", "sup", "blockquote", "q", "cite", "abbr", "code", "pre", "kbd", "ul", "ol", "li", "dl", "dt",
    "dd", "a", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "figure", "figcaption", "span",
})
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"align", "scope", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "ol": {"start"},
    "code": {"class"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})

MAX_NESTING = 32
"""Lists and block quotes nested deeper than this are flattened into the one at this depth (text is kept)."""
MAX_RAW_TAGS = 500
"""Above this many raw HTML start tags (counted as ``<`` + letter in the source, an upper bound) raw HTML is
omitted: the HTML parser in nh3 is quadratic in nesting depth, and this bounds the depth raw HTML can add."""

# --- cmark-gfm through cffi (out-of-line ABI mode: the declarations in _cmark_ffi, see tools/cmark_ffi.py) ---

_lib = _ffi.dlopen(_cmark.__file__)
_NULL = _ffi.NULL
_lib.cmark_gfm_core_extensions_ensure_registered()
_EXTENSIONS = tuple(_lib.cmark_find_syntax_extension(name) for name in (b"table", b"strikethrough", b"autolink"))
assert all(ext != _NULL for ext in _EXTENSIONS), "cmark-gfm without its GFM extensions"
_FREE = _lib.cmark_get_default_mem_allocator().free
_O = cmarkgfm.cmark.Options
# UNSAFE: raw HTML is passed on and nh3 sanitises it (cmark's safe mode would drop <strong>, <abbr>, ... too).
# No "tagfilter" extension for the same reason: nh3 removes <script> with its content, tagfilter would show it.
_OPTIONS = (_O.CMARK_OPT_UNSAFE | _O.CMARK_OPT_SMART | _O.CMARK_OPT_VALIDATE_UTF8
            | _O.CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE)  # "~5 % cheaper ~ today" is not struck through
_SAFE_OPTIONS = _OPTIONS & ~_O.CMARK_OPT_UNSAFE


def _parse(source: bytes, options: int):
    """(parser, root) — the caller frees both (the parser owns the extension list the renderer needs)."""
    parser = _lib.cmark_parser_new(options)
    for ext in _EXTENSIONS:
        _lib.cmark_parser_attach_syntax_extension(parser, ext)
    _lib.cmark_parser_feed(parser, source, len(source))
    return parser, _lib.cmark_parser_finish(parser)


def _node_types() -> tuple[int, ...]:
    """The numeric node types (document, heading, block quote, list, item, link, inline and block HTML), read
    from a parsed sample."""
    parser, root = _parse(b"# h\n\n> q\n\n- i\n\n<div>\n\n[l](u) <b>\n", _OPTIONS)
    try:
        heading = _lib.cmark_node_first_child(root)
        quote = _lib.cmark_node_next(heading)
        lst = _lib.cmark_node_next(quote)
        item = _lib.cmark_node_first_child(lst)
        block_html = _lib.cmark_node_next(lst)
        link = _lib.cmark_node_first_child(_lib.cmark_node_next(block_html))
        inline_html = _lib.cmark_node_next(_lib.cmark_node_next(link))
        return tuple(_lib.cmark_node_get_type(n) for n in (root, heading, quote, lst, item, link, inline_html,
                                                            block_html))
    finally:
        _lib.cmark_node_free(root)
        _lib.cmark_parser_free(parser)


_DOCUMENT, _HEADING, _QUOTE, _LIST, _ITEM, _LINK, _INLINE_HTML, _BLOCK_HTML = _node_types()


def _hoist_children(node, before) -> None:
    """Move the children of ``node`` in front of ``before`` (a list's items: their children)."""
    child = _lib.cmark_node_first_child(node)
    while child != _NULL:
        following = _lib.cmark_node_next(child)
        if _lib.cmark_node_get_type(child) == _ITEM:
            _hoist_children(child, before)  # items hold blocks only: one level, no deeper recursion
        else:
            _lib.cmark_node_insert_before(before, child)
        child = following


def _edit_tree(root, shift_headings: int) -> None:
    """Shift heading levels and flatten lists/block quotes deeper than MAX_NESTING, walking blocks only.

    Headings, lists and block quotes only ever sit in the document, block quotes and list items, so the
    walk never enters paragraphs or tables. Iterative: no recursion, whatever the depth."""
    stack = [(root, 0)]
    while stack:
        container, depth = stack.pop()
        child = _lib.cmark_node_first_child(container)
        while child != _NULL:
            kind = _lib.cmark_node_get_type(child)
            if kind == _HEADING:
                if shift_headings:
                    level = _lib.cmark_node_get_heading_level(child)
                    _lib.cmark_node_set_heading_level(child, max(2, min(6, level + shift_headings)))
            elif kind in (_QUOTE, _LIST):
                if depth >= MAX_NESTING:
                    first = _lib.cmark_node_first_child(child)
                    if kind == _LIST and first != _NULL:
                        first = _lib.cmark_node_first_child(first)  # the first item's first block (or NULL)
                    _hoist_children(child, child)
                    following = _lib.cmark_node_next(child)
                    _lib.cmark_node_unlink(child)
                    _lib.cmark_node_free(child)
                    # the hoisted blocks are walked next, at this depth (an empty first item: skip to what follows)
                    child = first if first != _NULL and first != following else following
                    continue
                if kind == _QUOTE:
                    stack.append((child, depth + 1))
                else:
                    item = _lib.cmark_node_first_child(child)
                    while item != _NULL:
                        stack.append((item, depth + 1))
                        item = _lib.cmark_node_next(item)
            child = _lib.cmark_node_next(child)


_RAW_TAG = re.compile(r"<[A-Za-z]")


def _render(text: str, shift_headings: int) -> str:
    """cmark-gfm → edited tree → HTML (not yet sanitised)."""
    options = _OPTIONS if len(_RAW_TAG.findall(text)) <= MAX_RAW_TAGS else _SAFE_OPTIONS
    parser, root = _parse(text.encode("utf-8", "surrogatepass"), options)  # invalid UTF-8 → U+FFFD
    try:
        _edit_tree(root, shift_headings)
        buffer = _lib.cmark_render_html(root, options, _lib.cmark_parser_get_syntax_extensions(parser))
        try:
            return _ffi.string(buffer).decode("utf-8")
        finally:
            _FREE(buffer)
    finally:
        _lib.cmark_node_free(root)
        _lib.cmark_parser_free(parser)


def _sanitise(html: str) -> str:
    html = nh3.clean(html, tags=set(ALLOWED_TAGS), attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
                     url_schemes=set(URL_SCHEMES), link_rel="noopener noreferrer", strip_comments=True)
    return _cap_depth(_check_links(html))


# nh3's output is a serialised tree: every "<" outside a tag is escaped, in attribute values too (checked by
# tests/unit/test_markdown.py), so these patterns see tags and nothing else.
_A_TAG = re.compile(r"<a\b[^>]*>")
_HREF = re.compile(r' href="([^"]*)"')
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")  # what a browser ignores or strips in a URL's scheme part
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):", re.IGNORECASE)


def _href_is_safe(value: str) -> bool:
    url = _URL_NOISE.sub("", unescape(value))
    scheme = _SCHEME.match(url)
    return scheme is None or scheme.group(1).lower() in URL_SCHEMES


def _check_links(html: str) -> str:
    """Defence in depth behind nh3: drop any href whose scheme is not allowed, read the way a browser reads it
    (entities decoded, tabs, newlines and other controls ignored)."""
    if "<a " not in html:
        return html
    return _A_TAG.sub(lambda tag: _HREF.sub(lambda h: h.group(0) if _href_is_safe(h.group(1)) else "",
                                            tag.group(0)), html)


DEPTH_LIMIT = 100
"""Elements nested deeper than this lose their tags (their text stays): no input nests deeper."""
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>")
_VOID = frozenset({"br", "hr", "img", "input", "wbr"})


def _cap_depth(html: str) -> str:
    if html.count("<") < 2 * DEPTH_LIMIT:  # too few tags to nest that deep
        return html
    out, kept, depth, last = [], [], 0, 0
    for tag in _TAG.finditer(html):
        name = tag.group(2).lower()
        if name in _VOID:
            continue
        if tag.group(1):  # a closing tag: the tree is well-formed, it closes the innermost open element
            keep = kept.pop() if kept else True
            depth -= keep
        else:
            keep = depth < DEPTH_LIMIT
            kept.append(keep)
            depth += keep
        if not keep:
            out.append(html[last:tag.start()])
            last = tag.end()
    out.append(html[last:])
    return "".join(out)


# One line of plain prose: letters and digits of any script, spaces and punctuation that means nothing to
# CommonMark, GFM autolinks or smart punctuation, and that nh3 writes back unchanged. tests/unit/test_markdown.py
# checks the shortcut gives the engine's bytes for every string of the sample content.
_PLAIN = re.compile(r"(?!\d+[.)])(?!.*(?:--|\.\.|www|:\S))[^\W_](?:[^\W_]|[ ,.;:?!()/%+\-—–’€£$¥₹₽×°])*",
                    re.IGNORECASE)


def _is_plain(text: str) -> bool:
    return _PLAIN.fullmatch(text) is not None and not text.endswith(" ")


def _to_html(text: str, shift_headings: int) -> str:
    if not text or not text.strip():
        return ""
    if _is_plain(text):
        return f"<p>{text}</p>"
    return _sanitise(_render(text, shift_headings)).rstrip("\n")


@lru_cache(maxsize=4096)
def markdown(text: str, shift_headings: int = 1) -> Markup:
    """Render Markdown to sanitised HTML. Headings move down ``shift_headings`` levels (h1 is the page's)."""
    return Markup(_to_html(text, shift_headings))


@lru_cache(maxsize=4096)
def inline_markdown(text: str) -> Markup:
    """Markdown for one line (a strength, a table cell): the outer <p> removed."""
    html = _to_html(text, 0)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


_RAW_HREF = re.compile(r"""<a\b[^>]*?\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)


def link_addresses(text: str) -> list[tuple[str, int, int]]:
    """Every link address written in the Markdown ``text`` — links (inline, reference, autolinks) and the
    ``href`` of raw HTML ``<a>`` tags — as (address, line, column), in the order written; line and column
    1-based, where cmark-gfm puts the link's start (for a raw tag, its ``href``). Not the rendered HTML's
    address: cmark percent-encodes it; this is what the author wrote (entities and escapes decoded)."""
    if not text or not text.strip():
        return []
    source = text.encode("utf-8", "surrogatepass")
    lines = source.split(b"\n")
    parser, root = _parse(source, _OPTIONS)
    found: list[tuple[str, int, int]] = []
    iterator = _lib.cmark_iter_new(root)
    try:
        while True:
            event = _lib.cmark_iter_next(iterator)
            if event == 1:  # CMARK_EVENT_DONE
                break
            if event != 2:  # CMARK_EVENT_ENTER: each node once (a link is also exited)
                continue
            node = _lib.cmark_iter_get_node(iterator)
            kind = _lib.cmark_node_get_type(node)
            if kind not in (_LINK, _INLINE_HTML, _BLOCK_HTML):
                continue
            line, column = _lib.cmark_node_get_start_line(node), _lib.cmark_node_get_start_column(node)
            if kind == _LINK:
                url = _lib.cmark_node_get_url(node)
                if url != _NULL:
                    found.append((_ffi.string(url).decode("utf-8", "replace"), line, _char_column(lines, line, column)))
                continue
            literal = _lib.cmark_node_get_literal(node)
            raw = _ffi.string(literal).decode("utf-8", "replace") if literal != _NULL else ""
            for match in _RAW_HREF.finditer(raw):
                start = match.start(1) if match.group(1) is not None else match.start(2) \
                    if match.group(2) is not None else match.start(3)
                before = raw[:start]
                at_line = line + before.count("\n")
                at_column = (len(before) - before.rfind("\n")) if "\n" in before else \
                    _char_column(lines, line, column) + len(before)
                found.append((unescape(next(g for g in match.groups() if g is not None)), at_line, at_column))
    finally:
        _lib.cmark_iter_free(iterator)
        _lib.cmark_node_free(root)
        _lib.cmark_parser_free(parser)
    return found


def _char_column(lines: list[bytes], line: int, column: int) -> int:
    """cmark's byte column on ``line`` as a character column. cmark counts a paragraph's continuation lines
    from their first non-blank byte: a column that does not fall on a link's opening (``[``, ``<``, ``!``)
    is moved past the line's indentation when that does."""
    text = lines[line - 1] if 0 < line <= len(lines) else b""
    indent = len(text) - len(text.lstrip(b" \t"))
    if column - 1 < len(text) and text[column - 1:column] not in (b"[", b"<", b"!") \
            and text[column - 1 + indent:column + indent] in (b"[", b"<", b"!"):
        column += indent
    return len(text[:column - 1].decode("utf-8", "replace")) + 1


def safe_href(url: str | None) -> str | None:
    """An http(s) URL as given, anything else refused (validation already reports it)."""
    if url and url.lower().startswith(("https://", "http://")):
        return url
    return None
