"""The answer flow in the booth: a mock round walked from the home screen to its debrief,
results handed on by screens and routed by the app, and the rule that keeps the screens
apart (no screen module imports another).

The tables themselves are tested in tests/test_flow.py; the single question's walk in
tests/test_ui.py, the drill's in tests/test_drill_ui.py, a follow-up chain's in
tests/test_followups.py.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest
from textual.pilot import Pilot
from textual.widgets import Tree

from kiosk.core.flow import Kind
from kiosk.speech.fakes import FakeTranscriber
from kiosk.store.database import Store
from kiosk.ui import rounds
from kiosk.ui.practice import Practice
from kiosk.ui.screens.debrief import DebriefScreen
from kiosk.ui.screens.help import HelpScreen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.processing import ProcessingScreen
from kiosk.ui.screens.question import QuestionScreen
from kiosk.ui.screens.recording import RecordingScreen
from kiosk.ui.screens.report import ReportScreen
from tests.support.history import StepClock
from tests.test_ui_support import (
    answer_to_report,
    booth,
    deliver,
    open_first_question,
    question,
    until,
    zh_transcript,
)

SIZE = (110, 40)
SCREENS = Path(__file__).resolve().parent.parent / "kiosk" / "ui" / "screens"
INTRO = question("zh-intro", text="请介绍一下你自己。", follow_ups=())
PROJECT = question()  # with one follow-up


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open(clock=StepClock()) as s:
        yield s


@pytest.fixture
def one_round(monkeypatch: pytest.MonkeyPatch) -> None:
    """The home screen's only round: self-introduction, then the project question."""

    def entries(library: object, language: str | None, seed: int | None) -> list[object]:
        start = lambda: Practice("一面 · 测试", (INTRO, PROJECT), steps=("自我介绍", "项目深挖"))  # noqa: E731
        return [("一面 · 测试  [zh]", "一面 · 测试", start)]

    monkeypatch.setattr(rounds, "round_entries", entries)


def shown(b: object) -> object:
    return b.app.screen  # type: ignore[attr-defined]


async def test_a_mock_round_walks_from_home_to_its_debrief(store: Store, one_round: None) -> None:
    b = booth(store=store)
    async with b.app.run_test(size=SIZE) as running:
        pilot = cast("Pilot[object]", running)
        tree = b.app.screen.query_one(Tree)
        nodes = [tree.get_node_at_line(i) for i in range(tree.last_line + 1)]
        tree.select_node(next(n for n in nodes if n is not None and "一面 · 测试" in str(n.label)))
        await until(pilot, lambda: isinstance(b.app.screen, QuestionScreen))
        first = b.app.screen
        assert isinstance(first, QuestionScreen) and first.practice.kind is Kind.ROUND
        assert first.practice.session_id is not None, "a round is one session in the history"
        assert first.asked.id == "zh-intro"

        await answer_to_report(b, pilot)
        report = b.app.screen
        assert isinstance(report, ReportScreen)
        assert report.check_action("next", ()) and not report.check_action("debrief", ())
        await pilot.press("n")
        await until(pilot, lambda: getattr(shown(b), "asked", None) is not None)
        await until(pilot, lambda: b.app.screen.asked.id == "zh-project")  # type: ignore[attr-defined]

        await answer_to_report(b, pilot)
        last = b.app.screen
        assert isinstance(last, ReportScreen)
        assert not last.check_action("next", ()), "the round's last question"
        assert last.check_action("debrief", ()) and last.check_action("follow_up", ())

        await pilot.press("f")  # the follow-up of the last question, then the debrief
        await until(pilot, lambda: isinstance(b.app.screen, QuestionScreen))
        assert b.app.screen.asked.follow_up_of == "zh-project"  # type: ignore[attr-defined]
        await answer_to_report(b, pilot)
        assert b.app.screen.check_action("debrief", ())
        await pilot.press("d")
        await until(pilot, lambda: isinstance(b.app.screen, DebriefScreen))
        debrief = b.app.screen
        assert isinstance(debrief, DebriefScreen)
        assert [line.follow_up for line in debrief.debrief.lines] == [False, False, True]
        await pilot.press("h")
        await until(pilot, lambda: isinstance(b.app.screen, HomeScreen))
        assert len(b.app.screen_stack) == 1
    attempts = store.list(limit=None)
    assert len(attempts) == 3 and len({a.session_id for a in attempts}) == 1


async def test_a_step_handed_on_twice_moves_once() -> None:
    """A second key press can reach a screen before the app has routed its first result:
    the app drops the second, as that screen has already been left."""
    b = booth()
    async with b.app.run_test(size=SIZE) as pilot:
        await open_first_question(pilot)
        asking = b.app.screen
        assert isinstance(asking, QuestionScreen)
        asking.action_answer()
        asking.action_answer()
        await until(pilot, lambda: getattr(b.app.screen, "state", "") == "recording")
        await pilot.pause(0.2)
        assert isinstance(b.app.screen, RecordingScreen)
        assert len(b.app.screen_stack) == 2, "home and one recording screen"
        assert b.recorder.started == 1


async def test_a_report_ready_under_the_help_screen_still_shows() -> None:
    slow = FakeTranscriber(zh_transcript(), delay=2.0)
    b = booth(transcriber=slow)
    async with b.app.run_test(size=SIZE) as pilot:
        await open_first_question(pilot)
        await pilot.press("space")
        await until(pilot, lambda: getattr(b.app.screen, "state", "") == "recording")
        deliver(b.recorder)
        b.clock.t += 7.0
        await pilot.press("space")
        await until(pilot, lambda: isinstance(b.app.screen, ProcessingScreen))
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(b.app.screen, HelpScreen))
        await until(pilot, lambda: isinstance(b.app.screen, ReportScreen))
        assert len(b.app.screen_stack) == 2


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_no_screen_module_imports_another() -> None:
    """Screens hand results to the app and ask for places by name: they never open each
    other (``base`` is their common ground, not a screen)."""
    modules = {f"kiosk.ui.screens.{p.stem}" for p in SCREENS.glob("*.py") if p.stem != "__init__"}
    assert "kiosk.ui.screens.question" in modules
    for path in sorted(SCREENS.glob("*.py")):
        own = f"kiosk.ui.screens.{path.stem}"
        others = {m for m in _imports(path) if m in modules - {own, "kiosk.ui.screens.base"}}
        assert not others, f"{own} imports {sorted(others)}"
        assert "kiosk.ui.app" not in _imports(path), f"{own} imports the app"
