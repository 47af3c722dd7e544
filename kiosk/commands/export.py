"""``kiosk export``: one answer, or a whole mock round, as Markdown or JSON.

The text and the private files are :mod:`kiosk.output.export`'s, shared with the booth's
history, review and debrief screens and with ``kiosk analyze -o``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.output.export import FORMATS, check_output, export_text, show_text, write_private

if TYPE_CHECKING:
    SubParsers = argparse._SubParsersAction[argparse.ArgumentParser]


def register(sub: SubParsers) -> None:
    p = sub.add_parser("export", help="one answer or a whole mock round as Markdown or JSON")
    p.add_argument("id", type=int, help="answer number, as in kiosk history")
    p.add_argument("--format", choices=FORMATS, default="md", help="md (default) or json")
    p.add_argument(
        "--session", action="store_true", help="export the whole mock round this answer was in"
    )
    p.add_argument("--output", "-o", type=Path, default=None, help="file (default: stdout)")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from kiosk.commands.common import opened_history

    if args.output is not None:
        check_output(args.output)
    with opened_history() as store:
        text = export_text(store, args.id, args.format, session=args.session)
    if args.output is None:
        sys.stdout.write(show_text(text, args.format))
        return 0
    write_private(args.output, text)
    what = "mock round" if args.session else "answer"
    print(f"{what} written to {args.output}", file=sys.stderr)
    return 0
