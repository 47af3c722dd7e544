"""Pilot tests of the practice booth: the whole path of one answer, with injected doubles.

Real pipeline and metrics; doubles for the microphone, the voice and the speech model.
"""

from __future__ import annotations

from textual.message import Message
from textual.widgets import Static

from kiosk.ui import messages as msg
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.processing import ProcessingScreen
from kiosk.ui.screens.question import QuestionScreen
from kiosk.ui.screens.recording import RecordingScreen
from kiosk.ui.screens.report import ReportScreen
from kiosk.ui.widgets.meters import LevelMeter, TargetBar
from tests.test_ui_support import booth, open_first_question, tone, until


def text_of(screen: object, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


async def test_whole_answer_flow_from_home_to_report_follow_up_and_retry() -> None:
    b = booth()
    seen: list[Message] = []
    async with b.app.run_test(size=(110, 40), message_hook=seen.append) as pilot:
        assert isinstance(b.app.screen, HomeScreen)
        await open_first_question(pilot)
        assert isinstance(b.app.screen, QuestionScreen)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert b.speaker.spoken == [("请介绍一个你负责过的 AI 项目。", "zh")]
        assert len(b.loads) == 1, "the model loads in the background while the question is read"

        await pilot.press("space")
        await until(pilot, lambda: getattr(b.app.screen, "state", "") == "recording")
        screen = b.app.screen
        assert isinstance(screen, RecordingScreen)
        assert b.recorder.path is not None
        assert b.recorder.path.name == "20261123-093000-zh-project.wav"
        assert b.recorder.path.parent.name == "recordings"
        b.recorder.feed(tone(7.0))
        b.clock.t += 5.0
        await pilot.pause(0.2)
        assert screen.query_one(TargetBar).elapsed == 5.0
        assert screen.query_one(LevelMeter).level > 0.5

        await pilot.press("space")
        await until(pilot, lambda: isinstance(b.app.screen, ReportScreen))
        report = b.app.screen
        assert b.transcriber.calls == [(7 * 16000, "zh")]
        assert "at least 2" in text_of(report, "#card-fillers")  # 嗯 and 那个
        assert report.query_one("#card-length").has_class("good")  # 7 s in 4-8 s
        transcript = text_of(report, "#transcript")
        assert "嗯" in transcript and "⏸1.5s" in transcript
        assert "这个项目最大的风险是什么" in text_of(report, "#follow-up")
        assert b.recorder.path.is_file(), "the answer stays on disk"

        await pilot.press("f")
        await until(pilot, lambda: isinstance(b.app.screen, QuestionScreen))
        await pilot.app.workers.wait_for_complete()
        assert b.app.screen.asked.follow_up_of == "zh-project"
        await until(pilot, lambda: len(b.speaker.spoken) == 2)
        assert b.speaker.spoken[-1] == ("这个项目最大的风险是什么？", "zh")

        await pilot.press("space")
        await until(pilot, lambda: getattr(b.app.screen, "state", "") == "recording")
        b.recorder.feed(tone(6.0))
        b.clock.t += 6.0
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(b.app.screen, ReportScreen))
        assert b.app.screen.follow_up is None, "a follow-up has no follow-up of its own"

        await pilot.press("r")
        await until(pilot, lambda: isinstance(b.app.screen, QuestionScreen))
        assert b.app.screen.asked.text == "这个项目最大的风险是什么？"
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(b.app.screen, HomeScreen))
        assert len(b.loads) == 1, "the model is loaded once"

    kinds = {type(m) for m in seen}
    assert {msg.RecordingStarted, msg.RecordingStopped, msg.AnalysisDone} <= kinds
    assert msg.TranscriptionProgress in kinds
    assert msg.SpeakingDone in kinds
