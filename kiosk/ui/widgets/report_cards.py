"""The report's headline: one card per delivery metric, coloured by its verdict.

Text comes from ``kiosk.core.metrics.Metrics``; colours are CSS classes (good / warn / bad /
plain) so the palette lives in kiosk.tcss. Filler counts are lower bounds, so the card says
"at least N" and takes no colour: there is no published threshold to judge them by.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from kiosk.core.metrics import Metrics
from kiosk.ui.widgets.meters import clock_text

VERDICT_CLASS = {
    "within": "good",
    "comfortable": "good",
    "too_short": "warn",
    "slow": "warn",
    "fast": "warn",
    "too_long": "bad",
    "no_speech": "bad",
}
VERDICT_STYLE = {"good": "bold #5fb36b", "warn": "bold #d7a93b", "bad": "bold #d9534f"}
VERDICT_WORDS = {
    "within": "in range",
    "comfortable": "comfortable",
    "too_short": "too short",
    "slow": "slow",
    "fast": "fast",
    "too_long": "too long",
    "no_speech": "no speech",
}


def _num(x: float) -> str:
    return f"{x:.0f}" if abs(x) >= 10 else f"{x:.1f}"


def cards(m: Metrics) -> list[tuple[str, str, str, str | None]]:
    """``(title, value, detail, verdict)`` for length, pace, fillers and pauses."""
    length, pace, fillers, pauses = m.length, m.pace, m.fillers, m.pauses
    target = (
        f"target {clock_text(length.target.low)}–{clock_text(length.target.high)}"
        if length.target
        else "no target"
    )
    heard = ", ".join(f"{w}×{n}" for w, n in fillers.by_word.items()) or "none heard"
    low, high = pace.band
    return [
        ("Length", clock_text(length.duration_s), target, length.verdict),
        (
            "Pace",
            f"{_num(pace.span_value)} {pace.unit}",
            f"comfortable {low:g}–{high:g} · {_num(pace.value)} while speaking",
            pace.verdict,
        ),
        (
            "Fillers",
            f"at least {fillers.total}",
            f"{heard} · {fillers.per_minute:.1f}/min",
            None,
        ),
        (
            "Pauses",
            f"{pauses.count} ≥ {pauses.threshold_s:g} s",
            f"longest {pauses.longest_s:.1f} s · first word {pauses.time_to_first_word_s:.1f} s",
            None,
        ),
    ]


class ReportCards(Horizontal):
    """Four cards side by side."""

    def __init__(self, metrics: Metrics, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.metrics = metrics

    def compose(self) -> ComposeResult:
        for title, value, detail, verdict in cards(self.metrics):
            css = VERDICT_CLASS.get(verdict or "", "plain")
            words = VERDICT_WORDS.get(verdict or "", "")
            body = Text.assemble((title, "bold #8fa3b8"), "\n", (value, "bold"), "  ")
            body.append(words, VERDICT_STYLE.get(css, ""))
            body.append(f"\n{detail}", "#8fa3b8")
            yield Static(body, classes=f"card {css}", id=f"card-{title.lower()}")
