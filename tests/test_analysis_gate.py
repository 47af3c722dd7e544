"""One recording, one answer: ``kiosk analyze``, crash recovery and the booth all analyse
through ``kiosk.pipeline.analyze_recording``, so the silence gate and the measurements are
the same wherever a recording is analysed.

Three recordings: silence, near-silence (noise at -56 dBFS, under the -50 dBFS gate) and a
quiet sound just over it (-44 dBFS). The transcriber is scripted, so "transcribed or not"
and the report's figures are what is compared.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import numpy as np
import pytest

from kiosk.audio.fakes import FakeRecorder
from kiosk.audio.files import load_audio, write_wav
from kiosk.cli import main
from kiosk.commands import analyze
from kiosk.core.ports import SAMPLE_RATE, Audio
from kiosk.core.report import Report
from kiosk.core.target import Target
from kiosk.pipeline import SILENT_DBFS, is_silent, loudest_dbfs
from kiosk.pipeline.recovery import NoSpeech, analyse_attempt, recover
from kiosk.speech.fakes import FakeTranscriber
from kiosk.store.database import Store
from kiosk.ui.screens.processing import ProcessingScreen
from kiosk.ui.screens.report import ReportScreen
from tests.support.store import interrupted_attempt
from tests.test_ui_support import booth, open_first_question, question, until, zh_transcript

ROOT = Path(__file__).resolve().parent.parent
TARGET = Target(4, 8)  # the booth's test question's


def at_dbfs(level: float, seconds: float = 3.0, noise: bool = False) -> Audio:
    n = int(seconds * SAMPLE_RATE)
    rms = 10 ** (level / 20)
    if noise:
        return (rms * np.random.default_rng(7).standard_normal(n)).astype(np.float32)
    t = np.arange(n, dtype=np.float32) / SAMPLE_RATE
    return (rms * np.sqrt(2) * np.sin(2 * np.pi * 220 * t)).astype(np.float32)


RECORDINGS = {
    "silence": np.zeros(3 * SAMPLE_RATE, np.float32),
    "near-silence": at_dbfs(-56.0, noise=True),
    "quiet speech": at_dbfs(-44.0),
}


def through_cli(
    wav: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[Report, int]:
    model = FakeTranscriber(zh_transcript())
    monkeypatch.setattr(analyze, "_load_transcriber", lambda model_dir: (model, "scripted"))
    assert main(["analyze", str(wav), "--json", "--lang", "zh", "--target", "4-8"]) == 0
    return Report.from_dict(json.loads(capsys.readouterr().out)), len(model.calls)


def through_recovery(wav: Path, store: Store) -> tuple[Report | None, int, str]:
    attempt_id = interrupted_attempt(store, question(), wav)
    assert recover(store).recovered == (attempt_id,)
    model = FakeTranscriber(zh_transcript())
    try:
        report: Report | None = analyse_attempt(store, attempt_id, model)
    except NoSpeech:
        report = None
    return report, len(model.calls), store.get(attempt_id).status


async def through_the_booth(audio: Audio, store: Store) -> tuple[Report | None, int, str]:
    b = booth(recorder=FakeRecorder(audio, pace="manual"), store=store)
    async with b.app.run_test(size=(110, 40)) as pilot:
        await open_first_question(pilot)
        await pilot.press("space")
        await until(pilot, lambda: getattr(b.app.screen, "state", "") == "recording")
        b.recorder.step(-(-audio.size // b.recorder.block))
        b.clock.t += audio.size / SAMPLE_RATE
        await pilot.press("space")
        await until(
            pilot,
            lambda: (
                isinstance(b.app.screen, ReportScreen)
                or getattr(b.app.screen, "state", "") == "failed"
            ),
        )
        screen = b.app.screen
        report = screen.report if isinstance(screen, ReportScreen) else None
        if report is None:
            assert isinstance(screen, ProcessingScreen)
            assert "No speech detected" in str(screen.query_one("#proc-status").render())
    [attempt] = store.list(limit=None)
    return report, len(b.transcriber.calls), attempt.status


@pytest.mark.parametrize("name", list(RECORDINGS))
async def test_the_same_recording_gets_the_same_answer_everywhere(
    name: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    wav = write_wav(tmp_path / f"{name}.wav", RECORDINGS[name])
    audio = load_audio(wav)
    speech = not is_silent(audio)
    assert speech == (name == "quiet speech"), loudest_dbfs(audio)

    cli, cli_calls = through_cli(wav, capsys, monkeypatch)
    with Store.open() as store:
        recovered, recovery_calls, recovery_status = through_recovery(wav, store)
    with Store.open(tmp_path / "booth" / "history.sqlite3") as store:
        booth_report, booth_calls, booth_status = await through_the_booth(audio, store)

    assert cli_calls == recovery_calls == booth_calls == (1 if speech else 0)
    assert cli.metrics.no_speech is not speech
    if not speech:
        assert recovered is None and booth_report is None, "no report: nothing to measure"
        assert recovery_status == booth_status == "failed"
        return
    assert recovered is not None and booth_report is not None
    assert recovery_status == booth_status == "analysed"
    assert cli.metrics == recovered.metrics == booth_report.metrics
    assert cli.transcript.words == recovered.transcript.words == booth_report.transcript.words


def test_the_silence_gate_lives_in_the_pipeline_only() -> None:
    """One threshold, one test: no other module measures loudness to decide "no speech",
    and every way in calls the pipeline."""
    assert SILENT_DBFS == -50.0
    gates: list[str] = []
    callers: set[str] = set()
    for path in sorted((ROOT / "kiosk").rglob("*.py")):
        if path == ROOT / "kiosk" / "audio" / "level.py":
            continue  # the level meter: where rms_dbfs is defined, for the meter's display
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = str(path.relative_to(ROOT))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name in ("loudest_dbfs", "is_silent"):
                gates.append(f"{where}:{node.name}")
            if isinstance(node, ast.Assign):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
                gates += [f"{where}:{n}" for n in names if "SILENT" in n]
            if isinstance(node, ast.Name) and node.id == "rms_dbfs":
                gates.append(f"{where}:rms_dbfs")
            if isinstance(node, ast.Attribute) and node.attr in ("analyze", "analyze_recording"):
                callers.add(where)
            if isinstance(node, ast.Name) and node.id == "analyze_recording":
                callers.add(where)
    assert sorted(set(gates)) == [
        "kiosk/pipeline/__init__.py:SILENT_DBFS",
        "kiosk/pipeline/__init__.py:is_silent",
        "kiosk/pipeline/__init__.py:loudest_dbfs",
        "kiosk/pipeline/__init__.py:rms_dbfs",
    ]
    assert {
        "kiosk/commands/analyze.py",
        "kiosk/pipeline/recovery.py",
        "kiosk/ui/screens/processing.py",
    } <= callers
