"""The output folder before a build replaces it: where it may be (:func:`check_output`: never the root, the
home folder, the content or the templates, a link or a file) and what it holds (:func:`inspect_site`: what the
last build wrote, by the manifest in its marker file, what is carried over, and any file valuemap did not write,
which makes the build refuse). :mod:`generator.write` writes the new site and swaps it in.

The manifest is published with the site (hosts such as GitHub Pages serve dot-files), so it must not name a
page that is reachable only by its secret address: files in a ``hidden`` folder (``prospects/``) are listed as
``<folder>/sha256-<hex digest of the path>`` — enough to recognise them as valuemap's, useless for finding them.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .diagnostics import UsageError

MARKER = ".valuemap-site"
OWN_PREFIX = ".valuemap-"  # the marker, temporary and old folders: valuemap's own names, never carried over
MANIFEST_HEADER = "# valuemap site manifest v1: the files below were written by valuemap; do not edit."
DEFAULT_KEEP = ("CNAME",)
SHOWN = 10  # unowned files named in a refusal
HASHED = "sha256-"  # a manifest entry for a file at a secret address: its folder, then the digest of its path


def manifest_entry(rel: str, hidden: Iterable[str] = ()) -> str:
    """How the manifest lists ``rel``: as it is, or — inside a ``hidden`` folder — by the digest of its path.
    A hidden folder is hidden wherever it stands: a language's sub-site has its own (``ja/prospects/``)."""
    folder, _, _ = rel.rpartition("/")
    if folder and _in_hidden(folder, hidden):
        return f"{folder}/{HASHED}{hashlib.sha256(rel.encode('utf-8', 'surrogateescape')).hexdigest()}"
    return rel


def _in_hidden(folder: str, hidden: Iterable[str]) -> bool:
    """``folder`` is a hidden one, is inside one, or has one among its parts (``en/prospects``)."""
    parts = folder.split("/")
    for h in hidden:
        h = h.rstrip("/")
        if folder == h or folder.startswith(h + "/") or h in parts:
            return True
    return False


def _listed(rel: str, manifest: frozenset[str]) -> bool:
    return rel in manifest or manifest_entry(rel, (rel.rpartition("/")[0],)) in manifest


class OutputError(UsageError):
    """The output folder or file cannot be used; the message says why."""


# --- resolving and checking the output folder ------------------------------------------------------------

def resolve_out(out: Path) -> Path:
    """The real, absolute path of ``--out`` (``.``, ``..`` and linked parent folders resolved).

    ``--out`` itself may not be a symbolic link: the swap replaces a folder, and a link would be replaced by
    a folder instead of the folder it points to.
    """
    out = Path(out)
    if os.path.islink(out) or os.path.islink(os.path.normpath(os.path.abspath(out))):
        raise OutputError(f"the output folder '{out}' is a symbolic link; give the real folder")
    return Path(os.path.realpath(out))


def nearest_existing(path: Path) -> Path:
    while not os.path.lexists(path) and path != path.parent:
        path = path.parent
    return path


def _overlap(a: Path, b: Path) -> bool:
    return a == b or a.is_relative_to(b) or b.is_relative_to(a)


def _cwd() -> Path | None:
    try:
        return Path(os.getcwd()).resolve()
    except OSError:
        return None


def cwd_inside(folder: Path) -> bool:
    """Is the current folder ``folder`` or inside it? (Then the shell's folder is replaced by a build.)"""
    cwd = _cwd()
    return cwd is not None and cwd.is_relative_to(folder)


def check_output(out: Path, content_dir: Path, *, templates_dir: Path | None = None,
                 keep: Iterable[str] = DEFAULT_KEEP) -> Path:
    """Refuse an output folder that would destroy something; return its resolved path.

    Refused: the file system root, the home folder, a folder overlapping the content or the templates, a link,
    a file, a path below a file, a non-empty folder valuemap did not make, and a valuemap site holding files
    valuemap did not write (other than dot-entries and ``keep`` names, which are carried over).
    """
    label = str(out)
    out_r = resolve_out(out)
    content_r = Path(os.path.realpath(content_dir))
    if out_r == Path(out_r.anchor) or out_r == Path.home().resolve():
        raise OutputError(f"refusing to write the site to '{label}': choose a dedicated folder such as site/")
    if _overlap(out_r, content_r):
        raise OutputError(f"the output folder '{label}' overlaps the content folder '{content_dir}'")
    if templates_dir is not None and _overlap(out_r, Path(os.path.realpath(templates_dir))):
        raise OutputError(f"the output folder '{label}' overlaps the templates folder '{templates_dir}'")
    if os.path.lexists(out_r) and not out_r.is_dir():
        raise OutputError(f"'{label}' exists and is not a folder")
    above = nearest_existing(out_r)
    if above != out_r and not above.is_dir():
        raise OutputError(f"cannot create the output folder '{label}': '{above}' is a file, not a folder")
    inventory = inspect_site(out_r, keep)
    inventory.refuse_if_foreign(label, Path(content_dir) / "site.yaml")
    return out_r


