"""The content figures in the history: key points covered, partly and checked, structure
signals found of those checked — copied from the report's content review when it is
saved, and filled from the stored reports by the schema 5 → 6 step."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from kiosk.config import data_dir
from kiosk.core.content import ContentReview, review_content
from kiosk.core.transcript import Word
from kiosk.questions.model import Kind
from kiosk.store.database import DB_NAME, SCHEMA_VERSION, Store
from kiosk.store.summary import CONTENT_COLUMNS, content_figures, summary_of
from tests.support.history import (
    START,
    StepClock,
    answer,
    content_history,
    keep,
    review,
    zh_question,
)

RAG_POINTS = zh_question(
    "zh-rag",
    category="大模型认知",
    kind=Kind.KNOWLEDGE,
    text="RAG 和微调分别适合什么场景？",
    key_points=("检索增强适合知识多变", "微调适合固定风格", "成本和时效"),
)
SAID = (
    "我觉得 检索增强 适合 知识 经常 更新 的 场景 ， 第一 成本 低 ， 第二 时效 好 。"
    " 所以 先 用 检索 。"
)


def words(text: str) -> tuple[Word, ...]:
    return tuple(Word(t, i * 0.4, i * 0.4 + 0.3) for i, t in enumerate(text.split()))


def figures(a: object) -> tuple[object, ...]:
    return tuple(getattr(a, name) for name in CONTENT_COLUMNS)


def test_counts_come_from_the_review_never_a_score() -> None:
    content = review("cpmm", 4, "star", not_checked=2).to_dict()
    assert content_figures(content) == {
        "key_points_covered": 1,
        "key_points_partly": 1,
        "key_points_checked": 4,  # the two not checked are not counted
        "structure_found": 4,
        "structure_checked": 6,
        "structure_frame": "star",
    }
    no_points = ContentReview((), None).to_dict()
    assert content_figures(no_points) == {
        **dict.fromkeys(CONTENT_COLUMNS),
        "key_points_covered": 0,
        "key_points_partly": 0,
        "key_points_checked": 0,
    }
    assert content_figures(None) == dict.fromkeys(CONTENT_COLUMNS)
    assert summary_of({"language": "zh"})["key_points_checked"] is None


def test_a_saved_report_fills_the_content_columns() -> None:
    clock = StepClock()
    real = review_content(words(SAID), RAG_POINTS)
    counts = real.counts()
    assert counts["covered"] >= 1, "the answer states the first key point"
    with Store.open(clock=clock) as store:
        with_review = keep(store, clock, RAG_POINTS, answer(30, 220), content=real)
        without = keep(store, clock, zh_question(), answer(30, 220))
        a = store.get(with_review.attempt_id)
        assert figures(a) == (
            counts["covered"],
            counts["partly"],
            counts["covered"] + counts["partly"] + counts["missing"],
            sum(s.found for s in real.structure.signals) if real.structure else None,
            3,
            "zongfenzong",
        )
        assert figures(store.get(without.attempt_id)) == (None,) * 6
        point = store.progress()[0]
        assert (point.key_points_covered, point.structure_checked) == (counts["covered"], 3)
        assert point.sample().key_points_checked == a.key_points_checked
        assert point.sample().structure_frame == "zongfenzong"
        assert store.progress()[1].sample().structure_frame is None


def test_schema_5_is_migrated_to_6_filling_the_content_figures_from_stored_reports() -> None:
    clock = StepClock()
    with Store.open(clock=clock) as store:
        kept = content_history(store, clock)
        plain = keep(store, clock, zh_question(), answer(30, 220), when=START + timedelta(days=11))
        expected = {k.attempt_id: figures(store.get(k.attempt_id)) for k in kept}
        broken = keep(store, clock, zh_question(), answer(30, 220), when=START + timedelta(days=12))
    assert expected[kept[0].attempt_id] == (0, 1, 4, 1, 6, "star")
    assert expected[kept[-1].attempt_id] == (3, 0, 3, 3, 3, "zongfenzong")
    path = data_dir() / DB_NAME
    conn = sqlite3.connect(path)  # the history as version 5 left it
    conn.execute("UPDATE attempts SET report_json = '[not json' WHERE id = ?", (broken.attempt_id,))
    for name in CONTENT_COLUMNS:
        conn.execute(f"ALTER TABLE attempts DROP COLUMN {name}")
    conn.execute("PRAGMA user_version = 5")
    conn.commit()
    conn.close()

    with Store.open() as store:
        assert store.notices == ()
        for attempt_id, values in expected.items():
            assert figures(store.get(attempt_id)) == values
        assert figures(store.get(plain.attempt_id)) == (None,) * 6, "no review: no figures"
        assert figures(store.get(broken.attempt_id)) == (None,) * 6, "unreadable: left alone"
        assert [p.key_points_covered for p in store.progress()][:10] == [
            values[0] for values in expected.values()
        ]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 6
    conn.close()
