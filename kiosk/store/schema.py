"""Opening the history file safely, and its schema history (``PRAGMA user_version``).

Kept apart from :mod:`kiosk.store.database` because none of it concerns attempts: it decides whether
a file can be used at all (a corrupt or newer file is moved aside, never overwritten) and
takes an older file to the current schema, one transaction per step.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from kiosk.core.errors import KioskError
from kiosk.store.summary import SUMMARY_COLUMNS, summary_of


class StoreError(KioskError):
    """The history database cannot be opened or written."""


@dataclass(frozen=True, slots=True)
class StoreNotice:
    """Something the user should hear about when the history was opened."""

    kind: Literal["corrupt", "newer", "read_only"]
    moved_to: Path
    message: str


_SQLITE_CORRUPT, _SQLITE_NOTADB = 11, 26  # primary result codes
BUSY_TIMEOUT_S = 10.0
"""How long to wait for another kiosk's write to finish before giving up."""


def _connect(path: Path, mode: str | None = None) -> sqlite3.Connection:
    """A connection in autocommit mode: transactions are explicit (``Store._tx``,
    ``_migrate``). ``mode="ro"`` opens read-only, ``"immutable"`` without any locking."""
    if mode is None:
        return sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_S, check_same_thread=False, isolation_level=None
        )
    query = "immutable=1" if mode == "immutable" else f"mode={mode}"
    return sqlite3.connect(
        f"{path.resolve().as_uri()}?{query}",
        uri=True,
        timeout=BUSY_TIMEOUT_S,
        check_same_thread=False,
        isolation_level=None,
    )


# --- who may write: the user's read-only files are respected, never "fixed" ------------

SIDE_FILES = ("-wal", "-shm", "-journal")
"""SQLite's companions of a database file, created beside it while it is open."""


def _write_protected(path: Path) -> bool:
    """Has the user taken away their own write permission (or may not write at all)?

    The owner's write bit is checked as well as ``access()``, so a file the user made
    read-only is treated as such even when running as root (who could write it anyway)."""
    st = path.stat()
    return not st.st_mode & stat.S_IWUSR or not os.access(path, os.W_OK)


def read_only_part(path: Path) -> Path | None:
    """The database file, side file or folder that is read-only, or None if all can be
    written. A missing file counts as writable when its folder is."""
    for candidate in (path, *(Path(f"{path}{s}") for s in SIDE_FILES)):
        try:
            if _write_protected(candidate):
                return candidate
        except FileNotFoundError:
            continue
    folder = path.parent
    if folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
        return folder
    return None


def read_only_message(part: Path, db: Path) -> str:
    """One line: which file (or folder) is read-only and what to do about it."""
    what = "folder" if part.is_dir() else "file"
    return (
        f"{part}: this history {what} is read-only, so new answers cannot be saved in "
        f"{db.name}; make it writable with  chmod u+w '{part}'  (the kiosk never changes "
        "it for you), or move the history away to start a new one"
    )


def private_file(path: Path) -> None:
    """Make a file the kiosk keeps user-only (no group or other bits), if it is ours.

    Only bits are taken away: a file the user made read-only stays read-only."""
    try:
        st = path.stat()
        if st.st_mode & 0o077 and st.st_uid == os.getuid():
            path.chmod(stat.S_IMODE(st.st_mode) & 0o700)
    except OSError:
        pass  # missing, or not ours: nothing we may do


