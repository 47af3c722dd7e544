"""The booth's live-transcription service, with its double (``kiosk.speech.fakes.FakeStreams``)
given through ``make_app(streams=…)``: what the booth does with a stream, whatever the
model. The real stream over a chunk-decoding model is tested in tests/test_streaming_ui.py.
"""

from __future__ import annotations

import numpy as np
from textual.pilot import Pilot
from textual.widgets import Static

from kiosk.audio.fakes import FakeRecorder
from kiosk.config import Settings
from kiosk.core.transcript import Transcript
from kiosk.speech.fakes import FakeStreams
from kiosk.ui.screens.report import ReportScreen
from tests.test_ui_support import Booth, booth, deliver, open_first_question, until, zh_transcript

SIZE = (110, 40)


async def answer(b: Booth, pilot: Pilot[object]) -> None:
    """Open the question once the model is loaded (streams need it), record, stop."""
    await open_first_question(pilot)
    await until(pilot, lambda: b.app.models.loaded)
    await pilot.press("space")
    await until(pilot, lambda: getattr(b.app.screen, "state", "") == "recording")
    deliver(b.recorder)
    b.clock.t += b.recorder.audio.size / 16000
    await pilot.press("space")


async def test_captions_and_the_report_come_from_the_stream_without_a_batch_pass() -> None:
    streams = FakeStreams(zh_transcript())
    b = booth(streams=streams, transcript=Transcript("zh", 7.0))
    async with b.app.run_test(size=SIZE) as pilot:
        await open_first_question(pilot)
        await until(pilot, lambda: b.app.models.loaded)
        await pilot.press("space")
        await until(pilot, lambda: getattr(b.app.screen, "state", "") == "recording")
        deliver(b.recorder)
        captions = b.app.screen.query_one("#captions", Static)
        await until(pilot, lambda: "负责" in str(captions.render()))
        b.clock.t += 7.0
        await pilot.press("space")
        await until(pilot, lambda: isinstance(b.app.screen, ReportScreen))
        report = b.app.screen
        assert isinstance(report, ReportScreen)
        assert report.report.transcript.words == zh_transcript().words
    [stream] = streams.opened
    assert stream.stopped and not stream.cancelled
    assert stream.samples == 7 * 16000, "the stream heard every block recorded"
    assert b.transcriber.calls == [], "no batch pass"


async def test_a_broken_stream_falls_back_to_transcribing_the_recording() -> None:
    streams = FakeStreams(zh_transcript(), error=RuntimeError("the stream broke"))
    b = booth(streams=streams)
    async with b.app.run_test(size=SIZE) as pilot:
        await answer(b, pilot)
        await until(pilot, lambda: isinstance(b.app.screen, ReportScreen))
    assert streams.opened[0].stopped
    assert len(b.transcriber.calls) == 1


async def test_a_stream_that_fell_behind_suggests_the_setting() -> None:
    b = booth(streams=FakeStreams(zh_transcript(), load=1.5))
    async with b.app.run_test(size=SIZE, notifications=True) as pilot:
        await answer(b, pilot)
        await until(pilot, lambda: isinstance(b.app.screen, ReportScreen))
        await pilot.pause()
        titles = [n.title for n in b.app._notifications]
        assert "Live transcription fell behind" in titles


async def test_a_silent_answer_drops_its_stream_unfinished() -> None:
    streams = FakeStreams(zh_transcript())
    silent = FakeRecorder(np.zeros(3 * 16000, np.float32), pace="manual")
    b = booth(streams=streams, recorder=silent)
    async with b.app.run_test(size=SIZE) as pilot:
        await answer(b, pilot)
        await until(pilot, lambda: getattr(b.app.screen, "state", "") == "failed")
    [stream] = streams.opened
    assert stream.cancelled and not stream.stopped, "the silence gate comes first"
    assert b.transcriber.calls == []


async def test_without_live_transcription_no_stream_is_opened() -> None:
    streams = FakeStreams(zh_transcript())
    b = booth(streams=streams, settings=Settings(live_transcription=False))
    async with b.app.run_test(size=SIZE) as pilot:
        await answer(b, pilot)
        await until(pilot, lambda: isinstance(b.app.screen, ReportScreen))
    assert streams.opened == [] and len(b.transcriber.calls) == 1
