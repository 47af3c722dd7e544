"""The bundled banks really carry the questions from the interview write-ups they were built from.

The Chinese banks were written from five interview write-ups (the ``source`` of a question
names the file). These tests pin a representative sample of those questions — written as
short, distinctive pieces of the question text as it appears in the bank — so an edit that
drops or mangles one is noticed, and they check that what a question says it came from is
one of the five write-ups. They also guard the Chinese text itself: simplified characters
only (the transcript is simplified, and mixed scripts look careless on screen) and no
leftovers of the write-ups' markdown, numbering or emoji, which the voice would read aloud.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import opencc
import pytest

from kiosk.questions.loader import load_library
from kiosk.questions.model import Kind, Question

S000 = "000_139f941a15def545.txt"
S001 = "001_10ecf5c3c27b8c4e.txt"
S002 = "002_00d342dd3e27f642.txt"
S003 = "003_34ee5b8c4dadd09f.txt"
S004 = "004_deba0a0f743ae621.txt"
SEED_FILES = frozenset({S000, S001, S002, S003, S004})

ZH_CATEGORIES = (
    "自我介绍",
    "动机与职业规划",
    "项目深挖",
    "大模型认知",
    "模型评测",
    "AI医疗产品",
    "产品设计与指标",
    "用户与增长运营",
    "医药与医疗器械",
    "市场与销售",
    "个人与行为",
    "反问",
    "AI 产品权衡",
)

# (distinctive piece of the question text, write-up it was asked in)
SEED_QUESTIONS: tuple[tuple[str, str], ...] = (
    # 医疗产品实习、科大讯飞、联影、百度 B 端医药、小荷 AI 医生、产品运营、
    # 小米、豆包、医药市场与销售
    ("你是学医的，为什么想做产品经理", S000),
    ("医疗类的大模型，你会怎么去优化它", S000),
    ("在什么场景下用？它们各自的优缺点", S000),
    ("智能辅助诊断系统制定产品路线图", S000),
    ("你是怎么写 PRD", S000),
    ("产品生命周期管理的核心概念", S000),
    ("根据用户反馈优化产品的经历", S000),
    ("医疗设备公司的产品经理，和互联网公司的产品经理", S000),
    ("下一代病人监护仪的产品路线图", S000),
    ("临床价值、技术可行性、成本定价和上市时间", S000),
    ("临床上争议很大，但市场宣传很猛", S000),
    ("和法规注册团队紧密协作", S000),
    ("未来五年，智能化和 AI", S000),
    ("B 端和 C 端产品经理", S000),
    ("跨国药企、咨询机构和投资机构", S000),
    ("管线竞争格局分析", S000),
    ("药企从研发到上市的全生命周期", S000),
    ("医药行业的理解，以及近期的政策趋势", S000),
    ("你会用什么切片策略", S000),
    ("转成 FHIR 标准格式", S000),
    ("用户说“我头疼”", S000),
    ("构建一套黄金测试集", S000),
    ("慢病管理 Agent", S000),
    ("图个免费咨询，问完就走", S000),
    ("首字延迟突然飙升到三秒以上", S000),
    ("医患对话录音转成病历", S000),
    ("联邦学习还是本地化私有部署", S000),
    ("商业健康险的核保和理赔", S000),
    ("冷冰冰或者爹味重", S000),
    ("AI 医疗问诊产品设计用户增长方案", S000),
    ("建立用户对 AI 医疗服务的信任", S000),
    ("用户活跃度下降了", S000),
    ("用 STAR 法则介绍你第一段实习", S000),
    ("数据评估和意图分类的标准", S000),
    ("怎么引导用户写出好的提示词", S000),
    ("AI 生图的技术原理", S000),
    ("B 端 AI 产品用户流失率很高", S000),
    ("评分标准是怎么定的", S000),
    ("优质的营销脚本应该具备哪些要素", S000),
    ("豆包写的小红书爆款文案 AI 味太重", S000),
    ("市场部的工作主要有哪些", S000),
    ("销售和市场最大的不同", S000),
    ("疾病故事、作用机制和关键信息", S000),
    ("BP 的关键策略和资源分配", S000),
    ("选择来阿斯利康应聘销售代表", S000),
    ("利用专业知识解决客户疑问", S000),
    ("靶点、通路和功效宣称", S000),
    ("请先做个简单的自我介绍", S000),
    ("你的职业规划是什么", S000),
    # 大模型产品岗：什么才算真实的 AI 项目经验
    ("从 0 到 1 设计过一款 AI 产品功能", S001),
    ("评估指标具体有哪些？为什么选这些", S001),
    ("追热点，还是觉得自己能真正创造价值", S001),
    # 字节跳动 · 大模型评测平台产品
    ("你这个产品里有几个模型", S002),
    ("内容治理的整个链路", S002),
    ("你知道什么是过拟合吗", S002),
    ("有没有对比过大模型和小模型的效果", S002),
    ("你现在是离职还是在职", S002),
    ("你产品的核心指标是什么", S002),
    ("为什么非得用 AI", S002),
    ("聊了四十多分钟了", S002),
    # AIGC 产品经理高频题
    ("谈谈你对 AI 和 AIGC 的理解", S003),
    ("AIGC 技术和人工之间", S003),
    ("产品经理的工作流程和核心职责", S003),
    ("什么是大语言模型？实现原理是什么", S003),
    ("常用的微调方式有哪些", S003),
    ("机器人出现的幻觉问题", S003),
    ("你怎么看 AI Agent", S003),
    ("项目上线之后，你们怎么评估效果", S003),
    # AI PM interview trends (asked in English, kept in the English banks)
    ("legal contract review tool", S004),
    ("retrieval confidence threshold", S004),
    ("Quantising a model makes it cheaper", S004),
)


@pytest.fixture(scope="module")
def questions() -> tuple[Question, ...]:
    library = load_library(include_user=False)
    assert library.questions, "no bundled questions loaded"
    return library.questions


def _matches(questions: tuple[Question, ...], piece: str) -> list[Question]:
    return [q for q in questions if piece in q.text]


def _chinese_strings(questions: tuple[Question, ...]) -> Iterator[tuple[str, str]]:
    for q in questions:
        if q.language != "zh":
            continue
        for value in (q.text, q.speak or "", *q.follow_ups, *q.key_points, q.category, *q.tags):
            if value:
                yield q.id, value


def test_sample_covers_every_write_up() -> None:
    assert len(SEED_QUESTIONS) >= 40
    assert {source for _, source in SEED_QUESTIONS} == SEED_FILES


@pytest.mark.parametrize(("piece", "source"), SEED_QUESTIONS, ids=[p for p, _ in SEED_QUESTIONS])
def test_seed_question_is_in_a_bank(
    questions: tuple[Question, ...], piece: str, source: str
) -> None:
    found = _matches(questions, piece)
    assert len(found) == 1, f"{piece!r}: expected exactly one question, found {len(found)}"
    q = found[0]
    assert q.source == source
    if q.language == "zh":
        assert q.category in ZH_CATEGORIES
    else:
        assert q.category.strip()
    assert q.kind in set(Kind)
    assert 10 <= q.target.low < q.target.high <= 300


def test_chinese_kind_matches_category(questions: tuple[Question, ...]) -> None:
    zh = [q for q in questions if q.language == "zh"]
    wrong = [
        q.id
        for q in zh
        if q.category not in ZH_CATEGORIES
        or (q.kind is Kind.REVERSE) != (q.category == "反问")
        or (q.kind is Kind.INTRO and q.category != "自我介绍")
    ]
    assert not wrong, f"category unknown or not matching kind: {wrong}"


def test_sources_name_one_of_the_write_ups(questions: tuple[Question, ...]) -> None:
    wrong = {q.id: q.source for q in questions if q.source is not None}
    wrong = {qid: src for qid, src in wrong.items() if src not in SEED_FILES}
    assert not wrong, f"source is not one of the five write-ups: {wrong}"


def test_every_write_up_gave_chinese_or_english_questions(
    questions: tuple[Question, ...],
) -> None:
    used = {q.source for q in questions if q.source}
    assert used == SEED_FILES


def test_chinese_volume_and_category_coverage(questions: tuple[Question, ...]) -> None:
    zh = [q for q in questions if q.language == "zh"]
    assert len(zh) >= 150
    counts = {cat: sum(1 for q in zh if q.category == cat) for cat in ZH_CATEGORIES}
    thin = {cat: n for cat, n in counts.items() if n < 5}
    assert not thin, f"categories with fewer than 5 Chinese questions: {thin}"


def test_chinese_text_is_simplified(questions: tuple[Question, ...]) -> None:
    to_simplified = opencc.OpenCC("t2s")
    traditional = [
        (qid, value)
        for qid, value in _chinese_strings(questions)
        if to_simplified.convert(value) != value
    ]
    assert not traditional, f"traditional characters: {traditional[:5]}"


_NUMBERING = re.compile(r"^\s*(?:\d+\s*[.、)）]|[（(]\d+[)）]|[-*•·]\s|[a-z]\.\s)")
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\u2b50\ufe0f]")


def test_no_markdown_numbering_or_emoji_left(questions: tuple[Question, ...]) -> None:
    leftovers = [
        (qid, value)
        for qid, value in _chinese_strings(questions)
        if "**" in value or "#" in value or _NUMBERING.match(value) or _EMOJI.search(value)
    ]
    assert not leftovers, f"markdown, numbering or emoji left in: {leftovers[:5]}"
