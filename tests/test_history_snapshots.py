"""Snapshot tests of the history, review, compare, progress and drill screens.

Everything shown is fixed: the history (built by ``improving_history`` at fixed times, with
real metrics; ``content_history`` adds content reviews for the progress on what was said),
the time zone, the clock and the data folder. After an intended change of look, run
``pytest tests/test_history_snapshots.py --snapshot-update`` and inspect the SVGs in
tests/snapshots/.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from kiosk.store.database import Store
from kiosk.ui.drill import DrillClock, drill_practice
from kiosk.ui.screens.recording import RecordingScreen
from tests.support.history import StepClock, content_history, improving_history
from tests.support.snapshots import fixed_home
from tests.test_ui_support import booth, deliver, until

SIZE = (110, 34)
FIXED_HOME = Path("/tmp/kiosk-history-snapshot-home")


@pytest.fixture(autouse=True)
def fixed_world(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with fixed_home(monkeypatch, FIXED_HOME):
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()
        yield
        monkeypatch.undo()
        time.tzset()


@pytest.fixture
def store() -> Iterator[Store]:
    clock = StepClock()
    with Store.open(clock=clock) as s:
        improving_history(s, clock)
        yield s


def test_history_screen(snap_compare, store: Store) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(booth(store=store).app, terminal_size=SIZE, press=["h"])


def test_review_screen(snap_compare, store: Store) -> None:  # type: ignore[no-untyped-def]
    press = ["h", "down", "enter", "down", "right", "right"]
    assert snap_compare(booth(store=store).app, terminal_size=SIZE, press=press)


def test_compare_screen(snap_compare, store: Store) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(booth(store=store).app, terminal_size=SIZE, press=["h", "c"])


def test_progress_screen(snap_compare, store: Store) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(booth(store=store).app, terminal_size=(120, 40), press=["p"])


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_progress_screen_what_was_said(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    """``c`` on the progress screen: key points covered and structure signals heard per
    answer, the key points of the last five, and the counts per category."""
    clock = StepClock()
    with Store.open(clock=clock) as store:
        content_history(store, clock)
        assert snap_compare(booth(store=store).app, terminal_size=size, press=["p", "c"])


def test_drill_recording_screen(snap_compare) -> None:  # type: ignore[no-untyped-def]
    b = booth()

    async def wrap_up(pilot: Pilot[object]) -> None:
        b.app.ask(drill_practice("zh", 60), replace=False)
        await pilot.pause()
        await pilot.press("space")
        await until(pilot, lambda: getattr(b.app.screen, "state", "") == "recording")
        deliver(b.recorder, 2.0)
        b.clock.t += 52.0
        screen = b.app.screen
        assert isinstance(screen, RecordingScreen)
        clock = screen.query_one(DrillClock)
        await until(pilot, lambda: clock.cue == "wrap_up")
        await pilot.pause()

    assert snap_compare(b.app, terminal_size=SIZE, run_before=wrap_up)
