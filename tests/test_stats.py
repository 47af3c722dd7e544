"""``kiosk stats``: the progress summary from a shell, as text and as JSON."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.cli import main
from kiosk.core.target import Target
from kiosk.core.transcript import Span, Transcript, Word
from kiosk.questions.model import Kind, Question
from kiosk.store.database import Store
from tests.support.history import (
    START,
    StepClock,
    answer,
    content_history,
    improving_history,
    keep,
    zh_question,
)

EN_QUESTION = Question(
    id="en-project",
    bank_id="en-pm",
    language="en",
    category="Projects",
    kind=Kind.BEHAVIORAL,
    text="Tell me about a product you shipped.",
    target=Target(20, 40),
)


def en_answer(seconds: float, pace: float, fillers: int = 0) -> Transcript:
    """An English answer of one-word tokens at about ``pace`` words/min; the first
    ``fillers`` of every fourth word are "um,"."""
    n = max(2, round(pace * (seconds - 0.5) / 60))
    step = (seconds - 0.5) / n
    words = tuple(
        Word(
            "um," if i % 4 == 0 and i // 4 < fillers else "product",
            round(0.5 + i * step, 3),
            round(0.5 + i * step + step * 0.9, 3),
        )
        for i in range(n)
    )
    return Transcript("en", seconds + 0.5, words, (Span(words[0].start, words[-1].end),))


def mixed_history(store: Store, clock: StepClock) -> None:
    """Five Mandarin answers with few fillers, then five English ones with many: mixed
    together, the fillers would seem to get much worse and the pace to jump units."""
    for day in range(5):
        when = datetime(2026, 11, 1, 9, tzinfo=UTC) + timedelta(days=day)
        keep(store, clock, zh_question(), answer(30, 220, fillers=1), when=when)
    for day in range(5, 10):
        when = datetime(2026, 11, 1, 9, tzinfo=UTC) + timedelta(days=day)
        keep(store, clock, EN_QUESTION, en_answer(30, 140, fillers=6), when=when)


def test_text_summary_overall_and_per_category(capsys: pytest.CaptureFixture[str]) -> None:
    clock = StepClock()
    with Store.open(clock=clock) as store:
        improving_history(store, clock)
    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Mandarin (zh) · pace in chars/min\n")
    assert "English" not in out
    overall = out.split("\n  项目经历\n")[0]
    assert "Last 5 answers against the 5 before (10 in all)" in overall
    assert "fillers per minute: improved" in overall
    assert "answers on target: improved (20 % → 100 %)" in overall
    assert "Improved: pace, fillers per minute, answers on target." in overall
    assert "\n  项目经历\n" in out and "\n  求职动机\n" in out


def test_json_carries_the_figures_and_thresholds(capsys: pytest.CaptureFixture[str]) -> None:
    clock = StepClock()
    with Store.open(clock=clock) as store:
        improving_history(store, clock)
    assert main(["stats", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["window"] == 5 and data["thresholds"]["fillers"] == 1.0
    assert list(data["languages"]) == ["zh"]
    zh = data["languages"]["zh"]
    assert (zh["name"], zh["pace_unit"], zh["count"]) == ("Mandarin", "chars/min", 10)
    overall = zh["overall"]
    assert overall["count"] == 10 and sorted(overall["improved"]) == [
        "fillers",
        "on_target",
        "pace",
    ]
    pace = next(t for t in overall["trends"] if t["metric"] == "pace")
    assert pace["unit"] == "chars/min" and pace["recent"] < pace["earlier"]
    assert set(zh["categories"]) == {"项目经历", "求职动机"}
    assert zh["categories"]["项目经历"]["count"] == 5


def test_days_and_language_narrow_the_answers(capsys: pytest.CaptureFixture[str]) -> None:
    now = datetime.now(UTC)
    clock = StepClock(now - timedelta(days=40))
    with Store.open(clock=clock) as store:
        for day in range(4):  # long ago
            keep(store, clock, zh_question(), answer(30, 220), when=now - timedelta(days=40 - day))
        for day in range(4):
            keep(store, clock, zh_question(), answer(30, 220), when=now - timedelta(days=4 - day))
    assert main(["stats", "--json", "--days", "10"]) == 0
    assert json.loads(capsys.readouterr().out)["languages"]["zh"]["count"] == 4
    assert main(["stats", "--json", "--language", "en"]) == 0
    assert json.loads(capsys.readouterr().out)["languages"] == {}
    assert main(["stats", "--language", "en"]) == 0
    assert "No analysed answers in English (en) yet" in capsys.readouterr().out
    assert main(["stats"]) == 0
    assert "(8 in all)" in capsys.readouterr().out


def test_empty_history_and_bad_days(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats"]) == 0
    assert "No analysed answers yet" in capsys.readouterr().out
    assert main(["stats", "--days", "0"]) != 0
    assert "bad --days 0" in capsys.readouterr().err


@pytest.mark.parametrize("days", ["99999999999", "36501", "-3"])
def test_days_out_of_range_is_a_clear_error(days: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--days", days]) == 2
    err = capsys.readouterr().err
    assert err == f"kiosk: bad --days {days}: give a number of days from 1 to 36500\n"
    assert "Traceback" not in err and "OverflowError" not in err


def test_the_longest_look_back_works(capsys: pytest.CaptureFixture[str]) -> None:
    clock = StepClock(datetime.now(UTC))
    with Store.open(clock=clock) as store:
        keep(store, clock, zh_question(), answer(30, 220))
    assert main(["stats", "--json", "--days", "36500"]) == 0
    assert json.loads(capsys.readouterr().out)["languages"]["zh"]["count"] == 1


@pytest.mark.parametrize("language", ["fr", "ja", "auto"])
def test_unsupported_language_says_so(language: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--language", language]) == 2
    captured = capsys.readouterr()
    assert "No analysed answers" not in captured.out
    assert captured.err == (
        f"kiosk: language '{language}' is not supported: give zh (Mandarin) or en (English)\n"
    )


def test_language_codes_are_not_case_sensitive(capsys: pytest.CaptureFixture[str]) -> None:
    clock = StepClock()
    with Store.open(clock=clock) as store:
        mixed_history(store, clock)
    assert main(["stats", "--json", "--language", "ZH"]) == 0
    assert list(json.loads(capsys.readouterr().out)["languages"]) == ["zh"]


def test_languages_are_summarised_apart_never_mixed(capsys: pytest.CaptureFixture[str]) -> None:
    clock = StepClock()
    with Store.open(clock=clock) as store:
        mixed_history(store, clock)
    assert main(["stats", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)["languages"]
    assert list(data) == ["zh", "en"]
    for code, unit in (("zh", "chars/min"), ("en", "words/min")):
        group = data[code]
        assert (group["count"], group["pace_unit"]) == (5, unit)
        trends = {t["metric"]: t for t in group["overall"]["trends"]}
        # each language on its own is steady: same pace, same fillers in every answer
        assert trends["pace"]["unit"] == unit and trends["pace"]["verdict"] == "steady"
        assert trends["fillers"]["verdict"] == "steady"
        assert group["overall"]["worse"] == [] and group["overall"]["improved"] == []

    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    zh, en = out.split("\n\n")
    assert zh.startswith("Mandarin (zh) · pace in chars/min\n")
    assert en.startswith("English (en) · pace in words/min\n")
    assert "words/min" not in zh and "chars/min" not in en
    assert "(5 in all)" in zh and "(5 in all)" in en and "(10 in all)" not in out
    assert out.count("Got worse: nothing.") == 4  # 2 languages × (overall + 1 category)

    assert main(["stats", "--language", "en"]) == 0
    only = capsys.readouterr().out
    assert only.startswith("English (en)") and "Mandarin" not in only


def test_what_was_said_overall_and_per_category_with_its_counts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    clock = StepClock()
    with Store.open(clock=clock) as store:
        content_history(store, clock)
    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    overall, project = out.split("\n  项目经历\n")
    project, motivation = project.split("\n  求职动机\n")
    assert (
        "    What was said, last 5 answers against the 5 before (10 checked):\n"
        "      key points covered: improved (4 of 18 → 13 of 17, 22 % → 76 %)\n"
        "      structure signals heard (STAR): improved (7 of 18 → 11 of 12, 39 % → 92 %)\n"
        "      structure signals heard (总分总): improved (2 of 6 → 8 of 9, 33 % → 89 %)\n"
    ) in overall + "\n"
    assert "19 of 21" not in out, "STAR and 总分总 signals are never pooled together"
    assert "What was said, last 2 answers against the 2 before (5 checked):" in project
    assert "key points covered: improved (3 of 8 → 7 of 8, 38 % → 88 %)" in project
    assert "structure signals heard (STAR): improved (6 of 12 → 11 of 12, 50 % → 92 %)" in project
    assert "key points covered: improved (2 of 6 → 5 of 6, 33 % → 83 %)" in motivation
    assert "structure signals heard (总分总): improved (3 of 6 → 6 of 6" in motivation
    assert "STAR" not in motivation


def test_json_carries_the_content_counts_per_category(capsys: pytest.CaptureFixture[str]) -> None:
    clock = StepClock()
    with Store.open(clock=clock) as store:
        content_history(store, clock)
    assert main(["stats", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["thresholds"]["key_points"] == data["thresholds"]["structure"] == 0.15
    zh = data["languages"]["zh"]
    content = zh["overall"]["content"]
    assert (content["count"], content["window"]) == (10, 5)
    points, star, zongfenzong = content["trends"]
    assert points["metric"] == "key_points" and points["verdict"] == "improved"
    assert points["frame"] is None
    assert points["earlier"] == {"covered": 4, "checked": 18, "share": 4 / 18}
    assert points["recent"] == {"covered": 13, "checked": 17, "share": 13 / 17}
    assert (star["metric"], star["frame"]) == ("structure", "star")
    assert star["recent"] == {"found": 11, "checked": 12, "share": 11 / 12}
    assert (zongfenzong["frame"], zongfenzong["earlier"]["checked"]) == ("zongfenzong", 6)
    project = zh["categories"]["项目经历"]["content"]
    assert project["window"] == 2 and project["trends"][0]["recent"]["covered"] == 7
    assert [t["frame"] for t in project["trends"]] == [None, "star"]


def test_no_content_review_yet_is_said_once(capsys: pytest.CaptureFixture[str]) -> None:
    clock = StepClock()
    with Store.open(clock=clock) as store:
        improving_history(store, clock)
    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    line = "    What was said: no answers with key points or structure checked yet.\n"
    assert out.count(line) == 1 and out.index(line) < out.index("\n  项目经历\n")
    assert main(["stats", "--json"]) == 0
    zh = json.loads(capsys.readouterr().out)["languages"]["zh"]
    assert zh["overall"]["content"] == {"count": 0, "window": 0, "trends": []}


@pytest.fixture
def zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Set the system time zone (POSIX TZ strings, no tz database needed)."""

    def use(tz: str) -> None:
        monkeypatch.setenv("TZ", tz)
        time.tzset()

    before = os.environ.get("TZ")
    yield use
    if before is None:
        monkeypatch.delenv("TZ", raising=False)
    else:
        monkeypatch.setenv("TZ", before)
    time.tzset()


