"""Answers brought back by crash recovery, analysed in the booth like any other answer.

A recovered attempt becomes the same three things the recording screen hands to the
processing screen — a one-question :class:`Practice`, the :class:`Asked` question and the
:class:`RecordingResult` on disk — so it goes through the one analysis path
(``ProcessingScreen`` → ``kiosk.pipeline``) and its report is saved with the attempt.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.core.errors import KioskError
from kiosk.core.ports import SAMPLE_RATE, RecordingResult
from kiosk.core.target import Target
from kiosk.store.database import Attempt, Store
from kiosk.ui.practice import Asked, Practice

TITLE = "Recovered answer"
NO_TARGET = Target(0, 3600)
"""For a recording found without its question: no length is too short or too long."""


@dataclass(frozen=True, slots=True)
class RecoveredQuestion:
    """The question a recovered attempt answered, as far as the history knows it."""

    id: str
    bank_id: str
    language: str
    category: str
    kind: str
    text: str
    spoken: str
    target: Target
    follow_ups: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


def recovered_answer(
    store: Store, attempt: Attempt, default_language: str
) -> tuple[Practice, Asked, RecordingResult]:
    """What the processing screen needs to analyse ``attempt``; raises :class:`KioskError`
    (naming the file) when its recording is gone."""
    audio = store.audio_file(attempt)
    if audio is None or not audio.is_file():
        raise KioskError(
            f"answer {attempt.id}: its recording {audio} is missing, so it cannot be analysed"
        )
    rate = attempt.sample_rate or SAMPLE_RATE
    text = attempt.question_text or "(an answer recovered without its question)"
    question = RecoveredQuestion(
        id=attempt.question_id or f"recovered-{attempt.id}",
        bank_id=attempt.bank_id or "",
        language=attempt.language or default_language,
        category=attempt.category or TITLE,
        kind=attempt.kind or "recovered",
        text=text,
        spoken=text,
        target=attempt.target or NO_TARGET,
    )
    result = RecordingResult(audio, round((attempt.duration_s or 0.0) * rate), rate)
    return Practice(TITLE, (question,)), Asked.of(question), result
