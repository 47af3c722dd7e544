"""Questions and store states shared by the store, history CLI and recovery tests.

The same two bank questions (one Mandarin, one English) run through these tests; only the
RAG question's target differs, because each test module measures against its own.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.core.target import Target
from kiosk.questions.model import Kind, Question
from kiosk.store.database import Store

ZH_WORDS = ["嗯，", "我", "觉得", "RAG", "适合", "知识", "更新", "快的", "场景。"]


def rag(target: Target) -> Question:
    """The Mandarin knowledge question about RAG and fine-tuning, with ``target``."""
    return Question(
        id="zh-llm-rag-01",
        bank_id="zh-ai-pm",
        language="zh",
        category="大模型认知",
        kind=Kind.KNOWLEDGE,
        text="RAG 和微调分别适合什么场景？",
        target=target,
    )


INTRO = Question(
    id="en-intro-01",
    bank_id="en-pm",
    language="en",
    category="Self-introduction",
    kind=Kind.INTRO,
    text="Tell me about yourself.",
    target=Target(60, 120),
)


def zh_intro(qid: str, text: str, target: Target) -> Question:
    """A Mandarin self-introduction question from the basics bank."""
    return Question(
        id=qid,
        bank_id="zh-basics",
        language="zh",
        category="自我介绍",
        kind=Kind.INTRO,
        text=text,
        target=target,
    )


def interrupted_attempt(store: Store, question: Question, wav: Path) -> int:
    """An attempt whose recording process died after writing a copy of ``wav``."""
    path = store.new_recording_path(question.id)
    attempt_id = store.begin_attempt(question, path)
    path.write_bytes(wav.read_bytes())
    with store._tx() as conn:
        conn.execute("UPDATE attempts SET pid = NULL WHERE id = ?", (attempt_id,))
    return attempt_id
