"""Bring back answers cut off by a crash, a power cut or ``kill -9``.

Every attempt row is written before its recording starts, with the id and start time of
the recording process, and the WAV writer keeps the file on disk as it grows. So at the next
start, a row still marked ``recording`` whose process is gone points at a WAV that holds
everything said but whose header may be stale: :func:`kiosk.audio.wav.repair_wav` fixes it and the
attempt becomes ``recovered``. A WAV in the recordings folder that no row mentions (say, the
history was damaged and moved aside) is adopted the same way. A row whose process is still
alive belongs to another kiosk that is recording right now and is left alone.

Recovered attempts are analysed like any other with :func:`analyse_attempt`, through the
same pipeline as an answer in the booth.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kiosk.core.errors import KioskError
from kiosk.core.ports import Transcriber, language_of
from kiosk.core.report import Report
from kiosk.store.database import Attempt, Status, Store, process_alive
from kiosk.store.schema import private_file

_WAV_HEADER_BYTES = 44


class NoSpeech(KioskError):
    """The recording holds no speech: nothing to measure, nothing invented."""


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


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
    unanalysed: tuple[int, ...] = ()
    """Answers fully recorded whose kiosk stopped before analysing them (now ``recovered``)."""
    skipped: tuple[str, ...] = ()
    """One line per entry of the recordings folder left alone (a link, an unreadable
    file), naming it and saying what to do."""

    @property
    def saved(self) -> tuple[int, ...]:
        return self.recovered + self.adopted

    @property
    def pending(self) -> tuple[int, ...]:
        """Answers this pass made ready for analysis."""
        return self.recovered + self.adopted + self.unanalysed

    @property
    def message(self) -> str | None:
        """E.g. "1 answer recovered from an interrupted session"; None when nothing happened."""
        parts = []
        if self.saved:
            parts.append(
                f"{_plural(len(self.saved), 'answer')} recovered from an interrupted session"
            )
        if self.unanalysed:
            parts.append(f"{_plural(len(self.unanalysed), 'answer')} recorded but not yet analysed")
        if self.failed:
            parts.append(f"{_plural(len(self.failed), 'interrupted answer')} had no audio to keep")
        return "; ".join(parts) or None


def _sample_rate(path: Path) -> int:
    import soundfile  # decoding library loads only when something needs recovering

    return int(soundfile.info(str(path)).samplerate)


def _repair(path: Path) -> tuple[int, int]:
    """Fix a cut-off WAV in place; (samples kept, sample rate)."""
    from kiosk.audio.wav import repair_wav

    samples = repair_wav(path)
    return samples, _sample_rate(path)


def _recover_attempt(store: Store, attempt: Attempt, note: str) -> str | None:
    """Repair one interrupted attempt; the reason it could not be, or None."""
    audio = store.audio_file(attempt)
    if audio is not None and audio.is_symlink():
        reason = f"interrupted; its recording {audio} is a link, left alone"
    elif audio is None or not audio.is_file():
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
                store.mark_recovered(attempt.id, samples, rate, note)
                return None
            reason = "interrupted before any audio was recorded"
    store.mark_failed(attempt.id, reason)
    return reason


def _link_warning(store: Store, path: Path) -> str:
    """Why a link in the recordings folder is left alone, and what to do."""
    shown = path.relative_to(store.root)
    target = os.readlink(path)
    if not path.exists():
        return f"skipped {shown}: a link to {target}, which does not exist; remove the link"
    try:
        path.resolve().relative_to(store.root.resolve())
    except ValueError:
        return (
            f"skipped {shown}: a link to {target}, outside the data folder; copy the "
            f"recording itself into {store.root / 'recordings'} to keep it in the history"
        )
    return f"skipped {shown}: a link to {target}; only real files are adopted"


def _scan(store: Store) -> tuple[list[Path], list[str]]:
    """Recordings with audio that no attempt refers to, and a line per entry skipped.

    Links are never followed: a recording is repaired in place, and a file outside the
    data folder is not the kiosk's to change. Every real recording is made user-only."""
    known = store.audio_paths()
    found: list[Path] = []
    skipped: list[str] = []
    folders = [store.recordings_dir()]
    while folders:
        folder = folders.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            skipped.append(
                f"skipped {folder}: cannot be read ({exc.strerror}); check its permissions"
            )
            continue
        for entry in entries:
            path = Path(entry.path)
            try:
                if entry.is_symlink():
                    if entry.name.lower().endswith(".wav") or path.is_dir():
                        skipped.append(_link_warning(store, path))
                    continue
                if entry.is_dir(follow_symlinks=False):
                    folders.append(path)
                    continue
                if not entry.name.lower().endswith(".wav") or not entry.is_file():
                    continue
                private_file(path)
                size = entry.stat(follow_symlinks=False).st_size
            except OSError as exc:
                skipped.append(f"skipped {path}: {exc.strerror or exc}; check its permissions")
                continue
            plain = str(path.relative_to(store.root))
            if plain in known or store._relative(path) in known:
                continue
            if size > _WAV_HEADER_BYTES:
                found.append(path)
    return sorted(found), skipped


