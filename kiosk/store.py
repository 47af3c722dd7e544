"""The history of practised answers: one SQLite file plus the recordings beside it.

Why SQLite: one file, transactions that survive a crash or power cut (WAL), and indexed
queries for the progress charts without loading every report. Why the row is written
*before* recording starts: if the kiosk dies mid-answer, the row (status ``recording``,
with the recording process's id) tells the next start which WAV to repair
(:mod:`kiosk.recovery`), so nothing the user said is lost.

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
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, Protocol

from kiosk.config import data_dir
from kiosk.core.errors import BadInput, KioskError
from kiosk.core.report import Report
from kiosk.core.target import Target

DB_NAME = "history.sqlite3"
RECORDINGS = "recordings"
Status = Literal["recording", "recorded", "analysed", "recovered", "failed"]
STATUSES: tuple[Status, ...] = ("recording", "recorded", "analysed", "recovered", "failed")


class StoreError(KioskError):
    """The history database cannot be opened or written."""


class AttemptNotFound(BadInput):
    """No attempt with that id."""


@dataclass(frozen=True, slots=True)
class StoreNotice:
    """Something the user should hear about when the history was opened."""

    kind: Literal["corrupt", "newer"]
    moved_to: Path
    message: str


class QuestionLike(Protocol):
    """What the store needs to know about a question (``questions.model.Question`` fits)."""

    @property
    def id(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def bank_id(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def language(self) -> str: ...
    @property
    def target(self) -> Target: ...


@dataclass(frozen=True, slots=True)
class Attempt:
    """One practised answer as stored. ``audio_path`` is relative to the store's directory."""

    id: int
    created_at: str
    status: Status
    question_id: str | None
    question_text: str | None
    bank_id: str | None
    category: str | None
    kind: str | None
    language: str | None
    target_low: float | None
    target_high: float | None
    audio_path: str | None
    duration_s: float | None
    sample_rate: int | None
    report_json: str | None
    note: str | None
    session_id: int | None
    pid: int | None
    proc_start: str | None
    pace_value: float | None
    pace_unit: str | None
    fillers_total: int | None
    fillers_per_min: float | None
    pauses_count: int | None
    longest_pause_s: float | None
    length_verdict: str | None

    @property
    def target(self) -> Target | None:
        if self.target_low is None or self.target_high is None:
            return None
        return Target(self.target_low, self.target_high)

    @property
    def report_dict(self) -> dict[str, Any] | None:
        return None if self.report_json is None else dict(json.loads(self.report_json))


@dataclass(frozen=True, slots=True)
class ProgressPoint:
    """One analysed attempt on the progress chart."""

    attempt_id: int
    created_at: str
    language: str | None
    question_id: str | None
    pace_value: float | None
    pace_unit: str | None
    fillers_per_min: float | None
    length_verdict: str | None


_COLUMNS = tuple(Attempt.__dataclass_fields__)


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


def _private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.chmod(0o700)
    return path