def test_what_was_said_week_by_week_in_local_weeks(
    capsys: pytest.CaptureFixture[str], zone: Callable[[str], None]
) -> None:
    clock = StepClock()
    with Store.open(clock=clock) as store:
        content_history(store, clock)  # 09:00 UTC on Sunday 1 November and the 9 days after
    zone("UTC")
    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    overall, project = out.split("\n  项目经历\n")
    project, motivation = project.split("\n  求职动机\n")
    assert (
        "    What was said by week (answers with a content review; local ISO weeks):\n"
        "      week            answers  key points      structure\n"
        "      2026-W44 10-26        1  0 of 4, 0 %     STAR 1 of 6, 17 %\n"
        "      2026-W45 11-02        7  10 of 24, 42 %  STAR 11 of 18, 61 %\n"
        "                                               总分总 7 of 12, 58 %\n"
        "      2026-W46 11-09        2  7 of 7, 100 %   STAR 6 of 6, 100 %\n"
        "                                               总分总 3 of 3, 100 %\n"
    ) in overall + "\n"
    assert max(len(line) for line in overall.splitlines() if "W4" in line) <= 80
    assert "    What was said by week:\n" in project
    assert "      2026-W45 11-02        3  6 of 12, 50 %  STAR 11 of 18, 61 %" in project
    assert "      2026-W46 11-09        1  4 of 4, 100 %  STAR 6 of 6, 100 %" in project
    assert "      2026-W45 11-02        4  4 of 12, 33 %  总分总 7 of 12, 58 %" in motivation
    assert "STAR" not in motivation.split("What was said by week:")[1]

    # twelve hours west of Greenwich, 09:00 UTC is 21:00 the day before: the weeks move
    zone("XXX+12")
    assert main(["stats"]) == 0
    overall = capsys.readouterr().out.split("\n  项目经历\n")[0]
    assert "      2026-W44 10-26        2  0 of 7, 0 %     STAR 1 of 6, 17 %\n" in overall
    assert "                                               总分总 1 of 3, 33 %\n" in overall
    assert "      2026-W46 11-09        1  3 of 3, 100 %   总分总 3 of 3, 100 %" in overall


