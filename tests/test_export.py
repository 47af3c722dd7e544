"""``kiosk export``: JSON that reads back as the same report, Markdown with the marks,
whole mock rounds, private files, and clear refusals."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.core.report import Report
from kiosk.output.export import FOLLOW_UP_MARK, SKIPPED_MARK, export_text, history_csv
from kiosk.store.database import Store
from tests.support.history import MOTIVATION, StepClock, answer, keep, zh_question


def kept_over_target(store: Store, clock: StepClock) -> int:
    # 50 s against 20–40 s, three 嗯, a 1.5 s pause before word 5.
    return keep(store, clock, zh_question(), answer(50, 250, fillers=3, pause_at=5)).attempt_id


def test_json_export_reads_back_as_the_same_report(capsys: pytest.CaptureFixture[str]) -> None:
    clock = StepClock()
    with Store.open(clock=clock) as store:
        attempt = kept_over_target(store, clock)
        stored = store.report(attempt)
    assert main(["export", str(attempt), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["attempt"]["id"] == attempt and data["attempt"]["category"] == "项目经历"
    again = Report.from_dict(data)
    assert again == stored
    assert again.metrics.length.target_end_word is not None


def test_markdown_export_marks_fillers_pauses_and_the_target(
    capsys: pytest.CaptureFixture[str],
) -> None:
    clock = StepClock()
    with Store.open(clock=clock) as store:
        attempt = kept_over_target(store, clock)
    assert main(["export", str(attempt)]) == 0
    md = capsys.readouterr().out
    assert md.startswith("# Answer — 2026-11-01 09:00 UTC")
    assert f"- Answer #{attempt} · analysed" in md
    assert md.count("**嗯**") == 3
    assert "⏸1.5s" in md
    assert " ⏰ " in md and "Ran over the target by 10.0 s" in md


def test_a_whole_mock_round_in_one_file(tmp_path: Path) -> None:
    clock = StepClock()
    with Store.open(clock=clock) as store:
        session = store.begin_session("一面 · AI 产品经理")
        first = keep(store, clock, zh_question(), answer(30, 220), session_id=session)
        second = keep(store, clock, MOTIVATION, answer(25, 220, fillers=1), session_id=session)
        keep(store, clock, MOTIVATION, answer(25, 220))  # another day, not in the round
    md_path, json_path = tmp_path / "round.md", tmp_path / "round.json"
    ref = str(second.attempt_id)
    assert main(["export", ref, "--session", "-o", str(md_path)]) == 0
    assert main(["export", ref, "--session", "--format", "json", "-o", str(json_path)]) == 0
    md = md_path.read_text(encoding="utf-8")
    assert md.startswith("# Mock round: 一面 · AI 产品经理")
    assert md.count("\n## Answer — ") == 2 and "\n### Transcript" in md
    assert md.index(zh_question().text) < md.index(MOTIVATION.text)
    data = json.loads(json_path.read_text(encoding="utf-8"))
    assert [a["attempt"]["id"] for a in data["attempts"]] == [
        first.attempt_id,
        second.attempt_id,
    ]
    assert Report.from_dict(data["attempts"][1]) == second.report
    for path in (md_path, json_path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_refusals_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    clock = StepClock()
    with Store.open(clock=clock) as store:
        attempt = kept_over_target(store, clock)
    assert main(["export", str(attempt), "--session"]) != 0
    assert "not part of a mock round" in capsys.readouterr().err
    assert main(["export", "999"]) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no attempt 999" in err


def test_unanalysed_answer_exports_its_status() -> None:
    clock = StepClock()
    with Store.open(clock=clock) as store:
        path = store.new_recording_path("zh-why")
        attempt = store.begin_attempt(MOTIVATION, path)
        store.mark_failed(attempt, "no speech detected")
        md = export_text(store, attempt, "md")
        data = json.loads(export_text(store, attempt, "json"))
    assert "_Not analysed — no speech detected._" in md
    assert data == {"attempt": data["attempt"]} and data["attempt"]["status"] == "failed"


def test_history_csv_has_a_row_per_answer() -> None:
    clock = StepClock()
    with Store.open(clock=clock) as store:
        kept_over_target(store, clock)
        keep(store, clock, MOTIVATION, answer(25, 220))
        text = history_csv(store.list(limit=None)[::-1])
    lines = text.splitlines()
    assert lines[0].startswith("id,created_at,status,question_id")
    assert len(lines) == 3 and ",too long," in lines[1] and ",in range," in lines[2]
    assert "too_long" not in text and "within" not in text, "verdicts in words, not labels"


def test_exports_for_reading_write_verdicts_as_words() -> None:
    clock = StepClock()
    with Store.open(clock=clock) as store:
        session = store.begin_session("一面")
        short = keep(store, clock, zh_question(), answer(10, 220), session_id=session)
        md = export_text(store, short.attempt_id, "md")
        round_md = export_text(store, short.attempt_id, "md", session=True)
        data = json.loads(export_text(store, short.attempt_id, "json"))
        csv_text = history_csv(store.list(limit=None))
    for text in (md, round_md, csv_text):
        assert "too short" in text and "too_short" not in text
    assert "(target 0:20–0:40: too short)" in md
    assert data["length"]["verdict"] == "too_short", "JSON keeps the label, for tools"
    assert data["attempt"]["length_verdict"] == "too_short"


def test_a_kept_round_marks_its_skipped_questions_and_follow_ups(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from kiosk.ui.attempts import History
    from kiosk.ui.practice import Asked, Practice

    intro = zh_question("zh-intro", category="自我介绍", text="请介绍一下你自己。")
    project = zh_question()
    practice = Practice(
        "一面", (intro, project, MOTIVATION), steps=("自我介绍", "项目深挖", "求职动机")
    )
    clock = StepClock()
    with Store.open(clock=clock) as store:
        session = History(store, print).begin_session(practice)  # as the booth begins a round
        assert session is not None
        keep(store, clock, intro, answer(25, 220), session_id=session)
        main_answer = keep(store, clock, project, answer(30, 220), session_id=session)
        follow = Asked(project, "这个项目最大的风险是什么？", "", follow_up_of=project.id)
        keep(store, clock, follow, answer(20, 220), session_id=session)  # type: ignore[arg-type]
    ref = str(main_answer.attempt_id)
    assert main(["export", ref, "--session"]) == 0
    md = capsys.readouterr().out
    assert "3 answer(s), 1 of them to follow-ups; 1 of 3 question(s) skipped." in md
    assert f"## {SKIPPED_MARK}: 求职动机 · {MOTIVATION.text}\n\n_Not answered._" in md
    assert md.count(f"## {FOLLOW_UP_MARK}: Answer") == 1
    assert (
        md.index(intro.text)
        < md.index(project.text)
        < md.index("最大的风险")
        < md.index(SKIPPED_MARK)
    )
    assert main(["export", ref, "--session", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(q["id"], q["skipped"]) for q in data["questions"]] == [
        ("zh-intro", False),
        ("zh-project", False),
        ("zh-why", True),
    ]
    assert [a["attempt"]["follow_up"] for a in data["attempts"]] == [False, False, True]
