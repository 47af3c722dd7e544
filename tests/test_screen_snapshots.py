"""Every screen of the booth as a snapshot, in an 80×24 terminal and in a 120×40 one.

Each screen is reached the way a user reaches it — keys from the home screen, or the app's
own entry points (``ask`` for a timing drill) — so the snapshots follow the screens
wherever their code lives. Everything shown is fixed: the doubles for microphone, voice,
speech model and clock (``tests.test_ui_support``), the history (``improving_history`` at
fixed times), the time zone, the data folder and the round templates. After an intended
change of look run ``pytest tests/test_screen_snapshots.py --snapshot-update`` and look
at the new SVGs in tests/snapshots/ (and their text) before keeping them.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Tree

from kiosk.core.ports import Cancelled
from kiosk.core.target import Target
from kiosk.questions.library import Library
from kiosk.questions.model import Bank
from kiosk.speech.fakes import FakeTranscriber, TranscribeCall
from kiosk.store.database import Store
from kiosk.ui import rounds
from kiosk.ui.drill import drill_practice
from kiosk.ui.practice import Practice
from tests.support.history import StepClock, answer, improving_history
from tests.support.snapshots import fixed_home
from tests.test_ui_support import (
    Booth,
    answer_to_report,
    booth,
    deliver,
    library,
    open_first_question,
    question,
    until,
    zh_transcript,
)

SIZES = [(80, 24), (120, 40)]
FIXED_HOME = Path("/tmp/kiosk-screen-snapshots")

Reach = Callable[[Booth, Pilot[Any]], Awaitable[None]]


@pytest.fixture(autouse=True)
def fixed_world(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Snapshots in tests/snapshots, a fixed data folder and time zone, one round template."""

    def fixed_rounds(library: object, language: str | None, seed: int | None) -> list[Any]:
        about = "一面 · AI 产品经理\n\nSteps: 自我介绍 → 动机 → 项目深挖 → 反问"
        return [("一面 · AI 产品经理  [zh]", about, lambda: Practice("一面", ()))]

    with fixed_home(monkeypatch, FIXED_HOME):
        monkeypatch.setattr(rounds, "round_entries", fixed_rounds)
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()
        yield
        monkeypatch.undo()
        time.tzset()


def realistic_library() -> Library:
    base = library()
    project = question(target=Target(60, 120))
    return Library(
        (Bank("test-bank", "AI 产品经理 · 测试题库", "zh", (project, *base.questions[1:])),)
    )


# --- how each screen is reached ---------------------------------------------------------


