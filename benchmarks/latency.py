"""Stop key → report: streaming transcription against a batch pass, through a real microphone.

Run by hand (never in the test suite)::

    .venv/bin/python benchmarks/latency.py                  # the default set, both tails
    .venv/bin/python benchmarks/latency.py a.wav --long 0 --tails 1.5

Each answer is played at real time into the virtual microphone of a private PulseAudio (as
``tests/plugins/virtual_audio.py`` sets it up) and recorded by the real recorder, whose
``on_audio`` feeds the live stream, exactly as in the booth. After the answer comes a
closing silence (``--tails``: 0.5 s and 1.5 s by default — the speaker finishes, then
reaches for the key) before stop is pressed. Measured from the stop: closing the recorder,
finishing the stream and measuring the answer (``report_from_transcript``). Then the batch
pass (``analyze_audio``) runs on the same recording, in the same run.

By default the answers are the committed clips (``tests/data``) plus Mandarin answers of
about 60, 120 and 180 s and an English one of about 60 s, made by joining the clips with
0.4-0.9 s pauses (``--long``; 0 for none).

**Caption lag**: for every word of the final transcript, the time from the moment its last
sample reached the stream to the first caption (final or tentative) reaching that far.

Prints per answer the stop → report latency, the batch time, the content kept (Han
characters for Mandarin, words otherwise: streaming / batch of the same recording) and the
caption lag; then p50/p90 over all answers, and ends with one line::

    stop_to_report_median_s=… stop_to_report_p90_s=… batch_median_s=… speedup=…
    content_kept_min=… caption_lag_median_s=…

(on one line), where ``speedup`` is the batch median over the stop → report median.
"""

from __future__ import annotations

import argparse
import bisect
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.audio.files import load_audio
from kiosk.core.ports import SAMPLE_RATE, Audio, Language
from kiosk.core.transcript import Transcript, is_han
from kiosk.pipeline import analyze_audio, report_from_transcript
from kiosk.speech.streaming import LiveStream, StreamingTranscriber
from kiosk.speech.whisper import WhisperTranscriber, load_transcriber

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
CLIPS = ("zh_conversation.wav", "en_jfk.flac", "zh_welcome.wav")
PAUSES = (0.6, 0.4, 0.9, 0.5, 0.7)


@dataclass(frozen=True)
class Result:
    name: str
    tail: float
    seconds: float
    stop_to_report: float
    batch: float
    kept: float
    streamed: int
    batched: int
    passes: int
    busy: float
    """Seconds the stream spent decoding while the answer was spoken."""
    lags: tuple[float, ...]
    texts: tuple[str, str]
    trace: tuple[tuple[float, float, float, float], ...]


def content(tx: Transcript) -> int:
    """Han characters (Mandarin) or words: what the report counts pace in."""
    han = sum(is_han(ch) for ch in tx.text)
    return han if tx.language == "zh" else len(tx.words)


def guess_language(path: Path) -> Language:
    stem = path.name.lower()
    return "zh" if stem.startswith("zh") else "en" if stem.startswith("en") else "auto"


def joined(parts: list[Audio], seconds: float) -> Audio:
    """About ``seconds`` of answer: the clips in turn, with short pauses between them."""
    pieces: list[Audio] = []
    total, i = 0.0, 0
    while total < seconds:
        clip = parts[i % len(parts)]
        pause = np.zeros(int(PAUSES[i % len(PAUSES)] * SAMPLE_RATE), np.float32)
        pieces += [clip, pause]
        total += (len(clip) + len(pause)) / SAMPLE_RATE
        i += 1
    return np.concatenate(pieces[:-1])


def long_answers(clips: list[tuple[Path, Audio]], lengths: list[float], out: Path) -> list[Path]:
    """Mandarin answers of each length, and English ones of the shortest length."""
    made = []
    for lang, wanted in (("zh", lengths), ("en", lengths[:1])):
        parts = [audio for path, audio in clips if guess_language(path) == lang]
        for seconds in wanted if parts else ():
            audio = joined(parts, seconds)
            path = out / f"{lang}_long_{round(len(audio) / SAMPLE_RATE)}s.wav"
            sf.write(path, audio, SAMPLE_RATE, subtype="PCM_16")
            made.append(path)
    return made


def with_silence(audio: Audio, tail: float, path: Path) -> Path:
    sf.write(path, np.concatenate([audio, np.zeros(int(tail * SAMPLE_RATE), np.float32)]),
             SAMPLE_RATE, subtype="PCM_16")  # fmt: skip
    return path


