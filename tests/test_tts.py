"""Reading questions aloud: real espeak-ng synthesis, quiet terminals, playback, stopping."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kiosk.audio import tts
from kiosk.audio.playback import play, resample_linear
from kiosk.audio.tts import NullSpeaker, Pyttsx3Speaker, SpeechError, spoken_language

QUESTION_EN = "Tell me about a product you admire, and why."


def _speaker(**kw: Any) -> Pyttsx3Speaker:
    return Pyttsx3Speaker(mandarin=False, **kw)


def test_english_synthesis_prints_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    speaker = _speaker()
    assert speaker.available()
    samples, rate = speaker.synthesize(QUESTION_EN, "en")
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")
    assert samples.dtype == np.float32 and rate > 8000
    assert 1.2 < samples.size / rate < 6.0  # eight words at about 170 words a minute
    assert np.abs(samples).max() > 0.1


def test_each_utterance_is_its_own(capfd: pytest.CaptureFixture[str]) -> None:
    """One engine thread, one job at a time: a long and a short text give different lengths."""
    speaker = _speaker()
    results: dict[str, float] = {}

    def say(text: str) -> None:
        s, r = speaker.synthesize(text, "en")
        results[text] = s.size / r

    long_text = "Walk me through how you would measure the success of a new onboarding flow."
    threads = [threading.Thread(target=say, args=(t,)) for t in (long_text, "Why?")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results[long_text] > 3 * results["Why?"] > 0
    assert capfd.readouterr() == ("", "")


def test_rate_changes_duration() -> None:
    slow = _speaker(rate=110).synthesize(QUESTION_EN, "en")
    fast = _speaker(rate=260).synthesize(QUESTION_EN, "en")
    assert slow[0].size / slow[1] > 1.5 * fast[0].size / fast[1]


def test_mandarin_fallback_voice_is_pinyin_mandarin(capfd: pytest.CaptureFixture[str]) -> None:
    """Without the neural voice, espeak-ng's cmn-latn-pinyin reads the Hanzi (not digits)."""
    samples, rate = _speaker().synthesize("请先做个简单的自我介绍。", "zh")
    assert 1.0 < samples.size / rate < 8.0
    assert tts.ESPEAK_VOICES["zh"].endswith("cmn-latn-pinyin")
    assert capfd.readouterr() == ("", "")


def test_language_detection() -> None:
    assert spoken_language("为什么想做产品经理？", "auto") == "zh"
    assert spoken_language("Why product management?", "auto") == "en"
    assert spoken_language("Why?", "zh") == "zh"


def test_speak_plays_on_the_chosen_device_and_stop_cuts_it_short() -> None:
    calls: list[dict[str, Any]] = []

    def player(samples: Any, sr: int, device: Any = None, stop_event: Any = None) -> bool:
        calls.append({"n": len(samples), "sr": sr, "device": device})
        return not stop_event.wait(10)

    speaker = _speaker(device="VirtualSpeaker", player=player)
    timer = threading.Timer(0.3, speaker.stop)
    timer.start()
    t0 = time.monotonic()
    speaker.speak(QUESTION_EN, "en")
    assert time.monotonic() - t0 < 5
    assert calls and calls[0]["device"] == "VirtualSpeaker" and calls[0]["n"] > 0


def test_engine_that_cannot_start_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    import pyttsx3

    def broken(*_a: Any, **_k: Any) -> Any:
        raise RuntimeError("could not initialize espeak")

    monkeypatch.setattr(pyttsx3, "init", broken)
    monkeypatch.setattr(tts, "_Espeak", broken)
    monkeypatch.setattr(tts, "_shared_engine", None)  # a fresh engine thread for this test
    speaker = _speaker()
    assert not speaker.available()
    with pytest.raises(SpeechError, match=r"could not start.*shown as text only") as err:
        speaker.synthesize("Hello", "en")
    assert "\n" not in str(err.value)


def test_wedged_engine_times_out(monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()

    def hang(*_a: Any) -> Any:
        release.wait(10)
        raise RuntimeError("released")

    monkeypatch.setattr(tts._EngineThread, "_synthesize", hang)
    speaker = _speaker(timeout_s=0.5)
    t0 = time.monotonic()
    try:
        with pytest.raises(SpeechError, match="did not answer within"):
            speaker.synthesize("Hello", "en")
        assert time.monotonic() - t0 < 3
        assert not speaker.available()
    finally:
        release.set()


def test_null_speaker() -> None:
    speaker = NullSpeaker()
    assert speaker.available()
    speaker.speak("anything", "en")
    speaker.stop()


def test_resample_linear_keeps_duration_and_tone() -> None:
    t = np.arange(22050) / 22050
    tone = np.sin(2 * np.pi * 300 * t).astype(np.float32)
    out = resample_linear(tone, 22050, 16000)
    assert out.size == 16000 and out.dtype == np.float32
    spectrum = np.abs(np.fft.rfft(out))
    assert abs(int(np.argmax(spectrum)) - 300) <= 1


# --- through the PulseAudio virtual speaker ------------------------------------------------


def _recorded(path: Path) -> np.ndarray:
    return np.fromfile(path, dtype="<i2").astype(np.float32) / 32768


@pytest.mark.audio
def test_speak_reaches_the_virtual_speaker(pulse_virtual_audio: Any, tmp_path: Path) -> None:
    out = tmp_path / "speaker.raw"
    monitor = pulse_virtual_audio.record_speaker(out)
    time.sleep(0.3)
    try:
        speaker = _speaker(device="pulse")
        t0 = time.monotonic()
        speaker.speak(QUESTION_EN, "en")
        spoke = time.monotonic() - t0
        time.sleep(0.3)
    finally:
        monitor.terminate()
        monitor.wait()
    heard = _recorded(out)
    samples, rate = speaker.synthesize(QUESTION_EN, "en")
    assert samples.size / rate > 1.0
    assert spoke >= samples.size / rate * 0.9  # speak blocks until the audio has played
    loud = np.abs(heard) > 0.05
    assert loud.sum() > 0.2 * 16000
    assert np.abs(heard).max() == pytest.approx(np.abs(samples).max(), rel=0.25)


@pytest.mark.audio
def test_play_can_be_stopped(pulse_virtual_audio: Any) -> None:
    tone = (0.3 * np.sin(2 * np.pi * 440 * np.arange(16000 * 10) / 16000)).astype(np.float32)
    stop = threading.Event()
    threading.Timer(0.3, stop.set).start()
    t0 = time.monotonic()
    assert play(tone, 16000, device="pulse", stop_event=stop) is False
    assert time.monotonic() - t0 < 2.0
    t0 = time.monotonic()
    assert play(tone[:8000], 16000, device="pulse") is True
    assert time.monotonic() - t0 >= 0.4  # blocks while the clip plays


# --- intelligibility: the real speech model hears the question -----------------------------


@pytest.mark.model
def test_english_question_is_intelligible(transcriber: Any) -> None:
    """The real speech model, hearing the synthesised question, gets (nearly) every word."""
    from kiosk.audio.files import resample

    samples, rate = _speaker().synthesize(QUESTION_EN, "en")
    text = transcriber.transcribe(resample(samples, rate), language="en").text.lower()
    words = [w.strip(",.?!") for w in QUESTION_EN.lower().split()]
    heard = sum(1 for w in words if w in text.replace(",", " ").replace(".", " ").split())
    assert heard >= len(words) - 1, text
