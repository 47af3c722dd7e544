"""The report's "What was said" section: key points ✓ / ◐ / ✗ and structure signals.

Compact, under the cards. Keyboard-first: tab focuses it, ↑/↓ (or j/k) choose a key
point or a signal, and the words that matched it are highlighted in the transcript (the
screen listens for :class:`ContentReviewView.Selected`). Everything shown is a
:class:`rich.text.Text` built from plain strings — the answer's words are never read as
markup.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Static

from kiosk.core.content import ContentReview
from kiosk.output.render import key_point_text, signal_text

Marks = tuple[tuple[int, int, int], ...]


class ContentReviewView(Static, can_focus=True):
    """Key points and structure of one answer; one line each, one of them selected."""

    DEFAULT_CSS = """
    ContentReviewView {
        height: auto;
        border: round #3a4a5c;
        padding: 0 1;
        margin-bottom: 1;
    }
    ContentReviewView:focus { border: round #5fb36b; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "move(1)", "Next point", show=False),
        Binding("up,k", "move(-1)", "Previous point", show=False),
    ]

    class Selected(Message):
        """The words of the selected line, to highlight in the transcript (empty: none)."""

        def __init__(self, marks: Marks) -> None:
            super().__init__()
            self.marks = marks

    def __init__(self, content: ContentReview, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.review = content
        self.lines: list[tuple[Text, Marks]] = []
        for k in content.key_points:
            marks = tuple(m for match in k.matches for m in match.marks)
            self.lines.append((key_point_text(k), marks))
        self.first_signal = len(self.lines)
        if content.structure is not None:
            for s in content.structure.signals:
                marks = tuple(m for e in s.evidence for m in e.marks)
                self.lines.append((signal_text(s), marks))
        self.selected = 0
        self.border_title = "What was said"
        self.border_subtitle = "tab, then ↑/↓: show the words in the transcript"

    def on_mount(self) -> None:
        self.update(self.lines_text())

    def lines_text(self) -> Text:
        text = Text()
        if self.review.key_points:
            text.append(f"Key points: {self.review.summary()}\n", style="bold")
        for n, (line, _) in enumerate(self.lines):
            if n == self.first_signal and self.review.structure is not None:
                text.append(f"Structure — {self.review.structure.title}\n", style="bold")
            chosen = self.has_focus and n == self.selected
            text.append("▸ " if chosen else "  ", style="bold #5fb36b")
            text.append_text(line.copy())
            if chosen:
                text.stylize("reverse", len(text) - len(line), len(text))
            text.append("\n")
        text.rstrip()
        return text

    @property
    def selected_marks(self) -> Marks:
        if not self.lines:
            return ()
        return self.lines[self.selected][1]

    def _changed(self) -> None:
        self.update(self.lines_text())
        self.post_message(self.Selected(self.selected_marks if self.has_focus else ()))

    def action_move(self, step: int) -> None:
        if self.lines:
            self.selected = (self.selected + step) % len(self.lines)
            self._changed()

    def on_focus(self) -> None:
        self._changed()

    def on_blur(self) -> None:
        self._changed()
