"""One answer, one set of figures: the same length and headline pace, written the same way,
in the report (Markdown, JSON, Rich, booth cards), ``kiosk history``, ``kiosk stats``, the
exports and the booth's history and review screens.

The answer is chosen so that every old disagreement would show: its pace while speaking
(pauses removed) is far from its headline pace (first to last word), its length (70.6 s)
rounds and cuts to different seconds, and the recording runs on past the last word.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import DataTable, Static

from kiosk.cli import main
from kiosk.core.figures import clock_text, pace_text
from kiosk.core.report import Report
from kiosk.core.target import Target
from kiosk.core.transcript import Span, Transcript, Word
from kiosk.output.render import render_report
from kiosk.store.database import Store
from kiosk.ui.widgets.report_cards import cards
from tests.support.history import Kept, StepClock, keep, zh_question

SPEECH = (Span(0.5, 20.0), Span(30.0, 50.0), Span(55.0, 70.6))
LENGTH = "1:10"
"""70.6 s: the clock had shown 1:10 when the answer ended (rounding would say 1:11)."""


def long_answer() -> Transcript:
    """Two-character words every half second inside three speech spans, 15 s of pauses
    between them; the recording runs 0.8 s past the last word."""
    words: list[Word] = []
    for span in SPEECH:
        t = span.start
        while t + 0.5 <= span.end + 1e-9:
            words.append(Word("我们", round(t, 3), round(t + 0.45, 3)))
            t += 0.5
        words[-1] = Word("我们", words[-1].start, span.end)
    return Transcript("zh", 71.4, tuple(words), SPEECH)


@pytest.fixture
def kept() -> Kept:
    clock = StepClock()
    question = zh_question(target=Target(60, 90))
    with Store.open(clock=clock) as store:
        return keep(store, clock, question, long_answer())


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # keep table rows on one line


def figures(report: Report) -> tuple[str, str, str]:
    """(length, headline pace, pace while speaking) as the report writes them."""
    m = report.metrics
    return (
        clock_text(m.length.duration_s),
        pace_text(m.pace.headline, m.pace.unit),
        pace_text(m.pace.value, m.pace.unit),
    )


def test_the_answer_shows_every_old_disagreement(kept: Kept) -> None:
    m = kept.report.metrics
    length, pace, speaking = figures(kept.report)
    assert m.length.duration_s == pytest.approx(70.6) and length == LENGTH
    assert round(m.length.duration_s) == 71, "rounding would have said 1:11"
    assert kept.report.transcript.duration == pytest.approx(71.4)
    assert m.pace.headline == m.pace.span_value
    assert pace != speaking and m.pace.value - m.pace.span_value > 40
    assert m.pace.verdict == "comfortable", "the band judges the headline pace"


def test_report_in_every_form(kept: Kept) -> None:
    report = kept.report
    length, pace, speaking = figures(report)
    data = report.to_dict()
    assert (data["figures"]["length"], data["figures"]["pace"]) == (length, pace)
    assert data["figures"]["speaking_pace"] == f"{speaking} while speaking (secondary)"

    md = report.to_markdown()
    assert f"- Length: {LENGTH} (target 1:00–1:30: in range)" in md
    assert f"- Pace: {pace} (comfortable); {speaking} while speaking (secondary)" in md

    console = Console(width=200, record=True)
    console.print(render_report(report))
    rich = console.export_text()
    assert f" {LENGTH} " in rich
    assert f" {pace} " in rich

    shown = {title: value for title, value, _, _ in cards(report.metrics)}
    assert (shown["Length"], shown["Pace"]) == (length, pace)
    pace_card = next(detail for title, _, detail, _ in cards(report.metrics) if title == "Pace")
    assert "(secondary)" in pace_card


def test_history_stats_and_exports_agree_with_the_report(
    kept: Kept, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    length, pace, speaking = figures(kept.report)
    speaking_number = speaking.split()[0]
    answer = str(kept.attempt_id)

    assert main(["history"]) == 0
    row = next(
        line for line in capsys.readouterr().out.splitlines() if line.strip().startswith("1 ")
    )
    assert f" {length} " in row and f" {pace} " in row
    assert speaking_number not in row, "the pace while speaking is never the headline"

    assert main(["history", "--json"]) == 0
    (record,) = json.loads(capsys.readouterr().out)
    assert clock_text(record["answer_s"]) == length
    assert pace_text(record["pace"], record["pace_unit"]) == pace

    assert main(["history", "show", answer]) == 0
    shown = capsys.readouterr().out
    assert f" {length} " in shown and f" {pace} " in shown

    assert main(["stats"]) == 0
    stats = capsys.readouterr().out
    assert f"length {length}, pace {pace}," in stats

    assert main(["stats", "--json"]) == 0
    latest = json.loads(capsys.readouterr().out)["languages"]["zh"]["latest"]
    assert (latest["id"], latest["length"], latest["pace"]) == (kept.attempt_id, length, pace)

    assert main(["export", answer, "--format", "md"]) == 0
    md = capsys.readouterr().out
    assert f"- Length: {length} (" in md and f"- Pace: {pace} (" in md

    assert main(["export", answer, "--format", "json"]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert (exported["figures"]["length"], exported["figures"]["pace"]) == (length, pace)
    row_fields = exported["attempt"]
    assert clock_text(row_fields["answer_s"]) == length
    assert pace_text(row_fields["pace"], row_fields["pace_unit"]) == pace
    assert Report.from_dict(exported).to_markdown() == kept.report.to_markdown()

    assert main(["history", "export"]) == 0
    (csv_row,) = csv.DictReader(io.StringIO(capsys.readouterr().out))
    assert clock_text(float(csv_row["answer_s"])) == length
    assert pace_text(float(csv_row["pace"]), csv_row["pace_unit"]) == pace


async def test_booth_history_and_review_agree_with_the_report(kept: Kept) -> None:
    from kiosk.ui.screens.history import HistoryScreen
    from kiosk.ui.screens.review import ReviewScreen
    from tests.test_ui_support import booth

    length, pace, _ = figures(kept.report)
    with Store.open() as store:
        b = booth(store=store)
        async with b.app.run_test(size=(140, 40)) as pilot:
            await pilot.press("h")
            screen = b.app.screen
            assert isinstance(screen, HistoryScreen)
            cells = [str(c) for c in screen.query_one(DataTable).get_row_at(0)]
            assert length in cells and pace in cells
            await pilot.press("enter")
            review = b.app.screen
            assert isinstance(review, ReviewScreen)
            meta = str(review.query_one("#review-meta", Static).render())
            assert f"·  {length}  ·" in meta and "1:11" not in meta
            assert length in str(review.query_one("#card-length", Static).render())
            assert pace in str(review.query_one("#card-pace", Static).render())
