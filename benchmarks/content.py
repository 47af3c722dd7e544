"""Are "covered" decisions right? Run by hand from the repository root.

``python benchmarks/content.py`` checks every answer of ``benchmarks/data/
content_answers.toml`` against the key points of its bundled bank question
(``kiosk.core.keypoints.check_key_points``) and compares the "covered" decisions with the
labels: each answer was written to cover the key points in its ``covers`` list and not
the others. A key point the matcher calls "partly" or "missing" counts as not covered;
key points it does not check (advice on how to answer, or only the question's own words)
and labelled ones alike are left out of the counts and reported apart.

It prints every wrong decision with the words that were heard, the precision and recall
per split (``dev``: the rules were tuned while looking at these; ``held-out``: written
after the rules were frozen) and per language, and ends with one line::

    keypoint_precision=… keypoint_recall=… answers=…

over all answers. ``--split held-out`` or ``--lang zh|en`` narrow the set; ``--verbose``
prints every decision. ``--speak`` takes the answers marked ``speak = true``, reads each
aloud with the kiosk's question voice (``kiosk.audio.tts.Pyttsx3Speaker``: espeak-ng for English,
the neural Mandarin voice for Mandarin), transcribes it with the real speech model (the
embedded Whisper base, as the booth does) and checks the key points on that transcript,
real word times included; it prints each transcript.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kiosk.core.keypoints import check_key_points  # noqa: E402
from kiosk.core.transcript import Word  # noqa: E402
from kiosk.questions.loader import load_library  # noqa: E402

DATA = ROOT / "benchmarks" / "data" / "content_answers.toml"


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    unchecked: int = 0
    answers: set[str] = field(default_factory=set)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def line(self) -> str:
        return (
            f"precision {self.precision:.3f}  recall {self.recall:.3f}  "
            f"(covered right {self.tp}, wrongly {self.fp}, missed {self.fn}, "
            f"rightly not {self.tn}; not checked {self.unchecked}; "
            f"{len(self.answers)} answers)"
        )


def load(path: Path) -> list[dict[str, object]]:
    with path.open("rb") as f:
        return list(tomllib.load(f)["answers"])


_VOICE: list[object] = []


def spoken_words(text: str, language: str) -> list[Word]:
    """``text`` read by the kiosk's voice and transcribed by the real model."""
    from kiosk.audio.files import resample
    from kiosk.audio.tts import Pyttsx3Speaker
    from kiosk.config import cache_dir
    from kiosk.speech.registry import resolve_model
    from kiosk.speech.whisper import load_transcriber

    if not _VOICE:
        _VOICE.extend([Pyttsx3Speaker(), load_transcriber(resolve_model(None, cache_dir()).path)])
    speaker, transcriber = _VOICE
    samples, rate = speaker.synthesize(text, language)  # type: ignore[attr-defined]
    heard = transcriber.transcribe(resample(samples, rate), language=language)  # type: ignore[attr-defined]
    return list(heard.words)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--split", choices=("dev", "held-out", "held-out-2"), default=None)
    ap.add_argument("--lang", choices=("zh", "en"), default=None)
    ap.add_argument(
        "--speak",
        action="store_true",
        help="only answers marked speak = true: read by the kiosk's voice, transcribed by the "
        "real speech model, checked on that transcript (slow: minutes)",
    )
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)

    library = load_library(include_user=False)
    tallies: dict[str, Tally] = {}
    total = Tally()
    for answer in load(args.data):
        aid = str(answer["id"])
        question = library.get(str(answer["question"]))
        if question is None:
            print(f"{aid}: unknown question {answer['question']}", file=sys.stderr)
            return 2
        if args.split and answer.get("split") != args.split:
            continue
        if args.lang and question.language != args.lang:
            continue
        text = str(answer["text"])
        if args.speak:
            if not answer.get("speak"):
                continue
            words = spoken_words(text, question.language)
            print(f"{aid} heard: {' '.join(w.text for w in words)}", flush=True)
        else:
            words = [Word(t, 0.3 * i, 0.3 * i + 0.25) for i, t in enumerate(text.split())]
        covers = set(answer["covers"])  # type: ignore[call-overload]
        results = check_key_points(words, question.key_points, question.text)
        groups = [total, tallies.setdefault(str(answer.get("split", "dev")), Tally())]
        groups.append(tallies.setdefault(question.language, Tally()))
        for n, result in enumerate(results):
            gold = n in covers
            said = result.status == "covered"
            heard = ", ".join(f"{m.term}={m.text}" for m in result.matches) or "nothing"
            wrong = result.status != "not_checked" and gold != said
            if wrong or args.verbose:
                flag = "ok" if not wrong else ("MISSED" if gold else "WRONG")
                print(
                    f"{flag:6} {aid} [{n}] {result.text}: {result.status} "
                    f"(labelled {'covered' if gold else 'not covered'}); heard {heard}"
                )
            for t in groups:
                t.answers.add(aid)
                if result.status == "not_checked":
                    t.unchecked += 1
                elif gold and said:
                    t.tp += 1
                elif said:
                    t.fp += 1
                elif gold:
                    t.fn += 1
                else:
                    t.tn += 1
    print()
    for name in ("dev", "held-out", "held-out-2", "zh", "en"):
        if name in tallies:
            print(f"{name:9} {tallies[name].line()}")
    print(f"{'all':9} {total.line()}")
    print(
        f"keypoint_precision={total.precision:.3f} keypoint_recall={total.recall:.3f} "
        f"answers={len(total.answers)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
