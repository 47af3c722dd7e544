"""The review screen's transcript: one timed line per phrase, a cursor on a word.

Lines break where the speaker paused or ended a sentence (or at about 64 cells), and
start with their time, so "where did I hesitate?" and "play it from here" are one glance
and one key apart. Fillers, pauses and the target's end are marked as in the report
(``kiosk.output.render`` colours); the cursor (up/down a line, left/right a word) picks where
playback starts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static

from kiosk.core.figures import stamp_text
from kiosk.core.report import Report
from kiosk.core.transcript import join_words
from kiosk.output.render import FILLER_STYLE, LONG_PAUSE_S, PAUSE_STYLE

SENTENCE_END = tuple("。！？!?.；;")
MAX_LINE_CELLS = 64
"""Terminal cells of text per line at most (a Han character takes two)."""
MIN_LINE_CELLS = 20
STAMP_CELLS = 9
"""The line's time (``m:ss.d``, right-aligned in 7) and two spaces."""
LINE_SLACK = 6
"""Room beyond the limit: a line breaks after the word that reaches it."""


@dataclass(frozen=True, slots=True)
class Line:
    """Words ``first`` to ``last`` (exclusive) of the transcript, spoken ``start``–``end``."""

    first: int
    last: int
    start: float
    end: float


TIME_UP = "⏰time's up "


def pause_mark(seconds: float) -> str:
    return f"⏸{seconds:.1f}s "


def transcript_lines(report: Report, max_cells: int = MAX_LINE_CELLS) -> list[Line]:
    """Split the words at pauses, sentence ends and long stretches (``max_cells``, the
    pause and time's-up marks included)."""
    words = report.transcript.words
    pauses = {p.before_word: p for p in report.metrics.pauses.items}
    end_word = report.metrics.length.target_end_word
    lines: list[Line] = []
    first = 0
    for i in range(1, len(words) + 1):
        at_end = i == len(words)
        prev = words[i - 1].text.strip()
        marks = cell_len(pause_mark(pauses[first].duration)) if first in pauses else 0
        if end_word is not None and first <= end_word < i:
            marks += cell_len(TIME_UP)
        long = cell_len(join_words(w.text for w in words[first:i])) + marks >= max_cells
        if at_end or i in pauses or prev.endswith(SENTENCE_END) or long:
            lines.append(Line(first, i, words[first].start, words[i - 1].end))
            first = i
    return lines


stamp = stamp_text
"""A line's start as ``m:ss.d`` (:func:`kiosk.core.figures.stamp_text`)."""


def _pieces(text: str, ranges: list[tuple[int, int]]) -> Iterator[tuple[str, bool]]:
    """``(piece, is_filler)`` of one word given the filler character ranges in it."""
    pos = 0
    for s, e in sorted(ranges):
        if s > pos:
            yield text[pos:s], False
        if e > max(s, pos):
            yield text[max(s, pos) : e], True
        pos = max(pos, e)
    if pos < len(text):
        yield text[pos:], False


class TranscriptView(VerticalScroll, can_focus=True):
    """The marked-up transcript with a line and word cursor.

    It scrolls inside its own box (one child per line, the cursor's line kept in view), so
    a long transcript never pushes what is above it — the review's metric cards — off the
    screen when it takes the focus.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1, 0)", "Line up", show=False),
        Binding("down", "move(1, 0)", "Line down", show=False),
        Binding("left", "move(0, -1)", "Word left", show=False),
        Binding("right", "move(0, 1)", "Word right", show=False),
    ]
    DEFAULT_CSS = """
    TranscriptView { height: auto; padding: 0 1; }
    TranscriptView > .transcript-line { height: auto; }
    """

    line: reactive[int] = reactive(0)
    word: reactive[int] = reactive(0)
    """Index of the selected word in the whole transcript."""

    def __init__(self, report: Report, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.report = report
        self._cells = MAX_LINE_CELLS
        self.lines = transcript_lines(report, self._cells)
        self._fillers: dict[int, list[tuple[int, int]]] = {}
        for f in report.metrics.fillers.items:
            for wi, s, e in f.marks:
                self._fillers.setdefault(wi, []).append((s, e))
        self._pauses = {p.before_word: p for p in report.metrics.pauses.items}

    def compose(self) -> ComposeResult:
        yield from self._line_widgets()

    def _line_widgets(self) -> list[Static]:
        if not self.lines:
            return [Static(Text("No words were recognised.", style="dim"))]
        return [
            Static(self._render_line(line, n == self.line), classes="transcript-line")
            for n, line in enumerate(self.lines)
        ]

    async def on_resize(self) -> None:
        """Lines as long as the box allows (at most :data:`MAX_LINE_CELLS`), so a line
        never wraps under its time; the cursor stays on its word."""
        room = self.scrollable_content_region.width - STAMP_CELLS - LINE_SLACK
        cells = max(MIN_LINE_CELLS, min(MAX_LINE_CELLS, room))
        if cells == self._cells or not self.lines:
            return
        self._cells = cells
        self.lines = transcript_lines(self.report, cells)
        self.line = next(
            (i for i, ln in enumerate(self.lines) if ln.first <= self.word < ln.last), 0
        )
        await self.remove_children()
        await self.mount_all(self._line_widgets())

    def action_move(self, lines: int, words: int) -> None:
        if not self.lines:
            return
        before = self.line
        if lines:
            self.line = max(0, min(len(self.lines) - 1, self.line + lines))
            self.word = self.lines[self.line].first
        if words:
            total = len(self.report.transcript.words)
            self.word = max(0, min(total - 1, self.word + words))
            self.line = next(
                i for i, ln in enumerate(self.lines) if ln.first <= self.word < ln.last
            )
        shown = list(self.query(".transcript-line").results(Static))
        for n in {before, self.line}:
            shown[n].update(self._render_line(self.lines[n], n == self.line))
        self.scroll_to_widget(shown[self.line], animate=False)

    def selected_start(self) -> float:
        """Where playback starts: the selected word's start."""
        words = self.report.transcript.words
        return words[self.word].start if words else 0.0

    def selected_line(self) -> Line | None:
        return self.lines[self.line] if self.lines else None

    def render_text(self) -> Text:
        """The whole transcript as shown, the cursor's line marked."""
        out = Text("\n").join(
            self._render_line(line, n == self.line) for n, line in enumerate(self.lines)
        )
        return out if self.lines else Text("No words were recognised.", style="dim")

    def _render_line(self, line: Line, current: bool) -> Text:
        words = self.report.transcript.words
        text = Text()
        text.append(f"{stamp(line.start):>7}  ", style="bold #8fa3b8" if current else "#5d6b7a")
        end_word = self.report.metrics.length.target_end_word
        prev = ""
        for i in range(line.first, line.last):
            pause = self._pauses.get(i)
            if pause is not None:
                style = "bold red" if pause.duration >= LONG_PAUSE_S else PAUSE_STYLE
                text.append(pause_mark(pause.duration), style=style)
            if i == end_word:
                text.append(TIME_UP, style="bold red")
            piece = words[i].text.strip()
            if prev and piece and join_words([prev, piece]) != prev + piece:
                text.append(" ")
            for part, filler in _pieces(piece, self._fillers.get(i, [])):
                style = FILLER_STYLE if filler else ""
                if current and i == self.word:
                    style = f"{style} reverse".strip()
                text.append(part, style=style)
            prev = piece or prev
        if current:
            text.stylize("on #26303b")
        return text
