"""Same answer, same numbers: replay each file several times through a microphone.

Run by hand (never in the test suite)::

    .venv/bin/python benchmarks/repeatability.py tests/data/*.wav tests/data/*.flac --runs 5

Each file is played at real time into the virtual microphone of a private PulseAudio and
recorded by the real recorder, whose ``on_audio`` feeds the live stream, as in the booth.
Every run starts playing after a random lead-in of 0-0.5 s (so the answer sits at another
offset of the recording each time) and stops after a closing silence; other load on the
machine is allowed. Each run's report (streamed transcript → metrics) is compared with one
batch pass (``kiosk analyze``'s path) over the file itself:

* fillers: the spread (largest minus smallest count) over the runs and the batch pass;
* content identical: the share of the batch pass's content units (Han characters, or
  words) that a run has in the same order (difflib matching blocks), the smallest;
* pace: the spread over the runs and the batch pass, in percent of their mean, of the
  headline pace (``span_value``, first word to last) and of the pace while speaking
  (``value``, over the VAD's speaking time: the one figure earlier versions of this
  benchmark printed, as "pace").

Ends with one line::

    runs=… filler_spread_max=… content_identical_min=… pace_spread_max_pct=…
    speaking_pace_spread_max_pct=…

(on one line).
"""

from __future__ import annotations

import argparse
import difflib
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.latency import guess_language, with_silence
from kiosk.audio.files import load_audio
from kiosk.core.report import Report
from kiosk.core.transcript import Transcript, is_han
from kiosk.pipeline import analyze_audio, report_from_transcript
from kiosk.speech.guards import normalize
from kiosk.speech.streaming import LiveStream, StreamingTranscriber
from kiosk.speech.whisper import WhisperTranscriber, load_transcriber


def units(tx: Transcript) -> list[str]:
    """What pace is counted in: Han characters for Mandarin, normalised words otherwise."""
    if tx.language == "zh":
        return [ch for w in tx.words for ch in normalize(w.text) if is_han(ch)]
    return [n for w in tx.words if (n := normalize(w.text))]


def identical(run: Transcript, batch: Transcript) -> float:
    a, b = units(run), units(batch)
    if not b:
        return 1.0 if not a else 0.0
    same = sum(m.size for m in difflib.SequenceMatcher(None, a, b).get_matching_blocks())
    return same / max(len(a), len(b))


def replay(
    transcriber: WhisperTranscriber, pulse: object, path: Path, lead: float, work: Path
) -> Report:
    from kiosk.audio.recorder import SoundDeviceRecorder

    processor = StreamingTranscriber(transcriber, guess_language(path))
    stream = LiveStream(processor).start()
    recorder = SoundDeviceRecorder()
    recorder.start(work / "answer.wav", on_audio=stream.feed)
    time.sleep(lead)
    player = pulse.feed(path)  # type: ignore[attr-defined]
    player.wait()
    recorder.stop()
    return report_from_transcript(stream.stop())


def spread(values: list[float]) -> float:
    return max(values) - min(values)


def spread_pct(values: list[float]) -> float:
    """The spread in percent of the mean (0 for no speech)."""
    mean = sum(values) / len(values)
    return 100 * spread(values) / mean if mean else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tail", type=float, default=1.5, help="closing silence before stop")
    parser.add_argument("--seed", type=int, default=None, help="for the random lead-ins")
    parser.add_argument("--model", type=Path, default=None, help="CTranslate2 Whisper dir")
    parser.add_argument("--texts", action="store_true", help="print every transcript")
    args = parser.parse_args(argv)

    from tests.plugins.virtual_audio import running_pulse, use_pulse

    rng = random.Random(args.seed)
    transcriber = load_transcriber(args.model)
    fillers_max, identical_min, pace_max, speaking_max, total = 0.0, 1.0, 0.0, 0.0, 0
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with running_pulse(work / "xdg") as pulse, use_pulse(pulse):
            for path in args.files:
                audio = load_audio(path)
                batch = analyze_audio(audio, transcriber=transcriber, language=guess_language(path))
                feed = with_silence(audio, args.tail, work / "feed.wav")
                runs = [
                    replay(transcriber, pulse, feed, rng.uniform(0.0, 0.5), work)
                    for _ in range(args.runs)
                ]
                total += len(runs)
                reports = [*runs, batch]
                fillers = [float(r.metrics.fillers.total) for r in reports]
                paces = [r.metrics.pace.span_value for r in reports]
                speaking = [r.metrics.pace.value for r in reports]
                same = [identical(r.transcript, batch.transcript) for r in runs]
                pace_pct, speaking_pct = spread_pct(paces), spread_pct(speaking)
                fillers_max = max(fillers_max, spread(fillers))
                identical_min = min(identical_min, *same)
                pace_max = max(pace_max, pace_pct)
                speaking_max = max(speaking_max, speaking_pct)
                unit = batch.metrics.pace.unit
                print(
                    f"{path.name}: fillers {[int(f) for f in fillers]} (last: batch), "
                    f"content identical min {min(same):.3f}, "
                    f"pace {', '.join(f'{p:.1f}' for p in paces)} {unit} "
                    f"(spread {pace_pct:.1f} %), "
                    f"while speaking {', '.join(f'{p:.1f}' for p in speaking)} "
                    f"(spread {speaking_pct:.1f} %)"
                )
                if args.texts:
                    for r in reports:
                        print(f"  {r.transcript.text}")
    print(
        f"runs={total} filler_spread_max={fillers_max:g} "
        f"content_identical_min={identical_min:.3f} pace_spread_max_pct={pace_max:.1f} "
        f"speaking_pace_spread_max_pct={speaking_max:.1f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
