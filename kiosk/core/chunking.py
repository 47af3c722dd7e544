"""When to transcribe what, while the answer is still being spoken: the streaming policy.

Transcribing only after the stop key makes the user wait about a sixth of the answer's
length for the report, yet one Whisper pass costs about the same (≈1 s on two cores) for
2 s or 15 s of audio, because the encoder always sees a 30 s window. So the audio is cut
into chunks that are each decoded **once**, and the cuts go where they cannot split a word:

* at a **pause** (VAD silence): any trailing pause of ``end_pause`` or more (the speaker
  stopped — often the end of the answer, so its last words are ready before the stop key),
  or a pause of ``min_pause`` or more once ``min_chunk`` seconds are buffered;
* **forced** at ``max_chunk`` seconds of fluent speech: at the widest short gap the VAD
  sees, preferably in the second half of the buffer (long chunks keep the backlog short),
  or, with no gap at all, after the last word ending ``tail_keep`` seconds before the
  buffer's end (the rest stays buffered and is decoded again with what follows).
* each chunk is decoded with up to ``context`` seconds of already-final audio before it
  (starting in a silence), whose words are dropped again: a short phrase decoded alone
  loses its language context and is misheard more often.

Cut decisions are taken on a fixed grid of the answer's own timeline (every ``GRID`` VAD
windows, laid from ``VAD_LEAD`` before the first sound: :func:`vad_grid`), from the
probabilities heard up to each grid point, never at the moments audio happens to arrive;
and each chunk's samples are anchored to its sound edges (:func:`anchor_range`). So the
same recording gives the same chunks, and the same words, whether it streamed in at any
block timing and machine load or was analysed as a file, and whatever silence it began
with.

Passes may also run *ahead* of a decision, at a pause (:func:`closed_speech_end`), over
exactly the range a later pause cut or the stop key will decode; their words are used
only for that same range, so they make the report sooner without changing it. Tentative
passes over unfinished speech feed live captions only.

Pure: VAD speech probabilities, spans and decoded words come in as values; no model.
All times are seconds on the whole answer's timeline.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from kiosk.core.transcript import Span, Word, join_words

WINDOW = 512
"""Samples per voice-activity probability (Silero VAD at 16 kHz: 32 ms)."""


@dataclass(frozen=True, slots=True)
class VadParams:
    """How speech probabilities become speech spans (Silero VAD's hysteresis rules)."""

    threshold: float = 0.5
    neg_threshold: float = 0.35
    min_silence: float = 0.25
    pad: float = 0.03
    rate: int = 16_000


SPEECH_PARAMS = VadParams()
"""Report spans: the transcriber's ``SPEECH_VAD`` (pauses of a quarter second show)."""
CUT_PARAMS = VadParams(min_silence=0.1)
"""Cut planning: short gaps (100 ms) are visible too, for forced cuts in fluent speech."""


def spans_from_probs(
    probs: Sequence[float], params: VadParams, total: int, first: int = 0, grid: int = 0
) -> tuple[Span, ...]:
    """Speech spans from per-window speech probabilities.

    ``probs[i]`` covers samples ``grid + (first + i) * WINDOW`` onwards (``grid``: where
    window 0 begins, see :func:`vad_grid`; a window reaching before the recording's start
    counts from 0); ``total`` is the number of samples heard so far (speech still going on
    at the end runs to ``total``). Speech starts at a window at or above ``threshold`` and
    ends once ``min_silence`` of windows below ``neg_threshold`` follow; spans are then
    padded by ``pad`` (half the gap when closer).
    """
    raw = _raw_spans(probs, params, total, grid + first * WINDOW)
    return tuple(Span(s / params.rate, e / params.rate) for s, e in _pad(raw, params, total))


def _raw_spans(
    probs: Sequence[float], params: VadParams, total: int, origin: int
) -> list[tuple[int, int]]:
    min_silence = params.rate * params.min_silence
    out: list[tuple[int, int]] = []
    start: int | None = None
    silent_from = 0
    for i, p in enumerate(probs):
        pos = max(0, origin + i * WINDOW)
        if p >= params.threshold:
            silent_from = 0
            if start is None:
                start = pos
        elif p < params.neg_threshold and start is not None:
            if not silent_from:
                silent_from = pos
            if pos - silent_from >= min_silence:
                if silent_from > start:
                    out.append((start, silent_from))
                start, silent_from = None, 0
    if start is not None and total > start:
        out.append((start, total))
    return out


def _pad(raw: list[tuple[int, int]], params: VadParams, total: int) -> list[tuple[int, int]]:
    pad = int(params.rate * params.pad)
    spans = [list(s) for s in raw]
    if spans:
        spans[0][0] = max(0, spans[0][0] - pad)
    for cur, nxt in itertools.pairwise(spans):
        gap = nxt[0] - cur[1]
        if gap < 2 * pad:
            cur[1] += gap // 2
            nxt[0] = max(0, nxt[0] - gap // 2)
        else:
            cur[1] = min(total, cur[1] + pad)
            nxt[0] = max(0, nxt[0] - pad)
    if spans:
        spans[-1][1] = min(total, spans[-1][1] + pad)
    return [(s, e) for s, e in spans]


@dataclass(frozen=True, slots=True)
class Policy:
    """Where to cut, how much to buffer, when to run a tentative pass (seconds)."""

    min_pause: float = 0.4
    end_pause: float = 0.45
    min_chunk: float = 4.0
    max_chunk: float = 15.0
    tail_keep: float = 2.0
    min_speech: float = 0.2
    silence_keep: float = 0.3
    tentative_every: float = 1.0
    """Seconds of new speech between draft readings for the live caption."""
    tentative_max: float = 15.0
    """No draft reading of a longer buffer (a cut is near anyway)."""
    max_load: float = 0.6
    """No draft reading while decoding has taken more than this share of the audio's time
    (a shared or slow CPU): final passes must keep up, captions can wait for pauses."""
    ahead: bool = True
    """Decode a chunk at a pause before the cut is decided, so the report is ready at the
    stop key (costs a pass when the speaker goes on; never changes the words)."""
    context: float = 3.0
    """Audio before the chunk decoded with it (its words are dropped): a short phrase
    decoded alone loses the language context and is misheard more often."""


CutKind = Literal["pause", "forced", "words", "silence"]


@dataclass(frozen=True, slots=True)
class Cut:
    """Decode the buffer up to ``at`` and finalise it (``"silence"``: just drop it).

    ``"words"``: no gap to cut at, so the buffer up to ``at`` is decoded and only the words
    ending by ``at - tail_keep`` are final (see :func:`split_at_horizon`).
    """

    at: float
    kind: CutKind
    decode_to: float | None = None
    """Where the decoded audio ends (``None``: at ``at``). A pause cut decodes only up to
    ``SPEECH_TAIL`` after the speech, which a speculative pass can already decode while
    the pause is still growing (see :func:`closed_speech_end`)."""

    @property
    def audio_end(self) -> float:
        return self.at if self.decode_to is None else self.decode_to


GRID = 4
"""Cut decisions are taken every ``GRID`` VAD windows (128 ms) of the answer's own
timeline (from the detector's start, :func:`vad_grid`), never at the moments audio happens
to arrive: where an answer is cut, and so its transcript, depends on the audio alone, not
on block timing, machine load or the silence before it."""

LOUD_LEVEL = 0.003
"""RMS over ``LOUD_FRAME`` samples (about -50 dBFS) that counts as sound for anchoring."""
LOUD_SHARE = 0.1
"""Sound is at least a tenth of the chunk's loud level (-20 dB), above background noise."""
LOUD_FRAME = 160
"""10 ms at 16 kHz."""
LEAD_PAD = 0.1
TAIL_PAD = 0.15
"""Silence kept before the first and after the last sound of a decoded chunk (seconds)."""


def _loud(audio: npt.NDArray[np.float32], lo: int, hi: int) -> npt.NDArray[np.bool_]:
    """Per sample ``i`` of ``audio``: is the frame ``audio[i : i + LOUD_FRAME]`` loud?

    Loud is ``LOUD_LEVEL`` or more, and at least ``LOUD_SHARE`` of the level of the loud
    frames of ``audio[lo:hi]`` (their 95th percentile), so a recording's background noise
    does not count as sound. Each frame's sum is taken over its own samples in one order,
    so a sample's answer does not depend on where ``audio`` was sliced from; the level is
    rounded down to a 3 dB step, so the slightly other ``lo`` and ``hi`` of the same speech
    at another offset give the same threshold (unless the level sits right at a step).
    """
    if len(audio) < LOUD_FRAME:
        return np.zeros(len(audio), dtype=bool)
    power = np.convolve(audio.astype(np.float64) ** 2, np.ones(LOUD_FRAME), "valid")
    power = np.concatenate([power, np.zeros(LOUD_FRAME - 1)]) / LOUD_FRAME
    planned = power[lo:hi]
    floor = LOUD_LEVEL**2
    if planned.size:
        level = LOUD_SHARE**2 * float(np.percentile(planned, 95))
        if level > floor:  # on a 3 dB grid, so a slightly other range gives the same level
            floor = 10 ** (np.floor(10 * np.log10(level) / 3) * 3 / 10)
    return power >= floor


VAD_LEAD = 0.25
"""Seconds of the recording the voice-activity detector hears before its first sound."""


def first_sound(audio: npt.NDArray[np.float32]) -> int | None:
    """Index of the first sample whose ``LOUD_FRAME`` frame is loud (``LOUD_LEVEL`` or more),
    among the frames lying wholly inside ``audio``; ``None`` when none is.

    The level is fixed, not relative to the recording as in :func:`anchor_range`, so how
    much silence precedes the sound cannot move it; each frame's sum is taken over its own
    samples in one order, so neither can where ``audio`` was sliced from.
    """
    if len(audio) < LOUD_FRAME:
        return None
    power = np.convolve(audio.astype(np.float64) ** 2, np.ones(LOUD_FRAME), "valid")
    loud = np.flatnonzero(power / LOUD_FRAME >= LOUD_LEVEL**2)
    return int(loud[0]) if loud.size else None


def vad_grid(anchor: int) -> tuple[int, int]:
    """Where the voice-activity windows lie when the detector starts at sample ``anchor``
    (``VAD_LEAD`` before the first sound; negative when the sound comes sooner than that).

    Returns ``(grid, silent)``: window 0 begins at sample ``grid`` and the first ``silent``
    windows, all before ``anchor``, are silence the detector is not run on. The windows and
    the cut decisions (every ``GRID`` windows) then fall at the same places of the sound
    however much silence the recording began with: window ``silent`` begins at ``anchor``,
    and ``silent`` is a whole number of decision steps. (Silero's probabilities depend on
    where its 32 ms windows fall on the sound and on the state it carries into it: laid
    from the recording's first sample, they found a pause between the JFK clip's "ask" and
    "not" after a few lead-ins and none after the others; docs/METRICS.md.)
    """
    step = GRID * WINDOW
    silent = max(0, -(-anchor // step)) * GRID
    return anchor - silent * WINDOW, silent


def anchor_range(
    audio: npt.NDArray[np.float32], lo: int, hi: int, rate: int = 16_000
) -> tuple[int, int]:
    """The samples to decode for the planned range ``audio[lo:hi]``, moved to the sound.

    Where a chunk begins and ends is planned on VAD windows, so it moves by up to a window
    (32 ms) with the answer's offset in the recording: the same words spoken 0.3 s later
    would reach the decoder with other silences around them, and Whisper sometimes hears
    them differently. Sound edges found on the samples themselves do not move. So a range
    beginning in silence starts ``LEAD_PAD`` before its first sound (or halfway from the
    sound before, if nearer), and one ending in silence stops ``TAIL_PAD`` after its last
    sound (or halfway to the next sound in ``audio``, if nearer): the same speech is
    decoded from the very same samples wherever it sits in the recording. An edge inside
    sound (a chunk cut mid-speech) stays where it was planned. The range may reach before
    0 or past the end of ``audio`` (a recording that starts or stops right at the speech):
    those samples are silence for the decoder.
    """
    loud = _loud(audio, lo, hi)
    frames = np.flatnonzero(loud[lo:hi]) + lo
    if frames.size == 0:
        return lo, hi
    first, last = int(frames[0]), int(frames[-1]) + LOUD_FRAME
    if first > lo:
        before = np.flatnonzero(loud[:first])
        start = first - round(LEAD_PAD * rate)
        if before.size:
            start = max(start, (int(before[-1]) + LOUD_FRAME + first + 1) // 2)
        lo = start
    if last < hi:
        after = np.flatnonzero(loud[last:]) + last
        end = last + round(TAIL_PAD * rate)
        if after.size:
            end = min(end, (last + int(after[0])) // 2)
        hi = end
    return lo, hi


SPEECH_TAIL = 0.2
"""Audio kept after the end of speech in a chunk that ends at a pause (seconds)."""


def _gaps(spans: Sequence[Span], end: float) -> list[Span]:
    """Silences between speech spans, and the trailing one up to ``end``."""
    gaps = [Span(a.end, b.start) for a, b in itertools.pairwise(spans)]
    if spans and end > spans[-1].end:
        gaps.append(Span(spans[-1].end, end))
    return [g for g in gaps if g.duration > 0]


def _speech_in(spans: Sequence[Span], start: float, end: float) -> float:
    return sum(max(0.0, min(s.end, end) - max(s.start, start)) for s in spans)


def plan_cut(spans: Sequence[Span], start: float, end: float, policy: Policy) -> Cut | None:
    """Where to cut the buffer ``[start, end)`` now, given its speech ``spans``; or not yet."""
    inside = [s for s in spans if s.end > start and s.start < end]
    if _speech_in(inside, start, end) < policy.min_speech:
        keep_from = end - policy.silence_keep
        return Cut(keep_from, "silence") if keep_from - start >= 1.0 else None
    gaps = _gaps(inside, end)
    limit = start + policy.max_chunk
    pauses = [
        g
        for g in gaps
        if (g.end >= end and g.duration >= policy.end_pause)
        or (g.duration >= policy.min_pause and g.start - start >= policy.min_chunk)
    ]
    pauses = [g for g in pauses if _mid(g) <= limit and _mid(g) > start]
    if pauses:
        gap = pauses[-1]
        return Cut(_mid(gap), "pause", min(_mid(gap), gap.start + SPEECH_TAIL))
    if end - start < policy.max_chunk:
        return None
    for earliest in (start + policy.max_chunk / 2, start + policy.min_chunk / 2):
        usable = [g for g in gaps if earliest <= _mid(g) <= limit]
        if usable:
            widest = max(usable, key=lambda g: (g.duration, g.start))
            return Cut(_mid(widest), "forced")
    return Cut(min(end, limit), "words")


def _mid(gap: Span) -> float:
    return (gap.start + gap.end) / 2


def split_at_horizon(words: Sequence[Word], horizon: float) -> tuple[int, float | None]:
    """How many leading ``words`` are final (end by ``horizon``), and where the rest begins.

    The boundary is halfway between the last final word and the next one, so the kept tail
    starts in the gap between two words rather than inside one. ``None``: nothing is final.
    """
    n = 0
    while n < len(words) and words[n].end <= horizon:
        n += 1
    if n == 0:
        return 0, None
    if n == len(words):
        return n, words[-1].end
    return n, (words[n - 1].end + max(words[n].start, words[n - 1].end)) / 2


def has_speech(spans: Sequence[Span], start: float, end: float, policy: Policy) -> bool:
    """Is there enough speech in ``[start, end)`` to be worth a pass?"""
    inside = [s for s in spans if s.end > start and s.start < end]
    return _speech_in(inside, start, end) >= policy.min_speech


def closed_speech_end(
    spans: Sequence[Span], start: float, end: float, policy: Policy
) -> float | None:
    """Where a chunk would end if the speaker has stopped: ``SPEECH_TAIL`` after the last
    speech in ``[start, end)``, once that much silence has been heard; else ``None``.

    A pause cut made later at this pause decodes exactly this range, so a pass over it
    run now, while the pause is still growing, gives the final words ahead of time.
    """
    if not has_speech(spans, start, end, policy):
        return None
    last = [s for s in spans if s.start < end][-1]
    if last.end >= end or last.end + SPEECH_TAIL > end + 1e-9:
        return None
    return last.end + SPEECH_TAIL


def due_tentative(
    spans: Sequence[Span],
    start: float,
    end: float,
    last_pass: float | None,
    policy: Policy,
    load: float = 0.0,
) -> bool:
    """Time for a draft reading of the buffer, for the live caption?

    Only while the speaker is speaking (the last span is still open at ``end``): when
    speech stops, the pass run ahead at the pause is what is needed next, and a draft
    would hold it up. ``load`` is the seconds spent decoding so far per second of audio.
    """
    if policy.tentative_every <= 0 or load > policy.max_load:
        return False
    if end - start > policy.tentative_max:
        return False
    since = start if last_pass is None else last_pass
    inside = [s for s in spans if s.end > start and s.start < end]
    if not inside or inside[-1].end < end:
        return False
    return _speech_in(inside, since, end) >= min(policy.tentative_every, policy.max_chunk)


def shift(words: Sequence[Word], offset: float, lo: float, hi: float) -> list[Word]:
    """Words decoded from a chunk, moved to the answer's timeline and kept inside [lo, hi]."""
    out = []
    for w in words:
        start = min(max(lo, w.start + offset), hi)
        end = min(max(start, w.end + offset), hi)
        out.append(Word(w.text, start, end, w.probability))
    return out


def context_start(
    spans: Sequence[Span],
    cuts: Sequence[float],
    start: float,
    policy: Policy,
    begin: float = 0.0,
) -> float:
    """Where the left context of a chunk starting at ``start`` begins: in a silence.

    Decoding from the middle of a word makes Whisper skip what follows, so the context
    begins where the answer begins (``begin``: the recording's start, or where the
    voice-activity detector starts, ``VAD_LEAD`` before the first sound), an earlier cut or
    in a VAD gap, as near to
    ``policy.context`` seconds before
    ``start`` as possible (a third to one and a half times that), and holds a second or
    more of speech (silence or noise as context makes Whisper write brackets); else none.
    """
    if policy.context <= 0:
        return start
    spans = [s for s in spans if s.end <= start]
    gaps = (_mid(g) for g in _gaps(spans, spans[-1].end if spans else 0.0))
    points = [begin, *cuts, *gaps]  # the answer's start is never inside a word
    lo, hi = start - 1.5 * policy.context, start - policy.context / 3
    usable = [
        p for p in points if lo <= p <= hi and _speech_in(spans, p, start) >= policy.context / 3
    ]
    return min(usable, key=lambda p: abs(start - policy.context - p)) if usable else start


def words_from(words: Sequence[Word], at: float) -> list[Word]:
    """The words belonging after ``at`` (a cut): those ending after it.

    Drops the words of the left context. Whisper pulls the start of a word after a pause
    early, into the pause, but keeps ends close to the truth, so ends are what is tested.
    """
    return [w for w in words if w.end > at]


SENTENCE_END = ".!?。！？"


def join_chunk(previous: Sequence[Word], chunk: Sequence[Word]) -> list[Word]:
    """``previous`` with its last word mended for the ``chunk`` that follows it.

    A chunk is decoded without the audio after it, so Whisper ends it as a sentence
    ("tonight. the Guinness will taste."): punctuation nobody heard. Where speech goes on
    in the next chunk, that sentence end is dropped. Pure: the same chunks give the same
    text.
    """
    if not previous or not chunk:
        return list(previous)
    last = previous[-1]
    text = last.text.rstrip(SENTENCE_END)
    if text == last.text or not text:
        return list(previous)
    return [*previous[:-1], Word(text, last.start, last.end, last.probability)]


@dataclass(frozen=True, slots=True)
class Caption:
    """Live caption: text that will not change, and the tentative tail that still may."""

    final_text: str
    tentative_text: str

    @property
    def text(self) -> str:
        return join_words([self.final_text, self.tentative_text])


def caption_of(final: Sequence[Word], tentative: Sequence[Word]) -> Caption:
    """The caption for finalised words plus the tentative tail."""
    return Caption(join_words(w.text for w in final), join_words(w.text for w in tentative))
