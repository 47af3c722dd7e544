"""The practice booth: a Textual app that asks aloud, records the answer and reports.

``make_app`` is the one way to build it; the real command wires in the microphone, the
voice, the speaker and the speech model, tests wire in doubles. An answer moves forward
(question → recording → processing → report) by :meth:`KioskApp.advance`: each screen hands
on what happened (``kiosk.ui.messages.Advance``), the practice's flow table
(``kiosk.core.flow``) says where it leads, and the screen for that step
(``kiosk.ui.routes.SCREENS``) replaces the current one above the home screen, so "back
home" is always a single pop. The other places (history, progress, settings…) are opened
by name (``show_history``…): no screen imports another.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen

from kiosk.config import Settings
from kiosk.core.errors import KioskError, printable
from kiosk.core.flow import Step
from kiosk.core.ports import Player, Speaker, StreamOpener
from kiosk.questions.library import Library
from kiosk.ui.attempts import History
from kiosk.ui.messages import Advance, HistoryProblem, ModelReady, Result
from kiosk.ui.palette import BoothCommands
from kiosk.ui.practice import Asked, Practice
from kiosk.ui.services import (
    Analyze,
    LiveSettings,
    ModelHolder,
    RecorderFactory,
    Services,
    TranscriberFactory,
)

if TYPE_CHECKING:
    from kiosk.pipeline.recovery import RecoverySummary
    from kiosk.store.database import Store
    from kiosk.ui.booth import Booth

log = logging.getLogger(__name__)


class KioskApp(App[int]):
    """面试语音陪练 — the practice booth."""

    CSS_PATH = "kiosk.tcss"
    COMMANDS: ClassVar[set[Any]] = {BoothCommands}  # ctrl+p: keys and places
    TITLE = "Interview Kiosk · 面试语音陪练"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1,question_mark", "help", "Help", key_display="?"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(
        self,
        settings: LiveSettings,
        services: Services,
        library: Library,
        *,
        settings_path: Path | None = None,
        seed: int | None = None,
        store: Store | None = None,
    ) -> None:
        super().__init__()
        self.history = History(store, self._history_warning)
        self._history_warned = False
        self.startup_warnings: list[str] = []
        """One-line problems found before the booth opened, shown once it has."""
        self._settings = settings
        self.services = services
        self.library = library
        self.settings_path = settings_path
        self.seed = seed
        self.tts_muted = not settings.value.tts
        self.voice_problem: str | None = None
        self.recovered: tuple[int, ...] = ()
        """Recovered answers waiting for analysis (``a`` on the home screen), oldest first."""

    @property
    def settings(self) -> Settings:
        """The current settings (the settings screen replaces them)."""
        return self._settings.value

    @settings.setter
    def settings(self, value: Settings) -> None:
        self._settings.value = value

    def on_mount(self) -> None:
        for text in self.startup_warnings:
            self.notify(text, severity="warning", timeout=10)
        if self.history.store is not None:
            self._recover()

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def _recover(self) -> None:
        """Repair answers cut off by a crash last time, and say so (never silently fail)."""
        from kiosk.pipeline.recovery import pending_analysis, recover

        store = self.history.store
        assert store is not None
        for notice in store.notices:
            self.post_message(HistoryProblem(notice.message))
        try:
            summary = recover(store)
            pending = tuple(a.id for a in pending_analysis(store))
        except Exception as exc:  # a bug or an unusable history: say it, practise on
            text = str(exc) or type(exc).__name__
            self.call_from_thread(
                self.notify,
                f"Could not check for interrupted answers: {text}",
                title="History",
                severity="error",
                timeout=15,
            )
            return
        self.call_from_thread(self._recovered, summary, pending)

    def _recovered(self, summary: RecoverySummary, pending: tuple[int, ...]) -> None:
        """On the UI thread: each skipped entry, then what was recovered and the key."""
        for line in summary.skipped:
            self.notify(line, title="Recordings", severity="warning", timeout=15)
        self.recovered = pending
        if pending:
            them = "it" if len(pending) == 1 else "them"
            waiting = f"{len(pending)} recovered answer{'s' if len(pending) != 1 else ''}"
            head = summary.message or f"{waiting} not analysed yet"
            self.notify(f"{head} — press a on the home screen to analyse {them}", timeout=15)
        elif summary.message:
            self.notify(summary.message, timeout=10)
        self.screen.refresh_bindings()

    def refresh_recovered(self) -> None:
        """Re-read which recovered answers still wait for analysis."""
        from kiosk.pipeline.recovery import pending_analysis

        store = self.history.store
        if store is None:
            return
        try:
            self.recovered = tuple(a.id for a in pending_analysis(store))
        except KioskError:
            self.recovered = ()

    def analyse_recovered(self) -> None:
        """Analyse the oldest recovered answer through the same screen and pipeline as a
        just-recorded one; its report is saved with the attempt."""
        from kiosk.core.flow import Outcome
        from kiosk.ui.recovered import recovered_answer
        from kiosk.ui.routes import SCREENS

        self.refresh_recovered()
        store = self.history.store
        if store is None or not self.recovered:
            self.notify("No recovered answers are waiting for analysis.")
            return
        try:
            attempt = store.get(self.recovered[0])
            practice, asked, result = recovered_answer(store, attempt, self.settings.language)
        except KioskError as exc:
            self.notify(str(exc), title="Cannot analyse", severity="error", timeout=10)
            return
        recorded = Result(
            Step.RECORDING, Outcome.RECORDED, practice, asked, recording=result, attempt=attempt.id
        )
        self.push_screen(SCREENS[Step.PROCESSING](recorded))

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Show a notification, always as plain text (``markup`` is ignored).

        Notifications quote file names, bank texts, typed values and error messages; read
        as markup, a ``[/]`` in any of them would stop the booth, and a control character
        would reach the terminal, so both are neutralised here, where every screen's
        ``notify`` ends.
        """
        super().notify(
            printable(message, lines=True),
            title=printable(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def _history_warning(self, text: str) -> None:
        """Called from any thread; shown once on the UI thread."""
        self.post_message(HistoryProblem(text))

    def on_history_problem(self, event: HistoryProblem) -> None:
        if not self._history_warned:
            self._history_warned = True
            self.notify(event.text, title="History", severity="warning", timeout=10)

    def get_default_screen(self) -> Screen[Any]:
        from kiosk.ui.screens.home import HomeScreen

        return HomeScreen()

    # --- the answer flow ---------------------------------------------------------------

    def ask(self, practice: Practice, asked: Asked | None = None, *, replace: bool) -> None:
        """Show a question of ``practice`` (its current one unless ``asked`` is given)."""
        from kiosk.core.flow import Outcome
        from kiosk.ui.routes import SCREENS

        question = asked or practice.current
        start = Result(Step.QUESTION, Outcome.BACK, practice, question)
        screen = SCREENS[Step.QUESTION](start)
        if replace:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def on_advance(self, event: Advance) -> None:
        """A screen is done with its step: show where the flow leads."""
        if event.origin not in self.screen_stack:  # already left (a key pressed twice)
            if event.result.stream is not None:
                event.result.stream.cancel()
            return
        while self.screen is not event.origin:  # close what is open over it (help)
            self.pop_screen()
        self.advance(event.result)

    def advance(self, result: Result) -> None:
        """Route ``result`` through the practice's flow and show the next step's screen."""
        from kiosk.ui.routes import SCREENS

        step = result.practice.route(result.asked, result.step, result.outcome)
        if step is None:  # a screen offered a move its flow does not have: a bug
            log.error("no move %s from %s in %s", result.outcome, result.step, result.practice)
            self.notify(
                f"This is a bug: {result.outcome} is not possible on the {result.step} step.",
                severity="error",
            )
            return
        if step is Step.HOME:
            self.go_home()
            return
        self.switch_screen(SCREENS[step](result))

    def go_home(self) -> None:
        """Leave the current answer and return to the home screen (the bottom one)."""
        while len(self.screen_stack) > 1:
            self.pop_screen()

    # --- the other places ----------------------------------------------------------------

    def show_history(self, store: Store) -> None:
        from kiosk.ui.screens.history import HistoryScreen

        self.push_screen(HistoryScreen(store))

    def show_progress(self, store: Store, language: str | None = None) -> None:
        from kiosk.ui.screens.progress import ProgressScreen

        self.push_screen(ProgressScreen(store, language))

    def show_review(self, store: Store, attempt_id: int) -> None:
        from kiosk.ui.screens.review import ReviewScreen

        self.push_screen(ReviewScreen(store, attempt_id))

    def show_compare(self, store: Store, question_id: str) -> None:
        from kiosk.ui.screens.compare import CompareScreen

        self.push_screen(CompareScreen(store, question_id))

    def show_settings(self) -> None:
        from kiosk.ui.screens.settings import SettingsScreen

        self.push_screen(SettingsScreen())

    def show_drill_setup(self, language: str) -> None:
        from kiosk.ui.screens.drill import DrillSetupScreen

        self.push_screen(DrillSetupScreen(language))

    def action_help(self) -> None:
        from kiosk.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    # --- voice ----------------------------------------------------------------------------

    @property
    def speaker(self) -> Speaker:
        return self.services.speaker

    def voice_on(self) -> bool:
        """True when questions should be read aloud (not muted, no engine failure known)."""
        return not self.tts_muted and self.voice_problem is None

    def voice_failed(self, reason: str) -> None:
        """Go text-only, saying so once (the first time the voice is found missing)."""
        if self.voice_problem is not None:
            return
        self.voice_problem = reason or (
            "No text-to-speech voice found: install espeak-ng (or a system voice)"
        )
        self.notify(
            f"{self.voice_problem.rstrip('.')}. Questions are shown as text only "
            "(`kiosk doctor` checks the voice).",
            title="Voice unavailable",
            severity="warning",
            timeout=8,
        )

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
        from kiosk.core.keypoints import warm_up

        warm_up()  # the content review's segmenter, before the first report needs it

    def now(self) -> float:
        return self.services.clock()


def make_app(
    settings: Settings | LiveSettings,
    *,
    recorder_factory: RecorderFactory,
    speaker: Speaker,
    transcriber_factory: TranscriberFactory,
    library: Library,
    player: Player,
    streams: StreamOpener,
    analyze: Analyze | None = None,
    clock: Callable[[], float] = time.monotonic,
    wall_clock: Callable[[], datetime] = datetime.now,
    settings_path: Path | None = None,
    seed: int | None = None,
    store: Store | None = None,
    room: Callable[[Path], float] | None = None,
) -> KioskApp:
    """Build the booth on the services given: the real ones (``kiosk.commands.tui``) or
    doubles (the tests). ``analyze`` defaults to :func:`kiosk.pipeline.analyze_recording`,
    ``room`` (recording time that fits in a folder) to the free space on its disk.
    ``settings`` may be shared with services built beforehand (the voice reads them too);
    with a ``store``, every answer is kept in the history (and interrupted ones recovered)."""
    if analyze is None:
        from kiosk.pipeline import analyze_recording

        analyze = analyze_recording
    if room is None:
        from kiosk.audio.wav import recording_room_s

        room = recording_room_s
    live = settings if isinstance(settings, LiveSettings) else LiveSettings(settings)
    models = ModelHolder(transcriber_factory, live)
    services = Services(
        recorder_factory, speaker, models, analyze, clock, wall_clock, player, streams, room
    )
    return KioskApp(live, services, library, settings_path=settings_path, seed=seed, store=store)


if TYPE_CHECKING:

    def _the_app_is_a_booth(app: KioskApp) -> Booth:
        """The screens' view of the app (``kiosk.ui.booth.Booth``), checked by mypy."""
        return app
