"""Snapshot tests of the booth's main screens at a fixed size with frozen time and input.

The SVGs live in tests/snapshots/; after an intended change of look, run
``pytest tests/test_ui_snapshots.py --snapshot-update`` and inspect the new images.
Everything shown is fixed: the clock, the recording's name and folder, the input level,
the transcript, and the round templates (the bundled ones change with the content).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from kiosk.core.target import Target
from kiosk.questions.library import Library
from kiosk.questions.model import Bank
from kiosk.ui import rounds
from kiosk.ui.practice import Practice
from kiosk.ui.screens.recording import RecordingScreen
from tests.support.snapshots import fixed_home
from tests.test_ui_support import (
    answer_to_report,
    booth,
    deliver,
    library,
    open_first_question,
    question,
    until,
)

SIZE = (110, 34)
FIXED_HOME = Path("/tmp/kiosk-snapshot-home")


@pytest.fixture(autouse=True)
def fixed_world(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Snapshots in tests/snapshots, a fixed data folder, fixed round templates."""

    def fixed_rounds(library: object, language: str | None, seed: int | None) -> list:  # type: ignore[type-arg]
        about = "一面 · AI 产品经理\n\nSteps: 自我介绍 → 动机 → 项目深挖 → 反问"
        return [("一面 · AI 产品经理  [zh]", about, lambda: Practice("一面", ()))]

    with fixed_home(monkeypatch, FIXED_HOME):
        monkeypatch.setattr(rounds, "round_entries", fixed_rounds)
        yield


def realistic_library() -> Library:
    base = library()
    project = question(target=Target(60, 120))
    return Library(
        (Bank("test-bank", "AI 产品经理 · 测试题库", "zh", (project, *base.questions[1:])),)
    )


def test_home_screen(snap_compare) -> None:  # type: ignore[no-untyped-def]
    b = booth(lib=realistic_library())
    assert snap_compare(b.app, terminal_size=SIZE, press=["down", "enter", "down"])


def test_recording_screen(snap_compare) -> None:  # type: ignore[no-untyped-def]
    b = booth(lib=realistic_library())

    async def record(pilot: Pilot[object]) -> None:
        await open_first_question(pilot)
        await pilot.press("space")
        await until(pilot, lambda: getattr(b.app.screen, "state", "") == "recording")
        deliver(b.recorder, 2.0)
        b.clock.t += 75.0
        await until(pilot, lambda: b.app.screen.query_one("#target-bar").elapsed == 75.0)
        assert isinstance(b.app.screen, RecordingScreen)

    assert snap_compare(b.app, terminal_size=SIZE, run_before=record)


def test_report_screen(snap_compare) -> None:  # type: ignore[no-untyped-def]
    b = booth(lib=realistic_library())

    async def answer(pilot: Pilot[object]) -> None:
        await open_first_question(pilot)
        await answer_to_report(b, pilot)
        await pilot.pause()

    assert snap_compare(b.app, terminal_size=SIZE, run_before=answer)
