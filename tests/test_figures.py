"""The one writer of each figure (``kiosk.core.figures``): lengths and moments cut to the
second or tenth, verdicts in words, filler counts never "at least 0", dates."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from kiosk.core.debrief import RoundAnswer, build_debrief
from kiosk.core.figures import (
    clock_text,
    fillers_cell,
    fillers_text,
    key_points_cell,
    stamp_text,
    verdict_text,
    when_text,
)
from kiosk.core.metrics import compute_metrics
from kiosk.core.report import Report
from kiosk.core.target import Target
from kiosk.core.transcript import Span, Transcript, Word


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0.0, "0:00"), (0.99, "0:00"), (59.999, "0:59"), (70.6, "1:10"), (600.0, "10:00")],
)
def test_a_length_is_cut_to_the_second(seconds: float, shown: str) -> None:
    assert clock_text(seconds) == shown


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0.0, "0:00.0"), (2.3, "0:02.3"), (4.5, "0:04.5"), (70.68, "1:10.6"), (-1.0, "0:00.0")],
)
def test_a_moment_is_cut_to_the_tenth(seconds: float, shown: str) -> None:
    assert stamp_text(seconds) == shown


def test_verdicts_read_as_words() -> None:
    assert verdict_text("too_short") == "too short"
    assert verdict_text("within") == "in range"
    assert verdict_text("too_long") == "too long"
    assert verdict_text("short") == "too short" and verdict_text("over") == "too long"
    assert verdict_text("no_speech") == "no speech"
    assert verdict_text(None) == "—"
    assert verdict_text("some_new_label") == "some new label"


def test_no_filler_is_never_at_least_zero() -> None:
    assert fillers_text(0) == "none counted" and fillers_text(3) == "at least 3"
    assert fillers_cell(0) == "none" and fillers_cell(0, 0.0) == "none"
    assert fillers_cell(3) == "≥ 3" and fillers_cell(3, 2.14) == "≥ 3 · 2.1/min"
    assert fillers_cell(None) == fillers_text(None) == "—"


def test_key_points_are_covered_of_checked_and_a_dash_without_any() -> None:
    assert key_points_cell(3, 4) == "3/4" and key_points_cell(0, 4) == "0/4"
    assert key_points_cell(2, 4, 1) == "2/4 +1 partly" and key_points_cell(2, 4, 0) == "2/4"
    assert key_points_cell(0, 0) == key_points_cell(None, None) == "—"


def test_when_is_short_this_year_and_dated_before(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        now = datetime(2026, 12, 1, tzinfo=UTC)
        assert when_text("2026-11-23T09:30:00+00:00", now) == "11-23 09:30"
        assert when_text("2025-11-23T09:30:00+00:00", now) == "2025-11-23"
    finally:
        monkeypatch.undo()
        time.tzset()


def _answer(seconds: float, target: Target) -> Report:
    words = (Word("我们", 0.5, 1.0), Word("项目。", seconds - 0.5, seconds))
    transcript = Transcript("zh", seconds + 0.8, words, (Span(0.5, seconds),))
    return Report(transcript, compute_metrics(transcript, target))


def test_a_round_debrief_writes_lengths_as_the_report_does() -> None:
    """70.6 s is 1:10 on the answer's card, so it is 1:10 in the round's debrief too."""
    target = Target(60, 90)
    report = _answer(70.6, target)
    assert clock_text(report.metrics.length.duration_s) == "1:10"
    debrief = build_debrief("一面", [RoundAnswer("项目", "介绍一个项目。", target, report)])
    md = debrief.to_markdown()
    assert "| 1:10 (in range) |" in md and "1:11" not in md
    assert "Total speaking time: 1:10" in md
    short = build_debrief("r", [RoundAnswer("s", "q", Target(30, 40), _answer(24.0, target))])
    assert "(too short)" in short.to_markdown() and "(short)" not in short.to_markdown()


def test_an_answer_without_fillers_never_reads_at_least_zero(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every place that writes the filler count: report (Markdown, Rich, JSON figures),
    the booth's card, kiosk history, kiosk stats, the exports."""
    from rich.console import Console

    from kiosk.cli import main
    from kiosk.output.render import render_report
    from kiosk.store.database import Store
    from kiosk.ui.widgets.report_cards import cards
    from tests.support.history import StepClock, answer, keep, zh_question

    monkeypatch.setenv("COLUMNS", "200")
    clock = StepClock()
    with Store.open(clock=clock) as store:
        kept = keep(store, clock, zh_question(), answer(30, 220, fillers=0))
    report = kept.report
    assert report.metrics.fillers.total == 0
    console = Console(width=200, record=True)
    console.print(render_report(report))
    shown = [
        report.to_markdown(),
        console.export_text(),
        str(report.to_dict()["figures"]),
        str(dict((t, v) for t, v, *_ in cards(report.metrics))),
    ]
    for argv in (["history"], ["stats"], ["export", str(kept.attempt_id)], ["history", "export"]):
        assert main(argv) == 0
        shown.append(capsys.readouterr().out)
    zero = re.compile(r"(at least|≥) 0(?![.\d])")  # "≥ 0.7 s" is the pause threshold
    for text in shown:
        assert zero.search(text) is None, text
    assert "none counted" in shown[0] and "none counted" in shown[1]
    assert "none" in shown[4], "kiosk history says none"
