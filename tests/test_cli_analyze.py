"""``kiosk analyze``: clear one-line errors for bad input, and the report on real speech.

The error cases never load a model. The middle tier swaps in the scripted FakeTranscriber to
check the plumbing (file → pipeline → JSON / Markdown / --output). The ``model`` tier runs
the real embedded Whisper model on the committed speech clips.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from kiosk.audio.files import write_wav
from kiosk.cli import main
from kiosk.commands import analyze
from kiosk.core.transcript import Span, Transcript, Word
from kiosk.pipeline import analyze_file
from kiosk.speech.fakes import FakeTranscriber, TranscribeCall
from tests.support.audio import tone


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["analyze", *args])
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code: int, err: str, *needles: str) -> None:
    assert code != 0
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kiosk: "), err
    for needle in needles:
        assert needle in lines[0]


@pytest.fixture
def no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """Error cases must fail before any model is touched."""

    def refuse(model_dir: Path | None) -> None:
        raise AssertionError("the model was loaded before the input was checked")

    monkeypatch.setattr(analyze, "_load_transcriber", refuse)


def _silence(path: Path, seconds: float = 0.5) -> Path:
    return write_wav(path, np.zeros(int(16_000 * seconds), dtype=np.float32))


def _sound(path: Path, seconds: float = 0.5) -> Path:
    """A recording loud enough to pass the silence gate (the transcriber is scripted)."""
    return write_wav(path, tone(seconds))


@pytest.mark.parametrize(
    ("make_args", "needles"),
    [
        (lambda d, tmp: [str(tmp / "missing.wav")], ["missing.wav", "no such file"]),
        (lambda d, tmp: [str(tmp)], ["is a directory"]),
        (lambda d, tmp: [str(d / "SOURCES.md")], ["SOURCES.md"]),
        (lambda d, tmp: [str(tmp / "empty.wav")], ["empty.wav"]),
        (lambda d, tmp: [str(d / "zh_welcome.wav"), "--target", "soon"], ["soon"]),
        (lambda d, tmp: [str(d / "zh_welcome.wav"), "--target", "90-60"], ["target"]),
        (lambda d, tmp: [str(d / "zh_welcome.wav"), "--lang", "fr"], ["--lang", "fr"]),
    ],
)
def test_bad_input_is_one_line(
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    tmp_path: Path,
    no_model: None,
    make_args: Callable[[Path, Path], list[str]],
    needles: list[str],
) -> None:
    (tmp_path / "empty.wav").write_bytes(b"")
    code, out, err = run_cli(capsys, *make_args(data_dir, tmp_path))
    assert_one_line_error(code, err, *needles)
    assert out == ""


def test_bad_config_file_is_one_line(
    capsys: pytest.CaptureFixture[str], kiosk_home: Path, tmp_path: Path, no_model: None
) -> None:
    config = kiosk_home / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("language = 'klingon'\n")
    code, _, err = run_cli(capsys, str(_silence(tmp_path / "a.wav")))
    assert_one_line_error(code, err, "config.toml", "language")


def test_missing_model_dir_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run_cli(
        capsys, str(_silence(tmp_path / "a.wav")), "--model", str(tmp_path / "nomodel")
    )
    assert_one_line_error(code, err, "nomodel")
    assert code == 3


SCRIPT = Transcript(
    "zh",
    2.0,
    (Word("啊，", 0.1, 0.4), Word("我们", 0.4, 0.8), Word("嗯", 0.8, 1.0), Word("可以", 1.0, 1.6)),
    (Span(0.1, 1.6),),
)


@pytest.fixture
def scripted(monkeypatch: pytest.MonkeyPatch) -> FakeTranscriber:
    fake = FakeTranscriber(transcript=SCRIPT)
    monkeypatch.setattr(analyze, "_load_transcriber", lambda model_dir: (fake, "scripted"))
    return fake


def test_json_output(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, scripted: FakeTranscriber
) -> None:
    wav = _sound(tmp_path / "answer.wav", 2.0)
    code, out, err = run_cli(capsys, str(wav), "--json", "--lang", "zh", "--target", "1")
    assert code == 0, err
    d = json.loads(out)
    assert scripted.calls == [TranscribeCall(32_000, "zh")]
    assert d["source"] == str(wav) and d["model"] == "scripted"
    assert d["fillers"]["by_word"] == {"啊": 1, "嗯": 1}
    assert d["length"]["verdict"] == "too_long" and d["length"]["target"] == {
        "low": 0.9,
        "high": 1.1,
    }


def test_markdown_and_output_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, scripted: FakeTranscriber
) -> None:
    wav = _sound(tmp_path / "answer.wav")
    code, out, _ = run_cli(capsys, str(wav), "--markdown")
    assert code == 0 and "**啊**，我们**嗯**可以" in out
    code, out, err = run_cli(capsys, str(wav), "--output", str(tmp_path / "r.json"))
    assert code == 0 and out == "" and "r.json" in err
    assert json.loads((tmp_path / "r.json").read_text())["fillers"]["total"] == 2
    code, out, _ = run_cli(capsys, str(wav))
    assert code == 0 and "at least 2" in out and "chars/min" in out


def test_pipeline_decodes_and_resamples(data_dir: Path) -> None:
    fake = FakeTranscriber(transcript=SCRIPT)
    report = analyze_file(data_dir / "en_jfk.flac", transcriber=fake, language="en")
    (call,) = fake.calls
    assert (
        call.language == "en" and abs(call.samples - 11 * 16_000) < 1_600
    )  # 44.1 kHz stereo → 16 kHz mono
    assert report.source == str(data_dir / "en_jfk.flac")
    assert report.metrics.fillers.total == 2


# ---- real model on real speech --------------------------------------------------------


@pytest.mark.model
def test_real_mandarin_conversation(
    capsys: pytest.CaptureFixture[str], data_dir: Path, model_dir: Path
) -> None:
    code, out, err = run_cli(
        capsys,
        str(data_dir / "zh_conversation.wav"),
        "--json",
        "--lang",
        "zh",
        "--model",
        str(model_dir),
    )
    assert code == 0, err
    d = json.loads(out)
    assert d["language"] == "zh" and d["pace"]["unit"] == "chars/min"
    assert 20 < d["duration_s"] < 30
    assert 0 < d["speaking_s"] <= d["duration_s"]
    assert 150 < d["pace"]["value"] < 400
    assert len(d["transcript"]["words"]) > 40
    assert all(w["start"] <= w["end"] for w in d["transcript"]["words"])
    assert d["fillers"]["by_word"].get("啊", 0) >= 2, d["transcript"]["text"]


@pytest.mark.model
def test_real_english(capsys: pytest.CaptureFixture[str], data_dir: Path, model_dir: Path) -> None:
    code, out, err = run_cli(
        capsys, str(data_dir / "en_jfk.flac"), "--json", "--lang", "en", "--model", str(model_dir)
    )
    assert code == 0, err
    d = json.loads(out)
    text = d["transcript"]["text"].lower()
    for phrase in ("fellow americans", "ask not what your country can do for you"):
        assert phrase in text
    assert d["pace"]["unit"] == "words/min" and 100 < d["pace"]["value"] < 200
    # a deliberate delivery: about 130 words/min overall, judged comfortable
    assert 110 < d["pace"]["span_value"] < 150 and d["pace"]["verdict"] == "comfortable"
    assert d["fillers"]["total"] == 0
    assert d["pauses"]["count"] >= 1


def test_progress_on_a_terminal(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    scripted: FakeTranscriber,
) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    code, out, err = run_cli(capsys, str(_sound(tmp_path / "a.wav", 2.0)), "--json")
    assert code == 0, err
    assert json.loads(out)["fillers"]["total"] == 2
    assert "Traceback" not in err
