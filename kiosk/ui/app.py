"""The practice booth: a Textual app that asks aloud, records the answer and reports.

``make_app`` is the one way to build it; the real command wires in the microphone, the
voice and the speech model, tests wire in doubles. Screens move forward through one answer
(question → recording → processing → report) by replacing each other above the home screen,
so "back home" is always a single pop.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from kiosk.config import Settings
from kiosk.core.errors import KioskError
from kiosk.core.ports import Speaker
from kiosk.ui.messages import ModelReady
from kiosk.ui.practice import Asked, Practice
from kiosk.ui.services import (
    Analyze,
    ModelHolder,
    RecorderFactory,
    Services,
    TranscriberFactory,
)


class KioskApp(App[int]):
    """面试语音陪练 — the practice booth."""

    CSS_PATH = "kiosk.tcss"
    ENABLE_COMMAND_PALETTE = False
    TITLE = "Interview Kiosk · 面试语音陪练"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1,question_mark", "help", "Help", key_display="?"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(
        self,
        settings: Settings,
        services: Services,
        library: Any,
        *,
        settings_path: Path | None = None,
        seed: int | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.services = services
        self.library = library
        self.settings_path = settings_path
        self.seed = seed
        self.tts_muted = not settings.tts
        self._tts_warned = False

    def get_default_screen(self) -> Screen[Any]:
        from kiosk.ui.screens.home import HomeScreen

        return HomeScreen()

    # --- navigation ---------------------------------------------------------------------

    def ask(self, practice: Practice, asked: Asked | None = None, *, replace: bool) -> None:
        """Show a question of ``practice`` (its current one unless ``asked`` is given)."""
        from kiosk.ui.screens.question import QuestionScreen

        screen = QuestionScreen(practice, asked or practice.current)
        if replace:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def go_home(self) -> None:
        """Leave the current answer and return to the home screen."""
        from kiosk.ui.screens.home import HomeScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()

    def action_help(self) -> None:
        from kiosk.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    # --- voice ----------------------------------------------------------------------------

    @property
    def speaker(self) -> Speaker:
        return self.services.speaker

    def voice_on(self) -> bool:
        """True when questions should be read aloud; warns once when no voice exists."""
        if self.tts_muted:
            return False
        if not self.speaker.available():
            if not self._tts_warned:
                self._tts_warned = True
                self.notify(
                    "No text-to-speech voice found: questions are shown as text only. "
                    "Install espeak-ng (or a system voice) to hear them.",
                    title="Voice unavailable",
                    severity="warning",
                    timeout=8,
                )
            return False
        return True

    # --- speech model ---------------------------------------------------------------------

    @property
    def models(self) -> ModelHolder:
        return self.services.models

    def preload_model(self) -> None:
        """Start loading the speech model in the background (once), e.g. while a question
        is being read; errors surface when the answer is processed."""
        if not self.models.loaded:
            self._load_model()

    @work(thread=True, exclusive=True, group="model", exit_on_error=False)
    def _load_model(self) -> None:
        try:
            self.models.get()
        except KioskError:
            return  # reported, with what to do, when the answer is transcribed
        self.post_message(ModelReady())

    def now(self) -> float:
        return self.services.clock()


def make_app(
    settings: Settings,
    *,
    recorder_factory: RecorderFactory,
    speaker: Speaker,
    transcriber_factory: TranscriberFactory,
    library: Any,
    analyze: Analyze | None = None,
    clock: Callable[[], float] = time.monotonic,
    wall_clock: Callable[[], datetime] = datetime.now,
    settings_path: Path | None = None,
    seed: int | None = None,
) -> KioskApp:
    """Build the booth. ``analyze`` defaults to :func:`kiosk.pipeline.analyze_audio`."""
    if analyze is None:
        from kiosk.pipeline import analyze_audio

        analyze = analyze_audio
    holder_ref: list[KioskApp] = []
    models = ModelHolder(transcriber_factory, lambda: holder_ref[0].settings)
    services = Services(recorder_factory, speaker, models, analyze, clock, wall_clock)
    app = KioskApp(settings, services, library, settings_path=settings_path, seed=seed)
    holder_ref.append(app)
    return app
