"""Stage 6 — write: the whole site into a temporary folder beside the output, then swapped in at once.

A build that fails for any reason — bad content, a template error, an exception, Ctrl-C, SIGTERM — leaves the
previous site byte-identical; a build that succeeds leaves no file of the old site behind (removed companies
do not linger). On Linux the swap is one ``renameat2(RENAME_EXCHANGE)`` call; elsewhere two renames in a row.

A build only replaces what valuemap wrote. The marker file ``.valuemap-site`` is a manifest of every file the
last build wrote; top-level dot-entries (``.git``, ``.well-known``, ``.nojekyll`` …) and the names listed in
``keep:`` in site.yaml are carried over into the new site (moved, never copied); any other file valuemap did not
write makes the build refuse to replace the folder. See docs/security.md, "Builds".

The manifest is published with the site (hosts such as GitHub Pages serve dot-files), so it must not name a
page that is reachable only by its secret address: files in a ``hidden`` folder (``prospects/``) are listed as
``<folder>/sha256-<hex digest of the path>`` — enough to recognise them as valuemap's, useless for finding them.

Every other command that writes a file (``export -o``, ``schema --out``, ``docs --file``) goes through
:func:`generator.write_file.check_file_output` and :func:`generator.write_file.write_file_atomic`.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import stat
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Iterable

from .diagnostics import UsageError  # noqa: F401 -- raised here, and imported from here by callers

MARKER = ".valuemap-site"
TMP_PREFIX = ".valuemap-tmp-"
OLD_PREFIX = ".valuemap-old-"
OWN_PREFIX = ".valuemap-"  # the marker, temporary and old folders: valuemap's own names, never carried over
MANIFEST_HEADER = "# valuemap site manifest v1: the files below were written by valuemap; do not edit."
DEFAULT_KEEP = ("CNAME",)
SHOWN = 10  # unowned files named in a refusal
HASHED = "sha256-"  # a manifest entry for a file at a secret address: its folder, then the digest of its path


def manifest_entry(rel: str, hidden: Iterable[str] = ()) -> str:
    """How the manifest lists ``rel``: as it is, or — inside a ``hidden`` folder — by the digest of its path."""
    folder, _, _ = rel.rpartition("/")
    if folder and any(rel.startswith(h.rstrip("/") + "/") for h in hidden):
        return f"{folder}/{HASHED}{hashlib.sha256(rel.encode('utf-8', 'surrogateescape')).hexdigest()}"
    return rel


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


# --- the atomic swap ------------------------------------------------------------------------------------

def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE). False where unsupported."""
    if not hasattr(os, "uname") or os.uname().sysname != "Linux":
        return False
    import ctypes  # here, not at import: every command imports this module (start-up time)
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    AT_FDCWD, RENAME_EXCHANGE = -100, 2
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return result == 0


