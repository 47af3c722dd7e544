"""Delivery metrics on hand-built transcripts whose right answers are known."""

from __future__ import annotations

import math

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from kiosk.core.metrics import (
    PAUSE_THRESHOLD_S,
    compute_metrics,
    count_units,
    find_long_words,
    find_pauses,
)
from kiosk.core.target import Target
from kiosk.core.transcript import Span, Transcript, Word


def evenly(tokens: list[str], start: float = 0.0, step: float = 0.25) -> tuple[Word, ...]:
    return tuple(Word(t, start + i * step, start + (i + 1) * step) for i, t in enumerate(tokens))


@pytest.mark.parametrize(
    ("tokens", "han", "latin"),
    [
        (["我们", "做", "了"], 4, 0),
        (["We", "did", "it."], 0, 3),
        (["这个", "LLM", "的", "accuracy"], 3, 2),
        (["２０２４年", "GPT-4o"], 1, 2),
        (["ｌｉｋｅ", "ｔｈｉｓ"], 0, 2),
        (["3.5", "秒"], 1, 1),
        (["，", "。", "..."], 0, 0),
        ([], 0, 0),
    ],
)
def test_count_units(tokens: list[str], han: int, latin: int) -> None:
    assert count_units(evenly(tokens)) == (han, latin)


@pytest.mark.parametrize(
    ("language", "tokens", "seconds", "unit", "value", "verdict"),
    [
        # 40 Han characters in 10 s of speech = 240 chars/min: comfortable
        ("zh", ["我们"] * 20, 10.0, "chars/min", 240.0, "comfortable"),
        ("zh", ["我们"] * 10, 10.0, "chars/min", 120.0, "slow"),
        ("zh", ["我们的"] * 20, 10.0, "chars/min", 360.0, "fast"),
        ("en", ["word"] * 25, 10.0, "words/min", 150.0, "comfortable"),
        ("en", ["word"] * 15, 10.0, "words/min", 90.0, "slow"),
        ("en", ["word"] * 35, 10.0, "words/min", 210.0, "fast"),
        # mixed: each Han character and each Latin word counts
        ("zh", ["用", "LLM"] * 20, 10.0, "chars/min", 240.0, "comfortable"),
    ],
)
def test_pace_over_speaking_time(
    language: str, tokens: list[str], seconds: float, unit: str, value: float, verdict: str
) -> None:
    words = evenly(tokens, start=1.0, step=seconds / len(tokens))
    # speech in two spans with a 3 s pause in between: the pause is not speaking time
    t = Transcript(language, 20.0, words, (Span(1.0, 6.0), Span(9.0, 9.0 + seconds - 5.0)))
    pace = compute_metrics(t).pace
    assert pace.unit == unit
    assert pace.value == pytest.approx(value)
    assert pace.span_value == pytest.approx(value)  # words evenly spread over `seconds`
    assert pace.verdict == verdict


def test_span_pace_differs_from_speaking_pace() -> None:
    words = (Word("我们", 0.0, 1.0), Word("好的", 9.0, 10.0))
    t = Transcript("zh", 10.0, words, (Span(0.0, 1.0), Span(9.0, 10.0)))
    pace = compute_metrics(t).pace
    assert pace.value == pytest.approx(4 * 60 / 2.0)
    assert pace.span_value == pytest.approx(4 * 60 / 10.0)


@pytest.mark.parametrize(
    ("spoken_s", "verdict"),
    [(7.5, "comfortable"), (10.0, "comfortable"), (5.0, "comfortable")],
)
def test_verdict_is_judged_over_the_span(spoken_s: float, verdict: str) -> None:
    # 25 words from 0 to 10 s = 150 words/min overall, however much of it was pause
    words = evenly(["word"] * 25, step=0.4)
    t = Transcript("en", 10.0, words, (Span(0.0, spoken_s / 2), Span(10.0 - spoken_s / 2, 10.0)))
    pace = compute_metrics(t).pace
    assert pace.span_value == pytest.approx(150.0)
    assert pace.value == pytest.approx(25 * 60 / spoken_s)
    assert pace.verdict == verdict


def test_unknown_language_follows_majority() -> None:
    t = Transcript("ja", 5.0, evenly(["漢字漢字", "ok"]), (Span(0, 0.5),))
    assert compute_metrics(t).pace.unit == "chars/min"


def test_pauses_come_from_speech_spans_not_word_gaps() -> None:
    # Whisper stretched "觉得" over the silence between 2.0 and 3.5: no word gap at all
    words = (Word("我", 0.5, 1.0), Word("觉得", 1.0, 3.9), Word("可以", 3.9, 4.5))
    spans = (Span(0.5, 2.0), Span(3.5, 4.1), Span(4.6, 5.0), Span(6.0, 6.5))
    p = find_pauses(Transcript("zh", 8.0, words, spans))
    assert p.threshold_s == PAUSE_THRESHOLD_S
    assert [(x.start, x.end) for x in p.items] == [(2.0, 3.5), (5.0, 6.0)]
    assert p.count == 2
    assert p.longest_s == pytest.approx(1.5)
    assert p.total_s == pytest.approx(2.5)
    assert p.time_to_first_word_s == pytest.approx(0.5)
    # midpoint 2.75: "觉得" (midpoint 2.45) was said before it, "可以" after
    assert [x.before_word for x in p.items] == [2, 3]


def test_pauses_fall_back_to_word_gaps_without_spans() -> None:
    words = (Word("a", 0.2, 0.5), Word("b", 0.6, 0.9), Word("c", 2.0, 2.3))
    p = find_pauses(Transcript("en", 3.0, words))
    assert [(x.start, x.end, x.before_word) for x in p.items] == [(0.9, 2.0, 2)]
    assert p.time_to_first_word_s == pytest.approx(0.2)


