"""What the booth needs from the outside world, injected so tests can use doubles.

Every piece of hardware and every model sits behind a protocol of ``kiosk.core.ports``,
and the booth's screens reach them only through :class:`Services`: the microphone
(``recorder_factory``), the question voice (``speaker``), the speaker for playback and cue
tones (``player``), the speech model (``models``), live transcription over it
(``streams``) and the one analysis pipeline (``analyze``). Real implementations are wired
in by ``kiosk.commands.tui``, doubles by the tests (``kiosk.audio.fakes``, ``kiosk.speech.fakes``).

``make_app`` receives factories rather than ready objects for the microphone and the
model: opening one or loading the other is slow or may fail, and must happen when (and
where) the UI chooses — the model once, in a background thread, while the first question
is read aloud. Both read the settings as they are at that moment (:class:`LiveSettings`),
which the settings screen may have changed since the booth opened.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from kiosk.config import Settings
from kiosk.core.content import QuestionLike
from kiosk.core.ports import (
    Audio,
    Language,
    LiveTranscription,
    Player,
    ProgressCallback,
    Recorder,
    Speaker,
    StreamOpener,
    Transcriber,
)
from kiosk.core.target import Target
from kiosk.pipeline import Analysis, StatusCallback

RecorderFactory = Callable[[Settings], Recorder]
TranscriberFactory = Callable[[Settings], Transcriber]


class Analyze(Protocol):
    """The analysis pipeline, shaped like :func:`kiosk.pipeline.analyze_recording`."""

    def __call__(
        self,
        recording: Path | Audio,
        *,
        transcriber: Callable[[], Transcriber],
        language: Language = "auto",
        target: Target | None = None,
        stream: LiveTranscription | None = None,
        on_progress: ProgressCallback | None = None,
        on_status: StatusCallback | None = None,
        source: str | None = None,
        model: str | None = None,
        question_id: str | None = None,
        question_text: str | None = None,
        question: QuestionLike | None = None,
        notes: Sequence[str] = (),
    ) -> Analysis: ...


class LiveSettings:
    """The booth's current settings, shared by the app and the services that read them
    when they start something (loading the model, starting the voice)."""

    def __init__(self, settings: Settings) -> None:
        self.value = settings


class ModelHolder:
    """Loads the transcriber at most once; callers on any thread wait for the one load.

    A failed load is not remembered: after the user fixes the model directory in settings,
    the next attempt tries again.
    """

    def __init__(self, factory: TranscriberFactory, settings: LiveSettings) -> None:
        self._factory = factory
        self._settings = settings
        self._lock = threading.Lock()
        self._transcriber: Transcriber | None = None

    @property
    def loaded(self) -> bool:
        return self._transcriber is not None

    def get(self) -> Transcriber:
        """The transcriber, loading it now if needed (raises ModelError if it cannot)."""
        with self._lock:
            if self._transcriber is None:
                self._transcriber = self._factory(self._settings.value)
            return self._transcriber

    def forget(self) -> None:
        """Drop the loaded model, e.g. after the model directory changed."""
        with self._lock:
            self._transcriber = None


@dataclass(frozen=True)
class Services:
    """The booth's outside world."""

    recorder_factory: RecorderFactory
    speaker: Speaker
    models: ModelHolder
    analyze: Analyze
    clock: Callable[[], float]
    """Monotonic seconds, for the answer timer."""
    wall_clock: Callable[[], datetime]
    """Local date and time, for naming recordings."""
    player: Player
    """Plays recordings back (history review) and the drill's cue tones."""
    streams: StreamOpener
    """Transcribes an answer while it is spoken, over the loaded model."""
    room: Callable[[Path], float]
    """Seconds of recording that fit in a folder (free disk space), checked before each
    answer."""
