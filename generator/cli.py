"""Command line: ``valuemap build | check | serve | export | schema | docs | new``. Parsing here; each command a
function (the commands that write the author's files rather than a site are in :mod:`generator.file_commands`).

Exit codes: 0 success, 1 content errors (all reported at once), 2 usage errors, 3 internal error (a bug),
130 interrupted.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from . import __version__
from .audience import AUDIENCES, EXTERNAL
from .diagnostics import (EXIT_CONTENT, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, ContentError,
                          Diagnostics, UsageError)
from .file_commands import cmd_docs, cmd_export, cmd_new, cmd_schema
from .report import REPORTERS, TerminalReporter


def _version() -> str:
    return __version__


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="valuemap", description="Build a value-versus-price positioning site from YAML scorecards.",
        epilog="Exit codes: 0 ok, 1 content errors, 2 usage errors (or the machine's: a full disk), "
               "3 internal error (a bug), 130 interrupted.")
    parser.add_argument("--version", action="version", version=f"valuemap {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                       help="content folder (default: content/)")
        p.add_argument("--format", choices=sorted(REPORTERS), default="text",
                       help="how problems are reported: text (default), json, github (annotations)")

    p = commands.add_parser("build", help="validate the content and build the site")
    common(p)
    p.add_argument("--out", type=Path, default=None, metavar="DIR",
                   help="output folder (default: site/; site-internal/ with --audience internal)")
    p.add_argument("--templates", type=Path, default=None, metavar="DIR", help="templates folder")
    p.add_argument("--audience", choices=AUDIENCES, default=EXTERNAL,
                   help="external (default): safe for prospects; internal: adds talk tracks and notes")
    p.add_argument("--force", action="store_true",
                   help="let an internal build write into the external site's folder (site/, or a folder "
                        "holding an external build)")
    p.add_argument("--timings", action="store_true", help="print the time each phase took")
    p.add_argument("--strict", action="store_true", help="the publishing gate: every warning is an error, and so is every score or price an external page would show below verification.min_status")
    p.add_argument("--progress", action="store_true",
                   help=f"show pages rendering on stderr (default: only on a terminal, outside CI, for more "
                        f"than {PROGRESS_MIN_PAGES} pages)")
    p.set_defaults(func=cmd_build)

    p = commands.add_parser("check", help="validate, score and plan the site (as the default, external build "
                                          "would: its page count and notes) without writing anything")
    common(p)
    p.add_argument("--strict", action="store_true", help="the publishing gate: every warning is an error, and so is every score or price an external page would show below verification.min_status")
    p.set_defaults(func=cmd_check)

    p = commands.add_parser("export", help="print the computed model (scores, positions, prices) as JSON")
    p.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                   help="content folder (default: content/)")
    p.add_argument("--format", dest="export_format", choices=["json"], default="json", help="output format")
    p.add_argument("--output", "-o", type=Path, default=None, metavar="FILE", help="write to FILE instead of stdout")
    p.set_defaults(func=cmd_export, format="text")

    p = commands.add_parser("schema", help="write the site's JSON Schemas (editor autocomplete and checks) "
                            "into CONTENT/.schema/, where the content files' first lines point")
    p.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                   help="content folder whose site.yaml gives the ids (default: content/)")
    p.add_argument("--out", type=Path, default=None, metavar="DIR",
                   help="output folder (default: .schema/ inside the content folder)")
    p.set_defaults(func=cmd_schema)
    p = commands.add_parser("docs", help="regenerate the field reference in docs/content.md from the model")
    p.add_argument("--file", type=Path, default=Path("docs/content.md"), metavar="FILE", help="file to update")
    p.set_defaults(func=cmd_docs)
    p = commands.add_parser("new", help="start a project: write a small working content folder into DIR")
    p.add_argument("dir", type=Path, metavar="DIR", help="new or empty folder (gets DIR/content/)")
    p.set_defaults(func=cmd_new)
    p = commands.add_parser("serve", help="preview while you edit: build, serve, rebuild and reload on every save")
    p.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                   help="content folder (default: content/)")
    p.add_argument("--templates", type=Path, default=None, metavar="DIR", help="templates folder")
    p.add_argument("--audience", choices=AUDIENCES, default="internal",
                   help="internal (default: the team's preview, with talk tracks and notes) or external")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8000, metavar="N", help="port (default: 8000; 0 picks a free one)")
    p.set_defaults(func=cmd_serve)
    return parser


def _report_failure(reporter: TerminalReporter, diagnostics: Diagnostics) -> int:
    reporter.diagnostics(diagnostics.sorted())
    return EXIT_CONTENT


PROGRESS_MIN_PAGES = 200  # smaller builds finish before a bar would be worth drawing


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


class _PageProgress:
    """The build's progress callback: pages rendered, on stderr — a rich bar on a terminal, a count every
    10 % elsewhere (only with --progress). Shown with --progress, or on a terminal outside CI for a build of
    more than PROGRESS_MIN_PAGES pages; rich is imported only when a bar is drawn (start-up time)."""

    def __init__(self, forced: bool, stream=None):
        self.stream = stream or sys.stderr
        self.forced = forced
        self.shown: bool | None = None  # decided at the first call, when the number of pages is known
        self.bar = None
        self.task = None
        self.step = 1

    def __call__(self, done: int, total: int) -> None:
        if self.shown is None:
            tty = hasattr(self.stream, "isatty") and self.stream.isatty()
            self.shown = self.forced or (tty and not _in_ci() and total > PROGRESS_MIN_PAGES)
            if self.shown and tty:
                from rich.console import Console
                from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

                self.bar = Progress(TextColumn("rendering pages"), BarColumn(), MofNCompleteColumn(),
                                    TimeElapsedColumn(), console=Console(file=self.stream), transient=True)
                self.bar.start()
                self.task = self.bar.add_task("render", total=total)
            self.step = max(1, total // 10)
        if not self.shown:
            return
        if self.bar is not None:
            self.bar.update(self.task, completed=done)
        elif done == total or (done and done % self.step == 0):
            self.stream.write(f"rendered {done}/{total} pages\n")
            self.stream.flush()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


EXTERNAL_OUT, INTERNAL_OUT = Path("site"), Path("site-internal")  # the default output folders


def _build_out(args) -> Path:
    """The output folder: --out, else site/ (external) or site-internal/ (internal). An internal build refuses
    the external site's folder — site/, or any folder whose last build was external — unless --force: talk
    tracks and notes written there would be published with it."""
    from .moved import STATE_FILE, read_positions

    internal = args.audience != EXTERNAL
    out = args.out if args.out is not None else (INTERNAL_OUT if internal else EXTERNAL_OUT)
    if not internal or getattr(args, "force", False):
        return out
    why = None
    if os.path.realpath(out) == os.path.realpath(EXTERNAL_OUT):
        why = f"'{out}' is where the external build goes"
    else:
        state = read_positions(Path(out))  # listed in the folder's manifest; says which audience built it
        if state is not None and state.get("audience") == EXTERNAL:
            why = f"'{out}' holds an external build (its manifest lists {STATE_FILE}: audience external)"
    if why:
        raise UsageError(f"refusing to write the internal build into '{out}': {why}, and the internal site "
                         f"(talk tracks, notes, internal evidence) must never be published with it. Build it into "
                         f"{INTERNAL_OUT}/ (the default without --out) or another folder, or pass --force")
    return out


def cmd_build(args, reporter: TerminalReporter) -> int:
    from .build import build  # the pipeline is imported by the commands that run it, not at start-up

    try:
        args.out = _build_out(args)
    except UsageError as exc:
        reporter.problem(str(exc))
        return EXIT_USAGE
    diagnostics = Diagnostics()
    progress = _PageProgress(getattr(args, "progress", False))
    try:
        result = build(args.content, args.out, diagnostics, templates_dir=args.templates, audience=args.audience,
                       progress=progress, strict=args.strict)
    except ContentError:
        progress.close()
        return _report_failure(reporter, diagnostics)
    except UsageError as exc:
        progress.close()
        reporter.problem(str(exc))
        return EXIT_USAGE
    finally:
        progress.close()
    args.built = True  # swapped in: from here only the report can fail (see _main)
    notes = ["your current folder was the old site and has been replaced; run 'cd \"$PWD\"' (or cd .) to see "
             "the new files"] if result.replaced_cwd else []
    notes += result.notes
    reporter.attach("notes", notes)  # before the first report: JSON's one document holds them
    if result.moved is not None:
        reporter.attach("moved", result.moved.as_dict())
    if diagnostics.items:
        reporter.diagnostics(diagnostics.sorted())
    reporter.message(f"✓ built {result.pages} pages ({result.files} files, {result.bytes / 1e6:.1f} MB) "
                     f"in {result.timings.total:.2f} s → {args.out}/"
                     + (" [internal audience: do not share]" if args.audience != EXTERNAL else ""))
    for note in notes:
        reporter.message(f"  note: {note}")
    if args.timings:
        for name, seconds in result.timings.phases.items():
            reporter.message(f"  {name:<9} {seconds * 1000:8.1f} ms")
    if result.moved is not None:
        reporter.moved(result.moved)
    return EXIT_OK


def cmd_check(args, reporter: TerminalReporter) -> int:
    from .build import Timings, check

    diagnostics = Diagnostics()
    timings = Timings()
    try:
        checked = check(args.content, diagnostics, timings=timings, strict=args.strict)
    except ContentError:
        return _report_failure(reporter, diagnostics)
    notes = checked.plan.notes
    if not args.strict:  # what the publishing gate would refuse, counted (a new project's first CI run)
        from .gate import preview
        from .validate import today
        notes += preview(checked.content, today(), checked.scores)
    reporter.attach("notes", list(notes))
    reporter.diagnostics(diagnostics.sorted()) if diagnostics.items else None
    warnings = len(diagnostics.sorted())  # as listed (no error got here: every one is a warning)
    said = f", {warnings} warning{'s' * (warnings != 1)}" if warnings else ""
    reporter.message(f"✓ {len(checked.content.companies)} companies, {checked.plan.html_pages} pages: "
                     f"no errors{said} ({timings.total * 1000:.0f} ms)")
    for note in notes:  # what build would tell (no sitemap, no prospect pages: why), and the gate's count
        reporter.message(f"  note: {note}")
    return EXIT_OK


def cmd_serve(args, reporter: TerminalReporter) -> int:
    from .serve import ServeError, serve

    try:
        serve(args.content, templates=args.templates, audience=args.audience, host=args.host, port=args.port,
              reporter=reporter)
    except ContentError as exc:  # no content folder
        return _report_failure(reporter, exc.diagnostics)
    except ServeError as exc:
        reporter.problem(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        _say(reporter, "interrupted — stopped serving (the preview folder was removed; site/ was not touched)")
        return EXIT_INTERRUPTED
    return EXIT_OK


_STOPS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def _say(reporter: TerminalReporter, text: str) -> None:
    """A last word that may have nowhere to go (the terminal closed: SIGHUP; a full disk under the JSON
    report): said on the process's own stderr then, else nowhere — never a traceback for it."""
    try:
        reporter.problem(text)
        return
    except OSError:
        pass
    try:
        sys.__stderr__.write(f"valuemap: {text}\n")
        sys.__stderr__.flush()
    except (OSError, AttributeError, ValueError):
        pass


