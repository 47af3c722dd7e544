"""A practice run: the ordered questions the user chose on the home screen.

Kept apart from the screens so "next question", "retry" and "answer the follow-up" are plain
value operations that the tests can reason about without a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

from kiosk.core.target import Target


class QuestionLike(Protocol):
    """The parts of ``questions.model.Question`` the booth reads."""

    @property
    def id(self) -> str: ...
    @property
    def bank_id(self) -> str: ...
    @property
    def language(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def spoken(self) -> str: ...
    @property
    def target(self) -> Target: ...
    @property
    def follow_ups(self) -> tuple[str, ...]: ...
    @property
    def tags(self) -> tuple[str, ...]: ...


@dataclass(frozen=True, slots=True)
class Asked:
    """One question as put to the user; a follow-up (追问) points at its parent."""

    question: QuestionLike
    text: str
    spoken: str
    follow_up_of: str | None = None

    @classmethod
    def of(cls, question: QuestionLike) -> Asked:
        return cls(question=question, text=question.text, spoken=question.spoken)

    @property
    def id(self) -> str:
        q = self.question.id
        return f"{q}-followup" if self.follow_up_of else q

    @property
    def language(self) -> str:
        return self.question.language

    @property
    def bank_id(self) -> str:
        return self.question.bank_id

    @property
    def category(self) -> str:
        return self.question.category

    @property
    def kind(self) -> str:
        return "follow_up" if self.follow_up_of else str(self.question.kind)

    @property
    def target(self) -> Target:
        return self.question.target

    def follow_up(self) -> Asked | None:
        """The first follow-up question, asked with the parent's target; None if none."""
        if self.follow_up_of or not self.question.follow_ups:
            return None
        text = self.question.follow_ups[0]
        return replace(self, text=text, spoken=text, follow_up_of=self.question.id)


@dataclass(frozen=True, slots=True)
class Practice:
    """A titled list of questions and the position of the current one."""

    title: str
    questions: tuple[QuestionLike, ...]
    index: int = 0
    session_id: int | None = None
    """The history's session for a mock round (None otherwise)."""

    @property
    def current(self) -> Asked:
        return Asked.of(self.questions[self.index])

    @property
    def position(self) -> str:
        return f"{self.index + 1}/{len(self.questions)}"

    def next(self) -> Practice | None:
        """The run moved on by one question, or None at the end."""
        if self.index + 1 >= len(self.questions):
            return None
        return replace(self, index=self.index + 1)
