"""The command palette (ctrl+p) offers the booth's actions: the current screen's keys and
the booth's places, each run as its key or menu would."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot

from kiosk.store.database import Store
from kiosk.ui.screens.history import HistoryScreen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.review import ReviewScreen
from kiosk.ui.screens.settings import SettingsScreen
from tests.support.history import Kept, StepClock, improving_history
from tests.test_ui_support import booth, until

SIZE = (100, 30)


@pytest.fixture
def history() -> Iterator[tuple[Store, list[Kept]]]:
    clock = StepClock()
    with Store.open(clock=clock) as store:
        yield store, improving_history(store, clock)


def hits(pilot: Pilot[object]) -> list[str]:
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    options = palette.query_one("CommandList")
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def run_command(pilot: Pilot[object], typed: str, expected: str) -> None:
    await pilot.press("ctrl+p")
    await until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
    await pilot.press(*typed)
    await until(pilot, lambda: any(expected in h for h in hits(pilot)))
    assert expected in hits(pilot)[0], hits(pilot)
    await pilot.press("enter")
    await until(pilot, lambda: not isinstance(pilot.app.screen, CommandPalette))


async def test_the_palette_opens_the_booths_places(history: tuple[Store, list[Kept]]) -> None:
    store, _ = history
    b = booth(store=store)
    async with b.app.run_test(size=SIZE) as running:
        pilot: Pilot[object] = running  # type: ignore[assignment]
        await run_command(pilot, "histo", "History")
        await until(pilot, lambda: isinstance(b.app.screen, HistoryScreen))
        await run_command(pilot, "home", "Home")
        await until(pilot, lambda: isinstance(b.app.screen, HomeScreen))
        await run_command(pilot, "setti", "Settings")
        await until(pilot, lambda: isinstance(b.app.screen, SettingsScreen))


async def test_the_palette_lists_the_screens_keys(
    history: tuple[Store, list[Kept]], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, kept = history
    b = booth(store=store)
    async with b.app.run_test(size=SIZE) as running:
        pilot: Pilot[object] = running  # type: ignore[assignment]
        await pilot.press("h", "enter")
        await until(pilot, lambda: isinstance(b.app.screen, ReviewScreen))
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(b.app.screen, CommandPalette))
        await until(pilot, lambda: len(hits(pilot)) > 3)
        listed = "\n".join(hits(pilot))
        for name in ("Play from word", "Compare", "Export", "Delete", "History", "Help"):
            assert name in listed
        assert "Stop" not in listed, "nothing is playing: stop is not offered"
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(b.app.screen, ReviewScreen))
        await run_command(pilot, "expo", "Export")
        exported = store.root / "exports" / f"answer-{kept[-1].attempt_id}.md"
        await until(pilot, exported.exists)
