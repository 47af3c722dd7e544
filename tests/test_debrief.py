"""The round debrief: the pure summary (``kiosk.core.debrief``), the booth's screen, the
round's Markdown export (skipped questions and follow-ups marked), and snapshots."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from textual.pilot import Pilot

from kiosk.core.debrief import RoundAnswer, build_debrief
from kiosk.core.target import Target
from kiosk.core.transcript import Span, Transcript, Word
from kiosk.output.export import FOLLOW_UP_MARK, SKIPPED_MARK, round_markdown
from kiosk.pipeline import report_from_transcript
from kiosk.ui.practice import Asked, Practice
from kiosk.ui.screens.debrief import DebriefScreen
from kiosk.ui.screens.report import ReportScreen
from tests.support.snapshots import fixed_home
from tests.test_ui_support import answer_to_report, booth, question, until, zh_transcript

FIXED_HOME = Path("/tmp/kiosk-snapshot-debrief")


def _report(transcript: Transcript, target: Target) -> Any:
    return report_from_transcript(transcript, target=target, source="x.wav")


def _fillers(seconds: float) -> Transcript:
    """A short answer made mostly of fillers."""
    words = tuple(
        Word(w, i * 0.5, i * 0.5 + 0.4)
        for i, w in enumerate(["嗯，", "那个，", "嗯，", "就是", "我", "负责", "项目。"])
    )
    return Transcript("zh", seconds, words, (Span(0.0, 3.4),))


def test_debrief_times_targets_skips_and_picks_the_costliest_habit() -> None:
    short, long_ = Target(4, 8), Target(1, 3)
    rows = [
        RoundAnswer("自我介绍", "请介绍一下你自己。", short, _report(zh_transcript(), short)),
        RoundAnswer("项目", "介绍一下你的项目。", long_, _report(zh_transcript(), long_)),
        RoundAnswer("项目", "最大的风险是什么？", long_, _report(_fillers(4.0), long_), True),
        RoundAnswer("反问", "你有什么想问我们的吗？", short, None),
    ]
    d = build_debrief("一面", rows)
    assert [line.timing for line in d.lines] == ["within", "over", "over", "skipped"]
    assert d.answered == 3
    assert d.total_s == pytest.approx(sum(line.seconds or 0 for line in d.lines))
    # every answer has fillers (嗯, 那个 … above 4 a minute), two ran over: fillers cost most
    assert d.habit == "fillers" and d.habit_count == 3
    assert "3 of 3 answers" in d.habit_text()
    tie = build_debrief("一面", rows[1:3])  # both over and both with fillers: overrun first
    assert tie.habit == "overrun" and tie.habit_count == 2
    md = d.to_markdown()
    assert "追问 follow-up: 最大的风险是什么？" in md and "| skipped |" in md


def test_no_habit_when_nothing_stands_out() -> None:
    t = Target(4, 8)
    d = build_debrief("r", [RoundAnswer("s", "q", t, None)])
    assert d.habit is None and d.habit_text() == "No habit stood out across the round."


def _round() -> Practice:
    q1 = question("zh-intro", text="请介绍一下你自己。", follow_ups=())
    q2 = question()
    practice = Practice("一面 · 测试", (q1, q2), index=1, steps=("自我介绍", "项目深挖"))
    asked = Asked.of(q2)
    report = _report(zh_transcript(), q2.target)
    follow = asked.follow_up(asked.follow_ups(report)[0], report)
    return practice.with_answer(asked, report).with_answer(
        follow, _report(_fillers(5.0), q2.target)
    )


def test_round_markdown_marks_skipped_questions_and_follow_ups() -> None:
    practice = _round()
    md = round_markdown(practice.debrief(), practice.answers)
    assert f"## {SKIPPED_MARK}: 请介绍一下你自己。" in md
    assert f"## {FOLLOW_UP_MARK}: Answer" in md
    assert md.startswith("# Mock round debrief: 一面 · 测试")


async def test_end_of_round_report_opens_the_debrief_and_exports_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("KIOSK_HOME", str(tmp_path))
    b = booth()
    q1 = question("zh-intro", text="请介绍一下你自己。", follow_ups=())
    practice = Practice("一面 · 测试", (q1, question()), index=1, steps=("自我介绍", "项目深挖"))
    async with b.app.run_test(size=(110, 40)) as running:
        pilot = cast("Pilot[object]", running)
        b.app.ask(practice, replace=False)
        await pilot.pause()
        await answer_to_report(b, pilot)
        await pilot.press("d")
        await until(pilot, lambda: isinstance(b.app.screen, DebriefScreen))
        screen = b.app.screen
        assert isinstance(screen, DebriefScreen)
        lines = [line.timing for line in screen.debrief.lines]
        assert lines == ["skipped", "within"]
        await pilot.press("e")
        assert screen.exported is not None
        text = Path(screen.exported).read_text(encoding="utf-8")
        assert f"{SKIPPED_MARK}: 请介绍一下你自己。" in text
        assert (Path(screen.exported).stat().st_mode & 0o777) == 0o600


async def test_report_offers_no_debrief_outside_a_round() -> None:
    b = booth()
    practice = Practice("练习", (question(),))
    async with b.app.run_test(size=(110, 40)) as running:
        pilot = cast("Pilot[object]", running)
        b.app.ask(practice, replace=False)
        await pilot.pause()
        await answer_to_report(b, pilot)
        assert b.app.screen.check_action("debrief", ()) is False
        await pilot.press("d")
        assert isinstance(b.app.screen, ReportScreen)


@pytest.fixture
def snap_home(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with fixed_home(monkeypatch, FIXED_HOME):
        yield


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_debrief_screen_snapshot(snap_compare: Any, snap_home: None, size: tuple[int, int]) -> None:
    b = booth()
    practice = _round()

    async def open_debrief(pilot: Pilot[object]) -> None:
        b.app.push_screen(DebriefScreen(practice))
        await pilot.pause()

    assert snap_compare(b.app, terminal_size=size, run_before=open_debrief)
