"""One shape for every problem the pipeline finds, and the helpers that fill it in.

Stages never print and never raise for bad content: they append :class:`Diagnostic` records to a
:class:`Diagnostics` collector and carry on, so the author sees every problem at once. Only the CLI turns
the collection into output (see :mod:`generator.report`) and an exit code.
"""
from __future__ import annotations

import difflib
import os
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Sequence

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    """A problem with a stable ``code`` (tests assert on it), a place and a human message."""

    code: str
    message: str
    file: str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    path: str | None = None  # field path, e.g. ``scores.usability.setup-time``
    hint: str | None = None
    severity: str = ERROR

    @property
    def location(self) -> str:
        if not self.file:
            return "<valuemap>"
        if self.line is None:
            return self.file
        return f"{self.file}:{self.line}:{self.column or 1}"

    def sort_key(self) -> tuple:
        return (self.file or "", self.line or 0, self.column or 0, self.code, self.message)

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass
class Diagnostics:
    """An append-only collection of diagnostics, shared along one pipeline run."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, diagnostic: Diagnostic) -> None:
        self.items.append(diagnostic)

    def error(self, code: str, message: str, **where) -> None:
        self.items.append(Diagnostic(code, message, severity=ERROR, **where))

    def warning(self, code: str, message: str, **where) -> None:
        self.items.append(Diagnostic(code, message, severity=WARNING, **where))

    def extend(self, items: Iterable[Diagnostic]) -> None:
        self.items.extend(items)

    def discard(self, replaced: Callable[[Diagnostic], bool]) -> None:
        """Drop the diagnostics one better placed has replaced (said once where the mistake is)."""
        self.items[:] = [d for d in self.items if not replaced(d)]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == WARNING]

    def promote_warnings(self) -> None:
        """``--strict``: every warning becomes an error (same code, file and line)."""
        self.items = [replace(d, severity=ERROR, hint=((d.hint + " ") if d.hint else "") + "(an error under --strict)")
                      if d.severity == WARNING else d for d in self.items]

    def has_errors(self) -> bool:
        return any(d.severity == ERROR for d in self.items)

    def sorted(self) -> list[Diagnostic]:
        # Deduplicate: the same problem found twice (e.g. by two passes) is shown once.
        seen: dict[tuple, Diagnostic] = {}
        for d in self.items:
            seen.setdefault((d.sort_key(), d.path, d.severity), d)
        return sorted(seen.values(), key=Diagnostic.sort_key)


EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
"""The command line's exit codes: success, content errors (all reported at once), usage errors (a
:class:`UsageError`), internal error (a bug), interrupted."""


class ContentError(Exception):
    """Raised by a stage that cannot go on; carries the diagnostics collected so far."""

    def __init__(self, diagnostics: Diagnostics):
        super().__init__(f"{len(diagnostics.errors)} content error(s)")
        self.diagnostics = diagnostics


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """The closest of ``choices`` to ``word``, or None: ``usabilty`` → ``usability``."""
    options = sorted({str(c) for c in choices})
    matches = difflib.get_close_matches(str(word), options, n=1, cutoff=0.6)
    if not matches:
        lowered = {o.lower(): o for o in options}
        if str(word).lower() in lowered:
            return lowered[str(word).lower()]
        return None
    return matches[0]


def suggestion(word: str, choices: Iterable[str]) -> str | None:
    """A hint sentence for an unknown name: the did-you-mean if one is close, else the valid names."""
    choices = sorted({str(c) for c in choices})
    close = did_you_mean(word, choices)
    if close:
        return f"did you mean '{close}'?"
    if not choices:
        return None
    shown = ", ".join(f"'{c}'" for c in choices[:12])
    more = f" (and {len(choices) - 12} more)" if len(choices) > 12 else ""
    return f"expected one of {shown}{more}"


def format_path(parts: Sequence) -> str:
    """``('scores', 'usability', 0)`` → ``scores.usability[0]``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


# Characters a terminal acts on or that change how text around them reads: C0/C1 controls (ESC starts colour,
# cursor and title sequences; BEL, CSI U+009B...), format characters (bidi overrides U+202A–U+202E and
# isolates U+2066–U+2069, zero-width characters, the BOM), line/paragraph separators, lone surrogates.
_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escaped(ch: str) -> str:
    code = ord(ch)
    if ch in _SHORT:
        return _SHORT[ch]
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def visible(text: object) -> str:
    """``text`` safe to print on a terminal: every control and format character spelled out (``\\x1b``,
    ``\\u202e``, ``\\n``), everything else as it is. The one filter for content on the way to a terminal."""
    text = str(text)
    if text.isprintable():  # the common case, at C speed (isprintable is False for every escaped category)
        return text
    return "".join(_escaped(ch) if unicodedata.category(ch) in _INVISIBLE else ch for ch in text)


@lru_cache(maxsize=16)
def _source_lines(path: str, mtime_ns: int, size: int) -> list[str]:
    """A file's lines, read once for all its diagnostics (thousands in one file read it once, not each time);
    keyed by modification time and size, so an edited file is read again (serve)."""
    with open(path, "rb") as fh:
        raw = fh.read(2_000_000)
    return raw.decode("utf-8", errors="replace").lstrip("\ufeff").splitlines()


EXCERPT_WIDTH = 160  # characters of a long source line shown in an excerpt


def caret_excerpt(file: str | None, line: int | None, column: int | None, root: Path | None = None) -> str:
    """The offending source line with a caret under the column, as Zola prints TOML errors.

    A relative ``file`` is found under ``root`` (the folder the paths were made relative to). The line is
    shown through :func:`visible`, and the caret stays under the character it points at.
    """
    if not file or not line:
        return ""
    candidate = Path(file)
    if root is not None and not candidate.is_absolute():
        candidate = root / file
    try:
        stat = os.stat(candidate)
        lines = _source_lines(str(candidate), stat.st_mtime_ns, stat.st_size)
    except OSError:
        return ""
    if line - 1 >= len(lines):
        return ""
    source = lines[line - 1].replace("\t", " ")
    col = max(1, min(column or 1, len(source) + 1))
    if len(source) > EXCERPT_WIDTH:  # a window of the line around the column, the caret still under it
        start = 0 if col <= EXCERPT_WIDTH - 40 else min(col - 1 - EXCERPT_WIDTH // 2, len(source) - EXCERPT_WIDTH + 3)
        head = "..." if start > 0 else ""
        room = EXCERPT_WIDTH - len(head)
        tail = "..." if start + room < len(source) else ""
        source, col = head + source[start:start + room - len(tail)] + tail, col - start + len(head)
    gutter = f"{line} | "
    return f"{gutter}{visible(source)}\n{' ' * (len(gutter) + len(visible(source[:col - 1])))}^"


class UsageError(Exception):
    """A command-line value cannot be used (exit 2); the message says why. (Here, not in generator/write.py:
    the CLI catches it on every path, and ``check`` never needs the writer's imports: start-up time.)"""
