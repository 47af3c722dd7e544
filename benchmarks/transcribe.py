"""How fast, and how heavy, is offline transcription on this machine?

Run by hand (never in the test suite)::

    .venv/bin/python benchmarks/transcribe.py tests/data/*.wav tests/data/*.flac [--lang zh]

Prints, per clip: duration, transcribe wall time, CPU time, real-time factor (wall time /
audio time; below 1 is faster than real time), words, and the start of the text; then
the model load time, peak resident memory and a summary line.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.audio.files import load_audio
from kiosk.speech.whisper import load_transcriber


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--model", type=Path, default=None, help="CTranslate2 Whisper dir")
    parser.add_argument("--lang", default="auto", choices=["auto", "zh", "en"])
    parser.add_argument("--threads", type=int, default=0, help="CPU threads (0 = auto)")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    transcriber = load_transcriber(args.model, cpu_threads=args.threads)
    load_s = time.perf_counter() - t0
    print(f"model {transcriber.info.name} loaded in {load_s:.2f} s, RSS {_peak_rss_mb():.0f} MB")

    total_audio = total_wall = 0.0
    for path in args.files:
        audio = load_audio(path)
        seconds = len(audio) / 16_000
        wall0, cpu0 = time.perf_counter(), time.process_time()
        tx = transcriber.transcribe(audio, args.lang)
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        total_audio += seconds
        total_wall += wall
        print(
            f"{path.name}: {seconds:.1f} s audio, {wall:.2f} s wall, {cpu:.2f} s CPU, "
            f"RTF {wall / seconds:.2f}, {tx.language}, {len(tx.words)} words: {tx.text[:40]}"
        )
    print(
        f"summary: {len(args.files)} clips, {total_audio:.1f} s audio in {total_wall:.2f} s "
        f"(RTF {total_wall / max(total_audio, 1e-9):.2f}), load {load_s:.2f} s, "
        f"peak RSS {_peak_rss_mb():.0f} MB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
