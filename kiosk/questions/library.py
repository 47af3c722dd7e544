"""The loaded question library: every accepted bank and question, plus what was rejected.

Kept apart from the loader so screens and rounds can depend on the library's shape
without caring how files were found or parsed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kiosk.core.errors import BadInput, printable
from kiosk.questions.model import Bank, Question


class BankError(BadInput):
    """A problem in one bank file: ``str()`` is ``file:line: message`` (line when known).

    The message is one printable line whatever the file holds: control and bidi characters
    in the file name or the message are shown as escapes (``\\x1b``), never sent raw.
    """

    def __init__(
        self, path: str, message: str, line: int | None = None, question_id: str | None = None
    ) -> None:
        self.path = path
        self.line = line
        self.message = printable(message)
        self.question_id = question_id
        where = f"{printable(path)}:{line}" if line else printable(path)
        super().__init__(f"{where}: {self.message}")

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.path, "line": self.line, "id": self.question_id, "error": self.message}


@dataclass(frozen=True)
class Library:
    """Banks in load order; ``questions`` is every question of every bank, in order."""

    banks: tuple[Bank, ...] = ()
    errors: tuple[BankError, ...] = ()
    questions: tuple[Question, ...] = field(init=False, compare=False)
    _index: dict[str, Question] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        questions = tuple(q for bank in self.banks for q in bank.questions)
        object.__setattr__(self, "questions", questions)
        object.__setattr__(self, "_index", {q.id: q for q in questions})

    @property
    def languages(self) -> tuple[str, ...]:
        """Languages that have questions, most questions first."""
        counts: dict[str, int] = {}
        for q in self.questions:
            counts[q.language] = counts.get(q.language, 0) + 1
        return tuple(sorted(counts, key=lambda lang: -counts[lang]))

    def get(self, question_id: str) -> Question | None:
        return self._index.get(question_id)

    def bank(self, bank_id: str) -> Bank | None:
        return next((b for b in self.banks if b.id == bank_id), None)

    def by_category(self, language: str | None = None) -> dict[str, tuple[Question, ...]]:
        """Questions grouped by category (first-seen order), optionally of one language."""
        groups: dict[str, list[Question]] = {}
        for q in self.questions:
            if language is None or q.language == language:
                groups.setdefault(q.category, []).append(q)
        return {cat: tuple(qs) for cat, qs in groups.items()}

    def categories(self, language: str | None = None) -> list[tuple[str, int]]:
        """``[(category, number of questions)]`` in first-seen order."""
        return [(cat, len(qs)) for cat, qs in self.by_category(language).items()]

    def count(self, language: str | None = None) -> int:
        return sum(1 for q in self.questions if language is None or q.language == language)
