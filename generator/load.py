"""Stage 1 — load: the content folder → parsed documents with source positions (a :class:`SourceTree`).

Finds the files, checks their names (they become URLs) and where they lead (no links out of the folder),
and parses each with :mod:`generator.yaml_reader`. Nothing here knows the content model; that is
:mod:`generator.validate`'s job. Problems are collected, never raised.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .content_files import HISTORY_FOLDER, check_root, collect, display_path, inside
from .diagnostics import Diagnostics
from .yaml_reader import MAX_FILE_BYTES, Document, Mark, YamlProblem, parse_yaml, read_text

__all__ = ["Document", "Mark", "Page", "PendingFile", "SourceTree", "MAX_FILE_BYTES", "parse_yaml", "load_content",
           "load_yaml_file", "load_page"]

@dataclass
class Page:
    """A narrative Markdown page: front matter (as a Document) and the Markdown body."""

    slug: str
    front: Document
    body: str
    body_line: int  # line of the body's first line in the file


@dataclass(frozen=True)
class PendingFile:
    """A company file found and checked by name, parsed only when validation reaches it.

    Validation takes the company files one at a time — parse, validate, keep the model, drop the parse — so
    a build never holds every file's parse at once (a dict entry, a path and a mark per value: ~90 KB per
    company file, most of a 5,000-company build's memory). Its problems are reported as a loaded file's."""

    path: Path
    display: str

    def load(self, diagnostics: Diagnostics) -> Document | None:
        """Parsed without positions: validation asks for one only to report a problem (the file is read again
        then); a large market's files mostly have none."""
        return load_yaml_file(self.path, self.display, diagnostics, positions=False)


READ_AHEAD_MIN = 200  # company files: fewer, and a second process costs more than it saves
READ_AHEAD_EVERY = 3  # of every three files to parse, the forked reader takes two, validation itself one


def _parse_files(files: list[tuple[str, str]]) -> list[tuple[object, list]]:
    """In the reader process: each file's data (None: it did not parse) and the problems reading it gave."""
    out = []
    for path, display in files:
        found = Diagnostics()
        doc = load_yaml_file(Path(path), display, found, positions=False)
        out.append((None if doc is None else doc.data, found.items))
    return out


def read_in_order(files: list[PendingFile], diagnostics: Diagnostics, workers: int = 1):
    """Each of ``files`` parsed (a Document, or None when it did not parse: its problems reported), in order.

    With ``workers`` > 1 and a large market, a forked process reads two of every three files ahead while the
    caller validates, and hands back the data alone (plain values pickle ~5× faster than validated models);
    the caller's process parses the third itself. Each file's problems are reported when its turn comes, so
    the diagnostics and every later step are the same as when one process reads them all."""
    if workers <= 1 or len(files) < READ_AHEAD_MIN:
        for pending in files:
            yield pending.load(diagnostics)
        return
    from .cpus import forked_pool

    ahead = [i for i in range(len(files)) if i % READ_AHEAD_EVERY]
    chunk = 24
    with forked_pool(1) as pool:  # done, or the caller stopped early (an exception): the reader goes either way
        results = pool.imap(_parse_files, [[(str(files[i].path), files[i].display) for i in ahead[j:j + chunk]]
                                           for j in range(0, len(ahead), chunk)])
        parsed = (item for batch in results for item in batch)
        for i, pending in enumerate(files):
            if not i % READ_AHEAD_EVERY:
                yield pending.load(diagnostics)
                continue
            data, found = next(parsed)
            diagnostics.extend(found)
            yield None if data is None else Document(pending.display, data, source=str(pending.path), reread=True)


@dataclass
class SourceTree:
    """Everything read from ``content/``: the input of validation."""

    root: Path
    site: Document | None
    companies: dict[str, "Document | PendingFile"]  # PendingFile: parsed by validation, one at a time
    prospects: dict[str, Document]
    pages: dict[str, Page]
    # Files whose *name* is refused (not a slug, reserved): still parsed and validated, so every problem
    # inside them is reported in the same run, but never built. (kind, stand-in slug, document or page)
    misnamed: list = field(default_factory=list)
    # content/history/<YYYY-MM-DD>.yaml: dated snapshots (file stem → document), see generator/history.py
    history: dict = field(default_factory=dict)
    # The companies/ folder could not be listed (a file, a loop, unreadable): which companies exist is unknown,
    # so no other file is told that a company it names does not exist.
    companies_unknown: bool = False



