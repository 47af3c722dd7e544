"""``kiosk history``: look back at practised answers, export them, delete them, recover them.

Everything reads the same SQLite history the practice booth writes (:mod:`kiosk.store.database`), so
an answer recorded in the TUI can be reviewed, exported to a spreadsheet or deleted from a
plain shell. Nothing here talks to the network. Output for scripts (``--json``, CSV) goes to
stdout untouched; notices go to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.commands.common import opened_history
from kiosk.core.errors import BadInput
from kiosk.output.export import attempt_record
from kiosk.output.listing import WIDE

if TYPE_CHECKING:
    from rich.table import Table

    from kiosk.store.database import Attempt, Store

    SubParsers = argparse._SubParsersAction[argparse.ArgumentParser]


def _list_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--limit", type=int, default=20, help="show at most N answers (default 20)")
    p.add_argument("--question", default=None, metavar="ID", help="only answers to question ID")
    p.add_argument("--lang", default=None, help="only answers in this language (zh, en)")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(func=_list)


def register(sub: SubParsers) -> None:
    p = sub.add_parser("history", help="review, export, delete or recover practised answers")
    _list_options(p)
    actions = p.add_subparsers(dest="history_action", metavar="ACTION")
    _list_options(actions.add_parser("list", help="the latest answers, newest first (default)"))

    show = actions.add_parser("show", help="one answer's full report")
    show.add_argument("id", type=int, help="answer number, as in kiosk history list")
    fmt = show.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print the stored record as JSON")
    fmt.add_argument("--markdown", action="store_true", help="print the report as Markdown")
    show.set_defaults(func=_show)

    export = actions.add_parser("export", help="all answers as CSV or JSON")
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    export.add_argument("--output", type=Path, default=None, help="file to write (default: stdout)")
    export.set_defaults(func=_export)

    delete = actions.add_parser("delete", help="forget one answer and delete its recording")
    delete.add_argument("id", type=int)
    delete.set_defaults(func=_delete)

    recover = actions.add_parser("recover", help="repair answers cut off by a crash")
    recover.add_argument(
        "--analyse", action="store_true", help="also transcribe and report recovered answers"
    )
    recover.add_argument("--model", type=Path, default=None, help="CTranslate2 Whisper folder")
    recover.set_defaults(func=_recover)


# --- list ------------------------------------------------------------------------------


def _list(args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit < 1:
        raise BadInput(f"bad --limit {args.limit}: give a number of answers, 1 or more")
    with opened_history() as store:
        attempts = store.list(limit=args.limit, question_id=args.question, language=args.lang)
    if args.json:
        print(json.dumps([attempt_record(a) for a in attempts], ensure_ascii=False, indent=2))
        return 0
    if not attempts:
        print(
            "No answers in the history yet."
            if not args.question and not args.lang
            else "No answers match."
        )
        return 0
    from rich.console import Console

    console = Console()
    if console.is_terminal:
        console.print(history_table(attempts, console.width))
    else:  # piped or redirected: every question whole, one line per answer
        Console(width=PIPED_WIDTH).print(history_table(attempts, None))
    return 0


PIPED_WIDTH = 10_000
"""Cells a listing may take when it goes to a pipe or a file (nobody reads it wrapped)."""
QUESTION_MIN = 12
"""Cells the question keeps at least in a terminal; it wraps below the row's figures (at 80
columns the figures of a row take up to 66 cells: answer numbers of five digits, a
``too short`` verdict, ``10/12`` key points)."""


def history_table(attempts: Sequence[Attempt], width: int | None) -> Table:
    """The listing as a table: ``width`` cells wide (a terminal), where the figures keep
    their room and the question wraps in what is left; ``None``: as wide as it needs."""
    from rich import box
    from rich.table import Table

    from kiosk.output.listing import columns, header, row

    wide = width is None or width >= WIDE
    names = columns(width if width is not None else WIDE)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True)
    for name in names:
        if name == "question":
            table.add_column(name, min_width=QUESTION_MIN, overflow="fold")
        else:
            table.add_column(header(name, width or WIDE), no_wrap=True)
    for a in attempts:
        table.add_row(*row(a, wide=wide).values(names))
    return table


# --- show ------------------------------------------------------------------------------


def _show(args: argparse.Namespace) -> int:
    with opened_history() as store:
        attempt = store.get(args.id)
        audio = store.audio_file(attempt)
        if args.json:
            record = {**attempt_record(attempt), "report": attempt.report_dict}
            print(json.dumps(record, ensure_ascii=False, indent=2))
            return 0
        try:
            report = store.report(args.id)
        except BadInput as exc:
            raise BadInput(
                f"answer {args.id}: stored report cannot be read ({exc}); "
                f"see it raw with  kiosk history show {args.id} --json"
            ) from None
    if report is None:
        from kiosk.core.figures import clock_text

        print(f"answer {attempt.id}: {attempt.question_text or '(free answer)'}")
        print(f"status: {attempt.status}" + (f" — {attempt.note}" if attempt.note else ""))
        print(f"recording: {audio} ({clock_text(attempt.duration_s)})")
        if attempt.status in ("recorded", "recovered"):
            print("not analysed yet: run  kiosk history recover --analyse")
        return 0
    if args.markdown:
        sys.stdout.write(report.to_markdown())
        return 0
    from rich.console import Console

    from kiosk.output.render import render_report

    Console().print(render_report(report))
    return 0


# --- export / delete -------------------------------------------------------------------


def _export(args: argparse.Namespace) -> int:
    from kiosk.output.export import history_csv, history_json, write_private

    with opened_history() as store:
        attempts = store.list(limit=None)[::-1]  # oldest first, as a log reads
    text = history_json(attempts) if args.format == "json" else history_csv(attempts)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    write_private(args.output, text)  # transcripts are personal: readable by the user only
    print(f"history written to {args.output}", file=sys.stderr)
    return 0


def _delete(args: argparse.Namespace) -> int:
    with opened_history(write=True) as store:
        store.delete(args.id)
    print(f"deleted answer {args.id} and its recording")
    return 0


# --- recover ---------------------------------------------------------------------------


def _recover(args: argparse.Namespace) -> int:
    from kiosk.pipeline.recovery import pending_analysis, recover

    with opened_history(write=True) as store:
        summary = recover(store)
        waiting = len(pending_analysis(store)) if args.analyse else 0
        if summary.message:
            print(summary.message)
        elif waiting:  # answers recovered earlier, analysed now: not "nothing"
            print(f"{waiting} recovered answer{'s' if waiting != 1 else ''} to analyse.")
        else:
            print("Nothing to recover.")
        for attempt_id, reason in summary.failed:
            print(f"  answer {attempt_id}: {reason}")
        for line in summary.skipped:
            print(f"  {line}")
        if summary.busy:
            ids = ", ".join(str(i) for i in summary.busy)
            print(f"  being recorded by another kiosk right now: {ids}")
        if not args.analyse:
            return 0
        return _analyse_recovered(store, args.model)


def _analyse_recovered(store: Store, model_dir: Path | None) -> int:
    from kiosk.core.errors import KioskError
    from kiosk.pipeline.recovery import analyse_attempt

    pending = store.list(limit=None, status="recovered")
    if not pending:
        print("No recovered answers waiting for analysis.")
        return 0
    transcriber, model_name = _load_transcriber(model_dir)
    failures = 0
    for attempt in reversed(pending):
        try:
            report = analyse_attempt(store, attempt.id, transcriber, model=model_name)
        except KioskError as exc:
            failures += 1  # left as "recovered" so it can be tried again
            print(f"  answer {attempt.id}: {exc}")
            continue
        from kiosk.core.report import figures

        shown = figures(report.metrics)
        print(
            f"  answer {attempt.id}: analysed — {shown['length']}, {shown['pace']}, "
            f"fillers {shown['fillers']}; see  kiosk history show {attempt.id}"
        )
    return 1 if failures else 0


def _load_transcriber(model_dir: Path | None) -> tuple[Any, str]:
    from kiosk.config import cache_dir, load_settings
    from kiosk.speech.registry import resolve_model
    from kiosk.speech.whisper import load_transcriber

    settings = load_settings({"model_dir": model_dir})
    info = resolve_model(settings.model_dir, cache_dir())
    return load_transcriber(info.path), info.name