def test_json_carries_the_weeks_of_every_group(
    capsys: pytest.CaptureFixture[str], zone: Callable[[str], None]
) -> None:
    clock = StepClock()
    with Store.open(clock=clock) as store:
        content_history(store, clock)
        keep(store, clock, zh_question(), answer(30, 220), when=START + timedelta(days=15))
    zone("UTC")
    assert main(["stats", "--json"]) == 0
    zh = json.loads(capsys.readouterr().out)["languages"]["zh"]
    weeks = zh["overall"]["weeks"]
    assert [(w["week"], w["monday"], w["answers"], w["reviewed"]) for w in weeks] == [
        ("2026-W44", "2026-10-26", 1, 1),
        ("2026-W45", "2026-11-02", 7, 7),
        ("2026-W46", "2026-11-09", 2, 2),
        ("2026-W47", "2026-11-16", 1, 0),  # an answer without a content review
    ]
    assert weeks[1]["key_points"] == {"covered": 10, "checked": 24, "share": 10 / 24}
    assert weeks[1]["structure"] == [
        {"frame": "star", "found": 11, "checked": 18, "share": 11 / 18},
        {"frame": "zongfenzong", "found": 7, "checked": 12, "share": 7 / 12},
    ]
    assert weeks[3]["structure"] == [] and weeks[3]["key_points"]["share"] is None
    motivation = zh["categories"]["求职动机"]["weeks"]
    assert [w["week"] for w in motivation] == ["2026-W45", "2026-W46"]
    assert {s["frame"] for w in motivation for s in w["structure"]} == {"zongfenzong"}


def test_no_week_table_without_a_content_review(capsys: pytest.CaptureFixture[str]) -> None:
    clock = StepClock()
    with Store.open(clock=clock) as store:
        improving_history(store, clock)
    assert main(["stats"]) == 0
    assert "by week" not in capsys.readouterr().out
    assert main(["stats", "--json"]) == 0
    zh = json.loads(capsys.readouterr().out)["languages"]["zh"]
    assert [w["reviewed"] for w in zh["overall"]["weeks"]] == [0, 0, 0]
