"""``kiosk history`` end to end through ``kiosk.cli.main`` on a real store."""

from __future__ import annotations

import csv
import io
import json
import re
import stat
from pathlib import Path

import numpy as np
import pytest
from rich.cells import cell_len

from kiosk.audio.wav import WavWriter
from kiosk.cli import main
from kiosk.config import data_dir
from kiosk.core.metrics import compute_metrics
from kiosk.core.report import Report
from kiosk.core.target import Target
from kiosk.core.transcript import Span, Transcript, Word
from kiosk.questions.model import Question
from kiosk.store.database import DB_NAME, Store
from tests.support.store import INTRO, ZH_WORDS, interrupted_attempt, rag, zh_intro

RAG = rag(Target(2, 4))


def _report(question: Question, texts: list[str]) -> Report:
    words = tuple(Word(t, i * 0.5, i * 0.5 + 0.4) for i, t in enumerate(texts))
    transcript = Transcript(question.language, len(texts) * 0.5 + 1, words, (Span(0.0, 4.5),))
    metrics = compute_metrics(transcript, question.target)
    return Report(transcript, metrics, question_id=question.id, question_text=question.text)


EN_WORDS = ["Um,", "I", "lead", "product", "for", "an", "AI", "health", "app."]


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # keep table rows on one line


SAVED: dict[int, Report] = {}


@pytest.fixture
def history() -> dict[str, int]:
    """Two analysed answers and one recorded but not analysed."""
    ids = {}
    SAVED.clear()
    with Store.open() as store:
        for name, question, words in (("zh", RAG, ZH_WORDS), ("en", INTRO, EN_WORDS)):
            path = store.new_recording_path(question.id)
            with WavWriter(path, 16_000) as w:
                w.write(np.zeros(16_000, dtype=np.float32))
            ids[name] = store.begin_attempt(question, path)
            store.finish_recording(ids[name], 16_000 * 5, 16_000)
            SAVED[ids[name]] = _report(question, words)
            store.save_report(ids[name], SAVED[ids[name]])
        ids["pending"] = store.begin_attempt(RAG, store.new_recording_path(RAG.id))
        store.finish_recording(ids["pending"], 16_000 * 3, 16_000)
    return ids


