"""Filler rules: real fillers found, the same strings used as words left alone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.core.fillers import (
    COUNTED_ROLES,
    Neighbour,
    find_fillers,
    particle_role,
    scan_fillers,
    transcript_units,
    word_units,
)
from kiosk.core.metrics import compute_metrics
from kiosk.core.transcript import Span, Transcript, Word


def words(*tokens: str, step: float = 0.3) -> list[Word]:
    return [Word(t, i * step, i * step + step) for i, t in enumerate(tokens)]


def found(tokens: tuple[str, ...], language: str = "auto", pauses: tuple[int, ...] = ()):
    return [f.text for f in find_fillers(words(*tokens), language, set(pauses))]


@pytest.mark.parametrize(
    ("tokens", "language", "expected"),
    [
        # hard fillers always count
        (("嗯", "我", "觉得"), "zh", ["嗯"]),
        (("我", "呃", "觉得"), "zh", ["呃"]),
        (("这个产品嗯挺好",), "zh", ["嗯"]),
        (("Um,", "I", "think", "uh", "yes"), "en", ["um", "uh"]),
        (("Ummm", "hmm."), "en", ["um", "hmm"]),
        # 额 / 恩 inside ordinary words are not fillers
        (("金额", "和", "额度"), "zh", []),
        (("感恩",), "zh", []),
        (("额，", "我们"), "zh", ["额"]),
        # 啊: hesitation clause-initially, particle after a word
        (("啊，", "我们"), "zh", ["啊"]),
        (("我们", "，", "啊，", "这个", "产品"), "zh", ["啊"]),
        (("好啊",), "zh", []),
        (("是", "啊"), "zh", []),
        (("好啊，", "啊", "我"), "zh", ["啊"]),
        # soft fillers in filler position
        (("那个，", "我们"), "zh", ["那个"]),
        (("我们", "，", "就是", "，", "做"), "zh", ["就是"]),
        (("So,", "I", "did"), "en", ["so"]),
        (("it", "was,", "like,", "huge"), "en", ["like"]),
        (("Well,", "I", "mean,", "yes"), "en", ["well", "i mean"]),
        (("Actually,", "no"), "en", ["actually"]),
        # ... and the same strings as real words
        (("那个产品",), "zh", []),
        (("这个", "模型"), "zh", []),
        (("就是这样",), "zh", []),
        (("I", "like", "it"), "en", []),
        (("so", "much", "better"), "en", []),
        (("well", "done"), "en", []),
        (("all", "right."), "en", []),
        (("you", "know", "what", "I", "did"), "en", []),
        # multi-token fillers across uneven tokens
        (("我", "，", "就", "是说", "，", "对"), "zh", ["就是说"]),
        (("怎么", "说呢", "，", "嗯"), "zh", ["怎么说呢", "嗯"]),
        (("and,", "you", "know,", "it"), "en", ["you know"]),
        # immediate repetition marks a soft filler even without commas
        (("那个", "那个", "产品"), "zh", ["那个"]),
        (("然后然后我们",), "zh", ["然后"]),
        # full-width Latin letters are normalised
        (("ｌｉｋｅ，", "ｕｍ"), "en", ["like", "um"]),
        # mixed Mandarin/English answers
        (
            ("嗯，", "这个", "LLM", "的", "accuracy，", "you", "know，", "还行"),
            "auto",
            ["嗯", "you know"],
        ),
        ((), "zh", []),
    ],
)
def test_fillers(tokens: tuple[str, ...], language: str, expected: list[str]) -> None:
    assert found(tokens, language) == expected


@pytest.mark.parametrize(
    ("tokens", "pauses", "expected"),
    [
        (("我们", "啊", "这个", "产品"), (), []),
        (("我们", "啊", "这个", "产品"), (1,), ["啊"]),
        (("我们", "然后", "做"), (1, 2), ["然后"]),
        (("我们", "然后", "做"), (1,), []),
    ],
)
def test_pauses_are_boundaries(
    tokens: tuple[str, ...], pauses: tuple[int, ...], expected: list[str]
) -> None:
    assert found(tokens, "zh", pauses) == expected


@pytest.mark.parametrize(
    ("tokens", "count", "repeats"),
    [
        (("嗯", "嗯", "嗯", "嗯", "好"), 1, 4),
        (("um", "um", "um", "okay"), 1, 3),
        (("那个", "那个", "那个", "产品"), 1, 3),
        (("嗯", "嗯", "好"), 2, 1),
    ],
)
def test_loops_count_once_and_are_flagged(
    tokens: tuple[str, ...], count: int, repeats: int
) -> None:
    result = find_fillers(words(*tokens), "auto")
    assert len(result) == count
    assert result[0].repeats == repeats
    assert result[0].is_loop == (repeats >= 3)


def test_filler_positions_and_times() -> None:
    ws = [
        Word("我们", 0.0, 0.4),
        Word("啊，", 1.0, 1.3),
        Word("you", 1.3, 1.5),
        Word("know,", 1.5, 1.9),
    ]
    a, yk = find_fillers(ws, "auto", {1})
    assert (a.words, a.marks, a.kind, a.start, a.end) == ((1,), ((1, 0, 1),), "hard", 1.0, 1.3)
    assert (yk.words, yk.marks, yk.kind) == ((2, 3), ((2, 0, 3), (3, 0, 4)), "soft")
    assert (yk.start, yk.end) == (1.3, 1.9)


def test_mark_inside_multi_character_token() -> None:
    (f,) = find_fillers([Word("我觉得嗯这个产品", 0.0, 1.0)], "zh")
    assert f.marks == ((0, 3, 4),)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AI产品", [("ai", "latin"), ("产", "han"), ("品", "han")]),
        ("２０２４年", [("2024", "latin"), ("年", "han")]),
        ("don't,", [("don't", "latin"), (",", "punct")]),
        ("ＧＰＴ-4o", [("gpt-4o", "latin")]),
        ("3.5秒", [("3.5", "latin"), ("秒", "han")]),
    ],
)
def test_word_units(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(u.text, u.kind) for u in word_units(0, text)] == expected


def test_unit_offsets_point_into_original_text() -> None:
    text = "ｌｉｋｅ…嗯"
    for u in word_units(0, text):
        s, e = u.chars
        assert 0 <= s < e <= len(text)
    assert transcript_units(words("a", "b"), {1})[1].kind == "pause"


TOKENS = st.sampled_from(
    ["嗯", "啊", "，", "那个", "产品", "就", "是说", "um", "like,", "you", "know", "So,", "I",
     "ｌｉｋｅ", "好啊", "额度", "。", "then", "ok", "嗯嗯", "…"]
)  # fmt: skip


@given(st.lists(TOKENS, max_size=30), st.sets(st.integers(0, 30)))
def test_fillers_point_at_real_words(tokens: list[str], pauses: set[int]) -> None:
    ws = words(*tokens)
    result = find_fillers(ws, "auto", pauses)
    for f in result:
        assert f.words and all(0 <= i < len(ws) for i in f.words)
        assert f.start <= f.end and f.repeats >= 1
        for w, s, e in f.marks:
            assert 0 <= s < e <= len(ws[w].text)
    starts = [f.words[0] for f in result]
    assert starts == sorted(starts)


# --- 啊: hesitation or sentence particle, decided by its neighbours -----------------------


@pytest.mark.parametrize(
    ("before", "after", "role"),
    [
        ("edge", "word", "start"),
        ("edge", "edge", "start"),
        ("pause", "word", "after_pause"),
        ("punct", "word", "after_punct"),
        ("punct", "punct", "after_punct"),
        ("filler", "word", "after_filler"),
        ("stop", "word", "after_punct"),
        ("word", "pause", "clause_end"),
        ("word", "punct", "clause_end"),
        ("word", "edge", "end_of_sentence"),
        ("word", "stop", "end_of_sentence"),
        ("word", "filler", "end_of_sentence"),
        ("word", "word", "inside_sentence"),
    ],
)
def test_particle_role_branches(before: Neighbour, after: Neighbour, role: str) -> None:
    assert particle_role(before, after) == role
    assert (role in COUNTED_ROLES) == (before != "word" or role == "clause_end")


def test_a_reply_before_a_clause_is_not_a_hesitation() -> None:
    assert particle_role("word", "punct", reply=True) == "end_of_sentence"
    assert particle_role("word", "pause", reply=True) == "end_of_sentence"


def spoken(*pieces: str | float) -> Transcript:
    """A Mandarin transcript from tokens and silences: each token lasts 0.3 s, a number is
    a silence of that many seconds (a gap between two VAD speech spans)."""
    ws: list[Word] = []
    spans: list[Span] = []
    t = 0.5
    start = t
    for piece in pieces:
        if isinstance(piece, float):
            spans.append(Span(start, t))
            t += piece
            start = t
            continue
        ws.append(Word(piece, t, t + 0.3))
        t += 0.3
    spans.append(Span(start, t))
    return Transcript("zh", t + 0.5, tuple(ws), tuple(spans))


@pytest.mark.parametrize(
    ("pieces", "counted", "possible"),
    [
        # 1. start of the answer
        (("啊", "我们", "做了", "推荐"), 1, []),
        # 2. after a silence the VAD heard (no punctuation, same tokens as in 6.)
        (("我们", 1.2, "啊", "这个", "方案"), 1, []),
        # 3. after clause punctuation, in its own token or inside one
        (("我们", "，", "啊", "这个"), 1, []),
        (("好的，啊，", "这个"), 1, []),
        # 4. after a hesitation sound, or after a 啊 that counted
        (("我们", "嗯啊", "这个"), 1, []),
        (("啊", "啊", "我们"), 2, []),
        # 5. a word before, the clause going on after a comma or a silence: drawn out
        (("这些", "公司啊，", "后期"), 1, []),
        (("我们", "公司", "啊", 1.0, "我们", "继续"), 1, []),
        #    but a lone reply word before it (对啊，我们…) is a reply
        (("是", "啊", 1.0, "我们", "继续"), 0, ["end_of_sentence"]),
        (("对啊，", "我们"), 0, ["end_of_sentence"]),
        (("绝对啊，", "我们"), 1, []),
        # 6. a word before, the end or sentence punctuation after: sentence particle
        (("好啊",), 0, ["end_of_sentence"]),
        (("我们", "做得", "好啊。"), 0, ["end_of_sentence"]),
        # 7. a word on both sides: a particle inside the clause
        (("我们", "啊", "这个", "方案"), 0, ["inside_sentence"]),
    ],
)
def test_particle_in_synthetic_transcripts(
    pieces: tuple[str | float, ...], counted: int, possible: list[str]
) -> None:
    m = compute_metrics(spoken(*pieces))
    assert m.fillers.by_word.get("啊", 0) == counted
    assert [p.reason for p in m.fillers.possible] == possible
    for p in m.fillers.possible:
        word = spoken(*pieces).words[p.word]
        assert word.text[p.chars[0] : p.chars[1]] == "啊"
        assert (p.start, p.end) == (word.start, word.end)


@pytest.mark.parametrize(
    "split",
    [
        ("我们", "做得", "好啊", "。"),
        ("我们", "做得", "好", "啊", "。"),
        ("我们做得好啊。",),
        ("我们做得", "好啊。"),
    ],
)
def test_particle_does_not_depend_on_how_tokens_are_cut(split: tuple[str, ...]) -> None:
    fillers, possible = scan_fillers(words(*split), "zh")
    assert fillers == ()
    assert [p.reason for p in possible] == ["end_of_sentence"]


def test_the_same_words_and_times_always_give_the_same_call() -> None:
    """With or without VAD spans, a silence in the times decides the same way."""
    ws = (
        Word("我们", 0.0, 0.4),
        Word("啊", 1.6, 1.9),
        Word("这个", 1.9, 2.2),
        Word("方案", 2.2, 2.5),
    )
    with_vad = Transcript("zh", 2.5, ws, (Span(0.0, 0.45), Span(1.55, 2.5)))
    from_word_gaps = Transcript("zh", 2.5, ws)
    results = {
        (m.fillers.total, m.fillers.possible)
        for m in map(compute_metrics, (with_vad, from_word_gaps, with_vad, from_word_gaps))
    }
    assert results == {(1, ())}


def test_a_loop_of_particles_counts_once_wherever_it_falls() -> None:
    fillers, possible = scan_fillers(words("好", "啊", "啊", "啊", "我们"), "zh")
    assert [(f.text, f.repeats) for f in fillers] == [("啊", 3)]
    assert possible == ()
