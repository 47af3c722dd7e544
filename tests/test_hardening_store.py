"""Storage, recording and recovery when the machine is not kind: read-only files, a full
disk, odd entries in the recordings folder, loose permissions, a process killed mid-way.

Every case ends in one clear line naming the file and what to do, and nothing recorded is
lost. docs/RELIABILITY.md lists each case with the test here that keeps it true.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, cast

import numpy as np
import pytest
import soundfile as sf

from kiosk.audio import wav
from kiosk.audio.fakes import FakeRecorder
from kiosk.audio.wav import HEADER_BYTES, DiskFull, WavWriter
from kiosk.cli import main
from kiosk.config import data_dir
from kiosk.core.metrics import compute_metrics
from kiosk.core.report import Report
from kiosk.core.target import Target
from kiosk.core.transcript import Span, Transcript, Word
from kiosk.questions.model import Question
from kiosk.store.database import DB_NAME, Store, StoreError
from kiosk.ui.screens.report import ReportScreen
from tests.support.audio import tone
from tests.support.store import ZH_WORDS, rag
from tests.test_ui import SIZE, record, state, text_of
from tests.test_ui_support import Booth, booth, open_first_question, until

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
    site = sysconfig.get_paths()["purelib"]  # the running interpreter's: the venv's
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


# --- 2. the disk fills up while recording ------------------------------------------------


class FullDisk:
    """A recording file on a disk with room for ``limit`` bytes: a write past it is cut
    short, and the next one fails with ENOSPC, as a real full disk does."""

    def __init__(self, path: Path, limit: int) -> None:
        self._file = open(path, "wb", buffering=0)  # noqa: SIM115 - closed by the writer
        self.limit = limit

    def write(self, data: bytes | memoryview) -> int:
        allowed = min(len(data), self.limit - self._file.tell())
        if allowed <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return self._file.write(bytes(data[:allowed]))

    def __getattr__(self, name: str) -> object:
        return getattr(self._file, name)


def full_disk(limit: int) -> Callable[[Path], BinaryIO]:
    return lambda path: cast(BinaryIO, FullDisk(path, limit))


def tone_samples(seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * 16_000)) / 16_000
    return np.round(8000 * np.sin(2 * np.pi * 440 * t)).astype(np.int16)


def test_disk_full_keeps_whole_samples_under_a_valid_header(tmp_path: Path) -> None:
    path = tmp_path / "answer.wav"
    room = HEADER_BYTES + 2 * 16_000 + 1001  # one second, then half a block and a half sample
    writer = WavWriter(path, 16_000, opener=full_disk(room))
    data = tone_samples(3.0)
    with pytest.raises(DiskFull) as caught:
        for start in range(0, data.size, 800):
            writer.write(data[start : start + 800])
    kept = 16_000 + 500
    assert (caught.value.samples, writer.samples, writer.full) == (kept, kept, True)
    assert str(caught.value) == (
        f"disk full: kept 0:01 of the recording in {path}; free some space on that disk"
    )
    with pytest.raises(DiskFull):  # nothing more is written once full
        writer.write(data[:800])
    assert writer.close() == kept
    assert path.stat().st_size == HEADER_BYTES + 2 * kept  # the half sample is gone
    read, rate = sf.read(path, dtype="int16")
    assert rate == 16_000 and np.array_equal(read, data[:kept])


def test_disk_full_before_the_header_keeps_nothing_and_says_so(tmp_path: Path) -> None:
    with pytest.raises(DiskFull, match=r"disk full: nothing could be recorded in "):
        WavWriter(tmp_path / "a.wav", 16_000, opener=full_disk(20))


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[tuple[Path, bool]]:
    """A real 1 MB file system (tmpfs); without the right to mount one, a folder whose
    recordings are cut off at 1 MB by the injected file above. (folder, really mounted)"""
    folder = tmp_path / "small"
    folder.mkdir()
    mounted = (
        os.getuid() == 0
        and shutil.which("mount") is not None
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(folder)],
            capture_output=True,
        ).returncode
        == 0
    )
    if not mounted:
        patch = pytest.MonkeyPatch()
        patch.setattr(wav, "open_recording", full_disk(1 << 20))
    try:
        yield folder, mounted
    finally:
        if mounted:
            subprocess.run(["umount", str(folder)], check=True)
        else:
            patch.undo()


def test_a_real_full_file_system_keeps_what_fitted(small_disk: tuple[Path, bool]) -> None:
    folder, mounted = small_disk
    if mounted:
        assert wav.recording_room_s(folder / "recordings") < 5 * 60  # the booth would warn
    path = folder / "answer.wav"
    writer = WavWriter(path, 16_000)
    data = tone_samples(40.0)  # 1.28 MB: more than fits
    with pytest.raises(DiskFull) as caught:
        for start in range(0, data.size, 800):
            writer.write(data[start : start + 800])
    kept = writer.close()
    assert kept == caught.value.samples and 16_000 * 20 < kept < data.size
    read, _ = sf.read(path, dtype="int16")
    assert np.array_equal(read, data[:kept]), "the header matches the samples written"
    if mounted:  # the disk stays full: the next recording is refused at once, clearly
        assert mode(path) == 0o600
        with pytest.raises(DiskFull, match="nothing could be recorded"):
            WavWriter(folder / "next.wav", 16_000)


def test_the_recorder_reports_a_full_disk_as_the_disk_not_the_microphone(
    tmp_path: Path,
) -> None:
    from kiosk.audio.recorder import SoundDeviceRecorder

    errors: list[Exception] = []
    reasons: list[str] = []
    recorder = SoundDeviceRecorder(on_finished=reasons.append)
    recorder._writer = WavWriter(tmp_path / "a.wav", 16_000, opener=full_disk(HEADER_BYTES + 3200))
    recorder._on_error = errors.append
    block = tone_samples(0.1)
    recorder._write(block)
    recorder._write(block)  # past the room
    assert reasons == ["disk_full"] and recorder.finished.is_set()
    assert len(errors) == 1 and isinstance(errors[0], DiskFull)
    assert errors[0].samples == 1600


class BrokenDisk(FullDisk):
    """A disk that fails with an I/O error (not a full one) past ``limit`` bytes."""

    def write(self, data: bytes | memoryview) -> int:
        if self._file.tell() + len(data) > self.limit:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return self._file.write(bytes(data))


def test_any_other_write_error_mid_answer_is_the_disk_too(tmp_path: Path) -> None:
    from kiosk.audio.recorder import SoundDeviceRecorder
    from kiosk.audio.wav import RecordingFileError

    errors: list[Exception] = []
    recorder = SoundDeviceRecorder()
    path = tmp_path / "a.wav"
    recorder._writer = WavWriter(path, 16_000, opener=lambda p: cast(BinaryIO, BrokenDisk(p, 2000)))
    recorder._on_error = errors.append
    recorder._write(tone_samples(0.1))
    assert recorder.finish_reason == "error"
    assert len(errors) == 1 and isinstance(errors[0], RecordingFileError)
    assert str(errors[0]) == (
        f"cannot write the recording to {path}: [Errno 5] Input/output error; "
        "check that disk and folder"
    )


class DiskAwareRecorder(FakeRecorder):
    """The project's fake microphone, reporting a full disk through ``on_error`` the way
    :class:`kiosk.audio.recorder.SoundDeviceRecorder` does."""

    def _deliver(self) -> bool:
        try:
            return super()._deliver()
        except DiskFull as exc:
            self._end("disk_full")
            if self._on_error is not None:
                self._on_error(exc)
            return False


def notices(b: Booth) -> list[str]:
    return [n.message for n in b.app._notifications]


async def test_booth_disk_full_mid_answer_keeps_and_analyses_what_fitted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(wav, "open_recording", full_disk(HEADER_BYTES + 3 * 32_000 + 1))
    with Store.open() as store:
        b = booth(store=store, recorder=DiskAwareRecorder(tone(7.0), pace="manual"))
        async with b.app.run_test(size=SIZE, notifications=True) as pilot:
            path = await record(b, pilot)
            await until(pilot, lambda: isinstance(b.app.screen, ReportScreen))
            shown = notices(b)
        (attempt,) = store.list()
    assert (
        f"Disk full: kept 0:03 of your answer in {path}. It is analysed now; free some "
        "space before the next answer." in shown
    ), shown
    assert not any("microphone" in text for text in shown)
    assert (attempt.status, attempt.duration_s) == ("analysed", 3.0)
    assert sf.info(path).frames == 3 * 16_000, "the header matches what was kept"


async def test_booth_warns_of_low_space_and_refuses_to_start_without_room() -> None:
    with Store.open() as store:
        folder = store.recordings_dir()
        b = booth(store=store, room=lambda _: 120.0)
        async with b.app.run_test(size=SIZE, notifications=True) as pilot:
            await record(b, pilot, 1.0)
            await until(pilot, lambda: any("Low disk space" in t for t in notices(b)))
        assert (
            f"Low disk space: about 2:00 of recording fits in {folder}. Free some space "
            "soon; what is recorded is kept if the disk fills." in notices(b)
        )

        b = booth(store=store, room=lambda _: 4.0)
        async with b.app.run_test(size=SIZE) as pilot:
            await open_first_question(pilot)
            await pilot.press("space")
            await until(pilot, lambda: state(b) == "failed")
            problem = text_of(b.app.screen, "#problem")
        assert problem.startswith(
            f"Cannot record: disk full: nothing could be recorded in {folder}"
        )
        assert "The microphone is fine" in problem and "plugged in" not in problem
        assert b.recorder.started == 0
        assert len(store.list()) == 1, "no row for an answer that could not start"


# --- 5. a recovered answer is analysed from the booth, like any other ---------------------


async def test_booth_offers_recovered_answers_for_analysis_with_one_key(tmp_path: Path) -> None:
    from kiosk.audio.files import write_wav
    from kiosk.ui.screens.home import HomeScreen
    from tests.support.store import interrupted_attempt
    from tests.test_ui_support import question

    asked = question()  # zh-project, target 4-8 s
    clip = tmp_path / "clip.wav"
    write_wav(clip, tone(7.0))
    with Store.open() as store:
        attempt_id = interrupted_attempt(store, asked, clip)
        b = booth(store=store)
        async with b.app.run_test(size=SIZE, notifications=True) as pilot:
            await pilot.app.workers.wait_for_complete()
            await until(pilot, lambda: b.app.recovered == (attempt_id,))
            assert (
                "1 answer recovered from an interrupted session — press a on the home screen "
                "to analyse it"
            ) in notices(b)
            home = b.app.screen
            assert isinstance(home, HomeScreen)
            assert home.check_action("analyse_recovered", ()) is True
            await pilot.press("a")
            await until(pilot, lambda: isinstance(b.app.screen, ReportScreen))
            assert text_of(b.app.screen, "#report-question") == asked.text
            await pilot.press("h")
            await until(pilot, lambda: isinstance(b.app.screen, HomeScreen))
            await pilot.pause()
            assert b.app.recovered == ()
            assert home.check_action("analyse_recovered", ()) is False
        attempt = store.get(attempt_id)
        report = store.report(attempt_id)
    # Through the booth's own pipeline: the fake model heard the whole recording.
    assert [(c.samples, c.language) for c in b.transcriber.calls] == [(7 * 16_000, "zh")]
    assert attempt.status == "analysed" and attempt.length_verdict is not None
    assert (attempt.target_low, attempt.target_high) == (4.0, 8.0)
    assert report is not None and report.question_text == asked.text


async def test_booth_names_skipped_links_and_never_fails_recovery_silently(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open() as store:
        folder = store.recordings_dir()
        _wav(folder / "20261120T101010Z-good.wav", 0.5)
        (folder / "20261120T121212Z-dangling.wav").symlink_to(tmp_path / "gone.wav")
        b = booth(store=store)
        async with b.app.run_test(size=SIZE, notifications=True) as pilot:
            await pilot.app.workers.wait_for_complete()
            await until(pilot, lambda: len(b.app.recovered) == 1)
            shown = notices(b)
        assert any(t.startswith("1 answer recovered from an interrupted session") for t in shown)
        assert (
            f"skipped recordings/20261120T121212Z-dangling.wav: a link to {tmp_path / 'gone.wav'}"
            ", which does not exist; remove the link"
        ) in shown

        def broken(_: Store) -> None:
            raise ValueError("something unexpected")

        monkeypatch.setattr("kiosk.pipeline.recovery.recover", broken)
        b = booth(store=store)
        async with b.app.run_test(size=SIZE, notifications=True) as pilot:
            await pilot.app.workers.wait_for_complete()
            await until(pilot, lambda: bool(notices(b)))
            assert notices(b) == ["Could not check for interrupted answers: something unexpected"]


# --- 4. everything holding the user's voice or words is theirs alone ----------------------


def _modes(root: Path) -> dict[str, int]:
    found = {".": mode(root)}
    for path in sorted(root.rglob("*")):
        found[str(path.relative_to(root))] = mode(path)
    return found


def test_after_a_session_every_file_is_0600_in_0700_folders(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kiosk import terminal
    from kiosk.pipeline.recovery import recover

    old_umask = os.umask(0o022)  # the usual umask: files 0644 and folders 0755 by default
    try:
        root = data_dir()
        (root / "recordings").mkdir(parents=True)  # left by an older kiosk, world-readable
        for folder in (root, root / "recordings"):
            folder.chmod(0o755)
        old = root / "recordings" / "20261101T080000Z-old.wav"
        _wav(old, 0.5)
        old.chmod(0o644)

        monkeypatch.setattr(terminal.os, "isatty", lambda fd: True)
        with Store.open() as store:
            analysed_answer(store)
            with terminal.native_stderr_to(root / "logs" / "native.log"):
                os.write(2, b"ALSA lib pcm.c: something native\n")
            recover(store)  # what every start does: adopts and tightens the old recording
            while_open = _modes(root)
        after = _modes(root)
    finally:
        os.umask(old_umask)
    assert {f"{DB_NAME}-wal", f"{DB_NAME}-shm", "logs/native.log"} <= set(while_open)
    assert len([name for name in while_open if name.endswith(".wav")]) == 2
    for modes in (while_open, after):
        for name, bits in modes.items():
            want = 0o700 if (root / name).is_dir() else 0o600
            assert bits == want, f"{name}: {bits:o}"


# --- 6. a kiosk killed at each step of an answer's life ------------------------------------

# Runs one answer's life through the real store, WAV writer and pipeline, and freezes (for
# the test to SIGKILL it) at the step named by argv[1]. Prints "<step> <attempt> <samples>".
LIFE = """
import sys, time
import numpy as np
from kiosk.audio.files import load_audio
from kiosk.audio.wav import WavWriter
from kiosk.core.target import Target
from kiosk.core.transcript import Span, Transcript, Word
from kiosk.pipeline import analyze_audio
from kiosk.store.database import Store
from tests.support.store import rag

