"""One answer of the history as a listing row: ``kiosk history`` and the booth's history
table show the same cells, written by :mod:`kiosk.core.figures`.

The figures (length, pace, fillers, verdict, key points covered) are what a row is for, so
they always keep their room; the question takes what is left. Below :data:`WIDE` cells the
language column, the filler rate and the partly covered key points are left out (the
language filter and the review still have them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.core.figures import (
    MISSING,
    clock_text,
    fillers_cell,
    key_points_cell,
    pace_text,
    verdict_text,
    when_text,
)

if TYPE_CHECKING:
    from kiosk.store.database import Attempt

WIDE = 100
"""Terminal cells from which a listing has room for the language and the filler rate."""

COLUMNS = ("#", "when", "question", "lang", "len", "pace", "fillers", "verdict", "key points")
NARROW_COLUMNS = tuple(c for c in COLUMNS if c != "lang")
NARROW_HEADERS = {"key points": "pts"}
"""Headers shortened below :data:`WIDE` cells, so an 80-column row keeps every figure."""


def columns(width: int) -> tuple[str, ...]:
    """The columns a listing ``width`` cells wide shows."""
    return COLUMNS if width >= WIDE else NARROW_COLUMNS


def header(name: str, width: int) -> str:
    """The header of column ``name`` in a listing ``width`` cells wide."""
    return name if width >= WIDE else NARROW_HEADERS.get(name, name)


def question_of(a: Attempt) -> str:
    return a.question_text or a.question_id or "(free answer)"


def verdict_of(a: Attempt) -> str:
    """The length verdict in words; the status for an answer not analysed (``recorded``)."""
    if a.length_verdict:
        return verdict_text(a.length_verdict)
    return a.status if a.status != "analysed" else MISSING


@dataclass(frozen=True, slots=True)
class Row:
    """The cells of one answer, by column name."""

    cells: dict[str, str]

    def values(self, names: tuple[str, ...]) -> list[str]:
        return [self.cells[name] for name in names]


def row(a: Attempt, *, wide: bool = True) -> Row:
    """``a``'s cells: the answer's length (as its report shows it), the headline pace, the
    filler count (with its rate when ``wide``), the verdict in words and the key points
    covered of those checked (with the partly covered when ``wide``)."""
    return Row(
        {
            "#": str(a.id),
            "when": when_text(a.created_at),
            "question": question_of(a),
            "lang": a.language or MISSING,
            "len": clock_text(a.answer_s),
            "pace": pace_text(a.pace, a.pace_unit),
            "fillers": fillers_cell(a.fillers_total, a.fillers_per_min if wide else None),
            "verdict": verdict_of(a),
            "key points": key_points_cell(
                a.key_points_covered, a.key_points_checked, a.key_points_partly if wide else None
            ),
        }
    )
