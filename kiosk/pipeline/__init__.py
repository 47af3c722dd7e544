"""The one way in for answers: recording → transcript → metrics → report.

:func:`analyze_recording` is what ``kiosk analyze``, the booth (a just-recorded or a
recovered answer) and crash recovery (``kiosk history recover --analyse``) all call, so a
recording gets the same answer wherever it is analysed: it reads the audio, applies the
silence gate (a recording with no sound loud enough to be speech is never transcribed, so
nothing is invented from noise), takes the transcript streamed while the answer was spoken
or else transcribes the recording, and measures it. :func:`analyze_audio` and
:func:`report_from_transcript` are its two halves, for benchmarks and tests that want one
of them alone. The transcriber is passed in (the real faster-whisper adapter or a test
double), which keeps this module free of model code.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from kiosk.audio.level import rms_dbfs
from kiosk.core.content import ContentReview, QuestionLike, review_content
from kiosk.core.metrics import compute_metrics
from kiosk.core.ports import (
    SAMPLE_RATE,
    Audio,
    Language,
    LiveTranscription,
    ProgressCallback,
    Transcriber,
)
from kiosk.core.report import Report
from kiosk.core.target import Target
from kiosk.core.transcript import Transcript

log = logging.getLogger(__name__)

SILENT_DBFS = -50.0
"""A recording whose loudest 0.1 s is quieter than this holds no speech."""
NO_SPEECH_NOTE = "no speech detected"
"""What the history notes for an answer with no speech (booth and recovery alike)."""
GATE_BLOCK = SAMPLE_RATE // 10
"""The silence gate measures the level 0.1 s at a time."""

BEHIND = 0.9
"""Decoding seconds per second of answer above which live transcription cannot keep up."""
SLOW_STOP_S = 3.0
"""A wait at the stop key this long means the stream was far behind the voice."""


def loudest_dbfs(audio: Audio, block: int = GATE_BLOCK) -> float:
    """The loudest 0.1 s of ``audio`` in dBFS: a cheap test for a silent recording."""
    levels = (rms_dbfs(audio[i : i + block]) for i in range(0, len(audio), block))
    return max(levels, default=-120.0)


def is_silent(audio: Audio) -> bool:
    """The silence gate: no audio, or none of it loud enough to be speech."""
    return audio.size == 0 or loudest_dbfs(audio) < SILENT_DBFS


StatusCallback = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Analysis:
    """An analysed recording: its report, and how the transcript was made."""

    report: Report
    streamed: bool = False
    """The transcript is the one streamed while the answer was spoken (no batch pass)."""
    fell_behind: bool = False
    """Live transcription could not keep up with the voice on this machine."""

    @property
    def no_speech(self) -> bool:
        """Nothing to measure: the recording was silent, or no words were heard."""
        return self.report.metrics.no_speech


def analyze_recording(
    recording: Path | Audio,
    *,
    transcriber: Callable[[], Transcriber],
    language: Language = "auto",
    target: Target | None = None,
    stream: LiveTranscription | None = None,
    on_progress: ProgressCallback | None = None,
    on_status: StatusCallback | None = None,
    source: str | None = None,
    model: str | None = None,
    question_id: str | None = None,
    question_text: str | None = None,
    question: QuestionLike | None = None,
    notes: Sequence[str] = (),
) -> Analysis:
    """Analyse one recorded answer: a file (any format :func:`kiosk.audio.files.load_audio`
    reads) or its 16 kHz mono samples.

    ``transcriber`` is called only when the recording must be transcribed (not for a
    silent one, nor when ``stream`` — the answer's live transcription — finishes), so a
    model is loaded only when needed. If the stream fails, the recording is transcribed
    instead. ``notes`` are added to the report (e.g. the recording was cut at its time
    limit). ``on_status`` hears each step ("Transcribing…"); ``on_progress`` the batch
    pass's progress, and may raise :class:`~kiosk.core.ports.Cancelled` to stop it.
    Raises :class:`~kiosk.core.errors.BadInput` for a missing or unreadable file.
    """
    say = on_status or (lambda text: None)
    if isinstance(recording, Path):
        from kiosk.audio.files import load_audio  # decoding libraries load only when a file is read

        source = source or str(recording)
        audio = load_audio(recording)
    else:
        audio = recording

    def measure(transcript: Transcript) -> Report:
        return report_from_transcript(
            transcript,
            target=target,
            source=source,
            model=model,
            question_id=question_id,
            question_text=question_text,
            question=question,
        )

    if is_silent(audio):
        if stream is not None:
            stream.cancel()
        return Analysis(measure(Transcript(language, len(audio) / SAMPLE_RATE, notes=(*notes,))))
    streamed: Transcript | None = None
    behind = False
    if stream is not None:
        clock = stream.processor
        say(f"Finishing the transcript: the last {clock.end - clock.start:.1f} s…")
        began = time.monotonic()
        try:
            streamed = stream.stop()
        except Exception as exc:  # the recording is on disk: transcribe it instead
            log.warning("live transcription failed, transcribing the recording: %s", exc)
        else:
            behind = clock.load > BEHIND or time.monotonic() - began > SLOW_STOP_S
    if streamed is None:
        say("Loading the speech model…")
        model_now = transcriber()
        say("Transcribing…")
        transcript = model_now.transcribe(audio, language, on_progress)
    else:
        transcript = streamed
    if notes:
        transcript = replace(transcript, notes=(*transcript.notes, *notes))
    return Analysis(measure(transcript), streamed=streamed is not None, fell_behind=behind)


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
    from kiosk.questions.loader import load_library

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
    """Decode ``path`` (any format :func:`kiosk.audio.files.load_audio` reads) and analyse it,
    through :func:`analyze_recording` (silence gate included).

    Raises :class:`~kiosk.core.errors.BadInput` for a missing, unreadable or empty file.
    """
    return analyze_recording(
        Path(path),
        transcriber=lambda: transcriber,
        language=language,
        target=target,
        on_progress=on_progress,
        model=model,
        question=question,
    ).report
