"""Key points covered / partly / missing: one test (or a few) per matching rule."""

from __future__ import annotations

import json

import pytest

from kiosk.core.content import ContentReview
from kiosk.core.keypoints import (
    WINDOW_UNITS,
    AnswerText,
    check_key_points,
    key_point_terms,
    stem,
    zh_numeral_value,
)
from kiosk.core.transcript import Word


def words(text: str) -> tuple[Word, ...]:
    """Tokens split on spaces, 0.5 s each — the way Whisper hands words over."""
    return tuple(Word(t, 0.5 * i, 0.5 * i + 0.4) for i, t in enumerate(text.split()))


def status(answer: str, key_point: str, question: str = "") -> str:
    return check_key_points(words(answer), [key_point], question)[0].status


def heard(answer: str, key_point: str, question: str = "") -> list[tuple[str, str, str]]:
    result = check_key_points(words(answer), [key_point], question)[0]
    return [(m.term, m.text, m.how) for m in result.matches]


# ---- reading the answer --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("三", 3),
        ("十", 10),
        ("三十五", 35),
        ("两千", 2000),
        ("一百万", 1_000_000),
        ("二零二四", 2024),
    ],
)
def test_chinese_numerals(numeral: str, value: float) -> None:
    assert zh_numeral_value(numeral) == value


def test_two_numeral_characters_are_a_range_not_a_number() -> None:
    assert zh_numeral_value("两三") is None


def test_numbers_are_folded_to_digits_whatever_way_they_were_said() -> None:
    a = AnswerText.of(["日活掉了百分之二十，", "提升了三成", "快了两倍", "温度零点八"])
    assert [q.value for q in a.quantities] == ["20%", "30%", "2", "0.8"]
    assert [q.text for q in a.quantities] == ["百分之二十", "三成", "两", "零点八"]
    en = AnswerText.of(
        [w.text for w in words("cut false alarms by forty percent and saved twenty five hours")]
    )
    assert [q.value for q in en.quantities] == ["40%", "25"]


def test_small_counts_years_and_words_with_numerals_are_not_quantities() -> None:
    a = AnswerText.of(["一个问题，", "两个方面，", "2023年", "十分重要", "万一", "第一"])
    assert a.quantities == []


def test_english_stems_and_british_spelling() -> None:
    assert stem("measured") == stem("measure")
    assert stem("summarising") == stem("summarizing")
    assert stem("retraining") == stem("retrain")


def test_marks_point_back_into_the_transcript_words() -> None:
    ws = words("我们 用了 RAG， 效果 不错")
    result = check_key_points(ws, ["检索增强"])[0]
    assert result.status == "covered"
    (match,) = result.matches
    assert match.text == "RAG" and match.how == "synonym"
    assert match.marks == ((2, 0, 3),)
    assert (match.start, match.end) == (ws[2].start, ws[2].end)


def test_a_phrase_split_over_two_tokens_is_still_heard() -> None:
    result = check_key_points(words("我们 做了 检索 增强 的 方案"), ["检索增强"])[0]
    assert result.matches[0].marks == ((2, 0, 2), (3, 0, 2))
    assert result.matches[0].text == "检索增强"


# ---- terms of a key point --------------------------------------------------------------------


def test_function_words_are_dropped_and_known_phrases_kept_whole() -> None:
    assert [t.label for t in key_point_terms("检索增强适合知识多变")] == [
        "检索增强",
        "适合",
        "知识",
        "多变",
    ]
    assert [t.label for t in key_point_terms("check the data pipeline first")] == [
        "check",
        "data pipeline",
    ]


def test_function_characters_joined_by_the_segmenter_are_dropped() -> None:
    assert [t.label for t in key_point_terms("问对新人的期待")] == ["新人", "期待"]


def test_words_after_a_contrast_are_not_required() -> None:
    assert [t.label for t in key_point_terms("task completion, not messages sent")] == [
        "task",
        "completion",
    ]
    assert "方法论" not in str([t.label for t in key_point_terms("用数字而非方法论名词")])


def test_alternatives_make_one_term_and_the_words_around_stay_their_own() -> None:
    labels = [t.label for t in key_point_terms("pricing or limits for very long inputs")]
    assert labels == ["pricing / limits", "long", "inputs"]
    labels = [t.label for t in key_point_terms("调整定价或额度")]
    assert labels == ["定价 / 额度", "调整"]


@pytest.mark.parametrize(
    "advice", ["不问查得到的信息", "avoid questions the website answers", "总分总结构"]
)
def test_advice_on_how_to_answer_is_not_checked(advice: str) -> None:
    assert key_point_terms(advice) == ()
    assert status("随便说点什么", advice) == "not_checked"


# ---- hearing the terms -----------------------------------------------------------------------


