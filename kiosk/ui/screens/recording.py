"""Recording: the answer goes to disk as it is spoken, with a live timer and level meter.

Opening and closing the input stream happen in thread workers; the recorder's callbacks run
on its audio thread and only touch :class:`LiveInput` (numbers) or post a message. A timer
polls those numbers at 12 Hz, so the UI redraws at a steady rate however fast audio
arrives. Whatever happens, what was recorded stays on disk and the user is told where.

An answer stops by itself at its time limit: twice the target, or the longest answer the
settings allow (``max_answer_s``, 15 minutes by default), whichever comes first. The limit is
announced a minute before (from two-minute limits up) and counted down on screen in its
last 30 seconds; an answer cut there is analysed like any other, its report saying so.

The disk is checked before each answer: with room for less than :data:`LOW_SPACE_S` of
audio the user is warned, with less than :data:`MIN_START_S` recording does not start. If
the disk fills mid-answer anyway, recording stops, what fitted is kept and analysed, and
the message says it was the disk, not the microphone.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import ClassVar, Literal

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Footer, Static

from kiosk.audio.wav import DiskFull, RecordingFileError
from kiosk.config import data_dir, private_dir
from kiosk.core.chunking import Caption
from kiosk.core.flow import Outcome, Step
from kiosk.core.ports import (
    SAMPLE_RATE,
    Audio,
    LiveTranscription,
    Recorder,
    RecordingResult,
    language_of,
)
from kiosk.ui.captions import caption_text
from kiosk.ui.headings import describe
from kiosk.ui.live import LiveInput, StopRule
from kiosk.ui.messages import (
    CaptionUpdate,
    DeviceLost,
    RecordingFailed,
    RecordingStarted,
    RecordingStopped,
    Result,
)
from kiosk.ui.parts import Ticker
from kiosk.ui.practice import Asked, Practice
from kiosk.ui.screens.base import BoothScreen
from kiosk.ui.widgets.meters import LevelMeter, TargetBar, clock_text
from kiosk.ui.widgets.titlebar import TitleBar

State = Literal["opening", "recording", "stopping", "failed", "lost"]
POLL_HZ = 12
STOP_NOTES = {
    "silence": "Stopped after silence.",
}
LOW_SPACE_S = 5 * 60.0
"""Warn when less than this much 16 kHz audio fits on the disk (about 9.6 MB): room for a
whole answer at the longest targets (3 min) with margin, and time to free space first."""
MIN_START_S = 10.0
"""Do not start with room for less than this: the answer would be cut off at once."""
WARN_BEFORE_S = 60.0
"""The limit is announced this long before it (when it is at least twice as far)."""
COUNTDOWN_S = 30.0
"""The last seconds before the limit are counted down on screen (limits of a minute up)."""


def answer_limit(target_high: float, max_answer_s: float) -> tuple[float, str]:
    """Where an answer stops by itself, in seconds, and why there: twice the target's
    upper end, or the longest answer the settings allow if that comes first."""
    if max_answer_s < 2 * target_high:
        return max_answer_s, "the longest answer allowed"
    return 2 * target_high, "twice the target"


def cut_note(limit_s: float, why: str) -> str:
    """The report's note on an answer stopped at its time limit."""
    return (
        f"The recording stopped at the time limit, {clock_text(limit_s)} ({why}); "
        "anything said after it is not in this report."
    )


def _storage_problem(error: BaseException | str) -> bool:
    """Is this the disk (full, read-only, no permission) rather than the microphone?"""
    return isinstance(error, (RecordingFileError, OSError))


