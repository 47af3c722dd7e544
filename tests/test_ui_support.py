"""Doubles and builders shared by the booth's Pilot and snapshot tests (no tests here).

The doubles are deliberately tiny and controlled from the test: the recorder writes a real
WAV of exactly the audio the test feeds it, the transcriber returns a given transcript, the
clock only moves when told. The pipeline and metrics are the real ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
from textual.pilot import Pilot

from audio.files import write_wav
from kiosk.config import Settings
from kiosk.core.errors import DeviceError, ModelError
from kiosk.core.ports import (
    SAMPLE_RATE,
    Audio,
    AudioCallback,
    ErrorCallback,
    Language,
    ProgressCallback,
    RecordingResult,
)
from kiosk.core.target import Target
from kiosk.core.transcript import Span, Transcript, Word
from kiosk.ui.app import KioskApp, make_app
from questions.library import Library
from questions.model import Bank, Kind, Question


def tone(seconds: float, amplitude: float = 0.3) -> Audio:
    """A 220 Hz tone: loud enough to count as sound, not silence."""
    t = np.arange(int(seconds * SAMPLE_RATE), dtype=np.float32) / SAMPLE_RATE
    return (amplitude * np.sin(2 * np.pi * 220 * t)).astype(np.float32)


class FakeSpeaker:
    def __init__(self, available: bool = True) -> None:
        self._available = available
        self.spoken: list[tuple[str, str]] = []
        self.stops = 0

    def available(self) -> bool:
        return self._available

    def speak(self, text: str, language: Language) -> None:
        self.spoken.append((text, language))

    def stop(self) -> None:
        self.stops += 1


class FakeRecorder:
    """Writes what the test feeds; ``fail_with`` makes ``start`` raise."""

    def __init__(self, fail_with: Exception | None = None) -> None:
        self.fail_with = fail_with
        self.path: Path | None = None
        self.blocks: list[Audio] = []
        self.on_audio: AudioCallback | None = None
        self.on_error: ErrorCallback | None = None
        self.started = 0

    def start(
        self,
        path: Path,
        on_audio: AudioCallback | None = None,
        on_error: ErrorCallback | None = None,
    ) -> None:
        if self.fail_with is not None:
            raise self.fail_with
        self.started += 1
        self.path, self.on_audio, self.on_error, self.blocks = path, on_audio, on_error, []

    def feed(self, audio: Audio, block: int = 800) -> None:
        for i in range(0, len(audio), block):
            chunk = audio[i : i + block]
            self.blocks.append(chunk)
            if self.on_audio is not None:
                self.on_audio(chunk)

    def lose(self, error: Exception) -> None:
        assert self.on_error is not None
        self.on_error(error)

    def stop(self) -> RecordingResult:
        assert self.path is not None
        audio = np.concatenate(self.blocks) if self.blocks else np.zeros(0, np.float32)
        write_wav(self.path, audio)
        return RecordingResult(self.path, len(audio), SAMPLE_RATE)


class FakeTranscriber:
    def __init__(self, transcript: Transcript) -> None:
        self.transcript = transcript
        self.calls: list[tuple[int, str]] = []

    def transcribe(
        self, audio: Audio, language: Language = "auto", on_progress: ProgressCallback | None = None
    ) -> Transcript:
        from kiosk.core.ports import Progress

        self.calls.append((len(audio), language))
        if on_progress is not None:
            total = len(audio) / SAMPLE_RATE
            on_progress(Progress(total / 2, total))
            on_progress(Progress(total, total))
        return self.transcript


def zh_transcript() -> Transcript:
    """嗯 我 负责 … with a filler at the start and a 1.5 s pause in the middle."""
    words = (
        Word("嗯，", 0.5, 0.9),
        Word("我", 1.0, 1.2),
        Word("负责", 1.2, 1.6),
        Word("一个", 1.6, 1.9),
        Word("医疗", 1.9, 2.3),
        Word("大模型", 2.3, 2.9),
        Word("项目。", 2.9, 3.3),
        Word("那个，", 4.8, 5.1),
        Word("我们", 5.1, 5.4),
        Word("提升了", 5.4, 5.9),
        Word("效率。", 5.9, 6.4),
    )
    return Transcript("zh", 7.0, words, (Span(0.5, 3.3), Span(4.8, 6.4)))


def question(qid: str = "zh-project", **kw: object) -> Question:
    values: dict[str, object] = {
        "id": qid,
        "bank_id": "test-bank",
        "language": "zh",
        "category": "项目经历",
        "kind": Kind.BEHAVIORAL,
        "text": "请介绍一个你负责过的 AI 项目。",
        "target": Target(4, 8),
        "follow_ups": ("这个项目最大的风险是什么？",),
    }
    values.update(kw)
    return Question(**values)  # type: ignore[arg-type]


def library() -> Library:
    qs = (
        question(),
        question(
            "zh-why",
            category="项目经历",
            kind=Kind.MOTIVATION,
            text="你为什么想做产品经理？",
            follow_ups=(),
        ),
        question(
            "en-intro-30",
            language="en",
            category="Self-introduction",
            kind=Kind.INTRO,
            text="Introduce yourself in 30 seconds.",
            target=Target(27, 33),
            tags=("drill",),
            follow_ups=(),
        ),
    )
    return Library((Bank("test-bank", "Test bank", "zh", qs),))


class Clock:
    def __init__(self, t: float = 1000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


@dataclass
class Booth:
    app: KioskApp
    recorder: FakeRecorder
    speaker: FakeSpeaker
    transcriber: FakeTranscriber
    clock: Clock
    loads: list[Settings] = field(default_factory=list)


def booth(
    *,
    recorder: FakeRecorder | None = None,
    speaker: FakeSpeaker | None = None,
    transcript: Transcript | None = None,
    model_error: str | None = None,
    settings: Settings | None = None,
    lib: Library | None = None,
) -> Booth:
    rec = recorder or FakeRecorder()
    spk = speaker or FakeSpeaker()
    tr = FakeTranscriber(transcript or zh_transcript())
    clock = Clock()
    loads: list[Settings] = []

    def load(s: Settings) -> FakeTranscriber:
        loads.append(s)
        if model_error:
            raise ModelError(model_error)
        return tr

    app = make_app(
        settings or Settings(),
        recorder_factory=lambda s: rec,
        speaker=spk,
        transcriber_factory=load,
        library=lib or library(),
        clock=clock,
        wall_clock=lambda: datetime(2026, 11, 23, 9, 30, 0),
        seed=7,
    )
    return Booth(app, rec, spk, tr, clock, loads)


async def until(pilot: Pilot[object], cond: Callable[[], bool], timeout: float = 5.0) -> None:
    """Let the app run until ``cond()`` holds (fails the test after ``timeout`` seconds)."""
    for _ in range(int(timeout / 0.02)):
        if cond():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"condition not met within {timeout} s")


async def open_first_question(pilot: Pilot[object]) -> None:
    """Home → By category → 项目经历 → first question."""
    await pilot.press("down", "enter", "down", "enter")


NO_DEVICE = DeviceError("no input device found: plug a microphone or pass --input-device")
