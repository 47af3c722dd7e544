"""The debrief at the end of a mock round: time, targets, key points, the costliest habit.

Pure: it reads finished reports (``kiosk.core.report.Report``) in round order. A round
question with no answer is *skipped*; follow-ups (追问) are listed under their question.

The habit that cost the most (docs/COACHING.md, "Round debrief") is the one that hit the
most answers: **overrun** (longer than the target's high end), **fillers** (more than
:data:`FILLERS_PER_MIN` counted per minute) or **pace** (the length verdict aside, a pace
outside the comfortable band). Ties go in that order: running over is what an interviewer
notices first. None when no answer shows any.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kiosk.core.figures import clock_text, target_text, verdict_text
from kiosk.core.report import Report
from kiosk.core.target import Target

FILLERS_PER_MIN = 4.0
"""Counted fillers per minute above which an answer shows the filler habit."""

HABITS = ("overrun", "fillers", "pace")
HABIT_NAMES = {
    "overrun": "running over the time target",
    "fillers": f"fillers (more than {FILLERS_PER_MIN:g} a minute counted)",
    "pace": "pace outside the comfortable band",
}


@dataclass(frozen=True, slots=True)
class RoundAnswer:
    """One question of the round as asked, with its report (None: skipped)."""

    step: str
    question: str
    target: Target
    report: Report | None
    follow_up: bool = False


@dataclass(frozen=True, slots=True)
class DebriefLine:
    step: str
    question: str
    follow_up: bool
    seconds: float | None
    target: Target
    timing: str
    """``within`` / ``short`` / ``over`` / ``skipped``."""
    coverage: str
    habits: tuple[str, ...]

    def time_text(self) -> str:
        """``0:24 (too short)``, ``1:10 (in range)`` or ``skipped``: the answer's length as
        every report writes it, and its timing in words."""
        if self.seconds is None:
            return "skipped"
        return f"{clock_text(self.seconds)} ({verdict_text(self.timing)})"


@dataclass(frozen=True, slots=True)
class Debrief:
    title: str
    lines: tuple[DebriefLine, ...]
    habit: str | None
    habit_count: int

    @property
    def total_s(self) -> float:
        return sum(line.seconds or 0.0 for line in self.lines)

    @property
    def answered(self) -> int:
        return sum(1 for line in self.lines if line.timing != "skipped")

    def habit_text(self) -> str:
        if self.habit is None:
            return "No habit stood out across the round."
        return (
            f"Cost the most: {HABIT_NAMES[self.habit]} — "
            f"{self.habit_count} of {self.answered} answers"
        )

    def to_markdown(self) -> str:
        out = [
            f"# Mock round debrief: {self.title}",
            "",
            f"- Total speaking time: {clock_text(self.total_s)} over {self.answered} answer(s)",
            f"- {self.habit_text()}",
            "",
            "| # | step | question | time | target | key points |",
            "|---|---|---|---|---|---|",
        ]
        for i, line in enumerate(self.lines, start=1):
            mark = "追问 follow-up: " if line.follow_up else ""
            out.append(
                f"| {i} | {_cell(line.step)} | {mark}{_cell(line.question)} | {line.time_text()} | "
                f"{target_text(line.target.low, line.target.high)} | {_cell(line.coverage)} |"
            )
        return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _habits(report: Report, target: Target) -> tuple[str, ...]:
    m = report.metrics
    found = []
    if m.length.duration_s > target.high:
        found.append("overrun")
    if m.fillers.per_minute > FILLERS_PER_MIN:
        found.append("fillers")
    if m.pace.verdict in ("slow", "fast"):
        found.append("pace")
    return tuple(found)


def _timing(seconds: float, target: Target) -> str:
    if seconds > target.high:
        return "over"
    if seconds < target.low:
        return "short"
    return "within"


def build_debrief(title: str, answers: Sequence[RoundAnswer]) -> Debrief:
    lines: list[DebriefLine] = []
    for a in answers:
        if a.report is None:
            lines.append(
                DebriefLine(a.step, a.question, a.follow_up, None, a.target, "skipped", "", ())
            )
            continue
        seconds = a.report.metrics.length.duration_s
        content = a.report.content
        coverage = content.summary() if content is not None else ""
        lines.append(
            DebriefLine(
                a.step,
                a.question,
                a.follow_up,
                seconds,
                a.target,
                _timing(seconds, a.target),
                coverage,
                _habits(a.report, a.target),
            )
        )
    counts = {h: sum(1 for line in lines if h in line.habits) for h in HABITS}
    best = max(HABITS, key=lambda h: (counts[h], -HABITS.index(h)))
    habit = best if counts[best] else None
    return Debrief(title, tuple(lines), habit, counts[best])