async def settle(b: Booth, pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.pause()


async def question_screen(b: Booth, pilot: Pilot[Any]) -> None:
    await open_first_question(pilot)
    await until(pilot, lambda: bool(b.speaker.spoken))  # read aloud (the fake: at once)
    await settle(b, pilot)


async def recording_screen(b: Booth, pilot: Pilot[Any]) -> None:
    await open_first_question(pilot)
    await pilot.press("space")
    await until(pilot, lambda: getattr(b.app.screen, "state", "") == "recording")
    deliver(b.recorder, 2.0)
    b.clock.t += 75.0
    await until(pilot, lambda: b.app.screen.query_one("#target-bar").elapsed == 75.0)
    await settle(b, pilot)


async def processing_screen(b: Booth, pilot: Pilot[Any]) -> None:
    await open_first_question(pilot)
    await pilot.press("space")
    await until(pilot, lambda: getattr(b.app.screen, "state", "") == "recording")
    deliver(b.recorder)
    b.clock.t += 7.0
    await pilot.press("space")
    await until(pilot, lambda: type(b.app.screen).__name__ == "ProcessingScreen")
    await until(pilot, lambda: bool(b.transcriber.calls))  # transcribing, no progress yet
    await settle(b, pilot)


async def report_screen(b: Booth, pilot: Pilot[Any]) -> None:
    await open_first_question(pilot)
    await answer_to_report(b, pilot)
    await settle(b, pilot)


def keys(*pressed: str) -> Reach:
    async def reach(b: Booth, pilot: Pilot[Any]) -> None:
        await pilot.press(*pressed)
        await pilot.pause(0.1)
        await settle(b, pilot)

    return reach


async def palette(b: Booth, pilot: Pilot[Any]) -> None:
    """The command palette once its list is complete (providers search in a worker, so a
    busy machine fills it later): the same count of commands three times 0.1 s apart."""
    from textual.command import CommandList, CommandPalette

    await pilot.press("ctrl+p")
    await until(pilot, lambda: isinstance(b.app.screen, CommandPalette))
    counts: list[int] = []

    def settled() -> bool:
        counts.append(b.app.screen.query_one(CommandList).option_count)
        return len(counts) >= 3 and counts[-1] > 0 and len(set(counts[-3:])) == 1

    while not settled():
        await pilot.pause(0.1)
    await settle(b, pilot)


async def drill_setup(b: Booth, pilot: Pilot[Any]) -> None:
    await until(pilot, lambda: bool(b.app.screen.query(Tree)))
    tree: Tree[object] = b.app.screen.query_one(Tree)
    lines = (tree.get_node_at_line(i) for i in range(tree.last_line + 1))
    choose = next(n for n in lines if n is not None and "Choose a length" in str(n.label))
    tree.select_node(choose)
    await until(pilot, lambda: type(b.app.screen).__name__ == "DrillSetupScreen")
    await settle(b, pilot)


async def drill_countdown(b: Booth, pilot: Pilot[Any]) -> None:
    b.app.ask(drill_practice("zh", 60), replace=False)
    await pilot.pause()
    await pilot.press("space")
    await until(pilot, lambda: getattr(b.app.screen, "state", "") == "recording")
    deliver(b.recorder, 2.0)
    b.clock.t += 52.0
    await until(pilot, lambda: "wrap up" in _shown(b))
    await settle(b, pilot)


async def drill_report(b: Booth, pilot: Pilot[Any]) -> None:
    b.app.ask(drill_practice("zh", 60), replace=False)
    await pilot.pause()
    await answer_to_report(b, pilot, seconds=24.0)
    await until(pilot, lambda: "of the time unused" in _shown(b))
    await settle(b, pilot)


def _shown(b: Booth) -> str:
    from textual.widgets import Static

    return "\n".join(str(s.render()) for s in b.app.screen.query(Static))


class Transcribing(FakeTranscriber):
    """A model that is still transcribing when the snapshot is taken: it reports no
    progress and returns (cancelled) only when the booth closes and cancels its worker."""

    def transcribe(
        self, audio: Any, language: Any = "auto", on_progress: Any = None, cancel: Any = None
    ) -> Any:
        from textual.worker import get_current_worker

        self.calls.append(TranscribeCall(samples=len(audio), language=language))
        worker = get_current_worker()
        while not worker.is_cancelled and not (cancel is not None and cancel.is_set()):
            time.sleep(0.02)
        raise Cancelled("transcription cancelled")


# --- the screens --------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    reach: Reach
    history: bool = False
    """Open the booth on a history of ten answers."""
    realistic: bool = False
    """A bank question with a one-to-two-minute target (as the bundled ones have)."""
    transcriber: Callable[[], FakeTranscriber] | None = None
    transcript: Any = None


CASES: dict[str, Case] = {
    "home": Case(keys("down"), realistic=True),
    "question": Case(question_screen, realistic=True),
    "recording": Case(recording_screen, realistic=True),
    # the model takes its time: the screen while it transcribes
    "processing": Case(processing_screen, transcriber=lambda: Transcribing(zh_transcript())),
    "report": Case(report_screen),
    "history": Case(keys("h"), history=True),
    "review": Case(keys("h", "down", "enter"), history=True),
    "compare": Case(keys("h", "c"), history=True),
    "delete-confirm": Case(keys("h", "d"), history=True),
    "progress": Case(keys("p"), history=True),
    "settings": Case(keys("s")),
    "help": Case(keys("question_mark")),
    "palette": Case(palette),
    "drill-setup": Case(drill_setup),
    "drill-countdown": Case(drill_countdown),
    "drill-report": Case(drill_report, transcript=answer(24, 220)),
}


@pytest.fixture
def store() -> Iterator[Store]:
    clock = StepClock()
    with Store.open(clock=clock) as s:
        improving_history(s, clock)
        yield s


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", list(CASES))
def test_screen(snap_compare: Any, request: pytest.FixtureRequest, name: str, size: Any) -> None:
    case = CASES[name]
    b = booth(
        lib=realistic_library() if case.realistic else None,
        store=request.getfixturevalue("store") if case.history else None,
        transcriber=case.transcriber() if case.transcriber else None,
        transcript=case.transcript,
    )

    async def reach(pilot: Pilot[Any]) -> None:
        await case.reach(b, pilot)

    assert snap_compare(b.app, terminal_size=size, run_before=reach)
