"""Bring back answers cut off by a crash, a power cut or ``kill -9``.

Every attempt row is written before its recording starts, with the id and start time of
the recording process, and the WAV writer keeps the file on disk as it grows. So at the next
start, a row still marked ``recording`` whose process is gone points at a WAV that holds
everything said but whose header may be stale: :func:`audio.wav.repair_wav` fixes it and the
attempt becomes ``recovered``. A WAV in the recordings folder that no row mentions (say, the
history was damaged and moved aside) is adopted the same way. A row whose process is still
alive belongs to another kiosk that is recording right now and is left alone.

Recovered attempts are analysed like any other with :func:`analyse_attempt`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

from kiosk.core.errors import KioskError
from kiosk.core.ports import Language, Transcriber
from kiosk.core.report import Report
from kiosk.store import Attempt, Store, process_alive

_WAV_HEADER_BYTES = 44


@dataclass(frozen=True, slots=True)
class RecoverySummary:
    """What one recovery pass did, for a one-line notice in the UI."""

    recovered: tuple[int, ...] = ()
    """Interrupted attempts whose recordings were repaired."""
    adopted: tuple[int, ...] = ()
    """New attempts made for recordings no attempt referred to."""
    busy: tuple[int, ...] = ()
    """Attempts another running kiosk is recording now (left alone)."""
    failed: tuple[tuple[int, str], ...] = ()
    """Interrupted attempts with nothing usable, and why."""

    @property
    def saved(self) -> tuple[int, ...]:
        return self.recovered + self.adopted

    @property
    def message(self) -> str | None:
        """E.g. "1 answer recovered from an interrupted session"; None when nothing happened."""
        parts = []
        if self.saved:
            n = len(self.saved)
            parts.append(f"{n} answer{'s' if n != 1 else ''} recovered from an interrupted session")
        if self.failed:
            n = len(self.failed)
            parts.append(f"{n} interrupted answer{'s' if n != 1 else ''} had no audio to keep")
        return "; ".join(parts) or None


def _sample_rate(path: Path) -> int:
    import soundfile  # decoding library loads only when something needs recovering

    return int(soundfile.info(str(path)).samplerate)


def _repair(path: Path) -> tuple[int, int]:
    """Fix a cut-off WAV in place; (samples kept, sample rate)."""
    from audio.wav import repair_wav

    samples = repair_wav(path)
    return samples, _sample_rate(path)


def _recover_attempt(store: Store, attempt: Attempt) -> str | None:
    """Repair one interrupted attempt; the reason it could not be, or None."""
    audio = store.audio_file(attempt)
    if audio is None or not audio.exists():
        reason = "interrupted; its recording file is missing"
    elif audio.stat().st_size <= _WAV_HEADER_BYTES:
        reason = "interrupted before any audio was recorded"
    else:
        try:
            samples, rate = _repair(audio)
        except (KioskError, RuntimeError) as exc:  # soundfile raises RuntimeError
            reason = f"interrupted; recording could not be repaired: {exc}"
        else:
            if samples > 0:
                store.mark_recovered(attempt.id, samples, rate, "recovered after a crash")
                return None
            reason = "interrupted before any audio was recorded"
    store.mark_failed(attempt.id, reason)
    return reason


def _orphans(store: Store) -> list[Path]:
    known = store.audio_paths()
    root = store.recordings_dir()
    found = []
    for path in sorted(root.rglob("*.wav")):
        rel = str(path.resolve().relative_to(store.root.resolve()))
        if rel not in known and path.stat().st_size > _WAV_HEADER_BYTES:
            found.append(path)
    return found


def recover(store: Store) -> RecoverySummary:
    """Repair interrupted recordings and adopt orphan ones; safe to run at every start."""
    recovered: list[int] = []
    busy: list[int] = []
    failed: list[tuple[int, str]] = []
    for attempt in store.list(limit=None, status="recording"):
        if process_alive(attempt.pid, attempt.proc_start):
            busy.append(attempt.id)
            continue
        reason = _recover_attempt(store, attempt)
        if reason is None:
            recovered.append(attempt.id)
        else:
            failed.append((attempt.id, reason))
    adopted: list[int] = []
    for path in _orphans(store):
        recorded_at = datetime.fromtimestamp(path.stat().st_mtime, UTC)  # before repair touches it
        try:
            samples, rate = _repair(path)
        except (KioskError, RuntimeError):
            continue  # not a recording we can read: leave the file as it is
        if samples > 0:
            note = f"found without history: {path.name}"
            new = store.adopt_recording(path, samples, rate, note, recorded_at)
            if new is not None:
                adopted.append(new)
    return RecoverySummary(tuple(recovered), tuple(adopted), tuple(busy), tuple(failed))


def analyse_attempt(
    store: Store, attempt_id: int, transcriber: Transcriber, model: str | None = None
) -> Report:
    """Transcribe and measure a stored recording, then keep the report with the attempt."""
    from kiosk.pipeline import analyze_file

    attempt = store.get(attempt_id)
    audio = store.audio_file(attempt)
    if audio is None:
        raise KioskError(f"attempt {attempt_id} has no recording to analyse")
    report = analyze_file(
        audio,
        transcriber=transcriber,
        language=cast(Language, attempt.language or "auto"),
        target=attempt.target,
        model=model,
    )
    report = dataclasses.replace(
        report, question_id=attempt.question_id, question_text=attempt.question_text
    )
    store.save_report(attempt_id, report)
    return report
