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
    from kiosk.output.render import FILLER_STYLE, transcript_text

    text = transcript_text(make_report())
    styled = {text.plain[s.start : s.end]: str(s.style) for s in text.spans}
    assert styled["嗯"] == FILLER_STYLE and styled["啊"] == FILLER_STYLE
    assert any(piece.strip() == "⏸1.0s" for piece in styled)
    assert text.plain.startswith("嗯，我们的LLM")


# --- one way of writing each figure; possible fillers; never "at least 0" ------------------

PARTICLES = (
    Word("我们", 0.5, 0.9),
    Word("做得", 0.9, 1.3),
    Word("好啊。", 1.3, 1.8),
    Word("而且", 2.0, 2.4),
    Word("我们啊", 12.0, 12.6),
    Word("继续", 12.6, 13.0),
    Word("优化。", 13.0, 13.5),
)


def particle_report() -> Report:
    """No filler counted; 啊 at the end of a sentence (0:01) and inside one (0:12)."""
    t = Transcript("zh", 14.0, PARTICLES, (Span(0.5, 2.4), Span(12.0, 13.5)))
    return Report(t, compute_metrics(t, Target(10, 20)))


def test_possible_fillers_are_named_with_time_and_reason() -> None:
    from kiosk.core.report import possible_fillers_text

    m = particle_report().metrics
    assert m.fillers.total == 0
    assert possible_fillers_text(m) == (
        "2 possible fillers not counted: 啊 at 0:01 (end of a sentence), "
        "啊 at 0:12 (inside a sentence)"
    )
    assert possible_fillers_text(make_report().metrics) is None


def test_held_words_are_possible_fillers_too() -> None:
    from kiosk.core.report import possible_fillers_text

    words = (*(Word("我们", i * 0.4, i * 0.4 + 0.35) for i in range(6)), Word("然后", 2.4, 4.4))
    t = Transcript("zh", 5.0, words, (Span(0.0, 4.4),))
    text = possible_fillers_text(compute_metrics(t))
    assert text == "1 possible filler not counted: 然后 at 0:02 (held 2.0 s)"


def test_many_possible_fillers_are_cut_short() -> None:
    from kiosk.core.report import POSSIBLE_SHOWN, possible_fillers_text

    words = tuple(Word("好啊，", i * 1.0, i * 1.0 + 0.5) for i in range(POSSIBLE_SHOWN + 3))
    t = Transcript("zh", 10.0, words, (Span(0.0, 8.0),))
    text = possible_fillers_text(compute_metrics(t))
    assert text is not None and text.startswith(f"{POSSIBLE_SHOWN + 3} possible fillers")
    assert text.endswith(", and 3 more") and text.count("啊 at") == POSSIBLE_SHOWN


def test_possible_fillers_survive_the_json_round_trip() -> None:
    report = particle_report()
    data = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    assert [p["reason"] for p in data["fillers"]["possible"]] == [
        "end_of_sentence",
        "inside_sentence",
    ]
    assert data["fillers"]["possible"][1] == {
        "text": "啊",
        "reason": "inside_sentence",
        "word": 4,
        "chars": [2, 3],
        "start": 12.0,
        "end": 12.6,
    }
    assert Report.from_dict(data) == report
    older = {**data, "fillers": {k: v for k, v in data["fillers"].items() if k != "possible"}}
    assert Report.from_dict(older).metrics.fillers.possible == ()


def test_no_filler_is_never_at_least_0() -> None:
    from rich.console import Console

    from kiosk.core.figures import fillers_text
    from kiosk.output.render import render_report
    from kiosk.ui.widgets.report_cards import cards

    assert fillers_text(0) == "none counted" and fillers_text(3) == "at least 3"
    report = particle_report()
    md = report.to_markdown()
    assert "- Fillers: none counted" in md and "at least 0" not in md
    console = Console(width=160, record=True)
    console.print(render_report(report))
    rich = console.export_text()
    assert "none counted" in rich and "at least 0" not in rich
    card = next(c for c in cards(report.metrics) if c[0] == "Fillers")
    assert card[1] == "none counted" and "at least" not in card[2]
    assert report.to_dict()["figures"]["fillers"] == "none counted"


def test_every_renderer_writes_the_same_figures() -> None:
    from rich.console import Console

    from kiosk.output.render import render_report
    from kiosk.ui.widgets.report_cards import cards

    report = particle_report()
    m = report.metrics
    figures = report.to_dict()["figures"]
    # 15 Han characters from 0.5 s to 13.5 s: 69.2 → "69"; in 3.4 s of speech: 264.7
    assert figures == {
        "length": "0:13",
        "pace": "69 chars/min",
        "speaking_pace": "265 chars/min while speaking (secondary)",
        "fillers": "none counted",
    }
    assert m.pace.headline == m.pace.span_value and m.pace.verdict == "slow"
    md = report.to_markdown()
    assert "- Length: 0:13 (target 0:10–0:20: in range)" in md
    assert "- Pace: 69 chars/min (slow); 265 chars/min while speaking (secondary)" in md
    assert "- 2 possible fillers not counted: 啊 at 0:01" in md
    console = Console(width=200, record=True)
    console.print(render_report(report))
    rich = console.export_text()
    assert "0:13" in rich and "69 chars/min" in rich and "265 while speaking (secondary)" in rich
    assert "2 possible fillers not counted: 啊 at 0:01 (end of a sentence)" in rich
    shown = {title: value for title, value, _, _ in cards(m)}
    assert (shown["Length"], shown["Pace"], shown["Fillers"]) == (
        "0:13",
        "69 chars/min",
        "none counted",
    )


async def test_booth_report_screen_shows_the_possible_fillers() -> None:
    from textual.widgets import Static

    from tests.test_ui_support import answer_to_report, booth, open_first_question

    words = (
        Word("嗯，", 0.5, 0.9),
        Word("我", 1.0, 1.2),
        Word("负责", 1.2, 1.6),
        Word("大模型", 1.6, 2.3),
        Word("项目啊。", 2.3, 3.3),
        Word("我们啊", 4.8, 5.3),
        Word("提升了", 5.3, 5.9),
        Word("效率。", 5.9, 6.4),
    )
    b = booth(transcript=Transcript("zh", 7.0, words, (Span(0.5, 3.3), Span(4.8, 6.4))))
    async with b.app.run_test(size=(110, 40)) as pilot:
        await open_first_question(pilot)
        await answer_to_report(b, pilot)
        screen = b.app.screen
        line = screen.query_one("#report-possible", Static)
        assert line.display
        assert str(line.render()) == (
            "2 possible fillers not counted: 啊 at 0:02 (end of a sentence), "
            "啊 at 0:04 (inside a sentence)"
        )
        assert "at least 1" in str(screen.query_one("#card-fillers", Static).render())
