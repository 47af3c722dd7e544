"""The booth in an 80×24 terminal: what each screen is for stays on screen.

Settings keeps its Save and Cancel buttons and its keys; the history table keeps every
figure (length, pace, fillers, verdict) and cuts the question instead; the review keeps
its metric cards on screen, however long the transcript, and follows the cursor inside
the transcript. Pilot tests on a real store; nothing but the screens' layout is checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from rich.cells import cell_len
from textual.geometry import Region
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, DataTable, Footer

from kiosk.store.database import Store
from kiosk.ui.screens.history import HistoryScreen
from kiosk.ui.screens.review import ReviewScreen
from kiosk.ui.screens.settings import SettingsScreen
from kiosk.ui.widgets.transcript_view import TranscriptView
from tests.support.history import START, Kept, StepClock, answer, improving_history, keep
from tests.support.history import zh_question as history_question
from tests.test_ui_support import booth, until

SMALL = (80, 24)


def on_screen(screen: Screen[object], widget: Widget) -> bool:
    """``widget`` is drawn whole inside the terminal and nothing covers its middle."""
    region = widget.region
    inside = Region(0, 0, *screen.app.size).contains_region(region)
    if not inside or region.area == 0:
        return False
    top, _ = screen.get_widget_at(*region.center)
    return top is widget or widget in top.ancestors_with_self


@pytest.fixture
def history() -> Iterator[tuple[Store, list[Kept]]]:
    clock = StepClock()
    with Store.open(clock=clock) as store:
        kept = improving_history(store, clock)
        # and one long answer: 150 s, its transcript far taller than the screen
        long = answer(150, 220, fillers=2, pause_at=40)
        kept.append(keep(store, clock, history_question(), long, when=START + timedelta(11)))
        yield store, kept


async def test_settings_fit_with_their_buttons_and_keys() -> None:
    b = booth()
    async with b.app.run_test(size=SMALL) as pilot:
        await pilot.press("s")
        await until(pilot, lambda: isinstance(b.app.screen, SettingsScreen))
        await pilot.pause()
        screen = b.app.screen
        for button in screen.query(Button):
            assert on_screen(screen, button), f"{button.id} is cut off"
        footer = screen.query_one(Footer)
        assert on_screen(screen, footer)
        keys = {binding.description for _, binding, *_ in screen.active_bindings.values()}
        assert {"Save", "Cancel"} <= keys
        for field in ("#language", "#tts", "#live_transcription", "#auto_stop_silence_s"):
            assert screen.query_one(field).region.bottom <= 24 - 1, f"{field} hidden"


async def test_history_table_keeps_every_figure_and_cuts_the_question(
    history: tuple[Store, list[Kept]],
) -> None:
    store, kept = history
    b = booth(store=store)
    async with b.app.run_test(size=SMALL) as pilot:
        await pilot.press("h")
        await until(pilot, lambda: isinstance(b.app.screen, HistoryScreen))
        await pilot.pause()
        table = b.app.screen.query_one(DataTable)
        names = [str(c.label) for c in table.ordered_columns]
        assert names == ["#", "when", "question", "len", "pace", "fillers", "verdict", "pts"]
        assert table.virtual_size.width <= table.size.width, "no column is off to the right"
        newest = [str(cell) for cell in table.get_row_at(0)]
        assert newest[0] == str(kept[-1].attempt_id)
        assert newest[3:] == ["2:29", "219 chars/min", "≥ 2", "too long", "—"]
        question = table.ordered_columns[2]
        assert 12 <= question.width < cell_len(newest[2]), "the question is the one cut"


async def test_review_keeps_its_cards_on_screen_and_the_cursor_in_view(
    history: tuple[Store, list[Kept]],
) -> None:
    store, _ = history
    b = booth(store=store)
    async with b.app.run_test(size=SMALL) as running:
        pilot: Pilot[object] = running  # type: ignore[assignment]
        await pilot.press("h", "enter")  # the newest answer: the long one
        await until(pilot, lambda: isinstance(b.app.screen, ReviewScreen))
        await pilot.pause()
        screen = b.app.screen
        view = screen.query_one(TranscriptView)
        assert len(view.lines) > 15, "the transcript is taller than the screen"
        for card in ("#card-length", "#card-pace", "#card-fillers", "#card-pauses"):
            assert on_screen(screen, screen.query_one(card)), f"{card} is off screen"
        for _ in range(len(view.lines) - 1):
            await pilot.press("down")
        await pilot.pause()
        assert view.line == len(view.lines) - 1
        current = list(view.query(".transcript-line"))[view.line]
        assert view.region.contains_region(current.region), "the cursor's line is in view"
        assert on_screen(screen, screen.query_one("#card-length")), "the cards stay"


async def test_compare_shows_the_latest_attempts_that_fit(
    history: tuple[Store, list[Kept]],
) -> None:
    store, kept = history
    b = booth(store=store)
    async with b.app.run_test(size=SMALL) as pilot:
        await pilot.press("h", "down", "c")  # the motivation question: five attempts
        await until(pilot, lambda: type(b.app.screen).__name__ == "CompareScreen")
        await pilot.pause()
        table = b.app.screen.query_one(DataTable)
        headers = [str(c.label) for c in table.ordered_columns][1:]
        assert 2 <= len(headers) < 5, "not all five fit in 80 columns"
        assert headers[-1].startswith(f"#{kept[-2].attempt_id} "), "the latest is shown"
        assert table.virtual_size.width <= table.size.width, "nothing cut at the right"


async def test_review_lines_fit_the_box_without_wrapping(
    history: tuple[Store, list[Kept]],
) -> None:
    store, _ = history
    b = booth(store=store)
    async with b.app.run_test(size=SMALL) as pilot:
        await pilot.press("h", "enter")
        await until(pilot, lambda: isinstance(b.app.screen, ReviewScreen))
        await pilot.pause()
        lines = list(b.app.screen.query(".transcript-line"))
        assert lines and all(line.region.height == 1 for line in lines)