class Store:
    """The attempt history. Safe to share between threads (one connection behind a lock)."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        notices: tuple[StoreNotice, ...] = (),
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        self.path = path
        self.root = path.parent
        self.notices = notices
        self._clock = clock

    # --- opening ---------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | None = None, clock: Callable[[], datetime] = _utc_now) -> Store:
        """Open (creating or migrating) the history; unreadable files are moved aside."""
        path = Path(path) if path else data_dir() / DB_NAME
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            conn, notice = _connect_checked(path, clock())
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"{path}: cannot open the history: {_reason(exc)}") from None
        try:
            _migrate(conn)
            path.chmod(0o600)
        except (OSError, sqlite3.Error) as exc:
            conn.close()
            raise StoreError(f"{path}: cannot update the history: {_reason(exc)}") from None
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
        return _private_dir(self.root / RECORDINGS)

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
        """The recording is complete on disk: note its length."""
        duration = samples / sample_rate if sample_rate else 0.0
        self._update(
            attempt_id, status=status, duration_s=duration, sample_rate=sample_rate, pid=None
        )
        audio = self.audio_file(self.get(attempt_id))
        if audio is not None and audio.exists():
            audio.chmod(0o600)

    def save_report(self, attempt_id: int, report: object) -> None:
        """Keep the report (a ``Report`` or its ``to_dict()``) and its summary numbers."""
        data = report if isinstance(report, Mapping) else getattr(report, "to_dict")()  # noqa: B009
        values = {k: v for k, v in summary_of(data).items() if k in _SUMMARY_COLUMNS or v}
        if self.get(attempt_id).duration_s is not None:
            values.pop("duration_s", None)  # the recording's own length stays authoritative
        self._update(
            attempt_id,
            status="analysed",
            report_json=json.dumps(data, ensure_ascii=False, sort_keys=True),
            note=None,
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
        Path(audio).chmod(0o600)
        assert cur.lastrowid is not None
        return cur.lastrowid

    def begin_session(self, title: str) -> int:
        """A mock round: attempts given its id are grouped under it."""
        with self._tx() as conn:
            cur = conn.execute(
                "INSERT INTO sessions (created_at, title) VALUES (?, ?)",
                (_iso(self._clock()), title),
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
        sql = f"SELECT {', '.join(_COLUMNS)} FROM attempts {where}"
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
    ) -> builtins.list[Attempt]:
        """Newest first."""
        clauses, params = _filters(question_id=question_id, language=language, status=status)
        where = f"{clauses} ORDER BY created_at DESC, id DESC"
        if limit is not None:
            where += " LIMIT ?"
            params += (limit,)
        return self._select(where, params)

    def audio_paths(self) -> set[str]:
        """Every recording path the history refers to (relative, as stored)."""
        with self._tx(write=False) as conn:
            rows = conn.execute("SELECT audio_path FROM attempts WHERE audio_path IS NOT NULL")
            return {r[0] for r in rows.fetchall()}

    def progress(
        self, language: str | None = None, days: int | None = None
    ) -> builtins.list[ProgressPoint]:
        """Analysed attempts oldest first, for pace / filler / length charts."""
        since = _iso(self._clock() - timedelta(days=days)) if days else None
        clauses, params = _filters(language=language, status="analysed", since=since)
        sql = (
            "SELECT id, created_at, language, question_id, pace_value, pace_unit, "
            f"fillers_per_min, length_verdict FROM attempts {clauses} ORDER BY created_at, id"
        )
        with self._tx(write=False) as conn:
            rows = conn.execute(sql, params).fetchall()
        return [ProgressPoint(*row) for row in rows]


def _filters(since: str | None = None, **equal: object) -> tuple[str, tuple[object, ...]]:
    clauses = [f"{name} = ?" for name, value in equal.items() if value is not None]
    params: tuple[object, ...] = tuple(v for v in equal.values() if v is not None)
    if since is not None:
        clauses.append("created_at >= ?")
        params += (since,)
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), params


# --- opening, checking and moving aside ----------------------------------------------


_SQLITE_CORRUPT, _SQLITE_NOTADB = 11, 26  # primary result codes
BUSY_TIMEOUT_S = 10.0
"""How long to wait for another kiosk's write to finish before giving up."""


def _connect(path: Path) -> sqlite3.Connection:
    # Autocommit mode: transactions are explicit (``Store._tx``, ``_migrate``).
    return sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_S, check_same_thread=False, isolation_level=None
    )


def _check(conn: sqlite3.Connection) -> str | None:
    """``None`` when the database is usable, else ``"corrupt"`` or ``"newer"``."""
    try:
        if conn.execute("PRAGMA user_version").fetchone()[0] > SCHEMA_VERSION:
            return "newer"
        if conn.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
            return "corrupt"
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorcode", 0) & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
            return "corrupt"
        raise  # locked, unreadable, disk full…: the file may be fine, so leave it be
    return None


def _connect_checked(path: Path, now: datetime) -> tuple[sqlite3.Connection, StoreNotice | None]:
    """Open ``path``; an unusable file is moved aside (before SQLite's close could delete
    its ``-wal``) and a fresh database is opened in its place."""
    conn = _connect(path)
    problem = _check(conn)
    if problem is None:
        return conn, None
    notice = _move_aside(path, problem, now)
    conn.close()
    conn = _connect(path)
    again = _check(conn)
    if again is not None:
        conn.close()
        raise StoreError(f"{path}: cannot create a new history database here ({again})")
    return conn, notice


