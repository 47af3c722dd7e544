"""Pilot tests of the timing drill: choosing a length, the countdown and cues while
recording, the drill report and the deltas between takes. Real pipeline, metrics and
history; doubles for the microphone (manual), the clock, the voice, the speaker (the cue
tones) and the model.

A drill goes through the usual answer screens (``Kind.DRILL``) with its parts on them: the
budget under the question, the countdown (:class:`DrillClock`) while recording, the
verdict on the report."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.widgets import Digits, Static, Tree

from kiosk.audio.fakes import FakePlayer
from kiosk.config import Settings
from kiosk.core.flow import Kind as Flow
from kiosk.core.target import Target
from kiosk.questions.library import Library
from kiosk.questions.model import Bank, Kind
from kiosk.store.database import Store
from kiosk.ui.drill import DrillClock, DrillParts, drill_practice
from kiosk.ui.screens.drill import DrillSetupScreen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.question import QuestionScreen
from kiosk.ui.screens.recording import RecordingScreen
from kiosk.ui.screens.report import ReportScreen
from kiosk.ui.widgets.clip_player import cue_tone
from tests.support.history import StepClock, answer
from tests.test_ui_support import Booth, booth, deliver, question, until

SIZE = (110, 40)


def drill_library() -> Library:
    intro = question(
        "drill-zh-intro-30s",
        category="自我介绍",
        kind=Kind.INTRO,
        text="请用 30 秒做一个自我介绍。",
        target=Target(27, 33),
        tags=("drill", "30s"),
        follow_ups=(),
    )
    return Library((Bank("drills", "Drills", "zh", (question(), intro)),))


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open(clock=StepClock()) as s:
        yield s


def text(screen: object, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


def on_drill(b: Booth, screen: type[object]) -> bool:
    """The booth shows ``screen`` for a drill."""
    shown = b.app.screen
    return isinstance(shown, screen) and shown.practice.kind is Flow.DRILL  # type: ignore[attr-defined]


def clock_of(screen: RecordingScreen) -> DrillClock:
    return screen.query_one(DrillClock)


async def open_setup(b: Booth, pilot: object) -> DrillSetupScreen:
    tree = b.app.screen.query_one(Tree)
    nodes = [tree.get_node_at_line(i) for i in range(tree.last_line + 1)]
    choose = next(n for n in nodes if n is not None and "Choose a length" in str(n.label))
    tree.select_node(choose)
    await pilot.pause()  # type: ignore[attr-defined]
    assert isinstance(b.app.screen, DrillSetupScreen)
    return b.app.screen


async def take(b: Booth, pilot: object, seconds: float) -> RecordingScreen:
    """Question → recording; the clock advanced by ``seconds``."""
    assert on_drill(b, QuestionScreen)
    await pilot.press("space")  # type: ignore[attr-defined]
    await until(pilot, lambda: getattr(b.app.screen, "state", "") == "recording")  # type: ignore[arg-type]
    screen = b.app.screen
    assert isinstance(screen, RecordingScreen) and on_drill(b, RecordingScreen)
    deliver(b.recorder)
    b.clock.t += seconds
    return screen


async def test_a_custom_drill_counts_down_cues_and_reports_the_overrun(store: Store) -> None:
    b = booth(lib=drill_library(), transcript=answer(25, 220), store=store)
    async with b.app.run_test(size=SIZE) as pilot:
        assert isinstance(b.app.screen, HomeScreen)
        await open_setup(b, pilot)
        await pilot.click("#drill-custom")
        await pilot.press("2", "0", "enter")
        await until(pilot, lambda: on_drill(b, QuestionScreen))
        question_screen = b.app.screen
        assert isinstance(question_screen, QuestionScreen)
        assert question_screen.asked.text == "请用 20 秒做一个自我介绍。"
        assert question_screen.asked.target == Target(18, 20)
        await until(pilot, lambda: bool(question_screen.query("#drill-budget")))
        assert "≈ 73 字 at 220 chars/min" in text(question_screen, "#drill-budget")

        rec = await take(b, pilot, 5.0)
        drill = clock_of(rec)
        clock = rec.query_one("#drill-clock", Digits)
        await until(pilot, lambda: clock.value == "0:15")
        assert drill.cue == "speaking" and text(rec, "#drill-cue") == ""
        b.clock.t += 7.0  # 12 s: ten seconds before the target
        await until(pilot, lambda: drill.cue == "wrap_up")
        assert clock.value == "0:08" and clock.has_class("wrap_up")
        assert "wrap up" in text(rec, "#drill-cue")
        b.clock.t += 8.0
        await until(pilot, lambda: drill.cue == "time")
        b.clock.t += 3.5  # overrun shown live
        await until(pilot, lambda: clock.value == "+0:03")
        assert drill.cue == "over" and clock.has_class("over")
        assert b.player.clips == [], "no beep unless the tone is on"

        await pilot.press("space")
        await until(pilot, lambda: on_drill(b, ReportScreen))
        report = b.app.screen
        assert isinstance(report, ReportScreen)
        assert not report.check_action("follow_up", ()), "a drill has no follow-ups"
        assert not report.check_action("next", ())
        await until(pilot, lambda: bool(report.query("#drill-result")))
        panel = text(report, "#drill-result")
        assert "Over by" in panel and "First take of this drill" in panel
        assert "time's up" in text(report, "#transcript")
        end_word = report.report.metrics.length.target_end_word
        assert end_word is not None
        assert (
            report.report.transcript.words[end_word].end
            > 20
            >= (report.report.transcript.words[end_word - 1].end)
        )

        # Second take, shorter: the deltas against the first.
        b.transcriber.transcript = answer(19, 220)
        await pilot.press("r")
        await until(pilot, lambda: on_drill(b, QuestionScreen))
        await take(b, pilot, 19.0)
        await pilot.press("space")
        await until(pilot, lambda: on_drill(b, ReportScreen))
        second = b.app.screen
        await until(pilot, lambda: bool(second.query("#drill-result")))
        panel = text(second, "#drill-result")
        assert "Finished in time." in panel
        assert "vs previous (#1): -6.0 s, 3.9 s closer to the target" in panel  # 4.9 → 1.1 s off
        assert "vs best (#1)" in panel
    attempts = store.list(limit=None)
    assert [a.question_id for a in attempts] == ["drill-zh-intro-20s"] * 2
    assert {a.target_high for a in attempts} == {20.0}


async def test_bank_drill_leaves_start_the_countdown_and_presets_list_budgets() -> None:
    b = booth(lib=drill_library(), transcript=answer(10, 220))
    async with b.app.run_test(size=SIZE) as pilot:
        tree = b.app.screen.query_one(Tree)
        nodes = [tree.get_node_at_line(i) for i in range(tree.last_line + 1)]
        leaf = next(n for n in nodes if n is not None and "0:30 [zh]" in str(n.label))
        tree.select_node(leaf)
        await until(pilot, lambda: on_drill(b, QuestionScreen))
        assert b.app.screen.asked.target == Target(27, 30)  # type: ignore[attr-defined]
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(b.app.screen, HomeScreen))

        setup = await open_setup(b, pilot)
        options = setup.query_one("#drill-lengths")
        labels = [str(options.get_option_at_index(i).prompt) for i in range(4)]  # type: ignore[attr-defined]
        assert labels[0].startswith("0:30") and "≈ 110 字" in labels[0]
        assert labels[3].startswith("3:00") and "≈ 660 字" in labels[3]
        await pilot.press("t")
        assert setup.tone and "Beep: on" in text(setup, "#drill-setup-note")
        await pilot.press("down", "enter")  # 1:00
        await until(pilot, lambda: on_drill(b, QuestionScreen))
        practice = b.app.screen.practice  # type: ignore[attr-defined]
        assert practice.parts == DrillParts(60, tone=True)


async def test_with_the_tone_on_the_cues_beep_once_then_twice() -> None:
    b = booth(lib=drill_library(), transcript=answer(10, 220), settings=Settings(output_device="3"))
    async with b.app.run_test(size=SIZE) as pilot:
        b.app.ask(drill_practice("zh", 30, tone=True), replace=False)
        await until(pilot, lambda: on_drill(b, QuestionScreen))
        rec = await take(b, pilot, 19.0)
        await pilot.pause(0.2)
        assert b.player.clips == []
        b.clock.t += 1.0
        await until(pilot, lambda: len(b.player.clips) == 1)
        b.clock.t += 10.0
        await until(pilot, lambda: len(b.player.clips) == 3)
        assert clock_of(rec).cue == "time"
    tone = cue_tone()
    assert [c.size for c in b.player.clips] == [tone.size] * 3 and tone.size == int(0.18 * 16000)
    assert b.player.devices == ["3", "3", "3"], "on the output device of the settings"
    assert abs(tone[0]) < 1e-3 and abs(tone[-1]) < 1e-3 and 0.2 < abs(tone).max() <= 0.25


async def test_without_the_tone_nothing_is_played() -> None:
    player = FakePlayer()
    b = booth(lib=drill_library(), transcript=answer(10, 220), player=player)
    async with b.app.run_test(size=SIZE) as pilot:
        b.app.ask(drill_practice("zh", 30), replace=False)
        await until(pilot, lambda: on_drill(b, QuestionScreen))
        rec = await take(b, pilot, 20.5)
        await until(pilot, lambda: clock_of(rec).cue == "wrap_up")
        b.clock.t += 10.0
        await until(pilot, lambda: clock_of(rec).cue == "time")
        await pilot.pause(0.2)
    assert player.clips == []
