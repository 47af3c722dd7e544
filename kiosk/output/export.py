"""Exports of the answer history: one answer or a whole mock round as Markdown or JSON, the
history as CSV, and the private files they are written to.

Shared by ``kiosk export``, ``kiosk history export``, ``kiosk analyze -o`` and the booth
(history, review and debrief screens), so every way out of the kiosk writes the same text.

Markdown is for reading and sharing with a coach: the report with fillers in bold, pauses
and the target's end marked in the transcript, verdicts in words. JSON is for tools: an
answer's export *is* its report (``Report.to_dict()``) with one extra ``attempt`` key
holding the history row, so ``Report.from_dict(json.load(f))`` reads it back; labels stay
labels there (``too_short``). CSV is for spreadsheets: one row per answer, the verdict in
words (``too short``). Files are written readable by the user only (0600): transcripts are
personal. They are written whole or not at all (a temporary file renamed into place), and
the destination can be checked before any work is done (:func:`check_output`).
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.core.errors import BadInput, printable, printable_json
from kiosk.store.summary import CONTENT_COLUMNS

if TYPE_CHECKING:
    from kiosk.core.debrief import Debrief
    from kiosk.core.report import Report
    from kiosk.store.database import Attempt, Store

FORMATS = ("md", "json")
EXPORTS = "exports"
"""The folder under the data directory the booth exports into."""

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
    *CONTENT_COLUMNS,
    "audio_path",
    "note",
)
"""The history row's summary fields: the CSV columns, ``kiosk history --json`` and the
``attempt`` key of a JSON export."""

FOLLOW_UP_MARK = "追问 follow-up"
SKIPPED_MARK = "Skipped"


# --- one answer ----------------------------------------------------------------------


def attempt_record(a: Attempt) -> dict[str, Any]:
    """The history row's summary fields (labels as stored: ``too_short``)."""
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


# --- a mock round --------------------------------------------------------------------


def _nested(text: str, mark: str = "") -> list[str]:
    """Markdown one heading level down (under the round), the first heading marked."""
    lines = text.split("\n")
    out = ["#" + line if line.startswith("#") else line for line in lines]
    if mark and out and out[0].startswith("## "):
        out[0] = f"## {mark}: {out[0][3:]}"
    return out


def is_follow_up(a: Attempt) -> bool:
    """An answer to a follow-up (追问) rather than to a question of the round."""
    return a.kind == "follow_up" or (a.question_id or "").endswith("-followup")


def session_markdown(store: Store, session_id: int) -> str:
    """A stored mock round: every question in the round's order with its answers, a
    skipped question marked as such, follow-ups marked under their question; answers the
    round's plan does not know (rounds kept before plans were) follow in the order given."""
    session = store.session(session_id)
    attempts = store.session_attempts(session_id)
    head = f"# Mock round: {session.title or session.id} — {session.created_at}"
    placed, parts = [], []
    skipped = 0
    for item in session.plan:
        mine = [a for a in attempts if _asked(a) == item.id]
        placed.extend(mine)
        if not mine:
            skipped += 1
            step = f"{item.step} · " if item.step else ""
            parts.extend([f"## {SKIPPED_MARK}: {step}{item.text}", "", "_Not answered._", ""])
            continue
        for a in mine:
            parts.extend(_nested(attempt_markdown(a), FOLLOW_UP_MARK if is_follow_up(a) else ""))
    for a in attempts:
        if a not in placed:
            parts.extend(_nested(attempt_markdown(a), FOLLOW_UP_MARK if is_follow_up(a) else ""))
    follow_ups = sum(1 for a in attempts if is_follow_up(a))
    counts = f"{len(attempts)} answer(s)"
    if follow_ups:
        counts += f", {follow_ups} of them to follow-ups"
    if session.plan:
        counts += f"; {skipped} of {len(session.plan)} question(s) skipped"
    return "\n".join([head, "", f"{counts}.", "", *parts])


def _asked(a: Attempt) -> str | None:
    """The round question an answer belongs to (a follow-up's is its question's)."""
    qid = a.question_id or ""
    return qid.removesuffix("-followup") if is_follow_up(a) else a.question_id


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
    """A stored mock round: its questions (``skipped`` when none of its answers is
    there) and every answer, each marked ``follow_up`` or not."""
    session = store.session(session_id)
    attempts = store.session_attempts(session_id)
    asked = {_asked(a) for a in attempts}
    return {
        "session": {"id": session.id, "created_at": session.created_at, "title": session.title},
        "questions": [{**item.as_dict(), "skipped": item.id not in asked} for item in session.plan],
        "attempts": [_marked(a) for a in attempts],
    }


def _marked(a: Attempt) -> dict[str, Any]:
    data = attempt_json(a)
    data["attempt"]["follow_up"] = is_follow_up(a)
    return data


# --- the history ---------------------------------------------------------------------


def csv_record(a: Attempt) -> dict[str, Any]:
    """The summary fields as a spreadsheet shows them: the verdict in words (``too
    short``, ``in range``) and a follow-up's kind as ``follow-up``."""
    from kiosk.core.figures import verdict_text

    record = attempt_record(a)
    if a.length_verdict:
        record["length_verdict"] = verdict_text(a.length_verdict)
    if a.kind:
        record["kind"] = a.kind.replace("_", "-")
    return record


def history_csv(attempts: Iterable[Attempt]) -> str:
    """Summary columns of ``attempts``, one row each, with a header."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS, lineterminator="\n")
    writer.writeheader()
    for a in attempts:
        writer.writerow(csv_record(a))
    return out.getvalue()


def history_json(attempts: Iterable[Attempt]) -> str:
    """Every answer's summary fields and full report, as a JSON list."""
    return _dumps([{**attempt_record(a), "report": a.report_dict} for a in attempts])


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


# --- into the exports folder (the booth) -----------------------------------------------


def exports_dir(store: Store) -> Path:
    """``<data dir>/exports`` beside the history, created private (0700)."""
    folder = store.root / EXPORTS
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    folder.chmod(0o700)
    return folder


def export_attempt_files(store: Store, attempt_id: int) -> list[Path]:
    """Write one answer as Markdown and JSON into the exports folder — and its whole mock
    round too when it was part of one (``round-<id>.*``); the files written, in order.

    Raises :class:`~kiosk.core.errors.KioskError` or :class:`OSError` when one cannot be
    written (those before it are kept).
    """
    folder = exports_dir(store)
    session = store.get(attempt_id).session_id
    jobs = [(f"answer-{attempt_id}", False)]
    if session is not None:
        jobs.append((f"round-{session}", True))
    written = []
    for name, whole_round in jobs:
        for fmt in FORMATS:
            path = folder / f"{name}.{fmt}"
            write_private(path, export_text(store, attempt_id, fmt, session=whole_round))
            written.append(path)
    return written


def exported_text(written: list[Path]) -> str:
    """What the booth says after :func:`export_attempt_files`."""
    also = " (and its mock round)" if len(written) > 2 else ""
    return f"Exported to {written[0]} and .json{also}"


# --- writing files -------------------------------------------------------------------


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