class RecordingScreen(BoothScreen):
    """Records one answer."""

    DEFAULT_CSS = """
    RecordingScreen #rec-limit { display: none; height: 1; color: #d7a93b; }
    RecordingScreen #rec-limit.shown { display: block; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,enter", "stop", "Stop", priority=True),
        Binding("r", "again", "Try again"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, practice: Practice, asked: Asked) -> None:
        super().__init__()
        self.practice = practice
        self.asked = asked
        self.state: State = "opening"
        self.live = LiveInput()
        self.rule = StopRule(2 * asked.target.high)
        self.limit_why = "twice the target"
        self.notes: tuple[str, ...] = ()
        """Notes for the answer's report (it was cut at the time limit)."""
        self._warned = False
        self.path: Path | None = None
        self.attempt: int | None = None
        self.kept: RecordingResult | None = None
        self._recorder: Recorder | None = None
        self._started_at = 0.0
        self._poll: Timer | None = None
        self._lost_error: Exception | None = None
        self._handed_over = False
        self.stream: LiveTranscription | None = None
        """Transcribes the answer while it is spoken (None: transcribed after stop)."""
        self.tickers: tuple[Ticker, ...] = ()
        """What the practice adds here (the drill's countdown), told the time each tick."""

    def compose(self) -> ComposeResult:
        limit, self.limit_why = answer_limit(
            self.asked.target.high, self.booth.settings.max_answer_s
        )
        self.rule = StopRule(limit)
        yield TitleBar(self.practice.title)
        with Vertical(id="rec-box"):
            yield Static("○ opening the microphone…", id="rec-indicator")
            yield Static(describe(self.asked, self.practice), id="rec-meta", markup=False)
            yield Static(self.asked.text, id="rec-question", markup=False)
            booth = self.booth
            parts = self.practice.parts.recording(
                booth.services.player, lambda: booth.settings.output_device
            )
            self.tickers = tuple(parts)
            yield from self.tickers
            yield TargetBar(self.asked.target, self.rule.cap_s, id="target-bar")
            yield Static(id="rec-limit")
            yield Static("Input level", classes="caption")
            yield LevelMeter(id="level")
            yield Static(id="captions")
            yield Static(id="problem", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        settings = self.booth.settings
        self.live = LiveInput(settings.auto_stop_silence_s)
        self._open()

    # --- state and key hints -------------------------------------------------------------

    def _set_state(self, state: State) -> None:
        self.state = state
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stop":
            return self.state == "recording" or (self.state == "lost" and self._kept_any())
        if action == "again":
            return self.state in ("failed", "lost")
        if action == "cancel":  # while the stream opens or closes, wait for it
            return None if self.state in ("opening", "stopping") else True
        return True

    def _kept_any(self) -> bool:
        return self.kept is not None and self.kept.samples > 0

    # --- opening --------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="recorder", exit_on_error=False)
    def _open(self) -> None:
        history = self.booth.history
        when = self.booth.services.wall_clock()
        try:
            if not self._room_to_record():
                return
            self.path, self.attempt = history.begin(self.asked, when, self.practice.session_id)
            private_dir(self.path.parent)
            recorder = self.booth.services.recorder_factory(self.booth.settings)
            if self.booth.models.loaded and self.booth.settings.live_transcription:
                model = self.booth.models.get()
                language = language_of(self.asked.language)
                self.stream = self.booth.services.streams(model, language, self._caption)
            recorder.start(self.path, on_audio=self._on_audio, on_error=self._device_failed)
        except Exception as exc:  # shown to the user on the UI thread
            self._drop_stream()
            history.discard(self.attempt)
            self.post_message(RecordingFailed(exc))
            return
        self._recorder = recorder
        self.post_message(RecordingStarted(self.path))

    def _room_to_record(self) -> bool:
        """Check the free space where the answer will go (worker thread); False when
        there is too little to start (the reason is posted)."""
        store = self.booth.history.store
        folder = store.recordings_dir() if store is not None else data_dir() / "recordings"
        try:
            room = self.booth.services.room(folder)
        except OSError:
            return True  # cannot tell: try, and a full disk is handled as it happens
        if room < MIN_START_S:
            self.post_message(RecordingFailed(DiskFull(folder / "answer.wav", 0, SAMPLE_RATE)))
            return False
        if room < max(LOW_SPACE_S, self.rule.cap_s):
            self.app.call_from_thread(
                self.notify,
                f"Low disk space: about {clock_text(room)} of recording fits in {folder}. "
                "Free some space soon; what is recorded is kept if the disk fills.",
                title="Disk space",
                severity="warning",
                timeout=10,
            )
        return True

    def _on_audio(self, block: Audio) -> None:
        """Recorder callback, on the audio thread: meter, silence rule, live transcription."""
        self.live.feed(block)
        if self.stream is not None:
            self.stream.feed(block)

    def _caption(self, caption: Caption) -> None:
        """Live-stream callback, on its worker thread."""
        self.post_message(CaptionUpdate(caption))

    def on_caption_update(self, event: CaptionUpdate) -> None:
        if self.state in ("recording", "stopping"):
            captions = self.query_one("#captions", Static)
            captions.update(caption_text(event.caption))
            captions.add_class("shown")

    def _drop_stream(self) -> None:
        stream, self.stream = self.stream, None
        if stream is not None:
            stream.cancel()

    def _device_failed(self, error: Exception) -> None:
        """Recorder callback, on the audio thread."""
        self.post_message(DeviceLost(error))

    def on_recording_started(self, _: RecordingStarted) -> None:
        self._started_at = self.booth.now()
        self.query_one("#rec-indicator", Static).update("● REC   recording — press space to stop")
        self.query_one("#rec-indicator").add_class("live")
        self._set_state("recording")
        self._poll = self.set_interval(1 / POLL_HZ, self._tick)
        self._tick()

    def on_recording_failed(self, event: RecordingFailed) -> None:
        self._set_state("failed")
        if _storage_problem(event.error):
            self._show_problem(
                f"Cannot record: {event.error}\n"
                "The microphone is fine: the recording could not be written to disk. Free "
                "some space or fix the folder's permissions, then r: try again · esc: back."
            )
            return
        self._show_problem(
            f"Cannot record: {event.error}\n"
            "Check that a microphone is plugged in and not in use by another program, or pick "
            "another input device in Settings (s on the home screen). r: try again · esc: back."
        )

    # --- while recording --------------------------------------------------------------------

    def elapsed(self) -> float:
        return max(0.0, self.booth.now() - self._started_at)

    def _tick(self) -> None:
        if self.state != "recording":
            return
        elapsed = self.elapsed()
        self.query_one(TargetBar).elapsed = elapsed
        self.query_one(LevelMeter).level = self.live.level
        for ticker in self.tickers:
            ticker.tick(elapsed)
        reason = self.rule.reason(elapsed, self.live)
        if reason is not None:
            self._finish(reason)
            return
        self._announce_limit(self.rule.cap_s - elapsed)

    def _announce_limit(self, left: float) -> None:
        """A notice a minute before the time limit; a countdown in its last 30 s."""
        cap = self.rule.cap_s
        if not self._warned and cap >= 2 * WARN_BEFORE_S and left <= WARN_BEFORE_S:
            self._warned = True
            self.notify(
                f"1 minute left: the recording stops at {clock_text(cap)} ({self.limit_why}).",
                title="Time limit",
                severity="warning",
                timeout=8,
            )
        if cap >= 2 * COUNTDOWN_S and left <= COUNTDOWN_S:
            countdown = self.query_one("#rec-limit", Static)
            countdown.update(
                f"⏱ stops in {clock_text(math.ceil(left))}: the time limit is "
                f"{clock_text(cap)} ({self.limit_why})"
            )
            countdown.add_class("shown")

    def action_stop(self) -> None:
        if self.state == "recording":
            self._finish("key")
        elif self.state == "lost" and self.kept is not None and self._kept_any():
            self._process(self.kept)

    def _done(self, outcome: Outcome, kept: RecordingResult | None = None) -> None:
        stream = None
        if outcome is Outcome.RECORDED:
            stream, self._handed_over = self.stream, True
        result = Result(
            Step.RECORDING,
            outcome,
            self.practice,
            self.asked,
            recording=kept,
            attempt=self.attempt,
            stream=stream,
            notes=self.notes,
        )
        self.advance(result)

    def action_cancel(self) -> None:
        if self.state == "recording":
            self._finish("cancel")
        elif self.state in ("failed", "lost"):
            self._done(Outcome.BACK)

    def on_unmount(self) -> None:
        # Leaving mid-recording by any other way (quitting the app): close the file properly.
        if self.state == "recording" and self._recorder is not None:
            self.state = "stopping"
            result = self._recorder.stop()
            self.booth.history.recorded(self.attempt, result)
        if self.stream is not None and not self._handed_over:
            self._drop_stream()

    def action_again(self) -> None:
        if self.state in ("failed", "lost"):
            self._done(Outcome.AGAIN)

    def on_device_lost(self, event: DeviceLost) -> None:
        if self.state != "recording":
            return
        self._lost_error = event.error
        self._finish("disk_full" if isinstance(event.error, DiskFull) else "lost")

    # --- stopping ---------------------------------------------------------------------------

    def _finish(self, reason: str) -> None:
        if reason == "cap":
            self.notes = (cut_note(self.rule.cap_s, self.limit_why),)
        self._set_state("stopping")
        if self._poll is not None:
            self._poll.stop()
        self.query_one("#rec-indicator").remove_class("live")
        self.query_one("#rec-indicator", Static).update("■ stopped")
        self.query_one("#rec-limit", Static).remove_class("shown")
        self._close(reason)

    @work(thread=True, exclusive=True, group="recorder", exit_on_error=False)
    def _close(self, reason: str) -> None:
        recorder = self._recorder
        assert recorder is not None
        try:
            result = recorder.stop()
        except Exception as exc:
            self.post_message(RecordingFailed(exc))
            return
        self.booth.history.recorded(self.attempt, result)
        self.post_message(RecordingStopped(result, reason))

    def on_recording_stopped(self, event: RecordingStopped) -> None:
        self.kept = event.result
        if event.reason == "lost":
            self._set_state("lost")
            self._show_lost(event.result)
        elif event.reason == "disk_full":
            self._disk_full(event.result)
        elif event.reason == "cancel":
            self._drop_stream()
            self.notify(f"Answer cancelled. The recording is kept in {event.result.path}")
            self._done(Outcome.BACK)
        else:
            if event.reason == "cap":
                limit = f"{clock_text(self.rule.cap_s)}, {self.limit_why}"
                self.notify(f"Stopped at the time limit ({limit}).", timeout=4)
            elif event.reason in STOP_NOTES:
                self.notify(STOP_NOTES[event.reason], timeout=4)
            self._process(event.result)

    def _disk_full(self, kept: RecordingResult) -> None:
        """The disk filled mid-answer: analyse what fitted, or say nothing could be kept."""
        if not kept.samples:
            self._set_state("failed")
            self._show_problem(
                f"Disk full: nothing could be recorded in {kept.path.parent}.\n"
                "Free some space on that disk, then r: try again · esc: back."
            )
            return
        self.notify(
            f"Disk full: kept {clock_text(kept.duration)} of your answer in {kept.path}. "
            "It is analysed now; free some space before the next answer.",
            title="Disk full",
            severity="warning",
            timeout=15,
        )
        self._process(kept)

    def _show_lost(self, kept: RecordingResult) -> None:
        error: Exception | str = self._lost_error or "device failed"
        what = (
            f"{clock_text(kept.duration)} kept in {kept.path}. enter: analyse what was kept · "
            if kept.samples
            else "Nothing was recorded. "
        )
        if _storage_problem(error):
            self._show_problem(
                f"The recording could not be written mid-answer: {error}\n{what}"
                "r: try again once the disk is fixed · esc: back to the question."
            )
            return
        self._show_problem(
            f"The microphone stopped working mid-answer: {error}\n{what}"
            "r: reconnect it and try again · esc: back to the question."
        )

    def _show_problem(self, text: str) -> None:
        self.query_one("#rec-indicator", Static).update("■ not recording")
        problem = self.query_one("#problem", Static)
        problem.update(text)
        problem.add_class("shown")

    def _process(self, result: RecordingResult) -> None:
        self._done(Outcome.RECORDED, result)
