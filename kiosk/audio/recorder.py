"""Recording the user's answer from a real microphone, straight to a crash-safe WAV.

PortAudio calls our callback on its own real-time thread, which must never block, so the
callback only copies each int16 block onto a queue. A writer thread appends the blocks to a
:class:`~kiosk.audio.wav.WavWriter` (flushed as they arrive; see ``kiosk/audio/wav.py``)
and then hands them, as float32, to ``on_audio`` for the level meter and streaming transcription.

We ask the device for int16: it is what goes to disk, and ALSA's ``file`` plugin (the test
microphone) only delivers int16 correctly. Durations are counted in samples, never by the
wall clock. Whatever goes wrong mid-recording — the device vanishes, stops delivering audio
or the disk fills — is reported once through ``on_error`` and what was recorded stays on disk
(a full disk as :class:`~kiosk.audio.wav.DiskFull`, finish reason ``"disk_full"``, so the caller
can tell the user it is the disk, not the microphone).
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from kiosk.audio.devices import DeviceInfo, resolve_input, sounddevice
from kiosk.audio.wav import DiskFull, RecordingFileError, WavWriter
from kiosk.core.errors import DeviceError, KioskError
from kiosk.core.ports import SAMPLE_RATE, AudioCallback, ErrorCallback, RecordingResult

_STOP = object()
_FAILED = object()


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


FIRST_BLOCK_GRACE_S = 15.0
"""How long a freshly opened device may take to deliver its first block of audio."""


class SoundDeviceRecorder:
    """:class:`~kiosk.core.ports.Recorder` over ``sounddevice.InputStream``.

    ``max_seconds`` caps the recording: writing stops exactly at the cap, ``finished`` is
    set and ``on_finished("cap")`` is called; the caller still calls :meth:`stop`.
    ``finished`` is also set when the device fails (reason ``"error"``) and by ``stop``.
    If no audio arrives for ``stall_seconds`` the device is reported as failed.
    """

    def __init__(
        self,
        device: str | int | None = None,
        sample_rate: int = SAMPLE_RATE,
        block_ms: int = 50,
        max_seconds: float | None = None,
        stall_seconds: float = 5.0,
        on_finished: Callable[[str], None] | None = None,
        capture_rate: int | None = None,
    ) -> None:
        if sample_rate <= 0 or (capture_rate is not None and capture_rate <= 0):
            raise ValueError("sample rates must be positive")
        self.device = device
        self.sample_rate = sample_rate
        self.block_ms = block_ms
        self.capture_rate = capture_rate
        self.max_samples = None if max_seconds is None else int(max_seconds * sample_rate)
        self.stall_seconds = stall_seconds
        self.on_finished = on_finished
        self._stream: Any = None
        self._thread: threading.Thread | None = None
        self._reset()

    def _reset(self) -> None:
        """Fresh per-recording state (a recorder may be reused for the next answer)."""
        self.finished = threading.Event()
        self.finish_reason: str | None = None
        self.overflows = 0
        self.device_info: DeviceInfo | None = None
        self._writer: WavWriter | None = None
        self._queue: queue.Queue[Any] = queue.Queue()
        self._queued = 0
        self._queue_cap: int | None = None
        self._resampler: _Resampler | None = None
        self._stopping = False
        self._on_audio: AudioCallback | None = None
        self._on_error: ErrorCallback | None = None

    @property
    def samples(self) -> int:
        """Samples written to disk so far."""
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
        if self._stream is not None:
            raise RuntimeError("recorder already started")
        sd = sounddevice()
        info = resolve_input(self.device)
        self._reset()
        self.device_info, self._on_audio, self._on_error = info, on_audio, on_error
        rate = self.capture_rate or self._device_rate(sd, info)
        if rate != self.sample_rate:
            self._resampler = _Resampler(rate, self.sample_rate)
        if self.max_samples is not None:  # stop the device a little after the cap
            self._queue_cap = int(self.max_samples * rate / self.sample_rate) + rate // 5
        try:
            stream = sd.InputStream(
                device=info.index, channels=1, samplerate=rate, dtype="int16",
                blocksize=max(1, rate * self.block_ms // 1000), callback=self._callback,
                finished_callback=self._stream_finished,
            )  # fmt: skip
        except (sd.PortAudioError, ValueError) as exc:
            raise self._open_error(info, exc) from None
        try:
            self._writer = WavWriter(Path(path), self.sample_rate)
        except (KioskError, OSError) as exc:
            with contextlib.suppress(sd.PortAudioError):
                stream.close()
            if isinstance(exc, KioskError):
                raise
            raise RecordingFileError(
                f"cannot create the recording {path}: {exc.strerror or exc}; "
                "check that folder's permissions"
            ) from None
        self._stream = stream
        self._thread = threading.Thread(target=self._write_loop, name="recorder", daemon=True)
        self._thread.start()
        try:
            stream.start()
        except sd.PortAudioError as exc:
            self._stopping = True
            self._shutdown()
            Path(path).unlink(missing_ok=True)
            raise self._open_error(info, exc) from None

    def _device_rate(self, sd: Any, info: DeviceInfo) -> int:
        """Our rate if the device takes it, else its own (we resample: many USB mics are 48k)."""
        try:
            sd.check_input_settings(
                device=info.index, channels=1, samplerate=self.sample_rate, dtype="int16"
            )
        except (sd.PortAudioError, ValueError):
            return int(info.default_samplerate) or self.sample_rate
        return self.sample_rate

    def _open_error(self, info: DeviceInfo, exc: BaseException) -> DeviceError:
        return DeviceError(
            f"cannot record from input device '{info.name}' ({info.index}): {_reason(exc)}; "
            "is another program using it? choose another with --input-device, "
            "see `kiosk devices`"
        )

    def _callback(self, indata: npt.NDArray[np.int16], frames: int, _t: Any, status: Any) -> None:
        """PortAudio's thread: copy and queue, nothing else."""
        if status.input_overflow:
            self.overflows += 1
        self._queue.put(indata[:, 0].copy())
        self._queued += frames
        if self._queue_cap is not None and self._queued >= self._queue_cap:
            raise sounddevice().CallbackStop

    def _stream_finished(self) -> None:
        """The stream became inactive: fine if we stopped it or hit the cap, else a failure."""
        capped = self._queue_cap is not None and self._queued >= self._queue_cap
        if not (self._stopping or capped):
            self._queue.put(_FAILED)

    def _write_loop(self) -> None:
        last_block = time.monotonic()
        # Some devices (an idle PulseAudio source, a Bluetooth headset waking up) take
        # seconds to deliver their first block: allow more before calling that a failure.
        limit = max(self.stall_seconds, FIRST_BLOCK_GRACE_S)
        while True:
            try:
                item = self._queue.get(timeout=0.1)
            except queue.Empty:
                stalled = time.monotonic() - last_block > limit
                if stalled and not self._stopping and self.finish_reason is None:
                    self._fail("delivers no audio")
                continue
            if item is _STOP:
                if self._resampler is not None and self.finish_reason is None:
                    self._write(self._resampler.flush(), resampled=True)
                return
            if item is _FAILED:
                if not self._stopping and self.finish_reason is None:
                    self._fail("stopped working")
                continue
            last_block = time.monotonic()
            limit = self.stall_seconds
            if self.finish_reason is None:
                self._write(item)

    def _write(self, block: npt.NDArray[np.int16], resampled: bool = False) -> None:
        writer = self._writer
        assert writer is not None
        if self._resampler is not None and not resampled:
            block = self._resampler.push(block)
        if self.max_samples is not None:
            block = block[: max(0, self.max_samples - writer.samples)]
        try:
            writer.write(block)
        except DiskFull as exc:  # what fitted is kept, with a header that matches it
            self._finish("disk_full")
            self._report(exc)
            return
        except OSError as exc:
            self._finish("error")
            self._report(
                RecordingFileError(
                    f"cannot write the recording to {writer.path}: {_reason(exc)}; "
                    "check that disk and folder"
                )
            )
            return
        if self._on_audio is not None and block.size:
            try:
                self._on_audio(block.astype(np.float32) / 32768.0)
            except Exception as exc:  # a UI bug must not lose the recording
                self._report(exc)
        if self.max_samples is not None and writer.samples >= self.max_samples:
            self._finish("cap")

    def _fail(self, what: str) -> None:
        self._finish("error")
        name = self.device_info.name if self.device_info else "?"
        path = self._writer.path if self._writer else "?"
        self._report(
            DeviceError(
                f"input device '{name}' {what} after {self.elapsed:.1f} s; "
                f"what was recorded is kept in {path}; check the microphone and try again"
            )
        )

    def _finish(self, reason: str) -> None:
        if self.finish_reason is None:
            self.finish_reason = reason
            self.finished.set()
            if self.on_finished is not None:
                self.on_finished(reason)

    def _report(self, exc: Exception) -> None:
        if self._on_error is not None:
            self._on_error(exc)

    def _shutdown(self) -> None:
        """Close the stream, drain the queue and close the WAV; tolerant of a dead device."""
        sd = sounddevice()
        stream, self._stream = self._stream, None
        if stream is not None:
            with contextlib.suppress(sd.PortAudioError):
                stream.stop()
            with contextlib.suppress(sd.PortAudioError):
                stream.close()
        if self._thread is not None:
            self._queue.put(_STOP)
            self._thread.join()
            self._thread = None

    def stop(self) -> RecordingResult:
        """Stop recording and return what is on disk (counted in samples)."""
        if self._writer is None:
            raise RuntimeError("recorder was not started")
        self._stopping = True
        self._shutdown()
        samples = self._writer.close()
        self._finish("stopped")
        return RecordingResult(self._writer.path, samples, self.sample_rate, self.overflows)


class _Resampler:
    """Streaming int16 resampling (FFmpeg's swr via PyAV) from the device rate to ours."""

    def __init__(self, src: int, dst: int) -> None:
        import av

        self._av = av
        self._src = src
        self._swr = av.AudioResampler(format="s16", layout="mono", rate=dst)

    def push(self, block: npt.NDArray[np.int16]) -> npt.NDArray[np.int16]:
        frame = self._av.AudioFrame.from_ndarray(
            np.ascontiguousarray(block, dtype=np.int16).reshape(1, -1), format="s16", layout="mono"
        )
        frame.sample_rate = self._src
        return self._collect(self._swr.resample(frame))

    def flush(self) -> npt.NDArray[np.int16]:
        return self._collect(self._swr.resample(None))

    @staticmethod
    def _collect(frames: list[Any]) -> npt.NDArray[np.int16]:
        parts = [np.asarray(f.to_ndarray(), dtype=np.int16).reshape(-1) for f in frames]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int16)
