"""Crash recovery: a recording cut off by SIGKILL comes back whole at the next start."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import soundfile

from kiosk.audio.wav import WavWriter
from kiosk.core.ports import Audio, Language
from kiosk.core.target import Target
from kiosk.core.transcript import Span, Transcript, Word
from kiosk.pipeline.recovery import RecoverySummary, analyse_attempt, recover
from kiosk.store.database import Store
from tests.support.store import interrupted_attempt, zh_intro

ROOT = Path(__file__).resolve().parents[1]

# Begins an attempt, records 1.3 s of tone in 0.1 s blocks (header synced every 0.5 s, so
# it is stale at the end), reports, then waits to be killed.
RECORDER = textwrap.dedent(
    """
    import sys, time
    import numpy as np
    from kiosk.audio.wav import WavWriter
    from kiosk.store.database import Store

    store = Store.open()
    path = store.new_recording_path("zh-llm-rag-01")
    attempt_id = store.begin_attempt(None, path, language="zh")
    seconds = float(sys.argv[1])
    writer = WavWriter(path, 16000, sync_every_s=0.5)
    t = np.arange(1600) / 16000
    for _ in range(round(seconds * 10)):
        writer.write((0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32))
    print(attempt_id, writer.samples, path, flush=True)
    time.sleep(120)
    """
)


def _killed_recording(seconds: float) -> tuple[int, int, Path]:
    """Run RECORDER in a child process, SIGKILL it mid-recording; (attempt id, samples, path)."""
    child = subprocess.Popen(
        [sys.executable, "-c", RECORDER, str(seconds)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    line = child.stdout.readline().split()
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    return int(line[0]), int(line[1]), Path(line[2])


def test_recording_killed_midway_is_repaired_and_marked_recovered() -> None:
    attempt_id, written, path = _killed_recording(1.3)
    assert written == 20_800
    # The header is stale: it promises only what was synced before the kill.
    assert soundfile.info(str(path)).frames != written

    with Store.open() as store:
        summary = recover(store)
        attempt = store.get(attempt_id)
    assert summary.recovered == (attempt_id,)
    assert summary.message == "1 answer recovered from an interrupted session"
    assert attempt.status == "recovered"
    assert attempt.duration_s == 1.3
    assert attempt.sample_rate == 16_000
    assert attempt.language == "zh"
    audio, rate = soundfile.read(str(path), dtype="float32")
    assert rate == 16_000 and len(audio) == written
    assert 0.29 < float(np.abs(audio).max()) < 0.31

    with Store.open() as store:  # a second start has nothing left to do
        assert recover(store) == RecoverySummary()


def test_orphan_recording_is_adopted_once() -> None:
    with Store.open() as store:
        path = store.recordings_dir() / "20261120T101010Z-lost.wav"
        writer = WavWriter(path, 16_000)
        writer.write(np.full(24_000, 0.1, dtype=np.float32))
        writer.close()
        os.utime(path, (1_763_000_000, 1_763_000_000))  # 2025-11-13 02:13:20 UTC
        (store.recordings_dir() / "empty.wav").write_bytes(b"")  # nothing to keep
        (store.recordings_dir() / "junk.wav").write_bytes(b"x" * 100)  # not a WAV

        summary = recover(store)
        (adopted,) = summary.adopted
        attempt = store.get(adopted)
        assert (attempt.status, attempt.duration_s) == ("recovered", 1.5)
        assert attempt.created_at == "2025-11-13T02:13:20+00:00"  # when it was recorded
        assert store.audio_file(attempt) == path
        assert attempt.note is not None and path.name in attempt.note
        assert summary.message == "1 answer recovered from an interrupted session"
        assert recover(store).adopted == ()
        assert len(store.list()) == 1
        assert (store.recordings_dir() / "junk.wav").read_bytes() == b"x" * 100


def test_attempt_of_a_live_kiosk_is_left_alone() -> None:
    with Store.open() as store:
        path = store.new_recording_path("q")
        attempt_id = store.begin_attempt(None, path)  # this process: alive
        writer = WavWriter(path, 16_000, sync_every_s=10)
        writer.write(np.zeros(8_000, dtype=np.float32))
        before = path.read_bytes()

        summary = recover(store)
        assert summary.busy == (attempt_id,) and summary.message is None
        assert store.get(attempt_id).status == "recording"
        assert path.read_bytes() == before
        writer.close()


def test_reused_pid_is_not_mistaken_for_the_recorder() -> None:
    with Store.open() as store:
        path = store.new_recording_path("q")
        attempt_id = store.begin_attempt(None, path)
        with WavWriter(path, 16_000) as writer:
            writer.write(np.zeros(4_000, dtype=np.float32))
        # Same pid as a live process, but that process started at another time.
        with store._tx() as conn:
            conn.execute("UPDATE attempts SET proc_start = '1' WHERE id = ?", (attempt_id,))
        assert recover(store).recovered == (attempt_id,)
        assert store.get(attempt_id).duration_s == 0.25


def test_interrupted_before_any_audio_is_marked_failed() -> None:
    script = (
        "from kiosk.store.database import Store; s = Store.open(); "
        "print(s.begin_attempt(None, s.new_recording_path('q')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    attempt_id = int(out.stdout)
    with Store.open() as store:
        summary = recover(store)
        attempt = store.get(attempt_id)
    assert summary.failed == ((attempt_id, "interrupted before any audio was recorded"),)
    assert summary.message == "1 interrupted answer had no audio to keep"
    assert (attempt.status, attempt.note) == ("failed", "interrupted before any audio was recorded")
    assert os.environ["KIOSK_HOME"] in str(store.path)


class ScriptedTranscriber:
    """Says the same words whatever it hears, and notes what it was asked."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, str]] = []

    def transcribe(
        self, audio: Audio, language: Language = "auto", on_progress: object = None
    ) -> Transcript:
        self.calls.append((len(audio), language))
        words = tuple(Word(w, 0.5 + i * 0.4, 0.8 + i * 0.4) for i, w in enumerate("欢迎大家来体验"))
        return Transcript("zh", len(audio) / 16_000, words, (Span(0.5, 3.3),))


def test_recovered_answer_is_analysed_with_its_question_and_target(data_dir: Path) -> None:
    question = zh_intro("zh-intro-01", "请做一个自我介绍。", Target(1, 2))
    with Store.open() as store:
        attempt_id = interrupted_attempt(store, question, data_dir / "zh_welcome.wav")
        assert recover(store).recovered == (attempt_id,)

        transcriber = ScriptedTranscriber()
        report = analyse_attempt(store, attempt_id, transcriber)
        stored = store.get(attempt_id)
        assert stored.duration_s is not None
        assert transcriber.calls == [(round(stored.duration_s * 16_000), "zh")]
        assert report.question_text == question.text
        assert store.report(attempt_id) == report
        assert stored.status == "analysed"
        assert stored.length_verdict == "too_long"  # target 1-2 s, speech to 3.3 s
        assert stored.pace_unit == "chars/min"
