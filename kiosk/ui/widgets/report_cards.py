"""The report's headline: one card per delivery metric, coloured by its verdict.

Text comes from ``kiosk.core.metrics.Metrics``; colours are CSS classes (good / warn / bad /
plain) so the palette lives in kiosk.tcss. Filler counts are lower bounds, so the card says
"at least N" ("none counted" for none) and takes no colour: there is no published threshold
to judge them by. Every figure is written by :mod:`kiosk.core.figures`, as in the CLI and
the exports; the pace card shows the headline pace (first to last word) and names the pace
while speaking as secondary.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from kiosk.core.figures import (
    clock_text,
    fillers_text,
    pace_text,
    speaking_pace_text,
    target_text,
    verdict_text,
)
from kiosk.core.metrics import Metrics
from kiosk.core.report import possible_fillers_text

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


def cards(m: Metrics) -> list[tuple[str, str, str, str | None]]:
    """``(title, value, detail, verdict)`` for length, pace, fillers and pauses."""
    length, pace, fillers, pauses = m.length, m.pace, m.fillers, m.pauses
    target = (
        f"target {target_text(length.target.low, length.target.high)}"
        if length.target
        else "no target"
    )
    heard = ", ".join(f"{w}×{n}" for w, n in fillers.by_word.items())
    low, high = pace.band
    return [
        ("Length", clock_text(length.duration_s), target, length.verdict),
        (
            "Pace",
            pace_text(pace.headline, pace.unit),
            f"comfortable {low:g}–{high:g} · {speaking_pace_text(pace.value)}",
            pace.verdict,
        ),
        (
            "Fillers",
            fillers_text(fillers.total),
            f"{heard} · {fillers.per_minute:.1f}/min" if heard else f"{fillers.per_minute:.1f}/min",
            None,
        ),
        (
            "Pauses",
            f"{pauses.count} ≥ {pauses.threshold_s:g} s",
            f"longest {pauses.longest_s:.1f} s · first word {pauses.time_to_first_word_s:.1f} s",
            None,
        ),
    ]


class PossibleFillers(Static):
    """The possible fillers the counts left out, in one sentence — the same words as the
    CLI report (:func:`kiosk.core.report.possible_fillers_text`); hidden when there are none.
    """

    DEFAULT_CSS = """
    PossibleFillers { height: auto; color: #d7a93b; margin-bottom: 1; }
    """

    def __init__(self, metrics: Metrics, *, id: str | None = None) -> None:
        text = possible_fillers_text(metrics) or ""
        super().__init__(text, id=id, markup=False)
        self.display = bool(text)


ROWS_BELOW = 100
"""Cells under which the cards become one line each (four cards side by side would wrap
every figure onto several lines in an 80-column terminal)."""


def card_text(title: str, value: str, detail: str, verdict: str | None, *, row: bool) -> Text:
    """One card's text: title, value and verdict, detail — on three lines, or on one line
    (``row``) cut with … where it does not fit."""
    css = VERDICT_CLASS.get(verdict or "", "plain")
    words = verdict_text(verdict) if verdict else ""
    if row:
        body = Text.assemble((f"{title:<8}", "bold #8fa3b8"), (value, "bold"), "  ")
        body.append(words, VERDICT_STYLE.get(css, ""))
        body.append(f"{'  ' if words else ''}{detail}", "#8fa3b8")
        return body
    body = Text.assemble((title, "bold #8fa3b8"), "\n", (value, "bold"), "  ")
    body.append(words, VERDICT_STYLE.get(css, ""))
    body.append(f"\n{detail}", "#8fa3b8")
    return body


class ReportCards(Horizontal):
    """Four cards side by side; one line each, in one box, when narrower than
    :data:`ROWS_BELOW` cells (class ``-rows``)."""

    def __init__(self, metrics: Metrics, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.metrics = metrics
        self.rows = False

    def compose(self) -> ComposeResult:
        for title, value, detail, verdict in cards(self.metrics):
            css = VERDICT_CLASS.get(verdict or "", "plain")
            body = card_text(title, value, detail, verdict, row=self.rows)
            yield Static(body, classes=f"card {css}", id=f"card-{title.lower()}")

    def on_resize(self) -> None:
        rows = 0 < self.size.width < ROWS_BELOW
        if rows == self.rows:
            return
        self.rows = rows
        self.set_class(rows, "-rows")
        for (title, value, detail, verdict), card in zip(
            cards(self.metrics), self.query(".card").results(Static), strict=True
        ):
            card.update(card_text(title, value, detail, verdict, row=rows))
