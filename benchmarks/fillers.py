"""Filler accuracy on real speech: what the report counts against what was said.

Run by hand (never in the test suite)::

    .venv/bin/python benchmarks/fillers.py [--truth benchmarks/data/filler_truth.toml]

Every clip in the truth file (``benchmarks/data/filler_truth.toml``, which says how its
truth was established and how sure each entry is) is analysed with the real model twice:
as ``kiosk analyze`` does (``kiosk.pipeline.analyze_audio``) and as the booth does (the
live stream fed 0.5 s blocks as fast as it takes them, then the stop key). A filler the
report counts is *matched* when a true filler lies within 0.5 s of its start (one to one,
closest first, whatever word Whisper wrote for it). Per clip and path it prints the true
fillers, the fillers counted, matched, recall (matched / true) and false fillers (counted,
not matched) and *named*: true fillers matched by a counted filler or by a possible one,
the 啊 the report names but does not count. Then each counted, missed and possible filler.

Ends with one line (the ``kiosk analyze`` path; ``n/a`` where a language has no true
filler to find)::

    filler_recall_zh=… filler_false_zh=… filler_recall_en=… filler_false_en=… clips=…
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.audio.files import load_audio  # noqa: E402
from kiosk.core.figures import clock_text  # noqa: E402
from kiosk.core.ports import SAMPLE_RATE, Audio, Language  # noqa: E402
from kiosk.core.report import Report  # noqa: E402
from kiosk.pipeline import analyze_audio, report_from_transcript  # noqa: E402
from kiosk.speech.streaming import StreamingTranscriber  # noqa: E402
from kiosk.speech.whisper import WhisperTranscriber, load_transcriber  # noqa: E402

TRUTH = ROOT / "benchmarks" / "data" / "filler_truth.toml"
WINDOW_S = 0.5
"""A counted filler matches a true one whose time is at most this far from its start."""
BLOCK_S = 0.5
NO_ENGLISH_HESITATIONS = (
    "no clip with real English hesitations exists in tests/data or /work/shared/audio: "
    "English recall is not measured (en_jfk measures false English fillers only)"
)


@dataclass(frozen=True, slots=True)
class Truth:
    text: str
    at: float
    sure: str


@dataclass(frozen=True, slots=True)
class Score:
    true: int
    counted: int
    matched: int
    named: int
    """True fillers matched by a counted or a possible filler."""

    @property
    def false(self) -> int:
        return self.counted - self.matched

    @property
    def recall(self) -> float | None:
        return self.matched / self.true if self.true else None


def match(truth: list[Truth], counted: list[float]) -> list[tuple[int, int]]:
    """(truth index, counted index) pairs within :data:`WINDOW_S`, closest first, each
    used once."""
    pairs = sorted(
        (abs(t.at - c), i, j)
        for i, t in enumerate(truth)
        for j, c in enumerate(counted)
        if abs(t.at - c) <= WINDOW_S
    )
    used_t: set[int] = set()
    used_c: set[int] = set()
    out = []
    for _, i, j in pairs:
        if i not in used_t and j not in used_c:
            used_t.add(i)
            used_c.add(j)
            out.append((i, j))
    return out


def streamed(transcriber: WhisperTranscriber, audio: Audio, language: Language) -> Report:
    """The booth's path: the live processor fed block by block, then the stop key."""
    processor = StreamingTranscriber(transcriber, language)
    block = int(BLOCK_S * SAMPLE_RATE)
    for i in range(0, len(audio), block):
        processor.insert_audio(audio[i : i + block])
        processor.process()
    return report_from_transcript(processor.finish())


def ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def score(report: Report, truth: list[Truth]) -> tuple[Score, list[str]]:
    """The score of one report, and one line per counted, missed and possible filler."""
    items = list(report.metrics.fillers.items)
    pairs = match(truth, [f.start for f in items])
    hit_t = {i for i, _ in pairs}
    hit_c = {j for _, j in pairs}
    lines = []
    for j, f in enumerate(items):
        verdict = "matched" if j in hit_c else "FALSE"
        lines.append(f"    counted {f.text} at {f.start:.2f} s ({f.kind}): {verdict}")
    for i, t in enumerate(truth):
        if i not in hit_t:
            lines.append(f"    missed  {t.text} at {t.at:.1f} s (truth: {t.sure})")
    possible = list(report.metrics.fillers.possible)
    named = match(truth, [f.start for f in items] + [p.start for p in possible])
    for p in possible:
        lines.append(f"    possible, not counted: {p.text} at {p.start:.2f} s ({p.reason})")
    return Score(len(truth), len(items), len(pairs), len(named)), lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--truth", type=Path, default=TRUTH)
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--no-stream", action="store_true", help="the kiosk analyze path only")
    args = parser.parse_args(argv)
    clips = tomllib.loads(args.truth.read_text(encoding="utf-8"))["clip"]
    transcriber = load_transcriber(args.model)
    totals: dict[str, list[Score]] = {"zh": [], "en": []}
    for clip in clips:
        path = ROOT / clip["file"]
        language: Language = clip["language"]
        truth = [Truth(f["text"], float(f["at"]), f.get("sure", "high")) for f in clip["fillers"]]
        audio = load_audio(path)
        print(f"{path.name} ({language}, {clock_text(len(audio) / SAMPLE_RATE)})")
        runs = [("analyze", analyze_audio(audio, transcriber=transcriber, language=language))]
        if not args.no_stream:
            runs.append(("booth", streamed(transcriber, audio, language)))
        for name, report in runs:
            result, lines = score(report, truth)
            if name == "analyze":
                totals.setdefault(language, []).append(result)
            print(
                f"  {name:8s} true {result.true}  counted {result.counted}  "
                f"matched {result.matched}  recall {ratio(result.recall)}  "
                f"false fillers {result.false}  named {result.named}"
            )
            print("\n".join(lines))
    summary = []
    for lang in ("zh", "en"):
        scores = totals.get(lang, [])
        true = sum(s.true for s in scores)
        matched = sum(s.matched for s in scores)
        recall = matched / true if true else None
        summary.append(f"filler_recall_{lang}={ratio(recall)}")
        summary.append(f"filler_false_{lang}={sum(s.false for s in scores)}")
        if lang == "en" and not true:
            print(f"note: {NO_ENGLISH_HESITATIONS}")
    print(" ".join([*summary, f"clips={len(clips)}"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
