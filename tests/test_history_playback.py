"""Playing part of a stored answer through a real output device: the PulseAudio virtual
speaker, whose monitor is recorded while the review screen plays from a chosen word."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from kiosk.audio.playback import DevicePlayer
from kiosk.core.transcript import Span, Transcript, Word
from kiosk.store.database import Store
from kiosk.ui.screens.review import ReviewScreen
from kiosk.ui.widgets.transcript_view import TranscriptView
from tests.plugins.virtual_audio import PulseAudio
from tests.support.history import StepClock, keep, zh_question
from tests.test_ui_support import booth, until

pytestmark = pytest.mark.audio


def quiet_then_loud() -> Transcript:
    """Two words, the second from 2.0 s."""
    words = (Word("我们", 0.5, 1.5), Word("项目", 2.0, 3.0))
    return Transcript("zh", 3.0, words, (Span(0.5, 3.0),))


async def test_review_plays_from_a_word_on_the_virtual_speaker(
    pulse_virtual_audio: PulseAudio, tmp_path: Path
) -> None:
    clock = StepClock()
    with Store.open(clock=clock) as store:
        kept = keep(store, clock, zh_question(), quiet_then_loud())
        # 220 Hz under the first word, 440 Hz from the second word on.
        t = np.arange(48000, dtype=np.float32) / 16000
        hz = np.where(t >= 2.0, 440.0, 220.0)
        audio = (0.5 * np.sin(2 * np.pi * hz * t)).astype(np.float32)
        sf.write(str(kept.audio), audio, 16000, subtype="PCM_16")

        b = booth(store=store, player=DevicePlayer())  # the real one: a virtual speaker
        out = tmp_path / "speaker.raw"
        async with b.app.run_test(size=(110, 40)) as pilot:
            await pilot.press("h", "enter")
            screen = b.app.screen
            assert isinstance(screen, ReviewScreen)
            await pilot.press("right")
            assert screen.query_one(TranscriptView).word == 1
            recorder = pulse_virtual_audio.record_speaker(out)
            time.sleep(0.3)
            await pilot.press("p")
            await until(pilot, lambda: screen.playing)
            await until(pilot, lambda: not screen.playing, timeout=10)
            await pilot.pause(0.3)
            recorder.terminate()
            recorder.wait(5)
            assert not [n for n in b.app._notifications if "Cannot play" in n.message]

    heard = np.fromfile(out, dtype="<i2").astype(np.float32) / 32768
    loud = np.abs(heard) > 0.1
    assert loud.any(), "the tone reached the speaker"
    first, last = np.argmax(loud), len(loud) - np.argmax(loud[::-1])
    seconds = (last - first) / 16000
    # Played from the second word (2.0 s − 0.05 s lead-in) to the end: about 1.05 s, not 3.
    assert 0.9 < seconds < 1.25, seconds
    played = heard[first:last]
    rms = float(np.sqrt(np.mean(played**2)))
    assert 0.25 < rms < 0.45, rms  # a 0.5-amplitude sine has an RMS of 0.35
    spectrum = np.abs(np.fft.rfft(played))
    peak_hz = np.argmax(spectrum) * 16000 / played.size
    assert abs(peak_hz - 440) < 10, peak_hz
