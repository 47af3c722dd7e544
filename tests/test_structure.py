"""Structure signals by question kind: STAR, 总分总, quantified results, reverse questions.

Every signal that is found carries the words that triggered it; every one that is not says
what would have counted.
"""

from __future__ import annotations

import json

from kiosk.core.structure import StructureReview, check_structure
from kiosk.core.transcript import Word


def words(text: str) -> tuple[Word, ...]:
    return tuple(Word(t, 0.5 * i, 0.5 * i + 0.4) for i, t in enumerate(text.split()))


def signals(text: str, kind: str) -> dict[str, tuple[bool, list[str], str]]:
    review = check_structure(words(text), kind)
    assert review is not None
    return {s.key: (s.found, [e.text for e in s.evidence], s.note) for s in review.signals}


STAR_ZH = (
    "去年 我 在 一家 医疗 公司 实习， 当时 随访 全靠 电话。 我的任务 是 把 完成率 提上去。 "
    "我先 访谈了 护士， 然后 设计了 流程。 最后 完成率 从 百分之四十 提升到 百分之七十五。"
)


def test_star_parts_found_in_order_with_their_words() -> None:
    s = signals(STAR_ZH, "behavioral")
    assert s["situation"][:2] == (True, ["去年"])
    assert s["task"][0] and s["task"][1] == ["任务"]
    assert s["action"][:2] == (True, ["我先"])
    assert s["result"][:2] == (True, ["最后"])
    assert s["order"][0] and s["order"][2].startswith("heard in order")
    assert s["quantified"][0] and s["quantified"][1] == ["百分之四十", "百分之七十五"]


def test_star_out_of_order_says_so() -> None:
    text = "最后 我们 上线了。 当时 是 因为 客户 投诉 很多， 我先 做了 调研。"
    s = signals(text, "behavioral")
    assert not s["order"][0]
    assert s["order"][2].startswith("heard out of order: result (最后) → situation (当时)")


def test_a_missing_star_part_says_what_would_count() -> None:
    s = signals("I decided to rewrite the onboarding and we launched it.", "behavioral")
    assert not s["situation"][0]
    assert s["situation"][2].startswith("not heard; e.g. at the time")
    assert s["action"][1] == ["I decided"]


def test_quantified_results_count_only_after_the_result_begins() -> None:
    text = "At my last job we had two weeks left. I decided to cut scope. As a result we shipped."
    s = signals(text, "behavioral")
    assert not s["quantified"][0]
    assert "after the result began" in s["quantified"][2]
    text += " Bookings grew by forty percent."
    assert signals(text, "behavioral")["quantified"][1] == ["forty percent"]


def test_zongfenzong_opening_points_and_closing() -> None:
    text = (
        "我觉得 主要 看 三点。 第一 是 成本， 第二 是 时效性， 第三 是 可控性。 "
        "总的来说 各有 适用 的 地方。"
    )
    s = signals(text, "knowledge")
    assert s["opening"][0] and "我觉得" in s["opening"][1]
    assert s["opening"][2] == "first sentence: 我觉得主要看三点"
    assert s["points"][1] == ["第一", "第二", "第三"]
    assert s["closing"][:2] == (True, ["总的来说"])


def test_zongfenzong_missing_parts() -> None:
    text = "大模型 发展 很快， 很多 公司 都 在 做， 产品 经理 要 多 学习。"
    s = signals(text, "knowledge")
    assert not s["points"][0] and not s["closing"][0]
    assert "第一" in s["points"][2]


def test_english_ordinals_only_at_the_start_of_a_clause() -> None:
    text = "I spent the last three years in fintech and took a second look at fraud alerts."
    assert not signals(text, "knowledge")["points"][0]
    text = "It depends. First, the data. Second, the cost. Finally, the team."
    s = signals(text, "knowledge")
    assert s["points"][1] == ["First", "Second", "Finally"]
    assert s["opening"][1] == ["It depends"]


def test_a_one_sentence_answer_has_no_separate_closing() -> None:
    assert not signals("我觉得 所以 就是 这样", "knowledge")["closing"][0]


def test_self_introductions_want_numbers() -> None:
    s = signals("我叫 李明。 我 在 电商 公司 把 点击率 提升了 百分之十二。", "intro")
    assert s["opening"][1] == ["我叫"]
    assert s["quantified"][1] == ["百分之十二"]


def test_reverse_questions_ask_something() -> None:
    s = signals("我想问 一下， 团队 现在 最 重要 的 工作 是 什么？", "reverse")
    assert s["asks"][0] and "什么" in s["asks"][1]
    assert "1 question marks" in s["asks"][2]
    s = signals("没有问题 了， 谢谢。", "reverse")
    assert s["asks"][:2] == (False, [])
    assert s["asks"][2] == "said there was nothing to ask"
    assert signals("How do product and engineering work together", "reverse")["asks"][0]


def test_evidence_points_into_the_transcript() -> None:
    ws = words(STAR_ZH)
    review = check_structure(ws, "behavioral")
    assert review is not None
    situation = review.signals[0].evidence[0]
    (mark,) = situation.marks
    assert ws[mark[0]].text[mark[1] : mark[2]] == "去年"
    assert situation.start == ws[mark[0]].start


def test_no_frame_for_follow_ups_or_silence() -> None:
    assert check_structure(words("好的"), "follow_up") is None
    assert check_structure((), "behavioral") is None


def test_review_round_trips_through_json() -> None:
    review = check_structure(words(STAR_ZH), "behavioral")
    assert review is not None
    back = StructureReview.from_dict(json.loads(json.dumps(review.to_dict(), ensure_ascii=False)))
    assert back == review
