"""``kiosk stats``: the progress summary from a shell, as text and as JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.cli import main
from kiosk.store import Store
from tests.support.history import StepClock, answer, improving_history, keep, zh_question


def test_text_summary_overall_and_per_category(capsys: pytest.CaptureFixture[str]) -> None:
    clock = StepClock()
    with Store.open(clock=clock) as store:
        improving_history(store, clock)
    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    overall = out.split("\n\n")[0]
    assert "Last 5 answers against the 5 before (10 in all)" in overall
    assert "fillers per minute: improved" in overall
    assert "answers on target: improved (20 % → 100 %)" in overall
    assert "Improved: pace, fillers per minute, answers on target." in overall
    assert "\n项目经历\n" in out and "\n求职动机\n" in out


def test_json_carries_the_figures_and_thresholds(capsys: pytest.CaptureFixture[str]) -> None:
    clock = StepClock()
    with Store.open(clock=clock) as store:
        improving_history(store, clock)
    assert main(["stats", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["window"] == 5 and data["thresholds"]["fillers"] == 1.0
    overall = data["overall"]
    assert overall["count"] == 10 and sorted(overall["improved"]) == [
        "fillers",
        "on_target",
        "pace",
    ]
    pace = next(t for t in overall["trends"] if t["metric"] == "pace")
    assert pace["unit"] == "chars/min" and pace["recent"] < pace["earlier"]
    assert set(data["categories"]) == {"项目经历", "求职动机"}
    assert data["categories"]["项目经历"]["count"] == 5


def test_days_and_language_narrow_the_answers(capsys: pytest.CaptureFixture[str]) -> None:
    now = datetime.now(UTC)
    clock = StepClock(now - timedelta(days=40))
    with Store.open(clock=clock) as store:
        for day in range(4):  # long ago
            keep(store, clock, zh_question(), answer(30, 220), when=now - timedelta(days=40 - day))
        for day in range(4):
            keep(store, clock, zh_question(), answer(30, 220), when=now - timedelta(days=4 - day))
    assert main(["stats", "--json", "--days", "10"]) == 0
    assert json.loads(capsys.readouterr().out)["overall"]["count"] == 4
    assert main(["stats", "--json", "--language", "en"]) == 0
    assert json.loads(capsys.readouterr().out)["overall"]["count"] == 0
    assert main(["stats"]) == 0
    assert "(8 in all)" in capsys.readouterr().out


def test_empty_history_and_bad_days(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats"]) == 0
    assert "No analysed answers yet" in capsys.readouterr().out
    assert main(["stats", "--days", "0"]) != 0
    assert "bad --days 0" in capsys.readouterr().err
