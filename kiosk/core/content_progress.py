"""Is what you say getting better? Key points covered and structure signals heard, across
answers — the content side of :mod:`kiosk.core.progress`.

Each analysed answer to a known question carries counts from its content review (the
history's content columns): key points covered, partly covered and checked (covered +
partly + missing; the ones no words can show are never counted), and the structure signals
found among those checked for the question's kind (STAR: six; 总分总: three, four for a
self-introduction; a reverse question: one). The rule is stated, like the delivery trends':

* **Counts, pooled.** A window's figure is the key points covered of all the key points
  checked in its answers ("7 of 10", 70 %), not an average of per-answer scores: an answer
  with two key points weighs less than one with five. A *partly* covered point is not
  covered. Structure likewise: signals found of signals checked.
* **Structure frame by frame.** Six STAR signals, three or four 总分总 ones and the one of a
  reverse question are different yardsticks, so structure is pooled within one frame
  only: a group of answers of several kinds gets one structure figure per frame ("STAR 9
  of 12, 总分总 5 of 6"), in the order of :data:`FRAME_ORDER`, each named
  (:data:`FRAME_NAMES`) even when there is only one.
* **Windows** as for delivery: the last :data:`~kiosk.core.progress.WINDOW` answers with a
  content review against the ones before (halves with fewer, nothing with fewer than
  four); each side needs two answers carrying the figure.
* **A change counts** beyond :data:`CONTENT_THRESHOLDS` (15 points of share, as for answers
  on target); anything smaller is "steady".

Pure: standard library and :mod:`kiosk.core.progress` only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from kiosk.core.progress import MIN_EACH, WINDOW, Sample, TrendVerdict, category_groups, window_size

ContentMetric = Literal["key_points", "structure"]
CONTENT_THRESHOLDS: dict[str, float] = {"key_points": 0.15, "structure": 0.15}
"""Smallest change of share (0.15 = 15 points) that counts as better or worse."""
CONTENT_LABELS: dict[ContentMetric, str] = {
    "key_points": "key points covered",
    "structure": "structure signals heard",
}
PART_NAMES: dict[ContentMetric, str] = {"key_points": "covered", "structure": "found"}
"""What the counted part is called in JSON (``{"covered": 3, "checked": 4}``)."""
EMPTY = "no answers with key points or structure checked yet"
"""Said when no answer has a content review (answers to bank questions get one)."""
FRAME_ORDER = ("star", "zongfenzong", "reverse")
FRAME_NAMES = {"star": "STAR", "zongfenzong": "总分总", "reverse": "reverse question"}
"""How each structure frame is named next to its figures."""


def frame_name(frame: str | None) -> str:
    """``STAR``, ``总分总``, ``reverse question``; any other frame by its code; ``""`` for
    answers whose frame is not known."""
    return FRAME_NAMES.get(frame, frame) if frame else ""


def _frame_key(frame: str | None) -> tuple[int, str]:
    if frame in FRAME_ORDER:
        return FRAME_ORDER.index(frame), ""
    return (len(FRAME_ORDER), frame) if frame else (len(FRAME_ORDER) + 1, "")


@dataclass(frozen=True, slots=True)
class Tally:
    """``part`` of ``whole``: key points covered of those checked, or signals found."""

    part: int
    whole: int

    @property
    def share(self) -> float | None:
        return self.part / self.whole if self.whole else None

    def text(self) -> str:
        """``3 of 8``."""
        return f"{self.part} of {self.whole}"


def figures_of(s: Sample, metric: ContentMetric) -> tuple[int, int] | None:
    """(part, whole) of one answer, or None when it carries no such figure."""
    if metric == "key_points":
        part, whole = s.key_points_covered, s.key_points_checked
    else:
        part, whole = s.structure_found, s.structure_checked
    if part is None or not whole:
        return None
    return part, whole


def reviewed(s: Sample) -> bool:
    """Does the answer carry key points checked or structure signals?"""
    return figures_of(s, "key_points") is not None or figures_of(s, "structure") is not None


def tally(samples: Sequence[Sample], metric: ContentMetric) -> Tally:
    """The pooled counts of ``samples`` (answers without the figure left out). For structure
    give answers of one frame (:func:`frame_tallies` splits them)."""
    found = [f for f in (figures_of(s, metric) for s in samples) if f is not None]
    return Tally(sum(p for p, _ in found), sum(w for _, w in found))


def frames_in(samples: Sequence[Sample]) -> list[str | None]:
    """The frames of the answers carrying structure figures, in :data:`FRAME_ORDER` (other
    codes after them, sorted; None — frame not known — last)."""
    seen = {s.structure_frame for s in samples if figures_of(s, "structure") is not None}
    return sorted(seen, key=_frame_key)


def of_frame(samples: Sequence[Sample], frame: str | None) -> list[Sample]:
    """The answers whose structure was checked against ``frame``."""
    return [s for s in samples if s.structure_frame == frame]


def frame_tallies(samples: Sequence[Sample]) -> dict[str | None, Tally]:
    """Structure signals found of those checked, pooled within each frame."""
    return {f: tally(of_frame(samples, f), "structure") for f in frames_in(samples)}


def frames_text(tallies: Mapping[str | None, Tally]) -> str:
    """``STAR 9 of 12, 75 % · 总分总 5 of 6, 83 %`` (``—`` when there is none)."""
    parts = [
        " ".join(x for x in (frame_name(f), t.text()) if x) + f", {_percent(t.share)}"
        for f, t in tallies.items()
    ]
    return " · ".join(parts) or "—"


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f} %"


@dataclass(frozen=True, slots=True)
class ContentTrend:
    """One content figure, earlier window against recent window."""

    metric: ContentMetric
    earlier: Tally
    recent: Tally
    verdict: TrendVerdict
    frame: str | None = None
    """For structure: the frame whose answers these are (None when not known)."""

    @property
    def label(self) -> str:
        """``key points covered``, ``structure signals heard (STAR)``."""
        name = frame_name(self.frame) if self.metric == "structure" else ""
        return f"{CONTENT_LABELS[self.metric]} ({name})" if name else CONTENT_LABELS[self.metric]

    @property
    def short(self) -> str:
        """``key points``, ``structure (STAR)``."""
        name = frame_name(self.frame) if self.metric == "structure" else ""
        base = "key points" if self.metric == "key_points" else "structure"
        return f"{base} ({name})" if name else base

    @property
    def change(self) -> float | None:
        a, b = self.earlier.share, self.recent.share
        return None if a is None or b is None else b - a

    def sentence(self) -> str:
        """``key points covered: improved (3 of 8 → 7 of 8, 38 % → 88 %)``."""
        label = self.label
        if self.verdict == "too_few":
            what = "key points" if self.metric == "key_points" else "structure checked"
            return f"{label}: not enough answers with {what} yet"
        counts = f"{self.earlier.text()} → {self.recent.text()}"
        shares = f"{_percent(self.earlier.share)} → {_percent(self.recent.share)}"
        return f"{label}: {self.verdict} ({counts}, {shares})"

    def as_dict(self) -> dict[str, Any]:
        part = PART_NAMES[self.metric]

        def side(t: Tally) -> dict[str, Any]:
            return {part: t.part, "checked": t.whole, "share": t.share}

        return {
            "metric": self.metric,
            "frame": self.frame,
            "earlier": side(self.earlier),
            "recent": side(self.recent),
            "change": self.change,
            "verdict": self.verdict,
        }


@dataclass(frozen=True, slots=True)
class ContentSummary:
    """Content trends of one group of answers (all, or one category)."""

    count: int
    """Answers with a content review (key points checked or structure signals)."""
    window: int
    trends: tuple[ContentTrend, ...]

    def lines(self) -> list[str]:
        """A short text summary, every figure with its counts."""
        if self.count == 0:
            return [f"What was said: {EMPTY}."]
        if self.window == 0:
            return [
                f"What was said: {self.count} answer(s) with key points or structure checked: "
                "practise a few more to see trends."
            ]
        head = (
            f"What was said, last {self.window} answers against the {self.window} before "
            f"({self.count} checked):"
        )
        return [head, *(f"  {t.sentence()}" for t in self.trends)]

    def brief(self) -> str:
        """One line for a category: ``key points improved (1 of 4 → 4 of 4), structure
        steady (4 of 12 → 5 of 12)``."""
        if self.count == 0:
            return EMPTY
        if self.window == 0:
            return f"{self.count} answer(s) with a content review: too few to compare yet"
        parts = []
        for t in self.trends:
            if t.verdict == "too_few":
                parts.append(f"{t.short}: too few answers")
            else:
                parts.append(f"{t.short} {t.verdict} ({t.earlier.text()} → {t.recent.text()})")
        return ", ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "window": self.window,
            "trends": [t.as_dict() for t in self.trends],
        }


def _trend(
    metric: ContentMetric,
    earlier: Sequence[Sample],
    recent: Sequence[Sample],
    frame: str | None = None,
) -> ContentTrend:
    if metric == "structure":
        earlier, recent = of_frame(earlier, frame), of_frame(recent, frame)
    a, b = tally(earlier, metric), tally(recent, metric)
    carrying = [
        sum(1 for s in group if figures_of(s, metric) is not None) for group in (earlier, recent)
    ]
    if a.share is None or b.share is None or min(carrying) < MIN_EACH:
        return ContentTrend(metric, a, b, "too_few", frame)
    gain = b.share - a.share
    threshold = CONTENT_THRESHOLDS[metric]
    verdict: TrendVerdict = (
        "improved" if gain >= threshold else "worse" if gain <= -threshold else "steady"
    )
    return ContentTrend(metric, a, b, verdict, frame)


def summarize_content(samples: Sequence[Sample], window: int = WINDOW) -> ContentSummary:
    """The last ``window`` answers with a content review against the ``window`` before:
    key points, then structure for each frame among those answers (one structure trend,
    too few, when none of them had its structure checked)."""
    kept = [s for s in samples if reviewed(s)]
    n = window_size(len(kept), window)
    if n == 0:
        return ContentSummary(len(kept), 0, ())
    earlier, recent = kept[-2 * n : -n], kept[-n:]
    frames = frames_in([*earlier, *recent]) or [None]
    trends = (
        _trend("key_points", earlier, recent),
        *(_trend("structure", earlier, recent, f) for f in frames),
    )
    return ContentSummary(len(kept), n, trends)


def content_by_category(
    samples: Sequence[Sample], window: int = WINDOW
) -> dict[str, ContentSummary]:
    """One content summary per category that has answers (order of first appearance)."""
    groups = category_groups(samples)
    return {name: summarize_content(group, window) for name, group in groups.items()}


def share_series(samples: Sequence[Sample], metric: ContentMetric) -> list[tuple[int, float]]:
    """(answer number from 1 among ``samples``, share in %) of each answer with the figure."""
    out = []
    for i, s in enumerate(samples):
        found = figures_of(s, metric)
        if found is not None:
            out.append((i + 1, 100.0 * found[0] / found[1]))
    return out


def rolling_share(
    samples: Sequence[Sample], metric: ContentMetric, width: int = WINDOW
) -> list[tuple[int, float]]:
    """At each answer with the figure: the pooled share over the last ``width`` of them."""
    out = []
    seen: list[tuple[int, int]] = []
    for i, s in enumerate(samples):
        found = figures_of(s, metric)
        if found is None:
            continue
        seen.append(found)
        last = seen[-width:]
        out.append((i + 1, 100.0 * sum(p for p, _ in last) / sum(w for _, w in last)))
    return out
