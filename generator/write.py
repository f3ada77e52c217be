"""Stage 6 — write: the whole site into a temporary folder beside the output, then swapped in at once.

A build that fails for any reason — bad content, a template error, an exception, Ctrl-C, SIGTERM — leaves the
previous site byte-identical; a build that succeeds leaves no file of the old site behind (removed companies
do not linger). On Linux the swap is one ``renameat2(RENAME_EXCHANGE)`` call; elsewhere two renames in a row.

A build only replaces what valuemap wrote. The marker file ``.valuemap-site`` is a manifest of every file the
last build wrote; top-level dot-entries (``.git``, ``.well-known``, ``.nojekyll`` …) and the names listed in
``keep:`` in site.yaml are carried over into the new site (moved, never copied); any other file valuemap did not
write makes the build refuse to replace the folder. See docs/security.md, "Builds".

What the folder may be and what it holds — the checks before a build and the manifest — are in
:mod:`generator.site_folder`.

Every other command that writes a file (``export -o``, ``schema --out``, ``docs --file``) goes through
:func:`generator.write_file.check_file_output` and :func:`generator.write_file.write_file_atomic`.
"""
from __future__ import annotations

import os
import shutil
import signal
import stat
import time
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Iterable

from .site_folder import DEFAULT_KEEP, MARKER, OWN_PREFIX, OutputError, inspect_site, manifest_entry, manifest_text

TMP_PREFIX = ".valuemap-tmp-"
OLD_PREFIX = ".valuemap-old-"


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

    ``out`` should be resolved (:func:`generator.site_folder.check_output` returns it so); ``label`` is how
    messages name it.
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
            # A name put under keep: after valuemap wrote it (its robots.txt, edited by hand, then kept): this
            # build leaves it to the author, so the file there now is carried over, not dropped with the old site.
            inventory.carried.extend(name for name in self.keep if name not in inventory.carried
                                     and name not in written_tops and os.path.lexists(self.out / name))
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
        """Throw the unfinished site away, and any parent folder this build created. Ctrl-C and SIGTERM are held
        back meanwhile: a second one (a user pressing twice) lands once the folder is gone, not halfway."""
        if self.committed:
            self.cleanup()
            return
        if not self.tmp_kept:
            with _signals_deferred():
                _remove_tree(self.tmp)
                self._remove_created()

    def _remove_created(self) -> None:
        for folder in reversed(self._created):
            try:
                folder.rmdir()
            except OSError:
                break
        self._created = []


def _remove_tree(path: Path, attempts: int = 40) -> None:
    """``shutil.rmtree`` that outlasts a straggler. A render worker killed while writing (Ctrl-C: the pool is
    stopped before the writer aborts) can, on a machine busy with disk I/O, complete its last write after
    the first pass listed the folder; the folder then stayed behind, non-empty (seen once in a test run beside
    a CI run). Up to ``attempts`` passes, 50 ms apart."""
    for attempt in range(attempts):
        shutil.rmtree(path, ignore_errors=True)
        if not os.path.lexists(path):
            return
        time.sleep(0.05)


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
