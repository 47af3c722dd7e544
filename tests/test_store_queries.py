"""History queries for the screens: filters, one question's attempts, a round's answers,
facets, progress points; the schema 3 → 4 step; writers on two threads at once."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import timedelta

from kiosk.config import data_dir
from kiosk.store.database import DB_NAME, SCHEMA_VERSION, AttemptFilter, Planned, Store
from tests.support.history import (
    MOTIVATION,
    START,
    StepClock,
    answer,
    improving_history,
    keep,
    zh_question,
)


def test_filters_by_bank_category_question_and_dates() -> None:
    clock = StepClock()
    with Store.open(clock=clock) as store:
        kept = improving_history(store, clock)
        other = keep(
            store, clock, zh_question("en-x", bank_id="en-pm", category="Intro"), answer(30, 140)
        )
        ids = lambda f: [a.id for a in store.list(limit=None, where=f)]  # noqa: E731
        assert ids(AttemptFilter(bank_id="en-pm")) == [other.attempt_id]
        assert ids(AttemptFilter(category="求职动机")) == [k.attempt_id for k in kept[1::2]][::-1]
        assert ids(AttemptFilter(question_id="zh-project", category="求职动机")) == []
        day3, day5 = (START + timedelta(days=d) for d in (3, 5))
        window = AttemptFilter(since=day3.date().isoformat(), until=day5.date().isoformat())
        assert ids(window) == [kept[4].attempt_id, kept[3].attempt_id]
        # The old keyword filters still combine with the new ones.
        assert store.list(limit=2, question_id="zh-why")[0].id == kept[9].attempt_id


def test_attempts_of_one_question_oldest_first_and_facets() -> None:
    clock = StepClock()
    with Store.open(clock=clock) as store:
        kept = improving_history(store, clock)
        of = store.attempts_of("zh-why")
        assert [a.id for a in of] == [k.attempt_id for k in kept[1::2]]
        facets = store.facets()
        assert facets.banks == ("zh-ai-pm",)
        assert set(facets.categories) == {"项目经历", "求职动机"}
        assert facets.questions[0] == ("zh-why", MOTIVATION.text)  # most recent first
        assert facets.languages == ("zh",)


def test_session_attempts_in_the_order_given() -> None:
    clock = StepClock()
    with Store.open(clock=clock) as store:
        session = store.begin_session("一面")
        first = keep(store, clock, zh_question(), answer(30, 220), session_id=session)
        keep(store, clock, MOTIVATION, answer(30, 220))  # not in the round
        clock.now += timedelta(minutes=3)
        second = keep(store, clock, MOTIVATION, answer(25, 220), session_id=session)
        assert store.session(session).title == "一面"
        assert [a.id for a in store.session_attempts(session)] == [
            first.attempt_id,
            second.attempt_id,
        ]


def test_progress_points_carry_category_overall_pace_and_target() -> None:
    clock = StepClock()
    with Store.open(clock=clock) as store:
        kept = improving_history(store, clock)
        points = store.progress(where=AttemptFilter(category="项目经历"))
        assert [p.attempt_id for p in points] == [k.attempt_id for k in kept[::2]]
        first = points[0]
        span_pace = kept[0].report.metrics.pace.span_value
        assert first.pace_span_value == span_pace != kept[0].report.metrics.pace.value
        assert (first.category, first.target_high, first.pauses_count) == ("项目经历", 40.0, 1)
        assert first.sample().pace == span_pace


def test_schema_3_is_migrated_to_4_filling_the_overall_pace() -> None:
    clock = StepClock()
    with Store.open(clock=clock) as store:
        kept = keep(store, clock, zh_question(), answer(30, 250))
    path = data_dir() / DB_NAME
    conn = sqlite3.connect(path)
    conn.execute("DROP INDEX attempts_category")
    conn.execute("ALTER TABLE attempts DROP COLUMN pace_span_value")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    with Store.open() as store:
        again = store.get(kept.attempt_id)
        assert again.pace_span_value == kept.report.metrics.pace.span_value
        assert again.pace == again.pace_span_value
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 6
    conn.close()


def test_a_recorder_thread_and_the_ui_thread_write_at_once() -> None:
    """The booth writes from its recorder worker while the UI lists and saves reports."""
    clock = StepClock()
    with Store.open(clock=clock) as store:
        seed = keep(store, clock, zh_question(), answer(20, 220))
        errors: list[BaseException] = []
        made: list[int] = []

        def recorder() -> None:
            try:
                for _ in range(40):
                    path = store.new_recording_path("zh-why")
                    attempt = store.begin_attempt(MOTIVATION, path)
                    store.finish_recording(attempt, 16000, 16000)
                    made.append(attempt)
            except BaseException as exc:  # reported below
                errors.append(exc)

        thread = threading.Thread(target=recorder)
        thread.start()
        report = json.loads(json.dumps(seed.report.to_dict()))
        for _ in range(40):
            store.list(limit=None)
            store.save_report(seed.attempt_id, report)
            store.facets()
        thread.join()
        assert errors == []
        assert len(made) == 40 and len(set(made)) == 40
        statuses = {a.id: a.status for a in store.list(limit=None)}
        assert all(statuses[i] == "recorded" for i in made)
        assert statuses[seed.attempt_id] == "analysed"


def test_a_round_keeps_its_plan_and_schema_4_rounds_have_none() -> None:
    plan = (Planned("zh-intro", "请介绍一下你自己。", "自我介绍"), Planned("zh-why", "为什么？"))
    with Store.open(clock=StepClock()) as store:
        old = store.begin_session("一面")
        new = store.begin_session("二面", plan)
        assert store.session(new).plan == plan
        assert store.session(old).plan == ()
    path = data_dir() / DB_NAME
    conn = sqlite3.connect(path)
    conn.execute("UPDATE sessions SET plan = 'not json' WHERE id = ?", (new,))
    conn.execute("ALTER TABLE sessions DROP COLUMN plan")
    conn.execute("PRAGMA user_version = 4")
    conn.commit()
    conn.close()
    with Store.open() as store:  # migrated to 5: the column is back, empty
        assert store.session(new).plan == () and store.session(new).title == "二面"
        again = store.begin_session("三面", plan)
        assert store.session(again).plan == plan
    conn = sqlite3.connect(path)
    conn.execute("UPDATE sessions SET plan = '[{\"text\": 1}]' WHERE id = ?", (again,))
    conn.commit()
    conn.close()
    with Store.open() as store:
        assert store.session(again).plan == (), "a plan that cannot be read is none"
