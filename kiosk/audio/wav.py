"""A WAV writer that never loses what the user said, even if the process dies.

A recording is the one thing the kiosk cannot recreate, so it goes to disk as it arrives:
the 44-byte header is written at open, every block is appended and flushed to the OS, and
about every half second of audio the header sizes are patched and the file is fsync'ed.
After a crash or ``kill -9`` the file therefore holds every flushed sample, and its header
is at most half a second stale; :func:`repair_wav` recomputes the sizes from the file
length so any player (and libsndfile) reads all of it.

The format is fixed on purpose: 16-bit PCM, mono, 16 kHz — what the transcriber wants and
what every player understands.

A full disk is not a crash: when a write runs out of space, the writer keeps every whole
sample that reached the file, drops a half-written one, patches the header to match and
raises :class:`DiskFull` saying how much was kept. Recordings are created user-only (0600).
"""

from __future__ import annotations

import errno
import os
import shutil
import struct
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, cast

import numpy as np
import numpy.typing as npt

from kiosk.core.errors import BadInput, KioskError
from kiosk.core.figures import clock_text
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


FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
"""A write failed for want of room: no space left, or the user's disk quota reached."""


class RecordingFileError(KioskError):
    """The recording file cannot be created or written (the disk, not the microphone)."""


class DiskFull(RecordingFileError):
    """The disk filled up while recording. ``samples`` whole samples were kept in ``path``
    and its header matches them."""

    def __init__(self, path: Path, samples: int, sample_rate: int) -> None:
        self.path = Path(path)
        self.samples = samples
        self.sample_rate = sample_rate
        kept = (
            f"kept {clock_text(self.duration)} of the recording in {self.path}"
            if samples
            else f"nothing could be recorded in {self.path.parent}"
        )
        super().__init__(f"disk full: {kept}; free some space on that disk")

    @property
    def duration(self) -> float:
        return self.samples / self.sample_rate if self.sample_rate else 0.0


def open_recording(path: Path) -> BinaryIO:
    """A new, user-only (0600) recording file, unbuffered: each ``write`` then says how
    many bytes really reached the file, which is what a full disk leaves behind."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    return cast(BinaryIO, os.fdopen(fd, "wb", buffering=0))


def recording_room_s(folder: Path, sample_rate: int = SAMPLE_RATE) -> float:
    """Seconds of recording that fit in the free space of the disk holding ``folder``
    (or the nearest folder above it that exists)."""
    probe = Path(folder)
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    free = shutil.disk_usage(probe).free
    return max(0, free - HEADER_BYTES) / (sample_rate * _SAMPLE_WIDTH)


class WavWriter:
    """Append-only 16-bit mono WAV writer, crash-safe (see module docstring).

    ``write`` takes int16 samples, or float samples in [-1, 1]. Not thread-safe: one
    thread writes. ``opener`` makes the file object (tests pass one that runs out of
    space); by default :func:`open_recording`.
    """

    def __init__(
        self,
        path: Path,
        sample_rate: int = SAMPLE_RATE,
        sync_every_s: float = 0.5,
        opener: Callable[[Path], BinaryIO] | None = None,
    ) -> None:
        self.path = Path(path)
        self.sample_rate = sample_rate
        self._sync_every = max(1, int(sync_every_s * sample_rate))
        self._since_sync = 0
        self.samples = 0
        self.full = False
        """The disk filled up: what fitted is kept and nothing more is written."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._file: BinaryIO | None = (opener or open_recording)(self.path)
        try:
            self._append(_header(None, sample_rate), audio=False)
            self._sync()
        except DiskFull:
            self.close()
            raise
        except OSError:
            self._file.close()
            self._file = None
            raise

    @property
    def closed(self) -> bool:
        return self._file is None

    @property
    def duration(self) -> float:
        return self.samples / self.sample_rate

    def write(self, block: npt.ArrayLike) -> None:
        if self._file is None:
            raise ValueError(f"{self.path}: write after close")
        if self.full:
            raise DiskFull(self.path, self.samples, self.sample_rate)
        data = to_int16(block)
        if data.size == 0:
            return
        self._append(data.astype("<i2", copy=False).tobytes(), audio=True)
        self.samples += int(data.size)
        self._since_sync += int(data.size)
        if self._since_sync >= self._sync_every:
            self._sync()

    def _append(self, payload: bytes, audio: bool) -> None:
        """Write all of ``payload`` (samples when ``audio``) at the end; on a full disk
        keep what fitted and raise :class:`DiskFull`."""
        f = self._file
        assert f is not None
        view = memoryview(payload)
        done = 0
        try:
            while done < len(view):
                n = f.write(view[done:])
                if n is None or n <= 0:  # nothing accepted: as good as no space
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                done += n
            f.flush()
        except OSError as exc:
            if exc.errno not in FULL_ERRNOS:
                raise
            self._stop_full(done if audio else 0)
            raise DiskFull(self.path, self.samples, self.sample_rate) from None

    def _stop_full(self, partial: int) -> None:
        """Out of space after ``partial`` bytes of the current block of samples: keep
        whole samples only and make the header say exactly that (rewriting bytes in place
        needs no new room). Should even that fail, :func:`repair_wav` fixes it at the
        next start."""
        f = self._file
        assert f is not None
        self.full = True
        self.samples += partial // _SAMPLE_WIDTH
        try:
            f.truncate(HEADER_BYTES + self.samples * _SAMPLE_WIDTH)
            f.seek(0)
            f.write(_header(self.samples * _SAMPLE_WIDTH, self.sample_rate))
            f.flush()
            os.fsync(f.fileno())
        except OSError:
            pass

    def _sync(self) -> None:
        """Patch the header sizes to what is written so far and push it all to disk."""
        f = self._file
        assert f is not None
        try:
            if self.samples:
                f.seek(0)
                f.write(_header(self.samples * _SAMPLE_WIDTH, self.sample_rate))
                f.seek(0, os.SEEK_END)
            f.flush()
            os.fsync(f.fileno())
        except OSError as exc:
            if exc.errno not in FULL_ERRNOS:
                raise
            self._stop_full(0)
            raise DiskFull(self.path, self.samples, self.sample_rate) from None
        self._since_sync = 0

    def close(self) -> int:
        """Write the final header sizes; returns the number of samples in the file.

        Never fails for want of space: the header is rewritten in place, and if even that
        fails the samples are on disk for :func:`repair_wav`."""
        if self._file is not None:
            f = self._file
            try:
                f.seek(0)
                f.write(_header(self.samples * _SAMPLE_WIDTH, self.sample_rate))
                f.flush()
                os.fsync(f.fileno())
            except OSError as exc:
                if exc.errno not in FULL_ERRNOS:
                    f.close()
                    self._file = None
                    raise
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
