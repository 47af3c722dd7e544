"""Compare attempts at one question side by side: did the second try go better?

One column per attempt (oldest left, the latest :data:`SHOWN`), one row per metric —
length, pace, fillers per minute, pauses — and each value carries its change from the
attempt before it, marked better (green ▲) or worse (red ▼) by the rules in
:func:`kiosk.core.progress.compare` (closer to the target, closer to the comfortable
pace band, fewer fillers, fewer pauses; small differences are left unmarked).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Static

from kiosk.core.figures import clock_text, pace_number
from kiosk.core.progress import Delta, compare
from kiosk.store.database import Attempt, Store
from kiosk.ui.screens.base import BoothScreen
from kiosk.ui.widgets.titlebar import TitleBar

SHOWN = 5
BOX_PADDING = 4
LEGEND = (
    "Each value shows its change from the attempt to its left: ▲ better, ▼ worse, "
    "· about the same. Length: closer to the target; pace: closer to the "
    "comfortable band; fillers and pauses: fewer"
)
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


def _width(columns: list[tuple[str, list[Text | str]]], table: DataTable[Any]) -> int:
    """Cells the table takes with these columns (each with its padding)."""
    pad = 2 * table.cell_padding
    return sum(
        max(cell_len(str(header)), *(cell_len(str(c)) for c in cells)) + pad
        for header, cells in columns
    )


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
        self.shown = 0
        """Attempts in the table now (the latest that fit)."""

    def compose(self) -> ComposeResult:
        text = self.attempts[-1].question_text if self.attempts else self.question_id
        yield TitleBar("Compare attempts")
        with Vertical(id="compare-box"):
            yield Static(Text(text or self.question_id), id="compare-question")
            yield DataTable(cursor_type="none", id="compare-table")
            yield Static(LEGEND + ".", id="compare-legend")
        yield Footer()

    def on_mount(self) -> None:
        if not self.attempts:
            self.query_one("#compare-legend", Static).update("No analysed attempts yet.")
            return
        self._fill()

    def on_resize(self) -> None:
        if self.attempts and self._fitting() != self.shown:
            self._fill()

    def _fitting(self) -> int:
        """How many of the latest attempts fit the screen's width side by side."""
        table = self.query_one(DataTable)
        room = (self.size.width or self.app.size.width) - BOX_PADDING
        count = len(self.attempts)
        while count > 1 and _width(self._columns(self.attempts[-count:]), table) > room:
            count -= 1
        return count

    def _fill(self) -> None:
        """The latest attempts that fit the screen's width side by side (at most
        :data:`SHOWN`); the oldest are left out first, never cut at the right edge."""
        table = self.query_one(DataTable)
        count = self.shown = self._fitting()
        columns = self._columns(self.attempts[-count:])
        table.clear(columns=True)
        for header, _ in columns:
            table.add_column(header)
        for i, (metric, _, _) in enumerate(ROWS):
            table.add_row(*(cells[i] for _, cells in columns), key=metric)
        more = f" (latest {count} of {self.total})" if self.total > count else ""
        self.query_one("#compare-legend", Static).update(LEGEND + f"{more}.")

    def _columns(self, attempts: list[Attempt]) -> list[tuple[str, list[Text | str]]]:
        """(header, one cell per row) for the label column and each attempt."""
        unit = attempts[-1].pace_unit or ""
        labels: list[Text | str] = [
            f"{label} ({unit})" if metric == "pace" and unit else label for metric, label, _ in ROWS
        ]
        columns: list[tuple[str, list[Text | str]]] = [("", labels)]
        before = None
        for a in attempts:
            ds = None if before is None else compare(before.measure(), a.measure())
            cells: list[Text | str] = []
            for metric, _, _ in ROWS:
                d: Delta | None = None
                if ds is not None:
                    d = next(x for x in ds if x.metric == metric)
                cells.append(cell(metric, _value(a, metric), d))
            columns.append((f"#{a.id} · {a.created_at[5:10]}", cells))
            before = a
        return columns

    def action_back(self) -> None:
        self.app.pop_screen()
