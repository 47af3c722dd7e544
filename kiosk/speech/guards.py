"""Guards against Whisper's known failure modes, as pure functions on decoded text.

Whisper was trained on subtitled video, so on silence or noise it likes to "hear" credits
("谢谢观看", "字幕由…提供", "Thanks for watching"), and with a prompt it can fall into
repetition loops ("问问问问…", "这些退市公司, 这些退市公司, …"). A mock-interview report that
counts such text as speech would be wrong, so the transcriber drops silent/looping segments,
whole-segment credit phrases, and collapses in-a-row repeats to one.

Pure: no model, no audio, so the rules are unit-tested on synthetic data and reusable by a
streaming transcriber.
"""

from __future__ import annotations

import unicodedata
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from kiosk.core.transcript import Span, Word

T = TypeVar("T")

NO_SPEECH_PROB = 0.6
"""Above this ``no_speech_prob`` a segment is suspect (Whisper's own threshold)."""
LOW_LOGPROB = -1.0
"""Below this mean token log-probability a suspect segment is dropped."""
QUIET_NO_SPEECH_PROB = 0.8
QUIET_LOGPROB = -0.5
"""Very likely non-speech and not confident either: fillers invented in a silent tail."""
LOOP_COMPRESSION_RATIO = 2.4
"""Text that gzip compresses better than this is repetitive (Whisper's own threshold)."""
LOOP_NO_SPEECH_PROB = 0.5
"""A repetitive segment this likely to be non-speech is a loop over silence: dropped."""
MIN_REPEATS = 4
"""An n-gram repeated this many times in a row is a decoding loop, not a speaker's stutter."""
MAX_NGRAM = 4

# Credits and sign-offs Whisper invents on silence/noise, compared after normalisation
# (lower case, no punctuation or spaces; Mandarin already simplified).
HALLUCINATION_PHRASES = frozenset(
    {
        "谢谢观看",
        "谢谢大家观看",
        "感谢观看",
        "谢谢收看",
        "请不吝点赞订阅转发打赏支持明镜与点点栏目",
        "请不吝点赞订阅转发打赏",
        "点赞订阅转发打赏",
        "订阅我的频道",
        "thankyouforwatching",
        "thanksforwatching",
        "thankyouverymuchforwatching",
        "thankyouforlistening",
        "pleasesubscribe",
        "pleasesubscribetomychannel",
        "likeandsubscribe",
        "subtitlesbytheamaraorgcommunity",
    }
)
HALLUCINATION_PREFIXES = (
    "字幕由",
    "字幕提供",
    "字幕志愿者",
    "中文字幕",
    "请不吝点赞",
    "明镜与点点",
    "subtitlesby",
    "transcriptionby",
    "translatedby",
)


@dataclass(frozen=True, slots=True)
class SegmentStats:
    """What the decoder says about one segment, enough to judge it."""

    text: str
    no_speech_prob: float
    avg_logprob: float
    compression_ratio: float


def normalize(text: str) -> str:
    """Lower case, without punctuation, symbols or spaces: how phrases are compared."""
    return "".join(
        ch for ch in text.casefold() if unicodedata.category(ch)[0] not in {"P", "S", "Z", "C"}
    )


PROMPT_ECHO_MIN = 8
"""Characters (normalised) a segment needs before it can be judged an echo of the prompt."""


def echoes_prompt(text: str, prompt: str | None) -> bool:
    """True when the whole segment ``text`` is a piece of the decoding ``prompt``.

    The filler-rich prompt is given as hotwords, and Whisper sometimes writes it back
    ("It's hard to say." after an answer that ended): text nobody said. Fillers alone
    ("um, uh") are shorter than ``PROMPT_ECHO_MIN`` and stay; a speaker who says exactly
    a prompt phrase as a segment of its own loses it, which is the lesser error.
    """
    norm = normalize(text)
    return bool(prompt) and len(norm) >= PROMPT_ECHO_MIN and norm in normalize(prompt or "")


def is_known_hallucination(text: str) -> bool:
    """True when ``text`` as a whole is a credit/sign-off Whisper invents on silence."""
    norm = normalize(text)
    return bool(norm) and (norm in HALLUCINATION_PHRASES or norm.startswith(HALLUCINATION_PREFIXES))


def compression_ratio(text: str) -> float:
    """Bytes of ``text`` over bytes of its zlib compression (as Whisper computes it)."""
    raw = text.encode("utf-8")
    return len(raw) / len(zlib.compress(raw)) if raw else 0.0


