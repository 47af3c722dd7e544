"""The real recorder through real PortAudio devices (virtual ones), and the level helpers."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
import soundfile as sf

from kiosk.audio.level import LevelMeter, SilenceDetector, peak, rms_dbfs
from kiosk.audio.recorder import SoundDeviceRecorder
from kiosk.audio.wav import repair_wav
from kiosk.core.errors import DeviceError
from tests.plugins.virtual_audio import running_pulse, use_pulse

ROOT = Path(__file__).resolve().parents[1]
RATE = 16_000


def _tone(seconds: float, amp: float, freq: float = 440.0) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


# --- level helpers -------------------------------------------------------------------------


def test_rms_and_peak() -> None:
    assert rms_dbfs(np.zeros(100, dtype=np.float32)) == -120.0
    assert rms_dbfs(np.array([], dtype=np.float32)) == -120.0
    assert rms_dbfs(np.ones(100, dtype=np.float32)) == pytest.approx(0.0)
    assert rms_dbfs(_tone(0.1, 0.5)) == pytest.approx(20 * np.log10(0.5 / np.sqrt(2)), abs=0.05)
    assert rms_dbfs(np.full(10, 16384, dtype=np.int16)) == pytest.approx(-6.02, abs=0.01)
    assert peak(np.array([0.1, -0.7, 0.3], dtype=np.float32)) == pytest.approx(0.7)


def test_level_meter_rises_fast_and_falls_slowly() -> None:
    meter = LevelMeter(floor_dbfs=-60.0)
    loud, quiet = _tone(0.05, 0.5), np.zeros(800, dtype=np.float32)
    up = meter.update(loud)
    assert 0.4 < up < 1.0
    for _ in range(10):
        meter.update(loud)
    top = meter.level
    assert top == pytest.approx(1 + rms_dbfs(loud) / 60, abs=0.01)
    down = meter.update(quiet)
    assert top * 0.8 < down < top  # one silent block only nudges it down
    for _ in range(60):
        meter.update(quiet)
    assert meter.level < 0.01


def test_silence_detector_waits_for_speech_then_counts_samples() -> None:
    det = SilenceDetector(threshold_dbfs=-40.0, seconds=1.0, min_speech_s=0.2)
    silence, speech = np.zeros(800, dtype=np.float32), _tone(0.05, 0.3)
    assert not any(det.feed(silence) for _ in range(100))  # 5 s of thinking: never triggers
    for _ in range(10):
        det.feed(speech)  # 0.5 s of speech
    assert det.speech_started
    results = [det.feed(silence) for _ in range(20)]  # exactly 1 s = 20 blocks of 50 ms
    assert results[:19] == [False] * 19 and results[19]
    det.feed(speech)
    assert not det.triggered  # speaking again resets the silence count


# --- real recorder through the ALSA virtual microphone -------------------------------------


@pytest.mark.audio
def test_records_exact_samples_up_to_the_cap(
    alsa_virtmic: Callable[..., Any], data_dir: Path, tmp_path: Path
) -> None:
    mic = alsa_virtmic(data_dir / "zh_welcome.wav")
    blocks: list[np.ndarray] = []
    errors: list[Exception] = []
    reasons: list[str] = []
    rec = SoundDeviceRecorder(device="VirtMic", max_seconds=2.5, on_finished=reasons.append)
    rec.start(tmp_path / "answer.wav", on_audio=blocks.append, on_error=errors.append)
    assert rec.finished.wait(20)
    result = rec.stop()
    assert errors == [] and reasons == ["cap"] and rec.finish_reason == "cap"
    assert result.samples == 40_000 and result.duration == 2.5 and result.sample_rate == RATE
    on_disk, rate = sf.read(result.path, dtype="int16")
    assert rate == RATE and np.array_equal(on_disk, mic.samples[:40_000])
    fed = np.concatenate(blocks)
    assert fed.dtype == np.float32 and fed.size == 40_000
    assert np.array_equal(fed, mic.samples[:40_000].astype(np.float32) / 32768)


@pytest.mark.audio
def test_default_device_and_reuse(
    alsa_virtmic: Callable[..., Any], data_dir: Path, tmp_path: Path
) -> None:
    mic = alsa_virtmic(data_dir / "zh_welcome.wav")
    rec = SoundDeviceRecorder(max_seconds=1.0)
    for name in ("one.wav", "two.wav"):  # each stream replays the clip from its start
        rec.start(tmp_path / name)
        assert rec.finished.wait(20)
        result = rec.stop()
        assert rec.device_info is not None and rec.device_info.default_input
        assert result.samples == RATE
        assert np.array_equal(sf.read(result.path, dtype="int16")[0], mic.samples[:RATE])


@pytest.mark.audio
def test_stop_without_cap_keeps_a_sample_exact_prefix(
    alsa_virtmic: Callable[..., Any], data_dir: Path, tmp_path: Path
) -> None:
    mic = alsa_virtmic(data_dir / "zh_welcome.wav", pad_s=60)
    rec = SoundDeviceRecorder(device="virtmic")
    rec.start(tmp_path / "a.wav")
    deadline = time.monotonic() + 20
    while rec.samples < RATE and time.monotonic() < deadline:
        time.sleep(0.01)
    result = rec.stop()
    assert result.samples >= RATE and rec.finish_reason == "stopped"
    on_disk = sf.read(result.path, dtype="int16")[0]
    assert on_disk.size == result.samples
    n = min(on_disk.size, mic.samples.size)
    assert np.array_equal(on_disk[:n], mic.samples[:n])


@pytest.mark.audio
def test_unknown_device_is_a_one_line_error(
    alsa_virtmic: Callable[..., Any], tmp_path: Path
) -> None:
    alsa_virtmic(np.zeros(RATE, dtype=np.int16))
    rec = SoundDeviceRecorder(device="Blue Yeti")
    with pytest.raises(DeviceError) as err:
        rec.start(tmp_path / "x.wav")
    msg = str(err.value)
    assert msg.startswith("input device 'Blue Yeti' not found; available: ") and "\n" not in msg
    assert "'virtmic'" in msg
    assert not (tmp_path / "x.wav").exists()


@pytest.mark.audio
def test_unsupported_format_names_the_device(
    alsa_virtmic: Callable[..., Any], tmp_path: Path
) -> None:
    alsa_virtmic(np.zeros(RATE, dtype=np.int16))
    rec = SoundDeviceRecorder(device="virtmic", capture_rate=1_000_000_000)
    with pytest.raises(DeviceError, match=r"cannot record from input device 'virtmic' \(\d+\)"):
        rec.start(tmp_path / "x.wav")
    assert not (tmp_path / "x.wav").exists()


@pytest.mark.audio
def test_device_at_48k_is_resampled_to_16k(
    alsa_virtmic: Callable[..., Any], data_dir: Path, tmp_path: Path
) -> None:
    """A microphone that only does 48 kHz: captured at 48k, written at 16k, same speech."""
    clip = sf.read(data_dir / "zh_welcome.wav", dtype="float32")[0]
    t48 = np.arange(clip.size * 3) / 3.0
    up = np.interp(t48, np.arange(clip.size), clip)
    alsa_virtmic(np.round(up * 32767).astype(np.int16))
    rec = SoundDeviceRecorder(device="virtmic", capture_rate=48_000, max_seconds=3.0)
    blocks: list[np.ndarray] = []
    rec.start(tmp_path / "a.wav", on_audio=blocks.append)
    assert rec.finished.wait(20)
    result = rec.stop()
    assert result.samples == 3 * RATE and result.sample_rate == RATE
    on_disk, rate = sf.read(result.path, dtype="float32")
    assert rate == RATE and on_disk.size == 3 * RATE
    assert sum(b.size for b in blocks) == 3 * RATE
    assert _best_correlation(on_disk, clip[: int(2.5 * RATE)]) > 0.99


def test_device_rate_falls_back_to_the_device_default() -> None:
    from kiosk.audio.devices import DeviceInfo

    class PickySd:
        PortAudioError = RuntimeError

        @staticmethod
        def check_input_settings(**kw: Any) -> None:
            if kw["samplerate"] != 48_000:
                raise RuntimeError("Invalid sample rate")

    usb = DeviceInfo(3, "USB mic", "ALSA", 1, 0, 48_000.0)
    assert SoundDeviceRecorder()._device_rate(PickySd, usb) == 48_000
    easy = DeviceInfo(4, "default", "ALSA", 32, 32, 44_100.0)
    assert (
        SoundDeviceRecorder()._device_rate(
            SimpleNamespace(PortAudioError=RuntimeError, check_input_settings=lambda **kw: None),
            easy,
        )
        == RATE
    )


def test_overflows_are_counted(tmp_path: Path) -> None:
    """The PortAudio callback counts overflow flags (driven directly: they cannot be forced)."""
    rec = SoundDeviceRecorder()
    block = np.zeros((800, 1), dtype=np.int16)
    for flag in (True, False, True):
        rec._callback(block, 800, None, SimpleNamespace(input_overflow=flag))
    assert rec.overflows == 2


# --- real time through PulseAudio ----------------------------------------------------------


def _best_correlation(recorded: np.ndarray, source: np.ndarray) -> float:
    """Normalised correlation of ``source`` with ``recorded`` at the best lag."""
    a = recorded.astype(np.float64)
    b = source.astype(np.float64)
    n = len(a) + len(b)
    xc = np.fft.irfft(np.fft.rfft(a, n) * np.conj(np.fft.rfft(b, n)), n)
    lag = int(np.argmax(xc[: len(a)]))
    seg = a[lag : lag + len(b)]
    m = min(len(seg), len(b))
    seg, ref = seg[:m], b[:m]
    return float(np.dot(seg, ref) / (np.linalg.norm(seg) * np.linalg.norm(ref) + 1e-12))


@pytest.mark.audio
def test_pulse_real_time_recording_matches_the_clip(
    pulse_virtual_audio: Any, data_dir: Path, tmp_path: Path
) -> None:
    clip = data_dir / "zh_welcome.wav"
    source = sf.read(clip, dtype="int16")[0]
    rec = SoundDeviceRecorder(device="pulse", max_seconds=3.5)
    first = threading.Event()
    rec.start(tmp_path / "pulse.wav", on_audio=lambda b: first.set())
    assert first.wait(10), "no audio callback from PulseAudio"
    t0 = time.monotonic()
    feeder = pulse_virtual_audio.feed(clip)
    assert rec.finished.wait(15)
    wall = time.monotonic() - t0
    result = rec.stop()
    feeder.kill()
    feeder.wait()
    assert result.samples == int(3.5 * RATE)
    assert wall > 2.5  # real time, unlike the ALSA file device
    recorded = sf.read(result.path, dtype="int16")[0]
    assert _best_correlation(recorded, source[: int(2.5 * RATE)]) > 0.95


_KILLED = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from kiosk.audio.recorder import SoundDeviceRecorder
    rec = SoundDeviceRecorder()
    rec.start(Path(sys.argv[1]), on_audio=lambda b: print(rec.samples, flush=True))
    time.sleep(60)
    """
)


