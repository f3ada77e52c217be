"""The console script and ``python -m generator``: Ctrl-C is a clean exit 130 even while modules import.

Kept tiny on purpose: importing the CLI takes a moment, and a KeyboardInterrupt raised during that import
would otherwise end in a Python traceback. ``valuemap --version`` is answered here, before the CLI is
imported (start-up target ≤ 100 ms, measured by ``python bench/run.py --startup``). What each command imports
is kept to what it runs: the commands import the pipeline (:mod:`generator.build`) when they run, and ``check``
never imports Jinja2, the views, the Markdown engine, Babel, plotly or rich
(``tests/unit/test_startup_imports.py``).
"""
import _thread
import os
import signal
import sys

EXIT_INTERRUPTED = 130
MESSAGE = "valuemap: interrupted\n"


def _interrupted(signum=None, frame=None):
    sys.stderr.write(MESSAGE)
    raise SystemExit(EXIT_INTERRUPTED)


def _set_sigint(handler):
    try:
        return signal.signal(signal.SIGINT, handler)
    except (ValueError, OSError, AttributeError):  # not the main thread, or no SIGINT: leave it alone
        return None


def _unraisable(args) -> None:
    """Ctrl-C that lands inside a callback Python runs for itself — a module lock's weakref callback while
    modules import, a finaliser — cannot propagate from there: Python would print "Exception ignored in …"
    with a traceback and carry on as if no key had been pressed. Deliver it again to the main thread, where it
    ends the run like any other Ctrl-C (exit 130, "interrupted"); anything else goes to Python's own hook.
    Delivered from another thread a moment later: raised at once, here, it would be ignored again."""
    if args.exc_type is not None and issubclass(args.exc_type, KeyboardInterrupt):
        import threading

        threading.Timer(0.005, _thread.interrupt_main).start()
        return
    sys.__unraisablehook__(args)


sys.unraisablehook = _unraisable

# The console-script wrapper still runs a line or two (a regular expression on argv[0]) after importing this
# module and before calling main(): a Ctrl-C there exits cleanly as well.
if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
    _set_sigint(_interrupted)


def main() -> int:
    if sys.argv[1:] == ["--version"]:  # what argparse's version action prints, without importing the CLI
        from . import __version__

        sys.stdout.write(f"valuemap {__version__}\n")
        return 0
    previous = None
    try:
        # From here Ctrl-C is a KeyboardInterrupt again, which the CLI turns into "interrupted" and exit 130.
        previous = _set_sigint(signal.default_int_handler)
        try:
            from .cli import main as cli_main
        except KeyboardInterrupt:
            sys.stderr.write(MESSAGE)
            return EXIT_INTERRUPTED
        return cli_main()
    except KeyboardInterrupt:  # a last resort: cli.main handles Ctrl-C itself
        sys.stderr.write(MESSAGE)
        return EXIT_INTERRUPTED
    finally:
        if previous is not None:
            _set_sigint(previous)


def run() -> None:
    """The console script and ``python -m generator``: :func:`main`, then leave at once.

    By the time a command returns, everything it writes is written and closed (the site swapped in, files
    replaced whole) and every worker joined. What is left is tearing down the interpreter's objects, and a
    validated market is hundreds of thousands of them: ~20 ms of ``valuemap check`` on the sample (a tenth of
    its start-up target), seconds after a 5,000-company build. So the streams are flushed and the process
    ends with ``os._exit``. An exception that escapes :func:`main` (a bug) still unwinds as usual, traceback
    included."""
    # Pydantic loads every installed package that registers a "pydantic" plugin the first time a model is
    # built (an observability SDK such as logfire: 100 ms and hundreds of modules, to observe nothing of ours)
    # and scans every installed package's entry points to find them. valuemap's start-up must not depend on
    # what else is installed beside it: plugins are off unless the variable is set
    # (tests/unit/test_startup_imports.py). Set here, in the process that is valuemap and ends below, not in
    # main(): a program that calls main() keeps its own environment.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        code = main()
    except KeyboardInterrupt:
        code = EXIT_INTERRUPTED
    except SystemExit as exc:  # argparse: --help, usage errors
        code = exc.code
    if code is not None and not isinstance(code, int):  # sys.exit("message"): printed, exit 1
        sys.stderr.write(f"{code}\n")
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (valuemap check | head): nothing more to say
            pass
    os._exit(code or 0)
