"""How well, how fast and how heavy are the voices? Run by hand from the repository root.

``python benchmarks/tts.py`` (intelligibility, the default) speaks every bundled question
the way the booth does (``Pyttsx3Speaker.synthesize`` with the question's ``spoken`` text
and language) and transcribes it back with the real speech model, language given as the
question's, with half a second of silence before and after it (``PAD_S``). It prints one
line per question as it goes, then per language the mean and
worst error rate and the worst five questions, and ends with one line::

    zh_cer_mean=… zh_cer_worst=… en_wer_mean=… en_wer_worst=… questions=…

Mandarin is scored by character error rate over Han characters and whole Latin terms,
English by word error rate (normalisation in ``kiosk/audio/voices/intelligibility.py``). The
Mandarin voice is not deterministic (its acoustic model keeps dropout on), so repeated runs
differ by a point or two. ``--lang zh|en`` and ``--limit N`` (the first N questions of
each language) make quicker runs, and ``--only-terms`` keeps the Mandarin questions that
hold English terms; ``--no-terms`` reads English terms in Mandarin questions
with the Mandarin voice alone, as before they went to the English voice.

``python benchmarks/tts.py --cost`` measures the Mandarin voice's cost instead: each
measurement runs in a fresh Python process against a private, empty KIOSK_HOME, first
"cold" (the acoustic model is patched into the cache) then "warm", and reports import
times, time to the first audio, per-question synthesis time, real-time factor and peak
resident memory.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PAD_S = 0.5
"""Silence before and after each question, as around speech in a recording: without it the
speech model sometimes misses a clip's first word (measured: "A distilled model" heard as
"The steel model")."""

COST_QUESTIONS = [
    "请先做个简单的自我介绍，重点讲讲你为什么对AI医疗感兴趣。",
    "你做过的项目里，用户规模有多大？3个月内增长了多少？",
    "如果让你设计一个面向医生的大模型问诊助手，你会怎么定义它的核心指标？",
    "你怎么看待RAG和微调这两种方案的取舍？",
    "讲一个你推动跨部门合作的例子，遇到了什么阻力，最后结果如何？",
]


# --- intelligibility ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Result:
    language: str
    question_id: str
    spoken: str
    heard: str
    error: float
    audio_s: float


def _questions(
    lang: str | None, limit: int | None, only_terms: bool = False
) -> list[tuple[str, str, str]]:
    """``(id, language, spoken text)`` of every bundled question, in bank order."""
    from kiosk.audio.voices.terms import has_terms
    from kiosk.questions.loader import load_library

    library = load_library(include_bundled=True, include_user=False)
    chosen: list[tuple[str, str, str]] = []
    taken: dict[str, int] = {}
    for q in library.questions:
        if q.language not in ("zh", "en") or (lang and q.language != lang):
            continue
        if only_terms and not (q.language == "zh" and has_terms(q.spoken)):
            continue
        if limit is not None and taken.get(q.language, 0) >= limit:
            continue
        taken[q.language] = taken.get(q.language, 0) + 1
        chosen.append((q.id, q.language, q.spoken))
    return chosen


def intelligibility(args: argparse.Namespace) -> list[Result]:
    from kiosk.audio.files import resample
    from kiosk.audio.tts import Pyttsx3Speaker
    from kiosk.audio.voices.intelligibility import cer, wer
    from kiosk.speech.whisper import load_transcriber

    questions = _questions(args.lang, args.limit, args.only_terms)
    transcriber = load_transcriber(args.model)
    speaker = Pyttsx3Speaker(english_terms=not args.no_terms)
    results: list[Result] = []
    started = time.perf_counter()
    for n, (qid, lang, spoken) in enumerate(questions, 1):
        samples, rate = speaker.synthesize(spoken, lang)  # type: ignore[arg-type]
        pad = np.zeros(int(PAD_S * rate), np.float32)
        audio = resample(np.concatenate([pad, samples, pad]), rate)
        heard = transcriber.transcribe(audio, language=lang).text  # type: ignore[arg-type]
        error = cer(spoken, heard) if lang == "zh" else wer(spoken, heard)
        results.append(Result(lang, qid, spoken, heard, error, samples.size / rate))
        took = time.perf_counter() - started
        print(f"[{n}/{len(questions)} {took:.0f}s] {lang} {error:.3f} {qid}: {heard}", flush=True)
    return results


def summary(results: list[Result]) -> str:
    """The per-language report and the closing one-line summary."""
    lines: list[str] = []
    figures: dict[str, float] = {}
    for lang, metric in (("zh", "cer"), ("en", "wer")):
        mine = [r for r in results if r.language == lang]
        if not mine:
            continue
        errors = [r.error for r in mine]
        figures[f"{lang}_{metric}_mean"] = statistics.mean(errors)
        figures[f"{lang}_{metric}_worst"] = max(errors)
        audio = sum(r.audio_s for r in mine)
        lines.append(
            f"{lang}: {len(mine)} questions, {audio:.0f} s of speech,"
            f" {metric.upper()} mean {statistics.mean(errors):.3f},"
            f" median {statistics.median(errors):.3f}, worst {max(errors):.3f}"
        )
        for r in sorted(mine, key=lambda r: -r.error)[:5]:
            lines.append(f"  {r.error:.3f} {r.question_id}")
            lines.append(f"        said:  {r.spoken}")
            lines.append(f"        heard: {r.heard}")
    last = " ".join(f"{key}={value:.3f}" for key, value in figures.items())
    lines.append(f"{last} questions={len(results)}".strip())
    return "\n".join(lines)


# --- cost ---------------------------------------------------------------------------------


def measure() -> dict[str, float]:
    """One process's figures (called in the child)."""
    t0 = time.perf_counter()
    from kiosk.audio.voices import mandarin_available, synthesize_mandarin

    available = mandarin_available()
    t1 = time.perf_counter()
    import ai_edge_litert.interpreter  # noqa: F401
    import pypinyin  # noqa: F401

    t2 = time.perf_counter()
    synthesize_mandarin(COST_QUESTIONS[0])
    t3 = time.perf_counter()
    times, ratios = [], []
    for question in COST_QUESTIONS:
        start = time.perf_counter()
        audio, rate = synthesize_mandarin(question)
        took = time.perf_counter() - start
        times.append(took)
        ratios.append(took / (audio.size / rate))
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "available": float(available),
        "import_voice_s": t1 - t0,
        "import_runtime_s": t2 - t1,
        "first_audio_s": t3 - t2,
        "per_question_s": statistics.mean(times),
        "per_question_max_s": max(times),
        "rtf": statistics.mean(ratios),
        "peak_rss_mb": peak_kib / 1024,
    }