@pytest.mark.audio
def test_kill_during_recording_then_repair(
    pulse_virtual_audio: Any, data_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "killed.wav"
    proc = subprocess.Popen(
        [sys.executable, "-c", _KILLED, str(path)],
        cwd=ROOT, env=pulse_virtual_audio.env, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert first, "the recording subprocess produced no audio"
    t0 = time.monotonic()
    feeder = pulse_virtual_audio.feed(data_dir / "zh_welcome.wav")
    reported = int(first)
    while time.monotonic() - t0 < 2.0:
        line = proc.stdout.readline()
        assert line
        reported = int(line)
    proc.send_signal(signal.SIGKILL)
    elapsed = time.monotonic() - t0
    proc.wait()
    feeder.kill()
    feeder.wait()
    kept = repair_wav(path)
    assert kept >= reported  # each block is on disk before on_audio sees it
    assert kept >= (elapsed - 0.5) * RATE
    audio, rate = sf.read(path, dtype="int16")
    assert rate == RATE and audio.size == kept
    assert np.abs(audio.astype(np.int32)).max() > 1000  # the speech, not silence


@pytest.mark.audio
def test_device_failure_mid_recording_is_reported_and_audio_kept(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A sound server dying mid-answer: one DeviceError, and the audio so far is on disk."""
    errors: list[Exception] = []
    with running_pulse(tmp_path_factory.mktemp("xdg-dying")) as pulse, use_pulse(pulse):
        rec = SoundDeviceRecorder(device="pulse")
        rec.start(tmp_path / "cut.wav", on_error=errors.append)
        deadline = time.monotonic() + 10
        while rec.samples < RATE // 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        before = rec.samples
        pulse.server.kill()
        pulse.server.wait()
        assert rec.finished.wait(10)
        result = rec.stop()
    assert before >= RATE // 2
    assert rec.finish_reason == "error"
    assert len(errors) == 1 and isinstance(errors[0], DeviceError)
    msg = str(errors[0])
    assert msg.startswith("input device 'pulse' ") and str(result.path) in msg
    assert "\n" not in msg
    assert result.samples >= before
    assert sf.info(result.path).frames == result.samples
