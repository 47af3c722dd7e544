"""Playing synthesised questions through the speaker the user chose.

We play through PortAudio ourselves rather than letting a TTS engine shell out to a player:
the user can pick the output device, nothing prints over the TUI, and playback can be cut
short the moment the user starts answering. :func:`play` blocks until the last sample has
left the device (PortAudio drains its buffers before the stream reports it finished).
:class:`DevicePlayer` is the booth's :class:`~kiosk.core.ports.Player` (playback of stored
answers, the drill's cue tones); its double is ``kiosk.audio.fakes.FakePlayer``.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
import numpy.typing as npt

from kiosk.audio.devices import DeviceInfo, resolve_output, sounddevice
from kiosk.core.errors import DeviceError
from kiosk.core.ports import SAMPLE_RATE, Audio

_POLL_S = 0.05
_GRACE_S = 5.0  # beyond the clip's length before a silent device counts as stuck


def resample_linear(
    samples: npt.NDArray[np.float32], rate: int, new_rate: int
) -> npt.NDArray[np.float32]:
    """Resample by linear interpolation: plenty for speech played to a listener."""
    if rate == new_rate or samples.size == 0:
        return samples
    n = max(1, round(samples.size * new_rate / rate))
    t = np.arange(n, dtype=np.float64) * (rate / new_rate)
    return np.interp(t, np.arange(samples.size), samples).astype(np.float32)


def _settings(sd: Any, info: DeviceInfo, rate: int) -> tuple[int, int]:
    """A (sample rate, channels) pair the device accepts, preferring ours."""
    native = int(info.default_samplerate)
    options = [(rate, 1), (native, 1), (rate, 2), (native, 2)]
    for r, ch in options:
        if ch > info.max_output_channels:
            continue
        try:
            sd.check_output_settings(device=info.index, samplerate=r, channels=ch, dtype="float32")
        except (sd.PortAudioError, ValueError):
            continue
        return r, ch
    raise DeviceError(
        f"output device '{info.name}' ({info.index}) accepts neither {rate} Hz nor "
        f"{native} Hz audio; choose another with --output-device, see `kiosk devices`"
    )


def play(
    samples: npt.ArrayLike,
    sample_rate: int,
    device: str | int | None = None,
    stop_event: threading.Event | None = None,
) -> bool:
    """Play mono ``samples`` (float in [-1, 1]); True if played to the end, False if stopped."""
    data = np.asarray(samples, dtype=np.float32).reshape(-1)
    if data.size == 0:
        return True
    sd = sounddevice()
    info = resolve_output(device)
    rate, channels = _settings(sd, info, sample_rate)
    data = resample_linear(data, sample_rate, rate)
    pos = 0
    done = threading.Event()

    def callback(outdata: npt.NDArray[np.float32], frames: int, _t: Any, _status: Any) -> None:
        nonlocal pos
        chunk = data[pos : pos + frames]
        pos += frames
        outdata[: chunk.size] = chunk[:, None]
        outdata[chunk.size :] = 0
        if chunk.size < frames:
            raise sd.CallbackStop

    try:
        stream = sd.OutputStream(
            device=info.index, samplerate=rate, channels=channels, dtype="float32",
            callback=callback, finished_callback=done.set,
        )  # fmt: skip
    except (sd.PortAudioError, ValueError) as exc:
        raise _error(info, exc) from None
    limit = data.size / rate + _GRACE_S
    waited = 0.0
    try:
        with stream:
            while not done.wait(_POLL_S):
                waited += _POLL_S
                if stop_event is not None and stop_event.is_set():
                    stream.abort()
                    return False
                if waited > limit:
                    stream.abort()
                    raise DeviceError(
                        f"output device '{info.name}' stopped playing; check the speaker or "
                        "choose another with --output-device"
                    )
    except sd.PortAudioError as exc:
        raise _error(info, exc) from None
    return True


def _error(info: DeviceInfo, exc: BaseException) -> DeviceError:
    reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return DeviceError(
        f"cannot play on output device '{info.name}' ({info.index}): {reason}; "
        "choose another with --output-device, see `kiosk devices`"
    )


class DevicePlayer:
    """Plays 16 kHz samples on an output device through PortAudio (:func:`play`)."""

    def play(
        self, samples: Audio, device: str | int | None, stop: threading.Event | None = None
    ) -> bool:
        return play(samples, SAMPLE_RATE, device=device, stop_event=stop)
