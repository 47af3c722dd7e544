"""``kiosk history``: look back at practised answers, export them, delete them, recover them.

Everything reads the same SQLite history the practice booth writes (:mod:`kiosk.store`), so
an answer recorded in the TUI can be reviewed, exported to a spreadsheet or deleted from a
plain shell. Nothing here talks to the network. Output for scripts (``--json``, CSV) goes to
stdout untouched; notices go to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.core.errors import BadInput

if TYPE_CHECKING:
    from kiosk.store import Attempt, Store

    SubParsers = argparse._SubParsersAction[argparse.ArgumentParser]

EXPORT_FIELDS = (
    "id",
    "created_at",
    "status",
    "question_id",
    "question_text",
    "bank_id",
    "category",
    "kind",
    "language",
    "target_low",
    "target_high",
    "duration_s",
    "answer_s",
    "pace",
    "pace_value",
    "pace_unit",
    "fillers_total",
    "fillers_per_min",
    "pauses_count",
    "longest_pause_s",
    "length_verdict",
    "audio_path",
    "note",
)


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


@contextmanager
def _opened(write: bool = False) -> Iterator[Store]:
    """The history, with its notices on stderr. Without ``write`` (listing, showing,
    exporting, stats) a history the user made read-only is opened read-only."""
    from kiosk.store import Store

    store = Store.open(need_write=write)
    for notice in store.notices:
        print(f"kiosk: {notice.message}", file=sys.stderr)
    try:
        yield store
    finally:
        store.close()


# --- list ------------------------------------------------------------------------------


def _when(iso: str) -> str:
    moment = datetime.fromisoformat(iso).astimezone()
    same_year = moment.year == datetime.now().astimezone().year
    return moment.strftime("%m-%d %H:%M" if same_year else "%Y-%m-%d")


def _duration(seconds: float | None) -> str:
    from kiosk.core.figures import clock_text

    return clock_text(seconds)


_OTHER_COLUMNS_WIDTH = 76
"""Cells taken by every column but the question, with padding (ids up to 9999)."""


def _length(a: Attempt) -> str:
    """The answer's length as its report shows it (the recording's when not analysed)."""
    return _duration(a.answer_s)


def _pace(a: Attempt) -> str:
    """The headline pace (first to last word), written as in every report."""
    from kiosk.core.figures import pace_text

    return pace_text(a.pace, a.pace_unit)


def _fillers(a: Attempt) -> str:
    if a.fillers_total is None:
        return "—"
    return f"{a.fillers_total} ({a.fillers_per_min or 0:.1f}/m)"


def _summary(a: Attempt) -> dict[str, Any]:
    return {name: getattr(a, name) for name in EXPORT_FIELDS}


def _list(args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit < 1:
        raise BadInput(f"bad --limit {args.limit}: give a number of answers, 1 or more")
    with _opened() as store:
        attempts = store.list(limit=args.limit, question_id=args.question, language=args.lang)
    if args.json:
        print(json.dumps([_summary(a) for a in attempts], ensure_ascii=False, indent=2))
        return 0
    if not attempts:
        print(
            "No answers in the history yet."
            if not args.question and not args.lang
            else "No answers match."
        )
        return 0
    from rich import box
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    for name in ("#", "when", "question", "lang", "len", "pace", "fillers", "verdict"):
        # One line per answer: the question is cut to fit, the numbers never are.
        if name == "question":
            room = max(10, console.width - _OTHER_COLUMNS_WIDTH)
            table.add_column(name, max_width=room, no_wrap=True, overflow="ellipsis")
        else:
            table.add_column(name, no_wrap=True)
    for a in attempts:
        question = a.question_text or a.question_id or "(free answer)"
        verdict = a.length_verdict or (a.status if a.status != "analysed" else "—")
        table.add_row(
            str(a.id),
            _when(a.created_at),
            question,
            a.language or "—",
            _length(a),
            _pace(a),
            _fillers(a),
            verdict.replace("_", " "),
        )
    console.print(table)
    return 0


# --- show ------------------------------------------------------------------------------


def _show(args: argparse.Namespace) -> int:
    with _opened() as store:
        attempt = store.get(args.id)
        audio = store.audio_file(attempt)
        if args.json:
            record = {**_summary(attempt), "report": attempt.report_dict}
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
        print(f"answer {attempt.id}: {attempt.question_text or '(free answer)'}")
        print(f"status: {attempt.status}" + (f" — {attempt.note}" if attempt.note else ""))
        print(f"recording: {audio} ({_duration(attempt.duration_s)})")
        if attempt.status in ("recorded", "recovered"):
            print("not analysed yet: run  kiosk history recover --analyse")
        return 0
    if args.markdown:
        sys.stdout.write(report.to_markdown())
        return 0
    from rich.console import Console

    from kiosk.render import render_report

    Console().print(render_report(report))
    return 0


# --- export / delete -------------------------------------------------------------------


def _export_text(store: Store, fmt: str) -> str:
    attempts = store.list(limit=None)[::-1]  # oldest first, as a log reads
    if fmt == "json":
        rows = [{**_summary(a), "report": a.report_dict} for a in attempts]
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    from kiosk.commands.export import history_csv

    return history_csv(attempts)


def _export(args: argparse.Namespace) -> int:
    with _opened() as store:
        text = _export_text(store, args.format)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    from kiosk.commands.export import write_private

    write_private(args.output, text)  # transcripts are personal: readable by the user only
    print(f"history written to {args.output}", file=sys.stderr)
    return 0


def _delete(args: argparse.Namespace) -> int:
    with _opened(write=True) as store:
        store.delete(args.id)
    print(f"deleted answer {args.id} and its recording")
    return 0


# --- recover ---------------------------------------------------------------------------


def _recover(args: argparse.Namespace) -> int:
    from kiosk.recovery import pending_analysis, recover

    with _opened(write=True) as store:
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
    from kiosk.recovery import analyse_attempt

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
    from models.registry import resolve_model
    from models.whisper import load_transcriber

    settings = load_settings({"model_dir": model_dir})
    info = resolve_model(settings.model_dir, cache_dir())
    return load_transcriber(info.path), info.name
