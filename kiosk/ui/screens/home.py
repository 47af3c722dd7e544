"""Home: choose what to practise — a category or bank, a mock round, a timing drill.

Everything is one tree so the keyboard (arrows, enter) and the mouse both work the same
way; the panel beside it describes the highlighted entry before the user commits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Footer, Static, Tree
from textual.widgets.tree import TreeNode

from kiosk.core.drills import PRESETS_S
from kiosk.core.errors import KioskError
from kiosk.ui.practice import Practice, QuestionLike
from kiosk.ui.screens.base import BoothScreen
from kiosk.ui.widgets.meters import clock_text
from kiosk.ui.widgets.titlebar import TitleBar

LANGUAGES: tuple[str | None, ...] = (None, "zh", "en")
LANGUAGE_NAMES = {None: "all languages", "zh": "中文", "en": "English"}
DRILL_TAG = "drill"


@dataclass(frozen=True, slots=True)
class Entry:
    """What a tree leaf starts: a ready practice, or one built on demand (a round)."""

    title: str
    about: str | Text
    start: Callable[[], Practice]
    is_round: bool = False
    opens: Callable[[], None] | None = None
    """Opens a screen instead of starting a practice (e.g. choosing a drill's length)."""


def _question_label(q: QuestionLike) -> Text:
    return Text.assemble(
        q.text, (f"  {clock_text(q.target.low)}–{clock_text(q.target.high)}", "dim")
    )


def _about(title: str, q: QuestionLike, more: int) -> Text:
    target = f"{clock_text(q.target.low)}–{clock_text(q.target.high)}"
    follow = f" · {len(q.follow_ups)} follow-up(s)" if q.follow_ups else ""
    text = Text.assemble((title, "bold #8fa3b8"), "\n\n", (q.text, "bold"), "\n\n")
    text.append(f"{q.kind} · [{q.language}] · target {target}{follow}", "#8fa3b8")
    text.append(
        f"\n\nenter: start · then {more} more in this group" if more else "\n\nenter: start"
    )
    return text


def _lengths(seconds: Sequence[float]) -> str:
    return " · ".join(clock_text(s) for s in sorted(set(seconds)))


CUES = "A countdown with cues 10 s before the target and at it."


def _drills_about(ready: Sequence[int]) -> Text:
    """The drill group: the lengths listed under it, and where the others are."""
    text = Text.assemble(("Self-introduction timing drill", "bold"), "\n\n")
    others = [s for s in PRESETS_S if s not in ready]
    if ready:
        text.append(f"Listed here: {_lengths(ready)}.\n")
    more = f"{_lengths(others)} or your own length" if others else "Your own length"
    text.append(f"{more}: under Choose a length….\n\n")
    text.append(CUES, "#8fa3b8")
    return text


def _choose_about(label: Text) -> Text:
    """What "Choose a length…" opens: every preset and a typed length."""
    text = Text.assemble(label, "\n\n")
    text.append(
        f"Next: pick {_lengths(PRESETS_S)}, each with what fits at a comfortable pace, "
        "or type your own length (45, 75s, 2:30).\n\n"
    )
    text.append(CUES, "#8fa3b8")
    text.append("\n\nenter: choose")
    return text


def _run_from(title: str, qs: Sequence[QuestionLike], index: int) -> Entry:
    practice = Practice(title, tuple(qs), index)
    return Entry(title, _about(title, qs[index], len(qs) - index - 1), lambda: practice)


class HomeScreen(BoothScreen):
    """The start of every practice."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("l", "language", "Language"),
        Binding("h", "history", "History"),
        Binding("p", "progress", "Progress"),
        Binding("s", "settings", "Settings"),
        Binding("a", "analyse_recovered", "Analyse recovered"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.language: str | None = None
        self._group_about: dict[int, Text] = {}
        """What the panel says about a group of the tree (by node id), when not "open"."""

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="home"):
            yield Tree("Practise", id="menu")
            yield Static(id="about")
        yield Footer()

    def on_mount(self) -> None:
        self._rebuild()
        self.query_one(Tree).focus()
        errors = self.booth.library.errors
        if errors:
            self.notify(
                f"{len(errors)} question bank problem(s) skipped; run `kiosk banks validate`. "
                f"First: {errors[0]}",
                severity="warning",
                timeout=10,
            )

    # --- building the tree ----------------------------------------------------------------

    def _questions(self) -> list[QuestionLike]:
        lang = self.language
        return [q for q in self.booth.library.questions if lang is None or q.language == lang]

    def _rebuild(self) -> None:
        self.query_one(TitleBar).show(f"Language: {LANGUAGE_NAMES[self.language]}  (l to change)")
        tree: Tree[Entry] = self.query_one(Tree)
        tree.clear()
        tree.show_root = False
        qs = self._questions()
        self._add_groups(tree.root.add("By category", expand=True), qs, lambda q: q.category)
        self._add_groups(tree.root.add("By bank"), qs, self._bank_title)
        self._add_rounds(tree.root.add("Mock interview round", expand=True))
        self._add_drills(tree.root.add("Self-introduction timing drill", expand=True), qs)
        tree.move_cursor_to_line(0)

    def _bank_title(self, q: QuestionLike) -> str:
        bank = self.booth.library.bank(q.bank_id)
        return bank.title if bank is not None else q.bank_id

    def _add_groups(
        self, parent: TreeNode[Entry], qs: list[QuestionLike], key: Callable[[Any], str]
    ) -> None:
        groups: dict[str, list[QuestionLike]] = {}
        for q in qs:
            if DRILL_TAG not in q.tags:
                groups.setdefault(key(q), []).append(q)
        for name, members in groups.items():
            node = parent.add(Text.assemble(name, (f"  {len(members)}", "dim")))
            for i, q in enumerate(members):
                node.add_leaf(_question_label(q), data=_run_from(name, members, i))

    def _add_drills(self, parent: TreeNode[Entry], qs: list[QuestionLike]) -> None:
        from kiosk.ui.drill import drill_practice

        drills = sorted((q for q in qs if DRILL_TAG in q.tags), key=lambda q: q.target.high)
        ready: list[int] = []
        for q in drills:
            aim = round((q.target.low + q.target.high) / 2)
            ready.append(aim)
            label = Text.assemble((f"{clock_text(aim)} ", "bold"), f"[{q.language}] ")
            label.append(q.text)
            entry = _run_from("Timing drill", [q], 0)
            parent.add_leaf(
                label, data=replace(entry, start=partial(drill_practice, q.language, aim))
            )
        for lang in dict.fromkeys(q.language for q in drills):
            label = Text.assemble(("Choose a length… ", "bold"), f"[{lang}]")
            start = partial(drill_practice, lang, 60)
            opens = partial(self.booth.show_drill_setup, lang)
            entry = Entry("Timing drill", _choose_about(label), start, opens=opens)
            parent.add_leaf(label, data=entry)
        if not drills:
            parent.add_leaf(Text("no drills in this language", "dim"))
        self._group_about[parent.id] = _drills_about(ready)

    def _add_rounds(self, parent: TreeNode[Entry]) -> None:
        from kiosk.ui.rounds import round_entries

        entries = round_entries(self.booth.library, self.language, self.booth.seed)
        for title, about, start in entries:
            entry = Entry(title, Text(about), start, is_round=True)
            parent.add_leaf(Text(title), data=entry)
        if not entries:
            parent.add_leaf(Text("no round templates for this language", "dim"))

    # --- reacting ---------------------------------------------------------------------

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[Entry]) -> None:
        entry = event.node.data
        about = self.query_one("#about", Static)
        if entry is not None:
            about.update(Text(entry.about) if isinstance(entry.about, str) else entry.about)
        elif event.node.id in self._group_about:
            about.update(self._group_about[event.node.id])
        else:
            about.update(Text.assemble((str(event.node.label), "bold"), "\n\nenter: open"))

    def on_tree_node_selected(self, event: Tree.NodeSelected[Entry]) -> None:
        entry = event.node.data
        if entry is None:
            return
        if entry.opens is not None:
            entry.opens()
            return
        try:
            practice = entry.start()
        except KioskError as exc:  # e.g. a round the library has too few questions for
            self.notify(str(exc), title="Cannot start", severity="error", timeout=10)
            return
        if entry.is_round:
            session = self.booth.history.begin_session(practice)
            practice = replace(practice, session_id=session)
        self.booth.ask(practice, replace=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "analyse_recovered":  # shown only while recovered answers wait
            return bool(self.booth.recovered)
        return True

    def on_screen_resume(self) -> None:
        self.booth.refresh_recovered()  # one may just have been analysed
        self.refresh_bindings()

    def action_analyse_recovered(self) -> None:
        self.booth.analyse_recovered()

    def action_language(self) -> None:
        i = LANGUAGES.index(self.language)
        self.language = LANGUAGES[(i + 1) % len(LANGUAGES)]
        self._rebuild()

    def action_history(self) -> None:
        if self.booth.history.store is None:
            self.notify("The answer history is not available in this session.", severity="warning")
            return
        self.booth.show_history(self.booth.history.store)

    def action_progress(self) -> None:
        if self.booth.history.store is None:
            self.notify("The answer history is not available in this session.", severity="warning")
            return
        self.booth.show_progress(self.booth.history.store, self.language)

    def action_settings(self) -> None:
        self.booth.show_settings()
