"""Self-introduction timing drill: choosing its length.

Presets (30 s, 1 min, 90 s, 3 min) with the words that fit at a comfortable pace, or a
typed length; ``t`` switches the beep at the cues. The drill itself goes through the usual
answer screens with the drill's parts on them (``kiosk.ui.drill``).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from kiosk.core.drills import PRESETS_S, budget, parse_seconds
from kiosk.core.errors import printable
from kiosk.core.figures import clock_text
from kiosk.ui.drill import drill_practice
from kiosk.ui.screens.base import BoothScreen
from kiosk.ui.widgets.titlebar import TitleBar

__all__ = ["DrillSetupScreen", "drill_practice"]


class DrillSetupScreen(BoothScreen):
    """Choose 30 s / 1 min / 90 s / 3 min or type a length; t switches the beep."""

    DEFAULT_CSS = """
    DrillSetupScreen #drill-setup { padding: 1 4; }
    DrillSetupScreen OptionList { height: auto; max-height: 8; margin: 1 0; }
    DrillSetupScreen #drill-custom { width: 30; }
    DrillSetupScreen #drill-setup-note { color: #8fa3b8; margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "tone", "Tone on/off"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, language: str, tone: bool = False) -> None:
        super().__init__()
        self.language = language
        self.tone = tone

    def compose(self) -> ComposeResult:
        yield TitleBar("Timing drill")
        with Vertical(id="drill-setup"):
            yield Static(Text("How long should the self-introduction be?", style="bold"))
            options = [
                Option(f"{clock_text(s)}   {budget(s, self.language).text()}", id=str(s))
                for s in PRESETS_S
            ]
            yield OptionList(*options, id="drill-lengths")
            yield Input(
                placeholder="or type a length: 45, 75s, 2:30", max_length=40, id="drill-custom"
            )
            yield Static(id="drill-setup-note")
        yield Footer()

    def on_mount(self) -> None:
        self._note()
        self.query_one(OptionList).focus()

    def _note(self) -> None:
        beep = "on" if self.tone else "off"
        self.query_one("#drill-setup-note", Static).update(
            f"Cues at target − 10 s and at the target. Beep: {beep} (t)."
        )

    def action_tone(self) -> None:
        self.tone = not self.tone
        self._note()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.start(float(event.option.id))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            seconds = parse_seconds(event.value)
        except ValueError as exc:  # typed text: shown plain (never as markup) and escaped
            self.notify(
                f"Not a drill length: {printable(str(exc))}. "
                "Type seconds (45, 75s), minutes (2m) or minutes:seconds (2:30).",
                severity="warning",
            )
            return
        self.start(seconds)

    def start(self, seconds: float) -> None:
        self.booth.ask(drill_practice(self.language, seconds, self.tone), replace=True)

    def action_back(self) -> None:
        self.app.pop_screen()
