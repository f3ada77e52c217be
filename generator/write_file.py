"""Single files: what ``export -o``, ``schema --out`` and ``docs --file`` write goes through
:func:`check_file_output` (the one guard: never a folder, never inside the content or templates folders or
valuemap's own templates, a missing folder only when asked) and :func:`write_file_atomic` (whole or not at
all: a temporary file beside the target, then ``os.replace``; devices such as ``/dev/stdout`` written in
place). The site itself is written by :mod:`generator.write`.
"""
from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from .site_folder import OutputError, nearest_existing


def _special(path: Path) -> bool:
    """A device, FIFO or socket (``-o /dev/stdout``): written in place, it cannot be replaced."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or stat.S_ISBLK(mode)


def check_file_output(target: Path, *, content_dir: Path | None = None, templates_dir: Path | None = None,
                      create_folders: bool = False, option: str = "the output file") -> Path:
    """The one guard for every command that writes a file: return the path to write, or raise OutputError.

    Refused: a folder, a path below a file, a missing folder (unless ``create_folders``), and anything inside
    the content folder, the templates folder (``templates_dir``, else ``templates/`` beside the content) or
    valuemap's bundled templates. A link to a file is followed: the file it points to is replaced.
    """
    target = Path(target)
    label = str(target)
    if target.is_dir():
        raise OutputError(f"{option} '{label}' is a folder; give a file name, e.g. '{target / 'out.json'}'")
    if _special(target):
        return target
    real = Path(os.path.realpath(target))
    if real.is_dir():
        raise OutputError(f"{option} '{label}' leads to a folder; give a file name")
    protected: list[tuple[str, Path]] = []
    if content_dir is not None:
        content_r = Path(os.path.realpath(content_dir))
        protected.append(("the content folder", content_r))
        protected.append(("the templates folder", content_r.parent / "templates"))
    if templates_dir is not None:
        protected.append(("the templates folder", Path(os.path.realpath(templates_dir))))
    package = Path(__file__).parent
    for bundled in (package / "templates", package.parent / "templates"):  # a wheel's; a checkout's
        protected.append(("valuemap's templates", Path(os.path.realpath(bundled))))
    for what, folder in protected:
        if real == folder or real.is_relative_to(folder):
            raise OutputError(f"refusing to write {option} '{label}' inside {what} '{folder}'")
    above = nearest_existing(real.parent)
    if not above.is_dir():
        raise OutputError(f"cannot write {option} '{label}': '{above}' is a file, not a folder")
    if above != real.parent and not create_folders:
        raise OutputError(f"cannot write {option} '{label}': the folder '{target.parent}' does not exist")
    return real


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_file_atomic(path: Path, data: bytes | str) -> None:
    """Write ``path`` whole or not at all: a temporary file in the same folder, then ``os.replace``.

    A file that is replaced keeps its mode; a new file gets the umask default (0o666 & ~umask).
    Devices and FIFOs (``/dev/stdout``) are written in place.
    """
    path = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    if _special(path):
        with open(path, "wb") as fh:
            fh.write(data)
        return
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".valuemap-tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fchmod(fh.fileno(), mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