def test_empty_history(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history"]) == 0
    assert capsys.readouterr().out == "No answers in the history yet.\n"


def test_list_table_and_filters(
    history: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["history", "list"]) == 0
    out = capsys.readouterr().out
    zh_row = next(line for line in out.splitlines() if RAG.text in line and "too long" in line)
    # the headline pace (first to last word) and the answer's length, as in its report
    assert "205 chars/min" in zh_row and "≥ 1 · 13.3/min" in zh_row and "0:04" in zh_row
    assert "Tell me about yourself." in out and "words/min" in out
    assert "recorded" in out  # the answer not analysed yet says so instead of a verdict

    assert main(["history", "--question", INTRO.id, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == [history["en"]]
    assert rows[0]["pace_unit"] == "words/min" and rows[0]["language"] == "en"

    assert main(["history", "list", "--limit", "1", "--json"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == [history["pending"]]
    assert main(["history", "--lang", "fr"]) == 0
    assert capsys.readouterr().out == "No answers match.\n"


def test_show_renders_report_markdown_and_json(
    history: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    expected = SAVED[history["zh"]]
    assert main(["history", "show", str(history["zh"]), "--markdown"]) == 0
    markdown = capsys.readouterr().out
    assert markdown == expected.to_markdown()
    assert "**嗯" in markdown and RAG.text in markdown

    assert main(["history", "show", str(history["zh"])]) == 0
    rich = capsys.readouterr().out
    assert RAG.text in rich and "场景" in rich

    assert main(["history", "show", str(history["zh"]), "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["question_id"] == RAG.id
    assert record["report"]["transcript"]["text"] == expected.transcript.text
    assert record["report"]["pace"]["value"] == expected.metrics.pace.value

    assert main(["history", "show", str(history["pending"])]) == 0
    out = capsys.readouterr().out
    assert "status: recorded" in out and "kiosk history recover --analyse" in out


def test_show_unknown_answer_is_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "show", "99"]) == 2
    err = capsys.readouterr().err
    assert err == "kiosk: no attempt 99 in the history (see: kiosk history)\n"


def test_unreadable_stored_report_points_to_raw_json(
    history: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open() as store:
        store.save_report(history["en"], {"schema_version": 99, "pace": {"value": 1.0}})
    assert main(["history", "show", str(history["en"])]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"kiosk: answer {history['en']}: stored report cannot be read (")
    assert err.endswith(f"kiosk history show {history['en']} --json\n")
    assert len(err.splitlines()) == 1
    assert main(["history", "show", str(history["en"]), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["report"]["schema_version"] == 99


def test_export_csv_to_stdout_and_json_to_private_file(
    history: dict[str, int], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["history", "export"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [int(r["id"]) for r in rows] == [history["zh"], history["en"], history["pending"]]
    assert rows[0]["question_text"] == RAG.text and rows[0]["length_verdict"] == "too long"
    assert rows[2]["status"] == "recorded" and rows[2]["pace_value"] == ""

    out = tmp_path / "history.json"
    assert main(["history", "export", "--format", "json", "--output", str(out)]) == 0
    assert "history written to" in capsys.readouterr().err
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [d["id"] for d in data] == [history["zh"], history["en"], history["pending"]]
    assert data[1]["report"]["transcript"]["text"].startswith("Um,")
    assert data[2]["report"] is None

    assert main(["history", "export", "--output", str(tmp_path)]) == 2
    assert capsys.readouterr().err.startswith(f"kiosk: cannot write {tmp_path}:")


def test_delete_removes_answer_and_recording(
    history: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open() as store:
        audio = store.audio_file(store.get(history["en"]))
    assert audio is not None and audio.exists()
    assert main(["history", "delete", str(history["en"])]) == 0
    assert capsys.readouterr().out == f"deleted answer {history['en']} and its recording\n"
    assert not audio.exists()
    assert main(["history", "delete", str(history["en"])]) == 2


def test_recover_reports_what_it_did(capsys: pytest.CaptureFixture[str]) -> None:
    with Store.open() as store:
        orphan = store.recordings_dir() / "20261122T200000Z-x.wav"
    with WavWriter(orphan, 16_000) as w:
        w.write(np.zeros(8_000, dtype=np.float32))
    assert main(["history", "recover"]) == 0
    assert capsys.readouterr().out == "1 answer recovered from an interrupted session\n"
    assert main(["history", "recover"]) == 0
    assert capsys.readouterr().out == "Nothing to recover.\n"
    assert main(["history", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert (row["status"], row["duration_s"]) == ("recovered", 0.5)


def test_damaged_history_is_announced_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    path = data_dir() / DB_NAME
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a database" * 50)
    assert main(["history"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "No answers in the history yet.\n"
    assert captured.err.startswith("kiosk: the history database was damaged; it was kept as ")
    assert len(captured.err.splitlines()) == 1
    assert list(path.parent.glob(f"{DB_NAME}.corrupt-*"))


@pytest.mark.model
def test_recover_analyse_transcribes_with_the_real_model(
    model_dir: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    question = zh_intro("zh-intro-welcome", "请用一句话欢迎大家。", Target(2, 4))
    with Store.open() as store:
        attempt_id = interrupted_attempt(store, question, data_dir / "zh_welcome.wav")

    assert main(["history", "recover", "--analyse", "--model", str(model_dir)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "1 answer recovered from an interrupted session"
    assert out[1].startswith(f"  answer {attempt_id}: analysed — ")
    assert "chars/min" in out[1]

    with Store.open() as store:
        attempt = store.get(attempt_id)
        report = store.report(attempt_id)
    assert attempt.status == "analysed" and report is not None
    assert report.question_text == question.text
    text = report.transcript.text
    assert "欢迎" in text and "语音识别" in text, text
    assert attempt.pace_unit == "chars/min"
    assert attempt.pace_value is not None and 150 < attempt.pace_value < 400
    assert attempt.length_verdict == "too_long"  # about 5 s of speech against 2-4 s


LONG = zh_intro(
    "zh-intro-1min",
    "请用 1 分钟做一个自我介绍，重点讲清楚你和这个 AI 产品经理岗位最相关的一段经历。",
    Target(54, 66),
)


@pytest.fixture
def long_question() -> int:
    """One analysed answer to a question longer than any terminal row."""
    with Store.open() as store:
        path = store.new_recording_path(LONG.id)
        attempt = store.begin_attempt(LONG, path)
        store.finish_recording(attempt, 16_000 * 5, 16_000)
        store.save_report(attempt, _report(LONG, ZH_WORDS))
    return attempt


def _plain(text: str) -> list[str]:
    return re.sub(r"\x1b\[[0-9;]*m", "", text).splitlines()


def _cells(line: str, start: int, end: int) -> str:
    """The characters of ``line`` in terminal cells ``start`` to ``end`` (CJK take two)."""
    out, at = [], 0
    for ch in line:
        if start <= at < end:
            out.append(ch)
        at += cell_len(ch)
    return "".join(out)


def test_list_in_80_columns_wraps_the_question_and_keeps_every_figure(
    long_question: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # rich draws for a terminal…
    monkeypatch.setenv("NO_COLOR", "1")  # …without colour
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["history"]) == 0
    lines = _plain(capsys.readouterr().out)
    assert all(cell_len(line.rstrip()) <= 80 for line in lines)
    header, first = lines[0], lines[2]
    for name in ("#", "when", "question", "len", "pace", "fillers", "verdict"):
        assert name in header
    assert "0:04" in first and "205 chars/min" in first and "too short" in first
    assert "≥ 1" in first, "the filler count keeps its column"
    start, end = header.index("question"), header.index("len")
    question = "".join(_cells(line, start, end).strip() for line in lines[2:])
    assert question.replace(" ", "") == LONG.text.replace(" ", ""), "wrapped, never cut"


def test_list_piped_keeps_every_question_whole(
    long_question: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "40")  # a narrow terminal's width does not reach a pipe
    assert main(["history"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3, "one line per answer"
    assert LONG.text in lines[2] and "too short" in lines[2] and "zh" in lines[2]


def _content_history() -> list[int]:
    """Ten answers whose content reviews cover more key points over time, and one answer
    to a question without key points."""
    from tests.support.history import StepClock, answer, content_history, keep, review, zh_question

    clock = StepClock()
    with Store.open(clock=clock) as store:
        kept = content_history(store, clock)
        none = keep(store, clock, zh_question("zh-free"), answer(30, 220), content=review("", 2))
    return [*(k.attempt_id for k in kept), none.attempt_id]


def test_list_shows_key_points_covered_of_those_checked_in_80_columns(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _content_history()
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["history", "--limit", "3"]) == 0
    lines = _plain(capsys.readouterr().out)
    assert all(cell_len(line.rstrip()) <= 80 for line in lines)
    header = lines[0]
    assert header.rstrip().endswith("pts"), "the header is whole"
    rows = {line.split()[0]: line for line in lines[2:] if line[:1].isdigit()}
    at = header.index("pts")
    cell = lambda i: _cells(rows[str(i)], at, 80).strip()  # noqa: E731
    assert cell(ids[-1]) == "—", "no key points for that question"
    assert cell(ids[-2]) == "3/3" and cell(ids[-3]) == "4/4"


def test_wide_list_adds_the_partly_covered_and_exports_carry_the_counts(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ids = _content_history()
    assert main(["history", "--limit", "20"]) == 0
    out = capsys.readouterr().out
    first = next(line for line in out.splitlines() if line.startswith(f"{ids[0]} "))
    assert first.rstrip().endswith("0/4 +1 partly")

    assert main(["history", "--json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert {k: rows[ids[0]][k] for k in rows[ids[0]] if k.startswith(("key_", "structure"))} == {
        "key_points_covered": 0,
        "key_points_partly": 1,
        "key_points_checked": 4,
        "structure_found": 1,
        "structure_checked": 6,
        "structure_frame": "star",
    }
    assert rows[ids[-1]]["key_points_checked"] == 0 and rows[ids[-1]]["structure_found"] == 2

    assert main(["history", "export"]) == 0
    csv_rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert (csv_rows[-2]["key_points_covered"], csv_rows[-2]["key_points_checked"]) == ("3", "3")
    assert (csv_rows[-2]["structure_found"], csv_rows[-2]["structure_checked"]) == ("3", "3")
    out_file = tmp_path / "all.json"
    assert main(["history", "export", "--format", "json", "--output", str(out_file)]) == 0
    data = json.loads(out_file.read_text(encoding="utf-8"))
    assert data[0]["structure_frame"] == "star" and data[0]["report"]["content"] is not None
