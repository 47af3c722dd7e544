"""Progress trends (pure): windows, thresholds, the pace band, per category, comparisons."""

from __future__ import annotations

import pytest

from kiosk.core.progress import (
    THRESHOLDS,
    Measure,
    Sample,
    band_distance,
    by_category,
    compare,
    rolling_rate,
    summarize,
    window_size,
)


def s(
    pace: float | None = 220.0,
    fillers: float | None = 2.0,
    verdict: str | None = "within",
    category: str = "项目经历",
    unit: str = "chars/min",
) -> Sample:
    return Sample("2026-11-01T09:00:00+00:00", category, "zh", pace, unit, fillers, verdict)


def trend(samples: list[Sample], metric: str) -> tuple[str, float | None, float | None]:
    t = next(x for x in summarize(samples).trends if x.metric == metric)
    return t.verdict, t.earlier, t.recent


@pytest.mark.parametrize(
    ("count", "window"), [(0, 0), (3, 0), (4, 2), (7, 3), (9, 4), (10, 5), (25, 5)]
)
def test_window_is_five_or_half_the_history(count: int, window: int) -> None:
    assert window_size(count) == window


def test_too_few_answers_say_so() -> None:
    summary = summarize([s(), s(), s()])
    assert summary.window == 0 and summary.trends == ()
    assert "practise a few more" in summary.lines()[0]


def test_fewer_fillers_is_improvement_beyond_the_threshold_only() -> None:
    before, after = [s(fillers=5.0)] * 5, [s(fillers=3.0)] * 5
    assert trend(before + after, "fillers") == ("improved", 5.0, 3.0)
    assert trend(after + before, "fillers")[0] == "worse"
    small = 5.0 - THRESHOLDS["fillers"] / 2
    assert trend(before + [s(fillers=small)] * 5, "fillers")[0] == "steady"


def test_only_the_last_two_windows_count() -> None:
    old_bad = [s(fillers=20.0)] * 10
    steady = [s(fillers=2.0)] * 10
    assert trend(old_bad + steady, "fillers") == ("steady", 2.0, 2.0)


def test_pace_is_judged_by_distance_from_the_band_not_by_direction() -> None:
    fast_to_ok = [s(pace=300.0)] * 5 + [s(pace=240.0)] * 5
    slow_to_ok = [s(pace=120.0)] * 5 + [s(pace=200.0)] * 5
    inside = [s(pace=190.0)] * 5 + [s(pace=250.0)] * 5  # both comfortable
    assert trend(fast_to_ok, "pace")[0] == "improved"
    assert trend(slow_to_ok, "pace")[0] == "improved"
    assert trend(inside, "pace")[0] == "steady"
    assert trend(list(reversed(fast_to_ok)), "pace")[0] == "worse"


def test_pace_compares_only_the_main_unit() -> None:
    zh = [s(pace=300.0)] * 3 + [s(pace=220.0)] * 3
    en = [s(pace=400.0, unit="words/min")] * 4  # would look awful in chars/min
    samples = zh[:3] + en[:2] + zh[3:] + en[2:]
    verdict, earlier, recent = trend(samples, "pace")
    assert (earlier, recent) == (300.0, 220.0) and verdict == "improved"


def test_on_target_rate_ignores_answers_without_a_target() -> None:
    samples = [s(verdict="too_long")] * 4 + [s(verdict=None)] + [s(verdict="within")] * 5
    verdict, earlier, recent = trend(samples, "on_target")
    assert verdict == "improved" and earlier == 0.0 and recent == 1.0


def test_summary_lines_name_what_improved_and_what_did_not() -> None:
    samples = [s(fillers=6.0, verdict="within")] * 5 + [s(fillers=1.0, verdict="too_long")] * 5
    text = "\n".join(summarize(samples).lines())
    assert "Improved: fillers per minute." in text
    assert "Got worse: answers on target." in text
    assert "100 % → 0 %" in text


def test_per_category_summaries_are_separate() -> None:
    a = [s(fillers=6.0, category="A")] * 2 + [s(fillers=1.0, category="A")] * 2
    b = [s(fillers=1.0, category="B")] * 2 + [s(fillers=6.0, category="B")] * 2
    groups = by_category([x for pair in zip(a, b, strict=True) for x in pair])
    assert [t.verdict for t in groups["A"].trends if t.metric == "fillers"] == ["improved"]
    assert [t.verdict for t in groups["B"].trends if t.metric == "fillers"] == ["worse"]


def test_rolling_rate_skips_answers_without_target() -> None:
    assert rolling_rate([None, True, False, None, True], width=2) == [None, 1.0, 0.5, 0.5, 0.5]


def test_band_distance() -> None:
    assert band_distance(220, "chars/min") == 0
    assert band_distance(300, "chars/min") == 40
    assert band_distance(100, "words/min") == 20


def test_compare_marks_better_and_worse() -> None:
    before = Measure(50.0, (20.0, 40.0), 300.0, "chars/min", 6.0, 3)
    after = Measure(35.0, (20.0, 40.0), 240.0, "chars/min", 6.2, 5)
    marks = {d.metric: d.mark for d in compare(before, after)}
    assert marks == {"duration": "better", "pace": "better", "fillers": "", "pauses": "worse"}
    back = {d.metric: d.mark for d in compare(after, before)}
    assert back == {"duration": "worse", "pace": "worse", "fillers": "", "pauses": "better"}
    changes = {d.metric: d.change for d in compare(before, after)}
    assert changes["duration"] == -15.0 and changes["pauses"] == 2.0


def test_compare_does_not_judge_pace_across_units() -> None:
    before = Measure(30.0, None, 150.0, "words/min", 1.0, 1)
    after = Measure(30.0, None, 300.0, "chars/min", 1.0, 1)
    pace = next(d for d in compare(before, after) if d.metric == "pace")
    assert pace.better is None and pace.change is None


def test_chart_ticks_are_whole_answer_numbers_ending_at_the_last() -> None:
    from kiosk.ui.screens.progress import answer_ticks

    assert answer_ticks(1, 1) == [1]
    assert answer_ticks(1, 5) == [1, 2, 3, 4, 5]
    assert answer_ticks(1, 10) == [1, 3, 5, 7, 10]  # 9 would crowd 10
    assert answer_ticks(3, 40) == [3, 11, 19, 27, 35, 40]
    for first, last in [(1, 2), (1, 13), (5, 99), (1, 200)]:
        ticks = answer_ticks(first, last)
        assert ticks[0] == first and ticks[-1] == last and len(ticks) <= 6
        assert ticks == sorted(set(ticks))
