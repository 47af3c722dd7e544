"""The booth keeps every answer in the history: rows written before recording, reports
saved, failures noted, rounds grouped, and interrupted answers recovered at start."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from kiosk.audio.fakes import FakeRecorder
from kiosk.audio.files import load_audio, write_wav
from kiosk.config import data_dir
from kiosk.questions.loader import load_library
from kiosk.store.database import Store
from kiosk.ui.screens.question import QuestionScreen
from kiosk.ui.screens.report import ReportScreen
from tests.support.audio import tone
from tests.test_ui import SIZE, record, state
from tests.test_ui_support import NO_DEVICE, booth, until


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open() as opened:
        yield opened


async def test_an_analysed_answer_is_kept_with_its_report(store: Store) -> None:
    b = booth(store=store)
    async with b.app.run_test(size=SIZE) as pilot:
        path = await record(b, pilot)
        await pilot.press("space")
        await until(pilot, lambda: isinstance(b.app.screen, ReportScreen))
    [attempt] = store.list()
    assert attempt.status == "analysed"
    assert attempt.question_id == "zh-project" and attempt.language == "zh"
    assert store.audio_file(attempt) == path and path.parent == data_dir() / "recordings"
    assert attempt.duration_s == pytest.approx(7.0)
    assert attempt.report_dict is not None and attempt.fillers_total == 2
    assert (attempt.target_low, attempt.target_high) == (4.0, 8.0)


async def test_a_silent_answer_is_kept_and_marked_failed(store: Store) -> None:
    silent = FakeRecorder(np.zeros(3 * 16000, np.float32), pace="manual")
    b = booth(store=store, recorder=silent)
    async with b.app.run_test(size=SIZE) as pilot:
        await record(b, pilot)
        await pilot.press("space")
        await until(pilot, lambda: state(b) == "failed")
    [attempt] = store.list()
    assert (attempt.status, attempt.note) == ("failed", "no speech detected")
    audio = store.audio_file(attempt)
    assert audio is not None and audio.is_file()


async def test_no_device_leaves_no_row_and_no_empty_file(store: Store) -> None:
    b = booth(store=store, recorder=FakeRecorder(tone(1.0), pace="manual", fail_with=NO_DEVICE))
    async with b.app.run_test(size=SIZE) as pilot:
        await record_start_only(b, pilot)
    assert store.list() == []
    assert list((data_dir() / "recordings").glob("*.wav")) == []


async def record_start_only(b, pilot) -> None:  # type: ignore[no-untyped-def]
    from tests.test_ui_support import open_first_question

    await open_first_question(pilot)
    await pilot.press("space")
    await until(pilot, lambda: state(b) == "failed")


async def test_a_recording_left_by_a_crash_is_recovered_at_start(store: Store) -> None:
    orphan = data_dir() / "recordings" / "20261122-210000-zh-project.wav"
    orphan.parent.mkdir(parents=True, exist_ok=True)
    write_wav(orphan, tone(2.0))
    b = booth(store=store)
    async with b.app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        texts = [n.message for n in b.app._notifications]
    assert any("1 answer recovered" in t for t in texts), texts
    [attempt] = store.list()
    assert attempt.status == "recovered"


async def test_a_mock_round_is_one_session(store: Store) -> None:
    b = booth(store=store, lib=load_library())
    async with b.app.run_test(size=SIZE) as pilot:
        menu = b.app.screen.query_one("#menu")
        rounds_node = next(n for n in menu.root.children if "round" in str(n.label))  # type: ignore[attr-defined]
        first_round = rounds_node.children[0]
        menu.move_cursor(first_round)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(b.app.screen, QuestionScreen))
        practice = b.app.screen.practice  # type: ignore[attr-defined]
        assert practice.session_id is not None and len(practice.questions) >= 3
        assert str(first_round.label).startswith(practice.title)


async def test_quitting_mid_answer_closes_the_recording_properly(store: Store) -> None:
    b = booth(store=store)
    async with b.app.run_test(size=SIZE) as pilot:
        path = await record(b, pilot, 2.0)
        await pilot.press("ctrl+q")
    [attempt] = store.list()
    assert attempt.status == "recorded" and attempt.duration_s == pytest.approx(2.0)
    assert len(load_audio(path)) == 2 * 16000
