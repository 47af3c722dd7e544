"""Storage, recording and recovery when the machine is not kind: read-only files, a full
disk, odd entries in the recordings folder, loose permissions, a process killed mid-way.

Every case ends in one clear line naming the file and what to do, and nothing recorded is
lost. docs/RELIABILITY.md lists each case with the test here that keeps it true.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from audio.wav import WavWriter
from kiosk.cli import main
from kiosk.config import data_dir
from kiosk.core.metrics import compute_metrics
from kiosk.core.report import Report
from kiosk.core.target import Target
from kiosk.core.transcript import Span, Transcript, Word
from kiosk.store import DB_NAME, Store, StoreError
from questions.model import Question
from tests.support.store import ZH_WORDS, rag

ROOT = Path(__file__).resolve().parents[1]
RAG = rag(Target(2, 4))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def zh_report(question: Question) -> Report:
    words = tuple(Word(t, i * 0.5, i * 0.5 + 0.4) for i, t in enumerate(ZH_WORDS))
    transcript = Transcript("zh", 5.5, words, (Span(0.0, 4.5),))
    metrics = compute_metrics(transcript, question.target)
    return Report(transcript, metrics, question_id=question.id, question_text=question.text)


def analysed_answer(store: Store, seconds: float = 1.0) -> int:
    """One answer with a real recording and a stored report."""
    path = store.new_recording_path(RAG.id)
    with WavWriter(path, 16_000) as writer:
        writer.write(np.full(int(seconds * 16_000), 0.1, dtype=np.float32))
    attempt_id = store.begin_attempt(RAG, path)
    store.finish_recording(attempt_id, int(seconds * 16_000), 16_000)
    store.save_report(attempt_id, zh_report(RAG))
    return attempt_id


def no_traceback(text: str) -> None:
    assert "Traceback" not in text and "Error:" not in text.replace("StoreError", ""), text


# --- 1. a history the user made read-only ---------------------------------------------


@pytest.fixture
def read_only_history() -> Iterator[tuple[Path, int]]:
    """A history with one analysed answer, then made read-only (0444) by the user."""
    with Store.open() as store:
        attempt_id = analysed_answer(store)
    db = data_dir() / DB_NAME
    db.chmod(0o444)
    yield db, attempt_id
    db.chmod(0o600)


def test_read_only_history_can_be_listed_shown_exported_and_summarised(
    read_only_history: tuple[Path, int], capsys: pytest.CaptureFixture[str]
) -> None:
    db, attempt_id = read_only_history
    for argv in (
        ["history"],
        ["history", "show", str(attempt_id), "--json"],
        ["history", "export", "--format", "json"],
        ["export", str(attempt_id), "--format", "json"],
        ["stats", "--json"],
    ):
        assert main(argv) == 0, argv
        captured = capsys.readouterr()
        assert captured.err == (
            f"kiosk: {db} is read-only: the history is shown as it is and nothing is changed\n"
        ), argv
        no_traceback(captured.out + captured.err)
    assert main(["history", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert (row["id"], row["status"]) == (attempt_id, "analysed")
    # Nothing was changed behind the user's back, and no read-only side files were left.
    assert mode(db) == 0o444
    assert sorted(p.name for p in db.parent.glob(f"{DB_NAME}*")) == [DB_NAME]


def test_writing_to_a_read_only_history_names_the_file_and_the_fix(
    read_only_history: tuple[Path, int], capsys: pytest.CaptureFixture[str]
) -> None:
    db, attempt_id = read_only_history
    assert main(["history", "delete", str(attempt_id)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"kiosk: {db}: this history file is read-only")
    assert f"chmod u+w '{db}'" in err and len(err.splitlines()) == 1
    no_traceback(err)
    with pytest.raises(StoreError, match="is read-only"):
        Store.open()  # the booth: practises without the history, saying this line
    assert mode(db) == 0o444
    with Store.open(need_write=False) as store:  # and a read-only store refuses writes
        assert store.get(attempt_id).status == "analysed"
        with pytest.raises(StoreError, match=r"chmod u\+w"):
            store.mark_failed(attempt_id, "x")
    db.chmod(0o644)  # once the user makes it writable again, all is well (and private)
    with Store.open() as store:
        store.delete(attempt_id)
    assert mode(db) == 0o600


def test_side_file_left_read_only_by_an_older_kiosk_is_named(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """An older kiosk chmod-ed a read-only database to 0600 and SQLite had already made its
    -wal/-shm read-only (0444): every later write failed with "attempt to write a
    readonly database". Now the culprit file is named."""
    with Store.open() as store:
        analysed_answer(store)
        wal = Path(f"{store.path}-wal")
        assert wal.exists()
        wal.chmod(0o444)
        with pytest.raises(StoreError) as caught:
            Store.open()
        assert str(caught.value).startswith(f"{wal}: this history file is read-only")
        wal.chmod(0o600)


NOBODY = 65534
SYSTEM_PYTHON = Path("/usr/bin/python3")