def _adopt(store: Store, path: Path) -> int | None:
    recorded_at = datetime.fromtimestamp(path.stat().st_mtime, UTC)  # before repair touches it
    try:
        samples, rate = _repair(path)
    except (KioskError, RuntimeError):
        return None  # not a recording we can read: leave the file as it is
    if samples <= 0:
        return None
    note = f"found without history: {path.name}"
    return store.adopt_recording(path, samples, rate, note, recorded_at)


_PROBLEMS = (KioskError, OSError, sqlite3.Error)
"""What one entry may run into (a full disk, a file that vanished): the pass goes on."""


def recover(store: Store) -> RecoverySummary:
    """Repair interrupted recordings and adopt orphan ones; safe to run at every start.

    One entry that cannot be handled never stops the others: it is named in ``skipped``."""
    recovered: list[int] = []
    unanalysed: list[int] = []
    busy: list[int] = []
    failed: list[tuple[int, str]] = []
    skipped: list[str] = []
    steps: tuple[tuple[Status, list[int], str], ...] = (
        ("recording", recovered, "recovered after a crash"),
        ("recorded", unanalysed, "recorded; the kiosk stopped before analysing it"),
    )
    for status, into, note in steps:
        for attempt in store.list(limit=None, status=status):
            if process_alive(attempt.pid, attempt.proc_start):
                if status == "recording":
                    busy.append(attempt.id)
                continue  # another kiosk is recording or analysing it right now
            try:
                reason = _recover_attempt(store, attempt, note)
            except _PROBLEMS as exc:
                skipped.append(f"answer {attempt.id}: could not be recovered now: {exc}")
                continue
            if reason is None:
                into.append(attempt.id)
            else:
                failed.append((attempt.id, reason))
    adopted: list[int] = []
    orphans, odd = _scan(store)
    skipped.extend(odd)
    for path in orphans:
        try:
            new = _adopt(store, path)
        except _PROBLEMS as exc:
            skipped.append(f"skipped {path}: {exc}")
            continue
        if new is not None:
            adopted.append(new)
    return RecoverySummary(
        tuple(recovered),
        tuple(adopted),
        tuple(busy),
        tuple(failed),
        tuple(unanalysed),
        tuple(skipped),
    )


def pending_analysis(store: Store) -> list[Attempt]:
    """Recovered answers waiting to be analysed, oldest first."""
    return store.list(limit=None, status="recovered")[::-1]


def analyse_attempt(
    store: Store, attempt_id: int, transcriber: Transcriber, model: str | None = None
) -> Report:
    """Analyse a stored recording through the one pipeline
    (:func:`kiosk.pipeline.analyze_recording`, as the booth does) and keep the report with
    the attempt. A recording with no speech is marked failed, as in the booth, and raises
    :class:`NoSpeech`."""
    from kiosk.pipeline import NO_SPEECH_NOTE, analyze_recording

    attempt = store.get(attempt_id)
    audio = store.audio_file(attempt)
    if audio is None:
        raise KioskError(f"attempt {attempt_id} has no recording to analyse")
    analysis = analyze_recording(
        audio,
        transcriber=lambda: transcriber,
        language=language_of(attempt.language or "auto"),
        target=attempt.target,
        model=model,
        question_id=attempt.question_id,
        question_text=attempt.question_text,
    )
    if analysis.no_speech:
        store.mark_failed(attempt_id, NO_SPEECH_NOTE)
        raise NoSpeech(f"{NO_SPEECH_NOTE} in its recording: nothing to measure")
    store.save_report(attempt_id, analysis.report)
    return analysis.report
