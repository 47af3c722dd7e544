"""Follow-ups that listen (``kiosk.core.followups``): on synthetic transcripts, both languages.

``heard`` is a list of transcript words, as the transcriber gives them.
"""

from __future__ import annotations

from typing import cast

import pytest
from textual.pilot import Pilot

from kiosk.core.content import ContentReview
from kiosk.core.followups import (
    MAX_TEMPLATES,
    candidates,
    missed_points,
    presumed,
    said_before,
    terms_heard,
)
from kiosk.core.keypoints import KeyPointResult
from kiosk.core.transcript import Span, Transcript
from kiosk.questions.library import Library
from kiosk.questions.model import Bank, Kind
from kiosk.speech.fakes import words_from
from kiosk.ui.screens.question import QuestionScreen
from kiosk.ui.screens.report import ReportScreen
from tests.test_ui_support import Booth, booth, deliver, open_first_question, question, until

ZH_RAG = ["我们", "的", "客服", "助手", "用了", "RAG，", "把", "产品", "手册", "接进来。"]
EN_RAG = [
    "We",
    "built",
    "the",
    "assistant",
    "on",
    "RAG",
    "and",
    "measured",
    "answer",
    "accuracy",
    "weekly",
    ".",
]


@pytest.mark.parametrize(
    ("text", "phrases"),
    [
        ("除了脚本优化，你有没有做过文本模型的优化？", ("脚本优化",)),
        ("你刚才说的上游、中游、下游，分别指什么？", ("上游、中游、下游",)),
        ("之前那家看起来是挺大的国企，为什么离职？", ("国企",)),
        ("除了准确率、召回率这些基本指标，大模型评估有哪些差异？", ("准确率、召回率",)),
        ("你提到了知识库，数据从哪里来？", ("知识库",)),
        ("Besides the pilot, what else did you try?", ("pilot",)),
        ("What besides money decides the choice here?", ("money",)),
        ("What would you try other than the pilot program?", ("pilot",)),
        ("You mentioned churn — how did you measure it?", ("churn",)),
        ("这个项目最大的风险是什么？", ()),
        ("What would you do differently now?", ()),
    ],
)
def test_presumed_phrases_are_found_in_follow_up_texts(text: str, phrases: tuple[str, ...]) -> None:
    assert presumed(text) == phrases


def test_a_presuming_follow_up_needs_its_words_in_the_answer() -> None:
    f = "除了脚本优化，你有没有做过文本模型的优化？"
    assert said_before(f, ["我", "主要", "优化了", "营销", "脚本。"])
    assert not said_before(f, ["我", "主要", "做", "用户", "调研。"])
    g = "Besides the pilot, what else did you try?"
    assert said_before(g, ["We", "ran", "a", "pilot", "with", "two", "hospitals", "."])
    assert not said_before(g, ["We", "interviewed", "ten", "nurses", "."])
    assert said_before("这个项目最大的风险是什么？", [])


def test_what_the_question_said_is_not_presumed_of_the_answer() -> None:
    money = "What besides money decides the choice here?"
    question = "Estimate what it costs to process ten thousand records with a hosted model."
    answer = ["About", "forty", "dollars", "for", "the", "hosted", "one", "."]
    assert not said_before(money, answer)
    assert said_before(money, answer, question), "the question was about costs"
    scripts = "除了脚本优化，你有没有做过文本模型的优化？"
    assert not said_before(scripts, ["我", "做", "用户", "调研。"], "讲一下你之前的实习。")


def test_bank_follow_up_presuming_unsaid_content_is_never_offered() -> None:
    bank = ["除了脚本优化，你有没有做过文本模型的优化？", "你参与过提示词调优的撰写吗？"]
    offered = [f.text for f in candidates(bank, ["我", "负责", "用户", "调研。"], language="zh")]
    assert bank[0] not in offered
    assert offered[0] == bank[1]
    said = [f.text for f in candidates(bank, ["我", "做了", "脚本", "优化。"], language="zh")]
    assert said[:2] == bank


