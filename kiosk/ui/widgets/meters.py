"""The recording screen's two live gauges: time against the target, and input level.

Both are plain renderables redrawn from numbers the screen polls; they hold no timers and
no threads, so a snapshot with a frozen clock and fixed level is exactly reproducible.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from kiosk.core.target import Target

ZONE_STYLE = {"too_short": "bold #d7a93b", "within": "bold #5fb36b", "too_long": "bold #d9534f"}
ZONE_LABEL = {"too_short": "too short", "within": "in range", "too_long": "over"}


def clock_text(seconds: float) -> str:
    """``m:ss`` for a duration in seconds."""
    whole = max(0, int(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


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

        def col(seconds: float) -> int:
            return min(width - 1, int(seconds / self.cap * width))

        filled = min(width, int(self.elapsed / self.cap * width))
        low, high = col(self.target.low), col(self.target.high)
        bar = Text()
        for i in range(width):
            if i < filled:
                bar.append("█", ZONE_STYLE[zone])
            elif i in (low, high):
                bar.append("┃", "bold #8fa3b8")
            else:
                bar.append("─", "#4a5563")
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
        meter = Text("▮" * filled, style) + Text("▯" * (width - filled), "#4a5563")
        label = "silence" if filled == 0 else f"{round(self.level * 100):3d} %"
        return meter + Text(f"  {label:>8}", "#8fa3b8")
