"""The crash-safe WAV writer: exact content, correct header, and nothing lost to kill -9."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from kiosk.audio.wav import HEADER_BYTES, WavWriter, repair_wav, to_int16
from kiosk.core.errors import BadInput

ROOT = Path(__file__).resolve().parents[1]


def _signal(n: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(-20000, 20000, n, dtype=np.int16)


def test_write_and_read_back_exactly(tmp_path: Path) -> None:
    path = tmp_path / "a.wav"
    data = _signal(40_000)
    with WavWriter(path) as w:
        for start in range(0, data.size, 800):
            w.write(data[start : start + 800])
    assert w.samples == data.size
    read, rate = sf.read(path, dtype="int16")
    assert rate == 16_000
    assert np.array_equal(read, data)
    info = sf.info(path)
    assert (info.channels, info.subtype) == (1, "PCM_16")


def test_float_input_is_scaled_and_clipped() -> None:
    out = to_int16(np.array([0.0, 0.5, -0.5, 1.5, -2.0], dtype=np.float32))
    assert out.tolist() == [0, 16384, -16384, 32767, -32768]


def test_header_is_patched_while_writing(tmp_path: Path) -> None:
    """Before close, the header already covers all but the last half second."""
    path = tmp_path / "open.wav"
    w = WavWriter(path, sync_every_s=0.5)
    data = _signal(16_000 * 2 + 123)
    for start in range(0, data.size, 800):
        w.write(data[start : start + 800])
    seen, _ = sf.read(path, dtype="int16")
    assert data.size - 8000 <= seen.size <= data.size
    assert np.array_equal(seen, data[: seen.size])
    w.close()
    assert sf.info(path).frames == data.size


def test_repair_fixes_sizes_and_drops_half_sample(tmp_path: Path) -> None:
    path = tmp_path / "cut.wav"
    data = _signal(10_001)
    with WavWriter(path) as w:
        w.write(data)
    raw = path.read_bytes()
    # A crash: header sizes still placeholders and half a sample dangling at the end.
    broken = raw[:4] + b"\xff\xff\xff\xff" + raw[8:40] + b"\xff\xff\xff\xff" + raw[44:] + b"\x01"
    path.write_bytes(broken)
    assert repair_wav(path) == data.size
    read, _ = sf.read(path, dtype="int16")
    assert np.array_equal(read, data)
    assert repair_wav(path) == data.size  # idempotent
    assert path.stat().st_size == HEADER_BYTES + 2 * data.size


def test_repair_empty_recording(tmp_path: Path) -> None:
    path = tmp_path / "empty.wav"
    WavWriter(path)  # never closed: header only
    assert repair_wav(path) == 0


def test_repair_rejects_non_wav(tmp_path: Path) -> None:
    path = tmp_path / "notes.wav"
    path.write_bytes(b"hello, this is not audio at all" * 4)
    with pytest.raises(BadInput, match=r"notes\.wav: not a WAV file"):
        repair_wav(path)
    short = tmp_path / "short.wav"
    short.write_bytes(b"RIFF")
    with pytest.raises(BadInput, match="too short"):
        repair_wav(short)


_WRITER = textwrap.dedent(
    """
    import sys, time
    import numpy as np
    from kiosk.audio.wav import WavWriter
    data = np.random.default_rng(0).integers(-20000, 20000, 16000 * 60, dtype=np.int16)
    w = WavWriter(sys.argv[1])
    for start in range(0, data.size, 800):
        w.write(data[start : start + 800])
        print(w.samples, flush=True)
        time.sleep(0.01)
    """
)


def test_kill_mid_stream_then_repair_keeps_everything_written(tmp_path: Path) -> None:
    path = tmp_path / "killed.wav"
    proc = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    written = 0
    while written < 2 * 16_000:
        line = proc.stdout.readline()
        assert line, "writer exited early"
        written = int(line)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    # Unrepaired, the header (patched every half second) already covers all but <= 0.5 s.
    before, _ = sf.read(path, dtype="int16")
    assert before.size >= written - 8000
    kept = repair_wav(path)
    assert kept >= written  # every block flushed before it was reported survives
    read, rate = sf.read(path, dtype="int16")
    assert rate == 16_000 and read.size == kept
    expected = np.random.default_rng(0).integers(-20000, 20000, 16000 * 60, dtype=np.int16)
    assert np.array_equal(read, expected[:kept])
