"""The history of practised answers: one SQLite file plus the recordings beside it.

Why SQLite: one file, transactions that survive a crash or power cut (WAL), and indexed
queries for the progress charts without loading every report. Why the row is written
*before* recording starts: if the kiosk dies mid-answer, the row (status ``recording``,
with the recording process's id) tells the next start which WAV to repair
(:mod:`kiosk.pipeline.recovery`), so nothing the user said is lost.

The module is split in four: this one (attempts, sessions, queries), ``store_records``
(the values handed out and the query filter), ``store_schema`` (opening, moving aside,
migrations) and ``store_summary`` (the report numbers copied into columns).

The full report is kept as JSON text (``Report.to_dict()``); a few numbers are copied into
plain columns so "my pace over the last 30 days" is one indexed query.

A database we cannot read (corrupt, or written by a newer kiosk) is never overwritten: it is
moved aside with its ``-wal``/``-shm`` files and a fresh one is started; the UI shows the
:class:`StoreNotice` saying where the old file went.
"""

from __future__ import annotations

import builtins
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kiosk.config import data_dir, private_data_dir, private_dir
from kiosk.core.errors import BadInput
from kiosk.core.report import Report
from kiosk.store.records import (
    ATTEMPT_COLUMNS,
    PROGRESS_COLUMNS,
    STATUSES,
    Attempt,
    AttemptFilter,
    Facets,
    Planned,
    ProgressPoint,
    QuestionLike,
    Session,
    Status,
)
from kiosk.store.schema import (
    BUSY_TIMEOUT_S,
    MIGRATIONS,
    SCHEMA_VERSION,
    SIDE_FILES,
    StoreError,
    StoreNotice,
    _connect_checked,
    _migrate,
    connect_read_only,
    create_private,
    private_file,
    read_only_message,
    read_only_part,
)
from kiosk.store.summary import SUMMARY_COLUMNS, summary_of

__all__ = [
    "BUSY_TIMEOUT_S",
    "DB_NAME",
    "MIGRATIONS",
    "RECORDINGS",
    "SCHEMA_VERSION",
    "STATUSES",
    "Attempt",
    "AttemptFilter",
    "AttemptNotFound",
    "Facets",
    "Planned",
    "ProgressPoint",
    "QuestionLike",
    "Session",
    "Status",
    "Store",
    "StoreError",
    "StoreNotice",
    "process_alive",
    "process_token",
    "summary_of",
]

DB_NAME = "history.sqlite3"
RECORDINGS = "recordings"


