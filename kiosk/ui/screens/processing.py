"""Processing: decode the recording, transcribe it and measure it, in a cancellable worker.

The worker is thin: it calls the one pipeline (``kiosk.pipeline.analyze_audio``) and posts
one message. The transcriber's progress callback doubles as the cancellation point, so
escape stops a long transcription at the next chunk. When the answer was transcribed while
it was spoken (a live stream from the recording screen), the worker only finishes that
stream and measures it (``kiosk.pipeline.report_from_transcript``); if streaming failed, it
falls back to the batch pass.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Footer, ProgressBar, Static
from textual.worker import Worker, get_current_worker

from audio.level import rms_dbfs
from kiosk.core.errors import KioskError, ModelError
from kiosk.core.ports import Audio, Cancelled, Progress, RecordingResult
from kiosk.core.report import Report
from kiosk.ui.messages import (
    AnalysisDone,
    AnalysisFailed,
    AnalysisStatus,
    NoSpeech,
    TranscriptionProgress,
)
from kiosk.ui.practice import Asked, Practice
from kiosk.ui.screens.base import BoothScreen
from kiosk.ui.screens.question import describe
from kiosk.ui.widgets.titlebar import TitleBar

if TYPE_CHECKING:
    from models.streaming import LiveStream

log = logging.getLogger(__name__)

NO_SPEECH = (
    "No speech detected in this answer, so there is nothing to measure. "
    "Check the input level next time (the meter should move when you speak)."
)


BEHIND = 0.9
"""Decoding seconds per second of answer above which live transcription cannot keep up."""
SLOW_STOP_S = 3.0
"""A wait at the stop key this long means the stream was far behind the voice."""

SILENT_DBFS = -50.0
"""A recording whose loudest 0.1 s is quieter than this holds no speech."""


def loudest_dbfs(audio: Audio, block: int = 1600) -> float:
    """The loudest 0.1 s of ``audio`` in dBFS: a cheap test for a silent recording."""
    levels = (rms_dbfs(audio[i : i + block]) for i in range(0, len(audio), block))
    return max(levels, default=-120.0)


class ProcessingScreen(BoothScreen):
    """Turns a recording into a report."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("r", "again", "Try again"),
        Binding("a", "answer_again", "Answer again"),
        Binding("s", "settings", "Settings"),
        Binding("h", "home", "Home"),
    ]

    def __init__(
        self,
        practice: Practice,
        asked: Asked,
        result: RecordingResult,
        attempt: int | None = None,
        *,
        stream: LiveStream | None = None,
        notes: tuple[str, ...] = (),
    ) -> None:
        super().__init__()
        self.stream = stream
        self.notes = notes
        """Said in the report, e.g. that the recording stopped at the time limit."""
        """The answer's live transcription, finished here (used once; retries go batch)."""
        self.attempt = attempt
        self.practice = practice
        self.asked = asked
        self.result = result
        self.state = "working"
        self._worker: Worker[None] | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar(self.practice.title)
        with Vertical(id="processing-box"):
            yield Static(describe(self.asked, self.practice), id="proc-meta", markup=False)
            yield Static(self.asked.text, id="proc-question", markup=False)
            yield Static("Reading the recording…", id="proc-status")
            yield ProgressBar(total=100, show_eta=False, id="proc-progress")
            yield Static(f"Recording kept in {self.result.path}", id="proc-path", markup=False)
            yield Static(id="problem", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._start()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("again", "answer_again", "settings"):
            return self.state != "working"
        return True

    def _set_state(self, state: str) -> None:
        self.state = state
        self.refresh_bindings()

    def _start(self) -> None:
        self._set_state("working")
        self.query_one("#problem", Static).remove_class("shown")
        self.query_one(ProgressBar).update(progress=0)
        self._worker = self._analyse()

    # --- the worker -------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="analyse", exit_on_error=False)
    def _analyse(self) -> None:
        from audio.files import load_audio

        worker = get_current_worker()

        def on_progress(progress: Progress) -> None:
            if worker.is_cancelled:
                raise Cancelled
            self.post_message(TranscriptionProgress(progress))

        try:
            audio = load_audio(self.result.path)
            if audio.size == 0 or loudest_dbfs(audio) < SILENT_DBFS:
                self.booth.history.failed(self.attempt, "no speech detected")
                self.post_message(NoSpeech())
                return
            report = self._streamed()
            if report is None:
                self.post_message(AnalysisStatus("Loading the speech model…"))
                transcriber = self.booth.models.get()
                self.post_message(AnalysisStatus("Transcribing…"))
                report = self.booth.services.analyze(
                    audio,
                    transcriber=transcriber,
                    language=self.asked.language,
                    target=self.asked.target,
                    on_progress=on_progress,
                    source=str(self.result.path),
                    question_id=self.asked.id,
                    question_text=self.asked.text,
                )
        except Cancelled:
            return
        except Exception as exc:  # shown to the user; KioskError messages say what to do
            self.booth.history.failed(self.attempt, str(exc) or type(exc).__name__)
            self.post_message(AnalysisFailed(exc))
            return
        if worker.is_cancelled:
            return
        if self.notes:
            transcript = report.transcript
            transcript = replace(transcript, notes=(*transcript.notes, *self.notes))
            report = replace(report, transcript=transcript)
        if report.metrics.no_speech:
            self.booth.history.failed(self.attempt, "no speech detected")
            self.post_message(NoSpeech())
            return
        self.booth.history.analysed(self.attempt, report)
        self.post_message(AnalysisDone(report))

    def _streamed(self) -> Report | None:
        """The report from the live transcription, or None to transcribe the recording."""
        stream, self.stream = self.stream, None
        if stream is None:
            return None
        from kiosk.pipeline import report_from_transcript

        left = stream.processor.end - stream.processor.start
        self.post_message(AnalysisStatus(f"Finishing the transcript: the last {left:.1f} s…"))
        began = time.monotonic()
        try:
            transcript = stream.stop()
        except Exception as exc:  # the recording is on disk: transcribe it instead
            log.warning("live transcription failed, transcribing the recording: %s", exc)
            return None
        if stream.processor.load > BEHIND or time.monotonic() - began > SLOW_STOP_S:
            self.app.call_from_thread(
                self.notify,
                "Transcribing while you spoke took longer than the answer on this machine. "
                "If reports are slow to appear, turn off “Transcribe while speaking” in "
                "Settings (s): the answer is then transcribed after you stop.",
                title="Live transcription fell behind",
                severity="warning",
                timeout=12,
            )
        return report_from_transcript(
            transcript,
            target=self.asked.target,
            source=str(self.result.path),
            question_id=self.asked.id,
            question_text=self.asked.text,
        )

    # --- reacting ---------------------------------------------------------------------------

    def on_analysis_status(self, event: AnalysisStatus) -> None:
        self.query_one("#proc-status", Static).update(event.text)

    def on_transcription_progress(self, event: TranscriptionProgress) -> None:
        p = event.progress
        self.query_one(ProgressBar).update(progress=100 * p.fraction)
        self.query_one("#proc-status", Static).update(
            f"Transcribing… {p.done:.1f} of {p.total:.1f} s of audio"
        )

    def on_analysis_done(self, event: AnalysisDone) -> None:
        from kiosk.ui.screens.report import ReportScreen

        self.booth.switch_screen(ReportScreen(self.practice, self.asked, event.report, self.result))

    def on_no_speech(self, _: NoSpeech) -> None:
        self._fail(NO_SPEECH + " a: answer again · h: home.", title="No speech detected")

    def on_analysis_failed(self, event: AnalysisFailed) -> None:
        error = event.error
        if isinstance(error, ModelError):
            hint = "Set a model directory in Settings (s) or run `kiosk model install`, then r."
        elif isinstance(error, KioskError):
            hint = "r: try again · a: answer again · h: home."
        else:
            hint = "This is a bug; r: try again · a: answer again · h: home."
            error = RuntimeError(f"{type(error).__name__}: {error}")
        self._fail(f"{error}\n{hint}", title="Could not analyse the answer")

    def _fail(self, text: str, *, title: str) -> None:
        self._set_state("failed")
        self.query_one("#proc-status", Static).update(title)
        problem = self.query_one("#problem", Static)
        problem.update(text)
        problem.add_class("shown")

    # --- keys ---------------------------------------------------------------------------------

    def on_unmount(self) -> None:
        if self.stream is not None:  # left before the worker took it
            self.stream.cancel()

    def action_cancel(self) -> None:
        if self._worker is not None and self.state == "working":
            self._worker.cancel()
            self.notify(f"Stopped. The recording is kept in {self.result.path}", timeout=5)
        self.booth.ask(self.practice, self.asked, replace=True)

    def action_again(self) -> None:
        if self.state != "working":
            self._start()

    def action_answer_again(self) -> None:
        self.booth.ask(self.practice, self.asked, replace=True)

    def action_settings(self) -> None:
        from kiosk.ui.screens.settings import SettingsScreen

        self.booth.push_screen(SettingsScreen())

    def action_home(self) -> None:
        if self._worker is not None and self.state == "working":
            self._worker.cancel()
        self.booth.go_home()
