"""Is practice paying off? Trends of pace, filler rate and time-on-target across attempts.

Pure arithmetic on plain samples (the history's summary columns), so the TUI's charts and
``kiosk stats`` tell the same story. The rule is deliberately simple and stated:

* **Languages apart.** Trends are computed per language and never across: a Mandarin
  pace (chars/min) and an English one (words/min) are not the same quantity, and Mandarin
  and English fillers come from different lexicons, so a mix of the two would report
  changes that are only a change of language (:func:`by_language`).
* **Windows.** The last :data:`WINDOW` analysed attempts are compared with the
  :data:`WINDOW` before them. With fewer than ``2 × WINDOW`` attempts the history is split
  in two halves; with fewer than ``2 × MIN_EACH`` there is too little to say anything.
* **Pace** is judged by its distance from the comfortable band of its unit (docs/METRICS.md:
  180–260 Han chars/min, 120–170 words/min), using the overall pace (first to last word,
  the one the bands are measured on). Only attempts in the most common unit are compared:
  a Mandarin pace and an English one are not the same quantity.
* **Fillers per minute**: lower is better.
* **On-target rate**: the share of answers whose length fell within the question's target.

A change counts only beyond a threshold (:data:`THRESHOLDS`), chosen around the noise seen
between two takes of the same answer: ±10 units/min of pace, ±1 filler/min, ±15 points of
on-target rate. Anything smaller is "steady".
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from kiosk.core.figures import pace_number
from kiosk.core.metrics import BANDS

WINDOW = 5
MIN_EACH = 2
THRESHOLDS = {"pace": 10.0, "fillers": 1.0, "on_target": 0.15}
"""Smallest change that counts as better or worse, per metric (see module docstring)."""

LANGUAGES = ("zh", "en")
"""The languages the kiosk practises; trends are kept apart for each."""
LANGUAGE_NAMES = {"zh": "Mandarin", "en": "English"}
UNIT_LANGUAGE = {"chars/min": "zh", "words/min": "en"}
"""The language an answer without a language code is taken to be in, from its pace unit."""

TrendVerdict = Literal["improved", "worse", "steady", "too_few"]
MetricName = Literal["pace", "fillers", "on_target"]
METRIC_LABELS: dict[MetricName, str] = {
    "pace": "pace",
    "fillers": "fillers per minute",
    "on_target": "answers on target",
}


@dataclass(frozen=True, slots=True)
class Sample:
    """One analysed attempt as the trends see it."""

    created_at: str
    category: str | None
    language: str | None
    pace: float | None
    """Overall pace (first to last word) in ``pace_unit``."""
    pace_unit: str | None
    fillers_per_min: float | None
    length_verdict: str | None
    key_points_covered: int | None = None
    key_points_partly: int | None = None
    key_points_checked: int | None = None
    """Key points covered + partly + missing; 0 when the question has none, None when the
    answer had no content review (its question was not known)."""
    structure_found: int | None = None
    structure_checked: int | None = None
    """Structure signals checked for the question's kind; None when it has no frame."""
    structure_frame: str | None = None
    """The frame those signals belong to (``star``, ``zongfenzong``, ``reverse``): shares
    of different frames are never pooled (:mod:`kiosk.core.content_progress`)."""

    @property
    def on_target(self) -> bool | None:
        """Within the target, outside it, or None when there was no target."""
        if self.length_verdict in (None, "no_speech"):
            return None
        return self.length_verdict == "within"


@dataclass(frozen=True, slots=True)
class Trend:
    """One metric, earlier window against recent window."""

    metric: MetricName
    earlier: float | None
    recent: float | None
    verdict: TrendVerdict
    unit: str = ""

    @property
    def change(self) -> float | None:
        if self.earlier is None or self.recent is None:
            return None
        return self.recent - self.earlier

    def sentence(self) -> str:
        """One line of the text summary."""
        label = METRIC_LABELS[self.metric]
        if self.verdict == "too_few" or self.earlier is None or self.recent is None:
            return f"{label}: not enough analysed answers yet"
        show = {"on_target": _percent, "pace": pace_number}.get(self.metric, _number)
        move = f"{show(self.earlier)} → {show(self.recent)}{self.unit}"
        return f"{label}: {self.verdict} ({move})"