stop_at = sys.argv[1]

def freeze(step, attempt, samples):
    if step == stop_at:
        print(step, attempt, samples, flush=True)
        time.sleep(120)

class Transcriber:
    def transcribe(self, audio, language="auto", on_progress=None):
        freeze("analysing", attempt, writer.samples)
        words = tuple(Word(w, 0.2 + i * 0.3, 0.4 + i * 0.3) for i, w in enumerate("我负责模型评测"))
        return Transcript("zh", len(audio) / 16000, words, (Span(0.2, 2.2),))

class FreezeAtCommit:
    def __init__(self, conn):
        self.conn = conn
    def execute(self, sql, *args):
        if sql == "COMMIT":
            freeze("saving", attempt, writer.samples)
        return self.conn.execute(sql, *args)
    def __getattr__(self, name):
        return getattr(self.conn, name)

question = rag(Target(2, 4))
store = Store.open()
path = store.new_recording_path(question.id)
attempt = store.begin_attempt(question, path)
freeze("begun", attempt, 0)
writer = WavWriter(path, 16000, sync_every_s=0.5)
t = np.arange(1600) / 16000
for _ in range(23):  # 2.3 s in 0.1 s blocks: the header is stale at the end
    writer.write((0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32))
freeze("recording", attempt, writer.samples)
writer.close()
store.finish_recording(attempt, writer.samples, 16000)
freeze("recorded", attempt, writer.samples)
report = analyze_audio(load_audio(path), transcriber=Transcriber(), language="zh",
                       target=question.target)
