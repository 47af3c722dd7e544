"""How every figure of an answer is written, so each screen, command and export agrees.

One answer has one length, one headline pace and one filler count, and each is written by
exactly one function here:

* **Length** (:func:`clock_text`) is ``m:ss`` with the seconds *cut*, not rounded: it is
  what the recording clock showed when the answer ended (the clock ticks to 0:01 after a
  full second), so 70.6 s is ``1:10`` everywhere, from the live bar to the CSV.
* **Pace** (:func:`pace_text`) is the *headline* pace — first to last word, pauses
  included, the one the comfortable bands judge (docs/METRICS.md) — rounded to a whole
  unit, with its unit: ``279 chars/min``. The pace while speaking (pauses removed) is the
  secondary figure and is always labelled as such (:func:`speaking_pace_text`).
* **Fillers** (:func:`fillers_text`) are a lower bound, ``at least N``, except that no
  filler counted is ``none counted`` (never "at least 0", and not "none heard": on real
  spontaneous Mandarin most fillers go uncounted, see docs/METRICS.md). Where a table has
  no room for that, :func:`fillers_cell` writes ``≥ 3`` and ``none``.
* **Verdicts** (:func:`verdict_text`) are stored as labels (``too_short``, ``within``);
  people read them as words (``too short``, ``in range``), in the booth, the listings and
  every export meant for reading. JSON keeps the labels, for tools.
* **Times in a recording** (:func:`stamp_text`) are ``m:ss.d``, cut like the length.
* **When** an answer was given (:func:`when_text`) is ``MM-DD HH:MM`` in local time this
  year, ``YYYY-MM-DD`` before.

Pure: no I/O, nothing but the standard library.
"""

from __future__ import annotations

import math
from datetime import datetime

MISSING = "—"
"""Shown where a figure is unknown (an answer not analysed yet)."""


def clock_text(seconds: float | None) -> str:
    """``m:ss`` of a duration, whole seconds cut (``70.6`` → ``1:10``); ``—`` for None.

    Negative or non-finite durations are shown as ``0:00``.
    """
    if seconds is None:
        return MISSING
    whole = int(seconds) if math.isfinite(seconds) and seconds > 0 else 0
    return f"{whole // 60}:{whole % 60:02d}"


def target_text(low: float, high: float) -> str:
    """A time target as ``1:00–1:30`` (each end written by :func:`clock_text`)."""
    return f"{clock_text(low)}–{clock_text(high)}"


def pace_number(value: float) -> str:
    """A pace rounded to a whole unit per minute (``279.4`` → ``279``)."""
    return f"{value:.0f}" if math.isfinite(value) else MISSING


def pace_text(value: float | None, unit: str | None) -> str:
    """The headline pace with its unit, ``279 chars/min``; ``—`` when unknown."""
    if value is None:
        return MISSING
    return f"{pace_number(value)} {unit or ''}".rstrip()


def speaking_pace_text(value: float, unit: str | None = None) -> str:
    """The secondary pace (speaking time only), labelled so it is never taken for the
    headline: ``366 while speaking (secondary)``."""
    number = pace_text(value, unit)
    return f"{number} while speaking (secondary)"


def fillers_text(total: int | None) -> str:
    """``at least N`` (counts are lower bounds), ``none counted`` for 0, ``—`` when unknown."""
    if total is None:
        return MISSING
    return "none counted" if total <= 0 else f"at least {total}"


def fillers_cell(total: int | None, per_minute: float | None = None) -> str:
    """The filler count in a table cell: ``≥ 3``, with the rate when given
    (``≥ 3 · 2.1/min``); ``none`` for 0 (never ``≥ 0``), ``—`` when unknown."""
    if total is None:
        return MISSING
    if total <= 0:
        return "none"
    rate = f" · {per_minute:.1f}/min" if per_minute is not None else ""
    return f"≥ {total}{rate}"


def key_points_cell(covered: int | None, checked: int | None, partly: int | None = None) -> str:
    """Key points covered of those checked, in a table cell: ``3/4``; with the partly
    covered ones when given and any (``2/4 +1 partly``); ``—`` when the question has no key
    points or the answer was not reviewed for content."""
    if covered is None or not checked:
        return MISSING
    more = f" +{partly} partly" if partly else ""
    return f"{covered}/{checked}{more}"


def stamp_text(seconds: float) -> str:
    """A moment in a recording as ``m:ss.d``, tenths cut (``70.68`` → ``1:10.6``)."""
    value = seconds if math.isfinite(seconds) and seconds > 0 else 0.0
    tenths = int(value * 10 + 1e-6)
    return f"{clock_text(tenths // 10)}.{tenths % 10}"


VERDICT_WORDS = {
    "within": "in range",
    "too_short": "too short",
    "too_long": "too long",
    "short": "too short",
    "over": "too long",
    "comfortable": "comfortable",
    "slow": "slow",
    "fast": "fast",
    "no_speech": "no speech",
    "skipped": "skipped",
}
"""Every verdict label (length, pace, a round's timing) as people read it."""


def verdict_text(label: str | None) -> str:
    """``too_short`` → ``too short``, ``within`` → ``in range``; ``—`` for None; any other
    label with its underscores as spaces."""
    if not label:
        return MISSING
    return VERDICT_WORDS.get(label, label.replace("_", " "))


def when_text(iso: str, now: datetime | None = None) -> str:
    """When an answer was given, in local time: ``11-23 09:30`` this year, ``2025-11-23``
    in an earlier one (``now`` decides which year is this one)."""
    moment = datetime.fromisoformat(iso).astimezone()
    this_year = (now or datetime.now()).astimezone().year
    return moment.strftime("%m-%d %H:%M" if moment.year == this_year else "%Y-%m-%d")
