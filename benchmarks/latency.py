"""Stop key → report: streaming transcription against a batch pass, through a real microphone.

Run by hand (never in the test suite)::

    .venv/bin/python benchmarks/latency.py tests/data/zh_conversation.wav tests/data/en_jfk.flac \
        --long 70

Each clip is played at real time into the virtual microphone of a private PulseAudio (as
``tests/plugins/virtual_audio.py`` sets it up) and recorded by the real recorder, whose
``on_audio`` feeds the live stream, exactly as in the booth. The clip is followed by a
closing silence (1.5 s by default: the speaker finishes, then reaches for the key) before
stop is pressed. Measured from the stop: closing the recorder, finishing the stream and
measuring the answer (``report_from_transcript``). Then the batch pass (``analyze_audio``)
runs on the same recording, in the same run. ``--long N`` adds answers of about N seconds
per language, made by joining the given clips with short pauses (0.4-0.9 s).

Prints per clip the stop → report latency, the batch time and the content kept (Han
characters for Mandarin, words otherwise: streaming / batch), and ends with one line::

    stop_to_report_median_s=… batch_median_s=… speedup=… content_kept_min=…

where ``speedup`` is the batch median over the stop → report median.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from audio.files import load_audio
from kiosk.core.ports import SAMPLE_RATE, Audio, Language
from kiosk.core.transcript import Transcript, is_han
from kiosk.pipeline import analyze_audio, report_from_transcript
from models.streaming import LiveStream, StreamingTranscriber
from models.whisper import WhisperTranscriber, load_transcriber

PAUSES = (0.6, 0.4, 0.9, 0.5, 0.7)


@dataclass(frozen=True)
class Result:
    name: str
    seconds: float
    stop_to_report: float
    batch: float
    kept: float
    streamed: int
    batched: int
    passes: int
    busy: float
    """Seconds the stream spent decoding while the answer was spoken."""
    texts: tuple[str, str]
    trace: tuple[tuple[float, float, float, float], ...]


def content(tx: Transcript) -> int:
    """Han characters (Mandarin) or words: what the report counts pace in."""
    han = sum(is_han(ch) for ch in tx.text)
    return han if tx.language == "zh" else len(tx.words)


def guess_language(path: Path) -> Language:
    stem = path.name.lower()
    return "zh" if stem.startswith("zh") else "en" if stem.startswith("en") else "auto"


def long_answers(clips: list[tuple[Path, Audio]], seconds: float, out: Path) -> list[Path]:
    """One answer of about ``seconds`` per language, joining its clips with short pauses."""
    made = []
    for lang in ("zh", "en"):
        parts = [audio for path, audio in clips if guess_language(path) == lang]
        if not parts or seconds <= 0:
            continue
        pieces: list[Audio] = []
        total, i = 0.0, 0
        while total < seconds:
            clip = parts[i % len(parts)]
            pause = np.zeros(int(PAUSES[i % len(PAUSES)] * SAMPLE_RATE), np.float32)
            pieces += [clip, pause]
            total += (len(clip) + len(pause)) / SAMPLE_RATE
            i += 1
        path = out / f"{lang}_long_{round(total)}s.wav"
        sf.write(path, np.concatenate(pieces[:-1]), SAMPLE_RATE, subtype="PCM_16")
        made.append(path)
    return made


def with_silence(audio: Audio, tail: float, path: Path) -> Path:
    sf.write(path, np.concatenate([audio, np.zeros(int(tail * SAMPLE_RATE), np.float32)]),
             SAMPLE_RATE, subtype="PCM_16")  # fmt: skip
    return path


def measure(
    transcriber: WhisperTranscriber, pulse: object, path: Path, tail: float, work: Path
) -> Result:
    from audio.recorder import SoundDeviceRecorder

    lang = guess_language(path)
    audio = load_audio(path)
    feed = with_silence(audio, tail, work / "feed.wav")
    processor = StreamingTranscriber(transcriber, lang)
    stream = LiveStream(processor).start()
    recorder = SoundDeviceRecorder()
    recorder.start(work / "answer.wav", on_audio=stream.feed)
    time.sleep(0.3)
    player = pulse.feed(feed)  # type: ignore[attr-defined]
    player.wait()
    began = time.perf_counter()  # the stop key
    kept = recorder.stop()
    streamed = stream.stop()
    report_from_transcript(streamed, source=str(kept.path))
    stop_to_report = time.perf_counter() - began
    busy = processor.decode_time
    recorded = load_audio(kept.path)
    began = time.perf_counter()
    batch = analyze_audio(recorded, transcriber=transcriber, language=lang).transcript
    batch_s = time.perf_counter() - began
    return Result(
        path.name, len(audio) / SAMPLE_RATE, stop_to_report, batch_s,
        content(streamed) / max(1, content(batch)), content(streamed), content(batch),
        processor.passes, busy, (streamed.text, batch.text), tuple(processor.trace),
    )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--tail", type=float, default=1.5, help="closing silence before stop")
    parser.add_argument("--long", type=float, default=0.0, help="add answers of ~N seconds")
    parser.add_argument("--model", type=Path, default=None, help="CTranslate2 Whisper dir")
    parser.add_argument("--texts", action="store_true", help="print both transcripts")
    parser.add_argument("--trace", action="store_true", help="print the last passes")
    args = parser.parse_args(argv)

    from tests.plugins.virtual_audio import running_pulse, use_pulse

    transcriber = load_transcriber(args.model)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        clips = [(p, load_audio(p)) for p in args.files]
        paths = [*args.files, *long_answers(clips, args.long, work)]
        print(
            "real-time replay through a PulseAudio virtual microphone; closing silence "
            f"{args.tail:.1f} s before stop is pressed; embedded {transcriber.info.name}"
        )
        results = []
        with running_pulse(work / "xdg") as pulse, use_pulse(pulse):
            for path in paths:
                r = measure(transcriber, pulse, path, args.tail, work)
                results.append(r)
                print(
                    f"{r.name}: {r.seconds:.1f} s answer, stop→report {r.stop_to_report:.2f} s, "
                    f"batch {r.batch:.2f} s, content {r.streamed}/{r.batched} = {r.kept:.3f}, "
                    f"{r.passes} passes, {r.busy:.1f} s decoding while speaking"
                )
                if args.texts:
                    print(f"  streamed: {r.texts[0]}\n  batch:    {r.texts[1]}")
                for lo, hi, heard, took in r.trace[-4:] if args.trace else ():
                    print(f"  pass {lo:.1f}-{hi:.1f} s at {heard:.1f} s heard: {took:.2f} s")
    stop = statistics.median(r.stop_to_report for r in results)
    batch = statistics.median(r.batch for r in results)
    print(
        f"stop_to_report_median_s={stop:.2f} batch_median_s={batch:.2f} "
        f"speedup={batch / max(stop, 1e-9):.1f} content_kept_min={min(r.kept for r in results):.3f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
