"""The report's JSON schema, its round trip, and the Markdown marks."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.core.errors import BadInput
from kiosk.core.metrics import compute_metrics
from kiosk.core.report import SCHEMA_VERSION, Report
from kiosk.core.target import Target
from kiosk.core.transcript import Span, Transcript, Word

WORDS = (
    Word("嗯，", 0.5, 0.8),
    Word("我们", 0.8, 1.2),
    Word("的", 1.2, 1.4),
    Word("LLM", 1.4, 1.9),
    Word("啊这个", 3.0, 3.6),
    Word("方案", 3.6, 4.0),
    Word("很好。", 4.0, 4.5),
)
SPEECH = (Span(0.5, 1.9), Span(2.9, 4.5))
DEFAULT_TARGET = Target(1, 3)


def make_report(target: Target | None = DEFAULT_TARGET) -> Report:
    t = Transcript("zh", 6.0, WORDS, SPEECH)
    return Report(
        transcript=t,
        metrics=compute_metrics(t, target),
        source="answer.wav",
        question_id="zh-ai-001",
        question_text="介绍一个你做过的AI产品",
        model="whisper-base",
        created_at=datetime(2026, 11, 23, 9, 0, tzinfo=UTC),
    )


def test_schema_keys_and_values() -> None:
    d = json.loads(json.dumps(make_report().to_dict(), ensure_ascii=False))
    assert d["schema_version"] == SCHEMA_VERSION
    assert d["language"] == "zh"
    assert d["duration_s"] == 6.0
    assert d["speaking_s"] == pytest.approx(3.0)
    assert d["transcript"]["text"] == "嗯，我们的LLM啊这个方案很好。"
    assert d["transcript"]["words"][3] == {
        "text": "LLM",
        "start": 1.4,
        "end": 1.9,
        "probability": 1.0,
    }
    assert d["pace"]["unit"] == "chars/min"
    assert d["pace"]["value"] == pytest.approx(12 * 60 / 3.0)
    assert d["fillers"]["total"] == 2
    assert d["fillers"]["by_word"] == {"嗯": 1, "啊": 1}
    assert d["fillers"]["items"][1]["marks"] == [[4, 0, 1]]
    assert d["pauses"]["count"] == 1
    assert d["pauses"]["longest_s"] == pytest.approx(1.0)
    assert d["pauses"]["items"][0]["before_word"] == 4
    assert d["length"]["verdict"] == "too_long"
    assert d["length"]["target"] == {"low": 1, "high": 3}
    assert d["length"]["target_end_word"] == 4
    assert d["question"] == {"id": "zh-ai-001", "text": "介绍一个你做过的AI产品"}
    assert d["created_at"] == "2026-11-23T09:00:00+00:00"


@pytest.mark.parametrize("target", [Target(1, 3), None])
def test_round_trip_through_json(target: Target | None) -> None:
    report = make_report(target)
    again = Report.from_dict(json.loads(json.dumps(report.to_dict())))
    assert again == report
    assert again.to_dict() == report.to_dict()


def test_round_trip_of_empty_report() -> None:
    t = Transcript("en", 3.0)
    report = Report(t, compute_metrics(t))
    assert Report.from_dict(json.loads(json.dumps(report.to_dict()))) == report


@pytest.mark.parametrize(
    "broken",
    [{}, {"schema_version": 999}, {"schema_version": SCHEMA_VERSION, "language": "zh"}],
)
def test_from_dict_rejects_other_data(broken: dict[str, object]) -> None:
    with pytest.raises(BadInput):
        Report.from_dict(broken)


def test_markdown_marks_fillers_pauses_and_overtime() -> None:
    md = make_report().to_markdown()
    assert "**嗯**，我们的 LLM" not in md  # no space is invented around Han text
    assert "**嗯**，我们的LLM ⏸1.0s ⏰ **啊**这个方案很好。" in md
    assert "介绍一个你做过的AI产品" in md
    assert "at least 2" in md


def test_markdown_of_english_keeps_spaces() -> None:
    words = (
        Word("So,", 0.0, 0.3),
        Word("I", 0.3, 0.4),
        Word("think,", 0.4, 0.8),
        Word("um,", 0.8, 1.0),
        Word("yes.", 1.0, 1.3),
    )
    t = Transcript("en", 1.5, words, (Span(0.0, 1.3),))
    md = Report(t, compute_metrics(t)).to_markdown()
    assert "**So**, I think, **um**, yes." in md


def test_markdown_of_silence() -> None:
    t = Transcript("zh", 5.0)
    assert "No speech detected" in Report(t, compute_metrics(t)).to_markdown()


@settings(max_examples=50)
@given(st.lists(st.sampled_from(["嗯", "啊，", "那个", "we", "like,", "。", "ｕｍ"]), max_size=15))
def test_round_trip_property(tokens: list[str]) -> None:
    words = tuple(Word(t, i * 0.4, i * 0.4 + 0.3) for i, t in enumerate(tokens))
    t = Transcript("auto", len(tokens) * 0.4 + 1, words, (Span(0.0, len(tokens) * 0.2),))
    report = Report(t, compute_metrics(t, Target(1, 2)))
    assert Report.from_dict(json.loads(json.dumps(report.to_dict()))) == report


def test_rich_transcript_highlights_fillers_and_pauses() -> None:
    from kiosk.render import FILLER_STYLE, transcript_text

    text = transcript_text(make_report())
    styled = {text.plain[s.start : s.end]: str(s.style) for s in text.spans}
    assert styled["嗯"] == FILLER_STYLE and styled["啊"] == FILLER_STYLE
    assert any(piece.strip() == "⏸1.0s" for piece in styled)
    assert text.plain.startswith("嗯，我们的LLM")
