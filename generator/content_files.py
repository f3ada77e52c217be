"""Which files of the content folder are read (part of stage 1, load): each folder listed, every file name
checked as the slug it becomes (URLs, reserved and Windows device names, names that clash on a
case-insensitive disk), links that would lead out of the content folder refused, and what is never read said
(a file of the wrong kind, YAML at the top of the folder, a misspelled folder). Reading the files themselves is
:mod:`generator.load`.
"""
from __future__ import annotations

import os
import stat
import re
from pathlib import Path

from .diagnostics import Diagnostics, did_you_mean


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


def display_path(path: Path, base: Path) -> str:
    """``path`` as an author reads it in a message: relative to ``base`` (the working folder) when it lies
    below it or was given relative; an absolute path elsewhere stays absolute ('/srv/market/content', not
    '../../../srv/market/content')."""
    try:
        rel = os.path.relpath(path, base)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)
    if os.path.isabs(path) and (rel == os.pardir or rel.startswith(os.pardir + os.sep)):
        return str(path)
    return rel


def inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False


def collect(folder: Path, suffixes: tuple[str, ...], root: Path, base: Path, diagnostics: Diagnostics,
             misnamed: list | None = None, unlisted: list | None = None) -> list[tuple[str, Path, str]]:
    """(slug, path, display) for each content file in ``folder``, with slugs and paths checked. A file whose
    name is refused goes to ``misnamed`` as (stand-in slug, path, display): its content is still checked.
    ``unlisted`` gets the folder when it is there but cannot be listed (the error is reported here)."""
    out = _listed(folder, suffixes, root, base, diagnostics, misnamed)
    if out is None:  # there, but not a folder this build can list (its problem is reported)
        if unlisted is not None:
            unlisted.append(folder)
        return []
    return out


def _kind(entry: os.DirEntry) -> str:
    """What a directory entry that is not a regular file is, in words."""
    if entry.is_dir():
        return "a folder"
    try:
        mode = entry.stat().st_mode
    except OSError:
        return "not a regular file"
    return "a pipe (FIFO)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device" \
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file"


def _listed(folder: Path, suffixes: tuple[str, ...], root: Path, base: Path, diagnostics: Diagnostics,
            misnamed: list | None) -> list[tuple[str, Path, str]] | None:
    """What :func:`collect` returns; None when the folder is there but cannot be listed."""
    if not folder.is_dir():
        if not os.path.lexists(folder):
            return []  # no such folder: nothing of that kind
        what = ("a link that leads nowhere (a loop or a missing target)"
                if folder.is_symlink() and not folder.exists() else "a file")
        diagnostics.error("not-a-folder", f"'{folder.name}' is {what}, not a folder", file=display_path(folder, base),
                          hint=f"the {'/'.join(suffixes)} files go in a folder named '{folder.name}/'")
        return None
    out: list[tuple[str, Path, str]] = []
    if not inside(folder, root):
        diagnostics.error("path-outside-content", f"'{folder.name}/' is a link to a place outside the content folder",
                          file=display_path(folder, base), hint="make it a real folder inside the content folder")
        return None
    # os.scandir: the kind of each entry comes with the listing (no system call per file for most checks)
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        diagnostics.error("folder-unreadable", f"cannot read the folder: {exc.strerror or exc}",
                          file=display_path(folder, base), hint="check its permissions")
        return None
    folder_display = display_path(folder, base)
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
        if entry.is_symlink() and not inside(path, root):
            diagnostics.error("path-outside-content", "the file is a link to a place outside the content folder",
                              file=display, hint="copy the file into the content folder instead of linking it")
            continue
        if not entry.is_file():  # named like content, but a folder, a pipe, a socket or a device: never read
            diagnostics.warning("file-ignored", f"ignored: '{name}' is {_kind(entry)}, not a {'/'.join(suffixes)} file",
                                file=display, hint="rename or move it: only regular files here are read")
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
                hint=f"rename it to '{unreserved(slugify(slug) or 'name')}{path.suffix.lower()}'")
            if misnamed is not None:
                misnamed.append((unreserved(slugify(slug) or "name"), path, display))
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


def slugify(text: str) -> str:
    """A text as the nearest slug: 'Lumen_Desk' → 'lumen-desk' (a rename or a correction to suggest)."""
    return re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9-]+", "-", text.lower())).strip("-")[:64]


HISTORY_FOLDER = "history"  # content/history/<YYYY-MM-DD>.yaml: dated snapshots (generator/history.py)
CONTENT_FOLDERS = ("companies", "prospects", "pages", HISTORY_FOLDER)


def check_root(root: Path, base: Path, diagnostics: Diagnostics) -> None:
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
        display = display_path(root / name, base)
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
