"""``kiosk export``: one answer, or a whole mock round, as Markdown or JSON.

Markdown is for reading and sharing with a coach: the report with fillers in bold, pauses
and the target's end marked in the transcript. JSON is for tools: an attempt's export *is*
its report (``Report.to_dict()``) with one extra ``attempt`` key holding the history row,
so ``Report.from_dict(json.load(f))`` reads it back. Files are written readable by the
user only (0600): transcripts are personal. The booth's history screen uses the same
functions.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.core.errors import BadInput

if TYPE_CHECKING:
    from kiosk.store import Attempt, Store

    SubParsers = argparse._SubParsersAction[argparse.ArgumentParser]

FORMATS = ("md", "json")


def register(sub: SubParsers) -> None:
    p = sub.add_parser("export", help="one answer or a whole mock round as Markdown or JSON")
    p.add_argument("id", type=int, help="answer number, as in kiosk history")
    p.add_argument("--format", choices=FORMATS, default="md", help="md (default) or json")
    p.add_argument(
        "--session", action="store_true", help="export the whole mock round this answer was in"
    )
    p.add_argument("--output", "-o", type=Path, default=None, help="file (default: stdout)")
    p.set_defaults(func=_run)


# --- building the text ---------------------------------------------------------------


def attempt_record(a: Attempt) -> dict[str, Any]:
    """The history row's summary fields (the CSV columns)."""
    from kiosk.commands.history import EXPORT_FIELDS

    return {name: getattr(a, name) for name in EXPORT_FIELDS}


def attempt_json(a: Attempt) -> dict[str, Any]:
    """The stored report with the history row under ``attempt`` (no report: the row only)."""
    report = a.report_dict or {}
    return {**report, "attempt": attempt_record(a)}


def attempt_markdown(a: Attempt) -> str:
    """The report as Markdown with where it came from; a note when it was not analysed."""
    from kiosk.core.drills import split_at_target
    from kiosk.core.report import Report

    origin = [f"- Answer #{a.id} · {a.status}"]
    where = " · ".join(x for x in (a.bank_id, a.category, a.question_id) if x)
    if where:
        origin.append(f"- From: {where}")
    if a.audio_path:
        origin.append(f"- Recording: {a.audio_path}")
    data = a.report_dict
    if data is None:
        title = a.question_text or "(free answer)"
        note = f" — {a.note}" if a.note else ""
        return "\n".join(
            [f"# Answer #{a.id}: {title}", "", *origin, "", f"_Not analysed{note}._", ""]
        )
    report = Report.from_dict(data)
    lines = report.to_markdown().rstrip("\n").split("\n")
    split = split_at_target(report)
    if split.overrun:
        origin.append(
            f"- Ran over the target by {split.over_by_s:.1f} s; ⏰ marks where time ran out. "
            f"Said after it: {split.overrun}"
        )
    return "\n".join([lines[0], "", *origin, *lines[1:]]) + "\n"


def session_markdown(store: Store, session_id: int) -> str:
    session = store.session(session_id)
    attempts = store.session_attempts(session_id)
    head = f"# Mock round: {session.title or session.id} — {session.created_at}"
    parts = [head, "", f"{len(attempts)} answer(s).", ""]
    for a in attempts:
        lines = attempt_markdown(a).split("\n")  # headings one level down, under the round
        parts.extend("#" + line if line.startswith("#") else line for line in lines)
    return "\n".join(parts)


def session_json(store: Store, session_id: int) -> dict[str, Any]:
    session = store.session(session_id)
    return {
        "session": {"id": session.id, "created_at": session.created_at, "title": session.title},
        "attempts": [attempt_json(a) for a in store.session_attempts(session_id)],
    }


def history_csv(attempts: Iterable[Attempt]) -> str:
    """Summary columns of ``attempts``, one row each, with a header."""
    from kiosk.commands.history import EXPORT_FIELDS

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS, lineterminator="\n")
    writer.writeheader()
    for a in attempts:
        writer.writerow(attempt_record(a))
    return out.getvalue()


def export_text(store: Store, attempt_id: int, fmt: str, session: bool = False) -> str:
    """The export of one answer (or of its mock round with ``session``)."""
    attempt = store.get(attempt_id)
    if session:
        if attempt.session_id is None:
            raise BadInput(
                f"answer {attempt_id} was not part of a mock round; export it without --session"
            )
        if fmt == "json":
            return _dumps(session_json(store, attempt.session_id))
        return session_markdown(store, attempt.session_id)
    if fmt == "json":
        return _dumps(attempt_json(attempt))
    return attempt_markdown(attempt)


def _dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable by the user only; BadInput if it cannot be."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.chmod(path, 0o600)
    except OSError as exc:
        raise BadInput(f"cannot write {path}: {exc.strerror or exc}") from None


# --- the command ---------------------------------------------------------------------


def _run(args: argparse.Namespace) -> int:
    from kiosk.commands.history import _opened

    with _opened() as store:
        text = export_text(store, args.id, args.format, session=args.session)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    write_private(args.output, text)
    what = "mock round" if args.session else "answer"
    print(f"{what} written to {args.output}", file=sys.stderr)
    return 0
