"""Reporters: how diagnostics and build events reach a person (terminal) or a machine (JSON, GitHub).

The pipeline never prints; the CLI hands its results to one reporter. Tests read the diagnostics directly.

Everything a reporter prints that can come from content — messages, file names, field paths, hints, source
excerpts — goes through one filter per output: :func:`~generator.diagnostics.visible` for a terminal (control
and format characters spelled out), JSON escapes for :class:`JsonReporter`, the workflow-command escapes for
:class:`GithubReporter`.
"""
from __future__ import annotations

import json
import os
import sys
import unicodedata
from pathlib import Path
from typing import TextIO

from .diagnostics import ERROR, Diagnostic, caret_excerpt, visible

# Commands that write files: only their failure summary says that nothing was written.
WRITING_COMMANDS = frozenset({"build", "export"})


# --- what moved since the previous build (see generator.moved.compare_positions) ------------------------

def _change_text(change) -> str:
    if change.what == "placed":
        return f"new on the map at rank {change.after}"
    if change.what == "unplaced":
        return "left the map" + (f" (was rank {change.before})" if change.before is not None else "")
    return f"{change.what} {change.before} → {change.after}"


def moved_lines(moved) -> list[str]:
    """What moved, for a person: one line per company and map, grouped by map."""
    if moved.first_build:
        return ["what moved: first build here — positions saved; the next build says what moved"]
    if not moved.moves:
        return ["what moved: nothing moved since the previous build"]
    lines = ["what moved since the previous build:"]
    current = None
    for move in moved.moves:
        if move.map_id != current:
            current = move.map_id
            lines.append(f"  {move.map_label}:")
        lines.append(f"    {move.name}: " + "; ".join(_change_text(c) for c in move.changes))
    return lines


def _md(text: object) -> str:
    """A Markdown table cell: no line breaks, pipes and markup characters escaped."""
    text = visible(" ".join(str(text).split()))
    return "".join("\\" + ch if ch in "\\|*_`[]<>#~" else ch for ch in text)


def moved_markdown(moved) -> str:
    """What moved as Markdown, for a GitHub Actions job summary."""
    out = ["### valuemap: what moved", ""]
    if moved.first_build or not moved.moves:
        out.append(_md(moved_lines(moved)[0].removeprefix("what moved: ")))
        return "\n".join(out) + "\n\n"
    out += ["| Map | Company | Rank | Zone | Justified price |", "|---|---|---|---|---|"]
    for move in moved.moves:
        cells = {"rank": "", "zone": "", "justified": ""}
        for c in move.changes:
            if c.what in cells:
                cells[c.what] = f"{c.before} → {c.after}"
            else:
                cells["rank"] = _change_text(c)
        out.append(f"| {_md(move.map_label)} | {_md(move.name)} | {_md(cells['rank'])} | {_md(cells['zone'])} "
                   f"| {_md(cells['justified'])} |")
    return "\n".join(out) + "\n\n"


def _colour(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR") is not None:
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def project_root(content: Path | str | None) -> Path:
    """The project folder: the parent of the content folder (as given, not resolved), else the current one."""
    if content is None:
        return Path.cwd()
    return Path(os.path.abspath(content)).parent


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


class TerminalReporter:
    """Problems for a person, on stderr, with source excerpts and hints; messages on stdout.

    ``root`` is the project folder (the content folder's parent); diagnostics name files relative to the
    current folder, where valuemap was run (``cwd``). ``writes``: the command writes files, so a failure
    report ends with "nothing was written".
    """

    def __init__(self, stream: TextIO | None = None, out: TextIO | None = None, root: Path | None = None,
                 writes: bool = True, cwd: Path | None = None):
        self.stream = stream or sys.stderr
        self.out = out or sys.stdout
        self.colour = _colour(self.stream)
        self.cwd = Path(cwd) if cwd is not None else Path.cwd()
        self.root = Path(root) if root is not None else self.cwd
        self.writes = writes

    @classmethod
    def for_args(cls, args) -> "TerminalReporter":
        """The reporter for parsed command-line ``args`` (its project folder follows ``--content``)."""
        return cls(root=project_root(getattr(args, "content", None)),
                   writes=getattr(args, "command", None) in WRITING_COMMANDS)

    def _c(self, code: str, text: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.colour else text

    def diagnostics(self, items: list[Diagnostic]) -> None:
        for d in items:
            label = self._c("1;31", "error") if d.severity == ERROR else self._c("1;33", "warning")
            field = f" [{visible(d.path)}]" if d.path else ""
            self.stream.write(f"{self._c('1', visible(d.location))}: {label}: {visible(d.message)}{field} "
                              f"({visible(d.code)})\n")
            excerpt = caret_excerpt(d.file, d.line, d.column, self.cwd)  # already made visible
            if excerpt:
                self.stream.write("".join(f"    {line}\n" for line in excerpt.splitlines()))
            if d.hint:
                self.stream.write(f"    {self._c('36', 'hint')}: {visible(d.hint)}\n")
        errors = sum(1 for d in items if d.severity == ERROR)
        warnings = len(items) - errors
        if errors:
            files = len({d.file for d in items if d.severity == ERROR and d.file})
            where = f" in {_plural(files, 'file')}" if files else ""  # a missing folder is no file
            self.stream.write(self._c("1;31", f"\n✗ {_plural(errors, 'error')}{where}") +
                              (f", {_plural(warnings, 'warning')}" if warnings else "") +
                              (" — nothing was written.\n" if self.writes else ".\n"))

    def message(self, text: str) -> None:
        self.out.write(visible(text) + "\n")

    def problem(self, text: str, code: str | None = None) -> None:
        self.stream.write(self._c("1;31", "error") + f": {visible(text)}\n")

    def attach(self, key: str, value) -> None:
        """Data for a machine-readable document (JSON); a person's reporter has none. Call it before the
        first report so the document can hold it."""

    def moved(self, moved) -> None:
        """What moved on the maps since the previous build (after a successful build)."""
        for line in moved_lines(moved):
            self.message(line)


# --- JSON -----------------------------------------------------------------------------------------------

_JSON_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})


