"""The scripted transcriber used by UI and pipeline tests behaves like the real one."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from kiosk.core.errors import ModelError
from kiosk.core.ports import Cancelled, Progress, Transcriber
from kiosk.core.transcript import Transcript, Word
from kiosk.speech.fakes import FakeTranscriber, words_from

ONE_SECOND = np.zeros(16_000, np.float32)


def test_it_satisfies_the_transcriber_port() -> None:
    fake: Transcriber = FakeTranscriber()
    assert fake.transcribe(ONE_SECOND).is_empty


def test_scripted_transcript_is_returned_as_is() -> None:
    script = Transcript(language="en", duration=1.0, words=(Word("um,", 0.1, 0.3),))
    assert FakeTranscriber(transcript=script).transcribe(ONE_SECOND, "zh") is script


def test_words_become_a_transcript_with_the_asked_language() -> None:
    fake = FakeTranscriber(words=words_from("嗯 我 觉得"), language="zh")
    tx = fake.transcribe(ONE_SECOND, "en")
    assert tx.language == "en" and tx.text == "嗯我觉得" and tx.duration == 1.0
    assert tx.speech[0].start == 0.0 and tx.speech[0].end == tx.words[-1].end
    assert fake.transcribe(ONE_SECOND).language == "zh"


def test_words_from_splits_han_text_per_character() -> None:
    words = words_from("我觉得啊", start=1.0, step=0.5)
    assert [w.text for w in words] == ["我", "觉", "得", "啊"]
    assert words[1].start == 1.5 and words[1].end < words[2].start


def test_calls_and_progress_are_recorded() -> None:
    fake = FakeTranscriber(steps=3)
    seen: list[Progress] = []
    fake.transcribe(ONE_SECOND, "zh", on_progress=seen.append)
    assert [round(p.fraction, 2) for p in seen] == [0.33, 0.67, 1.0]
    assert fake.calls[0].samples == 16_000 and fake.calls[0].language == "zh"


def test_cancel_interrupts_the_delay() -> None:
    fake = FakeTranscriber(delay=5.0)
    stop = threading.Event()
    threading.Timer(0.1, stop.set).start()
    began = time.monotonic()
    with pytest.raises(Cancelled):
        fake.transcribe(ONE_SECOND, cancel=stop)
    assert time.monotonic() - began < 2.0


def test_scripted_error_is_raised_after_the_delay() -> None:
    fake = FakeTranscriber(error=ModelError("model broke"), delay=0.05)
    with pytest.raises(ModelError, match="model broke"):
        fake.transcribe(ONE_SECOND)
    assert len(fake.calls) == 1
