"""The one way in for answers: audio → transcript → metrics → report.

``kiosk analyze``, the TUI and the tests all call these functions, so an answer is
measured the same way wherever it came from (a transcript streamed while the answer was
spoken goes through :func:`report_from_transcript`). The transcriber is passed in (the real
faster-whisper adapter or a test double), which keeps this module free of model code.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from kiosk.core.keypoints import ContentReview, QuestionLike, review_content
from kiosk.core.metrics import compute_metrics
from kiosk.core.ports import Audio, Language, ProgressCallback, Transcriber
from kiosk.core.report import Report
from kiosk.core.target import Target
from kiosk.core.transcript import Transcript


def analyze_audio(
    audio: Audio,
    *,
    transcriber: Transcriber,
    language: Language = "auto",
    target: Target | None = None,
    on_progress: ProgressCallback | None = None,
    source: str | None = None,
    model: str | None = None,
    question_id: str | None = None,
    question_text: str | None = None,
    question: QuestionLike | None = None,
) -> Report:
    """Transcribe ``audio`` (16 kHz mono float32) and measure the answer."""
    transcript = transcriber.transcribe(audio, language, on_progress)
    return report_from_transcript(
        transcript,
        target=target,
        source=source,
        model=model,
        question_id=question_id,
        question_text=question_text,
        question=question,
    )


def report_from_transcript(
    transcript: Transcript,
    *,
    target: Target | None = None,
    source: str | None = None,
    model: str | None = None,
    question_id: str | None = None,
    question_text: str | None = None,
    question: QuestionLike | None = None,
) -> Report:
    """Measure an answer already transcribed (e.g. streamed while it was spoken).

    With the ``question`` (or a ``question_id`` found in the banks) the report also says
    which of its key points were covered and how the answer was structured.
    """
    if question is None and question_id:
        question = bank_question(question_id)
    if question is not None:
        question_id = question_id or question.id
        question_text = question_text or question.text
    return Report(
        transcript=transcript,
        metrics=compute_metrics(transcript, target),
        source=source,
        model=model,
        question_id=question_id,
        question_text=question_text,
        content=_content(transcript, question),
    )


def _content(transcript: Transcript, question: QuestionLike | None) -> ContentReview | None:
    if question is None or transcript.is_empty:
        return None
    return review_content(transcript.words, question, transcript.language)


@lru_cache(maxsize=1)
def _bank_questions() -> dict[str, QuestionLike]:
    from kiosk.config import load_settings
    from questions.loader import load_library

    return {q.id: q for q in load_library(load_settings().banks).questions}


def bank_question(question_id: str) -> QuestionLike | None:
    """The bank question with this id (bundled or the user's banks), or None — e.g. for a
    follow-up (``…-followup``), whose key points are its parent's, not its own."""
    try:
        return _bank_questions().get(question_id)
    except Exception:  # a broken bank must not stop an answer being measured
        return None


def analyze_file(
    path: Path,
    *,
    transcriber: Transcriber,
    language: Language = "auto",
    target: Target | None = None,
    on_progress: ProgressCallback | None = None,
    model: str | None = None,
    question: QuestionLike | None = None,
) -> Report:
    """Decode ``path`` (any format :func:`audio.files.load_audio` reads) and analyse it.

    Raises :class:`~kiosk.core.errors.BadInput` for a missing, unreadable or empty file.
    """
    from audio.files import load_audio  # decoding libraries load only when a file is read

    audio = load_audio(Path(path))
    return analyze_audio(
        audio,
        transcriber=transcriber,
        language=language,
        target=target,
        on_progress=on_progress,
        source=str(path),
        model=model,
        question=question,
    )