def _json_visible(document: str) -> str:
    """``json.dumps(..., ensure_ascii=False)`` escapes only U+0000–U+001F: escape the other controls too (DEL,
    C1 such as CSI U+009B), bidi and other format characters, separators and lone surrogates, as ``\\uXXXX``
    (surrogate pairs above U+FFFF). Outside strings a JSON document is ASCII, so only string text changes."""
    def one(ch: str) -> str:
        if unicodedata.category(ch) not in _JSON_INVISIBLE:
            return ch
        code = ord(ch)
        if code < 0x10000:
            return f"\\u{code:04x}"
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"

    # Line by line: the newlines between lines are the indentation's (a string's own are already \n).
    return "\n".join(line if line.isprintable() else "".join(one(ch) for ch in line)
                     for line in document.split("\n"))


def _problem_code(text: str) -> str:
    if text.startswith("internal error"):
        return "internal-error"
    if text.startswith("interrupted"):
        return "interrupted"
    return "usage-error"


class JsonReporter(TerminalReporter):
    """Exactly one JSON document on stdout, for editors and scripts — on success too::

        {"ok": bool, "summary": {"errors": n, "warnings": n, "files": n}, "diagnostics": [...],
         "notes": [...], "moved": {...}}

    ``notes`` (a build or a check that succeeded) and ``moved`` (a build) only where they apply (:meth:`attach`).

    ``files`` counts the files named by a diagnostic; ``file`` paths are relative to the project folder
    (the content folder's parent), with ``/``, wherever valuemap was run from (absolute when outside it).
    A usage or internal problem is a diagnostic without a file (code ``usage-error``, ``internal-error``,
    ``interrupted``). The document is written at the first report — the diagnostics, a problem, or the
    first progress message (a success) — and progress messages go to stderr.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.written = False
        self.extra: dict = {}  # further top-level members of the document ("notes", a build's "moved")

    def _file(self, file: str | None) -> str | None:
        if not file:
            return file
        absolute = os.path.normpath(os.path.join(self.cwd, file))
        rel = os.path.relpath(absolute, self.root)
        if rel == os.pardir or rel.startswith(os.pardir + os.sep):
            return absolute.replace(os.sep, "/")
        return rel.replace(os.sep, "/")

    def _emit(self, items: list[dict]) -> None:
        errors = sum(1 for d in items if d["severity"] == ERROR)
        document = {"ok": errors == 0,
                    "summary": {"errors": errors, "warnings": len(items) - errors,
                                "files": len({d["file"] for d in items if d["file"]})},
                    "diagnostics": items, **self.extra}
        self.out.write(_json_visible(json.dumps(document, ensure_ascii=False, indent=2)) + "\n")
        self.written = True

    def diagnostics(self, items: list[Diagnostic]) -> None:
        if self.written:  # a second batch cannot join the document: show it as text
            return super().diagnostics(items)
        self._emit([dict(d.as_dict(), file=self._file(d.file)) for d in items])

    def message(self, text: str) -> None:
        if not self.written:
            self._emit([])
        self.stream.write(visible(text) + "\n")

    def problem(self, text: str, code: str | None = None) -> None:
        if self.written:
            return super().problem(text)
        self._emit([Diagnostic(code or _problem_code(text), text).as_dict()])

    def attach(self, key: str, value) -> None:
        """``value`` (JSON-able) becomes the document's member ``key``: ``"notes"`` after a build or a check
        that succeeded is the list of what the text output prints as ``note:`` lines (not problems: why there
        is no sitemap, no prospect page); ``"moved"`` after a build is
        ``{"first_build": bool, "moves": [{"map", "map_label", "company", "name", "changes": {what: {"before",
        "after"}}}]}``, ``what`` one of rank, zone, justified, placed, unplaced."""
        if not self.written:
            self.extra[key] = value


# --- GitHub Actions -------------------------------------------------------------------------------------

def github_data(text: str) -> str:
    """A workflow command's message: ``%``, CR and LF escaped (so no text can start a command line of its
    own), then any other control or format character spelled out for the log."""
    return visible(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def github_property(text: str) -> str:
    """A workflow command's property value (file, line, col, title): the data escapes, plus ``:`` and ``,``
    which would end the value."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter(TerminalReporter):
    """GitHub Actions workflow commands: each problem becomes an annotation on the file and line."""

    def diagnostics(self, items: list[Diagnostic]) -> None:
        for d in items:
            kind = "error" if d.severity == ERROR else "warning"
            props = [("file", d.file), ("line", d.line), ("col", d.column), ("title", d.code)]
            where = ",".join(f"{key}={github_property(str(value))}" for key, value in props if value)
            text = d.message + (f" [{d.path}]" if d.path else "") + (f" — {d.hint}" if d.hint else "")
            self.out.write(f"::{kind} {where}::{github_data(text)}\n")

    def moved(self, moved) -> None:
        """Also appended to the job summary as a Markdown table when ``$GITHUB_STEP_SUMMARY`` names a file."""
        super().moved(moved)
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if not summary:
            return
        try:
            with open(summary, "a", encoding="utf-8") as fh:
                fh.write(moved_markdown(moved))
        except OSError as exc:
            self.out.write(f"::warning::{github_data(f'cannot write the job summary {summary}: {exc}')}\n")


REPORTERS = {"text": TerminalReporter, "json": JsonReporter, "github": GithubReporter}
