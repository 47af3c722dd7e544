"""The attempt history: round trips, queries, privacy, WAL, migrations, damaged files."""

from __future__ import annotations

import json
import sqlite3
import stat
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from kiosk.config import data_dir
from kiosk.core.metrics import compute_metrics
from kiosk.core.report import Report
from kiosk.core.target import Target
from kiosk.core.transcript import Span, Transcript, Word
from kiosk.questions.model import Question
from kiosk.store import database as store_module
from kiosk.store.database import (
    DB_NAME,
    SCHEMA_VERSION,
    AttemptNotFound,
    Store,
    StoreError,
)
from tests.support.history import StepClock
from tests.support.store import INTRO, ZH_WORDS, rag

RAG = rag(Target(45, 120))


def report(pace: float, fillers_per_min: float, verdict: str = "within") -> dict[str, object]:
    """The summary-bearing part of a ``Report.to_dict()`` (the store reads only these keys)."""
    return {
        "schema_version": 1,
        "language": "zh",
        "duration_s": 75.5,
        "pace": {"value": pace, "unit": "chars/min"},
        "fillers": {"total": 7, "per_minute": fillers_per_min},
        "pauses": {"count": 3, "longest_s": 2.25},
        "length": {"verdict": verdict, "duration_s": 75.5},
        "transcript": {"text": "嗯，我觉得 RAG 适合知识更新快的场景。"},
    }


def record(store: Store, question: Question, samples: int = 16_000 * 75) -> int:
    path = store.new_recording_path(question.id)
    path.write_bytes(b"RIFF")
    attempt_id = store.begin_attempt(question, path)
    store.finish_recording(attempt_id, samples, 16_000)
    return attempt_id


def test_round_trip_keeps_question_audio_and_report() -> None:
    with Store.open() as store:
        path = store.new_recording_path(RAG.id)
        attempt_id = store.begin_attempt(RAG, path)
        first = store.get(attempt_id)
        assert first.status == "recording"
        assert store.audio_file(first) == path
        store.finish_recording(attempt_id, 16_000 * 75 + 8_000, 16_000)
        assert store.get(attempt_id).status == "recorded"
        store.save_report(attempt_id, report(212.5, 5.6))
    with Store.open() as store:
        a = store.get(attempt_id)
    assert store.path == data_dir() / DB_NAME
    assert (a.question_id, a.bank_id, a.category, a.kind, a.language) == (
        "zh-llm-rag-01",
        "zh-ai-pm",
        "大模型认知",
        "knowledge",
        "zh",
    )
    assert a.question_text == RAG.text
    assert a.target == Target(45, 120)
    assert a.duration_s == pytest.approx(75.5)
    assert a.status == "analysed"
    assert a.report_dict == report(212.5, 5.6)
    assert (a.pace_value, a.pace_unit, a.fillers_total, a.fillers_per_min) == (
        212.5,
        "chars/min",
        7,
        5.6,
    )
    assert (a.pauses_count, a.longest_pause_s, a.length_verdict) == (3, 2.25, "within")
    assert a.audio_path is not None and not Path(a.audio_path).is_absolute()
    assert datetime.fromisoformat(a.created_at).tzinfo is not None


def test_real_report_is_read_back_through_from_dict() -> None:
    words = tuple(Word(text, i * 0.5, i * 0.5 + 0.4) for i, text in enumerate(ZH_WORDS))
    transcript = Transcript("zh", 6.0, words, (Span(0.0, 4.5),))
    original = Report(transcript, compute_metrics(transcript, Target(2, 4)), question_id=RAG.id)
    with Store.open() as store:
        attempt_id = record(store, RAG, samples=16_000 * 6)
        assert store.report(attempt_id) is None
        store.save_report(attempt_id, original)
        assert store.report(attempt_id) == original
        a = store.get(attempt_id)
    m = original.metrics
    assert (a.pace_value, a.pace_unit) == (m.pace.value, m.pace.unit)
    assert (a.fillers_total, a.fillers_per_min) == (m.fillers.total, m.fillers.per_minute)
    assert a.fillers_total is not None and a.fillers_total >= 1  # 嗯 at the start
    assert (a.pauses_count, a.longest_pause_s) == (m.pauses.count, m.pauses.longest_s)
    assert a.length_verdict == m.length.verdict == "too_long"
    assert a.duration_s == 6.0


