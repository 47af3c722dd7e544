"""How fast and how heavy is the Mandarin voice? Run by hand: ``python benchmarks/tts.py``.

Each measurement runs in a fresh Python process against a private, empty KIOSK_HOME, first
"cold" (the acoustic model is patched into the cache) then "warm" (cache already there),
and reports: import time of the voice package and of its runtime, time to the first
audio, per-question synthesis time and real-time factor (synthesis time / audio length),
and the peak resident memory of the process.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "请先做个简单的自我介绍，重点讲讲你为什么对AI医疗感兴趣。",
    "你做过的项目里，用户规模有多大？3个月内增长了多少？",
    "如果让你设计一个面向医生的大模型问诊助手，你会怎么定义它的核心指标？",
    "你怎么看待RAG和微调这两种方案的取舍？",
    "讲一个你推动跨部门合作的例子，遇到了什么阻力，最后结果如何？",
]


def measure() -> dict[str, float]:
    """One process's figures (called in the child)."""
    t0 = time.perf_counter()
    from audio.voices import mandarin_available, synthesize_mandarin

    available = mandarin_available()
    t1 = time.perf_counter()
    import ai_edge_litert.interpreter  # noqa: F401
    import pypinyin  # noqa: F401

    t2 = time.perf_counter()
    synthesize_mandarin(QUESTIONS[0])
    t3 = time.perf_counter()
    times, ratios = [], []
    for question in QUESTIONS:
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


def main() -> None:
    if "--child" in sys.argv:
        print(json.dumps(measure()))
        return
    with tempfile.TemporaryDirectory(prefix="kiosk-tts-bench-") as home:
        runs = {"cold": _child(Path(home)), "warm": _child(Path(home))}
    print(f"Mandarin voice, {len(QUESTIONS)} questions, {os.cpu_count()} CPUs")
    for name, r in runs.items():
        print(
            f"{name}: import voice {r['import_voice_s']:.2f}s,"
            f" runtime {r['import_runtime_s']:.2f}s,"
            f" first audio {r['first_audio_s']:.2f}s, per question {r['per_question_s']:.2f}s"
            f" (max {r['per_question_max_s']:.2f}s), RTF {r['rtf']:.3f},"
            f" peak RSS {r['peak_rss_mb']:.0f} MB"
        )


if __name__ == "__main__":
    main()