# --- what an existing site holds --------------------------------------------------------------------------

@dataclass
class Inventory:
    """What an existing output folder holds, measured against the manifest of the build that wrote it."""

    exists: bool = False
    marker: bool = False
    legacy: bool = False  # a marker without a manifest (valuemap before the manifest): all of it is ours
    carried: list[str] = field(default_factory=list)  # top-level names moved into the new site
    unowned: list[str] = field(default_factory=list)  # files (and empty folders, "name/") valuemap did not write

    def refuse_if_foreign(self, label: str, site_yaml: Path | str = "site.yaml") -> None:
        if not self.unowned:
            return
        if not self.marker:
            raise OutputError(f"'{label}' is not empty and was not made by valuemap; it will not be replaced "
                              f"(remove it, or choose another --out)")
        shown = ", ".join(self.unowned[:SHOWN])
        more = f" and {len(self.unowned) - SHOWN} more" if len(self.unowned) > SHOWN else ""
        count = len(self.unowned)
        raise OutputError(
            f"'{label}' holds {count} {'file' if count == 1 else 'files'} that valuemap did not write: "
            f"{shown}{more}. Nothing was changed. To go on, delete {'it' if count == 1 else 'them'}, list "
            f"{'its' if count == 1 else 'their'} top-level name under keep: in {site_yaml} (kept names are "
            f"carried over into every new build), or choose another --out.")


def read_manifest(marker: Path) -> frozenset[str] | None:
    """The files listed in a marker; ``None`` for a marker written before manifests existed."""
    text = marker.read_text(encoding="utf-8", errors="surrogateescape")
    lines = text.splitlines()
    if not lines or lines[0] != MANIFEST_HEADER:
        return None
    return frozenset(line for line in lines[1:] if line and not line.startswith("#"))


def manifest_text(files: Iterable[str]) -> str:
    """The marker's content: a header, then every written file, sorted, one a line (deterministic)."""
    return "\n".join([MANIFEST_HEADER, *sorted(files)]) + "\n"


def inspect_site(out: Path, keep: Iterable[str] = DEFAULT_KEEP) -> Inventory:
    """Sort the entries of an existing output folder into valuemap's, carried over, and not valuemap's."""
    inv = Inventory()
    if not out.is_dir():
        return inv
    inv.exists = True
    keep = set(keep)
    marker = out / MARKER
    manifest: frozenset[str] = frozenset()
    if marker.is_file() and not marker.is_symlink():
        inv.marker = True
        listed = read_manifest(marker)
        if listed is None:
            inv.legacy = True
        else:
            manifest = listed
    # The manifest's paths are written normalised ("a/b/c"): split by string, not PurePosixPath (2,000 files,
    # twice per build).
    split = [f.split("/") for f in manifest if f]
    folders = {"/".join(parts[:i]) for parts in split for i in range(1, len(parts))}
    tops = {parts[0] for parts in split}
    with os.scandir(out) as it:
        entries = sorted(it, key=lambda e: e.name)
    for entry in entries:
        name = entry.name
        if name.startswith(OWN_PREFIX):
            continue  # the marker and stale temporary folders: valuemap's own, replaced or dropped
        if (name.startswith(".") or name in keep) and name not in tops:
            inv.carried.append(name)
            continue
        if inv.legacy:
            continue
        if not inv.marker:
            inv.unowned.append(name + ("/" if entry.is_dir(follow_symlinks=False) else ""))
            continue
        _unowned_below(entry, name, manifest, folders, inv.unowned)
    return inv


def _unowned_below(entry: os.DirEntry, rel: str, manifest: frozenset[str], folders: set[str],
                   found: list[str]) -> None:
    if not entry.is_dir(follow_symlinks=False):  # files, links, anything else: valuemap writes only files
        if not _listed(rel, manifest):
            found.append(rel)
        return
    with os.scandir(entry.path) as it:
        children = sorted(it, key=lambda e: e.name)
    if not children and rel not in folders:
        found.append(rel + "/")
    for child in children:
        _unowned_below(child, f"{rel}/{child.name}", manifest, folders, found)
