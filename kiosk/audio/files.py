"""Read recordings from disk as 16 kHz mono float32, whatever format the user hands us.

Users bring answers recorded elsewhere (phone memos in m4a, mp3 exports, WAV from the
kiosk itself). The transcriber and the metrics want one shape only, so every file goes
through :func:`load_audio`: libsndfile (``soundfile``) for WAV/FLAC/OGG because it is fast
and exact, PyAV's bundled FFmpeg for everything else (and as a fallback). Resampling and
down-mixing use FFmpeg's resampler via PyAV rather than hand-rolled filters.

Files are decoded a block at a time into one preallocated array: a recording costs its
16 kHz float32 samples (3.8 MB a minute) and a block, never a second copy of the whole
file (a stereo or 44.1 kHz file is down-mixed and resampled block by block, with the same
samples as a one-shot pass).

Every failure is a :class:`~kiosk.core.errors.BadInput` naming the file and what to do.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import av
import numpy as np
import soundfile as sf

from kiosk.core.errors import BadInput
from kiosk.core.ports import SAMPLE_RATE, Audio

_SOUNDFILE_SUFFIXES = frozenset({".wav", ".flac", ".ogg", ".oga"})
_SUPPORTED = "wav, flac, mp3, m4a, ogg"
BLOCK_FRAMES = 1 << 16
"""Frames read from a file at a time (about 4 s at 16 kHz)."""


class _Samples:
    """Blocks of float32 samples gathered into one array, allocated once for the expected
    length and grown only if the file holds more than it said."""

    def __init__(self, expected: int) -> None:
        self._data = np.empty(max(0, expected), dtype=np.float32)
        self.size = 0

    def add(self, block: Audio) -> None:
        end = self.size + block.size
        if end > self._data.size:
            grown = np.empty(max(end, self._data.size + self._data.size // 4), np.float32)
            grown[: self.size] = self._data[: self.size]
            self._data = grown
        self._data[self.size : end] = block
        self.size = end

    def result(self) -> Audio:
        """The samples; the unused room is let go unless it is small (no second copy)."""
        spare = self._data.size - self.size
        if spare <= max(SAMPLE_RATE, self._data.size // 64):
            return self._data[: self.size]
        return self._data[: self.size].copy()


def load_audio(path: Path) -> Audio:
    """Decode ``path`` to mono float32 samples at :data:`SAMPLE_RATE`.

    Raises :class:`BadInput` if the file is missing, a directory, not decodable audio, or
    holds no samples.
    """
    path = Path(path).expanduser()
    if not path.exists():
        raise BadInput(f"{path}: no such file (check the path)")
    if path.is_dir():
        raise BadInput(f"{path}: is a directory, not an audio file ({_SUPPORTED})")
    samples: Audio | None = None
    if path.suffix.lower() in _SOUNDFILE_SUFFIXES:
        samples = _read_soundfile(path)
    if samples is None or samples.size == 0:
        # A WAV left by a crash can carry a stale zero-length header; FFmpeg reads on to
        # the end of the file, so what was recorded is not lost.
        try:
            samples = _read_pyav(path)
        except BadInput:
            if samples is None:
                raise
    if samples.size == 0:
        raise BadInput(f"{path}: the recording is empty (no audio samples)")
    return samples


def _read_soundfile(path: Path) -> Audio | None:
    """Read with libsndfile, a block at a time; ``None`` if it cannot (PyAV gets a try)."""
    try:
        with sf.SoundFile(str(path)) as f:
            rate = int(f.samplerate)
            expected = f.frames if rate == SAMPLE_RATE else _expected(f.frames, rate)
            out = _Samples(expected)
            for block in _resampled(_mono_blocks(f), rate):
                out.add(block)
    except (sf.LibsndfileError, RuntimeError, OSError):
        return None
    return out.result()


def _mono_blocks(f: sf.SoundFile) -> Iterator[Audio]:
    """The file's frames as mono float32, :data:`BLOCK_FRAMES` at a time."""
    while True:
        data = f.read(BLOCK_FRAMES, dtype="float32", always_2d=True)
        if len(data) == 0:
            return
        yield np.ascontiguousarray(data.mean(axis=1, dtype=np.float32))