def test_list_newest_first_and_filters() -> None:
    clock = StepClock()
    with Store.open(clock=clock) as store:
        ids = []
        for question in (RAG, INTRO, RAG, INTRO, RAG):
            ids.append(record(store, question))
            clock.now += timedelta(minutes=5)
        assert [a.id for a in store.list()] == ids[::-1]
        assert [a.id for a in store.list(limit=2)] == ids[:2:-1]
        assert [a.id for a in store.list(question_id=RAG.id)] == [ids[4], ids[2], ids[0]]
        assert [a.id for a in store.list(language="en")] == [ids[3], ids[1]]
        assert store.list(question_id="nope") == []


def test_progress_series_only_analysed_oldest_first_within_days() -> None:
    clock = StepClock()
    with Store.open(clock=clock) as store:
        old = record(store, RAG)
        store.save_report(old, report(300.0, 9.0, "too_long"))
        clock.now += timedelta(days=20)
        mid = record(store, RAG)
        store.save_report(mid, report(250.0, 6.0))
        clock.now += timedelta(days=5)
        record(store, RAG)  # recorded, never analysed: not on the chart
        english = record(store, INTRO)
        store.save_report(english, {**report(140.0, 2.0), "language": "en"})
        clock.now += timedelta(days=1)

        series = store.progress(language="zh")
        assert [(p.attempt_id, p.pace_value, p.fillers_per_min) for p in series] == [
            (old, 300.0, 9.0),
            (mid, 250.0, 6.0),
        ]
        assert [p.length_verdict for p in series] == ["too_long", "within"]
        assert [p.attempt_id for p in store.progress(days=10)] == [mid, english]
        assert [p.attempt_id for p in store.progress()] == [old, mid, english]


def test_recordings_and_database_are_private() -> None:
    with Store.open() as store:
        folder = store.recordings_dir()
        path = store.new_recording_path("zh/../odd id")
        assert path.parent == folder
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
        # A recorder that created its file with a looser mode is tightened on finish.
        path.chmod(0o644)
        attempt_id = store.begin_attempt(RAG, path)
        store.finish_recording(attempt_id, 100, 16_000)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert store.new_recording_path(RAG.id) != store.new_recording_path(RAG.id)


def test_wal_and_foreign_keys_are_on() -> None:
    with Store.open() as store:
        record(store, RAG)
        other = sqlite3.connect(store.path)
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        other.close()
        with store._tx(write=False) as conn:  # the store's own connection
            assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        session = store.begin_session("模拟一面")
        attempt_id = store.begin_attempt(RAG, store.new_recording_path(RAG.id), session_id=session)
        assert store.get(attempt_id).session_id == session
        with pytest.raises(StoreError):
            store.begin_attempt(RAG, store.new_recording_path(RAG.id), session_id=session + 99)


V1_SCHEMA = """
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    status TEXT NOT NULL,
    question_id TEXT, question_text TEXT, bank_id TEXT, category TEXT, kind TEXT,
    language TEXT, target_low REAL, target_high REAL,
    audio_path TEXT, duration_s REAL, report_json TEXT, note TEXT);
CREATE INDEX attempts_created ON attempts (created_at);
PRAGMA user_version = 1;
"""


def test_v1_database_is_migrated_keeping_rows_and_filling_summaries() -> None:
    path = data_dir() / DB_NAME
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA)
    conn.execute(
        "INSERT INTO attempts (created_at, status, question_id, language, audio_path, "
        "duration_s, report_json) VALUES (?, 'analysed', ?, 'zh', 'recordings/a.wav', 75.5, ?)",
        ("2026-10-01T08:00:00+00:00", RAG.id, json.dumps(report(233.0, 4.5, "too_short"))),
    )
    conn.commit()
    conn.close()

    with Store.open() as store:
        (old,) = store.list()
        assert (old.question_id, old.audio_path, old.duration_s) == (
            RAG.id,
            "recordings/a.wav",
            75.5,
        )
        assert (old.pace_value, old.fillers_per_min, old.length_verdict) == (
            233.0,
            4.5,
            "too_short",
        )
        assert [p.attempt_id for p in store.progress()] == [old.id]
        assert store.begin_session("round") >= 1  # a table added after v1
        assert store.notices == ()
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    check.close()


