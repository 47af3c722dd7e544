"""State shared between the recorder's audio thread and the recording screen.

The audio callback must be quick and must not touch widgets, so it only folds each block
into a few numbers here (using ``kiosk.audio.level``'s meter and silence detector); the screen
polls them a dozen times a second. Plain attribute assignments are atomic in CPython and a
reader seeing a value one block old is harmless, so no lock is needed on the hot path.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.audio.level import LevelMeter, SilenceDetector
from kiosk.core.ports import SAMPLE_RATE, Audio


class LiveInput:
    """Latest meter level (0..1), audio received, and whether silence followed speech."""

    def __init__(self, silence_s: float = 0.0) -> None:
        self.meter = LevelMeter()
        self.silence = SilenceDetector(seconds=silence_s) if silence_s > 0 else None
        self.level = 0.0
        self.samples = 0
        self.silence_reached = False

    def feed(self, block: Audio) -> None:
        """Called on the audio thread for every block."""
        self.samples += int(block.shape[0])
        if self.silence is not None and self.silence.feed(block):
            self.silence_reached = True
        self.level = self.meter.update(block)

    @property
    def audio_seconds(self) -> float:
        return self.samples / SAMPLE_RATE


@dataclass(frozen=True, slots=True)
class StopRule:
    """When recording ends by itself: at the hard cap, or after silence if asked for."""

    cap_s: float

    def reason(self, elapsed: float, live: LiveInput) -> str | None:
        """``"cap"``, ``"silence"`` or ``None`` to keep recording."""
        if elapsed >= self.cap_s:
            return "cap"
        if live.silence_reached:
            return "silence"
        return None