def test_same_words_cover_a_mandarin_key_point() -> None:
    assert status("我们 会 定期 校准 自动 评测", "定期校准") == "covered"


def test_synonyms_cover_a_key_point_and_say_so() -> None:
    answer = "RAG 比较 适合 那种 知识 经常 更新 的 情况"
    assert status(answer, "检索增强适合知识多变") == "covered"
    assert ("多变", "经常更新", "synonym") in heard(answer, "检索增强适合知识多变")


@pytest.mark.parametrize(
    ("answer", "key_point"),
    [
        ("我们 做了 AB实验 来 对比", "线上 A/B 对比"),
        ("我们 做了 A/B 测试 对比 线上 数据", "线上 A/B 对比"),
        ("DAU 掉了 百分之二十", "日活下降"),
        ("用 langchain 把 流程 串 起来", "LangChain 串流程"),
    ],
)
def test_english_terms_inside_mandarin(answer: str, key_point: str) -> None:
    assert status(answer, key_point) == "covered"


def test_latin_terms_need_word_boundaries() -> None:
    assert status("we drag the files in", "rag") == "missing"
    assert status("we use rag here", "rag") == "covered"


def test_english_words_match_by_stem() -> None:
    assert status("we measured it before we optimized anything", "measure before optimising") == (
        "covered"
    )


def test_numbers_words_are_heard_as_any_quantity() -> None:
    matches = heard("上线 三个月 后 完成率 提升了 百分之三十", "用数字说明结果")
    assert matches[0] == ("数字", "三", "number")  # 3 个月: a number with its unit
    assert status("上线 后 完成率 提升了 百分之三十", "用数字说明结果") == "covered"
    assert status("结果 还 不错", "用数字说明结果") == "missing"  # 结果 alone is a general word
    assert status("no-shows fell by fifteen percent as a result", "results with numbers") == (
        "covered"
    )


def test_a_single_character_is_heard_only_as_a_word_of_its_own() -> None:
    assert status("这个 标准 很 重要", "准") == "missing"
    assert status("人工 评测 很 准， 但是 越贵", "人工准但贵慢") in ("covered", "partly")
    assert status("人工 评测 很 准， 但是 又 贵 又 慢", "人工准但贵慢") == "covered"


def test_terms_must_be_heard_close_together() -> None:
    filler = " ".join(["然后"] * (WINDOW_UNITS // 2 + 5))
    near = "先 确认 数据 是否 有误"
    far = f"先 确认 {filler} 数据 {filler} 有误"
    assert status(near, "先确认数据是否有误") == "covered"
    assert status(far, "先确认数据是否有误") == "partly"


def test_words_the_question_already_uses_weigh_half() -> None:
    question = "RAG 和微调分别适合什么场景？"
    # only the echoed words: not covered
    assert status("RAG 适合 很多 场景", "检索增强适合知识多变", question) == "missing"
    result = check_key_points(words("RAG 适合 很多 场景"), ["检索增强适合知识多变"], question)[0]
    assert result.note.startswith("only words the question already uses")
    assert status("RAG 适合 知识 经常 更新 的 场景", "检索增强适合知识多变", question) == "covered"


def test_a_key_point_made_only_of_the_question_words_is_not_checked() -> None:
    question = "你有没有遇到过什么困难？是怎么解决的？"
    assert status("有 一次 活动 延期", "困难具体", question) == "not_checked"


def test_partly_names_what_was_not_heard() -> None:
    results = check_key_points(words("我们 做了 灰度"), ["小流量灰度", "可回滚"])
    assert [r.status for r in results] == ["covered", "missing"]
    result = check_key_points(words("我们 先 看 算法 指标"), ["算法指标与业务指标分层"])[0]
    assert result.status == "partly"
    assert "业务指标" in result.missing


def test_an_empty_answer_covers_nothing() -> None:
    assert [r.status for r in check_key_points((), ["定期校准", "可回滚"])] == [
        "missing",
        "missing",
    ]


def test_review_round_trips_through_json() -> None:
    results = check_key_points(words("我们 做了 灰度， 可以 随时 回滚"), ["小流量灰度", "可回滚"])
    review = ContentReview(results)
    back = ContentReview.from_dict(json.loads(json.dumps(review.to_dict(), ensure_ascii=False)))
    assert back == review
    assert review.summary() == "2 of 2 key points covered"


def test_a_shared_uncommon_character_is_half_heard() -> None:
    result = check_key_points(words("给 模型 一两个 例子"), ["示例"])[0]
    assert result.status == "partly"
    assert [(m.term, m.text, m.how) for m in result.matches] == [("示例", "例子", "shared")]
    # with the other terms of the key point it can complete a covered one
    assert status("用户 随机抽 几百条 来 标注", "抽样与标注") == "covered"
    # common characters (产, 性 …) share nothing
    assert status("这个 产品 很 好", "产能") == "missing"