store._conn = FreezeAtCommit(store._conn)
store.save_report(attempt, report)
freeze("saved", attempt, writer.samples)
"""


def _killed_at(step: str) -> tuple[int, int]:
    """Run LIFE until ``step``, SIGKILL it there; (attempt id, samples written)."""
    child = subprocess.Popen(
        [sys.executable, "-c", LIFE, step], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    line = child.stdout.readline().split()
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert line and line[0] == step, f"the child never reached {step}"
    return int(line[1]), int(line[2])


@pytest.mark.parametrize(
    ("step", "status_after"),
    [
        ("begun", "failed"),  # nothing was said yet: nothing to keep, and it says so
        ("recording", "recovered"),
        ("recorded", "recovered"),
        ("analysing", "recovered"),
        ("saving", "recovered"),
        ("saved", "analysed"),
    ],
)
def test_a_kiosk_killed_at_any_step_loses_nothing(step: str, status_after: str) -> None:
    from kiosk.pipeline.recovery import analyse_attempt, pending_analysis, recover

    attempt_id, written = _killed_at(step)
    with Store.open() as store:  # the next start
        summary = recover(store)
        attempt = store.get(attempt_id)
        assert attempt.status == status_after, (step, attempt.note)
        with store._tx(write=False) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        if step == "begun":
            assert summary.failed == ((attempt_id, "interrupted before any audio was recorded"),)
            return
        audio = store.audio_file(attempt)
        assert audio is not None
        assert sf.info(audio).frames == written == 23 * 1600, "every sample written is kept"
        assert attempt.duration_s == pytest.approx(2.3)
        if step == "saved":
            assert summary == type(summary)() and store.report(attempt_id) is not None
            return
        assert [a.id for a in pending_analysis(store)] == [attempt_id]
        assert summary.pending == (attempt_id,)
        report = analyse_attempt(store, attempt_id, WordsTranscriber())
        assert store.get(attempt_id).status == "analysed"
        assert report.question_text == RAG.text
        assert recover(store) == type(summary)(), "a second start finds nothing to do"


class NoRoom:
    """A text file on a full disk: buffered writes fail when they reach the disk."""

    def __init__(self, fd: int) -> None:
        self._fd = fd

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def fileno(self) -> int:
        return self._fd

    def __enter__(self) -> NoRoom:
        return self

    def __exit__(self, *exc: object) -> None:
        os.close(self._fd)


def test_settings_saved_on_a_full_disk_leave_the_old_file_whole(
    small_disk: tuple[Path, bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk.config import ConfigError, Settings
    from kiosk.ui import persist

    folder, mounted = small_disk
    path = folder / "config.toml"
    path.write_text('language = "zh"\nbanks = ["/srv/banks"]\n', encoding="utf-8")
    before = path.read_bytes()
    if mounted:  # fill the real disk
        with pytest.raises(OSError), open(folder / "filler", "wb", buffering=0) as filler:
            while True:
                filler.write(b"\0" * 65_536)
    else:
        monkeypatch.setattr(persist.os, "fdopen", lambda fd, *a, **kw: NoRoom(fd))
    with pytest.raises(ConfigError) as caught:
        persist.save_settings(Settings(language="en"), path)
    assert str(caught.value) == (
        f"{path}: cannot save the settings: No space left on device; the file is unchanged. "
        "Free some space on that disk or make its folder writable, then save again"
    )
    assert path.read_bytes() == before
    assert not list(folder.glob(".config-*")), "no half-written temporary file is left"


class WriteErrorRecorder(FakeRecorder):
    """The fake microphone whose recording file fails (an I/O error) after one second."""

    def _deliver(self) -> bool:
        more = super()._deliver()
        if self.samples >= 16_000 and not self.finished.is_set():
            from kiosk.audio.wav import RecordingFileError

            self._end("error")
            if self._on_error is not None:
                self._on_error(RecordingFileError("cannot write the recording: [Errno 5] I/O"))
            return False
        return more


async def test_booth_blames_the_disk_not_the_microphone_for_a_write_error() -> None:
    with Store.open() as store:
        b = booth(store=store, recorder=WriteErrorRecorder(tone(7.0), pace="manual"))
        async with b.app.run_test(size=SIZE) as pilot:
            await record(b, pilot)
            await until(pilot, lambda: state(b) == "lost")
            problem = text_of(b.app.screen, "#problem")
            assert problem.startswith(
                "The recording could not be written mid-answer: cannot write the recording"
            )
            assert "microphone" not in problem and "0:01 kept in" in problem
            await pilot.press("enter")  # what was kept is analysed
            await until(pilot, lambda: isinstance(b.app.screen, ReportScreen))
