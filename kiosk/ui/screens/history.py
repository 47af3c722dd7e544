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

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Input, Select, Static

from kiosk.core.errors import KioskError
from kiosk.store import Attempt, AttemptFilter, Store
from kiosk.ui.screens.base import BoothScreen
from kiosk.ui.widgets.confirm import ConfirmScreen
from kiosk.ui.widgets.titlebar import TitleBar

LIMIT = 500
"""Rows shown at most (narrow the filters to see older ones)."""


def parse_day(text: str) -> date | None:
    """``YYYY-MM-DD`` → date; empty → None; ValueError otherwise."""
    text = text.strip()
    return date.fromisoformat(text) if text else None


class HistoryScreen(BoothScreen):
    """All answers kept, with filters."""

    DEFAULT_CSS = """
    HistoryScreen #history-filters { height: auto; padding: 0 1; }
    HistoryScreen #history-filters Select { width: 1fr; }
    HistoryScreen #history-dates { height: auto; padding: 0 1; }
    HistoryScreen #history-dates Input { width: 22; }
    HistoryScreen #history-note { color: #8fa3b8; padding: 0 2; height: 1; }
    HistoryScreen DataTable { height: 1fr; margin: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "compare", "Compare"),
        Binding("x", "export", "Export answer"),
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
                yield Select([(Text(b), b) for b in facets.banks], prompt="All banks", id="f-bank")
                yield Select(
                    [(Text(c), c) for c in facets.categories],
                    prompt="All categories",
                    id="f-category",
                )
                yield Select(
                    [(Text(text[:50]), qid) for qid, text in facets.questions],
                    prompt="All questions",
                    id="f-question",
                )
            with Horizontal(id="history-dates"):
                yield Input(placeholder="from YYYY-MM-DD", id="f-since")
                yield Input(placeholder="to YYYY-MM-DD", id="f-until")
                yield Static(id="history-note")
            yield DataTable(cursor_type="row", zebra_stripes=True, id="history-table")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("#", "when", "question", "lang", "len", "pace", "fillers", "verdict")
        self.reload()
        table.focus()

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
        from kiosk.listing import COLUMNS, row

        table = self.query_one(DataTable)
        table.clear()
        try:
            self.rows = self.store.list(limit=LIMIT, where=self.current_filter())
        except KioskError as exc:
            self.notify(str(exc), severity="error")
            self.rows = []
        for a in self.rows:
            cells: list[str | Text] = list(row(a).values(COLUMNS))
            cells[COLUMNS.index("question")] = Text(str(cells[2]))  # bank text, never markup
            table.add_row(*cells, key=str(a.id))
        self.sub_title = f"{len(self.rows)} answer(s)"

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
        from kiosk.export import exports_dir, history_csv, write_private

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