@dataclass(frozen=True, slots=True)
class Summary:
    """Trends of one group of attempts (all, or one category)."""

    count: int
    window: int
    trends: tuple[Trend, ...]

    @property
    def improved(self) -> tuple[Trend, ...]:
        return tuple(t for t in self.trends if t.verdict == "improved")

    @property
    def worse(self) -> tuple[Trend, ...]:
        return tuple(t for t in self.trends if t.verdict == "worse")

    def lines(self) -> list[str]:
        """A short text summary: what improved, what did not."""
        if self.window == 0:
            return [f"{self.count} analysed answer(s): practise a few more to see trends."]
        head = f"Last {self.window} answers against the {self.window} before ({self.count} in all):"
        out = [head, *(f"  {t.sentence()}" for t in self.trends)]
        good = ", ".join(METRIC_LABELS[t.metric] for t in self.improved) or "nothing yet"
        bad = ", ".join(METRIC_LABELS[t.metric] for t in self.worse) or "nothing"
        out.append(f"Improved: {good}. Got worse: {bad}.")
        return out


def _number(x: float) -> str:
    return f"{x:.0f}" if abs(x) >= 10 else f"{x:.1f}"


def _percent(x: float) -> str:
    return f"{x * 100:.0f} %"


def _mean(values: Sequence[float]) -> float | None:
    return statistics.fmean(values) if values else None


def window_size(count: int, window: int = WINDOW) -> int:
    """How many attempts each side of the comparison holds (0: too few)."""
    if count >= 2 * window:
        return window
    half = count // 2
    return half if half >= MIN_EACH else 0


def main_unit(samples: Sequence[Sample]) -> str | None:
    """The pace unit most attempts were measured in."""
    units = Counter(s.pace_unit for s in samples if s.pace_unit and s.pace is not None)
    return units.most_common(1)[0][0] if units else None


def band_distance(pace: float, unit: str) -> float:
    """How far a pace lies outside the comfortable band (0 inside it)."""
    low, high = BANDS.get(unit, (0.0, float("inf")))
    return max(0.0, low - pace, pace - high)


def _trend(
    metric: MetricName,
    earlier: Sequence[float],
    recent: Sequence[float],
    lower_is_better: bool,
    score: Callable[[float], float] = lambda x: x,
    unit: str = "",
) -> Trend:
    a, b = _mean(earlier), _mean(recent)
    if a is None or b is None or len(earlier) < MIN_EACH or len(recent) < MIN_EACH:
        return Trend(metric, a, b, "too_few", unit)
    gain = score(a) - score(b) if lower_is_better else score(b) - score(a)
    threshold = THRESHOLDS[metric]
    verdict: TrendVerdict = (
        "improved" if gain >= threshold else "worse" if gain <= -threshold else "steady"
    )
    return Trend(metric, a, b, verdict, unit)


def summarize(samples: Sequence[Sample], window: int = WINDOW) -> Summary:
    """Compare the last ``window`` attempts with the ``window`` before (oldest first in)."""
    n = window_size(len(samples), window)
    if n == 0:
        return Summary(len(samples), 0, ())
    earlier, recent = samples[-2 * n : -n], samples[-n:]
    unit = main_unit(samples) or ""

    def paces(group: Sequence[Sample]) -> list[float]:
        return [s.pace for s in group if s.pace is not None and s.pace_unit == unit]

    def fillers(group: Sequence[Sample]) -> list[float]:
        return [s.fillers_per_min for s in group if s.fillers_per_min is not None]

    def hits(group: Sequence[Sample]) -> list[float]:
        return [float(s.on_target) for s in group if s.on_target is not None]

    trends = (
        _trend(
            "pace",
            paces(earlier),
            paces(recent),
            lower_is_better=True,
            score=lambda p: band_distance(p, unit),
            unit=f" {unit}" if unit else "",
        ),
        _trend("fillers", fillers(earlier), fillers(recent), lower_is_better=True, unit="/min"),
        _trend("on_target", hits(earlier), hits(recent), lower_is_better=False),
    )
    return Summary(len(samples), n, trends)