def _move_aside(path: Path, problem: str, now: datetime) -> StoreNotice:
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    moved = path.with_name(f"{path.name}.{problem}-{stamp}")
    for suffix in ("", "-wal", "-shm", "-journal"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            source.rename(Path(f"{moved}{suffix}"))
    if problem == "newer":
        message = (
            f"the history was written by a newer Interview Kiosk; it was kept as {moved} "
            "and a new history was started (update the kiosk to see the old one)"
        )
    else:
        message = (
            f"the history database was damaged; it was kept as {moved} and a new history "
            "was started (your recordings are untouched)"
        )
    return StoreNotice(
        kind="newer" if problem == "newer" else "corrupt", moved_to=moved, message=message
    )


def _migrate(conn: sqlite3.Connection) -> None:
    """Apply each migration past the file's ``user_version``, each in its own transaction."""
    for number, step in enumerate(MIGRATIONS, start=1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("PRAGMA user_version").fetchone()[0] < number:
                step(conn)
                conn.execute(f"PRAGMA user_version = {number}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


# --- schema history: append a function, never edit an old one --------------------------


def _v1_attempts(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            status TEXT NOT NULL,
            question_id TEXT, question_text TEXT, bank_id TEXT, category TEXT, kind TEXT,
            language TEXT, target_low REAL, target_high REAL,
            audio_path TEXT, duration_s REAL, report_json TEXT, note TEXT)"""
    )
    conn.execute("CREATE INDEX attempts_created ON attempts (created_at)")


_SUMMARY_COLUMNS = {
    "pace_value": "REAL",
    "pace_unit": "TEXT",
    "fillers_total": "INTEGER",
    "fillers_per_min": "REAL",
    "pauses_count": "INTEGER",
    "longest_pause_s": "REAL",
    "length_verdict": "TEXT",
}


def _v2_summary(conn: sqlite3.Connection) -> None:
    """Copy report numbers into columns so progress charts need no JSON parsing."""
    for name, kind in {**_SUMMARY_COLUMNS, "sample_rate": "INTEGER"}.items():
        conn.execute(f"ALTER TABLE attempts ADD COLUMN {name} {kind}")
    conn.execute("CREATE INDEX attempts_question ON attempts (question_id, created_at)")
    conn.execute("CREATE INDEX attempts_language ON attempts (language, created_at)")
    rows = conn.execute("SELECT id, report_json FROM attempts WHERE report_json IS NOT NULL")
    for attempt_id, text in rows.fetchall():
        values = {k: v for k, v in summary_of(json.loads(text)).items() if k in _SUMMARY_COLUMNS}
        sets = ", ".join(f"{k} = ?" for k in values)
        conn.execute(f"UPDATE attempts SET {sets} WHERE id = ?", (*values.values(), attempt_id))


def _v3_sessions_and_owner(conn: sqlite3.Connection) -> None:
    """Mock rounds group attempts; the recording process is noted for crash recovery."""
    conn.execute(
        "CREATE TABLE sessions (id INTEGER PRIMARY KEY, created_at TEXT NOT NULL, title TEXT)"
    )
    conn.execute(
        "ALTER TABLE attempts ADD COLUMN session_id INTEGER "
        "REFERENCES sessions (id) ON DELETE SET NULL"
    )
    conn.execute("ALTER TABLE attempts ADD COLUMN pid INTEGER")
    conn.execute("ALTER TABLE attempts ADD COLUMN proc_start TEXT")
    conn.execute("CREATE INDEX attempts_status ON attempts (status)")


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _v1_attempts,
    _v2_summary,
    _v3_sessions_and_owner,
)
SCHEMA_VERSION = len(MIGRATIONS)


# --- report summary ------------------------------------------------------------------------


def _pick(data: Mapping[str, Any], *paths: str) -> Any:
    """The first of the dotted ``paths`` present in ``data`` (None if none is)."""
    for path in paths:
        node: Any = data
        for key in path.split("."):
            node = node.get(key) if isinstance(node, Mapping) else None
        if node is not None:
            return node
    return None


def summary_of(report: Mapping[str, Any]) -> dict[str, Any]:
    """The indexed columns for one report dict (``Report.to_dict()``)."""
    m = report.get("metrics") if isinstance(report.get("metrics"), Mapping) else report
    assert isinstance(m, Mapping)
    return {
        "pace_value": _pick(m, "pace.value"),
        "pace_unit": _pick(m, "pace.unit"),
        "fillers_total": _pick(m, "fillers.total"),
        "fillers_per_min": _pick(m, "fillers.per_minute", "fillers.per_min"),
        "pauses_count": _pick(m, "pauses.count"),
        "longest_pause_s": _pick(m, "pauses.longest_s"),
        "length_verdict": _pick(m, "length.verdict"),
        "duration_s": _pick(m, "duration_s", "length.duration_s"),
        "language": _pick(m, "language") or _pick(report, "language"),
    }
