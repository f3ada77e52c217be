"""One shape for every problem the pipeline finds, and the helpers that fill it in.

Stages never print and never raise for bad content: they append :class:`Diagnostic` records to a
:class:`Diagnostics` collector and carry on, so the author sees every problem at once. Only the CLI turns
the collection into output (see :mod:`generator.report`) and an exit code.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

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

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == WARNING]

    def has_errors(self) -> bool:
        return any(d.severity == ERROR for d in self.items)

    def sorted(self) -> list[Diagnostic]:
        # Deduplicate: the same problem found twice (e.g. by two passes) is shown once.
        seen: dict[tuple, Diagnostic] = {}
        for d in self.items:
            seen.setdefault((d.sort_key(), d.path, d.severity), d)
        return sorted(seen.values(), key=Diagnostic.sort_key)


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


def caret_excerpt(file: str | None, line: int | None, column: int | None, root: Path | None = None) -> str:
    """The offending source line with a caret under the column, as Zola prints TOML errors."""
    if not file or not line:
        return ""
    candidate = Path(file)
    if root is not None and not candidate.is_absolute():
        candidate = root / file
    try:
        with open(candidate, "rb") as fh:
            raw = fh.read(2_000_000)
        text = raw.decode("utf-8", errors="replace").lstrip("\ufeff")
    except OSError:
        return ""
    lines = text.splitlines()
    if line - 1 >= len(lines):
        return ""
    source = lines[line - 1].replace("\t", " ")
    if len(source) > 160:
        source = source[:157] + "..."
    col = max(1, min(column or 1, len(source) + 1))
    gutter = f"{line} | "
    return f"{gutter}{source}\n{' ' * (len(gutter) + col - 1)}^"