def sample_language(s: Sample) -> str:
    """The language an attempt counts under: its language code, or — when it has none —
    the language its pace unit belongs to; ``"unknown"`` when neither is known."""
    if s.language and s.language != "auto":
        return s.language
    return UNIT_LANGUAGE.get(s.pace_unit or "", "unknown")


def language_title(code: str) -> str:
    """``Mandarin (zh)``, ``English (en)``, or the bare code of any other language."""
    name = LANGUAGE_NAMES.get(code)
    return f"{name} ({code})" if name else code


def by_language(samples: Sequence[Sample]) -> dict[str, list[Sample]]:
    """The attempts split by language, each list oldest first as given: Mandarin, then
    English, then any other language code (sorted)."""
    groups: dict[str, list[Sample]] = {}
    for s in samples:
        groups.setdefault(sample_language(s), []).append(s)
    order = [*(c for c in LANGUAGES if c in groups), *sorted(set(groups) - set(LANGUAGES))]
    return {code: groups[code] for code in order}


def category_groups(samples: Sequence[Sample]) -> dict[str, list[Sample]]:
    """The samples of each question category, in order of first appearance."""
    groups: dict[str, list[Sample]] = {}
    for s in samples:
        groups.setdefault(s.category or "(no category)", []).append(s)
    return groups


def by_category(samples: Sequence[Sample], window: int = WINDOW) -> dict[str, Summary]:
    """One summary per question category (in order of first appearance)."""
    groups = category_groups(samples)
    return {name: summarize(group, window) for name, group in groups.items()}


def rolling_rate(flags: Sequence[bool | None], width: int = WINDOW) -> list[float | None]:
    """On-target share over the last ``width`` answers that had a target, at each answer."""
    out: list[float | None] = []
    seen: list[bool] = []
    for flag in flags:
        if flag is not None:
            seen.append(flag)
        last = seen[-width:]
        out.append(sum(last) / len(last) if last else None)
    return out


# --- two attempts side by side -------------------------------------------------------------

COMPARE_MARGINS = {"duration": 1.0, "pace": 5.0, "fillers": 0.5, "pauses": 1.0}
"""Differences smaller than these are shown but not called better or worse."""


@dataclass(frozen=True, slots=True)
class Measure:
    """The numbers of one attempt that a comparison looks at."""

    duration_s: float | None
    target: tuple[float, float] | None
    pace: float | None
    pace_unit: str | None
    fillers_per_min: float | None
    pauses: int | None


@dataclass(frozen=True, slots=True)
class Delta:
    """``after − before`` for one metric; ``better`` is None when it is a wash or unknown."""

    metric: str
    before: float | None
    after: float | None
    better: bool | None

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def mark(self) -> str:
        return {True: "better", False: "worse", None: ""}[self.better]


def _judge(
    metric: str, before: float | None, after: float | None, cost: Callable[[float], float]
) -> Delta:
    if before is None or after is None:
        return Delta(metric, before, after, None)
    gain = cost(before) - cost(after)
    margin = COMPARE_MARGINS[metric]
    return Delta(
        metric, before, after, True if gain >= margin else False if gain <= -margin else None
    )


def _outside(value: float, low: float, high: float) -> float:
    return max(0.0, low - value, value - high)


def compare(before: Measure, after: Measure) -> tuple[Delta, ...]:
    """Duration (closer to the target range is better), pace (closer to the comfortable
    band), fillers per minute and pauses (fewer is better)."""
    target = after.target or before.target
    duration_cost: Callable[[float], float] = (
        (lambda d: _outside(d, *target)) if target else (lambda d: 0.0)
    )
    same_unit = before.pace_unit == after.pace_unit and after.pace_unit is not None
    unit = after.pace_unit or ""
    return (
        _judge("duration", before.duration_s, after.duration_s, duration_cost),
        _judge(
            "pace",
            before.pace if same_unit else None,
            after.pace if same_unit else None,
            lambda p: band_distance(p, unit),
        ),
        _judge("fillers", before.fillers_per_min, after.fillers_per_min, lambda f: f),
        _judge(
            "pauses",
            None if before.pauses is None else float(before.pauses),
            None if after.pauses is None else float(after.pauses),
            lambda n: n,
        ),
    )
