"""The line above a question on every answer screen: where it comes from, how long to speak."""

from __future__ import annotations

from rich.text import Text

from kiosk.core.figures import clock_text
from kiosk.ui.practice import Asked, Practice


def describe(asked: Asked, practice: Practice) -> Text:
    """The small line above a question: where it comes from and how long to speak."""
    q = asked.question
    kind = "追问 follow-up" if asked.follow_up_of else str(q.kind)
    target = f"{clock_text(q.target.low)}–{clock_text(q.target.high)}"
    where = [practice.position] + ([q.category] if q.category != practice.title else [])
    return Text.assemble(
        (practice.title, "bold"),
        "".join(f"  ·  {part}" for part in [*where, kind]),
        "  ·  target ",
        (target, "bold"),
    )
