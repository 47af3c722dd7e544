"""Question: the question shown large and read aloud; the user starts answering when ready.

Reading aloud runs in a thread worker because ``Speaker.speak`` blocks until done; replay,
mute, skip and starting to answer all stop the voice first so it never talks over the user.
Answering, skipping and going home are handed to the app (``advance``), which routes them.
"""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.widgets import Footer, Static

from kiosk.core.flow import Outcome, Step
from kiosk.core.ports import language_of
from kiosk.ui.headings import describe
from kiosk.ui.messages import Result, SpeakingDone, VoiceUnavailable
from kiosk.ui.practice import Asked, Practice
from kiosk.ui.screens.base import BoothScreen
from kiosk.ui.widgets.titlebar import TitleBar


class QuestionScreen(BoothScreen):
    """Shows (and speaks) one question."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,enter", "answer", "Answer", priority=True),
        Binding("r", "replay", "Replay"),
        Binding("m", "mute", "Mute/unmute"),
        Binding("s", "skip", "Skip"),
        Binding("escape", "home", "Home"),
    ]

    def __init__(self, practice: Practice, asked: Asked) -> None:
        super().__init__()
        self.practice = practice
        self.asked = asked

    def compose(self) -> ComposeResult:
        yield TitleBar(self.practice.title)
        with Vertical(id="question-box"):
            yield Static(describe(self.asked, self.practice), id="question-meta", markup=False)
            yield Static(self.asked.text, id="question-text", markup=False)
            yield from self.practice.parts.question(self.asked.language)
            yield Static(id="voice-status")
            with Center():
                yield Static("Press space when you are ready to answer", id="question-hint")
        yield Footer()

    def on_mount(self) -> None:
        self._speak()
        self.booth.preload_model()

    def _speak(self) -> None:
        status = self.query_one("#voice-status", Static)
        if not self.booth.voice_on():
            status.update("🔇 voice off" if self.booth.tts_muted else "text only")
            return
        status.update("🔊 reading the question…")
        self._read_aloud(self.asked.spoken, self.asked.language)

    @work(thread=True, exclusive=True, group="speak", exit_on_error=False)
    def _read_aloud(self, text: str, language: str) -> None:
        # Both calls may block (starting an engine, playing audio): never on the UI thread.
        speaker = self.booth.speaker
        try:
            if not speaker.available():
                self.post_message(VoiceUnavailable())
                return
            speaker.speak(text, language_of(language))
        except Exception as exc:  # a voice failure must never stop the practice
            self.post_message(VoiceUnavailable(str(exc)))
            return
        self.post_message(SpeakingDone())

    def on_speaking_done(self, _: SpeakingDone) -> None:
        self.query_one("#voice-status", Static).update("")

    def on_voice_unavailable(self, event: VoiceUnavailable) -> None:
        self.booth.voice_failed(event.reason)
        self.query_one("#voice-status", Static).update("text only")

    def _hush(self) -> None:
        self.booth.speaker.stop()

    def _done(self, outcome: Outcome) -> None:
        self.advance(Result(Step.QUESTION, outcome, self.practice, self.asked))

    def action_answer(self) -> None:
        self._hush()
        self._done(Outcome.ANSWER)

    def action_replay(self) -> None:
        self._hush()
        if self.booth.tts_muted:
            self.booth.tts_muted = False
        self._speak()

    def action_mute(self) -> None:
        self.booth.tts_muted = not self.booth.tts_muted
        if self.booth.tts_muted:
            self._hush()
            self.query_one("#voice-status", Static).update("🔇 voice off")
            self.notify("Voice off (m to turn it back on)", timeout=3)
        else:
            self._speak()

    def action_skip(self) -> None:
        self._hush()
        if self.practice.last:
            self.notify("That was the last question of this practice.")
        self._done(Outcome.SKIP)

    def action_home(self) -> None:
        self._hush()
        self._done(Outcome.HOME)
