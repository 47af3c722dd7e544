"""Pilot tests of live transcription in the booth: captions while recording, a UI that never
waits for the model, and a report built from the streamed transcript without a batch pass.

The microphone is the project's fake, fed block by block with real speech (so the real
voice-activity detector finds the pauses); the model is a scripted chunk decoder that takes
its time, so a key press can be made while a decode is under way.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Static

from kiosk.audio.fakes import FakeRecorder
from kiosk.audio.files import load_audio
from kiosk.core.chunking import Caption
from kiosk.core.ports import SAMPLE_RATE, Audio
from kiosk.core.transcript import Word
from kiosk.speech.fakes import FakeTranscriber
from kiosk.ui import messages as msg
from kiosk.ui.screens.recording import RecordingScreen
from kiosk.ui.screens.report import ReportScreen
from tests.test_ui_support import Booth, booth, open_first_question, until, zh_transcript

DATA = Path(__file__).parent / "data"
SIZE = (110, 40)


@dataclass
class SlowChunkModel(FakeTranscriber):
    """A fake model that can also decode chunks: one word per chunk, after ``chunk_delay``."""

    chunk_delay: float = 1.0
    chunks: list[int] = field(default_factory=list)
    busy: threading.Event = field(default_factory=threading.Event)

    def detect_language(self, audio: Audio, hint: str | None = None) -> str:
        return "zh"

    def draft_words(self, audio: Audio, lang: str) -> list[Word]:
        """A draft reading of the whole unfinished range, as the real model's covers it."""
        seconds = len(audio) / SAMPLE_RATE
        return [Word(f"草稿{seconds:.1f}秒", 0.0, seconds)] if seconds >= 0.5 else []

    def decode_words(self, audio: Audio, lang: str) -> list[Word]:
        self.busy.set()
        try:
            time.sleep(self.chunk_delay)
            self.chunks.append(len(audio))
            seconds = len(audio) / SAMPLE_RATE
            return [Word(f"第{len(self.chunks)}段。", max(0.0, seconds - 1.0), seconds - 0.2)]
        finally:
            self.busy.clear()


def speech() -> Audio:
    """Six seconds of real Mandarin (pauses at about 2 s and 4.4 s), then a second of silence."""
    talk = load_audio(DATA / "zh_conversation.wav")[: 6 * SAMPLE_RATE]
    return np.concatenate([talk, np.zeros(SAMPLE_RATE, np.float32)])


def captions(seen: list[Message]) -> list[Caption]:
    """The captions the recording screen handled, in order."""
    return [m.caption for m in seen if isinstance(m, msg.CaptionUpdate)]


async def recording_with_model(b: Booth, pilot: Pilot[int]) -> RecordingScreen:
    await open_first_question(pilot)
    await until(pilot, lambda: b.app.models.loaded)
    await pilot.press("space")
    await until(pilot, lambda: getattr(b.app.screen, "state", "") == "recording")
    screen = b.app.screen
    assert isinstance(screen, RecordingScreen)
    return screen


async def speak(b: Booth, pilot: Pilot[int], seconds: float) -> None:
    """Deliver ``seconds`` of the fake microphone's audio in quarter seconds, as if live."""
    for _ in range(round(seconds / 0.25)):
        b.recorder.step(5)
        await pilot.pause(0.03)


async def test_captions_while_recording_and_report_from_the_stream() -> None:
    model = SlowChunkModel(chunk_delay=0.3)
    b = booth(recorder=FakeRecorder(speech(), pace="manual"), transcriber=model)
    seen: list[Message] = []
    async with b.app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        screen = await recording_with_model(b, pilot)
        assert screen.stream is not None
        await speak(b, pilot, 3.0)
        await until(pilot, lambda: bool(captions(seen)))
        # the pass run ahead at the first pause, or a draft over the speech after it (a
        # newer caption replaces an older one still queued, so either may be shown first)
        first = captions(seen)[0].text
        assert first == "第1段。" or first.startswith("草稿"), first
        rendered = lambda: str(screen.query_one("#captions", Static).render())  # noqa: E731
        await until(pilot, lambda: "第1段" in rendered() or "草稿" in rendered())

        await speak(b, pilot, 4.0)  # the rest, ending in a second of silence
        await until(pilot, lambda: len(model.chunks) >= 2 and not model.busy.is_set())
        b.clock.t += 7.0
        await pilot.press("space")
        await until(pilot, lambda: isinstance(b.app.screen, ReportScreen))
        report = b.app.screen
        assert isinstance(report, ReportScreen)
        assert model.calls == [], "no batch pass: the streamed transcript was used"
        words = [w.text for w in report.report.transcript.words]
        shown = captions(seen)
        assert all(c.text for c in shown), "once shown, captions never go blank mid-answer"
        last = shown[-1]
        # final words stay; only a sentence end at a chunk join is dropped once speech follows
        assert report.report.transcript.text.startswith(last.final_text.rstrip("。"))
        assert len(words) >= 2 and len(set(words)) == len(words)
        starts = [w.start for w in report.report.transcript.words]
        assert starts == sorted(starts)
        assert report.report.transcript.duration == 7.0
        assert report.report.transcript.speech, "speech spans from the live VAD"


