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
  spontaneous Mandarin most fillers go uncounted, see docs/METRICS.md).

Pure: no I/O, nothing but the standard library.
"""

from __future__ import annotations

import math

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