@contextmanager
def _signals_deferred():
    """Hold SIGINT/SIGTERM back while files move between the old and the new site; they land afterwards."""
    sigs = {s for s in (getattr(signal, "SIGINT", None), getattr(signal, "SIGTERM", None)) if s is not None}
    if not hasattr(signal, "pthread_sigmask") or not sigs:
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, sigs)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class SiteWriter:
    """Collects a site in a temporary folder; :meth:`commit` swaps it in, :meth:`abort` throws it away.

    ``out`` should be resolved (:func:`check_output` returns it so); ``label`` is how messages name it.
    """

    def __init__(self, out: Path, *, keep: Iterable[str] = DEFAULT_KEEP, label: str | None = None,
                 site_yaml: str = "site.yaml", hidden: Iterable[str] = ()):
        self.out = Path(os.path.realpath(out))
        self.hidden = tuple(hidden)  # folders of secret addresses: hashed in the published manifest
        self.label = label or str(out)
        self.site_yaml = site_yaml
        self.keep = tuple(keep)
        self.written: list[str] = []
        self.sizes: dict[str, int] = {}  # what each written file weighs (serve's next build: generator/patch.py)
        self.files = 0
        self.bytes = 0
        self._made: set[Path] = set()  # folders made in tmp so far (see _folder)
        self.committed = False
        self.tmp_kept = False  # set if carried-over entries could not be moved back: never delete them
        self._created: list[Path] = []  # parent folders this build made; removed again if it fails
        self._trash: Path | None = None
        self.tmp = self.out.parent / f"{TMP_PREFIX}{self.out.name}-{os.getpid()}"
        try:
            missing = []
            parent = self.out.parent
            while not os.path.lexists(parent):
                missing.append(parent)
                parent = parent.parent
            for folder in reversed(missing):
                folder.mkdir()
                self._created.append(folder)
            remove_stale(self.out.parent)
            if self.tmp.exists():
                shutil.rmtree(self.tmp)
            self.tmp.mkdir()  # mode 0o777 & ~umask, like any new folder
        except OSError as exc:
            self._remove_created()
            raise OutputError(f"cannot create the output folder '{self.label}': "
                              f"{exc.strerror or exc} ({exc.filename or self.out.parent})") from None

    def write(self, rel_path: str, data: bytes | str) -> None:
        target, rel = self._inside(rel_path)
        self._folder(target.parent)
        if isinstance(data, str):
            data = data.encode("utf-8")
        with open(target, "xb") as fh:  # "x": two pages may never write the same file
            fh.write(data)
        self.written.append(rel)
        self.sizes[rel] = len(data)
        self.files += 1
        self.bytes += len(data)

    def record(self, rel_path: str, size: int) -> None:
        """A file a render worker wrote into :attr:`tmp` with its own (forked) copy of this writer's
        :meth:`write`: listed in the manifest and counted here, in the process that commits."""
        target, rel = self._inside(rel_path)
        if not target.is_file():
            raise OutputError(f"a render worker reported '{rel_path}' but did not write it")
        self.written.append(rel)
        self.sizes[rel] = size
        self.files += 1
        self.bytes += size

    def link(self, rel_path: str, source: Path) -> None:
        """Reuse a file of the previous site, unchanged (``serve``'s incremental builds): a hard link when the
        file system allows it, else a copy. Never modified in place afterwards: every write is a new file."""
        target, rel = self._inside(rel_path)
        self._folder(target.parent)
        try:
            os.link(source, target, follow_symlinks=False)
        except OSError:
            shutil.copyfile(source, target, follow_symlinks=False)
        self.written.append(rel)
        self.sizes[rel] = size = os.stat(target).st_size
        self.files += 1
        self.bytes += size

    def _folder(self, folder: Path) -> None:
        """``folder`` made (once per build: a site has a few folders and thousands of files)."""
        if folder not in self._made:
            folder.mkdir(parents=True, exist_ok=True)
            self._made.add(folder)

    def _inside(self, rel_path: str) -> tuple[Path, str]:
        parts = rel_path.split("/")
        if (all(p and p not in (".", "..") for p in parts) and "\\" not in rel_path
                and not any(ord(c) < 32 for c in rel_path)):  # the plan's own paths: already normal
            if rel_path == MARKER or parts[0].startswith(OWN_PREFIX):
                raise OutputError(f"refusing to write '{rel_path}': the name is valuemap's own")
            return Path(f"{self.tmp}/{rel_path}"), rel_path
        pure = PurePosixPath(rel_path)
        if (pure.is_absolute() or ".." in pure.parts or not pure.parts or "\\" in rel_path
                or any(ord(c) < 32 for c in rel_path)):
            raise OutputError(f"refusing to write outside the site: '{rel_path}'")
        rel = "/".join(pure.parts)
        if rel == MARKER or pure.parts[0].startswith(OWN_PREFIX):
            raise OutputError(f"refusing to write '{rel_path}': the name is valuemap's own")
        return self.tmp.joinpath(*pure.parts), rel

    def commit(self) -> None:
        """Swap the new site in. Carried-over entries of the old site are moved into it first (and back if the
        swap fails); the new folder gets the mode of the folder it replaces."""
        (self.tmp / MARKER).write_text(manifest_text(manifest_entry(f, self.hidden) for f in self.written),
                                      encoding="utf-8")
        with _signals_deferred():
            inventory = inspect_site(self.out, self.keep)
            inventory.refuse_if_foreign(self.label, self.site_yaml)
            written_tops = {PurePosixPath(f).parts[0] for f in self.written}
            clash = [name for name in inventory.carried if name in written_tops]
            if clash:
                raise OutputError(f"'{self.label}/{clash[0]}' was not written by valuemap and is carried over, "
                                  f"but this build writes '{clash[0]}' too: rename or remove one of them")
            if not inventory.exists:
                os.rename(self.tmp, self.out)
                self.committed = True
                return
            os.chmod(self.tmp, stat.S_IMODE(os.stat(self.out).st_mode))
            moved: list[str] = []
            try:
                for name in inventory.carried:
                    os.rename(self.out / name, self.tmp / name)
                    moved.append(name)
                self._swap()
            except BaseException:
                self._move_back(moved)
                raise
            self.committed = True
        self.cleanup()

    def _swap(self) -> None:
        if _exchange(self.tmp, self.out):
            self._trash = self.tmp  # the old site, now at the temporary name
            return
        old = self.out.parent / f"{OLD_PREFIX}{self.out.name}-{os.getpid()}"
        os.rename(self.out, old)
        try:
            os.rename(self.tmp, self.out)
        except BaseException:
            os.rename(old, self.out)
            raise
        self._trash = old

    def _move_back(self, moved: list[str]) -> None:
        failed = []
        for name in reversed(moved):
            try:
                os.rename(self.tmp / name, self.out / name)
            except OSError:
                failed.append(name)
        if failed:  # never delete what could not be moved back: keep the temporary folder and say where it is
            self.tmp_kept = True
            raise OutputError(f"the build could not be swapped in, and {', '.join(failed)} could not be moved back "
                              f"into '{self.label}'; they are in '{self.tmp}' — move them back by hand")

    def cleanup(self) -> None:
        """After a successful swap: remove the old site (its carried-over entries are in the new one)."""
        if self._trash is not None:
            shutil.rmtree(self._trash, ignore_errors=True)
            self._trash = None

    def abort(self) -> None:
        """Throw the unfinished site away, and any parent folder this build created."""
        if self.committed:
            self.cleanup()
            return
        if not self.tmp_kept:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self._remove_created()

    def _remove_created(self) -> None:
        for folder in reversed(self._created):
            try:
                folder.rmdir()
            except OSError:
                break
        self._created = []


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale(parent: Path) -> None:
    """Temporary folders left by builds that were killed (SIGKILL, power loss) are removed."""
    for prefix in (TMP_PREFIX, OLD_PREFIX):
        for path in parent.glob(prefix + "*"):
            pid = path.name.rsplit("-", 1)[-1]
            if pid.isdigit() and not _pid_alive(int(pid)) and path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
