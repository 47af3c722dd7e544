"""Round debrief: the end of a mock round at a glance, and the whole round as Markdown.

Total speaking time, each question's time against its target (skipped ones marked, the
follow-ups under their question), the key points covered, and the habit that cost the most
across the round (``kiosk.core.debrief``). ``e`` writes the round into ``<data dir>/exports``.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from kiosk.core.debrief import Debrief, DebriefLine
from kiosk.core.errors import KioskError
from kiosk.core.figures import clock_text, target_text, verdict_text
from kiosk.ui.practice import Practice
from kiosk.ui.screens.base import BoothScreen
from kiosk.ui.widgets.titlebar import TitleBar

TIMING_STYLE = {"within": "green", "short": "yellow", "over": "red", "skipped": "dim"}


def debrief_line(number: int, line: DebriefLine) -> Text:
    """One question (or follow-up) of the round; user text as plain text, never markup."""
    text = Text()
    text.append("    ↳ 追问 " if line.follow_up else f"{number:>2}. ", "bold")
    if not line.follow_up:
        text.append(f"{line.step} · ", "#8fa3b8")
    text.append(line.question)
    text.append("\n      ")
    if line.seconds is None:
        text.append("skipped", "dim")
    else:
        timing = verdict_text(line.timing)
        text.append(f"{clock_text(line.seconds)} {timing}", TIMING_STYLE[line.timing])
    text.append(f"  target {target_text(line.target.low, line.target.high)}", "dim")
    if line.coverage:
        text.append(f"  ·  {line.coverage}")
    return text


class DebriefScreen(BoothScreen):
    """The end of a mock round."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "export", "Export round (Markdown)"),
        Binding("escape,h", "home", "Home"),
    ]

    def __init__(self, practice: Practice) -> None:
        super().__init__()
        self.practice = practice
        self.debrief: Debrief = practice.debrief()
        self.exported: str | None = None

    def compose(self) -> ComposeResult:
        d = self.debrief
        yield TitleBar(f"Round debrief · {self.practice.title}")
        with VerticalScroll(id="debrief-box"):
            yield Static(
                Text.assemble(
                    ("Total speaking time ", "bold"),
                    (clock_text(d.total_s), "bold"),
                    f"  over {d.answered} answer(s) of {len(d.lines)}",
                ),
                id="debrief-total",
            )
            yield Static(Text(d.habit_text(), "bold"), id="debrief-habit")
            number = 0
            for line in d.lines:
                number += 0 if line.follow_up else 1
                yield Static(debrief_line(number, line), classes="debrief-line")
        yield Footer()

    def action_export(self) -> None:
        from kiosk.config import data_dir
        from kiosk.output.export import round_markdown, write_private

        now = self.booth.services.wall_clock()
        path = data_dir() / "exports" / f"round-{now.strftime('%Y%m%d-%H%M%S')}.md"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_private(path, round_markdown(self.debrief, self.practice.answers))
        except (KioskError, OSError) as exc:
            self.notify(str(exc), title="Export failed", severity="error", timeout=10)
            return
        self.exported = str(path)
        self.notify(f"Round written to {path}", title="Exported")

    def action_home(self) -> None:
        self.booth.go_home()
