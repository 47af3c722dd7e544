"""Messages the booth's screens exchange with their background work.

Recorder and transcriber callbacks run on other threads; they never touch widgets. They
post one of these (``post_message`` is thread-safe) and the screen reacts on the UI thread.
Frequent ones define ``can_replace`` so a burst collapses to the latest value instead of
flooding the queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message

from kiosk.core.chunking import Caption
from kiosk.core.flow import Outcome, Step
from kiosk.core.ports import LiveTranscription, Progress, RecordingResult
from kiosk.core.report import Report

if TYPE_CHECKING:
    from textual.screen import Screen

    from kiosk.ui.practice import Asked, Practice


@dataclass(frozen=True)
class Result:
    """What a step of an answer ended with, handed to the app to route (``KioskApp.advance``).

    ``step`` and ``outcome`` say what happened; the rest is what the next screen needs:
    the recording and its history row (recording → processing → report), the live
    transcription to finish, notes for the report, the report itself, and ``ask`` — the
    question the user chose to answer next (a follow-up).
    """

    step: Step
    outcome: Outcome
    practice: Practice
    asked: Asked
    recording: RecordingResult | None = None
    attempt: int | None = None
    stream: LiveTranscription | None = None
    notes: tuple[str, ...] = ()
    report: Report | None = None
    ask: Asked | None = None


class Advance(Message):
    """A screen is done: ``result`` says how; the app shows the next screen."""

    def __init__(self, origin: Screen[Any], result: Result) -> None:
        super().__init__()
        self.origin = origin
        self.result = result


class RecordingStarted(Message):
    """The input stream is open and audio is being written to ``path``."""

    def __init__(self, path: object) -> None:
        super().__init__()
        self.path = path


class RecordingFailed(Message):
    """The recorder could not start (no device, device busy): ``error`` says why."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error


class DeviceLost(Message):
    """The input device failed mid-answer; what was recorded so far is kept."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error


class RecordingStopped(Message):
    """The recorder closed the file; ``result`` says what was kept."""

    def __init__(self, result: RecordingResult, reason: str) -> None:
        super().__init__()
        self.result = result
        self.reason = reason


class TranscriptionProgress(Message):
    """How far transcription has got. Only the latest one matters."""

    def __init__(self, progress: Progress) -> None:
        super().__init__()
        self.progress = progress

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, TranscriptionProgress)


class SpeakingDone(Message):
    """The question has been read aloud (or reading was stopped)."""


class VoiceUnavailable(Message):
    """No text-to-speech engine could speak; ``reason`` says why (may be empty)."""

    def __init__(self, reason: str = "") -> None:
        super().__init__()
        self.reason = reason


class HistoryProblem(Message):
    """The answer history could not be written (practice goes on)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class ModelReady(Message):
    """The speech model finished loading in the background."""


class AnalysisStatus(Message):
    """A step of processing began (decoding, loading the model, transcribing)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class AnalysisDone(Message):
    """The answer was transcribed and measured; ``report`` is a ``kiosk.core.report.Report``."""

    def __init__(self, report: Report) -> None:
        super().__init__()
        self.report = report


class AnalysisFailed(Message):
    """Processing failed; ``error`` says why (the recording itself is kept)."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error


class NoSpeech(Message):
    """The recording holds no speech: nothing to report, nothing invented."""


class CaptionUpdate(Message):
    """Live captions while recording: finalised text and the tentative tail. Latest wins."""

    def __init__(self, caption: Caption) -> None:
        super().__init__()
        self.caption = caption

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, CaptionUpdate)
