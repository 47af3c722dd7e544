"""The booth's side of the answer history (``kiosk.store.database``): optional and never fatal.

Each answer gets a history row *before* recording starts, so a crash mid-answer leaves a
row that the next start repairs (``kiosk.pipeline.recovery``). A history that cannot be written must
not stop anyone practising, so every call here swallows store errors and hands a one-line
warning to ``warn`` (which may be called from worker threads and must be thread-safe).
Without a store (tests, or a history that could not be opened) recordings still go to
``<data dir>/recordings`` and nothing else happens.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from kiosk.config import data_dir
from kiosk.core.errors import KioskError
from kiosk.core.ports import RecordingResult
from kiosk.core.report import Report
from kiosk.store.records import Planned

if TYPE_CHECKING:
    from kiosk.store.database import Store
    from kiosk.ui.practice import Asked, Practice

T = TypeVar("T")


def recording_path(question_id: str, when: datetime) -> Path:
    """``<data dir>/recordings/<timestamp>-<question id>.wav`` (used without a store)."""
    return data_dir() / "recordings" / f"{when.strftime('%Y%m%d-%H%M%S')}-{question_id}.wav"


def _forget(store: Store, attempt: int) -> None:
    # A row still "recording" for a live process is protected from deletion: close it first.
    store.mark_failed(attempt, "input not opened")
    store.delete(attempt)


class History:
    """Answer history calls that never raise."""

    def __init__(self, store: Store | None, warn: Callable[[str], None]) -> None:
        self.store = store
        self._warn = warn

    def _guard(self, what: Callable[[Store], T]) -> T | None:
        if self.store is None:
            return None
        try:
            return what(self.store)
        except (KioskError, sqlite3.Error, OSError) as exc:
            self._warn(f"The answer history could not be updated ({exc}); recordings are kept.")
            return None

    def begin(
        self, asked: Asked, when: datetime, session_id: int | None
    ) -> tuple[Path, int | None]:
        """A fresh recording path, and the history row that points at it (if any)."""
        path = self._guard(lambda s: s.new_recording_path(asked.id))
        if path is None:
            path = recording_path(asked.id, when)
            path.parent.mkdir(parents=True, exist_ok=True)
            return path, None
        attempt = self._guard(
            lambda s: s.begin_attempt(asked, path, asked.language, session_id=session_id)
        )
        return path, attempt

    def discard(self, attempt: int | None) -> None:
        """Nothing was recorded (the device never opened): forget the row and empty file."""
        if attempt is not None:
            self._guard(lambda s: _forget(s, attempt))

    def recorded(self, attempt: int | None, result: RecordingResult) -> None:
        if attempt is not None:
            self._guard(lambda s: s.finish_recording(attempt, result.samples, result.sample_rate))

    def analysed(self, attempt: int | None, report: Report) -> None:
        if attempt is not None:
            self._guard(lambda s: s.save_report(attempt, report))

    def failed(self, attempt: int | None, reason: str) -> None:
        if attempt is not None:
            self._guard(lambda s: s.mark_failed(attempt, reason))

    def begin_session(self, practice: Practice) -> int | None:
        """A mock round in the history, with its questions in order (so an export can
        mark the ones skipped)."""
        return self._guard(lambda s: s.begin_session(practice.title, round_plan(practice)))


def round_plan(practice: Practice) -> tuple[Planned, ...]:
    """The round's questions in order, each with its step (its category without one)."""
    steps = practice.steps
    return tuple(
        Planned(q.id, q.text, steps[i] if i < len(steps) else q.category)
        for i, q in enumerate(practice.questions)
    )
