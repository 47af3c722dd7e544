"""Key points and structure in the report: JSON round trip, Markdown, the CLI's
``--question``, the pipeline finding the question by id, and the booth's section."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Static

from kiosk.audio.files import write_wav
from kiosk.cli import main
from kiosk.commands import analyze
from kiosk.core.content import ContentReview
from kiosk.core.keypoints import KeyPointResult, Match
from kiosk.core.report import Report, content_markdown
from kiosk.core.transcript import Span, Transcript, Word
from kiosk.output.render import MATCH_STYLE, content_text, key_point_text
from kiosk.pipeline import report_from_transcript
from kiosk.questions.library import Library
from kiosk.questions.model import Bank, Kind
from kiosk.speech.fakes import FakeTranscriber
from kiosk.ui.screens.report import ReportScreen
from kiosk.ui.widgets.content_review import ContentReviewView
from tests.support.audio import tone
from tests.support.snapshots import fixed_home
from tests.test_ui_support import booth, deliver, open_first_question, question, until

ANSWER = (
    "最大的 困难 是 上线 前 两周， 我们 发现 模型 对 方言 的 识别 准确率 只有 百分之六十。 "
    "我自己 去 找了 五十条 真实 的 方言 录音， 跟 算法 同学 一起 标注。 "
    "最后 准确率 提到了 百分之八十五， 按时 上线了。 事后 复盘 我 觉得 应该 更早 测试。"
)
BANK_ID = "zh-aipm-53"
"""A bundled behavioural question: 困难具体 / 分析过程 / 自己的行动 / 结果和复盘."""


def transcript(text: str = ANSWER, language: str = "zh", step: float = 0.12) -> Transcript:
    tokens = text.split()
    words = tuple(
        Word(t, 0.2 + step * i, 0.2 + step * i + step * 0.9) for i, t in enumerate(tokens)
    )
    return Transcript(language, 0.4 + step * len(tokens), words, (Span(0.2, words[-1].end),))


@dataclass(frozen=True)
class Asked:
    id: str
    text: str
    kind: str
    key_points: tuple[str, ...]


MINE = Asked(
    "me-rag",
    "RAG 和微调分别适合什么场景？",
    "knowledge",
    ("检索增强适合知识多变", "微调适合风格和格式", "成本与维护"),
)


def test_report_from_transcript_with_a_question_reviews_the_content() -> None:
    tx = transcript(
        "我 觉得 RAG 适合 知识 经常 更新 的 情况， 微调 适合 固定 的 格式。 总的来说 看 场景。"
    )
    report = report_from_transcript(tx, question=MINE)
    assert report.question_id == "me-rag" and report.question_text == MINE.text
    assert report.content is not None
    assert [k.status for k in report.content.key_points] == ["covered", "covered", "missing"]
    assert report.content.structure is not None
    assert report.content.structure.frame == "zongfenzong"


def test_a_bank_question_is_found_by_its_id_and_a_follow_up_is_not() -> None:
    report = report_from_transcript(transcript(), question_id=BANK_ID)
    assert report.content is not None
    assert report.question_text == "整个项目过程中你遇到的最大困难是什么？是怎么解决的？"
    statuses = {k.text: k.status for k in report.content.key_points}
    assert statuses["自己的行动"] == "covered" and statuses["结果和复盘"] == "covered"
    assert report.content.structure is not None and report.content.structure.frame == "star"
    follow = report_from_transcript(transcript(), question_id=f"{BANK_ID}-followup")
    assert follow.content is None
    assert report_from_transcript(transcript()).content is None


def test_content_survives_the_json_round_trip() -> None:
    report = report_from_transcript(transcript(), question_id=BANK_ID)
    d = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    assert d["content"]["key_points"][2]["status"] == "covered"
    match = d["content"]["key_points"][2]["matches"][0]
    assert set(match) == {"term", "text", "how", "marks", "start", "end"}
    assert d["content"]["structure"]["signals"][0]["key"] == "situation"
    assert Report.from_dict(d) == report
    d["content"] = None
    assert Report.from_dict(d).content is None
    del d["content"]
    assert Report.from_dict(d).content is None  # reports saved before content existed


def test_markdown_and_rich_show_marks_and_words() -> None:
    report = report_from_transcript(transcript(), question_id=BANK_ID)
    md = report.to_markdown()
    assert "## What was said" in md
    assert "- ✓ 自己的行动 — heard: 我自己 (行动, synonym)" in md
    assert "**Structure — STAR (situation, task, action, result):**" in md
    plain = content_text(report.content).plain  # type: ignore[arg-type]
    assert "✓ 结果和复盘" in plain and "Results quantified" in plain


def test_answer_words_are_literal_in_markdown_and_rich() -> None:
    said = Match("检索增强", "[bold]*RAG*[/bold] <b>", "synonym", ((0, 0, 5),), 0.0, 1.0)
    point = KeyPointResult("检索增强", "covered", (said,))
    content = ContentReview((point,))
    assert "[bold]*RAG*[/bold] <b>" in content_text(content).plain
    assert key_point_text(point).spans[-1].style != "bold red"
    md = "".join(content_markdown(content))
    assert "\\[bold\\]\\*RAG\\*\\[/bold\\] \\<b\\>" in md


# ---- kiosk analyze --question -----------------------------------------------------------


@pytest.fixture
def scripted(monkeypatch: pytest.MonkeyPatch) -> FakeTranscriber:
    fake = FakeTranscriber(transcript=transcript())
    monkeypatch.setattr(analyze, "_load_transcriber", lambda model_dir: (fake, "scripted"))
    return fake


def test_cli_question_adds_content_to_json_markdown_and_text(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, scripted: FakeTranscriber
) -> None:
    wav = write_wav(tmp_path / "a.wav", tone(2.0))  # loud enough for the silence gate
    assert main(["analyze", str(wav), "--json", "--question", BANK_ID]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["question"]["id"] == BANK_ID
    assert d["length"]["target"] == {"low": 90.0, "high": 180.0}  # the question's target
    assert [k["status"] for k in d["content"]["key_points"]][2:] == ["covered", "covered"]
    assert main(["analyze", str(wav), "--markdown", "--question", BANK_ID]) == 0
    assert "## What was said" in capsys.readouterr().out
    assert main(["analyze", str(wav), "--question", BANK_ID, "--target", "60"]) == 0
    out = capsys.readouterr().out
    assert "What was said" in out and "✓ 自己的行动" in out and "target 0:54–1:06" in out


def test_cli_unknown_question_is_a_one_line_error_before_the_model(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(model_dir: Path | None) -> None:
        raise AssertionError("the model was loaded before the question was checked")

    monkeypatch.setattr(analyze, "_load_transcriber", refuse)
    wav = write_wav(tmp_path / "a.wav", np.zeros(16_000, dtype=np.float32))
    code = main(["analyze", str(wav), "--question", "zh-aipm-533"])
    err = capsys.readouterr().err
    assert code != 0 and len(err.strip().splitlines()) == 1
    assert "no bank question has this id" in err and "zh-aipm-53" in err


# ---- the booth --------------------------------------------------------------------------


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with fixed_home(monkeypatch, Path("/tmp/kiosk-content-home")):
        yield


def content_library() -> Library:
    q = question(BANK_ID, kind=Kind.BEHAVIORAL, text="整个项目过程中你遇到的最大困难是什么？")
    return Library((Bank("test-bank", "测试题库", "zh", (q,)),))


async def answered(pilot: Pilot[Any], b: Any) -> None:
    await open_first_question(pilot)
    await pilot.press("space")
    await until(pilot, lambda: getattr(pilot.app.screen, "state", "") == "recording")
    deliver(b.recorder)
    b.clock.t += 7.0
    await pilot.press("space")
    await until(pilot, lambda: isinstance(pilot.app.screen, ReportScreen), timeout=30)
    await pilot.pause()


def highlighted(screen: ReportScreen) -> str:
    shown = screen.query_one("#transcript", Static).content
    assert isinstance(shown, Text)
    return "".join(shown.plain[s.start : s.end] for s in shown.spans if str(s.style) == MATCH_STYLE)


async def test_booth_shows_key_points_and_highlights_their_words(home: None) -> None:
    b = booth(lib=content_library(), transcript=transcript())
    async with b.app.run_test(size=(110, 44)) as pilot:
        await answered(pilot, b)
        screen = pilot.app.screen
        assert isinstance(screen, ReportScreen)
        view = screen.query_one("#report-content", ContentReviewView)
        text = view.lines_text().plain
        assert "Key points: 2 of 3 key points covered" in text
        assert "✓ 自己的行动" in text and "我自己" in text
        assert highlighted(screen) == ""
        for _ in range(4):  # keyboard only: tab until the section has the focus
            if view.has_focus:
                break
            await pilot.press("tab")
        assert view.has_focus
        await pilot.press("down", "down")  # the third key point: 自己的行动
        await pilot.pause()
        assert "▸ ✓ 自己的行动" in view.lines_text().plain
        assert highlighted(screen) == "我自己"
        await pilot.press("down")  # 结果和复盘
        await pilot.pause()
        assert set(highlighted(screen)) <= set("最后复盘百分之八十五提到了")
        assert "复盘" in highlighted(screen)


def test_report_screen_with_content(snap_compare: Any, home: None) -> None:
    b = booth(lib=content_library(), transcript=transcript())

    async def run(pilot: Pilot[Any]) -> None:
        await answered(pilot, b)
        await pilot.press("tab", "down", "down")
        await pilot.pause()

    assert snap_compare(b.app, terminal_size=(110, 44), run_before=run)
