"""Report: how the answer was delivered, the transcript marked up, and what to do next.

The natural next step is the interviewer's follow-up (追问), so it is shown under the
transcript with its own key; retry, next and home are one key each. Which of them are
offered is the practice's flow (``kiosk.core.flow``); the app routes the key pressed.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from kiosk.core.flow import Outcome, Step
from kiosk.core.followups import FollowUp
from kiosk.core.ports import RecordingResult
from kiosk.core.report import Report, missing_speech_text
from kiosk.output.render import transcript_text
from kiosk.ui.headings import describe
from kiosk.ui.messages import Result
from kiosk.ui.practice import Asked, Practice
from kiosk.ui.screens.base import BoothScreen
from kiosk.ui.widgets.content_review import ContentReviewView
from kiosk.ui.widgets.report_cards import PossibleFillers, ReportCards
from kiosk.ui.widgets.titlebar import TitleBar


class ReportScreen(BoothScreen):
    """The result of one answer."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "follow_up", "Answer follow-up"),
        Binding("o", "other_follow_up", "Other follow-up"),
        Binding("r", "retry", "Retry"),
        Binding("n", "next", "Next question"),
        Binding("d", "debrief", "Round debrief"),
        Binding("escape,h", "home", "Home"),
    ]

    def __init__(
        self,
        practice: Practice,
        asked: Asked,
        report: Report,
        result: RecordingResult,
        attempt: int | None = None,
    ) -> None:
        super().__init__()
        self.practice = practice.with_answer(asked, report)
        self.asked = asked
        self.report = report
        self.result = result
        self.attempt = attempt
        """The answer's row in the history (None without one)."""
        self.moves = self.practice.moves(asked, Step.REPORT)
        """What the flow offers from here (retry, follow-up, next, debrief, home)."""
        offers_follow_up = Outcome.FOLLOW_UP in self.moves
        self.follow_ups = asked.follow_ups(report) if offers_follow_up else []
        """Follow-ups that fit this answer, best first (``kiosk.core.followups``)."""
        self.choice = 0

    @property
    def follow_up(self) -> FollowUp | None:
        """The follow-up on offer (``o`` shows the next candidate)."""
        return self.follow_ups[self.choice] if self.follow_ups else None

    def _follow_up_text(self) -> Text:
        chosen = self.follow_up
        assert chosen is not None
        more = len(self.follow_ups)
        hint = "   — f to answer it"
        if more > 1:
            hint += f", o for another ({self.choice + 1} of {more})"
        return Text.assemble(
            ("追问 Follow-up  ", "bold"),
            chosen.text,
            (f"\n  why: {chosen.why}", "dim"),
            (hint, "dim"),
        )

    def compose(self) -> ComposeResult:
        yield TitleBar(self.practice.title)
        with VerticalScroll(id="report-box"):
            yield Static(describe(self.asked, self.practice), id="report-meta", markup=False)
            yield Static(self.asked.text, id="report-question", markup=False)
            yield ReportCards(self.report.metrics, id="cards")
            yield from self.practice.parts.report(
                self.report, self.asked.id, self.attempt, self.booth.history.store
            )
            yield PossibleFillers(self.report.metrics, id="report-possible")
            if self.report.content is not None:
                yield ContentReviewView(self.report.content, id="report-content")
            missing = missing_speech_text(self.report.transcript)
            if missing:
                yield Static(missing, id="report-missing", markup=False, classes="warning")
            for note in self.report.transcript.notes:
                yield Static(note, classes="report-note warning", markup=False)
            transcript = Static(transcript_text(self.report), id="transcript")
            transcript.border_title = "Transcript"
            yield transcript
            legend = (
                "Highlighted: fillers (counts are lower bounds — many spoken ones are missed). "
                "⏸ marks a pause where it happened."
            )
            if self.report.content is not None:
                legend += " Green: the words of the key point chosen under What was said."
            yield Static(legend, id="report-legend")
            if self.follow_up is not None:
                yield Static(self._follow_up_text(), id="follow-up")
            yield Static(f"Recording: {self.result.path}", id="report-path", markup=False)
        yield Footer()

    def on_content_review_view_selected(self, event: ContentReviewView.Selected) -> None:
        """Highlight the words of the chosen key point or signal in the transcript."""
        self.query_one("#transcript", Static).update(transcript_text(self.report, event.marks))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "follow_up":
            return self.follow_up is not None
        if action == "other_follow_up":
            return len(self.follow_ups) > 1
        if action == "next":
            return Outcome.NEXT in self.moves
        if action == "debrief":  # at the end of a mock round
            return Outcome.DEBRIEF in self.moves
        return True

    def _done(self, outcome: Outcome, ask: Asked | None = None) -> None:
        result = Result(
            Step.REPORT,
            outcome,
            self.practice,
            self.asked,
            recording=self.result,
            attempt=self.attempt,
            report=self.report,
            ask=ask,
        )
        self.advance(result)

    def action_follow_up(self) -> None:
        if self.follow_up is not None:
            self._done(Outcome.FOLLOW_UP, self.asked.follow_up(self.follow_up, self.report))

    def action_other_follow_up(self) -> None:
        if len(self.follow_ups) > 1:
            self.choice = (self.choice + 1) % len(self.follow_ups)
            self.query_one("#follow-up", Static).update(self._follow_up_text())

    def action_retry(self) -> None:
        self._done(Outcome.RETRY)

    def action_next(self) -> None:
        if Outcome.NEXT in self.moves:
            self._done(Outcome.NEXT)

    def action_debrief(self) -> None:
        if Outcome.DEBRIEF in self.moves:
            self._done(Outcome.DEBRIEF)

    def action_home(self) -> None:
        self._done(Outcome.HOME)