def _terminate(signum, frame):  # SIGTERM, SIGHUP behave like Ctrl-C: the build unwinds and the old site stays
    raise KeyboardInterrupt


def _interrupted(exc: BaseException) -> bool:
    """Whether ``exc`` was caused by Ctrl-C (or SIGTERM): Python 3.11 reports a KeyboardInterrupt raised while
    a class is created — pydantic builds model classes on first use — as a RuntimeError caused by it."""
    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, KeyboardInterrupt):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def _system_problem(exc: OSError) -> str:
    """An error of the system valuemap runs on, said as such: what failed and on which file."""
    from .render import MissingTemplates

    if isinstance(exc, MissingTemplates):  # says what to do itself (reinstall)
        return str(exc)
    what = exc.strerror or str(exc)
    where = f": {exc.filename}" if exc.filename else " (writing the output)" if exc.errno is not None else ""
    return f"cannot read or write a file{where}: {what}"


def _quiet_stdout() -> None:
    """Standard output that failed (a full disk, a closed pipe) is not flushed again at exit, which would
    print Python's "Exception ignored" with a traceback."""
    try:
        sys.stdout.flush()
    except OSError:
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:  # Ctrl-C while parsing arguments or setting up: nothing was written
        print("valuemap: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _main(argv: list[str] | None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    reporter = REPORTERS[getattr(args, "format", "text")].for_args(args)  # project root from --content
    # Only a build has a previous site to keep; the other commands write their files whole or not at all.
    kept = " — the previous site was left as it was" if args.func is cmd_build else ""
    # SIGTERM (a stop) and SIGHUP (the terminal closed, an SSH session lost) unwind like Ctrl-C: the old site
    # stays, serve's private preview folder is removed (it may hold internal pages), workers are stopped.
    # A SIGHUP someone chose to ignore (nohup valuemap serve &) stays ignored.
    previous = {sig: signal.signal(sig, _terminate) for sig in _STOPS if signal.getsignal(sig) is not signal.SIG_IGN}
    try:
        return args.func(args, reporter)
    except KeyboardInterrupt:
        _say(reporter, f"interrupted{kept}")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except UsageError as exc:  # what a command did not catch itself (an environment variable it cannot use)
        _say(reporter, f"{exc}{kept}")
        return EXIT_USAGE
    except OSError as exc:  # the machine, not valuemap: a full disk, a closed output, a broken install
        if _interrupted(exc):
            _say(reporter, f"interrupted{kept}")
            return EXIT_INTERRUPTED
        if os.environ.get("VALUEMAP_DEBUG"):
            raise
        _quiet_stdout()
        if getattr(args, "built", False):  # the new site is in place; only the report could not be written
            kept = " — the site was built, but its report could not be written"
        _say(reporter, f"{_system_problem(exc)}{kept}")
        return EXIT_USAGE
    except Exception as exc:  # a bug in valuemap, not in the content: say so, keep the site, no traceback
        if _interrupted(exc):  # Ctrl-C that Python wrapped on its way up (e.g. in a class's __set_name__)
            _say(reporter, f"interrupted{kept}")
            return EXIT_INTERRUPTED
        if os.environ.get("VALUEMAP_DEBUG"):
            raise
        _say(reporter, f"internal error: {type(exc).__name__}: {exc}{kept}. "
             "This is a bug in valuemap; run again with VALUEMAP_DEBUG=1 for the traceback.")
        return EXIT_INTERNAL
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


if __name__ == "__main__":
    sys.exit(main())
