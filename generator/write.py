"""Stage 6 — write: the whole site into a temporary folder beside the output, then swapped in at once.

A build that fails for any reason — bad content, a template error, an exception, Ctrl-C, SIGTERM — leaves the
previous site byte-identical; a build that succeeds leaves no file of the old site behind (removed companies
do not linger). On Linux the swap is one ``renameat2(RENAME_EXCHANGE)`` call; elsewhere two renames in a row.
A folder that does not look like a valuemap site is never replaced.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from pathlib import Path, PurePosixPath

MARKER = ".valuemap-site"
TMP_PREFIX = ".valuemap-tmp-"
OLD_PREFIX = ".valuemap-old-"


class OutputError(Exception):
    """The output folder cannot be used; the message says why."""


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE). False where unsupported."""
    if not hasattr(os, "uname") or os.uname().sysname != "Linux":
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    AT_FDCWD, RENAME_EXCHANGE = -100, 2
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return result == 0


def check_output(out: Path, content_dir: Path) -> None:
    """Refuse an output folder that would destroy something: the content, the project, a foreign folder."""
    out_r, content_r = out.resolve(), content_dir.resolve()
    if out_r == Path(out_r.anchor) or out_r == Path.home().resolve():
        raise OutputError(f"refusing to write the site to '{out}': choose a dedicated folder such as site/")
    if out_r == content_r or content_r.is_relative_to(out_r) or out_r.is_relative_to(content_r):
        raise OutputError(f"the output folder '{out}' overlaps the content folder '{content_dir}'")
    if out.is_symlink():
        raise OutputError(f"the output folder '{out}' is a symbolic link; give the real folder")
    if out.exists() and not out.is_dir():
        raise OutputError(f"'{out}' exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise OutputError(f"'{out}' is not empty and was not made by valuemap; it will not be replaced "
                          f"(remove it, or choose another --out)")


class SiteWriter:
    """Collects a site in a temporary folder; :meth:`commit` swaps it in, :meth:`abort` throws it away."""

    def __init__(self, out: Path):
        self.out = Path(out)
        self.out.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(self.out.parent)
        self.tmp = self.out.parent / f"{TMP_PREFIX}{self.out.name}-{os.getpid()}"
        if self.tmp.exists():
            shutil.rmtree(self.tmp)
        self.tmp.mkdir()
        self.files = 0
        self.bytes = 0

    def write(self, rel_path: str, data: bytes | str) -> None:
        target = self._inside(rel_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            data = data.encode("utf-8")
        with open(target, "xb") as fh:  # "x": two pages may never write the same file
            fh.write(data)
        self.files += 1
        self.bytes += len(data)

    def _inside(self, rel_path: str) -> Path:
        pure = PurePosixPath(rel_path)
        if pure.is_absolute() or ".." in pure.parts or not pure.parts or "\\" in rel_path:
            raise OutputError(f"refusing to write outside the site: '{rel_path}'")
        return self.tmp.joinpath(*pure.parts)

    def commit(self) -> None:
        (self.tmp / MARKER).write_text("This folder is written by valuemap; it is replaced on every build.\n")
        os.chmod(self.tmp, 0o755)
        if self.out.exists():
            if _exchange(self.tmp, self.out):
                shutil.rmtree(self.tmp, ignore_errors=True)
                return
            old = self.out.parent / f"{OLD_PREFIX}{self.out.name}-{os.getpid()}"
            os.rename(self.out, old)
            try:
                os.rename(self.tmp, self.out)
            except BaseException:
                os.rename(old, self.out)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(self.tmp, self.out)

    def abort(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


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
            if pid.isdigit() and not _pid_alive(int(pid)) and path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
