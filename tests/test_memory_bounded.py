"""Memory that does not grow with the answer's length (allocations counted, never timed).

numpy reports its buffers to ``tracemalloc``, so the peak of a step is measured exactly:
reading a recording costs its 16 kHz samples and a block, not copies of the whole file;
the clipping check works a block at a time; the streaming processor keeps 4 bytes per VAD
window and a bounded buffer however long the answer; a backlog of minutes reaches Silero
VAD in bounded batches. ``benchmarks/memory.py`` measures the whole process with the real
model.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf

from kiosk.audio.files import load_audio, resample
from kiosk.commands.analyze import clipping_note
from kiosk.core.chunking import WINDOW, Policy
from kiosk.core.ports import SAMPLE_RATE, Audio
from kiosk.speech.streaming import VAD_BATCH, SileroProbabilities, StreamingTranscriber
from tests.test_streaming import BurstDecoder, EnergyVad, burst_audio

MB = 1_000_000


def peak_of(step: Callable[[], Any]) -> tuple[Any, int]:
    """What ``step`` returns and the most memory it held at once (bytes, numpy included)."""
    tracemalloc.start()
    try:
        result = step()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


def held_after(step: Callable[[], Any]) -> int:
    """Memory still held once ``step`` (which builds what it needs) is done, in bytes."""
    tracemalloc.start()
    try:
        kept = step()
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del kept
    return held


def speech_like(seconds: float, rate: int, channels: int) -> np.ndarray:
    rng = np.random.default_rng(3)
    t = np.arange(int(seconds * rate)) / rate
    tone = 0.3 * np.sin(2 * np.pi * 220 * t) * (np.sin(2 * np.pi * 0.5 * t) > 0)
    out = np.stack([tone + 0.01 * rng.standard_normal(t.size)] * channels, axis=1)
    return out.astype(np.float32)


def test_a_long_16k_recording_is_read_without_a_second_copy(tmp_path: Path) -> None:
    path = tmp_path / "answer.wav"
    sf.write(path, speech_like(180, SAMPLE_RATE, 1), SAMPLE_RATE, subtype="PCM_16")
    audio, peak = peak_of(lambda: load_audio(path))
    assert audio.size == 180 * SAMPLE_RATE
    assert peak <= audio.nbytes + 2 * MB  # the samples and one block, no copy


def test_a_stereo_44k_file_is_downmixed_and_resampled_block_by_block(tmp_path: Path) -> None:
    path = tmp_path / "phone.wav"
    data = speech_like(120, 44_100, 2)
    sf.write(path, data, 44_100, subtype="PCM_16")
    audio, peak = peak_of(lambda: load_audio(path))
    assert peak <= audio.nbytes + 4 * MB  # the whole file as float32 would be 42 MB
    # the same samples as one pass over the whole file
    whole, _ = sf.read(path, dtype="float32", always_2d=True)
    expected = resample(np.ascontiguousarray(whole.mean(axis=1, dtype=np.float32)), 44_100)
    assert np.array_equal(audio, expected)


def test_the_clipping_check_needs_no_copy_of_the_recording() -> None:
    audio = np.zeros(10 * 60 * SAMPLE_RATE, np.float32)  # 38 MB
    audio[:SAMPLE_RATE] = 1.0  # one second of 600 clipped
    note, peak = peak_of(lambda: clipping_note(audio))
    assert note is not None and note.startswith("0.2% of the samples")
    assert peak <= 8 * MB


class FreshFloatsVad(EnergyVad):
    """Like Silero, a new float object for every window's probability."""

    def feed(self, audio: Audio) -> list[float]:
        return [float(np.float32(p)) for p in super().feed(audio)]


def silence_for(minutes: int) -> StreamingTranscriber:
    """A processor after ``minutes`` of silence, fed as ``kiosk analyze`` feeds it."""
    proc = StreamingTranscriber(BurstDecoder(), "en", Policy(), vad=FreshFloatsVad())
    block = np.zeros(30 * SAMPLE_RATE, np.float32)
    for _ in range(minutes * 2):
        proc.insert_audio(block)
        proc.decide()
    return proc


def test_the_processor_holds_a_few_bytes_per_window_and_a_bounded_buffer() -> None:
    growth = held_after(lambda: silence_for(20)) - held_after(lambda: silence_for(10))
    windows = 10 * 60 * SAMPLE_RATE // WINDOW  # 18750 more
    assert growth <= 8 * windows  # 4 bytes each (a list of floats would be 32)
    proc = silence_for(20)
    assert len(proc._buffer) <= 10 * SAMPLE_RATE
    assert proc.finish().words == ()


def test_a_backlog_of_speech_is_worked_off_and_the_buffer_shrinks_back() -> None:
    """A worker that fell minutes behind takes the whole backlog at once; one step at a
    time it is cut into chunks and the buffer is back to a chunk's size."""
    plan = [(0.3, 0.4), *[(0.15, 0.35)] * 9, (0.8, 0.5)] * 30  # about 3 minutes
    audio = burst_audio(plan)
    policy = Policy(tentative_every=0)
    proc = StreamingTranscriber(BurstDecoder(), "en", policy, vad=EnergyVad())
    proc.insert_audio(audio)
    proc.process()
    assert len(proc._buffer) == audio.size  # the backlog itself, once
    for _ in range(400):
        proc.process()
    limit = (policy.max_chunk + 2 * policy.context + 1.0) * SAMPLE_RATE
    assert len(proc._buffer) <= limit
    assert len(proc.finish().words) == len(plan)


class CountingSession:
    """Silero's session, recording how many windows each run is given."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.batches: list[int] = []

    def run(self, outputs: Any, feed: dict[str, Audio]) -> Any:
        self.batches.append(len(feed["input"]))
        return self.session.run(outputs, feed)


def test_silero_gets_a_backlog_of_minutes_in_bounded_batches() -> None:
    audio = speech_like(100, SAMPLE_RATE, 1)[:, 0]
    whole = SileroProbabilities()
    counting = CountingSession(whole._session)
    whole._session = counting
    probs = whole.feed(audio) + whole.flush()
    assert max(counting.batches) <= VAD_BATCH and len(counting.batches) >= 3
    blocks = SileroProbabilities()  # a tenth of a second at a time, as the microphone
    step = SAMPLE_RATE // 10
    same = [p for i in range(0, audio.size, step) for p in blocks.feed(audio[i : i + step])]
    assert probs == same + blocks.flush()
