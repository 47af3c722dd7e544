"""No near-duplicate questions in one mock round (``kiosk.questions.rounds``)."""

from __future__ import annotations

import itertools

import pytest

from kiosk.questions.loader import load_library
from kiosk.questions.rounds import (
    NEAR_DUPLICATE,
    compose_round,
    load_rounds,
    near_duplicate,
    similarity,
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("介绍一下你简历上最重要的一段经历。", "介绍一下你的过往经历。"),
        ("最后，你有什么想问我的？", "你有什么想问我们的吗？"),
        ("整个项目过程中你遇到的最大困难是什么？", "这个项目中最大的挑战是什么？"),
        ("Walk me through your resume.", "Tell me about your background."),
    ],
)
def test_near_duplicates_reach_the_threshold(a: str, b: str) -> None:
    assert similarity(a, b) >= NEAR_DUPLICATE


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("介绍一下你的过往经历。", "为什么想做 AI 产品经理？"),
        ("介绍一下你的项目。", "整个项目过程中你遇到的最大困难是什么？是怎么解决的？"),
        ("RAG 和微调分别适合什么场景？", "怎么构建一个大模型评测集？"),
        ("Tell me about yourself.", "Tell me about the hardest feedback you received."),
        ("Why do you want to be a product manager?", "How would you measure retention?"),
    ],
)
def test_different_questions_stay_below_it(a: str, b: str) -> None:
    assert similarity(a, b) < NEAR_DUPLICATE


def test_no_bundled_round_asks_near_duplicates_over_many_seeds() -> None:
    library = load_library(include_user=False)
    templates, problems = load_rounds()
    assert not problems
    for round_id in templates:
        for seed in range(40):
            drawn = compose_round(library, round_id, seed, templates)
            for a, b in itertools.combinations(drawn.questions, 2):
                assert not near_duplicate(a, b), (round_id, seed, a.text, b.text)


def test_composition_stays_repeatable() -> None:
    library = load_library(include_user=False)
    one = compose_round(library, "zh-ai-pm-1", 11)
    two = compose_round(library, "zh-ai-pm-1", 11)
    assert one.questions == two.questions


def test_timing_drills_may_repeat_their_text() -> None:
    library = load_library(include_user=False)
    drill = compose_round(library, "zh-intro-drill", 0)
    assert len(drill.questions) == 3
