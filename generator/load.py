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

from .diagnostics import Diagnostics, did_you_mean
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


# --- the content folder -------------------------------------------------------------------------------

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
# Names Windows keeps for devices, in any case and with any extension (con.html, COM1.yaml, lpt9.md): a file
# so named cannot be created or opened there, so no id that becomes a file name may be one of them.
DEVICE_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                          *(f"lpt{i}" for i in range(10))})
# Names of the site's own pages and folders: a content file so named would clash with them.
SITE_NAMES = frozenset({"index", "assets", "404", "segments", "dimensions", "competitors", "pages",
                        "methodology", "canvas", "export"})
RESERVED_SLUGS = SITE_NAMES | DEVICE_NAMES


def is_device_name(name: str) -> bool:
    """True for a name Windows reserves for a device (``con``, ``COM1``, ``lpt9.html``, ``nul.tar.gz``)."""
    return name.split(".", 1)[0].rstrip(" ").lower() in DEVICE_NAMES


def unreserved(slug: str) -> str:
    """``slug``, or a variant of it that is not reserved: a suggestion for a rename."""
    return f"{slug}-1" if slug in RESERVED_SLUGS or is_device_name(slug) else slug


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


def _collect(folder: Path, suffixes: tuple[str, ...], root: Path, base: Path, diagnostics: Diagnostics,
             misnamed: list | None = None) -> list[tuple[str, Path, str]]:
    """(slug, path, display) for each content file in ``folder``, with slugs and paths checked. A file whose
    name is refused goes to ``misnamed`` as (stand-in slug, path, display): its content is still checked."""
    if not folder.is_dir():
        if os.path.lexists(folder):  # a file, or a link that leads nowhere, where the folder should be
            what = ("a link that leads nowhere (a loop or a missing target)"
                    if folder.is_symlink() and not folder.exists() else "a file")
            diagnostics.error("not-a-folder", f"'{folder.name}' is {what}, not a folder", file=_display(folder, base),
                              hint=f"the {'/'.join(suffixes)} files go in a folder named '{folder.name}/'")
        return []
    out: list[tuple[str, Path, str]] = []
    if not _inside(folder, root):
        diagnostics.error("path-outside-content", f"'{folder.name}/' is a link to a place outside the content folder",
                          file=_display(folder, base), hint="make it a real folder inside the content folder")
        return out
    # os.scandir: the kind of each entry comes with the listing (no system call per file for most checks)
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        diagnostics.error("folder-unreadable", f"cannot read the folder: {exc.strerror or exc}",
                          file=_display(folder, base), hint="check its permissions")
        return out
    folder_display = _display(folder, base)
    by_folded: dict[str, list[str]] = {}
    for entry in entries:
        stem, suffix = os.path.splitext(entry.name)
        if suffix.lower() in suffixes and not entry.name.startswith("."):
            by_folded.setdefault(stem.lower(), []).append(entry.path)
    for entry in entries:
        name = entry.name
        display = os.path.join(folder_display, name) if folder_display != "." else name
        if name.startswith(".") or name.endswith("~"):
            continue
        slug, suffix = os.path.splitext(name)
        if suffix.lower() not in suffixes:
            if entry.is_file():
                diagnostics.warning("file-ignored", f"ignored: not a {'/'.join(suffixes)} file", file=display)
            continue
        path = Path(entry.path)
        if entry.is_symlink() and not path.exists():
            diagnostics.error("broken-link", "the file is a link to something that does not exist", file=display,
                              hint="remove the link or copy the file it meant into the content folder")
            continue
        if entry.is_symlink() and not _inside(path, root):
            diagnostics.error("path-outside-content", "the file is a link to a place outside the content folder",
                              file=display, hint="copy the file into the content folder instead of linking it")
            continue
        if not entry.is_file():
            continue
        same = by_folded.get(slug.lower(), ())
        if len(same) > 1:
            clashing = [Path(p) for p in same]
            # Keep the one valid name (if any); the others would give the same page on a case-insensitive disk.
            keep = next((p for p in clashing if SLUG.match(p.stem) and p.suffix == clashing[0].suffix), clashing[0])
            if path != keep:
                diagnostics.error("slug-clash", f"'{path.name}' and '{keep.name}' give the same page",
                                  file=display, hint="names that differ only in case or extension clash; "
                                  "merge or rename one of them")
                continue
        if not SLUG.match(slug):
            diagnostics.error(
                "slug-invalid", f"'{path.name}': the file name is used in URLs and must be lower-case letters, "
                f"digits and hyphens", file=display,
                hint=f"rename it to '{unreserved(_slugify(slug) or 'name')}{path.suffix.lower()}'")
            if misnamed is not None:
                misnamed.append((unreserved(_slugify(slug) or "name"), path, display))
            continue
        if is_device_name(slug):
            diagnostics.error("slug-reserved", f"'{slug}' is a device name on Windows (CON, PRN, AUX, NUL, "
                              f"COM0–COM9, LPT0–LPT9): its page {slug}.html could not be created there",
                              file=display, hint=f"rename the file, e.g. to '{slug}-1{path.suffix}'")
            if misnamed is not None:
                misnamed.append((f"{slug}-1", path, display))
            continue
        if slug in RESERVED_SLUGS:
            diagnostics.error("slug-reserved", f"'{slug}' is a reserved name and cannot be a file name here",
                              file=display, hint=f"rename it, e.g. '{slug}-1{path.suffix}'")
            if misnamed is not None:
                misnamed.append((f"{slug}-1", path, display))
            continue
        out.append((slug, path, display))
    return out


