"""Doubles and builders shared by the booth's Pilot and snapshot tests (no tests here).

The doubles are the project's own (``kiosk.audio.fakes``, ``kiosk.speech.fakes``), injected
through the booth's services: the microphone plays a given array one block per step and writes it
through the real WAV writer, the transcriber returns a given transcript, the player keeps
what it was asked to play. The clock only moves when told. Pipeline and metrics are real;
so is live transcription (over a model that can decode chunks) unless ``streams`` is given.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from textual.pilot import Pilot

from kiosk.audio.fakes import FakePlayer, FakeRecorder, FakeSpeaker
from kiosk.config import Settings
from kiosk.core.errors import DeviceError, ModelError
from kiosk.core.ports import SAMPLE_RATE, Player, StreamOpener
from kiosk.core.target import Target
from kiosk.core.transcript import Span, Transcript, Word
from kiosk.questions.library import Library
from kiosk.questions.model import Bank, Kind, Question
from kiosk.speech.fakes import FakeTranscriber
from kiosk.speech.live import open_stream
from kiosk.store.database import Store
from kiosk.ui.app import KioskApp, make_app
from tests.support.audio import tone


def deliver(recorder: FakeRecorder, seconds: float | None = None) -> None:
    """Let a manual-pace fake microphone deliver ``seconds`` of its audio (all if None)."""
    total = recorder.audio.size if seconds is None else int(seconds * SAMPLE_RATE)
    recorder.step(-(-total // recorder.block))


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
    player: Player = field(default_factory=FakePlayer)


def booth(
    *,
    recorder: FakeRecorder | None = None,
    speaker: FakeSpeaker | None = None,
    transcript: Transcript | None = None,
    transcriber: FakeTranscriber | None = None,
    model_error: str | None = None,
    settings: Settings | None = None,
    lib: Library | None = None,
    store: Store | None = None,
    player: Player | None = None,
    streams: StreamOpener | None = None,
    room: Callable[[Path], float] | None = None,
) -> Booth:
    rec = recorder or FakeRecorder(tone(7.0), pace="manual")
    spk = speaker or FakeSpeaker()
    out = player or FakePlayer()
    tr = transcriber or FakeTranscriber(transcript or zh_transcript())
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
        player=out,
        streams=streams or open_stream,
        clock=clock,
        wall_clock=lambda: datetime(2026, 11, 23, 9, 30, 0),
        seed=7,
        store=store,
        room=room,
    )
    return Booth(app, rec, spk, tr, clock, loads, out)


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


async def answer_to_report(b: Booth, pilot: Pilot[object], seconds: float = 7.0) -> None:
    """From a question screen: record ``seconds`` of the fake microphone, stop, and wait for
    the report."""
    from kiosk.ui.screens.report import ReportScreen

    await pilot.press("space")
    await until(pilot, lambda: getattr(b.app.screen, "state", "") == "recording")
    deliver(b.recorder)
    b.clock.t += seconds
    await pilot.press("space")
    await until(pilot, lambda: isinstance(b.app.screen, ReportScreen))