def is_spurious(seg: SegmentStats) -> bool:
    """Should this whole segment be thrown away?

    Silence (likely non-speech and unsure text; with a filler prompt Whisper writes "嗯，嗯，"
    into a silent tail at no_speech_prob ≈ 0.9, avg_logprob ≈ -0.8), a repetition loop over
    near-silence, an empty text, or a known credit phrase making up the whole segment.
    """
    if not normalize(seg.text):
        return True
    if seg.no_speech_prob > NO_SPEECH_PROB and seg.avg_logprob < LOW_LOGPROB:
        return True
    if seg.no_speech_prob > QUIET_NO_SPEECH_PROB and seg.avg_logprob < QUIET_LOGPROB:
        return True
    if seg.compression_ratio > LOOP_COMPRESSION_RATIO and seg.no_speech_prob > LOOP_NO_SPEECH_PROB:
        return True
    return is_known_hallucination(seg.text)


def _run_length(keys: Sequence[str], i: int, n: int) -> int:
    """How many times ``keys[i:i+n]`` repeats back to back starting at ``i``."""
    gram = keys[i : i + n]
    count = 1
    while keys[i + count * n : i + (count + 1) * n] == gram:
        count += 1
    return count


def collapse_repeats(
    items: Sequence[T],
    key: Callable[[T], str] = normalize,  # type: ignore[assignment]
    min_repeats: int = MIN_REPEATS,
    max_n: int = MAX_NGRAM,
) -> list[T]:
    """Keep one copy of any 1..``max_n``-item run repeated ``min_repeats``+ times in a row.

    Items are compared by ``key`` (by default normalised text), so ``"呃，"`` and ``"呃"``
    count as the same token. Shorter n-grams are tried first.
    """
    keys = [key(it) for it in items]
    out: list[T] = []
    i = 0
    while i < len(items):
        n, count = _longest_loop(keys, i, min_repeats, max_n)
        out.extend(items[i : i + n])
        i += n * count
    return out


def _longest_loop(keys: Sequence[str], i: int, min_repeats: int, max_n: int) -> tuple[int, int]:
    """``(n, count)`` of the first n-gram at ``i`` looping ``min_repeats``+ times, else (1, 1)."""
    for n in range(1, max_n + 1):
        if i + n * min_repeats > len(keys):
            break
        count = _run_length(keys, i, n)
        if count >= min_repeats:
            return n, count
    return 1, 1


def tidy_words(words: list[Word]) -> list[Word]:
    """The whole answer's words with looping repeats collapsed and times made monotonic."""
    return _monotonic(collapse_repeats(words, key=lambda w: normalize(w.text)))


STRAY_SPEECH_SHARE = 0.5
"""A lone digit or letter with less of its time than this inside speech is a stray mark."""


def is_stray_mark(word: Word, speech: Sequence[Span]) -> bool:
    """True for a lone ASCII digit or letter written where the detector heard a pause.

    In Mandarin Whisper sometimes writes such a character in place of a comma, in a pause
    or after the last word (你觉得自己过往做得最成功 0 最难忘…什么？0): nothing was said
    there. A digit or letter that was said ("5 个", "B 端") lies inside speech and stays.
    """
    text = normalize(word.text)
    if len(text) != 1 or not (text.isascii() and text.isalnum()):
        return False
    length = word.end - word.start
    if length <= 0:
        return not any(s.start <= word.start <= s.end for s in speech)
    inside = sum(max(0.0, min(word.end, s.end) - max(word.start, s.start)) for s in speech)
    return inside < STRAY_SPEECH_SHARE * length


def drop_stray_marks(words: Sequence[Word], speech: Sequence[Span], language: str) -> list[Word]:
    """Mandarin words without the stray digits and letters of :func:`is_stray_mark` (other
    languages unchanged: a lone "a" or "I" is an English word)."""
    if language != "zh" or not speech:
        return list(words)
    return [w for w in words if not is_stray_mark(w, speech)]


def _monotonic(words: list[Word]) -> list[Word]:
    """Word times never go backwards (alignment can jitter by a frame at segment joins)."""
    out: list[Word] = []
    last = 0.0
    for w in words:
        start = max(w.start, last)
        end = max(w.end, start)
        out.append(
            w if (start, end) == (w.start, w.end) else Word(w.text, start, end, w.probability)
        )
        last = start
    return out
