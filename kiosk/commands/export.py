"""``kiosk export``: one answer, or a whole mock round, as Markdown or JSON.

Markdown is for reading and sharing with a coach: the report with fillers in bold, pauses
and the target's end marked in the transcript. JSON is for tools: an attempt's export *is*
its report (``Report.to_dict()``) with one extra ``attempt`` key holding the history row,
so ``Report.from_dict(json.load(f))`` reads it back. Files are written readable by the
user only (0600): transcripts are personal. They are written whole or not at all (a
temporary file renamed into place), and the destination is checked before any work is
done. The booth's history screen and ``kiosk analyze -o`` use the same functions.
"""

from __future__ import annotations

import argparse
import csv
import errno
import io
import json
import os
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.core.errors import BadInput, printable, printable_json

if TYPE_CHECKING:
    from kiosk.core.debrief import Debrief
    from kiosk.core.report import Report
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


FOLLOW_UP_MARK = "追问 follow-up"
SKIPPED_MARK = "Skipped"


def _nested(text: str, mark: str = "") -> list[str]:
    """Markdown one heading level down (under the round), the first heading marked."""
    lines = text.split("\n")
    out = ["#" + line if line.startswith("#") else line for line in lines]
    if mark and out and out[0].startswith("## "):
        out[0] = f"## {mark}: {out[0][3:]}"
    return out


def session_markdown(store: Store, session_id: int) -> str:
    session = store.session(session_id)
    attempts = store.session_attempts(session_id)
    head = f"# Mock round: {session.title or session.id} — {session.created_at}"
    parts = [head, "", f"{len(attempts)} answer(s).", ""]
    for a in attempts:
        follow = a.kind == "follow_up" or (a.question_id or "").endswith("-followup")
        parts.extend(_nested(attempt_markdown(a), FOLLOW_UP_MARK if follow else ""))
    return "\n".join(parts)


def round_markdown(debrief: Debrief, answers: Iterable[tuple[Any, Report]]) -> str:
    """A round as the booth's debrief exports it: the debrief, then every question in
    order with its report; follow-ups and skipped questions are marked in the headings."""
    reports = {(a.text, a.follow_up_of is not None): r for a, r in answers}
    parts = [debrief.to_markdown()]
    for line in debrief.lines:
        report = reports.get((line.question, line.follow_up))
        if report is None:
            parts.extend([f"## {SKIPPED_MARK}: {line.question}", "", "_Not answered._", ""])
            continue
        mark = FOLLOW_UP_MARK if line.follow_up else ""
        parts.extend(_nested(report.to_markdown().rstrip("\n") + "\n", mark))
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


def check_output(path: Path) -> Path:
    """The file an export to ``path`` will replace (a symlink is followed), checked now.

    :class:`BadInput` when it cannot be written — its folder is missing or read-only, or it
    is a directory or a device — so a command fails at once rather than after its work.
    """
    shown = printable(str(path))
    target = Path(os.path.realpath(path))
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise BadInput(f"cannot write {shown}: {exc.strerror or exc}") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise BadInput(f"cannot write {shown}: it is a directory; give a file name")
    if mode is not None and not stat.S_ISREG(mode):
        raise BadInput(
            f"cannot write {shown}: not a regular file; give a file name "
            "(without -o the text goes to standard output)"
        )
    folder = target.parent
    if not folder.is_dir():
        raise BadInput(
            f"cannot write {shown}: the folder {printable(str(folder))} does not exist; "
            "create it or choose another"
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise BadInput(
            f"cannot write {shown}: the folder {printable(str(folder))} is not writable; "
            "choose another"
        )
    return target


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path``, readable by the user only (0600), whole or not at all.

    The text goes to a temporary file beside ``path`` that replaces it once written and
    synced, so a full disk or a crash leaves the previous file (or none), never a truncated
    one. :class:`BadInput` names the file and the reason when it cannot be written.
    """
    target = check_output(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise BadInput(f"cannot write {printable(str(path))}: {_reason(exc)}") from None
    try:
        with open(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise BadInput(f"cannot write {printable(str(path))}: {_reason(exc)}") from None
        raise


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full; free some space and try again"
    return exc.strerror or type(exc).__name__


def show_text(text: str, fmt: str) -> str:
    """``text`` safe to print on a terminal: control and bidi characters escaped."""
    return printable_json(text) if fmt == "json" else printable(text, lines=True)


# --- the command ---------------------------------------------------------------------


def _run(args: argparse.Namespace) -> int:
    from kiosk.commands.history import _opened

    if args.output is not None:
        check_output(args.output)
    with _opened() as store:
        text = export_text(store, args.id, args.format, session=args.session)
    if args.output is None:
        sys.stdout.write(show_text(text, args.format))
        return 0
    write_private(args.output, text)
    what = "mock round" if args.session else "answer"
    print(f"{what} written to {args.output}", file=sys.stderr)
    return 0
