"""Join audio from two voices into one question: same rate, same level, natural gaps.

A Mandarin question with English terms is spoken segment by segment (see
:func:`kiosk.audio.voices.terms.split_languages`): the Mandarin voice at 24 kHz, espeak-ng at
22.05 kHz, at different loudness and each with its own silence at the edges. To sound like
one speaker reading one sentence, every segment is trimmed of that edge silence, brought to
the rate of the Mandarin voice (FFmpeg's resampler, through PyAV) and to the loudness of
the Mandarin speech, and the segments are joined with the pause each one asks for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from kiosk.audio.voices.terms import Segment

Wave = npt.NDArray[np.float32]
Voice = Callable[[str], tuple[Wave, int]]

FRAME_S = 0.02
EDGE_DB = -40.0
"""Frames this far below the segment's loudest frame count as silence at its edges."""
KEEP_S = 0.015
"""Kept around the speech when trimming, so onsets and releases are not clipped."""
MAX_GAIN = 4.0
FADE_S = 0.005
"""Each joined piece fades in and out over this long, so no cut makes a click."""


def _frame_rms(samples: Wave, rate: int) -> npt.NDArray[np.float64]:
    size = max(1, int(rate * FRAME_S))
    count = samples.size // size
    if count == 0:
        return np.array([float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))])
    frames = samples[: count * size].astype(np.float64).reshape(count, size)
    rms: npt.NDArray[np.float64] = np.sqrt(np.mean(frames * frames, axis=1))
    return rms


def trim_silence(samples: Wave, rate: int) -> Wave:
    """``samples`` without the quiet stretches at both ends (all of it if it is all quiet)."""
    if samples.size == 0:
        return samples
    rms = _frame_rms(samples, rate)
    peak = float(rms.max())
    if peak <= 0.0:
        return samples[:0]
    loud = np.flatnonzero(rms >= peak * 10 ** (EDGE_DB / 20))
    size = max(1, int(rate * FRAME_S))
    keep = int(rate * KEEP_S)
    start = max(0, int(loud[0]) * size - keep)
    end = min(samples.size, (int(loud[-1]) + 1) * size + keep)
    return samples[start:end]


def fade(samples: Wave, rate: int) -> Wave:
    """A copy of ``samples`` with :data:`FADE_S` linear ramps at both ends."""
    n = min(int(rate * FADE_S), samples.size // 2)
    out = np.array(samples, dtype=np.float32)
    if n > 0:
        ramp = np.linspace(0.0, 1.0, n, endpoint=False, dtype=np.float32)
        out[:n] *= ramp
        out[-n:] *= ramp[::-1]
    return out


def speech_level(samples: Wave, rate: int) -> float:
    """RMS over the frames that hold speech (within 30 dB of the loudest): pauses don't count."""
    if samples.size == 0:
        return 0.0
    rms = _frame_rms(samples, rate)
    voiced = rms[rms >= rms.max() * 10 ** (-30 / 20)]
    return float(np.sqrt(np.mean(voiced * voiced))) if voiced.size else 0.0


def resample(samples: Wave, rate: int, new_rate: int) -> Wave:
    """Mono float32 from ``rate`` to ``new_rate`` with FFmpeg's resampler (PyAV)."""
    if rate == new_rate or samples.size == 0:
        return np.asarray(samples, dtype=np.float32)
    import av

    frame = av.AudioFrame.from_ndarray(
        np.ascontiguousarray(samples, dtype=np.float32).reshape(1, -1), format="flt", layout="mono"
    )
    frame.sample_rate = rate
    resampler = av.AudioResampler(format="flt", layout="mono", rate=new_rate)
    frames = [*resampler.resample(frame), *resampler.resample(None)]
    out = [f.to_ndarray().reshape(-1) for f in frames]
    return np.ascontiguousarray(np.concatenate(out) if out else samples[:0], dtype=np.float32)


def join(pieces: Sequence[tuple[Wave, int, float, bool]], rate: int) -> Wave:
    """Join ``(samples, their rate, pause after, is the reference voice)`` at ``rate``.

    Each piece is trimmed, resampled and faded in and out; pieces not of the reference
    voice are scaled to the reference voice's speech level (gain at most ×4 either way).
    The last pause is dropped. The result is clipped to [-1, 1].
    """
    trimmed = [
        (fade(resample(trim_silence(s, r), r, rate), rate), p, ref) for s, r, p, ref in pieces
    ]
    reference = [s for s, _, ref in trimmed if ref and s.size]
    target = speech_level(np.concatenate(reference), rate) if reference else 0.0
    out: list[Wave] = []
    gap = 0.0
    for samples, pause_s, ref in trimmed:
        if samples.size == 0:
            continue
        if not ref and target > 0.0:
            level = speech_level(samples, rate)
            if level > 0.0:
                gain = min(MAX_GAIN, max(1 / MAX_GAIN, target / level))
                samples = (samples * gain).astype(np.float32)
        if out:
            out.append(np.zeros(round(gap * rate), np.float32))
        out.append(samples)
        gap = pause_s
    if not out:
        return np.zeros(0, np.float32)
    return np.clip(np.concatenate(out), -1.0, 1.0).astype(np.float32)


def speak_segments(
    segments: Sequence[Segment], voices: Mapping[str, Voice], reference: str = "zh"
) -> tuple[Wave, int]:
    """Each segment by its language's voice, joined at the reference voice's rate and level.

    Segments are synthesised in order; the output rate is the reference voice's (else the
    first voice's). Exceptions of a voice propagate, so the caller can fall back.
    """
    pieces: list[tuple[Wave, int, float, bool]] = []
    for segment in segments:
        samples, rate = voices[segment.language](segment.text)
        wave = np.asarray(samples, dtype=np.float32).reshape(-1)
        pieces.append((wave, int(rate), segment.pause_s, segment.language == reference))
    if not pieces:
        return np.zeros(0, np.float32), 24_000
    rates = [r for _, r, _, ref in pieces if ref] or [pieces[0][1]]
    return join(pieces, rates[0]), rates[0]
