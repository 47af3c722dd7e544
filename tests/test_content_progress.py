"""Content progress (pure): key points covered and structure signals heard across answers,
pooled as counts, in the delivery trends' windows, per category, as plot series."""

from __future__ import annotations

from kiosk.core.content_progress import (
    CONTENT_THRESHOLDS,
    EMPTY,
    content_by_category,
    frame_tallies,
    frames_text,
    rolling_share,
    share_series,
    summarize_content,
    tally,
)
from kiosk.core.progress import Sample


def s(
    covered: int | None = 2,
    checked: int | None = 4,
    found: int | None = 3,
    signals: int | None = 6,
    category: str = "项目经历",
    partly: int | None = 0,
    frame: str | None = None,
) -> Sample:
    return Sample(
        "2026-11-01T09:00:00+00:00",
        category,
        "zh",
        220.0,
        "chars/min",
        1.0,
        "within",
        key_points_covered=covered,
        key_points_partly=partly,
        key_points_checked=checked,
        structure_found=found,
        structure_checked=signals,
        structure_frame=frame,
    )


def plain(category: str = "项目经历") -> Sample:
    """An answer without a content review (a free answer, or one saved before reviews)."""
    return s(None, None, None, None, category=category, partly=None)


def trend(samples: list[Sample], metric: str) -> tuple[str, str, str]:
    t = next(x for x in summarize_content(samples).trends if x.metric == metric)
    return t.verdict, t.earlier.text(), t.recent.text()


def test_counts_are_pooled_not_averaged() -> None:
    # 1 of 2 and 4 of 4: 5 of 6 (83 %), not the mean of 50 % and 100 %
    assert tally([s(1, 2), s(4, 4)], "key_points").text() == "5 of 6"
    assert tally([s(1, 2), s(4, 4)], "key_points").share == 5 / 6
    # a question without key points (0 checked) and an answer without review add nothing
    assert tally([s(0, 0), plain(), s(2, 4)], "key_points").text() == "2 of 4"


def test_windows_compare_the_latest_reviewed_answers_with_the_ones_before() -> None:
    answers = [s(1, 4, 2, 6)] * 5 + [plain()] * 3 + [s(4, 4, 5, 6)] * 5
    summary = summarize_content(answers)
    assert (summary.count, summary.window) == (10, 5), "answers without review are left out"
    assert trend(answers, "key_points") == ("improved", "5 of 20", "20 of 20")
    assert trend(answers, "structure") == ("improved", "10 of 30", "25 of 30")
    assert summary.lines() == [
        "What was said, last 5 answers against the 5 before (10 checked):",
        "  key points covered: improved (5 of 20 → 20 of 20, 25 % → 100 %)",
        "  structure signals heard: improved (10 of 30 → 25 of 30, 33 % → 83 %)",
    ]


def test_a_change_counts_only_beyond_fifteen_points() -> None:
    assert CONTENT_THRESHOLDS == {"key_points": 0.15, "structure": 0.15}
    steady = [s(5, 10)] * 2 + [s(6, 10)] * 2  # 50 % → 60 %
    assert trend(steady, "key_points")[0] == "steady"
    worse = [s(8, 10)] * 2 + [s(6, 10)] * 2  # 80 % → 60 %
    assert trend(worse, "key_points")[0] == "worse"


def test_too_few_answers_say_so_in_words() -> None:
    assert summarize_content([]).lines() == [f"What was said: {EMPTY}."]
    assert summarize_content([plain()] * 6).lines() == [f"What was said: {EMPTY}."]
    three = summarize_content([s()] * 3)
    assert three.window == 0 and "practise a few more" in three.lines()[0]
    # reviewed answers with structure but no key points: key points are "too few"
    no_points = [s(0, 0, 2, 3)] * 2 + [s(0, 0, 3, 3)] * 2
    assert trend(no_points, "key_points")[0] == "too_few"
    assert "  key points covered: not enough answers with key points yet" in (
        summarize_content(no_points).lines()
    )


