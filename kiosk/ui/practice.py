"""A practice run: the ordered questions the user chose on the home screen.

Kept apart from the screens so "next question", "retry" and "answer the follow-up" are plain
value operations that the tests can reason about without a terminal. Where each step of an
answer leads is the practice's kind's table (``kiosk.core.flow``): :meth:`Practice.route`
and :meth:`Practice.moves` look it up for the question being answered.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Protocol

from kiosk.core.flow import Kind, Outcome, Step, kinds, offered, route
from kiosk.core.target import Target
from kiosk.ui.parts import NO_PARTS, Parts

if TYPE_CHECKING:
    from kiosk.core.debrief import Debrief
    from kiosk.core.followups import FollowUp
    from kiosk.core.report import Report


class QuestionLike(Protocol):
    """The parts of ``kiosk.questions.model.Question`` the booth reads."""

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
    """One question as put to the user; a follow-up (追问) points at its parent.

    A follow-up also carries its chain: the follow-ups asked so far (``chain``), the words
    said so far in answer to the question and them (``heard``), and the key points the
    first answer missed (``missed``), so the next follow-up listens to all of it.
    """

    question: QuestionLike
    text: str
    spoken: str
    follow_up_of: str | None = None
    chain: tuple[str, ...] = ()
    heard: tuple[str, ...] = ()
    missed: tuple[str, ...] = ()

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

    def follow_ups(self, report: Report) -> list[FollowUp]:
        """The follow-ups that may come after ``report`` (this question's answer), best
        first: chosen from the bank or filled from what was said (``kiosk.core.followups``)."""
        from kiosk.core.followups import candidates

        return candidates(
            self.question.follow_ups,
            self._heard(report),
            question=self.question.text,
            content=report.content,
            missed=self.missed,
            language=self.language,
            asked=self.chain,
        )

    def follow_up(self, chosen: FollowUp, report: Report) -> Asked:
        """The follow-up ``chosen`` after ``report``, asked with the parent's target."""
        from kiosk.core.followups import missed_points

        return replace(
            self,
            text=chosen.text,
            spoken=chosen.text,
            follow_up_of=self.question.id,
            chain=(*self.chain, chosen.text),
            heard=self._heard(report),
            missed=self.missed or missed_points(report.content),
        )

    def _heard(self, report: Report) -> tuple[str, ...]:
        return (*self.heard, *(w.text for w in report.transcript.words))


@dataclass(frozen=True, slots=True)
class Practice:
    """A titled list of questions and the position of the current one.

    ``kind`` picks the flow's table; a practice with round ``steps`` is a mock round.
    ``parts`` are what this kind of practice adds to the answer screens (the drill's).
    """

    title: str
    questions: tuple[QuestionLike, ...]
    index: int = 0
    session_id: int | None = None
    """The history's session for a mock round (None otherwise)."""
    steps: tuple[str, ...] = ()
    """A mock round's step label for each question (empty for other practice)."""
    answers: tuple[tuple[Asked, Report], ...] = ()
    """The latest report of each question and follow-up answered so far, in order."""
    kind: Kind = Kind.SINGLE
    parts: Parts = field(default=NO_PARTS, compare=False)

    def __post_init__(self) -> None:
        if self.steps and self.kind is Kind.SINGLE:
            object.__setattr__(self, "kind", Kind.ROUND)

    @property
    def is_round(self) -> bool:
        return self.kind is Kind.ROUND

    @property
    def last(self) -> bool:
        """The current question is the last one."""
        return self.index + 1 >= len(self.questions)

    def route(self, asked: Asked, step: Step, outcome: Outcome) -> Step | None:
        """Where ``outcome`` on ``step`` of answering ``asked`` leads (None: not offered)."""
        tables = kinds(self.kind, follow_up=asked.follow_up_of is not None)
        return route(tables, step, outcome, last=self.last)

    def moves(self, asked: Asked, step: Step) -> frozenset[Outcome]:
        """Every outcome offered on ``step`` of answering ``asked``."""
        tables = kinds(self.kind, follow_up=asked.follow_up_of is not None)
        return offered(tables, step, last=self.last)

    def with_answer(self, asked: Asked, report: Report) -> Practice:
        """The run with ``report`` as the answer to ``asked`` (a retry replaces the last)."""
        kept = tuple(
            (a, r)
            for a, r in self.answers
            if (a.question.id, a.text) != (asked.question.id, asked.text)
        )
        return replace(self, answers=(*kept, (asked, report)))

    def debrief(self) -> Debrief:
        """The round so far: every question in order (unanswered: skipped), its
        follow-ups under it."""
        from kiosk.core.debrief import RoundAnswer, build_debrief

        rows: list[RoundAnswer] = []
        for i, q in enumerate(self.questions):
            step = self.steps[i] if i < len(self.steps) else q.category
            mine = [(a, r) for a, r in self.answers if a.question.id == q.id]
            main = next((r for a, r in mine if a.follow_up_of is None), None)
            rows.append(RoundAnswer(step, q.text, q.target, main))
            rows.extend(
                RoundAnswer(step, a.text, a.target, r, follow_up=True)
                for a, r in mine
                if a.follow_up_of is not None
            )
        return build_debrief(self.title, rows)

    @property
    def current(self) -> Asked:
        return Asked.of(self.questions[self.index])

    @property
    def position(self) -> str:
        return f"{self.index + 1}/{len(self.questions)}"

    def next(self) -> Practice | None:
        """The run moved on by one question, or None at the end."""
        if self.last:
            return None
        return replace(self, index=self.index + 1)
