"""Compare attempts at one question side by side: did the second try go better?

One column per attempt (oldest left, the latest :data:`SHOWN`), one row per metric —
length, pace, fillers per minute, pauses — and each value carries its change from the
attempt before it, marked better (green ▲) or worse (red ▼) by the rules in
:func:`kiosk.core.progress.compare` (closer to the target, closer to the comfortable
pace band, fewer fillers, fewer pauses; small differences are left unmarked).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Static

from kiosk.core.figures import clock_text, pace_number
from kiosk.core.progress import Delta, compare
from kiosk.store import Attempt, Store
from kiosk.ui.screens.base import BoothScreen
from kiosk.ui.widgets.titlebar import TitleBar

SHOWN = 5
ROWS: tuple[tuple[str, str, Callable[[float], str]], ...] = (
    ("duration", "Length", clock_text),
    ("pace", "Pace", pace_number),
    ("fillers", "Fillers/min", lambda v: f"{v:.1f}"),
    ("pauses", "Pauses", lambda v: f"{v:.0f}"),
)
DELTA_TEXT: dict[str, Callable[[float], str]] = {
    "duration": lambda d: f"{d:+.1f}s",
    "pace": lambda d: f"{d:+.0f}",
    "fillers": lambda d: f"{d:+.1f}",
    "pauses": lambda d: f"{d:+.0f}",
}


def cell(metric: str, value: float | None, delta: Delta | None) -> Text:
    """A value with its change from the previous attempt, coloured by better/worse."""
    if value is None:
        return Text("—", style="dim")
    fmt = next(f for m, _, f in ROWS if m == metric)
    text = Text(fmt(value))
    if delta is not None and delta.change is not None:
        arrow = {True: " ▲", False: " ▼", None: " ·"}[delta.better]
        style = {True: "bold #5fb36b", False: "bold #d9534f", None: "#8fa3b8"}[delta.better]
        text.append(f" {DELTA_TEXT[metric](delta.change)}{arrow}", style=style)
    return text


def _value(a: Attempt, metric: str) -> float | None:
    m = a.measure()
    return {
        "duration": m.duration_s,
        "pace": m.pace,
        "fillers": m.fillers_per_min,
        "pauses": None if m.pauses is None else float(m.pauses),
    }[metric]


class CompareScreen(BoothScreen):
    """Attempts at one question, side by side."""

    DEFAULT_CSS = """
    CompareScreen #compare-box { padding: 0 2; }
    CompareScreen #compare-question { text-style: bold; margin: 1 0; }
    CompareScreen #compare-legend { color: #8fa3b8; margin-top: 1; }
    CompareScreen DataTable { height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back")]

    def __init__(self, store: Store, question_id: str) -> None:
        super().__init__()
        self.store = store
        self.question_id = question_id
        everything = store.attempts_of(question_id, status="analysed")
        self.attempts = everything[-SHOWN:]
        self.total = len(everything)

    def compose(self) -> ComposeResult:
        text = self.attempts[-1].question_text if self.attempts else self.question_id
        yield TitleBar("Compare attempts")
        with Vertical(id="compare-box"):
            yield Static(Text(text or self.question_id), id="compare-question")
            yield DataTable(cursor_type="none", id="compare-table")
            more = f" (latest {SHOWN} of {self.total})" if self.total > SHOWN else ""
            yield Static(
                "Each value shows its change from the attempt to its left: ▲ better, ▼ worse, "
                "· about the same. Length: closer to the target; pace: closer to the "
                f"comfortable band; fillers and pauses: fewer{more}.",
                id="compare-legend",
            )
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        if not self.attempts:
            self.query_one("#compare-legend", Static).update("No analysed attempts yet.")
            return
        table.add_column("")
        for a in self.attempts:
            table.add_column(f"#{a.id} · {a.created_at[5:10]}")
        deltas: list[tuple[Delta, ...] | None] = [None]
        for before, after in zip(self.attempts, self.attempts[1:], strict=False):
            deltas.append(compare(before.measure(), after.measure()))
        unit = self.attempts[-1].pace_unit or ""
        for metric, label, _ in ROWS:
            name = f"{label} ({unit})" if metric == "pace" and unit else label
            cells: list[Text | str] = [name]
            for a, ds in zip(self.attempts, deltas, strict=True):
                d = None if ds is None else next(x for x in ds if x.metric == metric)
                cells.append(cell(metric, _value(a, metric), d))
            table.add_row(*cells, key=metric)

    def action_back(self) -> None:
        self.app.pop_screen()
