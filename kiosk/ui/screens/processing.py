"""Processing: the recording becomes a report, in a cancellable worker.

The worker is thin: it calls the one pipeline (``services.analyze``, which is
:func:`kiosk.pipeline.analyze_recording`: the silence gate, the streamed or the batch
transcript, the metrics) with the answer's live transcription if there is one, keeps the
outcome in the history and posts one message. The transcriber's progress callback doubles
as the cancellation point, so escape stops a long transcription at the next chunk.
"""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Footer, ProgressBar, Static
from textual.worker import Worker, get_current_worker

from kiosk.core.errors import KioskError, ModelError
from kiosk.core.flow import Outcome, Step
from kiosk.core.ports import Cancelled, LiveTranscription, Progress, RecordingResult, language_of
from kiosk.core.report import Report
from kiosk.pipeline import NO_SPEECH_NOTE
from kiosk.pipeline import loudest_dbfs as loudest_dbfs
from kiosk.ui.headings import describe
from kiosk.ui.messages import (
    AnalysisDone,
    AnalysisFailed,
    AnalysisStatus,
    NoSpeech,
    Result,
    TranscriptionProgress,
)
from kiosk.ui.practice import Asked, Practice
from kiosk.ui.screens.base import BoothScreen
from kiosk.ui.widgets.titlebar import TitleBar

NO_SPEECH = (
    "No speech detected in this answer, so there is nothing to measure. "
    "Check the input level next time (the meter should move when you speak)."
)
FELL_BEHIND = (
    "Transcribing while you spoke took longer than the answer on this machine. "
    "If reports are slow to appear, turn off “Transcribe while speaking” in "
    "Settings (s): the answer is then transcribed after you stop."
)


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
        stream: LiveTranscription | None = None,
        notes: tuple[str, ...] = (),
    ) -> None:
        super().__init__()
        self.stream = stream
        """The answer's live transcription, finished here (used once; retries go batch)."""
        self.notes = notes
        """Said in the report, e.g. that the recording stopped at the time limit."""
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
        worker = get_current_worker()

        def on_progress(progress: Progress) -> None:
            if worker.is_cancelled:
                raise Cancelled
            self.post_message(TranscriptionProgress(progress))

        stream, self.stream = self.stream, None
        try:
            analysis = self.booth.services.analyze(
                self.result.path,
                transcriber=self.booth.models.get,
                language=language_of(self.asked.language),
                target=self.asked.target,
                stream=stream,
                on_progress=on_progress,
                on_status=self._status,
                question_id=self.asked.id,
                question_text=self.asked.text,
                notes=self.notes,
            )
        except Cancelled:
            return
        except Exception as exc:  # shown to the user; KioskError messages say what to do
            self.booth.history.failed(self.attempt, str(exc) or type(exc).__name__)
            self.post_message(AnalysisFailed(exc))
            return
        if worker.is_cancelled:
            return
        if analysis.fell_behind:
            self.app.call_from_thread(
                self.notify,
                FELL_BEHIND,
                title="Live transcription fell behind",
                severity="warning",
                timeout=12,
            )
        if analysis.no_speech:
            self.booth.history.failed(self.attempt, NO_SPEECH_NOTE)
            self.post_message(NoSpeech())
            return
        self.booth.history.analysed(self.attempt, analysis.report)
        self.post_message(AnalysisDone(analysis.report))

    def _status(self, text: str) -> None:
        """A step of the pipeline began (worker thread)."""
        self.post_message(AnalysisStatus(text))

    # --- reacting ---------------------------------------------------------------------------

    def on_analysis_status(self, event: AnalysisStatus) -> None:
        self.query_one("#proc-status", Static).update(event.text)

    def on_transcription_progress(self, event: TranscriptionProgress) -> None:
        p = event.progress
        self.query_one(ProgressBar).update(progress=100 * p.fraction)
        self.query_one("#proc-status", Static).update(
            f"Transcribing… {p.done:.1f} of {p.total:.1f} s of audio"
        )

    def _done(self, outcome: Outcome, report: Report | None = None) -> None:
        result = Result(
            Step.PROCESSING,
            outcome,
            self.practice,
            self.asked,
            recording=self.result,
            attempt=self.attempt,
            report=report,
        )
        self.advance(result)

    def on_analysis_done(self, event: AnalysisDone) -> None:
        self._done(Outcome.ANALYSED, event.report)

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
        self._done(Outcome.BACK)

    def action_again(self) -> None:
        if self.state != "working":
            self._start()

    def action_answer_again(self) -> None:
        self._done(Outcome.BACK)

    def action_settings(self) -> None:
        self.booth.show_settings()

    def action_home(self) -> None:
        if self._worker is not None and self.state == "working":
            self._worker.cancel()
        self._done(Outcome.HOME)
