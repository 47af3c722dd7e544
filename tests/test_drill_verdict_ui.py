"""The drill report says what the length card says: a 24 s take of a 1-minute drill is
too short, never "finished in time" (``kiosk.core.drills.drill_verdict``)."""

from __future__ import annotations

from typing import cast

from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Static

from kiosk.ui.drill import drill_practice
from tests.support.history import answer
from tests.test_ui_support import answer_to_report, booth, until


def _shown(screen: Screen[object]) -> str:
    """Every text on ``screen``."""
    return "\n".join(str(s.render()) for s in screen.query(Static))


async def test_a_short_take_of_a_one_minute_drill_is_too_short_everywhere() -> None:
    b = booth(transcript=answer(24, 220))
    async with b.app.run_test(size=(120, 40)) as running:
        pilot = cast("Pilot[object]", running)
        b.app.ask(drill_practice("zh", 60), replace=False)
        await pilot.pause()
        await answer_to_report(b, pilot, seconds=24.0)
        await until(pilot, lambda: "of the time unused" in _shown(b.app.screen))
        shown = _shown(b.app.screen)
        assert "Finished in time" not in shown
        assert "Too short: 0:36 of the time unused (finish within 0:54–1:00)." in shown
        assert "too short" in str(b.app.screen.query_one("#card-length", Static).render())