@dataclass
class GatedChunkModel(SlowChunkModel):
    """A chunk decoder that holds every decode until the test opens the gate."""

    gate: threading.Event = field(default_factory=threading.Event)

    def decode_words(self, audio: Audio, lang: str) -> list[Word]:
        self.busy.set()
        if not self.gate.wait(timeout=60):
            raise RuntimeError("the test never opened the gate")
        return super().decode_words(audio, lang)


async def test_keys_are_handled_while_a_slow_decode_runs() -> None:
    model = GatedChunkModel(chunk_delay=0.0)
    b = booth(recorder=FakeRecorder(speech(), pace="manual"), transcriber=model)
    async with b.app.run_test(size=SIZE) as pilot:
        screen = await recording_with_model(b, pilot)
        await speak(b, pilot, 2.75)
        await until(pilot, model.busy.is_set)
        await pilot.press("space")
        # the decode cannot end before the gate opens, so the screen must move without it
        await until(pilot, lambda: screen.state != "recording")
        assert model.busy.is_set() and not model.chunks, "handled while the model was decoding"
        model.gate.set()
        await until(pilot, lambda: isinstance(b.app.screen, ReportScreen), timeout=10.0)
        assert model.calls == []


async def test_a_failing_stream_falls_back_to_the_batch_pass() -> None:
    class Broken(SlowChunkModel):
        def decode_words(self, audio: Audio, lang: str) -> list[Word]:
            raise RuntimeError("chunk decoder broke")

    model = Broken(zh_transcript(), chunk_delay=0.0)
    b = booth(recorder=FakeRecorder(speech(), pace="manual"), transcriber=model)
    async with b.app.run_test(size=SIZE) as pilot:
        await recording_with_model(b, pilot)
        await speak(b, pilot, 7.0)
        b.clock.t += 7.0
        await pilot.press("space")
        await until(pilot, lambda: isinstance(b.app.screen, ReportScreen))
        assert len(model.calls) == 1, "the recording was transcribed after stop instead"


async def test_a_model_without_chunk_decoding_records_without_captions() -> None:
    b = booth(recorder=FakeRecorder(speech(), pace="manual"))
    async with b.app.run_test(size=SIZE) as pilot:
        screen = await recording_with_model(b, pilot)
        assert screen.stream is None
        await speak(b, pilot, 7.0)
        await pilot.press("space")
        await until(pilot, lambda: isinstance(b.app.screen, ReportScreen))
        assert len(b.transcriber.calls) == 1


async def test_with_live_transcription_off_the_answer_is_transcribed_after_the_stop() -> None:
    from kiosk.config import Settings

    model = SlowChunkModel(zh_transcript(), chunk_delay=0.0)
    b = booth(
        recorder=FakeRecorder(speech(), pace="manual"),
        transcriber=model,
        settings=Settings(live_transcription=False),
    )
    async with b.app.run_test(size=SIZE) as pilot:
        screen = await recording_with_model(b, pilot)
        assert screen.stream is None, "no live transcription"
        await speak(b, pilot, 7.0)
        b.clock.t += 7.0
        await pilot.press("space")
        await until(pilot, lambda: isinstance(b.app.screen, ReportScreen))
        assert model.chunks == [] and len(model.calls) == 1


async def test_a_stream_that_fell_behind_suggests_turning_it_off() -> None:
    model = SlowChunkModel(zh_transcript(), chunk_delay=3.0)  # passes slower than speech
    b = booth(recorder=FakeRecorder(speech(), pace="manual"), transcriber=model)
    seen: list[Message] = []
    async with b.app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await recording_with_model(b, pilot)
        for _ in range(28):  # 7 s of audio, four times faster than real time
            b.recorder.step(5)
            await pilot.pause(0.0625)
        b.clock.t += 7.0
        await pilot.press("space")
        await until(pilot, lambda: isinstance(b.app.screen, ReportScreen), timeout=40)
        titles = [n.title for n in b.app._notifications]
        assert "Live transcription fell behind" in titles
        statuses = [m.text for m in seen if isinstance(m, msg.AnalysisStatus)]
        assert any(s.startswith("Finishing the transcript: the last ") for s in statuses)