def _child(home: Path) -> dict[str, float]:
    env = {**os.environ, "KIOSK_HOME": str(home), "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, __file__, "--child"], env=env, capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def cost() -> None:
    with tempfile.TemporaryDirectory(prefix="kiosk-tts-bench-") as home:
        runs = {"cold": _child(Path(home)), "warm": _child(Path(home))}
    print(f"Mandarin voice, {len(COST_QUESTIONS)} questions, {os.cpu_count()} CPUs")
    for name, r in runs.items():
        print(
            f"{name}: import voice {r['import_voice_s']:.2f}s,"
            f" runtime {r['import_runtime_s']:.2f}s,"
            f" first audio {r['first_audio_s']:.2f}s, per question {r['per_question_s']:.2f}s"
            f" (max {r['per_question_max_s']:.2f}s), RTF {r['rtf']:.3f},"
            f" peak RSS {r['peak_rss_mb']:.0f} MB"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", choices=("zh", "en"), help="only this language's questions")
    parser.add_argument("--limit", type=int, help="only the first N questions of each language")
    parser.add_argument("--model", type=Path, help="a CTranslate2 Whisper model directory")
    parser.add_argument(
        "--no-terms", action="store_true", help="English terms in Mandarin by the Mandarin voice"
    )
    parser.add_argument(
        "--only-terms", action="store_true", help="only Mandarin questions with English terms"
    )
    parser.add_argument("--cost", action="store_true", help="measure the Mandarin voice's cost")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure()))
    elif args.cost:
        cost()
    else:
        print(summary(intelligibility(args)), flush=True)


if __name__ == "__main__":
    main()
