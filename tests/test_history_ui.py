"""Pilot tests of the booth's history: list and filters, review with playback, compare,
progress, export and delete. The history is a real store filled with real metrics; the
only double is the audio output (``kiosk.audio.fakes.FakePlayer``, given to the booth as its
player: it keeps what would have been played)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select, Static
from textual_plotext import PlotextPlot

from kiosk.audio.fakes import FakePlayer
from kiosk.core.errors import DeviceError
from kiosk.store.database import Store
from kiosk.ui.screens.compare import CompareScreen
from kiosk.ui.screens.history import HistoryScreen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.progress import ProgressScreen
from kiosk.ui.screens.review import ReviewScreen
from kiosk.ui.widgets import clip_player
from kiosk.ui.widgets.confirm import ConfirmScreen
from kiosk.ui.widgets.transcript_view import TranscriptView, transcript_lines
from tests.support.history import Kept, StepClock, content_history, improving_history
from tests.test_ui_support import booth, until

SIZE = (120, 40)


@pytest.fixture
def history() -> Iterator[tuple[Store, list[Kept]]]:
    clock = StepClock()
    with Store.open(clock=clock) as store:
        yield store, improving_history(store, clock)


def rows(screen: object) -> list[int]:
    table = screen.query_one(DataTable)  # type: ignore[attr-defined]
    return [int(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_history_lists_newest_first_and_filters(
    history: tuple[Store, list[Kept]],
) -> None:
    store, kept = history
    b = booth(store=store)
    async with b.app.run_test(size=SIZE) as pilot:
        assert isinstance(b.app.screen, HomeScreen)
        await pilot.press("h")
        screen = b.app.screen
        assert isinstance(screen, HistoryScreen)
        assert rows(screen) == [k.attempt_id for k in reversed(kept)]

        screen.query_one("#f-category", Select).value = "求职动机"
        await pilot.pause()
        assert rows(screen) == [k.attempt_id for k in reversed(kept[1::2])]

        screen.query_one("#f-since", Input).value = "2026-11-04"
        screen.query_one("#f-until", Input).value = "2026-11-07"
        await pilot.pause()
        assert rows(screen) == [kept[5].attempt_id, kept[3].attempt_id]  # days 3–6, odd ones

        screen.query_one("#f-until", Input).value = "2026-13-01"
        await pilot.pause()
        assert "YYYY-MM-DD" in str(screen.query_one("#history-note", Static).render())
        await pilot.press("escape")
        assert isinstance(b.app.screen, HomeScreen)


async def test_review_shows_cards_and_plays_from_the_selected_word(
    history: tuple[Store, list[Kept]],
) -> None:
    store, kept = history
    speaker = FakePlayer()
    b = booth(store=store, player=speaker)
    async with b.app.run_test(size=SIZE) as pilot:
        await pilot.press("h", "enter")  # the newest answer
        screen = b.app.screen
        assert isinstance(screen, ReviewScreen) and screen.attempt.id == kept[-1].attempt_id
        assert screen.query_one("#card-length").has_class("good")
        view = screen.query_one(TranscriptView)
        report = kept[-1].report
        lines = transcript_lines(report)
        assert lines[1].first == 5, "a new line starts after the pause"
        await pilot.press("down", "right", "right")
        assert view.word == 7
        await pilot.press("p")
        await until(pilot, lambda: bool(speaker.clips) and not screen.playing)
        start = report.transcript.words[7].start
        audio_s = kept[-1].report.transcript.duration
        played = speaker.clips[0].size / 16000
        assert played == pytest.approx(audio_s - start + clip_player.LEAD_IN_S, abs=0.01)


async def test_playback_stops_on_s_and_a_device_error_is_a_notification(
    history: tuple[Store, list[Kept]],
) -> None:
    store, _ = history
    speaker = FakePlayer(block=True)
    b = booth(store=store, player=speaker)
    async with b.app.run_test(size=SIZE) as pilot:
        await pilot.press("h", "enter", "p")
        screen = b.app.screen
        assert isinstance(screen, ReviewScreen)
        await until(pilot, lambda: bool(speaker.clips))
        assert screen.playing
        await pilot.press("s")
        await until(pilot, lambda: not screen.playing)
        assert speaker.stopped.is_set()

        speaker.fail = DeviceError("no output device found; choose one with --output-device")
        await pilot.press("p")
        await until(pilot, lambda: len(speaker.clips) == 2 and not screen.playing)
        await pilot.pause()
        shown = [n.message for n in b.app._notifications]
        assert any("Cannot play the recording: no output device found" in m for m in shown)
        assert isinstance(b.app.screen, ReviewScreen), "still reviewing"


async def test_compare_marks_better_and_worse(history: tuple[Store, list[Kept]]) -> None:
    store, _ = history
    b = booth(store=store)
    async with b.app.run_test(size=SIZE) as pilot:
        await pilot.press("h", "c")
        screen = b.app.screen
        assert isinstance(screen, CompareScreen) and screen.question_id == "zh-why"
        table = screen.query_one(DataTable)
        assert table.row_count == 4 and len(table.columns) == 6  # label + 5 attempts
        length = [str(c) for c in table.get_row("duration")]
        assert length[1] == "0:47" and "-5.0s ▲" in length[2]  # 47.4 → 42.4 s, target 40
        fillers = [str(c) for c in table.get_row("fillers")]
        assert "-2.2 ▲" in fillers[2]
        pauses = [str(c) for c in table.get_row("pauses")]
        assert all("▲" not in p and "▼" not in p for p in pauses[1:])


async def test_delete_asks_first_and_removes_the_recording(
    history: tuple[Store, list[Kept]],
) -> None:
    store, kept = history
    newest = kept[-1]
    b = booth(store=store)
    async with b.app.run_test(size=SIZE) as pilot:
        await pilot.press("h", "d")
        assert isinstance(b.app.screen, ConfirmScreen)
        await pilot.press("n")
        assert isinstance(b.app.screen, HistoryScreen) and newest.audio.exists()
        await pilot.press("enter", "d")
        assert isinstance(b.app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(b.app.screen, HistoryScreen)
        assert not newest.audio.exists()
        assert newest.attempt_id not in rows(b.app.screen)
        assert newest.attempt_id not in [a.id for a in store.list(limit=None)]


async def test_export_from_history_writes_private_files(
    history: tuple[Store, list[Kept]],
) -> None:
    store, kept = history
    b = booth(store=store)
    async with b.app.run_test(size=SIZE) as pilot:
        await pilot.press("h", "x", "e")
        await pilot.pause()
    folder: Path = store.root / "exports"
    md = (folder / f"answer-{kept[-1].attempt_id}.md").read_text(encoding="utf-8")
    assert "**Question:** 你为什么想做产品经理？" in md
    csv = (folder / "history.csv").read_text(encoding="utf-8").splitlines()
    assert len(csv) == 11
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    assert oct((folder / "history.csv").stat().st_mode & 0o777) == "0o600"


async def test_progress_plots_and_summary_follow_the_category(
    history: tuple[Store, list[Kept]],
) -> None:
    store, _ = history
    b = booth(store=store)
    async with b.app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        screen = b.app.screen
        assert isinstance(screen, ProgressScreen)
        summary = lambda: str(screen.query_one("#progress-summary", Static).render())  # noqa: E731
        assert "(10 in all)" in summary() and "Improved: pace, fillers per minute" in summary()
        assert len(screen.query(PlotextPlot)) == 3
        screen.query_one(Select).value = "项目经历"
        await pilot.pause()
        assert "(5 in all)" in summary()
        assert "Last 2 answers against the 2 before" in summary()


async def test_progress_shows_what_was_said_per_category_and_back() -> None:
    clock = StepClock()
    with Store.open(clock=clock) as store:
        content_history(store, clock)
        b = booth(store=store)
        async with b.app.run_test(size=SIZE) as pilot:
            await pilot.press("p")
            screen = b.app.screen
            assert isinstance(screen, ProgressScreen)
            summary = lambda: str(screen.query_one("#progress-summary", Static).render())  # noqa: E731
            assert "Key points & structure" in {
                binding.binding.description for binding in b.app.active_bindings.values()
            }
            await pilot.press("c")
            await pilot.pause()
            text = summary()
            assert screen.view == "content"
            assert "What was said, last 5 answers against the 5 before (10 checked):" in text
            assert "key points covered: improved (4 of 18 → 13 of 17, 22 % → 76 %)" in text
            assert "structure signals heard (STAR): improved (7 of 18 → 11 of 12" in text
            assert "structure signals heard (总分总): improved (2 of 6 → 8 of 9" in text
            assert (
                "项目经历: key points improved (3 of 8 → 7 of 8), "
                "structure (STAR) improved (6 of 12 → 11 of 12)"
            ) in text
            assert "求职动机: key points improved (2 of 6 → 5 of 6)" in text
            assert "structure (总分总) improved (3 of 6 → 6 of 6)" in text
            descriptions = {x.binding.description for x in b.app.active_bindings.values()}
            assert "Delivery" in descriptions and "Key points & structure" not in descriptions

            screen.query_one("#p-category", Select).value = "求职动机"
            await pilot.pause()
            text = summary()
            assert "last 2 answers against the 2 before (5 checked)" in text
            assert "key points covered: improved (2 of 6 → 5 of 6, 33 % → 83 %)" in text
            assert "项目经历" not in text

            await pilot.press("c")
            await pilot.pause()
            assert screen.view == "delivery" and "Last 2 answers against" in summary()


async def test_progress_shows_what_was_said_week_by_week_for_the_category(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Under the content summary, the latest local ISO weeks: answers with a content
    review, key points covered, structure per frame; for the category chosen, or all."""
    before = os.environ.get("TZ")
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    clock = StepClock()
    try:
        with Store.open(clock=clock) as store:
            content_history(store, clock)
            b = booth(store=store)
            async with b.app.run_test(size=SIZE) as pilot:
                await pilot.press("p")
                screen = b.app.screen
                assert isinstance(screen, ProgressScreen)
                weeks = screen.query_one("#progress-weeks", Static)
                assert not weeks.display, "delivery view: no week table"
                await pilot.press("c")
                await pilot.pause()
                assert weeks.display
                lines = str(weeks.render()).splitlines()
                assert lines[0].startswith("What was said by week")
                assert lines[2:] == [
                    "  2026-W44 10-26        1  0 of 4, 0 %     STAR 1 of 6, 17 %",
                    "  2026-W45 11-02        7  10 of 24, 42 %  STAR 11 of 18, 61 %",
                    "                                           总分总 7 of 12, 58 %",
                    "  2026-W46 11-09        2  7 of 7, 100 %   STAR 6 of 6, 100 %",
                    "                                           总分总 3 of 3, 100 %",
                ]

                screen.query_one("#p-category", Select).value = "求职动机"
                await pilot.pause()
                assert str(weeks.render()).splitlines()[2:] == [
                    "  2026-W45 11-02        4  4 of 12, 33 %  总分总 7 of 12, 58 %",
                    "  2026-W46 11-09        1  3 of 3, 100 %  总分总 3 of 3, 100 %",
                ]
                await pilot.press("c")
                await pilot.pause()
                assert not weeks.display
    finally:
        if before is None:
            monkeypatch.delenv("TZ")
        else:
            monkeypatch.setenv("TZ", before)
        time.tzset()


