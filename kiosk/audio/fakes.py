"""Test doubles for the recorder and the speaker, faithful where it matters.

``FakeRecorder`` plays a given array as if it were a microphone — in real time, as fast as
possible, or one block per :meth:`FakeRecorder.step` — and writes the WAV through the real
crash-safe writer, so what lands on disk is exactly what a real recording would leave. It
can fail like a device (at start, or an error after N seconds) and report overflows. ``FakeSpeaker``
remembers what it was asked to say, ``FakePlayer`` what it was asked to play.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from kiosk.audio.wav import WavWriter
from kiosk.core.errors import DeviceError
from kiosk.core.ports import (
    SAMPLE_RATE,
    Audio,
    AudioCallback,
    ErrorCallback,
    Language,
    RecordingResult,
)

Pace = Literal["realtime", "fast", "manual"]


class FakeRecorder:
    """A :class:`~kiosk.core.ports.Recorder` fed from ``audio`` (float32, 16 kHz mono).

    When the audio runs out (or ``max_seconds`` is reached, or the injected error fires),
    ``finished`` is set, as with the real recorder; the caller still calls :meth:`stop`.
    """

    def __init__(
        self,
        audio: Audio | None = None,
        pace: Pace = "fast",
        block_ms: int = 50,
        max_seconds: float | None = None,
        error_after_s: float | None = None,
        overflows: int = 0,
        sample_rate: int = SAMPLE_RATE,
        fail_with: Exception | None = None,
    ) -> None:
        self.audio = np.zeros(0, np.float32) if audio is None else np.asarray(audio, np.float32)
        self.pace = pace
        self.block = max(1, sample_rate * block_ms // 1000)
        self.sample_rate = sample_rate
        self.max_samples = None if max_seconds is None else int(max_seconds * sample_rate)
        self.error_at = None if error_after_s is None else int(error_after_s * sample_rate)
        self.overflows = overflows
        self.fail_with = fail_with
        self.finished = threading.Event()
        self.finish_reason: str | None = None
        self.started = 0
        self._writer: WavWriter | None = None
        self._pos = 0
        self._lock = threading.Lock()
        self._halt = threading.Event()
        self._thread: threading.Thread | None = None
        self._on_audio: AudioCallback | None = None
        self._on_error: ErrorCallback | None = None

    @property
    def samples(self) -> int:
        return self._writer.samples if self._writer else 0

    @property
    def elapsed(self) -> float:
        return self.samples / self.sample_rate

    def start(
        self,
        path: Path,
        on_audio: AudioCallback | None = None,
        on_error: ErrorCallback | None = None,
    ) -> None:
        if self.fail_with is not None:
            raise self.fail_with  # e.g. DeviceError("no input device: ...")
        self.started += 1
        self.finished = threading.Event()
        self.finish_reason = None
        self._halt.clear()
        self._pos = 0
        self._on_audio, self._on_error = on_audio, on_error
        self._writer = WavWriter(Path(path), self.sample_rate)
        if self.pace != "manual":
            self._thread = threading.Thread(target=self._feed, name="fake-mic", daemon=True)
            self._thread.start()

    def step(self, blocks: int = 1) -> int:
        """Deliver ``blocks`` blocks now (manual pace); returns how many were delivered."""
        return sum(1 for _ in range(blocks) if self._deliver())

    def _feed(self) -> None:
        t0 = time.monotonic()
        while not self._halt.is_set() and self._deliver():
            if self.pace == "realtime":
                ahead = self._pos / self.sample_rate - (time.monotonic() - t0)
                if ahead > 0:
                    self._halt.wait(ahead)

    def _deliver(self) -> bool:
        """Write and hand out one block; False once the recording has finished."""
        with self._lock:
            writer = self._writer
            if writer is None or writer.closed or self.finished.is_set():
                return False
            end = min(self._pos + self.block, self.audio.size)
            for limit in (self.max_samples, self.error_at):
                if limit is not None:
                    end = min(end, limit)
            block = self.audio[self._pos : end]
            self._pos = end
            if block.size:
                writer.write(block)
        if block.size and self._on_audio is not None:
            self._on_audio(block)
        return self._check_end()

    def _check_end(self) -> bool:
        if self.error_at is not None and self._pos >= self.error_at:
            self._end("error")
            if self._on_error is not None:
                self._on_error(
                    DeviceError(
                        f"input device 'fake' stopped working after {self.elapsed:.1f} s; "
                        f"what was recorded is kept in {self._writer_path()}"
                    )
                )
            return False
        if self.max_samples is not None and self._pos >= self.max_samples:
            self._end("cap")
            return False
        if self._pos >= self.audio.size:
            self._end("exhausted")
            return False
        return True

    def _writer_path(self) -> Path | None:
        return self._writer.path if self._writer else None

    def _end(self, reason: str) -> None:
        self.finish_reason = reason
        self.finished.set()

    def stop(self) -> RecordingResult:
        if self._writer is None:
            raise RuntimeError("recorder was not started")
        self._halt.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        with self._lock:
            samples = self._writer.close()
        if self.finish_reason is None:
            self._end("stopped")
        return RecordingResult(self._writer.path, samples, self.sample_rate, self.overflows)


@dataclass(frozen=True, slots=True)
class Utterance:
    text: str
    language: Language
    completed: bool


class FakeSpeaker:
    """A :class:`~kiosk.core.ports.Speaker` that records what it was asked to say.

    ``delay`` seconds pass per utterance unless :meth:`stop` cuts it short; with
    ``available=False`` it behaves like a machine without a speech engine.
    """

    def __init__(self, delay: float = 0.0, available: bool = True) -> None:
        self.delay = delay
        self._available = available
        self.spoken: list[Utterance] = []
        self.stops = 0
        self._stop = threading.Event()

    def available(self) -> bool:
        return self._available

    def speak(self, text: str, language: Language) -> None:
        if not self._available:
            raise RuntimeError("speak() called on an unavailable speaker")
        self._stop.clear()
        stopped = self._stop.wait(self.delay) if self.delay > 0 else False
        self.spoken.append(Utterance(text, language, completed=not stopped))

    def stop(self) -> None:
        self.stops += 1
        self._stop.set()

    @property
    def texts(self) -> list[str]:
        return [u.text for u in self.spoken]


class FakePlayer:
    """A :class:`~kiosk.core.ports.Player` that keeps what it was asked to play.

    With ``fail`` it raises that error like a missing device; with ``block`` it plays
    until stopped (up to ``block_s`` seconds) and sets ``stopped`` when it was.
    """

    def __init__(
        self, fail: Exception | None = None, block: bool = False, block_s: float = 5.0
    ) -> None:
        self.clips: list[Audio] = []
        self.devices: list[str | int | None] = []
        self.fail = fail
        self.block = block
        self.block_s = block_s
        self.stopped = threading.Event()

    def play(
        self, samples: Audio, device: str | int | None, stop: threading.Event | None = None
    ) -> bool:
        self.clips.append(samples)
        self.devices.append(device)
        if self.fail is not None:
            raise self.fail
        if self.block and stop is not None and stop.wait(self.block_s):
            self.stopped.set()
            return False
        return True
