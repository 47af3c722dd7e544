"""What was said, week by week: key points covered and structure signals heard per ISO week.

The windows of :mod:`kiosk.core.content_progress` say whether the last answers beat the
ones before; this says how each week went, so one week can be set against another. The
rule is stated:

* **Weeks are the user's local ISO weeks.** The history stores ``created_at`` in UTC with
  its offset (``2026-11-23T09:15:00+00:00``, docs/STORE.md); each answer is moved to the
  local time zone (the system's, or the ``tz`` given) and counted in the ISO week of that
  local date: weeks run Monday 00:00 to Sunday 23:59:59 local time, and are named
  ``2026-W49`` by ISO year and week number (the days around New Year can belong to the
  neighbouring ISO year). A timestamp without an offset is taken to be UTC, as the store
  writes it.
* **Counts, pooled** as in the windows (:func:`~kiosk.core.content_progress.tally`): a
  week's key point figure is the key points covered of all those checked that week, and
  its structure figures are signals found of those checked, **one per frame** (STAR,
  总分总, reverse question are never added together).
* **Every answer counts in ``answers``**; only answers with a content review count in the
  figures (``reviewed`` of them). :func:`by_week` gives every week with at least one
  answer; the text table (:func:`week_table`) shows the weeks with at least one reviewed
  answer — the latest :data:`RECENT_WEEKS` of them — and counts those answers.

Pure: standard library and :mod:`kiosk.core` only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from kiosk.core.content_progress import (
    Tally,
    frame_name,
    frame_tallies,
    reviewed,
    tally,
)
from kiosk.core.progress import Sample, category_groups

RECENT_WEEKS = 8
"""How many weeks (the latest with answers) the text tables show."""


@dataclass(frozen=True, slots=True, order=True)
class Week:
    """One ISO week: its ISO year and number, and its Monday."""

    year: int
    number: int

    @property
    def label(self) -> str:
        """``2026-W49``."""
        return f"{self.year}-W{self.number:02d}"

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)


def local_week(created_at: str, tz: tzinfo | None = None) -> Week:
    """The ISO week an answer given at ``created_at`` (ISO 8601) falls in, in local time
    (``tz``, or the system's time zone when None)."""
    moment = datetime.fromisoformat(created_at)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    year, number, _ = moment.astimezone(tz).isocalendar()
    return Week(year, number)


@dataclass(frozen=True, slots=True)
class WeekTally:
    """The answers of one week and their pooled content figures."""

    week: Week
    answers: int
    """Analysed answers that week."""
    reviewed: int
    """Those with a content review (key points or structure checked)."""
    key_points: Tally
    structure: tuple[tuple[str | None, Tally], ...]
    """Signals found of those checked, per frame (order of
    :data:`~kiosk.core.content_progress.FRAME_ORDER`); empty when none was checked."""

    def as_dict(self) -> dict[str, Any]:
        points = self.key_points
        return {
            "week": self.week.label,
            "monday": self.week.monday.isoformat(),
            "answers": self.answers,
            "reviewed": self.reviewed,
            "key_points": {"covered": points.part, "checked": points.whole, "share": points.share},
            "structure": [
                {"frame": frame, "found": t.part, "checked": t.whole, "share": t.share}
                for frame, t in self.structure
            ],
        }


def by_week(samples: Sequence[Sample], tz: tzinfo | None = None) -> list[WeekTally]:
    """One tally per local ISO week with answers, oldest week first (rules: module
    docstring)."""
    groups: dict[Week, list[Sample]] = {}
    for s in samples:
        groups.setdefault(local_week(s.created_at, tz), []).append(s)
    out = []
    for week in sorted(groups):
        group = groups[week]
        out.append(
            WeekTally(
                week,
                len(group),
                sum(1 for s in group if reviewed(s)),
                tally(group, "key_points"),
                tuple(frame_tallies(group).items()),
            )
        )
    return out


def weeks_by_category(
    samples: Sequence[Sample], tz: tzinfo | None = None
) -> dict[str, list[WeekTally]]:
    """:func:`by_week` for each category (order of first appearance)."""
    groups = category_groups(samples)
    return {name: by_week(group, tz) for name, group in groups.items()}


def _figure(t: Tally) -> str:
    """``7 of 10, 70 %``; ``—`` when nothing was checked."""
    return "—" if not t.whole else f"{t.text()}, {t.part / t.whole * 100:.0f} %"


def _structure_cells(w: WeekTally) -> list[str]:
    cells = [" ".join(x for x in (frame_name(f), _figure(t)) if x) for f, t in w.structure]
    return cells or ["—"]


WEEK_HEADERS = ("week", "answers", "key points", "structure")


def week_table(weeks: Sequence[WeekTally], last: int = RECENT_WEEKS) -> list[str]:
    """The latest ``last`` weeks with a reviewed answer, most recent last, as aligned text:
    the week and its Monday (``2026-W49 12-01``), the answers with a content review, key
    points covered of those checked, and the structure signals found per frame — one line
    per frame, so a line stays within about 75 columns. A first line says how many earlier
    weeks are left out, if any. Empty when no week has a reviewed answer."""
    kept = [w for w in weeks if w.reviewed]
    rows = []
    for w in kept[-last:]:
        first, *more = _structure_cells(w)
        head = f"{w.week.label} {w.week.monday:%m-%d}"
        rows.append((head, str(w.reviewed), _figure(w.key_points), first))
        rows += [("", "", "", cell) for cell in more]
    if not rows:
        return []
    widths = [max(len(r[i]) for r in [WEEK_HEADERS, *rows]) for i in range(3)]

    def line(row: tuple[str, str, str, str]) -> str:
        week, answers, points, structure = row
        text = f"{week:<{widths[0]}}  {answers:>{widths[1]}}  {points:<{widths[2]}}  {structure}"
        return text.rstrip()

    earlier = len(kept) - last
    left_out = [f"({earlier} earlier week(s) not shown)"] if earlier > 0 else []
    return [*left_out, line(WEEK_HEADERS), *(line(r) for r in rows)]


WEEK_HEADING = "What was said by week (answers with a content review; local ISO weeks):"
"""The line above :func:`week_table`."""
