"""A WAV writer that never loses what the user said, even if the process dies.

A recording is the one thing the kiosk cannot recreate, so it goes to disk as it arrives:
the 44-byte header is written at open, every block is appended and flushed to the OS, and
about every half second of audio the header sizes are patched and the file is fsync'ed.
After a crash or ``kill -9`` the file therefore holds every flushed sample, and its header
is at most half a second stale; :func:`repair_wav` recomputes the sizes from the file
length so any player (and libsndfile) reads all of it.

The format is fixed on purpose: 16-bit PCM, mono, 16 kHz — what the transcriber wants and
what every player understands.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

import numpy as np
import numpy.typing as npt

from kiosk.core.errors import BadInput
from kiosk.core.ports import SAMPLE_RATE

_HEADER = struct.Struct("<4sI4s4sIHHIIHH4sI")
HEADER_BYTES = _HEADER.size  # 44
_SAMPLE_WIDTH = 2
_PLACEHOLDER = 0xFFFFFFFF  # "until end of file" for readers that honour it
_MAX_DATA = 0xFFFFFFFF - 36


def _header(data_bytes: int | None, sample_rate: int) -> bytes:
    if data_bytes is None:
        riff, data = _PLACEHOLDER, _PLACEHOLDER
    else:
        data = min(data_bytes, _MAX_DATA)
        riff = 36 + data
    return _HEADER.pack(
        b"RIFF", riff, b"WAVE",
        b"fmt ", 16, 1, 1, sample_rate, sample_rate * _SAMPLE_WIDTH, _SAMPLE_WIDTH, 16,
        b"data", data,
    )  # fmt: skip


def to_int16(block: npt.ArrayLike) -> npt.NDArray[np.int16]:
    """Mono int16 samples from int16 or float ([-1, 1]) input, clipping out-of-range floats."""
    arr = np.asarray(block)
    if arr.ndim > 1:
        arr = arr[:, 0] if arr.shape[1] >= 1 else arr.reshape(-1)
    if arr.dtype == np.int16:
        return np.ascontiguousarray(arr)
    scaled = np.clip(np.asarray(arr, dtype=np.float32) * 32768.0, -32768.0, 32767.0)
    return np.ascontiguousarray(np.round(scaled).astype(np.int16))


class WavWriter:
    """Append-only 16-bit mono WAV writer, crash-safe (see module docstring).

    ``write`` takes int16 samples, or float samples in [-1, 1]. Not thread-safe: one
    thread writes.
    """

    def __init__(
        self, path: Path, sample_rate: int = SAMPLE_RATE, sync_every_s: float = 0.5
    ) -> None:
        self.path = Path(path)
        self.sample_rate = sample_rate
        self._sync_every = max(1, int(sync_every_s * sample_rate))
        self._since_sync = 0
        self.samples = 0
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file: BinaryIO | None = open(self.path, "wb")  # noqa: SIM115 - closed in close()
        self._file.write(_header(None, sample_rate))
        self._sync()

    @property
    def closed(self) -> bool:
        return self._file is None

    @property
    def duration(self) -> float:
        return self.samples / self.sample_rate

    def write(self, block: npt.ArrayLike) -> None:
        if self._file is None:
            raise ValueError(f"{self.path}: write after close")
        data = to_int16(block)
        if data.size == 0:
            return
        self._file.write(data.astype("<i2", copy=False).tobytes())
        self._file.flush()
        self.samples += int(data.size)
        self._since_sync += int(data.size)
        if self._since_sync >= self._sync_every:
            self._sync()

    def _sync(self) -> None:
        """Patch the header sizes to what is written so far and push it all to disk."""
        f = self._file
        assert f is not None
        if self.samples:
            f.seek(0)
            f.write(_header(self.samples * _SAMPLE_WIDTH, self.sample_rate))
            f.seek(0, os.SEEK_END)
        f.flush()
        os.fsync(f.fileno())
        self._since_sync = 0

    def close(self) -> int:
        """Write the final header sizes; returns the number of samples in the file."""
        if self._file is not None:
            f = self._file
            f.seek(0)
            f.write(_header(self.samples * _SAMPLE_WIDTH, self.sample_rate))
            f.flush()
            os.fsync(f.fileno())
            f.close()
            self._file = None
        return self.samples

    def __enter__(self) -> WavWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _find_data_chunk(f: BinaryIO, path: Path, size: int) -> tuple[int, int]:
    """Offset of the ``data`` chunk's size field and the block alignment from ``fmt``."""
    if f.read(12)[:4] != b"RIFF":
        raise BadInput(f"{path}: not a WAV file (no RIFF header); cannot repair it")
    pos, align = 12, _SAMPLE_WIDTH
    while pos + 8 <= size:
        f.seek(pos)
        cid, clen = struct.unpack("<4sI", f.read(8))
        if cid == b"fmt ":
            fmt = f.read(16)
            if len(fmt) == 16:
                align = max(1, struct.unpack("<HHIIH", fmt[:14])[4])
        elif cid == b"data":
            return pos + 4, align
        pos += 8 + clen + (clen & 1)
    raise BadInput(f"{path}: WAV file has no data chunk; cannot repair it")


def repair_wav(path: Path) -> int:
    """Fix the header of a WAV cut off by a crash; return the number of samples kept.

    The sizes are recomputed from the file length; a trailing partial sample is dropped.
    Safe to run on a file that is already correct (it changes nothing then).
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        with open(path, "r+b") as f:
            if size < HEADER_BYTES:
                raise BadInput(f"{path}: too short to be a WAV recording ({size} bytes)")
            size_at, align = _find_data_chunk(f, path, size)
            data_start = size_at + 4
            data = (size - data_start) // align * align
            f.truncate(data_start + data)
            f.seek(4)
            f.write(struct.pack("<I", min(data_start + data - 8, 0xFFFFFFFF)))
            f.seek(size_at)
            f.write(struct.pack("<I", min(data, 0xFFFFFFFF)))
            f.flush()
            os.fsync(f.fileno())
    except OSError as exc:
        raise BadInput(f"{path}: cannot repair recording: {exc.strerror or exc}") from None
    return data // align
