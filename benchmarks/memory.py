"""Peak memory of a long answer: ``kiosk analyze`` and the booth's path, in subprocesses.

Run by hand (never in the test suite)::

    .venv/bin/python benchmarks/memory.py [--minutes 10] [--silence-minutes 60] [--keep DIR]

Two recordings are made in a temporary folder (or ``--keep DIR``, which also keeps each
run's output so two versions of the code can be compared word for word):

* a spoken answer of ``--minutes`` minutes, the clips of ``tests/data`` (zh_conversation,
  zh_welcome, en_jfk) joined over and over with 0.4-1.2 s pauses, silence-padded to length;
* ``--silence-minutes`` minutes of silence.

Each run is one child process, and its peak resident set size is what the kernel reports
for that child when it ends (``os.wait4`` → ``ru_maxrss``), so runs never mix:

* ``kiosk analyze FILE --json`` on each recording;
* the booth: the spoken answer fed in 0.1 s blocks, as fast as they can be written, to a
  WAV writer (``kiosk/audio/wav.py``) and a :class:`kiosk.speech.streaming.LiveStream`
  (the real model) as the recorder does; then the stop key (``LiveStream.stop``), the
  recording read back and checked for speech as the pipeline does, and the report.

Ends with one line::

    analyze_10min_peak_mb=… analyze_silence_60min_peak_mb=… booth_10min_peak_mb=…

Measured on the 2-core development machine (embedded Whisper base, int8):

=============================  ======  =====  ==================================
run                            before  after  what changed
=============================  ======  =====  ==================================
analyze, 10 min answer         481 MB  466    file read a block at a time
analyze, 60 min of silence     568 MB  588    no second copy of the file (reading
                                              peaks at 292 MB, was 495); the peak
                                              is the model's load, ~110 MB above
                                              what it keeps, next to the 230 MB of
                                              samples, as before
booth, 10 min as fast as fed   667 MB  562    Silero given at most 1024 windows
                                              at once; the backlog copied once
=============================  ======  =====  ==================================

"Before" is the code before these changes (the chunked transcription already in place);
the booth run feeds audio much faster than real time, so the worker holds a backlog of
minutes (its float32 samples), which a real microphone never builds up.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.core.ports import SAMPLE_RATE, Audio  # noqa: E402

CLIPS = ("zh_conversation.wav", "zh_welcome.wav", "en_jfk.flac")
PAUSES = (0.5, 0.8, 0.4, 1.2, 0.6, 0.9)
BLOCK_S = 0.1


def build_answer(seconds: float, path: Path) -> Path:
    """The clips joined with short pauses until ``seconds``, silence-padded to exactly it."""
    from kiosk.audio.files import load_audio

    clips = [load_audio(ROOT / "tests" / "data" / name) for name in CLIPS]
    total = int(seconds * SAMPLE_RATE)
    with sf.SoundFile(path, "w", SAMPLE_RATE, 1, subtype="PCM_16") as out:
        written, i = 0, 0
        while True:
            clip = clips[i % len(clips)]
            pause = np.zeros(int(PAUSES[i % len(PAUSES)] * SAMPLE_RATE), np.float32)
            if written + clip.size + pause.size > total:
                break
            out.write(np.concatenate([clip, pause]))
            written += clip.size + pause.size
            i += 1
        out.write(np.zeros(total - written, np.float32))
    return path


def build_silence(seconds: float, path: Path) -> Path:
    """``seconds`` of digital silence, written a minute at a time."""
    total = int(seconds * SAMPLE_RATE)
    minute = np.zeros(60 * SAMPLE_RATE, np.int16)
    with sf.SoundFile(path, "w", SAMPLE_RATE, 1, subtype="PCM_16") as out:
        for start in range(0, total, minute.size):
            out.write(minute[: min(minute.size, total - start)])
    return path


def run_child(cmd: list[str], stdout: Path) -> tuple[float, float, int]:
    """Run ``cmd`` (stdout to a file); its peak RSS in MB, wall seconds and exit code."""
    began = time.perf_counter()
    with open(stdout, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, cwd=ROOT)
        assert proc.stderr is not None
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - began
    if proc.returncode != 0:
        print(err.decode(errors="replace")[-2000:], file=sys.stderr)
    return usage.ru_maxrss / 1024, wall, proc.returncode  # ru_maxrss is in KiB on Linux


def analyze_cmd(path: Path) -> list[str]:
    return [str(Path(sys.executable).parent / "kiosk"), "analyze", str(path), "--lang", "auto",
            "--json"]  # fmt: skip


def booth_cmd(path: Path, work: Path) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--booth-child", str(path),
            "--work", str(work)]  # fmt: skip


def booth_child(path: Path, work: Path) -> int:
    """The booth's path in this process: writer + live stream fed block by block, stop,
    read back, report. Prints a short JSON summary."""
    from kiosk.audio.files import load_audio
    from kiosk.audio.wav import WavWriter
    from kiosk.pipeline import SILENT_DBFS, loudest_dbfs, report_from_transcript
    from kiosk.speech.streaming import LiveStream, StreamingTranscriber
    from kiosk.speech.whisper import load_transcriber

    transcriber = load_transcriber()
    stream = LiveStream(StreamingTranscriber(transcriber, "auto")).start()
    recording = work / "booth_answer.wav"
    block = int(BLOCK_S * SAMPLE_RATE)
    with sf.SoundFile(path) as source, WavWriter(recording) as writer:
        while True:  # one block at a time, as the microphone delivers them
            data: Audio = source.read(block, dtype="float32")
            if data.size == 0:
                break
            writer.write(data)
            stream.feed(data)
    transcript = stream.stop()
    audio = load_audio(recording)  # the processing screen reads the recording back
    silent = loudest_dbfs(audio) < SILENT_DBFS
    report = report_from_transcript(transcript, source=str(recording))
    processor = stream.processor
    summary = {
        "silent": silent,
        "words": len(transcript.words),
        "passes": processor.passes,
        "transcript": report.to_dict()["transcript"],
    }
    print(json.dumps(summary, ensure_ascii=False))
    return 0


def words_of(output: Path) -> int | str:
    try:
        data = json.loads(output.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "?"
    return len(data["transcript"]["words"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="length of the answer")
    parser.add_argument("--silence-minutes", type=float, default=60.0)
    parser.add_argument("--keep", type=Path, default=None, help="keep recordings and outputs")
    parser.add_argument("--only", choices=("analyze", "silence", "booth"), action="append")
    parser.add_argument("--booth-child", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.booth_child is not None:
        return booth_child(args.booth_child, args.work)

    only = set(args.only or ("analyze", "silence", "booth"))
    tmp = None if args.keep else tempfile.TemporaryDirectory(prefix="kiosk-memory-")
    work = args.keep or Path(tmp.name)  # type: ignore[union-attr]
    work.mkdir(parents=True, exist_ok=True)
    minutes, silent_minutes = args.minutes, args.silence_minutes
    answer = build_answer(minutes * 60, work / f"answer_{minutes:g}min.wav")
    results: dict[str, float] = {}
    runs = []
    if "analyze" in only:
        runs.append(("analyze", f"analyze_{minutes:g}min", analyze_cmd(answer)))
    if "silence" in only:
        silence = build_silence(silent_minutes * 60, work / f"silence_{silent_minutes:g}min.wav")
        runs.append(("silence", f"analyze_silence_{silent_minutes:g}min", analyze_cmd(silence)))
    if "booth" in only:
        runs.append(("booth", f"booth_{minutes:g}min", booth_cmd(answer, work)))
    for _, name, cmd in runs:
        output = work / f"{name}.json"
        peak, wall, code = run_child(cmd, output)
        results[name] = peak
        status = "ok" if code == 0 else f"FAILED (exit {code})"
        print(f"{name:28s} peak {peak:7.1f} MB  {wall:6.1f} s  words {words_of(output)}  {status}")
    print(" ".join(f"{name}_peak_mb={peak:.0f}" for name, peak in results.items()))
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
