"""Loudness of audio blocks, for the level bar and optional stop-on-silence.

Pure numpy, no sound library: the recorder calls these on each block it receives, the UI
shows the smoothed level, and the tests drive them with synthetic blocks. Time is counted
in samples, never by the wall clock, so a fast virtual microphone behaves like a real one.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from kiosk.core.ports import SAMPLE_RATE

FLOOR_DBFS = -120.0


def _as_float(block: npt.ArrayLike) -> npt.NDArray[np.float32]:
    arr = np.asarray(block)
    if arr.dtype == np.int16:
        return arr.astype(np.float32) / 32768.0
    return np.asarray(arr, dtype=np.float32)


def rms_dbfs(block: npt.ArrayLike) -> float:
    """Root-mean-square level in dB relative to full scale; silence is :data:`FLOOR_DBFS`."""
    x = _as_float(block)
    if x.size == 0:
        return FLOOR_DBFS
    rms = math.sqrt(float(np.mean(np.square(x, dtype=np.float64))))
    return max(FLOOR_DBFS, 20.0 * math.log10(rms)) if rms > 0 else FLOOR_DBFS


def peak(block: npt.ArrayLike) -> float:
    """Largest absolute sample, 0..1 (full scale)."""
    x = _as_float(block)
    return float(np.max(np.abs(x))) if x.size else 0.0


class LevelMeter:
    """A level bar value in 0..1 that rises fast and falls slowly, like a VU meter.

    ``floor_dbfs`` maps to 0 and 0 dBFS to 1; ``attack`` and ``release`` are the fraction
    of the gap closed per update when the level rises or falls.
    """

    def __init__(self, floor_dbfs: float = -60.0, attack: float = 0.6, release: float = 0.15):
        self.floor_dbfs = floor_dbfs
        self.attack = attack
        self.release = release
        self.level = 0.0

    def update(self, block: npt.ArrayLike) -> float:
        target = min(1.0, max(0.0, 1.0 - rms_dbfs(block) / self.floor_dbfs))
        rate = self.attack if target > self.level else self.release
        self.level += (target - self.level) * rate
        return self.level


class SilenceDetector:
    """Says when ``seconds`` of silence have followed speech (for auto-stop).

    A block counts as speech when its RMS level is at or above ``threshold_dbfs``. Nothing
    triggers before ``min_speech_s`` of speech has been heard, so a user who pauses to think
    before answering is never cut off.
    """

    def __init__(
        self,
        threshold_dbfs: float = -40.0,
        seconds: float = 2.0,
        sample_rate: int = SAMPLE_RATE,
        min_speech_s: float = 0.3,
    ) -> None:
        self.threshold_dbfs = threshold_dbfs
        self._silence_needed = int(seconds * sample_rate)
        self._speech_needed = max(1, int(min_speech_s * sample_rate))
        self.speech_samples = 0
        self.silent_samples = 0

    @property
    def speech_started(self) -> bool:
        return self.speech_samples >= self._speech_needed

    @property
    def triggered(self) -> bool:
        return self.speech_started and self.silent_samples >= self._silence_needed

    def feed(self, block: npt.ArrayLike) -> bool:
        """Account for one block; True once enough silence has followed speech."""
        n = int(np.asarray(block).shape[0]) if np.ndim(block) else 0
        if rms_dbfs(block) >= self.threshold_dbfs:
            self.speech_samples += n
            self.silent_samples = 0
        elif self.speech_started:
            self.silent_samples += n
        return self.triggered
