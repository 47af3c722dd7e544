"""Common ground for the booth's screens: typed access to the app and its services."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen

if TYPE_CHECKING:
    from kiosk.ui.app import KioskApp


class BoothScreen(Screen[None]):
    """A screen of the practice booth."""

    @property
    def booth(self) -> KioskApp:
        return cast("KioskApp", self.app)