def test_a_term_the_user_used_picks_the_bank_follow_up_about_it() -> None:
    bank = ["这个产品的关键指标是什么？", "如果知识库每天都在更新，你怎么选？"]
    first = candidates(bank, ZH_RAG, question="介绍一个项目", language="zh")[0]
    assert first.text == bank[1] and first.reason == "term"
    assert "RAG" in first.why


def test_term_template_when_the_bank_has_none_left_zh_and_en() -> None:
    zh = candidates([], ZH_RAG, question="介绍一个项目", language="zh")
    assert zh[0].text == "你提到了 RAG，具体是怎么做的？" and zh[0].reason == "term_template"
    en = candidates([], EN_RAG, question="Tell me about a project.", language="en")
    assert en[0].text == "You mentioned RAG — how exactly did you use it?"


def test_a_term_the_question_already_uses_is_not_asked_about() -> None:
    assert candidates([], ZH_RAG, question="RAG 和微调怎么选？", language="zh") == []
    heard = terms_heard(ZH_RAG, ["RAG 和微调怎么选？"])
    assert heard == []


def test_synonyms_heard_once_are_one_term() -> None:
    heard = terms_heard(["我们", "用了", "RAG", "和", "微调，", "RAG", "效果", "好。"])
    assert [h.said for h in heard] == ["RAG", "微调"]  # most often said first


def _review(*points: tuple[str, str]) -> ContentReview:
    return ContentReview(tuple(KeyPointResult(text, status) for text, status in points))  # type: ignore[arg-type]


def test_missed_key_point_template_zh_and_en() -> None:
    review = _review(("检索增强适合知识多变", "covered"), ("成本和时延", "missing"))
    zh = candidates([], ["我们", "用", "检索。"], question="RAG 还是微调？", content=review)
    assert [f.text for f in zh] == ["你刚才没有提到成本和时延，能补充一下吗？"]
    assert zh[0].reason == "missed"
    review_en = _review(("guardrail metrics", "missing"), ("task success", "partly"))
    en = candidates([], ["We", "track", "task", "success", "."], content=review_en, language="en")
    assert en[0].text == "You didn't mention guardrail metrics — could you add to that?"


def test_missed_points_missing_before_partly() -> None:
    review = _review(("a", "partly"), ("b", "missing"), ("c", "covered"), ("d", "not_checked"))
    assert missed_points(review) == ("b", "a")
    assert missed_points(None) == ()


def test_every_bank_follow_up_in_a_chain_is_reachable() -> None:
    bank = ["第一个追问？", "第二个追问？", "第三个追问？"]
    asked: list[str] = []
    heard = ["我", "负责", "一个", "项目。"]
    for _ in bank:
        chosen = candidates(bank, heard, asked=asked)[0]
        asked.append(chosen.text)
    assert asked == bank
    assert candidates(bank, heard, asked=asked) == []


def test_a_chain_adds_at_most_a_few_templates_and_never_repeats() -> None:
    review = _review(("成本", "missing"), ("时延", "missing"), ("合规", "missing"))
    asked: list[str] = []
    for _ in range(5):
        options = candidates([], ZH_RAG, content=review, asked=asked)
        if not options:
            break
        assert options[0].text not in asked
        asked.append(options[0].text)
    assert len(asked) == MAX_TEMPLATES


def test_a_point_made_in_a_later_answer_is_no_longer_missed() -> None:
    later = ["我们", "也", "算了", "成本。"]
    assert candidates([], later, missed=["成本"]) == []


# --- the booth's report screen -----------------------------------------------------------


async def _answer(b: Booth, pilot: Pilot[object]) -> None:
    """Record a whole answer on the question shown and stop."""
    await pilot.press("space")
    await until(pilot, lambda: getattr(b.app.screen, "state", "") == "recording")
    deliver(b.recorder)
    b.clock.t += 6.0
    await pilot.press("space")


