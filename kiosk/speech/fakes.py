"""A scripted stand-in for the speech model, for UI, pipeline and fault-injection tests.

Loading Whisper takes seconds and its output depends on the CPU; tests of everything
around the transcriber want a transcript they chose, a delay they can cancel, or an error
at a chosen moment. :class:`FakeTranscriber` gives exactly that and records every call;
:class:`FakeStreams` stands in for live transcription (the booth's ``streams`` service):
each answer's stream hears the audio and returns a transcript chosen by the test.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from kiosk.core.chunking import caption_of
from kiosk.core.ports import (
    SAMPLE_RATE,
    Audio,
    Cancelled,
    CaptionCallback,
    Language,
    Progress,
    ProgressCallback,
    Transcriber,
)
from kiosk.core.transcript import Span, Transcript, Word


@dataclass(frozen=True, slots=True)
class TranscribeCall:
    """One recorded call: how much audio, which language was asked for."""

    samples: int
    language: str


def words_from(text: str, start: float = 0.0, step: float = 0.4) -> tuple[Word, ...]:
    """Evenly spaced words: split on spaces, or one per Han character if there are none."""
    tokens = text.split() if " " in text.strip() else [ch for ch in text if not ch.isspace()]
    return tuple(
        Word(tok, round(start + i * step, 3), round(start + (i + 1) * step - 0.05, 3))
        for i, tok in enumerate(tokens)
    )


@dataclass
class FakeTranscriber:
    """Returns ``transcript`` (or one built from ``words``) after an optional delay.

    ``delay`` seconds are spent in ``steps`` progress ticks, checking ``cancel`` (and any
    exception the progress callback raises) between ticks. ``error`` is raised instead of
    returning, after the delay.
    """

    transcript: Transcript | None = None
    words: Sequence[Word] = ()
    language: str = "zh"
    delay: float = 0.0
    steps: int = 4
    error: Exception | None = None
    calls: list[TranscribeCall] = field(default_factory=list)

    def transcribe(
        self,
        audio: Audio,
        language: Language = "auto",
        on_progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> Transcript:
        self.calls.append(TranscribeCall(samples=len(audio), language=language))
        duration = len(audio) / SAMPLE_RATE
        for i in range(1, self.steps + 1):
            if cancel is not None and cancel.wait(self.delay / self.steps):
                raise Cancelled("transcription cancelled")
            if cancel is None and self.delay:
                time.sleep(self.delay / self.steps)
            if on_progress:
                on_progress(Progress(done=duration * i / self.steps, total=duration))
        if self.error is not None:
            raise self.error
        if self.transcript is not None:
            return self.transcript
        lang = self.language if language == "auto" else language
        speech = (Span(self.words[0].start, self.words[-1].end),) if self.words else ()
        return Transcript(language=lang, duration=duration, words=tuple(self.words), speech=speech)


@dataclass
class FakeStreamClock:
    """How far a :class:`FakeStream` has got (``kiosk.core.ports.StreamClock``)."""

    start: float = 0.0
    end: float = 0.0
    load: float = 0.0


@dataclass
class FakeStream:
    """One answer's live transcription: counts the audio fed, captions ``caption`` once,
    and ``stop`` returns ``transcript`` (or raises ``error``, like a stream that broke)."""

    transcript: Transcript
    on_caption: CaptionCallback | None = None
    error: Exception | None = None
    load: float = 0.0
    processor: FakeStreamClock = field(default_factory=FakeStreamClock)
    samples: int = 0
    stopped: bool = False
    cancelled: bool = False

    def feed(self, block: Audio) -> None:
        self.samples += len(block)
        self.processor.end = self.samples / SAMPLE_RATE
        self.processor.load = self.load
        if self.on_caption is not None and self.transcript.words:
            self.on_caption(caption_of(self.transcript.words, ()))
            self.on_caption = None  # once is enough for a test

    def stop(self) -> Transcript:
        self.stopped = True
        if self.error is not None:
            raise self.error
        return self.transcript

    def cancel(self) -> None:
        self.cancelled = True


@dataclass
class FakeStreams:
    """A :data:`~kiosk.core.ports.StreamOpener` whose streams return ``transcript``;
    with ``transcript`` None, no model can stream (the batch pass is used)."""

    transcript: Transcript | None = None
    error: Exception | None = None
    load: float = 0.0
    opened: list[FakeStream] = field(default_factory=list)

    def __call__(
        self, transcriber: Transcriber, language: Language, on_caption: CaptionCallback
    ) -> FakeStream | None:
        if self.transcript is None:
            return None
        stream = FakeStream(self.transcript, on_caption, self.error, self.load)
        self.opened.append(stream)
        return stream
