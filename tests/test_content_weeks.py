"""What was said week by week (pure): local ISO weeks, pooled counts, structure per frame."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from kiosk.core.content_weeks import (
    RECENT_WEEKS,
    Week,
    by_week,
    local_week,
    week_table,
    weeks_by_category,
)
from kiosk.core.progress import Sample
from tests.test_content_progress import s as sample

BEIJING = timezone(timedelta(hours=8))
NEW_YORK_WINTER = timezone(timedelta(hours=-5))


def at(
    local: datetime,
    covered: int | None = 2,
    checked: int | None = 4,
    found: int | None = 3,
    signals: int | None = 6,
    frame: str | None = "star",
    category: str = "项目经历",
) -> Sample:
    """An answer given at the aware ``local`` moment, stored as the history stores it
    (UTC with its offset)."""
    stamp = local.astimezone(UTC).isoformat(timespec="seconds")
    answer = sample(
        covered,
        checked,
        found,
        signals,
        category,
        partly=0 if covered is not None else None,
        frame=frame if signals is not None else None,
    )
    return replace(answer, created_at=stamp)


def plain(local: datetime, category: str = "项目经历") -> Sample:
    """An answer without a content review."""
    return at(local, None, None, None, None, None, category)


@pytest.fixture
def local_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The system time zone set to UTC+8 (POSIX TZ, no tz database needed)."""
    before = os.environ.get("TZ")
    monkeypatch.setenv("TZ", "CST-8")
    time.tzset()
    yield
    if before is None:
        monkeypatch.delenv("TZ")
    else:
        monkeypatch.setenv("TZ", before)
    time.tzset()


def test_sunday_2359_and_monday_0000_local_fall_in_two_weeks() -> None:
    # Beijing: both moments are on Sunday 29 November in UTC, a week apart in local time
    sunday = datetime(2026, 11, 29, 23, 59, tzinfo=BEIJING)
    monday = datetime(2026, 11, 30, 0, 0, tzinfo=BEIJING)
    assert local_week(at(sunday).created_at, BEIJING) == Week(2026, 48)
    assert local_week(at(monday).created_at, BEIJING) == Week(2026, 49)
    assert at(sunday).created_at[:10] == at(monday).created_at[:10] == "2026-11-29"
    # New York: both are on Monday in UTC, yet the first is still Sunday where the user is
    sunday = datetime(2026, 11, 29, 23, 59, tzinfo=NEW_YORK_WINTER)
    monday = datetime(2026, 11, 30, 0, 0, tzinfo=NEW_YORK_WINTER)
    assert local_week(at(sunday).created_at, NEW_YORK_WINTER).label == "2026-W48"
    assert local_week(at(monday).created_at, NEW_YORK_WINTER).label == "2026-W49"
    weeks = by_week([at(sunday), at(monday)], NEW_YORK_WINTER)
    assert [(w.week.label, w.week.monday, w.answers) for w in weeks] == [
        ("2026-W48", date(2026, 11, 23), 1),
        ("2026-W49", date(2026, 11, 30), 1),
    ]


def test_without_a_zone_the_system_time_zone_decides(local_zone: None) -> None:
    late_sunday_utc = "2026-11-29T16:30:00+00:00"  # Monday 00:30 in UTC+8
    assert local_week(late_sunday_utc) == Week(2026, 49)
    assert local_week(late_sunday_utc, UTC) == Week(2026, 48)
    # a stamp without an offset is UTC, as the store writes it
    assert local_week("2026-11-29T16:30:00") == Week(2026, 49)


def test_iso_weeks_cross_the_new_year_by_iso_year() -> None:
    new_year = local_week("2027-01-01T12:00:00+00:00", UTC)
    assert (new_year.label, new_year.monday) == ("2026-W53", date(2026, 12, 28))
    assert local_week("2025-12-29T12:00:00+00:00", UTC).label == "2026-W01"


def test_empty_input_gives_nothing() -> None:
    assert by_week([]) == [] and weeks_by_category([]) == {}
    assert week_table([]) == []


