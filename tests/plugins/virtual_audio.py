"""Real capture and playback devices on machines without a sound card.

Two recipes, so the real ``sounddevice`` path (stream, callbacks, dtype, device choice) is
what the tests exercise:

* ``alsa_virtmic`` — an ALSA ``file`` plugin device ``virtmic`` that returns the exact
  samples of a clip, faster than real time. PortAudio reads the ALSA configuration when it
  initialises, so the fixture points ``HOME`` at a directory holding the ``.asoundrc`` and
  re-initialises PortAudio (measured: that works in-process); ``VirtualMic.env`` gives the
  same set-up to a subprocess.
* ``pulse_virtual_audio`` — a private PulseAudio with null sinks: a virtual speaker whose
  monitor can be recorded and a virtual microphone fed with ``paplay``; real time.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
import soundfile as sf

HERE = Path(__file__).parent
PULSE_CONFIG = HERE / "virtual_audio.pa"
RATE = 16_000
_PULSE_VARS = ("PULSE_SERVER", "XDG_RUNTIME_DIR")

_ASOUNDRC = """\
pcm.virtmic {{
    type file
    slave.pcm "null"
    file "/dev/null"
    infile "{raw}"
    format "raw"
}}
pcm.!default {{
    type asym
    playback.pcm "null"
    capture.pcm "virtmic"
}}
"""


def clip_int16(source: Path | npt.NDArray[np.generic]) -> npt.NDArray[np.int16]:
    """A clip as 16 kHz mono int16 (exact for 16 kHz 16-bit files)."""
    if isinstance(source, np.ndarray):
        arr = source
    else:
        info = sf.info(str(source))
        if info.samplerate == RATE and info.channels == 1 and info.subtype == "PCM_16":
            return np.asarray(sf.read(str(source), dtype="int16")[0], dtype=np.int16)
        from kiosk.audio.files import load_audio

        arr = load_audio(Path(source))
    if arr.dtype == np.int16:
        return np.ascontiguousarray(arr, dtype=np.int16)
    return np.round(np.clip(arr, -1, 32767 / 32768) * 32768).astype(np.int16)


@dataclass(frozen=True)
class VirtualMic:
    """The ALSA virtual microphone: device ``virtmic`` (also the default) plays ``samples``."""

    home: Path
    raw: Path
    samples: npt.NDArray[np.int16]
    device: str = "virtmic"
    env: dict[str, str] = field(default_factory=dict)


def make_virtmic(
    directory: Path, source: Path | npt.NDArray[np.generic], pad_s: float = 30.0
) -> VirtualMic:
    """Write the raw clip (padded with silence: past its end ALSA replays stale data)."""
    samples = clip_int16(source)
    home = directory / "home"
    home.mkdir(parents=True, exist_ok=True)
    raw = directory / "virtmic.raw"
    padded = np.concatenate([samples, np.zeros(int(pad_s * RATE), dtype=np.int16)])
    padded.astype("<i2").tofile(raw)
    (home / ".asoundrc").write_text(_ASOUNDRC.format(raw=raw), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in _PULSE_VARS}
    env["HOME"] = str(home)
    return VirtualMic(home=home, raw=raw, samples=samples, env=env)


@pytest.fixture
def alsa_virtmic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., VirtualMic]]:
    """Factory: ``alsa_virtmic(clip)`` sets up the virtual mic for this process too."""
    from kiosk.audio.devices import reinitialize

    used: list[VirtualMic] = []

    def make(source: Path | npt.NDArray[np.generic], pad_s: float = 30.0) -> VirtualMic:
        mic = make_virtmic(tmp_path / f"virtmic{len(used)}", source, pad_s)
        monkeypatch.setenv("HOME", str(mic.home))
        for var in _PULSE_VARS:  # a running PulseAudio would take over ALSA's default
            monkeypatch.delenv(var, raising=False)
        reinitialize()
        used.append(mic)
        return mic

    yield make
    if used:
        monkeypatch.undo()
        reinitialize()


@dataclass
class PulseAudio:
    """A private PulseAudio: ``vspeaker`` is the default sink, ``vmic`` the default source."""

    runtime_dir: Path
    env: dict[str, str]
    server: subprocess.Popen[bytes]

    def feed(self, path: Path) -> subprocess.Popen[bytes]:
        """Start playing ``path`` into the virtual microphone; wait on the result to finish."""
        return subprocess.Popen(
            ["paplay", "--device=vmic_feed", str(path)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def record_speaker(self, out: Path) -> subprocess.Popen[bytes]:
        """Start recording the virtual speaker as raw s16le 16 kHz mono into ``out``."""
        with open(out, "wb") as f:
            return subprocess.Popen(
                ["parec", "--device=vspeaker.monitor", "--raw", "--format=s16le",
                 f"--rate={RATE}", "--channels=1", "--latency-msec=20"],
                env=self.env, stdout=f, stderr=subprocess.DEVNULL,
            )  # fmt: skip


def _wait_ready(env: dict[str, str], server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"PulseAudio exited at start: {log.read_text(errors='replace')[-800:]}")
        ok = subprocess.run(["pactl", "info"], env=env, capture_output=True).returncode == 0
        if ok:
            return
        time.sleep(0.1)
    pytest.fail("PulseAudio did not become ready within 15 s")


def _require_pulse() -> None:
    missing = [t for t in ("pulseaudio", "pactl", "paplay", "parec") if not shutil.which(t)]
    if missing:
        pytest.skip(
            f"{', '.join(missing)} not installed "
            "(apt install pulseaudio pulseaudio-utils libasound2-plugins)"
        )


@contextlib.contextmanager
def running_pulse(runtime: Path) -> Iterator[PulseAudio]:
    """A private PulseAudio in ``runtime`` (its XDG_RUNTIME_DIR) until the block ends.

    Only subprocesses get its environment (``PulseAudio.env``); see :func:`use_pulse`.
    """
    _require_pulse()
    runtime.mkdir(parents=True, exist_ok=True)
    runtime.chmod(0o700)
    log = runtime / "pulse.log"
    env = {
        **os.environ,
        "XDG_RUNTIME_DIR": str(runtime),
        "PULSE_SERVER": f"unix:{runtime}/pulse/native",
    }
    env.pop("PULSE_SINK", None)
    env.pop("PULSE_SOURCE", None)
    server = subprocess.Popen(
        ["pulseaudio", "-n", "-F", str(PULSE_CONFIG), "--daemonize=no", "--exit-idle-time=-1",
         "--use-pid-file=no", f"--log-target=file:{log}"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    awake: list[subprocess.Popen[bytes]] = []
    try:
        _wait_ready(env, server, log)
        # An idle null sink sleeps; a reader on its monitor keeps the first callback prompt.
        awake = [
            subprocess.Popen(
                ["parec", f"--device={sink}.monitor", "--latency-msec=20"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for sink in ("vmic_feed", "vspeaker")
        ]
        yield PulseAudio(runtime_dir=runtime, env=env, server=server)
    finally:
        for proc in [*awake, server]:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


@contextlib.contextmanager
def use_pulse(pulse: PulseAudio) -> Iterator[None]:
    """Point this process (environment and PortAudio) at ``pulse`` until the block ends."""
    from kiosk.audio.devices import reinitialize

    mp = pytest.MonkeyPatch()
    for key in ("XDG_RUNTIME_DIR", "PULSE_SERVER"):
        mp.setenv(key, pulse.env[key])
    mp.delenv("PULSE_SINK", raising=False)
    mp.delenv("PULSE_SOURCE", raising=False)
    reinitialize()
    try:
        yield
    finally:
        mp.undo()
        reinitialize()


@pytest.fixture(scope="session")
def pulse_virtual_audio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PulseAudio]:
    """The private PulseAudio for the session, with this process pointed at it."""
    _require_pulse()
    with running_pulse(tmp_path_factory.mktemp("xdg")) as pulse, use_pulse(pulse):
        yield pulse