def test_each_category_on_its_own_with_a_brief_line() -> None:
    answers = []
    for i in range(4):
        answers += [s(i, 3, i, 3, category="项目经历"), s(1, 3, 1, 3, category="求职动机")]
    answers.append(plain("自我介绍"))
    groups = content_by_category(answers)
    assert list(groups) == ["项目经历", "求职动机", "自我介绍"]
    assert groups["项目经历"].brief() == (
        "key points improved (1 of 6 → 5 of 6), structure improved (1 of 6 → 5 of 6)"
    )
    assert groups["求职动机"].brief().startswith("key points steady (2 of 6 → 2 of 6)")
    assert groups["自我介绍"].brief() == EMPTY


def test_series_for_the_plots_keep_the_answer_numbers() -> None:
    answers = [s(1, 4), plain(), s(3, 4), s(0, 0), s(4, 4)]
    assert share_series(answers, "key_points") == [(1, 25.0), (3, 75.0), (5, 100.0)]
    assert rolling_share(answers, "key_points", width=2) == [(1, 25.0), (3, 50.0), (5, 87.5)]
    assert share_series(answers, "structure")[0] == (1, 50.0)


def test_structure_is_pooled_within_a_frame_never_across() -> None:
    star, zfz, reverse = (
        s(found=5, signals=6, frame="star"),
        s(found=1, signals=3, frame="zongfenzong"),
        s(found=1, signals=1, frame="reverse"),
    )
    mixed = [reverse, zfz, star, s(found=4, signals=6, frame="star"), plain()]
    tallies = frame_tallies(mixed)
    assert list(tallies) == ["star", "zongfenzong", "reverse"], "STAR, 总分总, reverse"
    assert [t.text() for t in tallies.values()] == ["9 of 12", "1 of 3", "1 of 1"]
    assert (
        frames_text(tallies)
        == "STAR 9 of 12, 75 % · 总分总 1 of 3, 33 % · reverse question 1 of 1, 100 %"
    )
    assert frames_text({}) == "—"
    # an answer whose frame is not known is kept apart and named by nothing
    assert frames_text(frame_tallies([s(found=2, signals=4)])) == "2 of 4, 50 %"


def test_each_frame_gets_its_own_structure_trend_in_the_same_windows() -> None:
    earlier = [s(found=1, signals=6, frame="star"), s(found=2, signals=3, frame="zongfenzong")] * 2
    recent = [s(found=6, signals=6, frame="star"), s(found=2, signals=3, frame="zongfenzong")] * 2
    summary = summarize_content(earlier + recent)
    assert summary.window == 4
    assert [(t.metric, t.frame) for t in summary.trends] == [
        ("key_points", None),
        ("structure", "star"),
        ("structure", "zongfenzong"),
    ]
    assert summary.lines()[2:] == [
        "  structure signals heard (STAR): improved (2 of 12 → 12 of 12, 17 % → 100 %)",
        "  structure signals heard (总分总): steady (4 of 6 → 4 of 6, 67 % → 67 %)",
    ]
    assert summary.brief().endswith(
        "structure (STAR) improved (2 of 12 → 12 of 12), "
        "structure (总分总) steady (4 of 6 → 4 of 6)"
    )
    assert summary.as_dict()["trends"][1]["frame"] == "star"
    # a frame seen once in a window has too few answers, however many the others have
    once = [*earlier, *recent, s(found=1, signals=1, frame="reverse")]
    assert summarize_content(once, window=4).trends[-1].sentence() == (
        "structure signals heard (reverse question): not enough answers with structure checked yet"
    )


def test_a_category_of_one_frame_names_it() -> None:
    answers = [s(i, 3, i, 3, category="求职动机", frame="zongfenzong") for i in range(4)]
    brief = content_by_category(answers)["求职动机"].brief()
    assert (
        brief
        == "key points improved (1 of 6 → 5 of 6), structure (总分总) improved (1 of 6 → 5 of 6)"
    )


def test_without_any_structure_checked_one_structure_trend_says_too_few() -> None:
    answers = [s(2, 4, None, None)] * 4
    trends = summarize_content(answers).trends
    assert [(t.metric, t.frame, t.verdict) for t in trends[1:]] == [("structure", None, "too_few")]
