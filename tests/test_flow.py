"""The answer flow as data (``kiosk.core.flow``): each kind of practice × step → next step.

Pure tables, no terminal: the walks the booth's Pilot tests take (tests/test_ui.py,
test_drill_ui.py, test_questions_rounds.py, test_followups.py) are checked here move by move.
"""

from __future__ import annotations

import pytest

from kiosk.core.flow import FLOWS, Kind, Outcome, Step, kinds, offered, route

ANSWER_WALK = (
    (Step.QUESTION, Outcome.ANSWER, Step.RECORDING),
    (Step.RECORDING, Outcome.RECORDED, Step.PROCESSING),
    (Step.PROCESSING, Outcome.ANALYSED, Step.REPORT),
    (Step.REPORT, Outcome.RETRY, Step.QUESTION),
)
GOING_BACK = (
    (Step.RECORDING, Outcome.AGAIN, Step.RECORDING),  # the microphone failed: open it again
    (Step.RECORDING, Outcome.BACK, Step.QUESTION),
    (Step.PROCESSING, Outcome.BACK, Step.QUESTION),  # cancelled, or answer again
    (Step.QUESTION, Outcome.HOME, Step.HOME),
    (Step.PROCESSING, Outcome.HOME, Step.HOME),
    (Step.REPORT, Outcome.HOME, Step.HOME),
)


@pytest.mark.parametrize("kind", [Kind.SINGLE, Kind.DRILL, Kind.ROUND])
@pytest.mark.parametrize("last", [False, True])
def test_every_practice_answers_and_retries_a_question(kind: Kind, last: bool) -> None:
    for step, outcome, target in (*ANSWER_WALK, *GOING_BACK):
        assert route((kind,), step, outcome, last=last) is target, (kind, step, outcome)


def test_a_single_practice_moves_through_its_questions_and_ends_home() -> None:
    single = (Kind.SINGLE,)
    assert route(single, Step.REPORT, Outcome.NEXT) is Step.NEXT_QUESTION
    assert route(single, Step.QUESTION, Outcome.SKIP) is Step.NEXT_QUESTION
    assert route(single, Step.REPORT, Outcome.NEXT, last=True) is None, "no next question"
    assert route(single, Step.QUESTION, Outcome.SKIP, last=True) is Step.HOME
    assert route(single, Step.REPORT, Outcome.DEBRIEF, last=True) is None, "rounds only"
    assert route(single, Step.REPORT, Outcome.FOLLOW_UP) is Step.QUESTION


def test_a_drill_is_one_question_without_follow_ups() -> None:
    drill = (Kind.DRILL,)
    assert offered(drill, Step.REPORT, last=True) == {Outcome.RETRY, Outcome.HOME}
    assert route(drill, Step.QUESTION, Outcome.SKIP, last=True) is Step.HOME
    assert kinds(Kind.DRILL, follow_up=True) == (Kind.DRILL,), "no chain in a drill"


def test_a_round_ends_on_its_debrief() -> None:
    round_ = (Kind.ROUND,)
    assert Outcome.DEBRIEF not in offered(round_, Step.REPORT, last=False)
    assert offered(round_, Step.REPORT, last=False) >= {Outcome.NEXT, Outcome.FOLLOW_UP}
    at_end = offered(round_, Step.REPORT, last=True)
    assert Outcome.DEBRIEF in at_end and Outcome.NEXT not in at_end
    assert route(round_, Step.REPORT, Outcome.DEBRIEF, last=True) is Step.DEBRIEF
    assert route(round_, Step.DEBRIEF, Outcome.HOME) is Step.HOME


@pytest.mark.parametrize("practice", [Kind.SINGLE, Kind.ROUND])
def test_every_follow_up_of_a_chain_is_reachable(practice: Kind) -> None:
    chain = kinds(practice, follow_up=True)
    assert chain == (Kind.FOLLOW_UP, practice)
    # the question's report → follow-up 1 → its report → follow-up 2 → …
    assert route((practice,), Step.REPORT, Outcome.FOLLOW_UP) is Step.QUESTION
    for step, outcome, target in ANSWER_WALK:
        assert route(chain, step, outcome) is target
    assert route(chain, Step.REPORT, Outcome.FOLLOW_UP) is Step.QUESTION
    assert route(chain, Step.REPORT, Outcome.FOLLOW_UP, last=True) is Step.QUESTION


def test_leaving_a_chain_is_the_practice_s_move() -> None:
    in_single = kinds(Kind.SINGLE, follow_up=True)
    assert route(in_single, Step.REPORT, Outcome.NEXT) is Step.NEXT_QUESTION
    assert route(in_single, Step.REPORT, Outcome.NEXT, last=True) is None
    assert route(in_single, Step.REPORT, Outcome.DEBRIEF, last=True) is None
    in_round = kinds(Kind.ROUND, follow_up=True)
    assert route(in_round, Step.REPORT, Outcome.DEBRIEF, last=True) is Step.DEBRIEF
    assert route(in_round, Step.QUESTION, Outcome.SKIP, last=True) is Step.HOME


@pytest.mark.parametrize("kind", list(Kind))
def test_every_step_of_a_kind_is_reached_from_its_question(kind: Kind) -> None:
    """No dead table entries: walking the moves from the question reaches every step the
    table leads to, and every step it leaves from."""
    flow = FLOWS[kind]
    moves = {**flow.moves, **{m: t for m, t in flow.at_end.items() if t is not None}}
    seen, todo = {Step.QUESTION}, [Step.QUESTION]
    while todo:
        here = todo.pop()
        for (step, _), target in moves.items():
            there = Step.QUESTION if target is Step.NEXT_QUESTION else target
            if step is here and there not in seen:
                seen.add(there)
                todo.append(there)
    assert {step for step, _ in moves} <= seen
    assert {t for t in moves.values() if t is not Step.NEXT_QUESTION} <= seen


def test_nothing_leads_nowhere() -> None:
    for kind in (Kind.SINGLE, Kind.DRILL, Kind.ROUND):
        for last in (False, True):
            for step in Step:
                for outcome in offered((kind,), step, last=last):
                    assert route((kind,), step, outcome, last=last) in set(Step)
    assert offered((Kind.SINGLE,), Step.HOME) == frozenset(), "home is left from its own screen"