def _as_nobody(home: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """``kiosk ARGV`` as an unprivileged user (the venv's interpreter lives under /root)."""
    site = next((ROOT / ".venv" / "lib").glob("python3*/site-packages"))
    env = {
        "PATH": "/usr/bin:/bin",
        "KIOSK_HOME": str(home),
        "PYTHONPATH": f"{ROOT}:{site}",
        "COLUMNS": "200",
    }
    code = "import sys; from kiosk.cli import main; sys.exit(main(sys.argv[1:]))"
    user = [f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    return subprocess.run(
        ["setpriv", *user, str(SYSTEM_PYTHON), "-c", code, *argv],
        env=env,
        cwd="/",
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def nobody_home() -> Iterator[Path]:
    """A KIOSK_HOME an unprivileged user owns, when the tests run as root and that user
    can run the project (same Python as the venv)."""
    if os.getuid() != 0 or not shutil.which("setpriv") or not SYSTEM_PYTHON.exists():
        pytest.skip("needs root, setpriv and /usr/bin/python3 to act as another user")
    if f"{sys.version_info.major}.{sys.version_info.minor}" not in SYSTEM_PYTHON.resolve().name:
        pytest.skip("/usr/bin/python3 is not the venv's Python version")
    top = Path(tempfile.mkdtemp(prefix="kiosk-nobody-", dir="/tmp"))
    os.chown(top, NOBODY, NOBODY)
    top.chmod(0o755)
    try:
        probe = _as_nobody(top / "home", "history")
        if probe.returncode != 0:
            pytest.skip(f"the project does not run as another user here: {probe.stderr[-300:]}")
        yield top / "home"
    finally:
        shutil.rmtree(top, ignore_errors=True)


def test_read_only_history_for_a_real_user_never_fails_twice(nobody_home: Path) -> None:
    """As an ordinary user, where the permission bits are enforced: the first run used
    to make the database 0600 and leave 0444 -wal/-shm files behind, and every later run
    failed with "attempt to write a readonly database"."""
    db = nobody_home / "data" / DB_NAME
    db.chmod(0o444)
    for _ in range(3):
        listed = _as_nobody(nobody_home, "history", "--json")
        assert listed.returncode == 0, listed.stderr
        assert json.loads(listed.stdout) == []
        assert "is read-only: the history is shown as it is" in listed.stderr
        assert mode(db) == 0o444
    assert sorted(p.name for p in db.parent.glob(f"{DB_NAME}*")) == [DB_NAME]
    deleted = _as_nobody(nobody_home, "history", "delete", "1")
    assert deleted.returncode == 1
    assert deleted.stderr.startswith(f"kiosk: {db}: this history file is read-only")
    no_traceback(deleted.stderr)


# --- 3. links in the recordings folder ---------------------------------------------------


def _wav(path: Path, seconds: float, stale_header: bool = False) -> bytes:
    """A recording of ``seconds`` of tone; with ``stale_header``, cut off like a crash."""
    writer = WavWriter(path, 16_000, sync_every_s=60)
    t = np.arange(int(seconds * 16_000)) / 16_000
    writer.write((0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32))
    if not stale_header:
        writer.close()
    return path.read_bytes()


def test_links_in_recordings_are_skipped_by_name_and_good_files_adopted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open() as store:
        folder = store.recordings_dir()
    _wav(folder / "20261120T101010Z-good.wav", 0.5)
    outside = tmp_path / "elsewhere.wav"
    before = _wav(outside, 0.5, stale_header=True)  # a repair would rewrite its header
    (folder / "20261120T111111Z-outside.wav").symlink_to(outside)
    (folder / "20261120T121212Z-dangling.wav").symlink_to(tmp_path / "gone.wav")
    (folder / "linked-dir").symlink_to(tmp_path)

    assert main(["history", "recover"]) == 0
    captured = capsys.readouterr()
    no_traceback(captured.out + captured.err)
    lines = captured.out.splitlines()
    assert lines[0] == "1 answer recovered from an interrupted session"
    assert sorted(lines[1:]) == [
        f"  skipped recordings/20261120T111111Z-outside.wav: a link to {outside}, outside "
        f"the data folder; copy the recording itself into {folder} to keep it in the history",
        f"  skipped recordings/20261120T121212Z-dangling.wav: a link to {tmp_path / 'gone.wav'}"
        ", which does not exist; remove the link",
        f"  skipped recordings/linked-dir: a link to {tmp_path}, outside the data folder; copy "
        f"the recording itself into {folder} to keep it in the history",
    ]
    assert outside.read_bytes() == before, "a file outside the data folder is never changed"
    assert main(["history", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert (row["status"], row["audio_path"]) == (
        "recovered",
        "recordings/20261120T101010Z-good.wav",
    )


# --- 5. kiosk history recover --analyse says what it does, in order -------------------


class WordsTranscriber:
    """Says the same words whatever it hears."""

    def transcribe(
        self, audio: object, language: str = "auto", on_progress: object = None
    ) -> Transcript:
        words = tuple(Word(w, 0.2 + i * 0.3, 0.4 + i * 0.3) for i, w in enumerate("欢迎大家来"))
        return Transcript("zh", 2.0, words, (Span(0.2, 1.6),))


def test_recover_analyse_announces_the_answers_it_analyses(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from kiosk.commands import history

    monkeypatch.setattr(history, "_load_transcriber", lambda _: (WordsTranscriber(), "fake"))
    with Store.open() as store:
        folder = store.recordings_dir()
    _wav(folder / "20261120T101010Z-lost.wav", 0.5)
    assert main(["history", "recover"]) == 0  # adopted now, analysed later
    assert capsys.readouterr().out == "1 answer recovered from an interrupted session\n"

    assert main(["history", "recover", "--analyse"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "1 recovered answer to analyse."
    assert out[1].startswith("  answer 1: analysed — ") and len(out) == 2
    assert main(["history", "recover", "--analyse"]) == 0
    assert capsys.readouterr().out == (
        "Nothing to recover.\nNo recovered answers waiting for analysis.\n"
    )
