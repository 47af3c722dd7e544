"""Pilot tests of the practice booth: the whole path of one answer, and what can go wrong.

Real pipeline and metrics; the project's doubles for the microphone, voice and model.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Input, Static, Switch, Tree

from kiosk.audio.fakes import FakeRecorder, FakeSpeaker
from kiosk.config import Settings, config_file, load_settings
from kiosk.core.transcript import Transcript
from kiosk.questions.library import Library
from kiosk.questions.model import Bank
from kiosk.speech.fakes import FakeTranscriber, TranscribeCall
from kiosk.ui import messages as msg
from kiosk.ui.screens.help import HelpScreen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.processing import ProcessingScreen
from kiosk.ui.screens.question import QuestionScreen
from kiosk.ui.screens.recording import RecordingScreen
from kiosk.ui.screens.report import ReportScreen
from kiosk.ui.screens.settings import SettingsScreen
from kiosk.ui.widgets.meters import LevelMeter, TargetBar
from tests.support.audio import tone
from tests.test_ui_support import (
    NO_DEVICE,
    Booth,
    booth,
    deliver,
    open_first_question,
    question,
    until,
    zh_transcript,
)

SIZE = (110, 40)


def text_of(screen: object, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


def state(b: Booth) -> str:
    return str(getattr(b.app.screen, "state", ""))


async def record(b: Booth, pilot: Pilot[object], seconds: float | None = None) -> Path:
    """From home to a running recording that has received ``seconds`` of audio."""
    await open_first_question(pilot)
    await pilot.press("space")
    await until(pilot, lambda: state(b) == "recording")
    screen = b.app.screen
    assert isinstance(screen, RecordingScreen) and screen.path is not None
    deliver(b.recorder, seconds)
    b.clock.t += seconds if seconds is not None else b.recorder.audio.size / 16000
    return screen.path


async def test_whole_answer_flow_from_home_to_report_follow_up_and_retry() -> None:
    b = booth()
    seen: list[Message] = []
    async with b.app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        assert isinstance(b.app.screen, HomeScreen)
        await open_first_question(pilot)
        assert isinstance(b.app.screen, QuestionScreen)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert b.speaker.texts == ["请介绍一个你负责过的 AI 项目。"]
        assert b.speaker.spoken[0].language == "zh"
        assert len(b.loads) == 1, "the model loads in the background while the question is read"

        await pilot.press("space")
        await until(pilot, lambda: state(b) == "recording")
        screen = b.app.screen
        assert isinstance(screen, RecordingScreen) and screen.path is not None
        assert screen.path.name == "20261123-093000-zh-project.wav"
        assert screen.path.parent.name == "recordings"
        deliver(b.recorder)
        b.clock.t += 5.0
        await pilot.pause(0.2)
        assert screen.query_one(TargetBar).elapsed == 5.0
        assert screen.query_one(LevelMeter).level > 0.5

        await pilot.press("space")
        await until(pilot, lambda: isinstance(b.app.screen, ReportScreen))
        report = b.app.screen
        assert b.transcriber.calls == [TranscribeCall(7 * 16000, "zh")]
        assert "at least 2" in text_of(report, "#card-fillers")  # 嗯 and 那个
        assert report.query_one("#card-length").has_class("good")  # 6.4 s within 4-8 s
        transcript = text_of(report, "#transcript")
        assert "嗯" in transcript and "⏸1.5s" in transcript
        assert "这个项目最大的风险是什么" in text_of(report, "#follow-up")
        assert screen.path.stat().st_size > 7 * 16000 * 2, "the answer stays on disk"

        await pilot.press("f")
        await until(pilot, lambda: isinstance(b.app.screen, QuestionScreen))
        question = b.app.screen
        assert isinstance(question, QuestionScreen)
        assert question.asked.follow_up_of == "zh-project"
        await until(pilot, lambda: len(b.speaker.spoken) == 2)
        assert b.speaker.texts[-1] == "这个项目最大的风险是什么？"

        b.recorder.audio = tone(6.0)
        await pilot.press("space")
        await until(pilot, lambda: state(b) == "recording")
        deliver(b.recorder)
        b.clock.t += 6.0
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(b.app.screen, ReportScreen))
        assert getattr(b.app.screen, "follow_up", "?") is None, "no follow-up of a follow-up"

        await pilot.press("r")
        await until(pilot, lambda: isinstance(b.app.screen, QuestionScreen))
        assert b.app.screen.asked.text == "这个项目最大的风险是什么？"
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(b.app.screen, HomeScreen))
        assert len(b.loads) == 1, "the model is loaded once"

    kinds = {type(m) for m in seen}
    assert {msg.RecordingStarted, msg.RecordingStopped, msg.AnalysisDone} <= kinds
    assert {msg.TranscriptionProgress, msg.SpeakingDone, msg.ModelReady} <= kinds


async def test_next_question_moves_through_the_group_and_ends_at_home() -> None:
    b = booth()
    async with b.app.run_test(size=SIZE) as pilot:
        await record(b, pilot)
        await pilot.press("space")
        await until(pilot, lambda: isinstance(b.app.screen, ReportScreen))
        await pilot.press("n")
        await until(pilot, lambda: isinstance(b.app.screen, QuestionScreen))
        assert b.app.screen.asked.id == "zh-why"
        await pilot.press("s")  # skip the last one
        await until(pilot, lambda: isinstance(b.app.screen, HomeScreen))


async def test_no_input_device_is_explained_and_can_be_retried() -> None:
    b = booth(recorder=FakeRecorder(tone(3.0), pace="manual", fail_with=NO_DEVICE))
    async with b.app.run_test(size=SIZE) as pilot:
        await open_first_question(pilot)
        await pilot.press("space")
        await until(pilot, lambda: state(b) == "failed")
        problem = text_of(b.app.screen, "#problem")
        assert "no input device found" in problem
        assert "Settings" in problem and "r: try again" in problem
        b.recorder.fail_with = None
        await pilot.press("r")
        await until(pilot, lambda: state(b) == "recording")
        assert b.recorder.started == 1


async def test_device_lost_mid_answer_keeps_the_audio_and_can_analyse_it() -> None:
    b = booth(recorder=FakeRecorder(tone(6.0), pace="manual", error_after_s=3.0))
    async with b.app.run_test(size=SIZE) as pilot:
        path = await record(b, pilot)
        await until(pilot, lambda: state(b) == "lost")
        problem = text_of(b.app.screen, "#problem")
        assert "stopped working after 3.0 s" in problem
        assert f"0:03 kept in {path}" in problem
        assert path.stat().st_size >= 3 * 16000 * 2
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(b.app.screen, ReportScreen))
        assert b.transcriber.calls == [TranscribeCall(3 * 16000, "zh")]


async def test_silent_answer_says_no_speech_and_invents_nothing() -> None:
    b = booth(recorder=FakeRecorder(np.zeros(3 * 16000, np.float32), pace="manual"))
    async with b.app.run_test(size=SIZE) as pilot:
        await record(b, pilot)
        await pilot.press("space")
        await until(pilot, lambda: state(b) == "failed")
        assert isinstance(b.app.screen, ProcessingScreen)
        assert "No speech detected" in text_of(b.app.screen, "#proc-status")
        assert b.transcriber.calls == [], "silence never reaches the transcriber"
        await pilot.press("a")
        await until(pilot, lambda: isinstance(b.app.screen, QuestionScreen))


async def test_an_empty_transcript_is_no_speech_too() -> None:
    b = booth(transcript=Transcript("zh", 7.0))
    async with b.app.run_test(size=SIZE) as pilot:
        await record(b, pilot)
        await pilot.press("space")
        await until(pilot, lambda: state(b) == "failed")
        assert "No speech detected" in text_of(b.app.screen, "#proc-status")
        assert len(b.transcriber.calls) == 1


async def test_missing_model_is_explained_and_the_recording_kept() -> None:
    b = booth(model_error="speech model not found in /nowhere: run `kiosk model install`")
    async with b.app.run_test(size=SIZE) as pilot:
        path = await record(b, pilot)
        await pilot.press("space")
        await until(pilot, lambda: state(b) == "failed")
        problem = text_of(b.app.screen, "#problem")
        assert "speech model not found in /nowhere" in problem
        assert "Settings (s)" in problem
        assert path.is_file() and str(path) in text_of(b.app.screen, "#proc-path")
        assert len(b.loads) == 2, "preloaded once, retried when the answer is processed"


async def test_escape_cancels_processing_and_returns_to_the_question() -> None:
    slow = FakeTranscriber(zh_transcript(), delay=3.0, steps=30)
    b = booth(transcriber=slow)
    async with b.app.run_test(size=SIZE) as pilot:
        await record(b, pilot)
        await pilot.press("space")
        await until(
            pilot,
            lambda: (
                "Transcribing" in str(getattr(b.app.screen, "state", ""))
                or (
                    isinstance(b.app.screen, ProcessingScreen)
                    and "Transcribing" in text_of(b.app.screen, "#proc-status")
                )
            ),
        )
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(b.app.screen, QuestionScreen))
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.1)
        assert isinstance(b.app.screen, QuestionScreen), "a cancelled analysis shows nothing"
        assert len(slow.calls) == 1


async def test_without_a_voice_the_booth_says_so_once_and_goes_on_text_only() -> None:
    b = booth(speaker=FakeSpeaker(available=False))
    async with b.app.run_test(size=SIZE, notifications=True) as pilot:
        await open_first_question(pilot)
        await pilot.app.workers.wait_for_complete()
        assert "text only" in text_of(b.app.screen, "#voice-status")
        await pilot.press("s")  # skip to the next question
        await until(pilot, lambda: b.app.screen.asked.id == "zh-why")
        warnings = [n for n in b.app._notifications if n.title == "Voice unavailable"]
        assert len(warnings) == 1
        assert b.speaker.spoken == []


async def test_mute_stops_the_voice_and_replay_reads_again() -> None:
    b = booth()
    async with b.app.run_test(size=SIZE) as pilot:
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
    async with b.app.run_test(size=SIZE) as pilot:
        await record(b, pilot, 2.0)
        await pilot.pause(0.2)
        assert isinstance(b.app.screen, RecordingScreen)
        b.clock.t += 20  # target 4-8 s: the cap is 16 s
        await until(pilot, lambda: isinstance(b.app.screen, ReportScreen))


async def test_recording_stops_after_silence_when_asked_to() -> None:
    speech_then_silence = np.concatenate([tone(2.0), np.zeros(2 * 16000, np.float32)])
    b = booth(
        settings=Settings(auto_stop_silence_s=1.5),
        recorder=FakeRecorder(speech_then_silence, pace="manual"),
    )
    async with b.app.run_test(size=SIZE) as pilot:
        await record(b, pilot, 2.0)
        await pilot.pause(0.2)
        assert isinstance(b.app.screen, RecordingScreen), "speech alone never stops it"
        deliver(b.recorder)
        await until(pilot, lambda: isinstance(b.app.screen, ReportScreen))


async def test_help_opens_from_anywhere_and_closes_with_escape() -> None:
    b = booth()
    async with b.app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(b.app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(b.app.screen, HomeScreen)
        await open_first_question(pilot)
        await pilot.press("f1")
        assert isinstance(b.app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(b.app.screen, QuestionScreen)


def tree_labels(b: Booth) -> str:
    """Every label in the home tree, expanded or not."""
    tree: Tree[object] = b.app.screen.query_one("#menu", Tree)
    labels: list[str] = []
    stack = [tree.root]
    while stack:
        node = stack.pop()
        labels.append(str(node.label))
        stack.extend(node.children)
    return "\n".join(labels)


async def test_language_filter_narrows_the_home_tree() -> None:
    b = booth()
    async with b.app.run_test(size=SIZE) as pilot:
        assert "Introduce yourself" in tree_labels(b) and "项目经历" in tree_labels(b)
        await pilot.press("l")  # all → 中文
        assert "Introduce yourself" not in tree_labels(b) and "项目经历" in tree_labels(b)
        await pilot.press("l")  # → English
        assert "Introduce yourself" in tree_labels(b) and "项目经历" not in tree_labels(b)


async def test_settings_are_saved_to_the_config_file(kiosk_home: Path) -> None:
    b = booth()
    async with b.app.run_test(size=SIZE) as pilot:
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
    async with b.app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        b.app.screen.query_one("#tts_rate", Input).value = "9999"
        await pilot.press("ctrl+s")
        assert isinstance(b.app.screen, SettingsScreen)
        assert "tts_rate" in text_of(b.app.screen, "#settings-error")
    assert not config_file().exists()


async def test_question_text_that_looks_like_markup_is_shown_verbatim() -> None:
    """Bank text is data: "[/b]" or "[RAG]" must be shown as typed, never parsed."""
    odd = "什么是 [RAG]？[/b] 和微调 [bold]有何区别[/]"
    lib = Library((Bank("test-bank", "Test bank", "zh", (question(text=odd),)),))
    b = booth(lib=lib)
    async with b.app.run_test(size=SIZE) as pilot:
        await open_first_question(pilot)
        await until(pilot, lambda: isinstance(b.app.screen, QuestionScreen))
        assert odd in text_of(b.app.screen, "#question-text")
        await pilot.app.workers.wait_for_complete()
        await pilot.press("space")
        await until(pilot, lambda: state(b) == "recording")
        assert odd in text_of(b.app.screen, "#rec-question")
        deliver(b.recorder)
        b.clock.t += 5.0
        await pilot.press("space")
        await until(pilot, lambda: isinstance(b.app.screen, ReportScreen))
        assert odd in text_of(b.app.screen, "#report-question")
