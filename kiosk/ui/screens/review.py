"""Review one stored answer: its metrics, the timed transcript, and the recording itself.

The transcript is the report's, re-read from the history (``Store.report``), with a word
cursor; ``p`` plays the recording from the selected word, ``s`` stops. Decoding and playing
happen in a thread worker; an output device that is missing or fails is a notification,
never a crash. From here the answer can be compared with other attempts at the same
question, exported, or deleted (after a confirmation).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Static

from kiosk.core.errors import BadInput, KioskError
from kiosk.core.report import Report
from kiosk.store.database import Attempt, Store
from kiosk.ui.screens.base import BoothScreen
from kiosk.ui.widgets import clip_player
from kiosk.ui.widgets.confirm import ConfirmScreen
from kiosk.ui.widgets.meters import clock_text
from kiosk.ui.widgets.report_cards import ReportCards
from kiosk.ui.widgets.titlebar import TitleBar
from kiosk.ui.widgets.transcript_view import TranscriptView, stamp


class PlaybackEnded(Message):
    """Playback finished, was stopped, or failed (``error`` says why)."""

    def __init__(self, error: Exception | None = None) -> None:
        super().__init__()
        self.error = error


class ReviewScreen(BoothScreen):
    """One answer from the history."""

    DEFAULT_CSS = """
    ReviewScreen #review-box { padding: 0 2; }
    ReviewScreen #review-meta { color: #8fa3b8; }
    ReviewScreen #review-question { text-style: bold; margin: 1 0; }
    ReviewScreen #review-transcript { border: round #3b4756; height: auto; margin-top: 1; }
    ReviewScreen #review-transcript:focus-within { border: round #5b8fc7; }
    ReviewScreen #review-status { color: #8fa3b8; height: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "play", "Play from word"),
        Binding("s", "stop", "Stop"),
        Binding("c", "compare", "Compare"),
        Binding("x", "export", "Export"),
        Binding("d", "delete", "Delete"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, store: Store, attempt_id: int) -> None:
        super().__init__()
        self.store = store
        self.attempt: Attempt = store.get(attempt_id)
        self.report: Report | None = _read_report(store, attempt_id)
        self.playing = False
        self._stop = threading.Event()

    def compose(self) -> ComposeResult:
        a = self.attempt
        yield TitleBar(f"Answer #{a.id}")
        with VerticalScroll(id="review-box"):
            yield Static(_meta(a), id="review-meta")
            yield Static(Text(a.question_text or "(free answer)"), id="review-question")
            if self.report is not None and not self.report.metrics.no_speech:
                yield ReportCards(self.report.metrics, id="cards")
                view = TranscriptView(self.report, id="review-transcript")
                view.border_title = "Transcript · ↑↓ line · ←→ word · p play · s stop"
                yield view
            else:
                note = f" — {a.note}" if a.note else ""
                yield Static(f"Not analysed ({a.status}{note}).", id="review-empty", markup=False)
            yield Static(id="review-status")
        yield Footer()

    def on_mount(self) -> None:
        views = self.query(TranscriptView)
        if views:
            views.first().focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "play":
            return self.report is not None and not self.playing
        if action == "stop":
            return self.playing
        if action == "compare":
            return self.attempt.question_id is not None
        return True

    # --- playback ---------------------------------------------------------------------------

    def audio_path(self) -> Path | None:
        return self.store.audio_file(self.attempt)

    def action_play(self) -> None:
        path = self.audio_path()
        views = self.query(TranscriptView)
        if path is None or not path.exists():
            self.notify(f"The recording is missing ({path}).", severity="warning")
            return
        start = views.first().selected_start() if views else 0.0
        self._stop = threading.Event()
        self.playing = True
        self.refresh_bindings()
        self.query_one("#review-status", Static).update(f"▶ playing from {stamp(start)} — s: stop")
        self._play(path, start, self._stop)

    @work(thread=True, exclusive=True, group="playback", exit_on_error=False)
    def _play(self, path: Path, start: float, stop: threading.Event) -> None:
        try:
            clip = clip_player.load_clip(path, start)
            self.booth.services.player.play(clip, self.booth.settings.output_device, stop)
        except Exception as exc:  # a device problem is shown, never raised
            self.post_message(PlaybackEnded(exc))
            return
        self.post_message(PlaybackEnded())

    def action_stop(self) -> None:
        self._stop.set()

    def on_playback_ended(self, event: PlaybackEnded) -> None:
        self.playing = False
        self.refresh_bindings()
        self.query_one("#review-status", Static).update("")
        if event.error is not None:
            text = str(event.error) if isinstance(event.error, KioskError) else repr(event.error)
            self.notify(f"Cannot play the recording: {text}", severity="error", timeout=8)

    def on_unmount(self) -> None:
        self._stop.set()

    # --- other actions ----------------------------------------------------------------------

    def action_compare(self) -> None:
        if self.attempt.question_id is not None:
            self.booth.show_compare(self.store, self.attempt.question_id)

    def action_export(self) -> None:
        from kiosk.ui.exporting import export_attempt

        export_attempt(self, self.store, self.attempt.id)

    def action_delete(self) -> None:
        def done(yes: bool | None) -> None:
            if not yes:
                return
            self._stop.set()
            try:
                self.store.delete(self.attempt.id)
            except KioskError as exc:
                self.notify(str(exc), severity="error")
                return
            self.notify(f"Answer #{self.attempt.id} and its recording were deleted.")
            self.app.pop_screen()

        question = f"Delete answer #{self.attempt.id} and its recording? This cannot be undone."
        self.app.push_screen(ConfirmScreen(question), done)

    def action_back(self) -> None:
        self._stop.set()
        self.app.pop_screen()


def _read_report(store: Store, attempt_id: int) -> Report | None:
    try:
        return store.report(attempt_id)
    except BadInput:
        return None  # an unreadable stored report: the screen says "not analysed"


def _meta(a: Attempt) -> Text:
    length = clock_text(a.answer_s)  # the same length as the report's card
    where = " · ".join(x for x in (a.bank_id, a.category, a.language) if x)
    text = Text.assemble((a.created_at.replace("T", " ")[:16] + " UTC", "bold"), f"  ·  {where}")
    text.append(f"  ·  {length}")
    if a.target is not None:
        text.append(f"  ·  target {clock_text(a.target.low)}–{clock_text(a.target.high)}")
    return text
