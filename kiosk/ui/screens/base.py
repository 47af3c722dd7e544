"""Common ground for the booth's screens: typed access to the app, and handing a result on.

A screen never opens the next screen itself: it posts what happened (:meth:`advance`) and
the app routes it through the practice's flow (``kiosk.core.flow``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen

from kiosk.ui.messages import Advance, Result

if TYPE_CHECKING:
    from kiosk.ui.booth import Booth


class BoothScreen(Screen[None]):
    """A screen of the practice booth."""

    @property
    def booth(self) -> Booth:
        return cast("Booth", self.app)

    def advance(self, result: Result) -> None:
        """Hand ``result`` to the app, which shows where it leads."""
        self.post_message(Advance(self, result))
