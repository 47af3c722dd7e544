"""Delivery metrics of one spoken answer: pace, fillers, pauses, length against a target.

Pure arithmetic on a :class:`~kiosk.core.transcript.Transcript`; definitions, thresholds
and their sources are in docs/METRICS.md. Two choices shape everything here:

* **Silence comes from the voice-activity detector, not from word gaps.** Whisper stretches
  word timestamps over pauses, so gaps between words hide most silences; the gaps between
  VAD speech spans do not. (Without spans — a transcriber that gives none — word gaps are
  the fallback.)
* **Nothing divides by zero.** An empty transcript gives zeros and the verdict
  ``"no_speech"``, so the UI and the JSON never see NaN or an exception.
"""

from __future__ import annotations

import itertools
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from kiosk.core.fillers import Filler, PossibleFiller, scan_fillers, transcript_units
from kiosk.core.target import Target
from kiosk.core.transcript import Span, Transcript, Word

PAUSE_THRESHOLD_S = 0.7
"""A silence this long or longer is a pause (shorter ones are breathing and phrasing)."""
LONG_WORD_S = 1.0
"""A single unit (Han character or English word) lasting longer hides a hesitation."""
LONG_WORD_MEDIAN_FACTOR = 3.0
MISSED_FILLER_FRACTION = 0.125
"""About 1 in 8 real fillers is dropped by the transcriber: counts are lower bounds."""

PaceUnit = Literal["chars/min", "words/min"]
PaceVerdict = Literal["slow", "comfortable", "fast", "no_speech"]
LengthVerdict = Literal["too_short", "within", "too_long", "no_speech"]

BANDS: dict[str, tuple[float, float]] = {
    "chars/min": (180.0, 260.0),
    "words/min": (120.0, 170.0),
}
"""Comfortable pace: Mandarin spontaneous speech ≈ 200±40 (f) / 226±26 (m) chars/min
(Kim et al.), so 180–260 covers both within about one SD; English 120–170 WPM."""


@dataclass(frozen=True, slots=True)
class Pace:
    """Speaking rate. ``value`` is over speaking time (VAD), ``span_value`` first→last word.

    ``span_value`` is the **headline** pace (:attr:`headline`), the one every report,
    listing and chart shows first, and the one the ``verdict`` compares with the band: the
    published rates the bands come from are measured over whole utterances, short pauses
    included, while ``value`` (pauses of a quarter second and more removed) reads 10–35 %
    higher. ``value`` is shown only as the secondary "while speaking" figure.
    """

    value: float
    span_value: float
    unit: PaceUnit
    units: int
    band: tuple[float, float]
    verdict: PaceVerdict

    @property
    def headline(self) -> float:
        """The pace shown first everywhere and judged by the bands: first word to last."""
        return self.span_value


@dataclass(frozen=True, slots=True)
class FillerStats:
    """Fillers found; ``total`` is a lower bound (see :data:`MISSED_FILLER_FRACTION`).

    ``possible`` are filler strings the rules did not count (a 啊 after a word), shown to
    the user as "possible fillers not counted" with their reason.
    """

    total: int
    per_minute: float
    per_100: float
    by_word: dict[str, int]
    items: tuple[Filler, ...]
    loops: int
    possible: tuple[PossibleFiller, ...] = ()


@dataclass(frozen=True, slots=True)
class Pause(Span):
    """A silence of at least the threshold; it falls just before word ``before_word``
    (``len(words)`` if after the last word)."""

    before_word: int


@dataclass(frozen=True, slots=True)
class PauseStats:
    threshold_s: float
    count: int
    longest_s: float
    total_s: float
    time_to_first_word_s: float
    items: tuple[Pause, ...]


@dataclass(frozen=True, slots=True)
class LongWord:
    """A word held unusually long: often a hesitation the transcriber absorbed."""

    index: int
    text: str
    start: float
    end: float

    @property
    def duration(self) -> float:
        return max(0.0, self.end - self.start)


@dataclass(frozen=True, slots=True)
class Length:
    """How long the answer ran: recording start to the end of the last speech.

    ``target_end_word`` is the first word said after the target's upper end (None when the
    answer ended in time or there is no target).
    """

    duration_s: float
    target: Target | None
    verdict: LengthVerdict | None
    target_end_word: int | None


@dataclass(frozen=True, slots=True)
class Metrics:
    language: str
    duration_s: float
    speaking_s: float
    span_s: float
    pace: Pace
    fillers: FillerStats
    pauses: PauseStats
    length: Length
    long_words: tuple[LongWord, ...]

    @property
    def no_speech(self) -> bool:
        return self.pace.units == 0


def pace_unit(language: str, han: int, latin: int) -> PaceUnit:
    """Characters for Mandarin, words for English; other languages follow the majority."""
    if language == "zh":
        return "chars/min"
    if language == "en":
        return "words/min"
    return "chars/min" if han >= latin and han > 0 else "words/min"


def count_units(words: Sequence[Word]) -> tuple[int, int]:
    """(Han characters, Latin/digit words) spoken — the units pace is counted in."""
    units = transcript_units(words)
    return sum(u.kind == "han" for u in units), sum(u.kind == "latin" for u in units)


