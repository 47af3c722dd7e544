"""Read recordings from disk as 16 kHz mono float32, whatever format the user hands us.

Users bring answers recorded elsewhere (phone memos in m4a, mp3 exports, WAV from the
kiosk itself). The transcriber and the metrics want one shape only, so every file goes
through :func:`load_audio`: libsndfile (``soundfile``) for WAV/FLAC/OGG because it is fast
and exact, PyAV's bundled FFmpeg for everything else (and as a fallback). Resampling and
down-mixing use FFmpeg's resampler via PyAV rather than hand-rolled filters.

Every failure is a :class:`~kiosk.core.errors.BadInput` naming the file and what to do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import av
import numpy as np
import soundfile as sf

from kiosk.core.errors import BadInput
from kiosk.core.ports import SAMPLE_RATE, Audio

_SOUNDFILE_SUFFIXES = frozenset({".wav", ".flac", ".ogg", ".oga"})
_SUPPORTED = "wav, flac, mp3, m4a, ogg"


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
    """Read with libsndfile; ``None`` if it cannot (PyAV gets a try)."""
    try:
        data, rate = sf.read(str(path), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, OSError):
        return None
    mono = np.ascontiguousarray(data.mean(axis=1, dtype=np.float32))
    if rate == SAMPLE_RATE:
        return mono
    return resample(mono, int(rate))


def _read_pyav(path: Path) -> Audio:
    """Decode any FFmpeg-readable file straight to 16 kHz mono float32."""
    resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
    chunks: list[Audio] = []
    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise BadInput(f"{path}: has no audio track ({_SUPPORTED} expected)")
            _decode_into(container, resampler, chunks)
    except BadInput:
        raise
    except (av.FFmpegError, OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or type(exc).__name__
        raise BadInput(f"{path}: not a readable audio file ({reason}; use {_SUPPORTED})") from None
    if not chunks:
        return np.zeros(0, dtype=np.float32)
    return np.ascontiguousarray(np.concatenate(chunks), dtype=np.float32)


def _decode_into(container: Any, resampler: av.AudioResampler, chunks: list[Audio]) -> None:
    """Append resampled audio to ``chunks``; a damaged tail ends decoding, keeping the rest."""
    try:
        for frame in container.decode(audio=0):
            frame.pts = None
            chunks.extend(_frames_to_arrays(resampler.resample(frame)))
    except av.FFmpegError:
        if not chunks:
            raise
    chunks.extend(_frames_to_arrays(resampler.resample(None)))


def _frames_to_arrays(frames: list[av.AudioFrame]) -> list[Audio]:
    return [f.to_ndarray().reshape(-1).astype(np.float32, copy=False) for f in frames]


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