def test_counts_are_pooled_per_week_and_answers_without_review_only_counted() -> None:
    monday = datetime(2026, 11, 2, 9, tzinfo=UTC)
    answers = [
        at(monday, 1, 4, 2, 6),
        at(monday + timedelta(days=2), 4, 4, 6, 6),
        plain(monday + timedelta(days=3)),
        at(monday + timedelta(days=7), 0, 0, 1, 6),  # a question without key points
        plain(monday + timedelta(days=14)),  # a week of free answers only
    ]
    first, second, third = by_week(answers, UTC)
    assert (first.answers, first.reviewed) == (3, 2)
    assert first.key_points.text() == "5 of 8" and first.key_points.share == 5 / 8
    assert [(f, t.text()) for f, t in first.structure] == [("star", "8 of 12")]
    assert second.key_points.text() == "0 of 0" and second.key_points.share is None
    assert (third.answers, third.reviewed, third.structure) == (1, 0, ())
    assert third.as_dict() == {
        "week": "2026-W47",
        "monday": "2026-11-16",
        "answers": 1,
        "reviewed": 0,
        "key_points": {"covered": 0, "checked": 0, "share": None},
        "structure": [],
    }
    # the table shows the weeks with a reviewed answer and counts those answers
    assert week_table(by_week(answers, UTC)) == [
        "week            answers  key points    structure",
        "2026-W45 11-02        2  5 of 8, 62 %  STAR 8 of 12, 67 %",
        "2026-W46 11-09        1  —             STAR 1 of 6, 17 %",
    ]


def test_frames_are_never_added_together() -> None:
    monday = datetime(2026, 11, 2, 9, tzinfo=UTC)
    answers = [
        at(monday, found=1, signals=1, frame="reverse"),
        at(monday, found=2, signals=3, frame="zongfenzong"),
        at(monday, found=5, signals=6, frame="star"),
        at(monday, found=4, signals=6, frame="star"),
        at(monday, covered=3, checked=4, found=None, signals=None),  # no frame for its kind
    ]
    (week,) = by_week(answers, UTC)
    assert [(f, t.text()) for f, t in week.structure] == [
        ("star", "9 of 12"),
        ("zongfenzong", "2 of 3"),
        ("reverse", "1 of 1"),
    ]
    assert week.as_dict()["structure"][1] == {
        "frame": "zongfenzong",
        "found": 2,
        "checked": 3,
        "share": 2 / 3,
    }
    assert week_table([week]) == [
        "week            answers  key points      structure",
        "2026-W45 11-02        5  11 of 20, 55 %  STAR 9 of 12, 75 %",
        "                                         总分总 2 of 3, 67 %",
        "                                         reverse question 1 of 1, 100 %",
    ]


def test_each_category_has_its_own_weeks() -> None:
    monday = datetime(2026, 11, 2, 9, tzinfo=UTC)
    answers = [
        at(monday, 1, 3, category="项目经历"),
        at(monday, 2, 3, 2, 3, "zongfenzong", category="求职动机"),
        at(monday + timedelta(days=7), 3, 3, category="项目经历"),
        plain(monday, category="自我介绍"),
    ]
    groups = weeks_by_category(answers, UTC)
    assert list(groups) == ["项目经历", "求职动机", "自我介绍"]
    assert [(w.week.label, w.key_points.text()) for w in groups["项目经历"]] == [
        ("2026-W45", "1 of 3"),
        ("2026-W46", "3 of 3"),
    ]
    assert [(f, t.text()) for f, t in groups["求职动机"][0].structure] == [
        ("zongfenzong", "2 of 3")
    ]
    assert week_table(groups["自我介绍"]) == [], "no reviewed answer: no table"
    # overall, the same week pools both categories' key points
    assert by_week(answers, UTC)[0].key_points.text() == "3 of 6"


def test_the_table_keeps_the_latest_weeks_most_recent_last() -> None:
    first = datetime(2026, 1, 5, 9, tzinfo=UTC)
    answers = [at(first + timedelta(weeks=i), i % 4, 4) for i in range(RECENT_WEEKS + 3)]
    table = week_table(by_week(answers, UTC))
    assert table[0] == "(3 earlier week(s) not shown)"
    rows = table[2:]
    assert len(rows) == RECENT_WEEKS
    assert rows[0].startswith("2026-W05 01-26") and rows[-1].startswith("2026-W12 03-16")
    assert len(week_table(by_week(answers, UTC), last=20)) == RECENT_WEEKS + 4