def _slugify(text: str) -> str:
    return re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9-]+", "-", text.lower())).strip("-")[:64]


def load_content(root: Path, diagnostics: Diagnostics, *, base: Path | None = None) -> SourceTree:
    """Read the whole content folder. Problems go to ``diagnostics``; unreadable files are left out."""
    root = Path(root)
    base = base or Path.cwd()
    if root.exists() and not root.is_dir():
        holder = root.parent if root.name in ("site.yaml", "site.yml") else None
        diagnostics.error("content-not-a-folder",
                          f"the content folder '{_display(root, base)}' is a file, not a folder",
                          hint=("pass the folder that holds site.yaml"
                                + (f": --content {_display(holder, base)}" if holder is not None else "")))
        return SourceTree(root, None, {}, {}, {})
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
    elif os.path.lexists(site_path):  # a folder, or a link that leads nowhere
        diagnostics.error("site-missing", "site.yaml is not a file", file=site_display,
                          hint="every content folder has a site.yaml file with the title, dimensions and segments")
    else:
        diagnostics.error("site-missing", "site.yaml is missing from the content folder", file=site_display,
                          hint="every content folder has a site.yaml with the title, dimensions and segments")
    _check_root(root, base, diagnostics)
    misnamed: list = []
    found = {}
    for kind, folder, suffixes in (("company", "companies", (".yaml", ".yml")),
                                   ("prospect", "prospects", (".yaml", ".yml")), ("page", "pages", (".md",))):
        refused: list = []
        found[kind] = {}
        for slug, path, display in _collect(root / folder, suffixes, root, base, diagnostics, refused):
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
    tree = SourceTree(root, site, found["company"], found["prospect"], found["page"], misnamed)
    tree.history = load_snapshots(root, base, diagnostics)
    return tree


HISTORY_FOLDER = "history"  # content/history/<YYYY-MM-DD>.yaml: dated snapshots (generator/history.py)
CONTENT_FOLDERS = ("companies", "prospects", "pages", HISTORY_FOLDER)


def _check_root(root: Path, base: Path, diagnostics: Diagnostics) -> None:
    """What at the top of the content folder is never read, said: a YAML file other than site.yaml (content
    files live in the folders), and a folder whose name is close to a content folder's (``compnies/``). Other
    folders and files (a README, notes) are the author's own and pass silently."""
    try:
        with os.scandir(root) as listing:
            entries = sorted((e.name, e.is_dir()) for e in listing)
    except OSError:
        return  # site.yaml and each folder report what cannot be read
    for name, is_dir in entries:
        if name.startswith(".") or name == "site.yaml" or name in CONTENT_FOLDERS:
            continue
        display = _display(root / name, base)
        if is_dir:
            close = did_you_mean(name, CONTENT_FOLDERS)
            if close:
                diagnostics.warning("folder-ignored", f"ignored: '{name}/' is not a content folder", file=display,
                                    hint=f"did you mean '{close}/'?")
        elif os.path.splitext(name)[1].lower() in (".yaml", ".yml"):
            close = did_you_mean(os.path.splitext(name)[0], ["site"])
            diagnostics.warning("file-ignored", "ignored: only site.yaml is read at the top of the content folder",
                                file=display, hint="rename it 'site.yaml'" if close else
                                "company files go in companies/, prospects in prospects/, snapshots in history/")


def load_snapshots(root: Path, base: Path, diagnostics: Diagnostics) -> dict[str, Document]:
    """``content/history/*.yaml`` parsed with positions (file stem → document); problems reported. The
    snapshots are validated and scored by :mod:`generator.history`."""
    out: dict[str, Document] = {}
    for stem, path, display in _collect(Path(root) / HISTORY_FOLDER, (".yaml", ".yml"), Path(root), base,
                                        diagnostics):
        doc = load_yaml_file(path, display, diagnostics)
        if doc is not None:
            out[stem] = doc
    return out


def _load_item(kind: str, path: Path, display: str, slug: str, diagnostics: Diagnostics):
    if kind == "page":
        return load_page(path, display, slug, diagnostics)
    return load_yaml_file(path, display, diagnostics)