def _aside(folder: Path, kind: str) -> list[Path]:
    return sorted(folder.glob(f"{DB_NAME}.{kind}-*"))


def test_garbage_file_is_moved_aside_with_its_wal_and_a_fresh_store_made() -> None:
    path = data_dir() / DB_NAME
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not sqlite at all" * 100)
    Path(f"{path}-wal").write_bytes(b"old wal")
    with Store.open() as store:
        (notice,) = store.notices
        assert notice.kind == "corrupt"
        assert str(notice.moved_to) in notice.message
        assert notice.moved_to.read_bytes() == b"this is not sqlite at all" * 100
        assert Path(f"{notice.moved_to}-wal").read_bytes() == b"old wal"
        assert _aside(path.parent, "corrupt")[0] == notice.moved_to
        assert store.list() == []
        record(store, RAG)
    with Store.open() as store:
        assert store.notices == () and len(store.list()) == 1


def test_database_failing_integrity_check_is_moved_aside() -> None:
    path = data_dir() / DB_NAME
    with Store.open() as store:
        for _ in range(300):
            record(store, RAG)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode = DELETE")
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    assert pages > 4
    raw = bytearray(path.read_bytes())
    # Scribble over the middle pages but keep the valid 100-byte file header.
    raw[page * 2 : page * (pages - 1)] = b"\x5a" * (page * (pages - 3))
    path.write_bytes(bytes(raw))

    with Store.open() as store:
        (notice,) = store.notices
        assert notice.kind == "corrupt"
        assert notice.moved_to.read_bytes() == bytes(raw)
        assert store.list() == []


def test_newer_schema_is_moved_aside_not_overwritten() -> None:
    path = data_dir() / DB_NAME
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE future (x)")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with Store.open() as store:
        (notice,) = store.notices
        assert notice.kind == "newer"
        assert "newer" in notice.message and str(notice.moved_to) in notice.message
        assert notice.moved_to.read_bytes() == before
        assert _aside(path.parent, "newer") == [notice.moved_to]
        assert store.list() == []


def test_locked_database_is_an_error_not_moved_aside(monkeypatch: pytest.MonkeyPatch) -> None:
    path = data_dir() / DB_NAME
    path.parent.mkdir(parents=True)
    holder = sqlite3.connect(path, isolation_level=None)  # rollback journal, like an old file
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("INSERT INTO t VALUES (1)")
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_S", 0.1)
    with pytest.raises(StoreError, match="database is locked"):
        Store.open()
    holder.execute("ROLLBACK")
    holder.close()
    assert list(path.parent.glob(f"{DB_NAME}.*-*")) == []
    with Store.open() as store:
        assert store.notices == ()


def test_delete_removes_row_and_recording() -> None:
    with Store.open() as store:
        keep, gone = record(store, RAG), record(store, INTRO)
        audio = store.audio_file(store.get(gone))
        assert audio is not None and audio.exists()
        store.delete(gone)
        assert not audio.exists()
        assert [a.id for a in store.list()] == [keep]
        with pytest.raises(AttemptNotFound, match=f"no attempt {gone}"):
            store.get(gone)
        with pytest.raises(AttemptNotFound):
            store.delete(gone)


def test_mark_failed_keeps_reason() -> None:
    with Store.open() as store:
        attempt_id = record(store, RAG)
        store.mark_failed(attempt_id, "microphone unplugged")
        a = store.get(attempt_id)
        assert (a.status, a.note) == ("failed", "microphone unplugged")
        assert store.list(status="failed") == [a]


def test_concurrent_writes_from_threads_and_connections() -> None:
    shared = Store.open()
    second = Store.open()  # a second connection to the same file, like a second process
    errors: list[BaseException] = []

    def work(store: Store, question: Question) -> None:
        try:
            for i in range(40):
                attempt_id = record(store, question)
                store.save_report(attempt_id, report(200.0 + i, 1.0))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [
        threading.Thread(target=work, args=(shared, RAG)),
        threading.Thread(target=work, args=(shared, INTRO)),
        threading.Thread(target=work, args=(second, RAG)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    attempts = shared.list(limit=None)
    assert len(attempts) == 120 and len({a.id for a in attempts}) == 120
    assert all(a.status == "analysed" for a in attempts)
    assert len(shared.list(limit=None, question_id=INTRO.id)) == 40
    shared.close()
    second.close()
