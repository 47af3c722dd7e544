"""Full-width letters and digits in Mandarin transcripts fold to ASCII; Chinese
punctuation stays; and no Mandarin filler is ever read inside a token with Latin letters
or digits."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.core.fillers import find_fillers, scan_fillers
from kiosk.core.metrics import compute_metrics
from kiosk.core.transcript import FULLWIDTH_KEPT, Span, Transcript, Word, fold_width


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        # what Whisper wrote, as seen in real transcripts
        ("你们可以１听到", "你们可以1听到"),
        ("我们４再去了8, 93条", "我们4再去了8, 93条"),
        ("啊Ｇ特别是", "啊G特别是"),
        # letters of both cases, digits and the symbols of the range
        ("ＡＢＣｘｙｚ０１２９", "ABCxyz0129"),
        ("ＧＰＴ－４ｏ", "GPT-4o"),
        ("３．５％", "3.5%"),
        ("＃＄＆＊＋／＜＝＞＠＼＾＿｀｜～", "#$&*+/<=>@\\^_`|~"),
        ("＂ＯＫ＇", "\"OK'"),
        ("［ｘ］｛ｙ｝", "[x]{y}"),
        # the ideographic space becomes an ASCII space
        ("你好\u3000世界", "你好 世界"),
        # plain ASCII and ordinary Chinese text are left alone
        ("RAG 和 fine-tuning", "RAG 和 fine-tuning"),
        ("", ""),
    ],
)
def test_full_width_folds_to_ascii(text: str, folded: str) -> None:
    assert fold_width(text) == folded


@pytest.mark.parametrize(
    "text",
    [
        "好的，我们开始。",
        "为什么？因为：第一；第二！",
        "（补充）",
        "产品、模型、数据",
        "「引号」《书名》…—",
        "ｱｲｳ",  # half-width katakana (U+FF61 on) is outside the range
        "￥￡",  # full-width currency signs (U+FFE0 on) too
    ],
)
def test_chinese_punctuation_and_other_forms_stay(text: str) -> None:
    assert fold_width(text) == text


def test_the_kept_punctuation_is_exactly_the_chinese_sentence_marks() -> None:
    assert set(FULLWIDTH_KEPT) == set("！（），：；？")
    for ch in FULLWIDTH_KEPT:
        assert 0xFF01 <= ord(ch) <= 0xFF5E, "only full-width forms need keeping"


def test_every_other_character_of_the_range_is_its_nfkc_form() -> None:
    for code in range(0xFF01, 0xFF5F):
        ch = chr(code)
        expected = ch if ch in FULLWIDTH_KEPT else unicodedata.normalize("NFKC", ch)
        assert fold_width(ch) == expected
        assert expected == ch or expected.isascii()


@given(st.text())
def test_one_character_for_one_and_idempotent(text: str) -> None:
    folded = fold_width(text)
    assert len(folded) == len(text)  # offsets into the text stay valid
    assert fold_width(folded) == folded
    changed = [(a, b) for a, b in zip(text, folded, strict=True) if a != b]
    assert all(0xFF01 <= ord(a) <= 0xFF5E or a == "\u3000" for a, _ in changed), (
        "nothing outside the range is touched"
    )


# --- no Mandarin filler inside a token with Latin letters or digits -----------------------


def words(*tokens: str, step: float = 0.3) -> list[Word]:
    return [Word(t, i * step, i * step + step) for i, t in enumerate(tokens)]


@pytest.mark.parametrize(
    "tokens",
    [
        ("啊Ｇ", "特别是"),
        ("啊G", "特别是"),
        (fold_width("啊Ｇ"), "特别是"),
        ("我们", "嗯AI", "产品"),
        ("你们可以１听到", "嗯２"),
        ("然后然后5",),  # a repeated soft filler would count in a token of its own
        ("就是5", "，", "对"),
    ],
)
def test_tokens_with_latin_or_digits_hold_no_mandarin_filler(tokens: tuple[str, ...]) -> None:
    fillers, possible = scan_fillers(words(*tokens), "zh")
    assert fillers == () and possible == ()


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [
        # the same fillers in their own tokens still count
        (("啊", "G", "特别是"), ["啊"]),
        (("嗯", "AI", "产品"), ["嗯"]),
        (("那个，", "GPT", "产品"), ["那个"]),
        # English fillers next to Mandarin are English, not Mandarin
        (("um", "我们"), ["um"]),
    ],
)
def test_fillers_in_their_own_tokens_still_count(
    tokens: tuple[str, ...], expected: list[str]
) -> None:
    assert [f.text for f in find_fillers(words(*tokens), "auto")] == expected


def test_full_width_junk_changes_no_figure_of_the_answer() -> None:
    """The folded and the unfolded transcript give the same counts (NFKC inside the unit
    splitter), and 啊Ｇ is no filler either way."""
    raw = ("我们４再去了", "啊Ｇ", "特别是", "你们可以１听到")
    spans = (Span(0.0, 1.2),)
    a = compute_metrics(Transcript("zh", 2.0, tuple(words(*raw)), spans))
    b = compute_metrics(Transcript("zh", 2.0, tuple(words(*map(fold_width, raw))), spans))
    assert a.pace == b.pace
    assert a.fillers.total == b.fillers.total == 0
