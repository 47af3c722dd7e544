"""The small interfaces behind which hardware and models live.

Real implementations sit in ``audio/`` (Recorder, Speaker) and ``models/`` (Transcriber);
test doubles sit beside them in ``audio/fakes.py`` and ``models/fakes.py``. The core and
the UI only ever see these protocols.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

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
