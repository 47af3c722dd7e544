"""The recorder and speaker doubles behave like the real ones where tests rely on it."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from kiosk.audio.fakes import FakeRecorder, FakeSpeaker
from kiosk.audio.wav import to_int16
from kiosk.core.errors import DeviceError

RATE = 16_000


def _noise(seconds: float) -> np.ndarray:
    rng = np.random.default_rng(1)
    return (0.2 * rng.standard_normal(int(seconds * RATE))).astype(np.float32)


def test_fast_pace_writes_the_wav_through_the_real_writer(tmp_path: Path) -> None:
    audio = _noise(2.0)
    blocks: list[np.ndarray] = []
    rec = FakeRecorder(audio, pace="fast", overflows=3)
    rec.start(tmp_path / "a.wav", on_audio=blocks.append)
    assert rec.finished.wait(5) and rec.finish_reason == "exhausted"
    result = rec.stop()
    assert result.samples == audio.size and result.overflows == 3
    assert np.array_equal(np.concatenate(blocks), audio)
    assert all(b.size == 800 for b in blocks)
    on_disk = sf.read(result.path, dtype="int16")[0]
    assert np.array_equal(on_disk, to_int16(audio))


def test_realtime_pace_takes_real_time(tmp_path: Path) -> None:
    rec = FakeRecorder(_noise(0.6), pace="realtime")
    t0 = time.monotonic()
    rec.start(tmp_path / "a.wav")
    assert rec.finished.wait(5)
    assert time.monotonic() - t0 >= 0.5
    assert rec.stop().samples == int(0.6 * RATE)


def test_manual_steps_and_early_stop(tmp_path: Path) -> None:
    rec = FakeRecorder(_noise(5.0), pace="manual")
    rec.start(tmp_path / "a.wav")
    assert rec.step(3) == 3 and rec.samples == 2400
    assert not rec.finished.is_set()
    result = rec.stop()
    assert result.samples == 2400 and rec.finish_reason == "stopped"
    assert sf.info(result.path).frames == 2400
    assert rec.step() == 0  # nothing after stop


def test_injected_device_error_keeps_the_audio(tmp_path: Path) -> None:
    errors: list[Exception] = []
    rec = FakeRecorder(_noise(3.0), pace="fast", error_after_s=1.0)
    rec.start(tmp_path / "a.wav", on_error=errors.append)
    assert rec.finished.wait(5) and rec.finish_reason == "error"
    result = rec.stop()
    assert len(errors) == 1 and isinstance(errors[0], DeviceError)
    assert "stopped working after 1.0 s" in str(errors[0])
    assert result.samples == RATE and sf.info(result.path).frames == RATE


def test_cap_and_failure_at_start(tmp_path: Path) -> None:
    rec = FakeRecorder(_noise(3.0), pace="fast", max_seconds=1.25)
    rec.start(tmp_path / "a.wav")
    assert rec.finished.wait(5) and rec.finish_reason == "cap"
    assert rec.stop().samples == 20_000
    broken = FakeRecorder(fail_with=DeviceError("no input device: plug a microphone"))
    with pytest.raises(DeviceError, match="no input device"):
        broken.start(tmp_path / "b.wav")
    assert not (tmp_path / "b.wav").exists()


def test_fake_speaker_records_and_can_be_stopped() -> None:
    speaker = FakeSpeaker(delay=5.0)
    threading.Timer(0.1, speaker.stop).start()
    t0 = time.monotonic()
    speaker.speak("为什么想做产品经理？", "zh")
    assert time.monotonic() - t0 < 2
    quick = FakeSpeaker()
    quick.speak("Why?", "en")
    assert speaker.spoken[0].completed is False and quick.spoken[0].completed is True
    assert quick.texts == ["Why?"] and speaker.stops == 1
    mute = FakeSpeaker(available=False)
    assert not mute.available()
    with pytest.raises(RuntimeError):
        mute.speak("x", "en")
