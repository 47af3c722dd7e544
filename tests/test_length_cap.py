"""The answer's time limit: the setting, the notice before it, the countdown, the cut.

Pilot tests with the project's doubles: a manual-pace microphone fed in step with a fake
clock, the real WAV writer, pipeline, metrics and history; the model is a fake.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from kiosk.audio.fakes import FakeRecorder
from kiosk.config import ConfigError, Settings, load_settings
from kiosk.core.ports import SAMPLE_RATE
from kiosk.core.target import Target
from kiosk.questions.library import Library
from kiosk.questions.model import Bank
from kiosk.store.database import Store
from kiosk.ui.drill import drill_practice
from kiosk.ui.screens.question import QuestionScreen
from kiosk.ui.screens.recording import RecordingScreen, answer_limit
from kiosk.ui.screens.report import ReportScreen
from tests.support.audio import tone
from tests.support.history import StepClock
from tests.test_ui_support import Booth, booth, deliver, open_first_question, question, until

SIZE = (110, 40)


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open(clock=StepClock()) as s:
        yield s


def long_question_library() -> Library:
    """One question with a 60-90 s target: the hard stop would be 3:00 without a setting."""
    qs = (question(target=Target(60, 90)),)
    return Library((Bank("test-bank", "Test bank", "zh", qs),))


def notices(b: Booth) -> list[str]:
    return [n.message for n in b.app._notifications]


def countdown(screen: RecordingScreen) -> Static:
    return screen.query_one("#rec-limit", Static)


async def speak_for(b: Booth, pilot: Pilot[object], seconds: float) -> None:
    """``seconds`` more of the answer: audio delivered and the clock moved together."""
    deliver(b.recorder, seconds)
    b.clock.t += seconds
    await pilot.pause(0.15)


def test_the_limit_is_fifteen_minutes_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().max_answer_s == 900.0
    monkeypatch.setenv("KIOSK_MAX_ANSWER_S", "600")
    assert load_settings().max_answer_s == 600.0
    monkeypatch.setenv("KIOSK_MAX_ANSWER_S", "5")
    with pytest.raises(ConfigError, match="KIOSK_MAX_ANSWER_S"):
        load_settings()


def test_the_limit_is_twice_the_target_or_the_setting_if_sooner() -> None:
    assert answer_limit(90, 900) == (180, "twice the target")
    assert answer_limit(600, 900) == (900, "the longest answer allowed")  # a 10-minute drill
    assert answer_limit(90, 150) == (150, "the longest answer allowed")


async def test_the_limit_is_announced_counted_down_and_the_cut_answer_reported(
    store: Store,
) -> None:
    b = booth(
        recorder=FakeRecorder(tone(170.0), pace="manual"),
        settings=Settings(max_answer_s=150),
        lib=long_question_library(),
        store=store,
    )
    async with b.app.run_test(size=SIZE) as pilot:
        await open_first_question(pilot)
        await pilot.press("space")
        await until(pilot, lambda: getattr(b.app.screen, "state", "") == "recording")
        screen = b.app.screen
        assert isinstance(screen, RecordingScreen)
        assert screen.rule.cap_s == 150
        assert "stops at 2:30" in str(screen.query_one("#target-bar").render())

        await speak_for(b, pilot, 85.0)
        assert not [n for n in notices(b) if "1 minute left" in n]
        assert not countdown(screen).display

        await speak_for(b, pilot, 6.0)  # 1:31: 59 s left
        await until(pilot, lambda: any("1 minute left" in n for n in notices(b)))
        warned = [n for n in notices(b) if "1 minute left" in n]
        assert warned == [
            "1 minute left: the recording stops at 2:30 (the longest answer allowed)."
        ]
        assert not countdown(screen).display

        await speak_for(b, pilot, 34.0)  # 2:05: 25 s left
        await until(pilot, lambda: countdown(screen).display)
        assert "stops in 0:25" in str(countdown(screen).render())
        assert "2:30 (the longest answer allowed)" in str(countdown(screen).render())
        await speak_for(b, pilot, 20.0)  # 2:25
        await until(pilot, lambda: "stops in 0:05" in str(countdown(screen).render()))
        assert isinstance(b.app.screen, RecordingScreen)
        assert len([n for n in notices(b) if "1 minute left" in n]) == 1, "announced once"

        await speak_for(b, pilot, 5.0)  # 2:30: the limit
        await until(pilot, lambda: isinstance(b.app.screen, ReportScreen))
        assert "Stopped at the time limit (2:30, the longest answer allowed)." in notices(b)
        report_screen = b.app.screen
        assert isinstance(report_screen, ReportScreen)
        assert report_screen.result.samples == 150 * SAMPLE_RATE, "cut exactly at the limit"
        assert report_screen.result.path.stat().st_size == 44 + 150 * SAMPLE_RATE * 2
        note = (
            "The recording stopped at the time limit, 2:30 (the longest answer allowed); "
            "anything said after it is not in this report."
        )
        assert report_screen.report.transcript.notes == (note,)
        shown = [str(s.render()) for s in report_screen.query(".report-note").results(Static)]
        assert shown == [note]
        assert b.transcriber.calls, "analysed like any answer"

    attempts = store.list(limit=None)
    assert len(attempts) == 1 and attempts[0].status == "analysed"
    saved = store.report(attempts[0].id)
    assert saved is not None and saved.transcript.notes == (note,)


async def test_a_short_limit_gets_no_notice_or_countdown() -> None:
    b = booth()  # target 4-8 s: the limit is 16 s, twice the target
    async with b.app.run_test(size=SIZE) as pilot:
        await open_first_question(pilot)
        await pilot.press("space")
        await until(pilot, lambda: getattr(b.app.screen, "state", "") == "recording")
        screen = b.app.screen
        assert isinstance(screen, RecordingScreen)
        await speak_for(b, pilot, 7.0)
        b.clock.t += 8.5
        await pilot.pause(0.15)
        assert isinstance(b.app.screen, RecordingScreen) and not countdown(screen).display
        b.clock.t += 1.0
        await until(pilot, lambda: isinstance(b.app.screen, ReportScreen))
        assert not [n for n in notices(b) if "1 minute left" in n]
        assert "Stopped at the time limit (0:16, twice the target)." in notices(b)
        report = b.app.screen
        assert isinstance(report, ReportScreen)
        assert report.report.transcript.notes == (
            "The recording stopped at the time limit, 0:16 (twice the target); "
            "anything said after it is not in this report.",
        )


async def test_an_answer_stopped_before_the_limit_has_no_note() -> None:
    b = booth(settings=Settings(max_answer_s=150), lib=long_question_library())
    async with b.app.run_test(size=SIZE) as pilot:
        await open_first_question(pilot)
        await pilot.press("space")
        await until(pilot, lambda: getattr(b.app.screen, "state", "") == "recording")
        await speak_for(b, pilot, 7.0)
        await pilot.press("space")
        await until(pilot, lambda: isinstance(b.app.screen, ReportScreen))
        report = b.app.screen
        assert isinstance(report, ReportScreen)
        assert report.report.transcript.notes == ()
        assert not report.query(".report-note")


async def test_a_long_drill_stops_at_the_setting_and_its_report_says_so() -> None:
    recorder = FakeRecorder(tone(130.0), pace="manual")
    b = booth(recorder=recorder, settings=Settings(max_answer_s=120))
    async with b.app.run_test(size=SIZE) as pilot:
        b.app.ask(drill_practice("zh", 180), replace=False)  # a 3-minute drill
        await until(pilot, lambda: isinstance(b.app.screen, QuestionScreen))
        await pilot.press("space")
        await until(pilot, lambda: getattr(b.app.screen, "state", "") == "recording")
        screen = b.app.screen
        assert isinstance(screen, RecordingScreen) and screen.query("#drill-clock")
        assert screen.rule.cap_s == 120  # not 6:00, twice the drill's length
        await speak_for(b, pilot, 100.0)
        await until(pilot, lambda: countdown(screen).display)
        await speak_for(b, pilot, 20.0)
        await until(pilot, lambda: isinstance(b.app.screen, ReportScreen))
        report = b.app.screen
        assert isinstance(report, ReportScreen) and report.query("#drill-result")
        assert report.result.samples == 120 * SAMPLE_RATE
        assert "2:00 (the longest answer allowed)" in report.report.transcript.notes[0]
