"""Builders for history, review, progress, export and drill tests (no tests here).

A history is filled the way the booth fills it — recording path, row before recording, WAV
on disk, report after — with reports computed by the real metrics from made-up but
realistic transcripts, at fixed times, so every number and snapshot is reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import soundfile as sf

from kiosk.core.content import ContentReview
from kiosk.core.keypoints import KeyPointResult
from kiosk.core.metrics import compute_metrics
from kiosk.core.ports import SAMPLE_RATE
from kiosk.core.report import Report
from kiosk.core.structure import Signal, StructureReview
from kiosk.core.target import Target
from kiosk.core.transcript import Span, Transcript, Word
from kiosk.questions.model import Kind, Question
from kiosk.store.database import Store
from tests.support.audio import tone

START = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


class StepClock:
    """The store's clock: fixed until moved."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def zh_question(qid: str = "zh-project", category: str = "项目经历", **kw: object) -> Question:
    values: dict[str, object] = {
        "id": qid,
        "bank_id": "zh-ai-pm",
        "language": "zh",
        "category": category,
        "kind": Kind.BEHAVIORAL,
        "text": "请介绍一个你负责过的 AI 项目。",
        "target": Target(20, 40),
    }
    values.update(kw)
    return Question(**values)  # type: ignore[arg-type]


MOTIVATION = zh_question(
    "zh-why", category="求职动机", kind=Kind.MOTIVATION, text="你为什么想做产品经理？"
)


def answer(
    seconds: float, pace: float, fillers: int = 0, pause_at: int | None = None
) -> Transcript:
    """A Mandarin answer of two-character words at about ``pace`` chars/min, ending at
    ``seconds``: every third word is 嗯 while ``fillers`` last, and a 1.5 s silence comes
    before word ``pause_at``."""
    gap = 1.5 if pause_at is not None else 0.0
    n = max(2, round(pace * (seconds - 0.5) / 60 / 2))
    step = (seconds - 0.5 - gap) / n
    words: list[Word] = []
    for i in range(n):
        start = 0.5 + i * step + (gap if pause_at is not None and i >= pause_at else 0.0)
        text = "嗯，" if i % 3 == 0 and i // 3 < fillers else ("项目" if i % 2 else "我们")
        words.append(Word(text, round(start, 3), round(start + step * 0.9, 3)))
    if pause_at is None:
        spans: tuple[Span, ...] = (Span(words[0].start, words[-1].end),)
    else:
        spans = (
            Span(words[0].start, words[pause_at - 1].end),
            Span(words[pause_at].start, words[-1].end),
        )
    return Transcript("zh", seconds + 0.5, tuple(words), spans)


@dataclass(frozen=True)
class Kept:
    attempt_id: int
    report: Report
    audio: Path


def keep(
    store: Store,
    clock: StepClock,
    question: Question,
    transcript: Transcript,
    *,
    when: datetime | None = None,
    session_id: int | None = None,
    target: Target | None = None,
    content: ContentReview | None = None,
) -> Kept:
    """One answer kept as the booth keeps it: WAV (a tone as long as the answer) + report."""
    if when is not None:
        clock.now = when
    path = store.new_recording_path(question.id)
    audio = tone(transcript.duration)
    sf.write(str(path), audio, SAMPLE_RATE, subtype="PCM_16")
    attempt = store.begin_attempt(question, path, session_id=session_id)
    store.finish_recording(attempt, audio.size, SAMPLE_RATE)
    metrics = compute_metrics(transcript, target or question.target)
    report = Report(
        transcript,
        metrics,
        source=str(path),
        question_id=question.id,
        question_text=question.text,
        model="test",
        created_at=clock.now.replace(microsecond=0),
        content=content,
    )
    store.save_report(attempt, report)
    return Kept(attempt, report, path)


def improving_history(store: Store, clock: StepClock) -> list[Kept]:
    """Ten answers a day apart: fillers fall, length moves into the target, pace settles
    into the band; alternating two categories."""
    kept = []
    for day in range(10):
        q = zh_question() if day % 2 == 0 else MOTIVATION
        seconds = 50.0 - day * 2.5  # 50 s (over 40) → 27.5 s (within 20–40)
        pace = 300.0 - day * 10  # 300 → 210 chars/min
        fillers = max(0, 6 - day)
        when = START + timedelta(days=day)
        kept.append(keep(store, clock, q, answer(seconds, pace, fillers, pause_at=5), when=when))
    return kept


STAR_KEYS = ("situation", "task", "action", "result", "order", "quantified")
ZONGFENZONG_KEYS = ("opening", "points", "closing")


def review(statuses: str, found: int, frame: str = "star", not_checked: int = 0) -> ContentReview:
    """A content review: one key point per letter of ``statuses`` (c covered, p partly,
    m missing), ``not_checked`` more, and the first ``found`` structure signals of
    ``frame`` found (STAR: six signals, 总分总: three)."""
    names = {"c": "covered", "p": "partly", "m": "missing"}
    points = [KeyPointResult(f"要点{i + 1}", names[c]) for i, c in enumerate(statuses)]  # type: ignore[arg-type]
    points += [KeyPointResult(f"建议{i + 1}", "not_checked") for i in range(not_checked)]
    keys = STAR_KEYS if frame == "star" else ZONGFENZONG_KEYS
    signals = tuple(Signal(k, k.title(), i < found) for i, k in enumerate(keys))
    return ContentReview(tuple(points), StructureReview(frame, signals))


CONTENT_PLAN = (
    ("mmmp", 1),
    ("mmm", 1),
    ("cmmp", 2),
    ("cmm", 1),
    ("ccmp", 4),
    ("cpm", 2),
    ("cccm", 5),
    ("ccm", 3),
    ("cccc", 6),
    ("ccc", 3),
)
"""Key points and structure signals of the ten answers of :func:`content_history`."""


def content_history(store: Store, clock: StepClock) -> list[Kept]:
    """Ten answers a day apart, as :func:`improving_history`, each with a content review
    whose key points covered and structure signals found grow: project stories (four key
    points, STAR) and motivation answers (three key points, 总分总) alternate."""
    kept = []
    for day, (statuses, found) in enumerate(CONTENT_PLAN):
        q = zh_question() if day % 2 == 0 else MOTIVATION
        frame = "star" if day % 2 == 0 else "zongfenzong"
        seconds, pace, fillers = 50.0 - day * 2.5, 300.0 - day * 10, max(0, 6 - day)
        kept.append(
            keep(
                store,
                clock,
                q,
                answer(seconds, pace, fillers, pause_at=5),
                when=START + timedelta(days=day),
                content=review(statuses, found, frame, not_checked=1 if day % 2 else 0),
            )
        )
    return kept