def load_yaml_file(path: Path, display: str, diagnostics: Diagnostics, *, require_mapping: bool = True,
                   positions: bool = True) -> Document | None:
    """Read and parse one file; on failure record a diagnostic and return None. ``positions=False``: the
    positions of its values are read again from the file the first time one is asked for (yaml_reader)."""
    try:
        text, warning = read_text(path, display)
        if warning:
            diagnostics.warning("encoding-bom", warning, file=display, line=1, column=1)
        if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
            raise YamlProblem("file-empty", "the file is empty", hint="a content file holds a YAML mapping (key: value)")
        doc = parse_yaml(text, display, positions=positions)
    except YamlProblem as exc:
        diagnostics.error(exc.code, exc.message, file=display, line=exc.line, column=exc.column, hint=exc.hint)
        return None
    except OSError as exc:
        diagnostics.error("file-unreadable", f"cannot read the file: {exc.strerror or exc}", file=display)
        return None
    doc.source = str(path)
    if not positions and not doc.values:  # read without them (a problem in the file reads them at once)
        doc.reread = True
    if require_mapping and not isinstance(doc.data, dict):
        kind = "a list" if isinstance(doc.data, list) else ("no value" if doc.data is None else "a single value")
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
        if not match and re.match(r"---[ \t]*\r?\n", text):
            raise YamlProblem("front-matter-missing", "the page's front matter is not closed",
                              hint="end the front matter with a line '---' before the text of the page")
        if not match:
            raise YamlProblem("front-matter-missing", "the page has no front matter",
                             hint="start the page with a '---' block holding at least 'title:'")
        front_text = match.group(1)
        front = parse_yaml(front_text, display, line_offset=1) if front_text.strip() else None
    except YamlProblem as exc:
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


def load_content(root: Path, diagnostics: Diagnostics, *, base: Path | None = None) -> SourceTree:
    """Read the whole content folder. Problems go to ``diagnostics``; unreadable files are left out."""
    root = Path(root)
    base = base or Path.cwd()
    if root.exists() and not root.is_dir():
        holder = root.parent if root.name in ("site.yaml", "site.yml") else None
        diagnostics.error("content-not-a-folder",
                          f"the content folder '{display_path(root, base)}' is a file, not a folder",
                          hint=("pass the folder that holds site.yaml"
                                + (f": --content {display_path(holder, base)}" if holder is not None else "")))
        return SourceTree(root, None, {}, {}, {})
    if not root.is_dir():
        diagnostics.error("content-missing", f"the content folder '{display_path(root, base)}' does not exist",
                          hint="run valuemap in the project folder, or pass --content DIR")
        return SourceTree(root, None, {}, {}, {})
    site_path = root / "site.yaml"
    site_display = display_path(site_path, base)
    site = None
    if site_path.is_file():
        if site_path.is_symlink() and not inside(site_path, root):
            diagnostics.error("path-outside-content", "the file is a link to a place outside the content folder",
                              file=site_display)
        else:
            site = load_yaml_file(site_path, site_display, diagnostics)
    elif os.path.lexists(site_path):  # a folder, or a link that leads nowhere
        diagnostics.error("site-missing", "site.yaml is not a file", file=site_display,
                          hint="every content folder has a site.yaml file with the title, dimensions and segments")
    else:
        diagnostics.error("site-missing", "site.yaml is missing from the content folder", file=site_display,
                          hint="every content folder has a site.yaml with the title, dimensions and segments")
    check_root(root, base, diagnostics)
    misnamed: list = []
    found = {}
    unlisted: list = []
    for kind, folder, suffixes in (("company", "companies", (".yaml", ".yml")),
                                   ("prospect", "prospects", (".yaml", ".yml")), ("page", "pages", (".md",))):
        refused: list = []
        found[kind] = {}
        for slug, path, display in collect(root / folder, suffixes, root, base, diagnostics, refused,
                                            unlisted if kind == "company" else None):
            if kind == "company":
                found[kind][slug] = PendingFile(path, display)
                continue
            item = _load_item(kind, path, display, slug, diagnostics)
            if item is not None:
                found[kind][slug] = item
        for slug, path, display in refused:  # checked like the others, never built
            item = _load_item(kind, path, display, slug, diagnostics)
            if item is not None:
                misnamed.append((kind, slug, item))
    tree = SourceTree(root, site, found["company"], found["prospect"], found["page"], misnamed,
                      companies_unknown=bool(unlisted))
    tree.history = load_snapshots(root, base, diagnostics)
    return tree


def load_snapshots(root: Path, base: Path, diagnostics: Diagnostics) -> dict[str, Document]:
    """``content/history/*.yaml`` parsed with positions (file stem → document); problems reported. The
    snapshots are validated and scored by :mod:`generator.history`."""
    out: dict[str, Document] = {}
    for stem, path, display in collect(Path(root) / HISTORY_FOLDER, (".yaml", ".yml"), Path(root), base,
                                        diagnostics):
        doc = load_yaml_file(path, display, diagnostics)
        if doc is not None:
            out[stem] = doc
    return out


def _load_item(kind: str, path: Path, display: str, slug: str, diagnostics: Diagnostics):
    if kind == "page":
        return load_page(path, display, slug, diagnostics)
    return load_yaml_file(path, display, diagnostics)