class AttemptNotFound(BadInput):
    """No attempt with that id."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def process_token(pid: int | None = None) -> str | None:
    """When process ``pid`` started (Linux clock ticks since boot), to tell a reused pid apart."""
    try:
        stat = Path(f"/proc/{pid or os.getpid()}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


def process_alive(pid: int | None, token: str | None) -> bool:
    """Is the process that wrote a row still running (same pid *and* same start time)?"""
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return True  # no /proc: trust the signal probe
    if stat[0] in ("Z", "X"):
        return False
    return token is None or stat[19] == token


def _reason(exc: BaseException) -> str:
    text = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return f"{text}; check the folder's permissions and free space"


def _file_time(path: Path) -> datetime:
    """When a file was last written: the best guess of when an orphan answer was given."""
    return datetime.fromtimestamp(Path(path).stat().st_mtime, UTC)


def _private_db_files(path: Path) -> None:
    for suffix in ("", *SIDE_FILES):
        private_file(Path(f"{path}{suffix}"))


class Store:
    """The attempt history. Safe to share between threads (one connection behind a lock)."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        notices: tuple[StoreNotice, ...] = (),
        clock: Callable[[], datetime] = _utc_now,
        read_only: str | None = None,
    ) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        self.path = path
        self.root = path.parent
        self.notices = notices
        self._clock = clock
        self.read_only = read_only
        """Why nothing can be written (a file the user made read-only), or None."""

    # --- opening ---------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path | None = None,
        clock: Callable[[], datetime] = _utc_now,
        *,
        need_write: bool = True,
    ) -> Store:
        """Open (creating or migrating) the history; unreadable files are moved aside.

        The database and its ``-wal``/``-shm`` are user-only (0600) in a 0700 folder. A
        file or folder the user made read-only is never made writable: with
        ``need_write=False`` (looking, exporting) the history is opened read-only with a
        notice; otherwise :class:`StoreError` names the file and says what to do."""
        path = Path(path) if path else data_dir() / DB_NAME
        try:
            part = read_only_part(path)
        except OSError as exc:
            raise StoreError(f"{path}: cannot open the history: {_reason(exc)}") from None
        if part is not None:
            message = read_only_message(part, path)
            if need_write:
                raise StoreError(message)
            conn, shown = connect_read_only(path)
            return cls(conn, path, (shown,), clock, read_only=message)
        try:
            private_data_dir(path.parent)
            _private_db_files(path)  # a history from an older kiosk may be 0644
            create_private(path)
            conn, notice = _connect_checked(path, clock())
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"{path}: cannot open the history: {_reason(exc)}") from None
        try:
            _migrate(conn)
        except (OSError, sqlite3.Error) as exc:
            conn.close()
            raise StoreError(f"{path}: cannot update the history: {_reason(exc)}") from None
        _private_db_files(path)  # the -wal/-shm SQLite just made
        return cls(conn, path, (notice,) if notice else (), clock)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _tx(self, write: bool = True) -> Iterator[sqlite3.Connection]:
        """One transaction (taking the write lock up front when writing), under the lock."""
        if write and self.read_only is not None:
            raise StoreError(self.read_only)
        with self._lock:
            try:
                if write:
                    self._conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self._conn
                except BaseException:
                    if write:
                        self._conn.execute("ROLLBACK")
                    raise
                if write:
                    self._conn.execute("COMMIT")
            except sqlite3.Error as exc:
                raise StoreError(f"{self.path}: {exc}") from None

    # --- recordings on disk ----------------------------------------------------------

    def recordings_dir(self) -> Path:
        """Where recordings live: private to the user (0700)."""
        return private_dir(self.root / RECORDINGS)

    def new_recording_path(self, question_id: str | None) -> Path:
        """A fresh, empty, user-only (0600) WAV path for the next answer."""
        stamp = self._clock().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in (question_id or "free"))
        folder = self.recordings_dir()
        for n in range(1000):
            path = folder / f"{stamp}-{safe[:60]}{f'-{n}' if n else ''}.wav"
            try:
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            except FileExistsError:
                continue
            path.chmod(0o600)
            return path
        raise StoreError(f"{folder}: cannot pick a new recording name")

    def audio_file(self, attempt: Attempt) -> Path | None:
        return None if attempt.audio_path is None else self.root / attempt.audio_path

    def _relative(self, audio: Path) -> str:
        audio = Path(audio)
        try:
            return str(audio.resolve().relative_to(self.root.resolve()))
        except ValueError:
            return str(audio.resolve())

    # --- writing ---------------------------------------------------------------------

    def begin_attempt(
        self,
        question: QuestionLike | None,
        audio_path: Path,
        language: str | None = None,
        session_id: int | None = None,
        status: Status = "recording",
        note: str | None = None,
    ) -> int:
        """Record that an answer is about to be recorded into ``audio_path``; returns its id."""
        target = question.target if question else None
        row = {
            "created_at": _iso(self._clock()),
            "status": status,
            "question_id": question.id if question else None,
            "question_text": question.text if question else None,
            "bank_id": question.bank_id if question else None,
            "category": question.category if question else None,
            "kind": str(question.kind) if question else None,
            "language": language or (question.language if question else None),
            "target_low": target.low if target else None,
            "target_high": target.high if target else None,
            "audio_path": self._relative(audio_path),
            "session_id": session_id,
            "pid": os.getpid(),
            "proc_start": process_token(),
            "note": note,
        }
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        with self._tx() as conn:
            cur = conn.execute(
                f"INSERT INTO attempts ({names}) VALUES ({marks})", tuple(row.values())
            )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def _update(self, attempt_id: int, **values: object) -> None:
        sets = ", ".join(f"{k} = ?" for k in values)
        with self._tx() as conn:
            cur = conn.execute(
                f"UPDATE attempts SET {sets} WHERE id = ?", (*values.values(), attempt_id)
            )
        if cur.rowcount == 0:
            raise AttemptNotFound(f"no attempt {attempt_id} in the history (see: kiosk history)")

    def finish_recording(
        self, attempt_id: int, samples: int, sample_rate: int, status: Status = "recorded"
    ) -> None:
        """The recording is complete on disk: note its length.

        A ``recorded`` answer keeps the id of the process that will analyse it: should that
        process die first, the next recovery pass offers the answer for analysis again."""
        duration = samples / sample_rate if sample_rate else 0.0
        owner = {} if status == "recorded" else {"pid": None}
        self._update(
            attempt_id, status=status, duration_s=duration, sample_rate=sample_rate, **owner
        )
        audio = self.audio_file(self.get(attempt_id))
        if audio is not None and audio.is_file() and not audio.is_symlink():
            private_file(audio)  # in case a recorder created its own file

    def save_report(self, attempt_id: int, report: object) -> None:
        """Keep the report (a ``Report`` or its ``to_dict()``) and its summary numbers."""
        data = report if isinstance(report, Mapping) else getattr(report, "to_dict")()  # noqa: B009
        values = {k: v for k, v in summary_of(data).items() if k in SUMMARY_COLUMNS or v}
        if self.get(attempt_id).duration_s is not None:
            values.pop("duration_s", None)  # the recording's own length stays authoritative
        self._update(
            attempt_id,
            status="analysed",
            report_json=json.dumps(data, ensure_ascii=False, sort_keys=True),
            note=None,
            pid=None,
            **values,
        )

    def mark_failed(self, attempt_id: int, reason: str) -> None:
        self._update(attempt_id, status="failed", note=reason, pid=None)

    def mark_recovered(self, attempt_id: int, samples: int, sample_rate: int, note: str) -> None:
        self.finish_recording(attempt_id, samples, sample_rate, status="recovered")
        self._update(attempt_id, note=note)

    def adopt_recording(
        self,
        audio: Path,
        samples: int,
        sample_rate: int,
        note: str,
        recorded_at: datetime | None = None,
    ) -> int | None:
        """Add a recording no attempt refers to (as ``recovered``); None if one already does.

        ``recorded_at`` defaults to the file's modification time."""
        when = recorded_at or _file_time(audio)
        rel = self._relative(audio)
        with self._tx() as conn:
            if conn.execute("SELECT 1 FROM attempts WHERE audio_path = ?", (rel,)).fetchone():
                return None
            cur = conn.execute(
                "INSERT INTO attempts (created_at, status, audio_path, duration_s, sample_rate,"
                " note) VALUES (?, 'recovered', ?, ?, ?, ?)",
                (_iso(when), rel, samples / sample_rate, sample_rate, note),
            )
        private_file(Path(audio))
        assert cur.lastrowid is not None
        return cur.lastrowid

    def begin_session(self, title: str, plan: Sequence[Planned] = ()) -> int:
        """A mock round: attempts given its id are grouped under it; ``plan`` is the
        round's questions in order (so what was skipped is known later)."""
        kept = json.dumps([p.as_dict() for p in plan], ensure_ascii=False) if plan else None
        with self._tx() as conn:
            cur = conn.execute(
                "INSERT INTO sessions (created_at, title, plan) VALUES (?, ?, ?)",
                (_iso(self._clock()), title, kept),
            )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def delete(self, attempt_id: int) -> None:
        """Forget an attempt and delete its recording."""
        attempt = self.get(attempt_id)
        if attempt.status == "recording" and process_alive(attempt.pid, attempt.proc_start):
            raise BadInput(f"attempt {attempt_id} is being recorded right now; stop it first")
        audio = self.audio_file(attempt)
        with self._tx() as conn:
            conn.execute("DELETE FROM attempts WHERE id = ?", (attempt_id,))
        if audio is not None and audio.is_relative_to(self.recordings_dir()):
            audio.unlink(missing_ok=True)

    # --- reading ---------------------------------------------------------------------

    def _select(self, where: str = "", params: tuple[object, ...] = ()) -> builtins.list[Attempt]:
        sql = f"SELECT {', '.join(ATTEMPT_COLUMNS)} FROM attempts {where}"
        with self._tx(write=False) as conn:
            rows = conn.execute(sql, params).fetchall()
        return [Attempt(*row) for row in rows]

    def get(self, attempt_id: int) -> Attempt:
        found = self._select("WHERE id = ?", (attempt_id,))
        if not found:
            raise AttemptNotFound(f"no attempt {attempt_id} in the history (see: kiosk history)")
        return found[0]

    def report(self, attempt_id: int) -> Report | None:
        """The stored report of an attempt, read back through ``Report.from_dict``."""
        data = self.get(attempt_id).report_dict
        return None if data is None else Report.from_dict(data)

    def list(
        self,
        limit: int | None = 50,
        question_id: str | None = None,
        language: str | None = None,
        status: Status | None = None,
        *,
        where: AttemptFilter | None = None,
    ) -> builtins.list[Attempt]:
        """Newest first. ``where`` filters further (bank, category, session, dates)."""
        base = where or AttemptFilter()
        filt = AttemptFilter(
            bank_id=base.bank_id,
            category=base.category,
            question_id=question_id or base.question_id,
            language=language or base.language,
            status=status or base.status,
            session_id=base.session_id,
            since=base.since,
            until=base.until,
        )
        clauses, params = filt.where()
        sql = f"{clauses} ORDER BY created_at DESC, id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params += (limit,)
        return self._select(sql, params)

    def attempts_of(self, question_id: str, status: Status | None = None) -> builtins.list[Attempt]:
        """Every attempt at one question, oldest first (for side-by-side comparison)."""
        return self.list(limit=None, question_id=question_id, status=status)[::-1]

    def session(self, session_id: int) -> Session:
        with self._tx(write=False) as conn:
            row = conn.execute(
                "SELECT id, created_at, title, plan FROM sessions WHERE id = ?", (session_id,)
            ).fetchone()
        if row is None:
            raise BadInput(f"no mock round {session_id} in the history (see: kiosk history)")
        return Session.from_row(tuple(row))

    def session_attempts(self, session_id: int) -> builtins.list[Attempt]:
        """The answers of one mock round, in the order they were given."""
        return self.list(limit=None, where=AttemptFilter(session_id=session_id))[::-1]

    def facets(self) -> Facets:
        """Distinct banks, categories, questions and languages present, for filter menus."""

        def distinct(column: str) -> tuple[str, ...]:
            rows = conn.execute(
                f"SELECT DISTINCT {column} FROM attempts WHERE {column} IS NOT NULL "
                f"ORDER BY {column}"
            ).fetchall()
            return tuple(r[0] for r in rows)

        with self._tx(write=False) as conn:
            questions = conn.execute(
                "SELECT question_id, question_text FROM attempts WHERE question_id IS NOT NULL "
                "GROUP BY question_id ORDER BY MAX(created_at) DESC"
            ).fetchall()
            return Facets(
                banks=distinct("bank_id"),
                categories=distinct("category"),
                questions=tuple((q, t or q) for q, t in questions),
                languages=distinct("language"),
            )

    def audio_paths(self) -> set[str]:
        """Every recording path the history refers to (relative, as stored)."""
        with self._tx(write=False) as conn:
            rows = conn.execute("SELECT audio_path FROM attempts WHERE audio_path IS NOT NULL")
            return {r[0] for r in rows.fetchall()}

    def progress(
        self,
        language: str | None = None,
        days: int | None = None,
        *,
        where: AttemptFilter | None = None,
    ) -> builtins.list[ProgressPoint]:
        """Analysed attempts oldest first, for pace / filler / length charts."""
        base = where or AttemptFilter()
        since = _iso(self._clock() - timedelta(days=days)) if days else base.since
        filt = AttemptFilter(
            bank_id=base.bank_id,
            category=base.category,
            question_id=base.question_id,
            language=language or base.language,
            status="analysed",
            since=since,
            until=base.until,
        )
        clauses, params = filt.where()
        sql = (
            f"SELECT {', '.join(PROGRESS_COLUMNS)} FROM attempts {clauses} ORDER BY created_at, id"
        )
        with self._tx(write=False) as conn:
            rows = conn.execute(sql, params).fetchall()
        return [ProgressPoint(*row) for row in rows]
