"""Finding the microphone and speaker the user means, with errors they can act on.

Users name devices loosely ("usb", "Jabra", "2"), machines have none, several or
duplicates, and PortAudio itself may be missing. Everything here turns those cases into a
:class:`DeviceError` whose one line says what is wrong and what to do. The matching rules
are pure functions over :class:`DeviceInfo` lists so they can be tested without hardware.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import threading
from dataclasses import asdict, dataclass
from types import ModuleType
from typing import Any, Literal

from kiosk.core.errors import DeviceError

Kind = Literal["input", "output"]

_FLAG = {"input": "--input-device", "output": "--output-device"}
_WHAT = {"input": "plug a microphone", "output": "connect a speaker or headphones"}
_lock = threading.Lock()
_log = logging.getLogger("audio.native")
_keep: list[object] = []  # the C callback must outlive the library holding it


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """One PortAudio device as the user sees it."""

    index: int
    name: str
    hostapi: str
    max_input_channels: int
    max_output_channels: int
    default_samplerate: float
    default_input: bool = False
    default_output: bool = False

    def channels(self, kind: Kind) -> int:
        return self.max_input_channels if kind == "input" else self.max_output_channels

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _silence_native_logs() -> None:
    """Route ALSA's own error messages to logging.

    libasound prints diagnostics (``ALSA lib pcm.c: ...``) straight to file descriptor 2,
    which is the terminal the TUI draws on. (PortAudio's "Expression ... failed" lines on a
    failing device cannot be redirected: Debian's library does not export its print hook.)
    """
    if _keep:
        return
    handler = ctypes.CFUNCTYPE(
        None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
    )(lambda file, line, func, err, fmt: _log.debug("alsa: %s:%s %s", file, line, fmt))
    _keep.append(handler)
    try:
        lib = ctypes.CDLL(ctypes.util.find_library("asound") or "libasound.so.2")
        lib.snd_lib_error_set_handler(handler)
    except (OSError, AttributeError):
        pass


def sounddevice() -> ModuleType:
    """Import sounddevice, turning a missing PortAudio library into a clear error."""
    _silence_native_logs()
    try:
        import sounddevice as sd
    except OSError:
        raise DeviceError(
            "the PortAudio library is missing; install it (Debian/Ubuntu: "
            "sudo apt install libportaudio2) to record and play audio"
        ) from None
    return sd


def reinitialize() -> None:
    """Make PortAudio enumerate devices again (after a device or sound server appeared)."""
    sd = sounddevice()
    with _lock:
        sd._terminate()
        sd._initialize()


def list_devices() -> list[DeviceInfo]:
    """Every device PortAudio knows, with the default input/output marked."""
    sd = sounddevice()
    try:
        raw = sd.query_devices()
        apis = sd.query_hostapis()
        default_in, default_out = (int(i) for i in sd.default.device)
    except sd.PortAudioError as exc:
        raise DeviceError(f"cannot list audio devices: {exc}") from None
    if default_in < 0 or default_out < 0:
        for api in apis:  # sd.default.device is -1 until chosen; ask the host APIs
            if default_in < 0 and api["default_input_device"] >= 0:
                default_in = int(api["default_input_device"])
            if default_out < 0 and api["default_output_device"] >= 0:
                default_out = int(api["default_output_device"])
    return [
        DeviceInfo(
            index=int(d["index"]),
            name=str(d["name"]),
            hostapi=str(apis[d["hostapi"]]["name"]),
            max_input_channels=int(d["max_input_channels"]),
            max_output_channels=int(d["max_output_channels"]),
            default_samplerate=float(d["default_samplerate"]),
            default_input=int(d["index"]) == default_in,
            default_output=int(d["index"]) == default_out,
        )
        for d in raw
    ]


def _label(d: DeviceInfo) -> str:
    return f"'{d.name}' ({d.index})"


def _available(candidates: list[DeviceInfo]) -> str:
    return ", ".join(_label(d) for d in candidates) or "none"


def choose(devices: list[DeviceInfo], spec: str | int | None, kind: Kind) -> DeviceInfo:
    """The device ``spec`` names among ``devices`` (pure; see module docstring).

    ``None`` or "" means the default (else the first usable device); an int or a string of
    digits is an index; anything else is a case-insensitive name substring, where an exact
    name wins over partial matches.
    """
    usable = [d for d in devices if d.channels(kind) > 0]
    if isinstance(spec, str):
        spec = spec.strip()
        if spec.isdigit():
            spec = int(spec)
    if spec is None or spec == "":
        if not usable:
            raise DeviceError(
                f"no {kind} device: {_WHAT[kind]} or choose one with {_FLAG[kind]}, "
                "see `kiosk devices`"
            )
        defaults = [d for d in usable if getattr(d, f"default_{kind}")]
        return (defaults or usable)[0]
    if isinstance(spec, int):
        for d in usable:
            if d.index == spec:
                return d
        raise DeviceError(
            f"{kind} device {spec} not found; available: {_available(usable)} (see `kiosk devices`)"
        )
    wanted = spec.casefold()
    exact = [d for d in usable if d.name.casefold() == wanted]
    matches = exact or [d for d in usable if wanted in d.name.casefold()]
    if not matches:
        raise DeviceError(
            f"{kind} device '{spec}' not found; available: {_available(usable)} "
            f"(see `kiosk devices`)"
        )
    if len(matches) > 1:
        raise DeviceError(
            f"{kind} device name '{spec}' is ambiguous: it matches {_available(matches)}; "
            f"give the index or a longer name with {_FLAG[kind]}"
        )
    return matches[0]


def resolve_input(spec: str | int | None = None) -> DeviceInfo:
    """The microphone the user asked for (or the default), or a :class:`DeviceError`."""
    return choose(list_devices(), spec, "input")


def resolve_output(spec: str | int | None = None) -> DeviceInfo:
    """The speaker the user asked for (or the default), or a :class:`DeviceError`."""
    return choose(list_devices(), spec, "output")
