"""What the booth's screens may ask of the app, as a protocol.

Screens never import the app (``kiosk.ui.app``) nor each other: they read the settings and
services through :class:`Booth`, hand the result of an answer step to the app to route
(``kiosk.ui.messages.Advance``), and ask for the other places by name (``show_history``…).
The app implements this protocol; the import graph stays a tree: app → routes → screens.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from kiosk.config import Settings
    from kiosk.core.ports import Speaker
    from kiosk.questions.library import Library
    from kiosk.store.database import Store
    from kiosk.ui.attempts import History
    from kiosk.ui.practice import Asked, Practice
    from kiosk.ui.services import ModelHolder, Services


class Booth(Protocol):
    """The practice booth as its screens see it."""

    services: Services
    history: History
    library: Library
    seed: int | None
    settings_path: Path | None
    tts_muted: bool
    recovered: tuple[int, ...]
    """Recovered answers waiting for analysis, oldest first."""

    @property
    def settings(self) -> Settings: ...

    @settings.setter
    def settings(self, value: Settings) -> None: ...

    @property
    def speaker(self) -> Speaker: ...

    @property
    def models(self) -> ModelHolder: ...

    def now(self) -> float:
        """Monotonic seconds (the services' clock)."""
        ...

    # --- voice and model -------------------------------------------------------------------

    def voice_on(self) -> bool: ...

    def voice_failed(self, reason: str) -> None: ...

    def preload_model(self) -> None: ...

    # --- places ------------------------------------------------------------------------------

    def ask(self, practice: Practice, asked: Asked | None = None, *, replace: bool) -> None:
        """Start (or go back to) a question of ``practice``."""
        ...

    def go_home(self) -> None: ...

    def refresh_recovered(self) -> None: ...

    def analyse_recovered(self) -> None: ...

    def show_history(self, store: Store) -> None: ...

    def show_progress(self, store: Store, language: str | None = None) -> None: ...

    def show_review(self, store: Store, attempt_id: int) -> None: ...

    def show_compare(self, store: Store, question_id: str) -> None: ...

    def show_settings(self) -> None: ...

    def show_drill_setup(self, language: str) -> None: ...
