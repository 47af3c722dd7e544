"""What the history hands out: attempts, sessions, progress points, and query filters.

Plain frozen values, so screens and commands can keep them, compare them and pass them to
worker threads without holding the database. :class:`AttemptFilter` is the one place that
turns "bank X, category Y, since a date" into SQL, shared by every listing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from kiosk.core.drills import DrillTake
from kiosk.core.progress import Measure, Sample
from kiosk.core.target import Target

Status = Literal["recording", "recorded", "analysed", "recovered", "failed"]
STATUSES: tuple[Status, ...] = ("recording", "recorded", "analysed", "recovered", "failed")


class QuestionLike(Protocol):
    """What the store needs to know about a question (``kiosk.questions.model.Question`` fits)."""

    @property
    def id(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def bank_id(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def language(self) -> str: ...
    @property
    def target(self) -> Target: ...


@dataclass(frozen=True, slots=True)
class Attempt:
    """One practised answer as stored. ``audio_path`` is relative to the store's directory."""

    id: int
    created_at: str
    status: Status
    question_id: str | None
    question_text: str | None
    bank_id: str | None
    category: str | None
    kind: str | None
    language: str | None
    target_low: float | None
    target_high: float | None
    audio_path: str | None
    duration_s: float | None
    sample_rate: int | None
    report_json: str | None
    note: str | None
    session_id: int | None
    pid: int | None
    proc_start: str | None
    pace_value: float | None
    pace_unit: str | None
    fillers_total: int | None
    fillers_per_min: float | None
    pauses_count: int | None
    longest_pause_s: float | None
    length_verdict: str | None
    pace_span_value: float | None = None
    key_points_covered: int | None = None
    key_points_partly: int | None = None
    key_points_checked: int | None = None
    """Key points covered + partly + missing (0: the question has none; None: no review)."""
    structure_found: int | None = None
    structure_checked: int | None = None
    """Structure signals checked for the question's kind (None: no frame, or no review)."""
    structure_frame: str | None = None

    @property
    def target(self) -> Target | None:
        if self.target_low is None or self.target_high is None:
            return None
        return Target(self.target_low, self.target_high)

    @property
    def report_dict(self) -> dict[str, Any] | None:
        return None if self.report_json is None else dict(json.loads(self.report_json))

    @property
    def pace(self) -> float | None:
        """The overall pace (first to last word), or the speaking pace for old rows."""
        return self.pace_span_value if self.pace_span_value is not None else self.pace_value

    @property
    def answer_s(self) -> float | None:
        """How long the answer ran as its length verdict judged it (recording start to the
        end of the last speech); the recording's length when there is no report."""
        data = self.report_dict or {}
        length = data.get("length") if isinstance(data.get("length"), dict) else {}
        value = length.get("duration_s") if length else None
        return float(value) if value is not None else self.duration_s

    def measure(self) -> Measure:
        """The numbers a side-by-side comparison looks at."""
        target = self.target
        return Measure(
            duration_s=self.answer_s,
            target=None if target is None else (target.low, target.high),
            pace=self.pace,
            pace_unit=self.pace_unit,
            fillers_per_min=self.fillers_per_min,
            pauses=self.pauses_count,
        )

    def drill_take(self) -> DrillTake | None:
        """This attempt as a timing-drill take (None without a length or a target)."""
        length = self.answer_s
        if length is None or self.target_high is None:
            return None
        return DrillTake(self.id, self.target_high, length, self.fillers_per_min, self.pace)


@dataclass(frozen=True, slots=True)
class ProgressPoint:
    """One analysed attempt on the progress chart."""

    attempt_id: int
    created_at: str
    language: str | None
    question_id: str | None
    pace_value: float | None
    pace_unit: str | None
    fillers_per_min: float | None
    length_verdict: str | None
    category: str | None = None
    bank_id: str | None = None
    duration_s: float | None = None
    pauses_count: int | None = None
    target_high: float | None = None
    pace_span_value: float | None = None
    key_points_covered: int | None = None
    key_points_partly: int | None = None
    key_points_checked: int | None = None
    structure_found: int | None = None
    structure_checked: int | None = None
    structure_frame: str | None = None

    def sample(self) -> Sample:
        """This attempt as the progress trends see it."""
        pace = self.pace_span_value if self.pace_span_value is not None else self.pace_value
        return Sample(
            created_at=self.created_at,
            category=self.category,
            language=self.language,
            pace=pace,
            pace_unit=self.pace_unit,
            fillers_per_min=self.fillers_per_min,
            length_verdict=self.length_verdict,
            key_points_covered=self.key_points_covered,
            key_points_partly=self.key_points_partly,
            key_points_checked=self.key_points_checked,
            structure_found=self.structure_found,
            structure_checked=self.structure_checked,
            structure_frame=self.structure_frame,
        )


ATTEMPT_COLUMNS = tuple(Attempt.__dataclass_fields__)
PROGRESS_COLUMNS = (
    "id", "created_at", "language", "question_id", "pace_value", "pace_unit",
    "fillers_per_min", "length_verdict", "category", "bank_id", "duration_s",
    "pauses_count", "target_high", "pace_span_value", "key_points_covered",
    "key_points_partly", "key_points_checked", "structure_found", "structure_checked",
    "structure_frame",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Planned:
    """One question a mock round put (or was to put), in order."""

    id: str
    text: str
    step: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "text": self.text, "step": self.step}


@dataclass(frozen=True, slots=True)
class Session:
    """A mock round: several questions answered one after another."""

    id: int
    created_at: str
    title: str | None
    plan: tuple[Planned, ...] = ()
    """The round's questions in order (empty for rounds kept before version 5)."""

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> Session:
        """From ``SELECT id, created_at, title, plan``; a plan that cannot be read is none."""
        session_id, created_at, title, plan = row
        try:
            items = json.loads(plan) if plan else []
            planned = tuple(
                Planned(str(i["id"]), str(i["text"]), str(i.get("step", ""))) for i in items
            )
        except (ValueError, TypeError, KeyError):
            planned = ()
        return cls(session_id, created_at, title, planned)


@dataclass(frozen=True, slots=True)
class AttemptFilter:
    """Which attempts to list; ``None`` fields do not filter.

    ``since`` and ``until`` are ISO 8601 instants or dates compared as text with
    ``created_at`` (UTC ISO), so ``until="2026-11-24"`` means before that day starts.
    """

    bank_id: str | None = None
    category: str | None = None
    question_id: str | None = None
    language: str | None = None
    status: Status | None = None
    session_id: int | None = None
    since: str | None = None
    until: str | None = None

    def where(self) -> tuple[str, tuple[object, ...]]:
        """A ``WHERE …`` clause (or ``""``) and its parameters."""
        equal = {
            "bank_id": self.bank_id,
            "category": self.category,
            "question_id": self.question_id,
            "language": self.language,
            "status": self.status,
            "session_id": self.session_id,
        }
        clauses = [f"{name} = ?" for name, value in equal.items() if value is not None]
        params: tuple[object, ...] = tuple(v for v in equal.values() if v is not None)
        if self.since is not None:
            clauses.append("created_at >= ?")
            params += (self.since,)
        if self.until is not None:
            clauses.append("created_at < ?")
            params += (self.until,)
        return ("WHERE " + " AND ".join(clauses) if clauses else ""), params


@dataclass(frozen=True, slots=True)
class Facets:
    """The distinct values present in the history, for filter menus."""

    banks: tuple[str, ...]
    categories: tuple[str, ...]
    questions: tuple[tuple[str, str], ...]
    """(question id, question text), most recently answered first."""
    languages: tuple[str, ...]
