"""History: every answer kept, newest first, narrowed by bank, category, question and date.

The table reads the history through the store's filtered query (one indexed SELECT), so it
stays quick with thousands of answers. Enter opens an answer for review; from here an
answer can also be compared with other attempts at its question, exported (Markdown and
JSON, or the listed rows as CSV into ``<data dir>/exports``) or deleted after a
confirmation.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Input, Select, Static

from kiosk.core.errors import KioskError
from kiosk.output.listing import WIDE, columns, header, row
from kiosk.store.database import Attempt, AttemptFilter, Store
from kiosk.ui.screens.base import BoothScreen
from kiosk.ui.widgets.confirm import ConfirmScreen
from kiosk.ui.widgets.titlebar import TitleBar

LIMIT = 500
"""Rows shown at most (narrow the filters to see older ones)."""
QUESTION_MIN = 9
"""Cells the question keeps at least, however narrow the screen (four Han characters and
the …); it gets all the room the figures leave, which at 80 columns is 9 to 14 cells."""
TABLE_MARGIN = 2
SCROLLBAR = 2


def parse_day(text: str) -> date | None:
    """``YYYY-MM-DD`` → date; empty → None; ValueError otherwise."""
    text = text.strip()
    return date.fromisoformat(text) if text else None


class HistoryScreen(BoothScreen):
    """All answers kept, with filters."""

    DEFAULT_CSS = """
    HistoryScreen #history-filters { height: auto; padding: 0 1; margin-top: 1; }
    HistoryScreen #history-filters Select { width: 1fr; margin-right: 1; }
    HistoryScreen #history-dates { height: auto; padding: 0 1; margin: 1 0; }
    HistoryScreen #history-dates Input { width: 20; margin-right: 1; }
    HistoryScreen #history-note { color: #8fa3b8; padding: 0 1; height: 1; }
    HistoryScreen DataTable { height: 1fr; margin: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "compare", "Compare"),
        Binding("x", "export", "Export"),
        Binding("e", "export_csv", "Export CSV"),
        Binding("d", "delete", "Delete"),
        Binding("p", "progress", "Progress"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.rows: list[Attempt] = []

    def compose(self) -> ComposeResult:
        facets = self.store.facets()
        yield TitleBar("History")
        with Vertical():
            with Horizontal(id="history-filters"):
                yield Select(
                    [(Text(b), b) for b in facets.banks],
                    prompt="All banks",
                    compact=True,
                    id="f-bank",
                )
                yield Select(
                    [(Text(c), c) for c in facets.categories],
                    prompt="All categories",
                    compact=True,
                    id="f-category",
                )
                yield Select(
                    [(Text(text[:50]), qid) for qid, text in facets.questions],
                    prompt="All questions",
                    compact=True,
                    id="f-question",
                )
            with Horizontal(id="history-dates"):
                yield Input(placeholder="from YYYY-MM-DD", compact=True, id="f-since")
                yield Input(placeholder="to YYYY-MM-DD", compact=True, id="f-until")
                yield Static(id="history-note")
            yield DataTable(cursor_type="row", zebra_stripes=True, id="history-table")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(DataTable).focus()

    def on_resize(self) -> None:
        self._fill()

    # --- filtering --------------------------------------------------------------------------

    def current_filter(self) -> AttemptFilter:
        def chosen(selector: str) -> str | None:
            value = self.query_one(selector, Select).value
            return value if isinstance(value, str) else None

        note = self.query_one("#history-note", Static)
        since = until = None
        try:
            first = parse_day(self.query_one("#f-since", Input).value)
            last = parse_day(self.query_one("#f-until", Input).value)
            since = first.isoformat() if first else None
            until = (last + timedelta(days=1)).isoformat() if last else None
            note.update("")
        except ValueError:
            note.update("dates as YYYY-MM-DD, e.g. 2026-11-23")
        return AttemptFilter(
            bank_id=chosen("#f-bank"),
            category=chosen("#f-category"),
            question_id=chosen("#f-question"),
            since=since,
            until=until,
        )

    def reload(self) -> None:
        try:
            self.rows = self.store.list(limit=LIMIT, where=self.current_filter())
        except KioskError as exc:
            self.notify(str(exc), severity="error")
            self.rows = []
        self._fill()
        self.sub_title = f"{len(self.rows)} answer(s)"

    def _fill(self) -> None:
        """The rows, laid out for the screen's width: every figure keeps its column and the
        question gets the room left (cut with …), as in ``kiosk history``."""
        table = self.query_one(DataTable)
        width = self.size.width or self.app.size.width
        names = columns(width)
        cells = [row(a, wide=width >= WIDE).values(names) for a in self.rows]
        widths = {
            name: max([cell_len(header(name, width)), *(cell_len(c[i]) for c in cells)])
            for i, name in enumerate(names)
        }
        others = sum(w + 2 * table.cell_padding for n, w in widths.items() if n != "question")
        room = width - TABLE_MARGIN - SCROLLBAR - others - 2 * table.cell_padding
        widths["question"] = max(QUESTION_MIN, min(widths["question"], room))
        cursor = table.cursor_row
        table.clear(columns=True)
        for name in names:
            table.add_column(header(name, width), width=widths[name], key=name)
        at = names.index("question")
        for a, values in zip(self.rows, cells, strict=True):
            shown: list[str | Text] = list(values)
            shown[at] = Text(values[at], no_wrap=True, overflow="ellipsis")  # never markup
            table.add_row(*shown, key=str(a.id))
        if self.rows:
            table.move_cursor(row=min(max(cursor, 0), len(self.rows) - 1))

    def on_select_changed(self, _: Select.Changed) -> None:
        self.reload()

    def on_input_submitted(self, _: Input.Submitted) -> None:
        self.reload()

    def on_input_changed(self, event: Input.Changed) -> None:
        if not event.value or len(event.value.strip()) == 10:
            self.reload()

    # --- acting on the selected answer ---------------------------------------------------

    def selected(self) -> Attempt | None:
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row < 0 or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.booth.show_review(self.store, int(event.row_key.value))

    def on_screen_resume(self) -> None:
        self.reload()  # an answer may have been deleted in the review screen

    def action_compare(self) -> None:
        a = self.selected()
        if a is None or a.question_id is None:
            self.notify("Choose an answer to a question first.")
            return
        self.booth.show_compare(self.store, a.question_id)

    def action_export(self) -> None:
        from kiosk.ui.exporting import export_attempt

        a = self.selected()
        if a is not None:
            export_attempt(self, self.store, a.id)

    def action_export_csv(self) -> None:
        from kiosk.output.export import exports_dir, history_csv, write_private

        try:
            path = exports_dir(self.store) / "history.csv"
            write_private(path, history_csv(self.rows[::-1]))
        except (KioskError, OSError) as exc:
            self.notify(f"Export failed: {exc}", severity="error")
            return
        self.notify(f"{len(self.rows)} answer(s) written to {path}", timeout=8)

    def action_delete(self) -> None:
        a = self.selected()
        if a is None:
            return

        def done(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.store.delete(a.id)
            except KioskError as exc:
                self.notify(str(exc), severity="error")
                return
            self.notify(f"Answer #{a.id} and its recording were deleted.")
            self.reload()

        question = f"Delete answer #{a.id} and its recording? This cannot be undone."
        self.app.push_screen(ConfirmScreen(question), done)

    def action_progress(self) -> None:
        self.booth.show_progress(self.store)

    def action_back(self) -> None:
        self.app.pop_screen()
