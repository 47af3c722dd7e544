"""How much of what was said the transcript holds: speech the detector heard without words.

Whisper can skip a phrase (a chunk edge, a hard stretch, a decoder that gave up), and a
report built on the words would then quietly measure less than was said. The voice-activity
detector hears speech independently of the decoder, so speech time far from every word is
speech that was not transcribed. The transcriber re-decodes such stretches; what is still
missing is reported, never dropped silently.

Pure: spans and words in, spans and a share out.
"""

from __future__ import annotations

from collections.abc import Sequence

from kiosk.core.transcript import Span, Word

WORD_REACH = 0.4
"""Speech this close to a word counts as that word's (word times are approximate, and
speech spans are padded)."""
MERGE_GAP = 0.5
"""Uncovered pieces closer than this form one stretch."""
MIN_UNTRANSCRIBED = 1.5
"""Stretches with less uncovered speech than this are not reported (seconds)."""


def _covered(words: Sequence[Word], reach: float) -> list[Span]:
    out: list[Span] = []
    for w in sorted(words, key=lambda w: w.start):
        lo, hi = w.start - reach, w.end + reach
        if out and lo <= out[-1].end:
            out[-1] = Span(out[-1].start, max(out[-1].end, hi))
        else:
            out.append(Span(lo, hi))
    return out


def uncovered_speech(
    speech: Sequence[Span], words: Sequence[Word], reach: float = WORD_REACH
) -> list[Span]:
    """The parts of the speech spans farther than ``reach`` from every word, in order."""
    covered = _covered(words, reach)
    out: list[Span] = []
    for s in speech:
        at = s.start
        for c in covered:
            if c.end <= at or c.start >= s.end:
                continue
            if c.start > at:
                out.append(Span(at, c.start))
            at = max(at, c.end)
        if at < s.end:
            out.append(Span(at, s.end))
    return [p for p in out if p.duration > 0]


def coverage(speech: Sequence[Span], words: Sequence[Word]) -> float:
    """Share of the speech time (VAD) that lies near a transcribed word; 1.0 for no speech."""
    total = sum(s.duration for s in speech)
    if total <= 0:
        return 1.0
    missing = sum(p.duration for p in uncovered_speech(speech, words))
    return max(0.0, 1.0 - missing / total)


def untranscribed(
    speech: Sequence[Span], words: Sequence[Word], minimum: float = MIN_UNTRANSCRIBED
) -> tuple[Span, ...]:
    """Stretches holding ``minimum`` seconds or more of speech without words.

    A stretch runs from its first uncovered piece to its last; pieces less than
    ``MERGE_GAP`` apart join. Its ``duration`` may include short silences; how much speech
    it holds is :func:`speech_in`.
    """
    groups: list[list[Span]] = []
    for piece in uncovered_speech(speech, words):
        if groups and piece.start - groups[-1][-1].end < MERGE_GAP:
            groups[-1].append(piece)
        else:
            groups.append([piece])
    return tuple(
        Span(g[0].start, g[-1].end) for g in groups if sum(p.duration for p in g) >= minimum - 1e-9
    )


def speech_in(speech: Sequence[Span], stretch: Span) -> float:
    """Seconds of speech inside ``stretch``."""
    return sum(max(0.0, min(s.end, stretch.end) - max(s.start, stretch.start)) for s in speech)
