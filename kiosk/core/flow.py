"""The answer flow as data: for each kind of practice, where each step leads.

An answer goes question → recording → processing → report; from the report the user
retries, answers a follow-up, moves to the next question or (at the end of a mock round)
opens the debrief. Each kind of practice has its own table of these moves:

* **single** — a question, or a group of questions chosen on the home screen;
* **drill** — a timed self-introduction: one question, no follow-ups, retried for deltas;
* **round** — a mock interview: the next question, and the debrief after the last one;
* **follow-up** — a chain of follow-ups (追问) inside a single practice or a round: each
  follow-up's report offers the next one, so every follow-up of a chain is reachable;
  leaving the chain (next question, skip, debrief) is the practice's own move.

A screen reports *what happened* (an :class:`Outcome`); :func:`route` looks up the next
:class:`Step` in the tables, and the UI shows the screen for it. A move missing from the
tables is not offered: its key is hidden. Pure: no UI, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """What is being practised; each kind has its table (:data:`FLOWS`)."""

    SINGLE = "single"
    DRILL = "drill"
    ROUND = "round"
    FOLLOW_UP = "follow_up"


class Step(StrEnum):
    """Where the user is (or goes next)."""

    QUESTION = "question"
    """The question shown and read aloud (the same one, or the follow-up chosen)."""
    NEXT_QUESTION = "next_question"
    """The practice's next question."""
    RECORDING = "recording"
    PROCESSING = "processing"
    REPORT = "report"
    DEBRIEF = "debrief"
    HOME = "home"


class Outcome(StrEnum):
    """What happened on a step: a key the user pressed, or work that finished."""

    ANSWER = "answer"
    """Question: the user starts answering."""
    SKIP = "skip"
    """Question: on to the next question without answering."""
    RECORDED = "recorded"
    """Recording: an answer (or what was kept of it) is on disk, to be analysed."""
    AGAIN = "again"
    """Recording: the microphone failed; open it again."""
    BACK = "back"
    """Recording or processing: back to the question (cancelled, or to answer again)."""
    ANALYSED = "analysed"
    """Processing: the report is ready."""
    RETRY = "retry"
    """Report: answer the same question again."""
    FOLLOW_UP = "follow_up"
    """Report: answer the follow-up on offer."""
    NEXT = "next"
    """Report: the next question."""
    DEBRIEF = "debrief"
    """Report: the round's debrief."""
    HOME = "home"
    """Anywhere: leave the practice."""


Move = tuple[Step, Outcome]
Table = Mapping[Move, Step]


@dataclass(frozen=True)
class Flow:
    """One kind's moves: ``moves`` always, ``at_end`` instead on the practice's last
    question (a target of None there: the move is not offered at the end)."""

    kind: Kind
    moves: Table
    at_end: Mapping[Move, Step | None] = field(default_factory=dict)

    def lookup(self, step: Step, outcome: Outcome, *, last: bool) -> tuple[bool, Step | None]:
        """(whether this kind decides the move, where it leads: None when not offered)."""
        move = (step, outcome)
        if last and move in self.at_end:
            return True, self.at_end[move]
        if move in self.moves:
            return True, self.moves[move]
        return False, None


# --- the pieces every table is built from ----------------------------------------------------

ANSWERING: Table = {
    (Step.QUESTION, Outcome.ANSWER): Step.RECORDING,
    (Step.QUESTION, Outcome.HOME): Step.HOME,
    (Step.RECORDING, Outcome.RECORDED): Step.PROCESSING,
    (Step.RECORDING, Outcome.AGAIN): Step.RECORDING,
    (Step.RECORDING, Outcome.BACK): Step.QUESTION,
    (Step.PROCESSING, Outcome.ANALYSED): Step.REPORT,
    (Step.PROCESSING, Outcome.BACK): Step.QUESTION,
    (Step.PROCESSING, Outcome.HOME): Step.HOME,
    (Step.REPORT, Outcome.RETRY): Step.QUESTION,
    (Step.REPORT, Outcome.HOME): Step.HOME,
}
"""One answer to one question, and trying it again."""

MOVING_ON: Table = {
    (Step.QUESTION, Outcome.SKIP): Step.NEXT_QUESTION,
    (Step.REPORT, Outcome.NEXT): Step.NEXT_QUESTION,
}
MOVING_ON_AT_END: Mapping[Move, Step | None] = {
    (Step.QUESTION, Outcome.SKIP): Step.HOME,
    (Step.REPORT, Outcome.NEXT): None,
}
"""After the last question there is no next one: skipping it ends the practice."""

FOLLOWING_UP: Table = {
    (Step.REPORT, Outcome.FOLLOW_UP): Step.QUESTION,
}
"""From a report to the follow-up on offer (the screen offers it only when there is one)."""

DEBRIEFING: Mapping[Move, Step | None] = {
    (Step.REPORT, Outcome.DEBRIEF): Step.DEBRIEF,
}
"""After the last question of a round, its debrief."""

FLOWS: Mapping[Kind, Flow] = {
    Kind.SINGLE: Flow(Kind.SINGLE, {**ANSWERING, **MOVING_ON, **FOLLOWING_UP}, MOVING_ON_AT_END),
    Kind.DRILL: Flow(
        Kind.DRILL,
        {**ANSWERING, (Step.QUESTION, Outcome.SKIP): Step.HOME},
    ),
    Kind.ROUND: Flow(
        Kind.ROUND,
        {**ANSWERING, **MOVING_ON, **FOLLOWING_UP, (Step.DEBRIEF, Outcome.HOME): Step.HOME},
        {**MOVING_ON_AT_END, **DEBRIEFING},
    ),
    Kind.FOLLOW_UP: Flow(Kind.FOLLOW_UP, {**ANSWERING, **FOLLOWING_UP}),
}
"""Every kind's table. A drill has one question and no follow-ups; a follow-up chain
answers and retries its follow-ups and offers the next one, and leaves the rest to the
practice it is part of."""


def kinds(practice: Kind, *, follow_up: bool = False) -> tuple[Kind, ...]:
    """The tables that decide, first to last: a follow-up's chain, then its practice."""
    if follow_up and practice is not Kind.DRILL:
        return (Kind.FOLLOW_UP, practice)
    return (practice,)


def route(
    tables: Sequence[Kind], step: Step, outcome: Outcome, *, last: bool = False
) -> Step | None:
    """Where ``outcome`` on ``step`` leads (None: not offered). ``tables`` come from
    :func:`kinds`; ``last`` says the current question is the practice's last."""
    for kind in tables:
        decided, target = FLOWS[kind].lookup(step, outcome, last=last)
        if decided:
            return target
    return None


def offered(tables: Sequence[Kind], step: Step, *, last: bool = False) -> frozenset[Outcome]:
    """Every outcome that leads somewhere from ``step`` (the keys a screen shows)."""
    return frozenset(o for o in Outcome if route(tables, step, o, last=last) is not None)