class Clock:
    """When each sample reached the stream, and how far each caption reached."""

    def __init__(self, processor: StreamingTranscriber) -> None:
        self.processor = processor
        self.fed: list[int] = []
        self.fed_at: list[float] = []
        self.reach: list[float] = []
        self.reach_at: list[float] = []

    def feed(self, stream: LiveStream, block: Audio) -> None:
        stream.feed(block)
        self.fed.append((self.fed[-1] if self.fed else 0) + len(block))
        self.fed_at.append(time.perf_counter())

    def caption(self, _caption: object) -> None:
        words = [*self.processor.final_words, *self.processor.tentative_words]
        if words:
            self.reach.append(max(w.end for w in words))
            self.reach_at.append(time.perf_counter())

    def lags(self, tx: Transcript) -> list[float]:
        out = []
        best = list(np.maximum.accumulate(self.reach)) if self.reach else []
        for w in tx.words:
            i = bisect.bisect_left(self.fed, round(w.end * SAMPLE_RATE))
            j = bisect.bisect_left(best, w.end - 0.05)
            if i < len(self.fed_at) and j < len(self.reach_at):
                out.append(max(0.0, self.reach_at[j] - self.fed_at[i]))
        return out


def measure(
    transcriber: WhisperTranscriber, pulse: object, path: Path, tail: float, work: Path
) -> Result:
    from kiosk.audio.recorder import SoundDeviceRecorder

    lang = guess_language(path)
    audio = load_audio(path)
    feed = with_silence(audio, tail, work / "feed.wav")
    processor = StreamingTranscriber(transcriber, lang)
    clock = Clock(processor)
    stream = LiveStream(processor, clock.caption).start()
    recorder = SoundDeviceRecorder()
    recorder.start(work / "answer.wav", on_audio=lambda block: clock.feed(stream, block))
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
        path.name, tail, len(audio) / SAMPLE_RATE, stop_to_report, batch_s,
        content(streamed) / max(1, content(batch)), content(streamed), content(batch),
        processor.passes, busy, tuple(clock.lags(streamed)), (streamed.text, batch.text),
        tuple(processor.trace),
    )  # fmt: skip


def p90(values: list[float]) -> float:
    return (
        statistics.quantiles(values, n=10, method="inclusive")[-1] if len(values) > 1 else values[0]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="default: the committed clips")
    parser.add_argument("--tails", type=float, nargs="+", default=[0.5, 1.5],
                        help="closing silences before stop (s)")  # fmt: skip
    parser.add_argument("--long", type=float, nargs="*", default=[60, 120, 180],
                        help="lengths of joined answers (s); 0 or none for none")  # fmt: skip
    parser.add_argument("--model", type=Path, default=None, help="CTranslate2 Whisper dir")
    parser.add_argument("--texts", action="store_true", help="print both transcripts")
    parser.add_argument("--trace", action="store_true", help="print the last passes")
    args = parser.parse_args(argv)

    from tests.plugins.virtual_audio import running_pulse, use_pulse

    files = args.files or [DATA / name for name in CLIPS]
    transcriber = load_transcriber(args.model)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        clips = [(p, load_audio(p)) for p in files]
        lengths = [s for s in args.long if s > 0]
        paths = [*files, *long_answers(clips, lengths, work)]
        print(
            "real-time replay through a PulseAudio virtual microphone; closing silences "
            f"{', '.join(f'{t:g}' for t in args.tails)} s; embedded {transcriber.info.name}",
            flush=True,
        )
        results = []
        with running_pulse(work / "xdg") as pulse, use_pulse(pulse):
            for tail in args.tails:
                for path in paths:
                    r = measure(transcriber, pulse, path, tail, work)
                    results.append(r)
                    lag = statistics.median(r.lags) if r.lags else float("nan")
                    print(
                        f"{r.name} +{r.tail:g} s: {r.seconds:.1f} s answer, "
                        f"stop→report {r.stop_to_report:.2f} s, batch {r.batch:.2f} s, "
                        f"content {r.streamed}/{r.batched} = {r.kept:.3f}, {r.passes} passes, "
                        f"{r.busy:.1f} s decoding while speaking, caption lag median {lag:.2f} s",
                        flush=True,
                    )
                    if args.texts:
                        print(f"  streamed: {r.texts[0]}\n  batch:    {r.texts[1]}")
                    for lo, hi, heard, took in r.trace[-4:] if args.trace else ():
                        print(f"  pass {lo:.1f}-{hi:.1f} s at {heard:.1f} s heard: {took:.2f} s")
    stops = [r.stop_to_report for r in results]
    lags = [lag for r in results for lag in r.lags]
    stop, batch = statistics.median(stops), statistics.median(r.batch for r in results)
    print(f"stop → report: p50 {stop:.2f} s, p90 {p90(stops):.2f} s, max {max(stops):.2f} s")
    if lags:
        print(f"caption lag: p50 {statistics.median(lags):.2f} s, p90 {p90(lags):.2f} s")
    print(
        f"stop_to_report_median_s={stop:.2f} stop_to_report_p90_s={p90(stops):.2f} "
        f"batch_median_s={batch:.2f} speedup={batch / max(stop, 1e-9):.1f} "
        f"content_kept_min={min(r.kept for r in results):.3f} "
        f"caption_lag_median_s={statistics.median(lags) if lags else float('nan'):.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
