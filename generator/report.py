"""Reporters: how diagnostics and build events reach a person (terminal) or a machine (JSON, GitHub).

The pipeline never prints; the CLI hands its results to one reporter. Tests read the diagnostics directly.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TextIO

from .diagnostics import ERROR, Diagnostic, caret_excerpt


def _colour(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR") is not None:
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


class TerminalReporter:
    def __init__(self, stream: TextIO | None = None, out: TextIO | None = None, root: Path | None = None):
        self.stream = stream or sys.stderr
        self.out = out or sys.stdout
        self.colour = _colour(self.stream)
        self.root = root

    def _c(self, code: str, text: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.colour else text

    def diagnostics(self, items: list[Diagnostic]) -> None:
        for d in items:
            label = self._c("1;31", "error") if d.severity == ERROR else self._c("1;33", "warning")
            field = f" [{d.path}]" if d.path else ""
            self.stream.write(f"{self._c('1', d.location)}: {label}: {d.message}{field} ({d.code})\n")
            excerpt = caret_excerpt(d.file, d.line, d.column, self.root)
            if excerpt:
                self.stream.write("".join(f"    {line}\n" for line in excerpt.splitlines()))
            if d.hint:
                self.stream.write(f"    {self._c('36', 'hint')}: {d.hint}\n")
        errors = sum(1 for d in items if d.severity == ERROR)
        warnings = len(items) - errors
        if errors:
            files = len({d.file for d in items if d.severity == ERROR})
            self.stream.write(self._c("1;31", f"\n✗ {errors} error{'s' * (errors != 1)} in "
                                              f"{files} file{'s' * (files != 1)}") +
                              (f", {warnings} warning{'s' * (warnings != 1)}" if warnings else "") +
                              " — nothing was written.\n")

    def message(self, text: str) -> None:
        self.out.write(text + "\n")

    def problem(self, text: str) -> None:
        self.stream.write(self._c("1;31", "error") + f": {text}\n")


class JsonReporter(TerminalReporter):
    """One JSON document on stdout: ``{"diagnostics": [...]}`` (for editors and scripts)."""

    def diagnostics(self, items: list[Diagnostic]) -> None:
        self.out.write(json.dumps({"diagnostics": [d.as_dict() for d in items]}, ensure_ascii=False, indent=2) + "\n")

    def message(self, text: str) -> None:
        self.stream.write(text + "\n")


class GithubReporter(TerminalReporter):
    """GitHub Actions workflow commands: each problem becomes an annotation on the file and line."""

    def diagnostics(self, items: list[Diagnostic]) -> None:
        for d in items:
            kind = "error" if d.severity == ERROR else "warning"
            where = ",".join(p for p in (f"file={d.file}" if d.file else "", f"line={d.line}" if d.line else "",
                                         f"col={d.column}" if d.column else "") if p)
            text = d.message + (f" [{d.path}]" if d.path else "") + (f" — {d.hint}" if d.hint else "")
            text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            self.out.write(f"::{kind} {where},title={d.code}::{text}\n")


REPORTERS = {"text": TerminalReporter, "json": JsonReporter, "github": GithubReporter}