async def test_report_offers_follow_ups_that_fit_the_answer_and_reaches_the_whole_chain() -> None:
    chain = (
        "除了脚本优化，你有没有做过文本模型的优化？",  # presumes 脚本优化: never said
        "这个项目最大的风险是什么？",
        "上线后你怎么衡量效果？",
    )
    lib = Library((Bank("test-bank", "Test bank", "zh", (question(follow_ups=chain),)),))
    b = booth(lib=lib)
    async with b.app.run_test(size=(110, 40)) as running:
        pilot = cast("Pilot[object]", running)
        await open_first_question(pilot)
        await _answer(b, pilot)
        await until(pilot, lambda: isinstance(b.app.screen, ReportScreen))
        report = b.app.screen
        assert isinstance(report, ReportScreen)
        offered = [f.text for f in report.follow_ups]
        assert chain[0] not in offered, "presumes words the answer did not say"
        assert offered[:2] == [chain[1], chain[2]]
        shown = str(report.query_one("#follow-up").render())
        assert chain[1] in shown and "o for another (1 of 2)" in shown

        await pilot.press("o")
        assert chain[2] in str(report.query_one("#follow-up").render())
        await pilot.press("o")
        assert chain[1] in str(report.query_one("#follow-up").render())

        await pilot.press("f")
        await until(pilot, lambda: isinstance(b.app.screen, QuestionScreen))
        assert b.app.screen.asked.text == chain[1]  # type: ignore[attr-defined]
        await _answer(b, pilot)
        await until(pilot, lambda: isinstance(b.app.screen, ReportScreen))
        second = b.app.screen
        assert isinstance(second, ReportScreen)
        assert second.follow_up is not None and second.follow_up.text == chain[2]
        assert second.asked.chain == (chain[1],)

        await pilot.press("f")
        await until(pilot, lambda: isinstance(b.app.screen, QuestionScreen))
        assert b.app.screen.asked.text == chain[2]  # type: ignore[attr-defined]


EN_ESTIMATE = (
    "Which assumption in your estimate matters most?",
    "What besides money decides the choice here?",
)


async def test_a_question_s_follow_ups_are_reached_one_after_the_other() -> None:
    """Answer, take follow-up 1, answer it, then follow-up 2 — for a bank question whose
    second follow-up builds on the question ("besides money" after a question on costs)."""
    estimate = question(
        "en-estimate",
        language="en",
        category="Cost & scaling",
        kind=Kind.KNOWLEDGE,
        text="Estimate what it costs to process ten thousand records with a hosted model.",
        follow_ups=EN_ESTIMATE,
    )
    words = words_from("About forty dollars with the hosted model , less with our own .")
    lib = Library((Bank("test-bank", "Test bank", "en", (estimate,)),))
    b = booth(lib=lib, transcript=Transcript("en", 6.0, words, (Span(0.0, 6.0),)))
    async with b.app.run_test(size=(110, 40)) as running:
        pilot = cast("Pilot[object]", running)
        await open_first_question(pilot)
        await _answer(b, pilot)
        await until(pilot, lambda: isinstance(b.app.screen, ReportScreen))
        first = b.app.screen
        assert isinstance(first, ReportScreen)
        assert [f.text for f in first.follow_ups][:2] == list(EN_ESTIMATE)

        await pilot.press("f")
        await until(pilot, lambda: isinstance(b.app.screen, QuestionScreen))
        assert b.app.screen.asked.text == EN_ESTIMATE[0]  # type: ignore[attr-defined]
        await _answer(b, pilot)
        await until(pilot, lambda: isinstance(b.app.screen, ReportScreen))
        second = b.app.screen
        assert isinstance(second, ReportScreen) and second.asked.chain == (EN_ESTIMATE[0],)
        assert second.follow_up is not None and second.follow_up.text == EN_ESTIMATE[1]
        assert EN_ESTIMATE[1] in str(second.query_one("#follow-up").render())

        await pilot.press("f")
        await until(pilot, lambda: isinstance(b.app.screen, QuestionScreen))
        follow_up_2 = b.app.screen
        assert isinstance(follow_up_2, QuestionScreen)
        assert follow_up_2.asked.text == EN_ESTIMATE[1]
        assert follow_up_2.asked.chain == EN_ESTIMATE
        assert b.speaker.texts[-1] == EN_ESTIMATE[1], "read aloud like any question"
