"""Device listing and choice: matching rules, one-line errors, and real PortAudio devices."""

from __future__ import annotations

import builtins
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kiosk.audio import devices
from kiosk.audio.devices import DeviceInfo, choose
from kiosk.cli import main
from kiosk.core.errors import DeviceError


def _dev(index: int, name: str, inputs: int = 1, outputs: int = 0, **kw: Any) -> DeviceInfo:
    return DeviceInfo(index, name, "ALSA", inputs, outputs, 48000.0, **kw)


MACHINE = [
    _dev(0, "HDA Intel PCH: ALC892 Analog (hw:0,0)", 2, 2),
    _dev(1, "USB Audio Device: Jabra (hw:1,0)", 1, 0),
    _dev(2, "HDMI 0", 0, 8),
    _dev(3, "pulse", 32, 32),
    _dev(4, "default", 32, 32, default_input=True, default_output=True),
]


def test_default_and_index_and_name() -> None:
    assert choose(MACHINE, None, "input").index == 4
    assert choose(MACHINE, "", "output").index == 4
    assert choose(MACHINE, 1, "input").index == 1
    assert choose(MACHINE, " 3 ", "input").index == 3
    assert choose(MACHINE, "jabra", "input").index == 1
    assert choose(MACHINE, "HDMI", "output").index == 2


def test_first_usable_when_no_default_is_marked() -> None:
    assert choose(MACHINE[:3], None, "input").index == 0


def test_exact_name_beats_substring() -> None:
    many = [_dev(0, "pulse"), _dev(1, "pulse monitor")]
    assert choose(many, "PULSE", "input").index == 0


def test_no_input_device() -> None:
    with pytest.raises(DeviceError) as err:
        choose([_dev(2, "HDMI 0", 0, 8)], None, "input")
    msg = str(err.value)
    assert msg.startswith("no input device: plug a microphone")
    assert "--input-device" in msg and "kiosk devices" in msg and "\n" not in msg


def test_name_not_found_lists_available() -> None:
    with pytest.raises(DeviceError, match=r"input device 'blue yeti' not found; available: "):
        choose(MACHINE, "blue yeti", "input")
    with pytest.raises(DeviceError) as err:
        choose(MACHINE, "HDMI", "input")  # an output-only device is not a microphone
    assert "'USB Audio Device: Jabra (hw:1,0)' (1)" in str(err.value)
    assert "HDMI" not in str(err.value).split("available:")[1]


def test_bad_index_and_ambiguous_name() -> None:
    with pytest.raises(DeviceError, match=r"output device 1 not found"):
        choose(MACHINE, 1, "output")
    with pytest.raises(DeviceError, match=r"'hw' is ambiguous: it matches .*\(0\).*\(1\)"):
        choose(MACHINE, "hw", "input")


def test_missing_portaudio_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def fake_import(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "sounddevice":
            raise OSError("PortAudio library not found")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "sounddevice", raising=False)
    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(DeviceError, match="libportaudio2"):
        devices.list_devices()


@pytest.mark.audio
def test_real_devices_through_alsa_virtual_mic(
    alsa_virtmic: Callable[..., Any], data_dir: Path
) -> None:
    alsa_virtmic(np.zeros(1600, dtype=np.int16))
    found = devices.list_devices()
    names = [d.name for d in found]
    assert "virtmic" in names
    mic = devices.resolve_input("VIRTMIC")
    assert mic.name == "virtmic" and mic.hostapi == "ALSA" and mic.max_input_channels > 0
    assert devices.resolve_input(None).default_input
    assert devices.resolve_input(mic.index) == mic
    with pytest.raises(DeviceError, match="input device 'no such mic' not found; available: "):
        devices.resolve_input("no such mic")


@pytest.mark.audio
def test_kiosk_devices_command(
    alsa_virtmic: Callable[..., Any], capsys: pytest.CaptureFixture[str]
) -> None:
    alsa_virtmic(np.zeros(1600, dtype=np.int16))
    assert main(["devices"]) == 0
    out = capsys.readouterr().out
    assert "virtmic" in out and "default input" in out
    assert main(["devices", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    virt = next(d for d in listed if d["name"] == "virtmic")
    assert virt["hostapi"] == "ALSA" and virt["max_input_channels"] > 0


_ALSA_ERROR = """
import ctypes, sys
if sys.argv[1] == "quiet":
    from kiosk.audio.devices import sounddevice
    sounddevice()
lib = ctypes.CDLL("libasound.so.2")
handle = ctypes.c_void_p()
assert lib.snd_pcm_open(ctypes.byref(handle), b"no-such-pcm", 1, 0) < 0
"""


def test_alsa_messages_never_reach_the_terminal() -> None:
    """libasound writes errors to fd 2 (over the TUI) unless its handler is replaced."""
    root = Path(__file__).resolve().parents[1]
    run = [sys.executable, "-c", _ALSA_ERROR]
    loud = subprocess.run([*run, "loud"], cwd=root, capture_output=True, text=True)
    quiet = subprocess.run([*run, "quiet"], cwd=root, capture_output=True, text=True)
    assert loud.returncode == 0 and "ALSA lib" in loud.stderr
    assert quiet.returncode == 0 and quiet.stderr == ""