async def test_progress_without_reviewed_answers_says_so(
    history: tuple[Store, list[Kept]],
) -> None:
    store, _ = history
    b = booth(store=store)
    async with b.app.run_test(size=SIZE) as pilot:
        await pilot.press("p", "c")
        await pilot.pause()
        screen = b.app.screen
        assert isinstance(screen, ProgressScreen)
        text = str(screen.query_one("#progress-summary", Static).render())
        assert text == (
            "Mandarin (zh): What was said: no answers with key points or structure checked yet."
        )
        assert not screen.query_one("#progress-weeks", Static).display


async def test_without_a_history_the_keys_explain(monkeypatch: pytest.MonkeyPatch) -> None:
    b = booth()
    async with b.app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(b.app.screen, HomeScreen)
        assert any("not available" in n.message for n in b.app._notifications)


async def test_question_text_that_looks_like_markup_is_shown_as_is() -> None:
    from tests.support.history import answer, keep, zh_question

    clock = StepClock()
    with Store.open(clock=clock) as store:
        odd = zh_question("zh-odd", text="谈谈 [/b] 和 [red]RAG[/red] 的区别")
        keep(store, clock, odd, answer(30, 220))
        b = booth(store=store)
        async with b.app.run_test(size=SIZE) as pilot:
            await pilot.press("h")
            screen = b.app.screen
            assert isinstance(screen, HistoryScreen)
            assert str(screen.query_one(DataTable).get_row_at(0)[2]) == odd.text
            await pilot.press("enter")
            assert isinstance(b.app.screen, ReviewScreen)
            assert str(b.app.screen.query_one("#review-question", Static).render()) == odd.text
            await pilot.press("c")
            assert isinstance(b.app.screen, CompareScreen)
            assert str(b.app.screen.query_one("#compare-question", Static).render()) == odd.text


async def test_exporting_an_answer_of_a_mock_round_exports_the_round_too() -> None:
    from tests.support.history import MOTIVATION, answer, keep, zh_question

    clock = StepClock()
    with Store.open(clock=clock) as store:
        session = store.begin_session("一面")
        keep(store, clock, zh_question(), answer(30, 220), session_id=session)
        last = keep(store, clock, MOTIVATION, answer(25, 220), session_id=session)
        b = booth(store=store)
        async with b.app.run_test(size=SIZE) as pilot:
            await pilot.press("h", "enter", "x")
            await pilot.pause()
        folder = store.root / "exports"
        assert (folder / f"answer-{last.attempt_id}.json").exists()
        md = (folder / f"round-{session}.md").read_text(encoding="utf-8")
        assert md.startswith("# Mock round: 一面") and md.count("\n## Answer — ") == 2