def _expected(frames: int, rate: int) -> int:
    """Samples at :data:`SAMPLE_RATE` from ``frames`` at ``rate``, with a little room."""
    return frames * SAMPLE_RATE // max(1, rate) + 64


def _read_pyav(path: Path) -> Audio:
    """Decode any FFmpeg-readable file straight to 16 kHz mono float32."""
    resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise BadInput(f"{path}: has no audio track ({_SUPPORTED} expected)")
            out = _Samples(_expected_pyav(container))
            _decode_into(container, resampler, out)
    except BadInput:
        raise
    except (av.FFmpegError, OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or type(exc).__name__
        raise BadInput(f"{path}: not a readable audio file ({reason}; use {_SUPPORTED})") from None
    return out.result()


def _expected_pyav(container: Any) -> int:
    """Samples the container says its audio holds at :data:`SAMPLE_RATE` (0: unknown)."""
    stream = container.streams.audio[0]
    if stream.duration is not None and stream.time_base is not None:
        seconds = float(stream.duration * stream.time_base)
    elif container.duration is not None:
        seconds = container.duration / av.time_base
    else:
        return 0
    return max(0, int(seconds * SAMPLE_RATE)) + SAMPLE_RATE // 10


def _decode_into(container: Any, resampler: av.AudioResampler, out: _Samples) -> None:
    """Add resampled audio to ``out``; a damaged tail ends decoding, keeping the rest."""
    try:
        for frame in container.decode(audio=0):
            frame.pts = None
            for block in _frames_to_arrays(resampler.resample(frame)):
                out.add(block)
    except av.FFmpegError:
        if not out.size:
            raise
    for block in _frames_to_arrays(resampler.resample(None)):
        out.add(block)


def _frames_to_arrays(frames: list[av.AudioFrame]) -> list[Audio]:
    return [f.to_ndarray().reshape(-1).astype(np.float32, copy=False) for f in frames]


def _resampled(blocks: Iterator[Audio], rate: int) -> Iterator[Audio]:
    """Mono float32 ``blocks`` at ``rate`` as blocks at :data:`SAMPLE_RATE` (FFmpeg swr,
    fed block by block: the same samples as :func:`resample` on the whole)."""
    if rate == SAMPLE_RATE:
        yield from blocks
        return
    resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
    for block in blocks:
        frame = av.AudioFrame.from_ndarray(block.reshape(1, -1), format="flt", layout="mono")
        frame.sample_rate = rate
        yield from _frames_to_arrays(resampler.resample(frame))
    yield from _frames_to_arrays(resampler.resample(None))


def resample(samples: Audio, rate: int) -> Audio:
    """Resample mono float32 ``samples`` from ``rate`` to :data:`SAMPLE_RATE` (FFmpeg swr)."""
    if rate == SAMPLE_RATE or samples.size == 0:
        return samples.astype(np.float32, copy=False)
    frame = av.AudioFrame.from_ndarray(
        np.ascontiguousarray(samples, dtype=np.float32).reshape(1, -1), format="flt", layout="mono"
    )
    frame.sample_rate = rate
    resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
    out = _frames_to_arrays(resampler.resample(frame)) + _frames_to_arrays(resampler.resample(None))
    return np.ascontiguousarray(np.concatenate(out), dtype=np.float32)


def write_wav(path: Path, audio: Audio, sr: int = SAMPLE_RATE) -> Path:
    """Write mono float32 ``audio`` as 16-bit PCM WAV (for tests, tools and exports)."""
    path = Path(path)
    sf.write(str(path), np.clip(audio, -1.0, 1.0), sr, subtype="PCM_16")
    return path
