"""The pure guards against Whisper's silence credits and repetition loops."""

from __future__ import annotations

import pytest

from kiosk.core.transcript import Span, Word
from kiosk.speech.guards import (
    SegmentStats,
    collapse_repeats,
    compression_ratio,
    drop_stray_marks,
    is_known_hallucination,
    is_spurious,
    is_stray_mark,
    normalize,
)


def _seg(text: str, nsp: float = 0.1, lp: float = -0.3, cr: float | None = None) -> SegmentStats:
    return SegmentStats(text, nsp, lp, compression_ratio(text) if cr is None else cr)


def test_single_token_loop_keeps_one() -> None:
    assert collapse_repeats(list("我认论论论论论论论论")) == list("我认论")


def test_phrase_loop_keeps_one_copy_and_what_follows() -> None:
    loop = ["这些", "退市", "公司,"] * 5 + ["好"]
    assert collapse_repeats(loop) == ["这些", "退市", "公司,", "好"]


def test_repeats_compare_without_punctuation_and_case() -> None:
    tokens = ["Uh,", "uh", "UH.", "uh,", "so"]
    assert collapse_repeats(tokens) == ["Uh,", "so"]


@pytest.mark.parametrize(
    "tokens",
    [
        ["快速", "快速", "来"],
        ["啊,", "啊,", "啊,", "好"],
        ["I", "I", "I", "think"],
        ["我们", "我们", "再", "取"],
        [],
    ],
)
def test_a_speakers_own_repeats_are_kept(tokens: list[str]) -> None:
    assert collapse_repeats(tokens) == tokens


def test_collapse_works_on_words_with_a_key() -> None:
    words = [Word("呃，", i * 0.1, i * 0.1 + 0.05) for i in range(8)] + [Word("好", 1.0, 1.1)]
    kept = collapse_repeats(words, key=lambda w: normalize(w.text))
    assert [w.text for w in kept] == ["呃，", "好"]
    assert kept[0].start == 0.0


@pytest.mark.parametrize(
    "text",
    [
        "谢谢观看",
        "谢谢观看!",
        "字幕由Amara.org社区提供",
        "请不吝点赞 订阅 转发 打赏支持明镜与点点栏目",
        "Thank you for watching.",
        " Thanks for watching!",
        "Subtitles by the Amara.org community",
    ],
)
def test_known_credit_phrases_are_recognised(text: str) -> None:
    assert is_known_hallucination(text)
    assert is_spurious(_seg(text))


@pytest.mark.parametrize(
    "text",
    ["谢谢。", "Thank you.", "我想谢谢观看这个产品演示的各位评委", "好", "watching the market"],
)
def test_real_speech_is_not_a_credit_phrase(text: str) -> None:
    assert not is_known_hallucination(text)
    assert not is_spurious(_seg(text))


def test_silence_with_an_unsure_decoder_is_dropped() -> None:
    assert is_spurious(_seg("我们", nsp=0.7, lp=-1.2))
    assert not is_spurious(_seg("我们", nsp=0.7, lp=-0.4))
    assert not is_spurious(_seg("我们", nsp=0.3, lp=-1.2))


def test_fillers_written_into_a_silent_tail_are_dropped() -> None:
    assert is_spurious(_seg("嗯，嗯，", nsp=0.91, lp=-0.78))
    assert not is_spurious(_seg("嗯，嗯，", nsp=0.3, lp=-0.78))


def test_a_loop_over_silence_is_dropped_but_a_loop_in_speech_is_kept() -> None:
    loop = "我认认认认" + "论" * 60
    assert compression_ratio(loop) > 2.4
    assert is_spurious(_seg(loop, nsp=0.63, lp=-0.16))
    assert not is_spurious(_seg(loop, nsp=0.2, lp=-0.16))


def test_empty_or_punctuation_only_segments_are_dropped() -> None:
    assert is_spurious(_seg(""))
    assert is_spurious(_seg(" 。，"))


def test_compression_ratio_tells_loops_from_sentences() -> None:
    sentence = "And so my fellow Americans, ask not what your country can do for you."
    assert compression_ratio(sentence) < 2.4
    assert compression_ratio("问" * 100) > 2.4
    assert compression_ratio("") == 0.0


def test_a_segment_that_is_a_piece_of_the_prompt_was_not_said() -> None:
    from kiosk.speech.guards import echoes_prompt
    from kiosk.speech.whisper import PROMPTS

    assert echoes_prompt("It's hard to say.", PROMPTS["en"])
    assert echoes_prompt(" you know, like, it's", PROMPTS["en"])
    assert echoes_prompt("这个问题啊，嗯，怎么讲呢。", PROMPTS["zh"])
    assert not echoes_prompt("Um, uh.", PROMPTS["en"])  # fillers alone are short: kept
    assert not echoes_prompt("It's hard to say which metric matters", PROMPTS["en"])
    assert not echoes_prompt("我觉得这个问题很重要", PROMPTS["zh"])
    assert not echoes_prompt("It's hard to say.", None)


# Word times as the real model gave them for a synthesised question: a "0" in the pause
# between two phrases and another after the last word, none of it said.
STRAY_SPEECH = (Span(0.76, 2.84), Span(3.07, 5.82))
STRAY_WORDS = [
    Word("成功", 2.33, 2.73),
    Word("0", 2.73, 3.01, 0.10),
    Word("最难忘", 3.01, 3.51),
    Word("什么?", 5.33, 5.55),
    Word("0", 5.81, 5.87, 0.58),
]


def test_lone_digits_in_the_pauses_of_mandarin_are_dropped() -> None:
    kept = drop_stray_marks(STRAY_WORDS, STRAY_SPEECH, "zh")
    assert [w.text for w in kept] == ["成功", "最难忘", "什么?"]


def test_digits_and_letters_that_were_said_stay() -> None:
    said = [Word("5", 1.0, 1.2), Word("个", 1.2, 1.4), Word("B", 3.2, 3.4), Word("端", 3.4, 3.6)]
    assert drop_stray_marks(said, STRAY_SPEECH, "zh") == said
    # at the edge of speech: most of it inside, so said
    assert not is_stray_mark(Word("3", 2.7, 2.9), STRAY_SPEECH)
    # longer tokens, Han characters and punctuation alone are other guards' business
    assert not is_stray_mark(Word("12", 2.9, 3.0), STRAY_SPEECH)
    assert not is_stray_mark(Word("嗯", 2.9, 3.0), STRAY_SPEECH)
    assert is_stray_mark(Word("Ｇ,", 2.9, 3.0), STRAY_SPEECH) is False  # full-width: folded earlier
    assert is_stray_mark(Word("G,", 2.9, 3.0), STRAY_SPEECH)


def test_other_languages_and_answers_without_spans_keep_every_word() -> None:
    assert drop_stray_marks(STRAY_WORDS, STRAY_SPEECH, "en") == STRAY_WORDS  # "a", "I"
    assert drop_stray_marks(STRAY_WORDS, (), "zh") == STRAY_WORDS
