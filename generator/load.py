"""Stage 1 — load: content files → plain Python data plus the source position of every value.

YAML is parsed with libyaml (``CSafeLoader``) into a node tree, and the tree is turned into data here rather
than by PyYAML's constructor, so that we can

* remember where each key and value stands (``file:line:column`` for every later error),
* refuse what PyYAML accepts silently: duplicate keys (it keeps the last), YAML 1.1 octals such as ``012``,
  unknown tags, alias bombs, absurd nesting, files too large to be content,
* resolve plain scalars by the YAML 1.2 core schema: ``yes``/``no``/``on``/``off`` stay text, ``1e3`` is a
  number, ``2026-10-01`` is a date.

Nothing here knows the content model; that is :mod:`generator.validate`'s job.
"""
from __future__ import annotations

import datetime as _dt
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostics

try:  # libyaml is ~7x faster; the pure-Python loader is the fallback where it is not compiled in.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 40
MAX_NODES = 200_000  # after alias expansion: stops "billion laughs"

Path_ = tuple  # a field path: ('scores', 'usability', 0, 'value')


@dataclass(frozen=True)
class Mark:
    line: int  # 1-based
    column: int  # 1-based


@dataclass
class Document:
    """One parsed file: its data and where each value (and each mapping key) stands in it."""

    file: str  # path as shown to the author, relative to the project when possible
    data: Any
    values: dict[Path_, Mark] = field(default_factory=dict)
    keys: dict[Path_, Mark] = field(default_factory=dict)
    line_offset: int = 0  # front matter: lines before the YAML starts

    def where(self, path: Path_ = (), *, key: bool = False) -> dict:
        """``file``/``line``/``column`` for a field path: the nearest known ancestor if the path is unknown."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while True:
            mark = table.get(probe) or (self.values.get(probe) if key else None)
            if mark is not None:
                return {"file": self.file, "line": mark.line, "column": mark.column}
            if not probe:
                return {"file": self.file, "line": 1, "column": 1}
            probe = probe[:-1]


@dataclass
class Page:
    """A narrative Markdown page: front matter (as a Document) and the Markdown body."""

    slug: str
    front: Document
    body: str
    body_line: int  # line of the body's first line in the file


@dataclass
class SourceTree:
    """Everything read from ``content/``: the input of validation."""

    root: Path
    site: Document | None
    companies: dict[str, Document]
    prospects: dict[str, Document]
    pages: dict[str, Page]


class _LoadError(Exception):
    def __init__(self, code: str, message: str, line: int = 1, column: int = 1, hint: str | None = None):
        super().__init__(message)
        self.code, self.message, self.line, self.column, self.hint = code, message, line, column, hint


# --- scalars (YAML 1.2 core schema, with the YAML 1.1 traps called out) -------------------------------

_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_OCTAL_11 = re.compile(r"^[-+]?0[0-9_]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F_]+$")
_OCT = re.compile(r"^0o[0-7_]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_SPECIAL_FLOATS = {
    ".inf": math.inf, "+.inf": math.inf, "-.inf": -math.inf,
    ".Inf": math.inf, "+.Inf": math.inf, "-.Inf": -math.inf,
    ".INF": math.inf, "+.INF": math.inf, "-.INF": -math.inf,
    ".nan": math.nan, ".NaN": math.nan, ".NAN": math.nan,
}
_STD_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq", "tag:yaml.org,2002:timestamp",
}


def _plain_scalar(text: str, mark: Mark) -> Any:
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.match(text):
        return int(text.replace("_", ""))
    if _OCTAL_11.match(text):
        as_decimal = int(text.replace("_", ""))
        raise _LoadError(
            "yaml-ambiguous-number",
            f"'{text}' is ambiguous: YAML 1.1 tools read it as the octal number "
            f"{int(text.replace('_', '').lstrip('+-'), 8) if set(text.lstrip('+-')) <= set('01234567_') else '(invalid)'}"
            f", YAML 1.2 as {as_decimal}",
            mark.line, mark.column,
            hint=f"write {as_decimal} without the leading zero, or quote it (\"{text}\") if it is text",
        )
    if _HEX.match(text):
        return int(text[2:].replace("_", ""), 16)
    if _OCT.match(text):
        return int(text[2:].replace("_", ""), 8)
    if _FLOAT.match(text):
        return float(text.replace("_", ""))
    if text in _SPECIAL_FLOATS:
        return _SPECIAL_FLOATS[text]
    if _DATE.match(text):
        try:
            return _dt.date.fromisoformat(text)
        except ValueError:
            raise _LoadError("yaml-bad-date", f"'{text}' looks like a date but is not a real one",
                             mark.line, mark.column, hint="dates are written YYYY-MM-DD")
    return text


# --- node tree → data -----------------------------------------------------------------------------------

class _Builder:
    def __init__(self, doc: Document):
        self.doc = doc
        self.count = 0
        self.offset = doc.line_offset

    def mark(self, node) -> Mark:
        return Mark(node.start_mark.line + 1 + self.offset, node.start_mark.column + 1)

    def build(self, node, path: tuple, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            m = self.mark(node)
            raise _LoadError("yaml-too-many-nodes",
                             f"the file expands to more than {MAX_NODES:,} values (an alias bomb?)",
                             m.line, m.column, hint="anchors and aliases (&name / *name) may not multiply data")
        if depth > MAX_DEPTH:
            m = self.mark(node)
            raise _LoadError("yaml-too-deep", f"nesting deeper than {MAX_DEPTH} levels", m.line, m.column)
        mark = self.mark(node)
        self.doc.values[path] = mark
        tag = node.tag
        if tag not in _STD_TAGS:
            raise _LoadError("yaml-unsupported-tag", f"unsupported YAML tag '{tag}'", mark.line, mark.column,
                             hint="content files use plain YAML: remove the '!' tag")
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, mark)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self.mapping(node, path, depth)

    def scalar(self, node, mark: Mark) -> Any:
        if node.style:  # quoted or block scalars are always text
            return node.value
        return _plain_scalar(node.value, mark)

    def mapping(self, node, path: tuple, depth: int) -> dict:
        out: dict = {}
        first_line: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                m = self.mark(key_node)
                raise _LoadError("yaml-merge-key", "merge keys ('<<') are not supported", m.line, m.column,
                                 hint="write the keys out; merges hide where a value comes from")
            if not isinstance(key_node, yaml.ScalarNode):
                m = self.mark(key_node)
                raise _LoadError("yaml-complex-key", "a mapping key must be a plain name", m.line, m.column)
            key = key_node.value
            key_mark = self.mark(key_node)
            if key in out:
                prev = first_line[key]
                raise _LoadError("yaml-duplicate-key",
                                 f"duplicate key '{key}' (first defined on line {prev.line})",
                                 key_mark.line, key_mark.column,
                                 hint="YAML keeps only the last of duplicate keys; merge the two entries")
            first_line[key] = key_mark
            self.doc.keys[path + (key,)] = key_mark
            out[key] = self.build(value_node, path + (key,), depth + 1)
        return out


def _check_depth(text: str, offset: int) -> None:
    """Walk the event stream (no recursion) so deep nesting is refused before the recursive composer runs."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                m = event.start_mark
                raise _LoadError("yaml-too-deep", f"nesting deeper than {MAX_DEPTH} levels",
                                 m.line + 1 + offset, m.column + 1)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def _decode(raw: bytes) -> tuple[str, str | None]:
    """bytes → text; returns (text, warning). Raises _LoadError for what is not UTF-8."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _LoadError("encoding", "the file is UTF-16 encoded", hint="save it as UTF-8")
    warning = None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        warning = "the file starts with a byte-order mark (BOM); it was ignored — save as UTF-8 without BOM"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _LoadError("encoding", f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})", line, column,
                         hint="save the file as UTF-8")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise _LoadError("encoding", "the file contains a NUL character (is it binary?)", line, 1)
    return text, warning


def parse_yaml(text: str, file: str, *, line_offset: int = 0) -> Document:
    """Parse one YAML document held in ``text``; raises _LoadError with a position on any problem."""
    doc = Document(file=file, data=None, line_offset=line_offset)
    try:
        _check_depth(text, line_offset)
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else 1
        column = (mark.column + 1) if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        hint = None
        if "\t" in problem or "'\\t'" in problem:
            problem, hint = "a tab character is used for indentation", "YAML indents with spaces only"
        elif "expected a single document" in str(exc) or "but found another document" in problem:
            hint = "a content file holds one document: remove the extra '---'"
        raise _LoadError("yaml-syntax", f"invalid YAML: {problem}", line, column, hint=hint)
    except yaml.YAMLError as exc:
        raise _LoadError("yaml-syntax", f"invalid YAML: {exc}")
    except RecursionError:
        raise _LoadError("yaml-too-deep", f"nesting deeper than {MAX_DEPTH} levels")
    if node is None:
        doc.data = None
        return doc
    doc.data = _Builder(doc).build(node, (), 0)
    return doc


def read_text(path: Path, display: str) -> tuple[str, str | None]:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _LoadError("file-too-large",
                         f"the file is {size:,} bytes; content files are limited to {MAX_FILE_BYTES:,} bytes",
                         hint="split the content, or move long prose to a Markdown page")
    with open(path, "rb") as fh:
        raw = fh.read(MAX_FILE_BYTES + 1)
    return _decode(raw)


def load_yaml_file(path: Path, display: str, diagnostics: Diagnostics, *, require_mapping: bool = True
                   ) -> Document | None:
    """Read and parse one file; on failure record a diagnostic and return None."""
    try:
        text, warning = read_text(path, display)
        if warning:
            diagnostics.warning("encoding-bom", warning, file=display, line=1, column=1)
        if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
            raise _LoadError("file-empty", "the file is empty", hint="a content file holds a YAML mapping (key: value)")
        doc = parse_yaml(text, display)
    except _LoadError as exc:
        diagnostics.error(exc.code, exc.message, file=display, line=exc.line, column=exc.column, hint=exc.hint)
        return None
    except OSError as exc:
        diagnostics.error("file-unreadable", f"cannot read the file: {exc.strerror or exc}", file=display)
        return None
    if require_mapping and not isinstance(doc.data, dict):
        kind = "a list" if isinstance(doc.data, list) else ("empty" if doc.data is None else "a single value")
        diagnostics.error("file-not-mapping", f"the file holds {kind}; expected a mapping (key: value pairs)",
                          file=display, line=1, column=1, hint="start the file with keys such as 'name: ...'")
        return None
    return doc


_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)^(---|\.\.\.)[ \t]*\r?$\n?", re.S | re.M)


def load_page(path: Path, display: str, slug: str, diagnostics: Diagnostics) -> Page | None:
    try:
        text, warning = read_text(path, display)
        if warning:
            diagnostics.warning("encoding-bom", warning, file=display, line=1, column=1)
        match = _FRONT.match(text)
        if not match:
            raise _LoadError("front-matter-missing", "the page has no front matter",
                             hint="start the page with a '---' block holding at least 'title:'")
        front_text = match.group(1)
        front = parse_yaml(front_text, display, line_offset=1) if front_text.strip() else None
    except _LoadError as exc:
        diagnostics.error(exc.code, exc.message, file=display, line=exc.line, column=exc.column, hint=exc.hint)
        return None
    except OSError as exc:
        diagnostics.error("file-unreadable", f"cannot read the file: {exc.strerror or exc}", file=display)
        return None
    if front is None or not isinstance(front.data, dict):
        diagnostics.error("file-not-mapping", "the front matter must be a mapping (key: value pairs)",
                          file=display, line=2, column=1, hint="write at least 'title: ...' between the '---' lines")
        return None
    body_line = text[: match.end()].count("\n") + 1
    return Page(slug=slug, front=front, body=text[match.end():], body_line=body_line)


# --- the content folder -------------------------------------------------------------------------------

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
RESERVED_SLUGS = {
    "index", "assets", "404", "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "lpt1", "lpt2", "lpt3",
    "segments", "dimensions", "competitors", "pages", "methodology", "canvas", "export",
}


def _display(path: Path, base: Path) -> str:
    try:
        return os.path.relpath(path, base)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False


def _collect(folder: Path, suffixes: tuple[str, ...], root: Path, base: Path, diagnostics: Diagnostics
             ) -> list[tuple[str, Path, str]]:
    """(slug, path, display) for each content file in ``folder``, with slugs and paths checked."""
    if not folder.is_dir():
        return []
    out: list[tuple[str, Path, str]] = []
    folded: dict[str, str] = {}
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        display = _display(path, base)
        if path.name.startswith(".") or path.name.endswith("~"):
            continue
        if path.suffix.lower() not in suffixes:
            if path.is_file():
                diagnostics.warning("file-ignored", f"ignored: not a {'/'.join(suffixes)} file", file=display)
            continue
        if path.is_symlink() and not _inside(path, root):
            diagnostics.error("path-outside-content", "the file is a link to a place outside the content folder",
                              file=display, hint="copy the file into the content folder instead of linking it")
            continue
        if not path.is_file():
            continue
        slug = path.stem
        if not SLUG.match(slug):
            diagnostics.error(
                "slug-invalid", f"'{path.name}': the file name is used in URLs and must be lower-case letters, "
                f"digits and hyphens", file=display,
                hint=f"rename it to '{_slugify(slug) or 'name'}{path.suffix}'")
            continue
        if slug in RESERVED_SLUGS:
            diagnostics.error("slug-reserved", f"'{slug}' is a reserved name and cannot be a file name here",
                              file=display, hint=f"rename it, e.g. '{slug}-1{path.suffix}'")
            continue
        if slug.lower() in folded:
            diagnostics.error("slug-clash", f"'{path.name}' and '{folded[slug.lower()]}' give the same page",
                              file=display, hint="give each file its own name")
            continue
        folded[slug.lower()] = path.name
        out.append((slug, path, display))
    return out


def _slugify(text: str) -> str:
    return re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9-]+", "-", text.lower())).strip("-")[:64]


def load_content(root: Path, diagnostics: Diagnostics, *, base: Path | None = None) -> SourceTree:
    """Read the whole content folder. Problems go to ``diagnostics``; unreadable files are left out."""
    root = Path(root)
    base = base or Path.cwd()
    if not root.is_dir():
        diagnostics.error("content-missing", f"the content folder '{_display(root, base)}' does not exist",
                          hint="run valuemap in the project folder, or pass --content DIR")
        return SourceTree(root, None, {}, {}, {})
    site_path = root / "site.yaml"
    site_display = _display(site_path, base)
    site = None
    if site_path.is_file():
        if site_path.is_symlink() and not _inside(site_path, root):
            diagnostics.error("path-outside-content", "the file is a link to a place outside the content folder",
                              file=site_display)
        else:
            site = load_yaml_file(site_path, site_display, diagnostics)
    else:
        diagnostics.error("site-missing", "content/site.yaml is missing", file=site_display,
                          hint="every content folder has a site.yaml with the title, dimensions and segments")
    companies = {}
    for slug, path, display in _collect(root / "companies", (".yaml", ".yml"), root, base, diagnostics):
        doc = load_yaml_file(path, display, diagnostics)
        if doc is not None:
            companies[slug] = doc
    prospects = {}
    for slug, path, display in _collect(root / "prospects", (".yaml", ".yml"), root, base, diagnostics):
        doc = load_yaml_file(path, display, diagnostics)
        if doc is not None:
            prospects[slug] = doc
    pages = {}
    for slug, path, display in _collect(root / "pages", (".md",), root, base, diagnostics):
        page = load_page(path, display, slug, diagnostics)
        if page is not None:
            pages[slug] = page
    return SourceTree(root, site, companies, prospects, pages)
