"""Made-up audio for tests that need sound but not speech."""

from __future__ import annotations

import numpy as np

from kiosk.core.ports import SAMPLE_RATE, Audio


def tone(seconds: float, amplitude: float = 0.3, hz: float = 220.0) -> Audio:
    """A sine tone at 16 kHz: loud enough to count as sound, not silence."""
    t = np.arange(int(seconds * SAMPLE_RATE), dtype=np.float32) / SAMPLE_RATE
    return (amplitude * np.sin(2 * np.pi * hz * t)).astype(np.float32)
