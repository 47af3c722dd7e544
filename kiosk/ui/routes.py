"""The screen for each step of the answer flow.

``kiosk.core.flow`` says where a step leads; :data:`SCREENS` says which screen shows it,
built from the :class:`~kiosk.ui.messages.Result` the previous screen handed on. The same
screens serve every kind of practice: what a kind adds (the drill's countdown) comes with
the practice as its parts (``kiosk.ui.parts``). Only the app uses this table; screens
never import each other.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from textual.screen import Screen

from kiosk.core.flow import Step
from kiosk.ui.messages import Result
from kiosk.ui.screens.debrief import DebriefScreen
from kiosk.ui.screens.processing import ProcessingScreen
from kiosk.ui.screens.question import QuestionScreen
from kiosk.ui.screens.recording import RecordingScreen
from kiosk.ui.screens.report import ReportScreen


class RouteError(RuntimeError):
    """A step was reached without what its screen needs (a bug in a screen)."""


def _question(r: Result) -> Screen[Any]:
    return QuestionScreen(r.practice, r.ask or r.asked)


def _next_question(r: Result) -> Screen[Any]:
    following = r.practice.next()
    if following is None:
        raise RouteError("no question after the last one")
    return QuestionScreen(following, following.current)


def _recording(r: Result) -> Screen[Any]:
    return RecordingScreen(r.practice, r.asked)


def _processing(r: Result) -> Screen[Any]:
    if r.recording is None:
        raise RouteError("processing without a recording")
    return ProcessingScreen(
        r.practice, r.asked, r.recording, r.attempt, stream=r.stream, notes=r.notes
    )


def _report(r: Result) -> Screen[Any]:
    if r.report is None or r.recording is None:
        raise RouteError("a report screen without a report")
    return ReportScreen(r.practice, r.asked, r.report, r.recording, attempt=r.attempt)


def _debrief(r: Result) -> Screen[Any]:
    return DebriefScreen(r.practice)


SCREENS: Mapping[Step, Callable[[Result], Screen[Any]]] = {
    Step.QUESTION: _question,
    Step.NEXT_QUESTION: _next_question,
    Step.RECORDING: _recording,
    Step.PROCESSING: _processing,
    Step.REPORT: _report,
    Step.DEBRIEF: _debrief,
}
"""Every step but home (a pop back to the home screen) and the screen that shows it."""