MIN_RATE_SECONDS = 0.2
"""A rate over less time than this (a lone "嗯") means nothing and could overflow: 0."""


def _rate(count: int, seconds: float) -> float:
    return count * 60.0 / seconds if seconds >= MIN_RATE_SECONDS else 0.0


def _speech_spans(t: Transcript) -> tuple[Span, ...]:
    """VAD spans, or spans rebuilt from word gaps when the transcriber gave none."""
    if t.speech:
        return t.speech
    spans: list[Span] = []
    for w in t.words:
        if spans and w.start - spans[-1].end < PAUSE_THRESHOLD_S:
            spans[-1] = Span(spans[-1].start, max(spans[-1].end, w.end))
        else:
            spans.append(Span(w.start, w.end))
    return tuple(spans)


def compute_pace(t: Transcript, speaking_s: float, span_s: float) -> Pace:
    han, latin = count_units(t.words)
    unit = pace_unit(t.language, han, latin)
    count = han + latin
    value, span_value = _rate(count, speaking_s), _rate(count, span_s)
    low, high = BANDS[unit]
    pace = Pace(value, span_value, unit, count, (low, high), "no_speech")
    if count == 0 or speaking_s <= 0:
        return pace
    judged = pace.headline
    verdict: PaceVerdict = "slow" if judged < low else "fast" if judged > high else "comfortable"
    return Pace(value, span_value, unit, count, (low, high), verdict)


def _word_after(words: Sequence[Word], t: float) -> int:
    """Index of the first word whose midpoint is at or after time ``t``."""
    for i, w in enumerate(words):
        if (w.start + w.end) / 2 >= t:
            return i
    return len(words)


def find_pauses(t: Transcript, threshold: float = PAUSE_THRESHOLD_S) -> PauseStats:
    """Gaps ≥ ``threshold`` between consecutive speech spans, placed among the words."""
    spans = _speech_spans(t)
    items = tuple(
        Pause(a.end, b.start, _word_after(t.words, (a.end + b.start) / 2))
        for a, b in itertools.pairwise(spans)
        if b.start - a.end >= threshold
    )
    first = spans[0].start if spans else 0.0
    return PauseStats(
        threshold_s=threshold,
        count=len(items),
        longest_s=max((p.duration for p in items), default=0.0),
        total_s=sum((p.duration for p in items), 0.0),
        time_to_first_word_s=max(0.0, first),
        items=items,
    )


def compute_fillers(
    t: Transcript, pauses: PauseStats, speaking_s: float, units: int
) -> FillerStats:
    items, possible = scan_fillers(t.words, t.language, {p.before_word for p in pauses.items})
    total = len(items)
    return FillerStats(
        total=total,
        per_minute=_rate(total, speaking_s),
        per_100=total * 100.0 / units if units else 0.0,
        by_word=dict(Counter(f.text for f in items).most_common()),
        items=items,
        loops=sum(f.is_loop for f in items),
        possible=possible,
    )


def find_long_words(words: Sequence[Word]) -> tuple[LongWord, ...]:
    """Words whose time per unit exceeds :data:`LONG_WORD_S` or 3× the median."""
    per_unit = []
    for w in words:
        han, latin = count_units([w])
        per_unit.append(w.duration / max(1, han + latin))
    if not per_unit:
        return ()
    limit = LONG_WORD_S
    if len(per_unit) >= 5:
        limit = min(limit, LONG_WORD_MEDIAN_FACTOR * statistics.median(per_unit))
    return tuple(
        LongWord(i, w.text, w.start, w.end)
        for i, (w, d) in enumerate(zip(words, per_unit, strict=True))
        if d > limit and d > 0.5
    )


def compute_length(t: Transcript, spans: Sequence[Span], target: Target | None) -> Length:
    """The answer's length is the recording minus trailing silence (leading silence counts:
    in an interview the clock runs while you think)."""
    ends = [s.end for s in spans] + [w.end for w in t.words]
    duration = min(t.duration, max(ends)) if ends and t.duration > 0 else max(ends, default=0.0)
    if not t.words:
        return Length(duration, target, "no_speech" if target else None, None)
    if target is None:
        return Length(duration, None, None, None)
    verdict: LengthVerdict = target.verdict(duration)  # type: ignore[assignment]
    end_word = None
    if verdict == "too_long":
        end_word = next((i for i, w in enumerate(t.words) if w.end > target.high), None)
    return Length(duration, target, verdict, end_word)


def compute_metrics(transcript: Transcript, target: Target | None = None) -> Metrics:
    """All delivery metrics of one answer."""
    t = transcript
    spans = _speech_spans(t)
    speaking = sum(s.duration for s in spans) if t.words else 0.0
    span_s = t.words[-1].end - t.words[0].start if t.words else 0.0
    pace = compute_pace(t, speaking, max(0.0, span_s))
    pauses = find_pauses(t)
    return Metrics(
        language=t.language,
        duration_s=t.duration,
        speaking_s=speaking,
        span_s=max(0.0, span_s),
        pace=pace,
        fillers=compute_fillers(t, pauses, speaking, pace.units),
        pauses=pauses,
        length=compute_length(t, spans, target),
        long_words=find_long_words(t.words),
    )
