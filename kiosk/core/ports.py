"""The small interfaces behind which hardware and models live.

Real implementations sit in ``kiosk/audio/`` (Recorder, Speaker, Player) and
``kiosk/speech/`` (Transcriber; ``kiosk/speech/live.py`` opens the live stream over it); test
doubles sit beside them in ``kiosk/audio/fakes.py`` and ``kiosk/speech/fakes.py``. The core
sees only these protocols, and so does the booth: it reaches the microphone, the voice, the
speaker and the speech model through ``kiosk.ui.services.Services``, wired by
``kiosk.commands.tui`` or by the tests. (It still reads files and free space with
``kiosk.audio.files`` and ``kiosk.audio.wav``, and measures the input level with
``kiosk.audio.level``: no device or model is involved.)
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

from kiosk.core.chunking import Caption
from kiosk.core.transcript import Transcript

Language = Literal["zh", "en", "auto"]
Audio = npt.NDArray[np.float32]
"""Mono float32 samples in [-1, 1] at :data:`SAMPLE_RATE`."""

SAMPLE_RATE = 16_000


class Cancelled(Exception):
    """Raised by long operations when their cancel event is set."""


@dataclass(frozen=True, slots=True)
class Progress:
    """How far a long operation has got: ``done`` of ``total`` seconds of audio."""

    done: float
    total: float

    @property
    def fraction(self) -> float:
        return 0.0 if self.total <= 0 else min(1.0, self.done / self.total)


ProgressCallback = Callable[[Progress], None]


class Transcriber(Protocol):
    """Turns 16 kHz mono float32 audio into a :class:`Transcript`."""

    def transcribe(
        self,
        audio: Audio,
        language: Language = "auto",
        on_progress: ProgressCallback | None = None,
    ) -> Transcript: ...


@dataclass(frozen=True, slots=True)
class RecordingResult:
    """What a finished recording left on disk."""

    path: Path
    samples: int
    sample_rate: int
    overflows: int = 0

    @property
    def duration(self) -> float:
        return self.samples / self.sample_rate if self.sample_rate else 0.0


class Speaker(Protocol):
    """Reads a question aloud. ``speak`` blocks until done or ``stop`` is called."""

    def available(self) -> bool: ...

    def speak(self, text: str, language: Language) -> None: ...

    def stop(self) -> None: ...


AudioCallback = Callable[[Audio], None]
ErrorCallback = Callable[[Exception], None]


class Recorder(Protocol):
    """Records from an input device into a WAV file written as the audio arrives.

    ``start`` returns once the stream is open (raising a clear error if it cannot be);
    ``on_audio`` receives each block of float32 samples (for level meters and streaming
    transcription) on the audio thread, so it must be quick; ``on_error`` is called if the
    device fails mid-recording. ``stop`` closes the stream, fixes the WAV header and says
    what was kept, counted in samples.
    """

    def start(
        self,
        path: Path,
        on_audio: AudioCallback | None = None,
        on_error: ErrorCallback | None = None,
    ) -> None: ...

    def stop(self) -> RecordingResult: ...


class Player(Protocol):
    """Plays 16 kHz mono samples on an output device (None: the default one).

    ``play`` blocks until the last sample is out (True) or ``stop`` is set (False); a
    missing or failing device raises :class:`~kiosk.core.errors.DeviceError`.
    """

    def play(
        self, samples: Audio, device: str | int | None, stop: threading.Event | None = None
    ) -> bool: ...


class StreamClock(Protocol):
    """How far a live transcription has got, in seconds of the answer."""

    @property
    def start(self) -> float:
        """Where the audio not yet finalised begins."""
        ...

    @property
    def end(self) -> float:
        """How much audio was heard."""
        ...

    @property
    def load(self) -> float:
        """Seconds spent decoding per second of audio heard."""
        ...


class LiveTranscription(Protocol):
    """An answer transcribed while it is spoken.

    ``feed`` is the recorder's ``on_audio`` (cheap: it only queues); ``stop`` finalises
    and returns the whole transcript (raising if the stream failed: the recording is on
    disk for a batch pass); ``cancel`` drops it without finalising.
    """

    @property
    def processor(self) -> StreamClock: ...

    def feed(self, block: Audio) -> None: ...

    def stop(self) -> Transcript: ...

    def cancel(self) -> None: ...


CaptionCallback = Callable[[Caption], None]
StreamOpener = Callable[[Transcriber, Language, CaptionCallback], "LiveTranscription | None"]
"""Starts a live transcription over a loaded model, or None when the model cannot stream."""


def language_of(code: str) -> Language:
    """A language code as the transcriber takes it: zh, en, or auto for anything else."""
    return "zh" if code == "zh" else "en" if code == "en" else "auto"
