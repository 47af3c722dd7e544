"""Timing drills (pure): targets, lengths typed by the user, budget, cues, the cut at the
target and the comparison of takes."""

from __future__ import annotations

import pytest

from kiosk.core.drills import (
    DrillTake,
    best_take,
    budget,
    compare_takes,
    countdown,
    cue,
    drill_target,
    drill_verdict,
    parse_seconds,
    split_at_target,
)
from kiosk.core.metrics import compute_metrics
from kiosk.core.report import Report
from kiosk.core.transcript import Transcript, Word


def test_target_is_the_last_tenth_up_to_the_limit() -> None:
    t = drill_target(60)
    assert (t.low, t.high) == (54.0, 60.0)
    with pytest.raises(ValueError, match="outside"):
        drill_target(2)


@pytest.mark.parametrize(
    ("text", "seconds"), [("45", 45), ("75s", 75), ("1:15", 75), ("2m", 120), (" 90 ", 90)]
)
def test_lengths_as_people_type_them(text: str, seconds: float) -> None:
    assert parse_seconds(text) == seconds


@pytest.mark.parametrize("text", ["", "abc", "1", "20:00"])
def test_bad_lengths_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_seconds(text)


def test_budget_follows_the_stated_comfortable_pace() -> None:
    zh, en = budget(60, "zh"), budget(90, "en")
    assert (zh.units, zh.unit) == (220, "字")
    assert (en.units, en.unit) == (210, "words")
    assert budget(30, "zh").text() == "≈ 110 字 at 220 chars/min"


@pytest.mark.parametrize(
    ("elapsed", "expected"),
    [(0, "speaking"), (19.9, "speaking"), (20, "wrap_up"), (30, "time"), (31, "over")],
)
def test_cues_at_ten_seconds_before_and_at_the_target(elapsed: float, expected: str) -> None:
    assert cue(elapsed, 30) == expected


def test_countdown_turns_into_overrun() -> None:
    assert countdown(0, 90) == "1:30"
    assert countdown(29.2, 30) == "0:01"
    assert countdown(30, 30) == "+0:00"
    assert countdown(42.7, 30) == "+0:12"


def report_over(target_s: float) -> Report:
    words = tuple(Word(f"字{i}", i * 1.0 + 0.1, i * 1.0 + 0.9) for i in range(20))
    t = Transcript("zh", 20.5, words)
    return Report(t, compute_metrics(t, drill_target(target_s)))


def test_split_at_target_uses_the_metrics_marker() -> None:
    split = split_at_target(report_over(12))
    assert split.first_over_word == 12  # the first word ending after 12 s starts at 12.1 s
    assert split.in_time.endswith("字11") and split.overrun.startswith("字12")
    assert split.over_by_s == pytest.approx(19.9 - 12, abs=0.01)  # last word ends at 19.9 s


def test_an_answer_in_time_has_no_overrun() -> None:
    split = split_at_target(report_over(30))
    assert split.first_over_word is None and split.overrun == "" and split.over_by_s == 0


def spoken_for(seconds: float, target_s: float) -> Report:
    """A take of a ``target_s`` drill whose words run for ``seconds``."""
    words = tuple(Word(f"字{i}", i * 1.0 + 0.1, i * 1.0 + 0.9) for i in range(int(seconds)))
    t = Transcript("zh", seconds + 0.5, words)
    return Report(t, compute_metrics(t, drill_target(target_s)))


@pytest.mark.parametrize(
    ("seconds", "target_s", "verdict", "tone"),
    [
        (24, 60, "too_short", "warn"),  # a 24 s take of a 1-minute drill
        (53, 60, "too_short", "warn"),
        (57, 60, "within", "good"),
        (20, 12, "too_long", "bad"),
    ],
)
def test_the_drill_verdict_agrees_with_the_length_verdict(
    seconds: float, target_s: float, verdict: str, tone: str
) -> None:
    report = spoken_for(seconds, target_s)
    said = drill_verdict(report, target_s)
    assert said.verdict == report.metrics.length.verdict == verdict
    assert said.tone == tone
    assert ("Finished in time" in said.text) == (verdict == "within")


def test_a_short_take_says_how_much_time_was_left() -> None:
    said = drill_verdict(spoken_for(24, 60), 60)
    assert said.text == "Too short: 0:36 of the time unused (finish within 0:54–1:00)."
    assert drill_verdict(spoken_for(20, 12), 12).text == "Over by 7.9 s"


def take(i: int, duration: float, fillers: float = 2.0) -> DrillTake:
    return DrillTake(i, 60.0, duration, fillers, 220.0)


def test_best_is_closest_to_target_then_fewest_fillers() -> None:
    takes = [take(1, 75), take(2, 58, 4.0), take(3, 62, 1.0), take(4, 40)]
    assert best_take(takes) == takes[2]
    assert best_take([]) is None


def test_deltas_against_previous_and_best() -> None:
    earlier = [take(1, 61, 1.0), take(2, 80, 5.0)]
    previous, best = compare_takes(take(3, 66, 3.0), earlier)
    assert previous is not None and best is not None
    assert previous.other.attempt_id == 2 and previous.closer_s == 14
    assert previous.fillers_per_min == -2.0
    assert best.other.attempt_id == 1 and best.closer_s == -5
    assert "5.0 s further from the target" in best.text("best")
    assert compare_takes(take(1, 60), []) == (None, None)