def create_private(path: Path) -> None:
    """Create ``path`` empty with mode 0600 if it does not exist (SQLite gives its
    ``-wal``/``-shm`` files the database's mode, so they are born private too)."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def connect_read_only(path: Path) -> tuple[sqlite3.Connection, StoreNotice]:
    """Open a history the user made read-only, to look at it without changing anything."""
    if not path.is_file():
        raise StoreError(
            f"{path}: there is no history yet, and its folder is read-only; make the folder "
            f"writable with  chmod u+w '{path.parent}'"
        )
    # Without a -wal file everything is in the database itself: "immutable" reads it
    # without creating -wal/-shm files (which SQLite would make read-only like the
    # database, a trap for the day it is made writable again). With one, "ro" reads
    # the answers it holds too.
    mode = "ro" if Path(f"{path}-wal").exists() else "immutable"
    try:
        conn = _connect(path, mode)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: the read-only history cannot be opened ({exc})") from None
    problem = (
        "newer" if version > SCHEMA_VERSION else ("older" if version < SCHEMA_VERSION else None)
    )
    if problem is None:
        try:
            if conn.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
                problem = "corrupt"
        except sqlite3.DatabaseError:
            problem = "corrupt"
    if problem is not None:
        conn.close()
        why = {
            "newer": "was written by a newer Interview Kiosk (update the kiosk)",
            "older": "must first be upgraded to this kiosk's format, which needs writing",
            "corrupt": "is damaged",
        }[problem]
        raise StoreError(
            f"{path}: the history is read-only and {why}; make it writable with  "
            f"chmod u+w '{path}'  and try again"
        )
    conn.execute("PRAGMA foreign_keys = ON")
    part = read_only_part(path) or path
    notice = StoreNotice(
        kind="read_only",
        moved_to=path,
        message=f"{part} is read-only: the history is shown as it is and nothing is changed",
    )
    return conn, notice


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


_V2_COLUMNS = {
    "pace_value": "REAL",
    "pace_unit": "TEXT",
    "fillers_total": "INTEGER",
    "fillers_per_min": "REAL",
    "pauses_count": "INTEGER",
    "longest_pause_s": "REAL",
    "length_verdict": "TEXT",
}
"""The summary columns as version 2 created them (frozen: later ones get their own step)."""


def _backfill(
    conn: sqlite3.Connection, columns: Collection[str], *, skip_unreadable: bool = False
) -> None:
    """Copy ``columns`` from every stored report; with ``skip_unreadable`` a report that is
    not a JSON object leaves its row as it is instead of stopping the upgrade."""
    rows = conn.execute("SELECT id, report_json FROM attempts WHERE report_json IS NOT NULL")
    for attempt_id, text in rows.fetchall():
        try:
            data = json.loads(text)
            summary = summary_of(data) if isinstance(data, dict) else None
        except (ValueError, TypeError, AttributeError, AssertionError):
            if not skip_unreadable:
                raise
            summary = None
        if summary is None:
            if not skip_unreadable:
                raise TypeError(f"attempt {attempt_id}: the stored report is not an object")
            continue
        values = {k: v for k, v in summary.items() if k in columns}
        sets = ", ".join(f"{k} = ?" for k in values)
        conn.execute(f"UPDATE attempts SET {sets} WHERE id = ?", (*values.values(), attempt_id))


def _v2_summary(conn: sqlite3.Connection) -> None:
    """Copy report numbers into columns so progress charts need no JSON parsing."""
    for name, kind in {**_V2_COLUMNS, "sample_rate": "INTEGER"}.items():
        conn.execute(f"ALTER TABLE attempts ADD COLUMN {name} {kind}")
    conn.execute("CREATE INDEX attempts_question ON attempts (question_id, created_at)")
    conn.execute("CREATE INDEX attempts_language ON attempts (language, created_at)")
    _backfill(conn, _V2_COLUMNS)


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


def _v4_span_pace(conn: sqlite3.Connection) -> None:
    """The overall pace (first to last word), the one the verdict and the bands use; the
    progress trends compare it with the comfortable band."""
    conn.execute(
        f"ALTER TABLE attempts ADD COLUMN pace_span_value {SUMMARY_COLUMNS['pace_span_value']}"
    )
    conn.execute("CREATE INDEX attempts_category ON attempts (category, created_at)")
    _backfill(conn, ("pace_span_value",))


def _v5_round_plan(conn: sqlite3.Connection) -> None:
    """A mock round keeps the questions it asked (JSON), so an export can mark the ones
    that were skipped. Rounds begun before have none (NULL)."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(sessions)")}
    if "plan" not in columns:
        conn.execute("ALTER TABLE sessions ADD COLUMN plan TEXT")


_V6_COLUMNS = {
    "key_points_covered": "INTEGER",
    "key_points_partly": "INTEGER",
    "key_points_checked": "INTEGER",
    "structure_found": "INTEGER",
    "structure_checked": "INTEGER",
    "structure_frame": "TEXT",
}
"""The content columns as version 6 created them (frozen)."""


def _v6_content(conn: sqlite3.Connection) -> None:
    """What was said, as counts: key points covered, partly and checked, structure signals
    found of those checked, so progress on content needs no JSON parsing. Filled from the
    stored reports; an answer whose report has no content review keeps NULLs."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(attempts)")}
    for name, kind in _V6_COLUMNS.items():
        if name not in columns:
            conn.execute(f"ALTER TABLE attempts ADD COLUMN {name} {kind}")
    _backfill(conn, _V6_COLUMNS, skip_unreadable=True)


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _v1_attempts,
    _v2_summary,
    _v3_sessions_and_owner,
    _v4_span_pace,
    _v5_round_plan,
    _v6_content,
)
SCHEMA_VERSION = len(MIGRATIONS)
