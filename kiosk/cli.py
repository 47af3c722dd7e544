"""The ``kiosk`` command: the practice booth (TUI) by default, plus headless subcommands.

Each subcommand lives in ``kiosk/commands/<name>.py`` and exposes ``register(subparsers)``,
which adds its parser and sets ``func`` to a callable taking the parsed arguments and
returning an exit code. Heavy imports (Textual, faster-whisper) happen inside those callables,
so ``kiosk --help`` is instant.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from kiosk import __version__
from kiosk.core.errors import KioskError

COMMANDS = ("model", "devices", "analyze", "doctor", "banks", "history", "export", "stats")


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


if __name__ == "__main__":
    sys.exit(main())
