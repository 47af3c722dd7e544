"""The recording screen's two live gauges: time against the target, and input level.

Both are plain renderables redrawn from numbers the screen polls; they hold no timers and
no threads, so a snapshot with a frozen clock and fixed level is exactly reproducible. The
clock is written by :func:`kiosk.core.figures.clock_text` (re-exported here), the same
``m:ss`` the report then shows as the answer's length.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from kiosk.core.figures import clock_text
from kiosk.core.target import Target

__all__ = ["LevelMeter", "TargetBar", "clock_text"]

ZONE_STYLE = {"too_short": "bold #d7a93b", "within": "bold #5fb36b", "too_long": "bold #d9534f"}
ZONE_TRACK = {"too_short": "#5a4b2a", "within": "#2f5236", "too_long": "#5a2f2e"}
"""Dim versions of the zone colours for the part of the bar not yet reached."""
ZONE_LABEL = {"too_short": "too short", "within": "in range", "too_long": "over"}


class TargetBar(Widget):
    """A bar from 0 to the hard cap with the target range marked; the fill takes the colour
    of the zone the answer is in: too short, in range, over."""

    elapsed: reactive[float] = reactive(0.0)

    def __init__(self, target: Target, cap: float, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.target = target
        self.cap = cap

    def render(self) -> Text:
        width = max(10, self.size.width)
        zone = self.target.verdict(self.elapsed)
        filled = min(width, int(self.elapsed / self.cap * width))
        bar = Text()
        for i in range(width):
            # Each column stands for the time at its middle; its zone gives its colour.
            column_zone = self.target.verdict((i + 0.5) * self.cap / width)
            if i < filled:
                bar.append("█", ZONE_STYLE[zone])
            else:
                bar.append("━", ZONE_TRACK[column_zone])
        caption = Text.assemble(
            (clock_text(self.elapsed), "bold"),
            "  ",
            (ZONE_LABEL[zone], ZONE_STYLE[zone]),
            f"   target {clock_text(self.target.low)}–{clock_text(self.target.high)}",
            f"   stops at {clock_text(self.cap)}",
        )
        return Text("\n").join([bar, caption])


class LevelMeter(Widget):
    """Input loudness as a bar from silence (0) to full scale (1)."""

    level: reactive[float] = reactive(0.0)

    def render(self) -> Text:
        width = max(10, self.size.width - 10)
        filled = max(0, min(width, round(self.level * width)))
        style = "#5fb36b" if self.level < 0.9 else "#d9534f"
        meter = Text("█" * filled, style) + Text("░" * (width - filled), "#3b4756")
        label = "silence" if filled == 0 else f"{round(self.level * 100):3d} %"
        return meter + Text(f"  {label:>8}", "#8fa3b8")
