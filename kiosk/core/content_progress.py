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
* **Windows** as for delivery: the last :data:`~kiosk.core.progress.WINDOW` answers with a
  content review against the ones before (halves with fewer, nothing with fewer than
  four); each side needs two answers carrying the figure.
* **A change counts** beyond :data:`CONTENT_THRESHOLDS` (15 points of share, as for answers
  on target); anything smaller is "steady".

Pure: standard library and :mod:`kiosk.core.progress` only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from kiosk.core.progress import MIN_EACH, WINDOW, Sample, TrendVerdict, window_size

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
    """The pooled counts of ``samples`` (answers without the figure left out)."""
    found = [f for f in (figures_of(s, metric) for s in samples) if f is not None]
    return Tally(sum(p for p, _ in found), sum(w for _, w in found))


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f} %"


@dataclass(frozen=True, slots=True)
class ContentTrend:
    """One content figure, earlier window against recent window."""

    metric: ContentMetric
    earlier: Tally
    recent: Tally
    verdict: TrendVerdict

    @property
    def change(self) -> float | None:
        a, b = self.earlier.share, self.recent.share
        return None if a is None or b is None else b - a

    def sentence(self) -> str:
        """``key points covered: improved (3 of 8 → 7 of 8, 38 % → 88 %)``."""
        label = CONTENT_LABELS[self.metric]
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
            name = "key points" if t.metric == "key_points" else "structure"
            if t.verdict == "too_few":
                parts.append(f"{name}: too few answers")
            else:
                parts.append(f"{name} {t.verdict} ({t.earlier.text()} → {t.recent.text()})")
        return ", ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "window": self.window,
            "trends": [t.as_dict() for t in self.trends],
        }


def _trend(
    metric: ContentMetric, earlier: Sequence[Sample], recent: Sequence[Sample]
) -> ContentTrend:
    a, b = tally(earlier, metric), tally(recent, metric)
    carrying = [
        sum(1 for s in group if figures_of(s, metric) is not None) for group in (earlier, recent)
    ]
    if a.share is None or b.share is None or min(carrying) < MIN_EACH:
        return ContentTrend(metric, a, b, "too_few")
    gain = b.share - a.share
    threshold = CONTENT_THRESHOLDS[metric]
    verdict: TrendVerdict = (
        "improved" if gain >= threshold else "worse" if gain <= -threshold else "steady"
    )
    return ContentTrend(metric, a, b, verdict)


def summarize_content(samples: Sequence[Sample], window: int = WINDOW) -> ContentSummary:
    """The last ``window`` answers with a content review against the ``window`` before."""
    kept = [s for s in samples if reviewed(s)]
    n = window_size(len(kept), window)
    if n == 0:
        return ContentSummary(len(kept), 0, ())
    earlier, recent = kept[-2 * n : -n], kept[-n:]
    trends = (_trend("key_points", earlier, recent), _trend("structure", earlier, recent))
    return ContentSummary(len(kept), n, trends)


def content_by_category(
    samples: Sequence[Sample], window: int = WINDOW
) -> dict[str, ContentSummary]:
    """One content summary per category that has answers (order of first appearance)."""
    groups: dict[str, list[Sample]] = {}
    for s in samples:
        groups.setdefault(s.category or "(no category)", []).append(s)
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
