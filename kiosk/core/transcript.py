"""Transcript value types shared by the transcriber, the metrics and the reports.

Times are seconds on the timeline of the whole recording (0 = first sample), so pauses,
the target-end marker and the audio file always agree.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Word:
    """One recognised word (English) or token of one or more Han characters (Mandarin).

    ``text`` has surrounding whitespace removed but keeps attached punctuation
    (``"you,"``, ``"啊，"``): the filler rules read it.
    """

    text: str
    start: float
    end: float
    probability: float = 1.0

    @property
    def duration(self) -> float:
        return max(0.0, self.end - self.start)


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the timeline, e.g. speech found by the voice-activity detector."""

    start: float
    end: float

    @property
    def duration(self) -> float:
        return max(0.0, self.end - self.start)


@dataclass(frozen=True, slots=True)
class Transcript:
    """What was said, when, and where the voice-activity detector heard speech.

    ``language`` is an ISO 639-1 code (``"zh"``, ``"en"``). ``duration`` is the length of the
    whole recording in seconds. ``speech`` lists the speech stretches (VAD), in order.
    """

    language: str
    duration: float
    words: tuple[Word, ...] = ()
    speech: tuple[Span, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def text(self) -> str:
        return join_words(w.text for w in self.words)

    @property
    def speaking_time(self) -> float:
        """Seconds of speech according to the voice-activity detector."""
        return sum(s.duration for s in self.speech)

    @property
    def is_empty(self) -> bool:
        return not self.words


FULLWIDTH_KEPT = "！（），：；？"
"""Full-width forms that are Chinese punctuation and stay as they are in Mandarin text
(。 and 、 are not full-width forms of ASCII and are never touched either)."""
IDEOGRAPHIC_SPACE = "\u3000"
_FOLD = str.maketrans(
    {
        **{
            chr(code): chr(code - 0xFEE0)
            for code in range(0xFF01, 0xFF5F)
            if chr(code) not in FULLWIDTH_KEPT
        },
        IDEOGRAPHIC_SPACE: " ",
    }
)


def fold_width(text: str) -> str:
    """Full-width Latin letters, digits and symbols (U+FF01–U+FF5E) and the ideographic
    space (U+3000) as their ASCII forms: ``"你们可以１听到"`` → ``"你们可以1听到"``,
    ``"啊Ｇ"`` → ``"啊G"``.

    Whisper sometimes writes them inside Mandarin; they are the same letters and digits,
    and the ASCII forms count, search and read the same everywhere. Chinese punctuation is
    kept: the full-width ``！（），：；？`` (:data:`FULLWIDTH_KEPT`) and ``。、「」《》…``,
    which are not forms of ASCII at all. Each character maps to exactly one character, so
    offsets into the text stay valid; folding twice changes nothing.
    """
    return text.translate(_FOLD)


def is_han(ch: str) -> bool:
    """True for a CJK unified ideograph (the characters Mandarin pace is counted in)."""
    return "CJK UNIFIED IDEOGRAPH" in unicodedata.name(ch, "") or (
        "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"
    )


def _joins_tightly(left: str, right: str) -> bool:
    """No space between two tokens when either side touches Han text or CJK punctuation."""
    a, b = left[-1], right[0]
    if is_han(a) or is_han(b):
        return True
    if unicodedata.east_asian_width(a) in "FW" or unicodedata.east_asian_width(b) in "FW":
        return True
    return b in ",.;:!?%)'’" or a in "(‘"


def join_words(tokens: Iterable[str]) -> str:
    """Join word tokens into readable text: spaces between Latin words, none around Hanzi."""
    out = ""
    for raw in tokens:
        tok = raw.strip()
        if not tok:
            continue
        if out and not _joins_tightly(out, tok):
            out += " "
        out += tok
    return out
