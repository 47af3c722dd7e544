"""The ``kiosk`` command: the practice booth (TUI) by default, plus headless subcommands.

Each subcommand lives in ``kiosk/commands/<name>.py`` and exposes ``register(subparsers)``,
which adds its parser and sets ``func`` to a callable taking the parsed arguments and
returning an exit code. Heavy imports (Textual, faster-whisper) happen inside those callables,
so ``kiosk --help`` is instant.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from kiosk import __version__
from kiosk.core.errors import KioskError

COMMANDS = ("model", "devices", "analyze", "doctor", "banks", "history", "export", "stats")

# Exit status when the reader of our output went away early (`kiosk … | head -1`, quitting
# `less`): 141 = 128 + SIGPIPE, what the shell reports for any program the closed pipe
# stopped. The output was cut short, so success (0) would be untrue; under `set -o pipefail`
# a script sees the same status as for `seq 1000000 | head -1`.
EXIT_BROKEN_PIPE = 141


def build_parser() -> argparse.ArgumentParser:
    from kiosk.commands.tui import add_tui_arguments

    parser = argparse.ArgumentParser(
        prog="kiosk",
        description=(
            "Interview Kiosk (面试语音陪练): practise spoken interview answers offline. "
            "Without a subcommand, opens the practice booth in the terminal."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    add_tui_arguments(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"kiosk.commands.{name}").register(sub)
    return parser


def _run_tui(args: argparse.Namespace) -> int:
    from kiosk.commands.tui import run

    return run(args)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``kiosk`` command line; the exit status is returned (or raised by argparse).

    A reader that closes the pipe early ends the command quietly, whichever subcommand was
    writing: as the Python docs advise for SIGPIPE, stdout is pointed at ``os.devnull`` so
    that neither this code nor the flush at interpreter exit writes to the closed pipe again
    (which would print a traceback or "Exception ignored …").
    """
    try:
        try:
            return _dispatch(argv)
        finally:
            # Anything still buffered (argparse's --help, a command's last lines) is written
            # here, where a closed pipe can be caught, rather than at interpreter exit.
            sys.stdout.flush()
    except BrokenPipeError:
        _discard_stdout()
        return EXIT_BROKEN_PIPE
    except SystemExit as exc:
        # rich's Console handles a closed pipe itself by raising SystemExit(1) while handling
        # the BrokenPipeError; report it like every other broken pipe.
        if isinstance(exc.__context__, BrokenPipeError):
            _discard_stdout()
            return EXIT_BROKEN_PIPE
        raise


def _dispatch(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    try:
        if func is None:
            return _run_tui(args)
        return int(func(args) or 0)
    except KioskError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("kiosk: interrupted", file=sys.stderr)
        return 130


def _discard_stdout() -> None:
    """Send whatever is still written to stdout to ``os.devnull`` instead of the closed pipe."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # replaced by an object without a descriptor
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


if __name__ == "__main__":
    sys.exit(main())
