"""The console script and ``python -m generator``: Ctrl-C is a clean exit 130 even while modules import.

Kept tiny on purpose: importing the CLI (pydantic, Jinja2, plotly …) takes a noticeable moment, and a
KeyboardInterrupt raised during that import would otherwise end in a Python traceback.
"""
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


# The console-script wrapper still runs a line or two (a regular expression on argv[0]) after importing this
# module and before calling main(): a Ctrl-C there exits cleanly as well.
if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
    _set_sigint(_interrupted)


def main() -> int:
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
    """``python -m generator``."""
    try:
        code = main()
    except KeyboardInterrupt:
        code = EXIT_INTERRUPTED
    sys.exit(code)
