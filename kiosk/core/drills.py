"""Self-introduction timing drills: say the same story in 30 s, 60 s, 90 s or 3 min.

A drill has one number, the target time ``T``; the clock counts down to it, a cue comes
:data:`CUE_BEFORE_S` seconds before it ("wrap up") and at it ("time"), and what is said
after ``T`` is overrun. As a :class:`~kiosk.core.target.Target` that is ``[0.9 T, T]``:
finishing in the last tenth counts as on time, and ``T`` itself is the limit (the metrics
mark the first word said after the target's upper end, ``length.target_end_word``).

**Length budget.** The target is also turned into how much can be said in it at a
comfortable pace, so a script can be sized before it is spoken:

* Mandarin: :data:`BUDGET_RATES` ``["zh"]`` = **220 Han characters per minute**, the middle
  of the comfortable band 180–260 chars/min (Kim et al., 《正常成人朗读和自发言语的语速研究》:
  spontaneous speech ≈ 200 ± 40 chars/min for women, 226 ± 26 for men; see docs/METRICS.md).
* English: **140 words per minute**, inside the conversational 120–170 WPM band and the
  100–165 WPM that PowerPoint Speaker Coach aims for (docs/METRICS.md).

A drill attempt is compared with the previous attempt at the same drill and with the best
one; "best" is the attempt whose length came closest to the target, fewer fillers per
minute breaking ties.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from kiosk.core.figures import clock_text, target_text
from kiosk.core.report import Report
from kiosk.core.target import Target
from kiosk.core.transcript import join_words

PRESETS_S: tuple[int, ...] = (30, 60, 90, 180)
CUE_BEFORE_S = 10.0
MIN_TARGET_S, MAX_TARGET_S = 5.0, 600.0
BUDGET_RATES: dict[str, tuple[float, str]] = {"zh": (220.0, "字"), "en": (140.0, "words")}
"""Comfortable pace per language: (units per minute, unit name); see the module docstring."""

Cue = Literal["speaking", "wrap_up", "time", "over"]


def drill_target(seconds: float) -> Target:
    """The target range of a drill of ``seconds``: the last tenth up to the limit."""
    if not MIN_TARGET_S <= seconds <= MAX_TARGET_S:
        raise ValueError(
            f"drill target {seconds:g} s is outside {MIN_TARGET_S:g}–{MAX_TARGET_S:g} s"
        )
    return Target(round(seconds * 0.9, 1), float(seconds))


def parse_seconds(text: str) -> float:
    """``"75"``, ``"75s"``, ``"1:15"`` or ``"2m"`` → seconds (ValueError if not one)."""
    raw = text.strip().lower().removesuffix("s").strip()
    if ":" in raw:
        minutes, _, secs = raw.partition(":")
        value = int(minutes) * 60 + float(secs)
    elif raw.endswith(("m", "min")):
        value = float(raw.removesuffix("min").removesuffix("m")) * 60
    else:
        value = float(raw)
    drill_target(value)  # range check
    return value


@dataclass(frozen=True, slots=True)
class Budget:
    """How much fits in a drill at a comfortable pace."""

    units: int
    unit: str
    rate: float

    def text(self) -> str:
        per = "chars/min" if self.unit == "字" else "wpm"
        return f"≈ {self.units} {self.unit} at {self.rate:g} {per}"


def budget(seconds: float, language: str) -> Budget:
    """The length budget of a drill: Han characters for Mandarin, words otherwise."""
    rate, unit = BUDGET_RATES.get(language, BUDGET_RATES["en"])
    return Budget(math.floor(rate * seconds / 60), unit, rate)


def cue(elapsed: float, target_s: float) -> Cue:
    """Which cue the clock is at: still speaking, wrap up (last 10 s), time, over."""
    if elapsed >= target_s + 1.0:
        return "over"
    if elapsed >= target_s:
        return "time"
    if elapsed >= target_s - CUE_BEFORE_S:
        return "wrap_up"
    return "speaking"


def countdown(elapsed: float, target_s: float) -> str:
    """``m:ss`` left, or ``+m:ss`` of overrun once the target has passed."""
    left = target_s - elapsed
    text = clock_text(math.ceil(left) if left > 0 else math.floor(-left))
    return text if left > 0 else f"+{text}"


@dataclass(frozen=True, slots=True)
class Split:
    """The transcript cut at the target time."""

    in_time: str
    overrun: str
    first_over_word: int | None
    over_by_s: float


def split_at_target(report: Report) -> Split:
    """What was said by the target time and what ran over (``length.target_end_word``)."""
    words = report.transcript.words
    length = report.metrics.length
    cut = length.target_end_word
    limit = length.target.high if length.target else None
    over = max(0.0, length.duration_s - limit) if limit is not None else 0.0
    if cut is None:
        return Split(join_words(w.text for w in words), "", None, over)
    return Split(
        join_words(w.text for w in words[:cut]),
        join_words(w.text for w in words[cut:]),
        cut,
        over,
    )


Tone = Literal["good", "warn", "bad"]


@dataclass(frozen=True, slots=True)
class DrillVerdict:
    """The drill's headline: the answer's length verdict in a sentence, and its colour."""

    verdict: str
    """The length verdict it says in words: ``too_short``, ``within`` or ``too_long``."""
    text: str
    tone: Tone


def drill_verdict(report: Report, seconds: float) -> DrillVerdict:
    """What the drill says about the take, always the same judgement as the length card:
    finished in time only inside the target (the last tenth up to ``seconds``); stopping
    earlier is too short, however short; a word after the limit is over.
    """
    length = report.metrics.length
    target = length.target or drill_target(seconds)
    verdict = length.verdict or target.verdict(length.duration_s)
    split = split_at_target(report)
    if verdict == "too_long" or split.first_over_word is not None:
        return DrillVerdict("too_long", f"Over by {split.over_by_s:.1f} s", "bad")
    if verdict == "too_short":
        unused = clock_text(max(0.0, seconds - length.duration_s))
        aim = target_text(target.low, target.high)
        return DrillVerdict(
            "too_short", f"Too short: {unused} of the time unused (finish within {aim}).", "warn"
        )
    return DrillVerdict("within", "Finished in time.", "good")


@dataclass(frozen=True, slots=True)
class DrillTake:
    """One attempt at a drill, as compared with the others."""

    attempt_id: int
    target_s: float
    duration_s: float
    fillers_per_min: float | None
    pace: float | None

    @property
    def off_by(self) -> float:
        """Seconds away from the target (over or under)."""
        return abs(self.duration_s - self.target_s)


@dataclass(frozen=True, slots=True)
class TakeDelta:
    """This take against another: positive ``closer_s`` = nearer the target now."""

    other: DrillTake
    duration_s: float
    closer_s: float
    fillers_per_min: float | None

    def text(self, name: str) -> str:
        way = "closer to" if self.closer_s > 0 else "further from" if self.closer_s < 0 else "as"
        line = f"vs {name} (#{self.other.attempt_id}): {self.duration_s:+.1f} s, "
        line += f"{abs(self.closer_s):.1f} s {way} the target"
        if self.fillers_per_min is not None:
            line += f", fillers {self.fillers_per_min:+.1f}/min"
        return line


def best_take(takes: Sequence[DrillTake]) -> DrillTake | None:
    """Closest to the target; fewer fillers per minute break ties."""
    return min(takes, key=lambda t: (round(t.off_by, 1), t.fillers_per_min or 0.0), default=None)


def delta(current: DrillTake, other: DrillTake) -> TakeDelta:
    fillers = (
        current.fillers_per_min - other.fillers_per_min
        if current.fillers_per_min is not None and other.fillers_per_min is not None
        else None
    )
    return TakeDelta(
        other=other,
        duration_s=current.duration_s - other.duration_s,
        closer_s=other.off_by - current.off_by,
        fillers_per_min=fillers,
    )


def compare_takes(
    current: DrillTake, earlier: Sequence[DrillTake]
) -> tuple[TakeDelta | None, TakeDelta | None]:
    """Deltas against the previous take and against the best earlier take (oldest first)."""
    if not earlier:
        return None, None
    best = best_take(earlier)
    assert best is not None
    return delta(current, earlier[-1]), delta(current, best)
