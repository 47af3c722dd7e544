"""Clips to play back: part of a stored answer (a word, a segment, or from a point to the
end), and the drill's cue tone.

Word times are seconds on the recording's own timeline (``kiosk.core.transcript``), so a
clip is a slice of the decoded WAV. The booth's player service plays it
(``Services.player``, a :class:`~kiosk.core.ports.Player`); playback blocks until done, so
the review screen runs it in a thread worker and stops it through a ``threading.Event``; a
missing or broken output device comes back as a ``DeviceError`` for the screen to show,
never a crash.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from kiosk.core.ports import SAMPLE_RATE, Audio

LEAD_IN_S = 0.05
"""Start a little before the word: its first sound often begins before its timestamp."""


def load_clip(path: Path, start: float, end: float | None = None) -> Audio:
    """Samples of ``path`` (16 kHz mono) from ``start`` to ``end`` seconds (to the end if None)."""
    from kiosk.audio.files import load_audio

    audio = load_audio(path)
    first = max(0, int((start - LEAD_IN_S) * SAMPLE_RATE))
    last = audio.size if end is None else min(audio.size, int(end * SAMPLE_RATE))
    return np.ascontiguousarray(audio[first:last], dtype=np.float32)


def cue_tone(frequency: float = 880.0, seconds: float = 0.18, volume: float = 0.25) -> Audio:
    """A short sine beep with 10 ms fades (no click), for the drill's time cues."""
    n = int(seconds * SAMPLE_RATE)
    t = np.arange(n, dtype=np.float32) / SAMPLE_RATE
    tone = volume * np.sin(2 * np.pi * frequency * t)
    fade = min(n // 2, int(0.01 * SAMPLE_RATE))
    ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)
    tone[:fade] *= ramp
    tone[n - fade :] *= ramp[::-1]
    return tone.astype(np.float32)
