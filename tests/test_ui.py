"""Pilot tests of the practice booth: the whole path of one answer, with injected doubles.

Real pipeline and metrics; doubles for the microphone, the voice and the speech model.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
from textual.message import Message
from textual.widgets import Input, Static, Switch

from kiosk.config import Settings, config_file, load_settings
from kiosk.core.errors import DeviceError
from kiosk.core.transcript import Transcript
from kiosk.ui import messages as msg
from kiosk.ui.screens.help import HelpScreen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.processing import ProcessingScreen
from kiosk.ui.screens.question import QuestionScreen
from kiosk.ui.screens.recording import RecordingScreen
from kiosk.ui.screens.report import ReportScreen
from kiosk.ui.screens.settings import SettingsScreen
from kiosk.ui.widgets.meters import LevelMeter, TargetBar
from tests.test_ui_support import (
    NO_DEVICE,
    FakeRecorder,
    FakeSpeaker,
    booth,
    open_first_question,
    tone,
    until,
)


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


async def _record(b, pilot, audio_seconds: float = 6.0) -> None:  # type: ignore[no-untyped-def]
    """From the home screen to a running recording fed ``audio_seconds`` of tone."""
    await open_first_question(pilot)
    await pilot.press("space")
    await until(pilot, lambda: getattr(b.app.screen, "state", "") == "recording")
    if audio_seconds:
        b.recorder.feed(tone(audio_seconds))
        b.clock.t += audio_seconds


async def test_no_input_device_is_explained_and_can_be_retried() -> None:
    b = booth(recorder=FakeRecorder(fail_with=NO_DEVICE))
    async with b.app.run_test(size=(110, 40)) as pilot:
        await open_first_question(pilot)
        await pilot.press("space")
        await until(pilot, lambda: getattr(b.app.screen, "state", "") == "failed")
        problem = text_of(b.app.screen, "#problem")
        assert "no input device found" in problem
        assert "Settings" in problem and "r: try again" in problem
        b.recorder.fail_with = None
        await pilot.press("r")
        await until(pilot, lambda: getattr(b.app.screen, "state", "") == "recording")
        assert b.recorder.started == 1


async def test_device_lost_mid_answer_keeps_the_audio_and_can_analyse_it() -> None:
    b = booth()
    async with b.app.run_test(size=(110, 40)) as pilot:
        await _record(b, pilot, 3.0)
        b.recorder.lose(DeviceError("input device disappeared (USB unplugged?)"))
        await until(pilot, lambda: getattr(b.app.screen, "state", "") == "lost")
        problem = text_of(b.app.screen, "#problem")
        assert "input device disappeared" in problem
        assert "0:03 kept in" in problem and str(b.recorder.path) in problem
        assert b.recorder.path is not None and b.recorder.path.stat().st_size > 3 * 16000 * 2
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(b.app.screen, ReportScreen))
        assert b.transcriber.calls == [(3 * 16000, "zh")]


async def test_silent_answer_says_no_speech_and_invents_nothing() -> None:
    b = booth()
    async with b.app.run_test(size=(110, 40)) as pilot:
        await _record(b, pilot, 0)
        b.recorder.feed(np.zeros(3 * 16000, np.float32))
        b.clock.t += 3
        await pilot.press("space")
        await until(pilot, lambda: getattr(b.app.screen, "state", "") == "failed")
        assert isinstance(b.app.screen, ProcessingScreen)
        assert "No speech detected" in text_of(b.app.screen, "#proc-status")
        assert b.transcriber.calls == [], "silence never reaches the transcriber"
        assert not b.app.screen.query(ReportScreen)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(b.app.screen, QuestionScreen))


async def test_an_empty_transcript_is_no_speech_too() -> None:
    b = booth(transcript=Transcript("zh", 3.0))
    async with b.app.run_test(size=(110, 40)) as pilot:
        await _record(b, pilot, 3.0)
        await pilot.press("space")
        await until(pilot, lambda: getattr(b.app.screen, "state", "") == "failed")
        assert "No speech detected" in text_of(b.app.screen, "#proc-status")
        assert len(b.transcriber.calls) == 1


async def test_missing_model_is_explained_and_the_recording_kept() -> None:
    b = booth(model_error="speech model not found in /nowhere: run `kiosk model install`")
    async with b.app.run_test(size=(110, 40)) as pilot:
        await _record(b, pilot, 3.0)
        await pilot.press("space")
        await until(pilot, lambda: getattr(b.app.screen, "state", "") == "failed")
        problem = text_of(b.app.screen, "#problem")
        assert "speech model not found in /nowhere" in problem
        assert "Settings (s)" in problem
        assert b.recorder.path is not None and b.recorder.path.is_file()
        assert str(b.recorder.path) in text_of(b.app.screen, "#proc-path")
        assert len(b.loads) == 2, "preloaded once, retried when the answer is processed"


async def test_escape_cancels_processing_and_returns_to_the_question() -> None:
    b = booth()
    gate = threading.Event()
    original = b.transcriber.transcribe

    def slow(audio, language="auto", on_progress=None):  # type: ignore[no-untyped-def]
        gate.wait(5)
        return original(audio, language, on_progress)

    b.transcriber.transcribe = slow  # type: ignore[method-assign]
    async with b.app.run_test(size=(110, 40)) as pilot:
        await _record(b, pilot, 3.0)
        await pilot.press("space")
        await until(pilot, lambda: isinstance(b.app.screen, ProcessingScreen))
        await until(pilot, lambda: "Transcribing" in text_of(b.app.screen, "#proc-status"))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(b.app.screen, QuestionScreen))
        gate.set()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.1)
        assert isinstance(b.app.screen, QuestionScreen), "a cancelled analysis shows nothing"


async def test_without_a_voice_the_booth_says_so_once_and_goes_on_text_only() -> None:
    b = booth(speaker=FakeSpeaker(available=False))
    async with b.app.run_test(size=(110, 40), notifications=True) as pilot:
        await open_first_question(pilot)
        await pilot.app.workers.wait_for_complete()
        assert "text only" in text_of(b.app.screen, "#voice-status")
        await pilot.press("s")  # skip to the next question
        await until(pilot, lambda: b.app.screen.asked.question.id == "zh-why")
        warnings = [n for n in b.app._notifications if n.title == "Voice unavailable"]
        assert len(warnings) == 1
        assert b.speaker.spoken == []


async def test_mute_stops_the_voice_and_replay_reads_again() -> None:
    b = booth()
    async with b.app.run_test(size=(110, 40)) as pilot:
        await open_first_question(pilot)
        await pilot.app.workers.wait_for_complete()
        await pilot.press("m")
        assert b.app.tts_muted and b.speaker.stops >= 1
        await pilot.press("r")
        await pilot.app.workers.wait_for_complete()
        assert not b.app.tts_muted
        assert len(b.speaker.spoken) == 2


async def test_recording_stops_itself_at_twice_the_target() -> None:
    b = booth()
    async with b.app.run_test(size=(110, 40)) as pilot:
        await _record(b, pilot, 2.0)
        b.clock.t += 20  # target 4-8 s: the cap is 16 s
        await until(pilot, lambda: isinstance(b.app.screen, ReportScreen))


async def test_recording_stops_after_silence_when_asked_to() -> None:
    b = booth(settings=Settings(auto_stop_silence_s=1.5))
    async with b.app.run_test(size=(110, 40)) as pilot:
        await _record(b, pilot, 2.0)
        await pilot.pause(0.2)
        assert isinstance(b.app.screen, RecordingScreen), "speech alone never stops it"
        b.recorder.feed(np.zeros(2 * 16000, np.float32))
        await until(pilot, lambda: isinstance(b.app.screen, ReportScreen))


async def test_help_opens_from_anywhere_and_closes_with_escape() -> None:
    b = booth()
    async with b.app.run_test(size=(110, 40)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(b.app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(b.app.screen, HomeScreen)
        await open_first_question(pilot)
        await pilot.press("f1")
        assert isinstance(b.app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(b.app.screen, QuestionScreen)


async def test_settings_are_saved_to_the_config_file(kiosk_home: Path) -> None:
    b = booth()
    async with b.app.run_test(size=(110, 40)) as pilot:
        await pilot.press("s")
        assert isinstance(b.app.screen, SettingsScreen)
        b.app.screen.query_one("#tts_rate", Input).value = "140"
        b.app.screen.query_one("#input_device", Input).value = "USB Mic"
        b.app.screen.query_one("#tts", Switch).value = False
        await pilot.press("ctrl+s")
        assert isinstance(b.app.screen, HomeScreen)
    saved = load_settings()
    assert (saved.tts_rate, saved.input_device, saved.tts) == (140, "USB Mic", False)
    assert b.app.settings == saved and b.app.tts_muted
    assert config_file().is_relative_to(kiosk_home)


async def test_settings_refuse_a_bad_value_and_save_nothing() -> None:
    b = booth()
    async with b.app.run_test(size=(110, 40)) as pilot:
        await pilot.press("s")
        b.app.screen.query_one("#tts_rate", Input).value = "9999"
        await pilot.press("ctrl+s")
        assert isinstance(b.app.screen, SettingsScreen)
        assert "tts_rate" in text_of(b.app.screen, "#settings-error")
    assert not config_file().exists()