def test_pause_makes_particle_a_filler() -> None:
    words = (
        Word("我们", 0.0, 0.5),
        Word("啊", 2.0, 2.3),
        Word("这个", 2.3, 2.6),
        Word("方案", 2.6, 3.0),
    )
    with_pause = Transcript("zh", 3.0, words, (Span(0.0, 0.6), Span(1.9, 3.0)))
    without = Transcript("zh", 3.0, words, (Span(0.0, 3.0),))
    assert compute_metrics(with_pause).fillers.by_word == {"啊": 1}
    assert compute_metrics(without).fillers.total == 0


def test_filler_rates() -> None:
    words = evenly(["嗯", "我们", "那个，", "做", "嗯", "了"], step=0.5)
    t = Transcript("zh", 3.0, words, (Span(0.0, 3.0),))
    f = compute_metrics(t).fillers
    assert f.total == 2 and f.by_word == {"嗯": 2}  # "我们那个，" : 那个 not clause-initial
    assert f.per_minute == pytest.approx(2 / 3.0 * 60)
    assert f.per_100 == pytest.approx(2 / 8 * 100)
    assert f.loops == 0


def test_loop_flagged_in_stats() -> None:
    t = Transcript("zh", 3.0, evenly(["嗯"] * 6 + ["好"]), (Span(0.0, 1.75),))
    f = compute_metrics(t).fillers
    assert (f.total, f.loops, f.items[0].repeats) == (1, 1, 6)


@pytest.mark.parametrize(
    ("target", "end", "verdict", "end_word"),
    [
        (Target(10, 20), 15.0, "within", None),
        (Target(10, 20), 8.0, "too_short", None),
        (Target(5, 10), 15.0, "too_long", 10),
        (None, 15.0, None, None),
    ],
)
def test_length_against_target(
    target: Target | None, end: float, verdict: str | None, end_word: int | None
) -> None:
    # one word per second from 0.5 s; 3 s of trailing silence do not count
    words = tuple(Word(f"w{i}", i + 0.5, i + 1.0) for i in range(int(end)))
    t = Transcript("en", end + 3.0, words, (Span(0.5, end),))
    length = compute_metrics(t, target).length
    assert length.duration_s == pytest.approx(end)
    assert length.verdict == verdict
    assert length.target_end_word == end_word
    if end_word is not None and target is not None:
        assert words[end_word].end > target.high >= words[end_word - 1].end


def test_long_words() -> None:
    words = (
        *evenly(["a", "b", "c", "d", "e"], step=0.3),
        Word("so", 1.5, 3.0),
        Word("好的", 3.0, 3.6),
    )
    long = find_long_words(words)
    assert [w.index for w in long] == [5]
    assert long[0].duration == pytest.approx(1.5)
    # a multi-character token is judged per character
    assert find_long_words((Word("我们的产品", 0.0, 1.5),)) == ()


def test_empty_transcript_is_well_defined() -> None:
    for target in (None, Target(30, 60)):
        m = compute_metrics(Transcript("zh", 12.0), target)
        assert m.no_speech
        assert m.pace.verdict == "no_speech" and m.pace.value == 0.0
        assert m.fillers.total == 0 and m.fillers.per_minute == 0.0 and m.fillers.per_100 == 0.0
        assert m.pauses.count == 0 and m.long_words == ()
        assert m.length.verdict == ("no_speech" if target else None)


def test_words_without_speech_spans_use_word_times() -> None:
    t = Transcript("en", 5.0, evenly(["one", "two", "three", "four"], step=0.5))
    m = compute_metrics(t)
    assert m.speaking_s == pytest.approx(2.0)
    assert m.pace.value == pytest.approx(120.0)


@st.composite
def transcripts(draw: st.DrawFn) -> Transcript:
    tokens = draw(
        st.lists(
            st.sampled_from(
                ["嗯", "啊", "那个", "我们", "um", "like,", "so", "。", "ｌｉｋｅ", ""]
            ),
            max_size=25,
        )
    )
    times = sorted(
        draw(
            st.lists(
                st.floats(0, 120, allow_nan=False),
                min_size=2 * len(tokens),
                max_size=2 * len(tokens),
            )
        )
    )
    words = tuple(Word(t, times[2 * i], times[2 * i + 1]) for i, t in enumerate(tokens))
    edges = sorted(draw(st.lists(st.floats(0, 120, allow_nan=False), max_size=10)))
    spans = tuple(Span(a, b) for a, b in zip(edges[::2], edges[1::2], strict=False))
    return Transcript(
        draw(st.sampled_from(["zh", "en", "auto"])), draw(st.floats(0, 130)), words, spans
    )


@given(transcripts(), st.none() | st.builds(Target, st.just(5.0), st.floats(5, 100)))
@example(Transcript("zh", 0.0, (Word("嗯", 0.0, 2.2e-309),)), None)  # once overflowed to inf
def test_metrics_never_crash_nor_go_negative(t: Transcript, target: Target | None) -> None:
    m = compute_metrics(t, target)
    numbers = [
        m.speaking_s,
        m.span_s,
        m.pace.value,
        m.pace.span_value,
        m.fillers.per_minute,
        m.fillers.per_100,
        m.pauses.longest_s,
        m.pauses.total_s,
        m.pauses.time_to_first_word_s,
        m.length.duration_s,
    ]
    assert all(math.isfinite(x) and x >= 0 for x in numbers)
    assert m.fillers.total == len(m.fillers.items) == sum(m.fillers.by_word.values())
    assert all(0 <= p.before_word <= len(t.words) for p in m.pauses.items)
    assert all(p.duration >= m.pauses.threshold_s for p in m.pauses.items)
