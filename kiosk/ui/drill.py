"""Self-introduction timing drill in the booth: its practice, and its parts on the answer screens.

A drill goes through the same answer screens as any question (question → recording →
processing → report, ``Kind.DRILL`` in ``kiosk.core.flow``: one question, no follow-ups);
its :class:`DrillParts` add the length budget under the question, a large countdown
(``Digits``) with a "wrap up" cue 10 s before the target and a "time" cue at it while
recording (visual; a short beep too when the tone is switched on, played by the services'
player) and the overrun live, and on the report what was said in time, what ran over, and
deltas against the previous take and the best one. Rules and figures are in
:mod:`kiosk.core.drills`; choosing a length is ``kiosk.ui.screens.drill``.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.widgets import Digits, Static

from kiosk.core.drills import (
    Cue,
    DrillTake,
    budget,
    compare_takes,
    countdown,
    cue,
    drill_target,
    drill_verdict,
    split_at_target,
)
from kiosk.core.figures import clock_text
from kiosk.core.flow import Kind
from kiosk.core.ports import Player
from kiosk.core.report import Report
from kiosk.core.target import Target
from kiosk.ui.parts import Device, Parts, Ticker
from kiosk.ui.practice import Practice
from kiosk.ui.widgets.clip_player import cue_tone

if TYPE_CHECKING:
    from textual.widget import Widget

    from kiosk.store.database import Attempt, Store

PROMPTS = {
    "zh": "请用 {t}做一个自我介绍。",
    "en": "Introduce yourself in {t}.",
}
CUE_TEXT: dict[Cue, tuple[str, str]] = {
    "speaking": ("", ""),
    "wrap_up": ("10 seconds left — wrap up", "bold #d7a93b"),
    "time": ("Time — finish your sentence", "bold #d9534f"),
    "over": ("Over time", "bold #d9534f"),
}
TITLE = "Timing drill"


def length_words(seconds: float, language: str) -> str:
    if language == "zh":
        return f"{seconds / 60:g} 分钟" if seconds % 60 == 0 else f"{seconds:g} 秒"
    if seconds % 60 == 0:
        minutes = seconds / 60
        return "one minute" if minutes == 1 else f"{minutes:g} minutes"
    return f"{seconds:g} seconds"


@dataclass(frozen=True, slots=True)
class DrillQuestion:
    """A self-introduction with a chosen length (fits ``kiosk.ui.practice.QuestionLike``)."""

    language: str
    seconds: float
    category: str = "自我介绍"
    bank_id: str = "drills"
    kind: str = "intro"
    follow_ups: tuple[str, ...] = ()
    tags: tuple[str, ...] = ("drill",)

    @property
    def id(self) -> str:
        return f"drill-{self.language}-intro-{self.seconds:g}s"

    @property
    def text(self) -> str:
        template = PROMPTS.get(self.language, PROMPTS["en"])
        return template.format(t=length_words(self.seconds, self.language))

    @property
    def spoken(self) -> str:
        return self.text

    @property
    def target(self) -> Target:
        return drill_target(self.seconds)


def drill_practice(language: str, seconds: float, tone: bool = False) -> Practice:
    """A one-question practice of ``Kind.DRILL``: introduce yourself in ``seconds``."""
    q = DrillQuestion(language, seconds)
    if language != "zh":
        q = DrillQuestion(language, seconds, category="Self-introduction")
    return Practice(TITLE, (q,), kind=Kind.DRILL, parts=DrillParts(seconds, tone))


# --- the parts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DrillParts(Parts):
    """What the drill adds to the answer screens."""

    seconds: float
    tone: bool = False
    """Beep at the cues as well as showing them."""

    def question(self, language: str) -> Sequence[Widget]:
        plan = budget(self.seconds, language)
        text = f"Target {clock_text(self.seconds)} · {plan.text()}"
        return (Static(text, id="drill-budget", classes="caption"),)

    def recording(self, player: Player, device: Device) -> Sequence[Ticker]:
        return (DrillClock(self.seconds, player if self.tone else None, device),)

    def report(
        self, report: Report, question_id: str, attempt: int | None, store: Store | None
    ) -> Sequence[Widget]:
        earlier = earlier_takes(store, question_id, attempt)
        panel = Static(drill_summary(report, self.seconds, earlier), id="drill-result")
        panel.border_title = f"Drill · target {clock_text(self.seconds)}"
        return (panel,)


class DrillClock(Ticker):
    """A large countdown to the target, and the cue under it; beeps at the cues when
    given a player."""

    DEFAULT_CSS = """
    DrillClock #drill-clock { width: auto; color: #5fb36b; }
    DrillClock #drill-clock.wrap_up { color: #d7a93b; }
    DrillClock #drill-clock.time, DrillClock #drill-clock.over { color: #d9534f; }
    DrillClock #drill-cue { height: 1; }
    """

    def __init__(
        self,
        seconds: float,
        player: Player | None = None,
        device: Device = lambda: None,
    ) -> None:
        super().__init__()
        self.seconds = seconds
        self.cue: Cue = "speaking"
        self.player = player
        self.device = device

    def compose(self) -> ComposeResult:
        yield Digits(countdown(0.0, self.seconds), id="drill-clock")
        yield Static(id="drill-cue")

    def tick(self, elapsed: float) -> None:
        self.query_one("#drill-clock", Digits).update(countdown(elapsed, self.seconds))
        now = cue(elapsed, self.seconds)
        if now != self.cue:
            self._show_cue(now)

    def _show_cue(self, now: Cue) -> None:
        clock = self.query_one("#drill-clock", Digits)
        clock.remove_class(self.cue)
        clock.add_class(now)
        text, style = CUE_TEXT[now]
        self.query_one("#drill-cue", Static).update(Text(text, style=style))
        if self.player is not None and now in ("wrap_up", "time"):
            self._beep(self.player, 1 if now == "wrap_up" else 2)
        self.cue = now

    @work(thread=True, group="drill-tone", exit_on_error=False)
    def _beep(self, player: Player, times: int) -> None:
        try:
            tone = cue_tone()
            for _ in range(times):
                player.play(tone, self.device(), threading.Event())
        except Exception:  # a missing speaker must not disturb the answer
            return


def earlier_takes(store: Store | None, question_id: str, attempt: int | None) -> list[Attempt]:
    """Earlier analysed takes of this drill (same question and length), oldest first."""
    if store is None or attempt is None:
        return []
    try:
        attempts = store.attempts_of(question_id, status="analysed")
    except Exception:  # the history is optional: no deltas, no crash
        return []
    return [a for a in attempts if a.id != attempt and a.id < attempt]


TONE_STYLE = {"good": "bold #5fb36b", "warn": "bold #d7a93b", "bad": "bold #d9534f"}


def drill_summary(report: Report, seconds: float, earlier: Sequence[Attempt]) -> Text:
    """The drill panel: budget against what was said, the cut at the target, the deltas."""
    m = report.metrics
    plan = budget(seconds, report.language)
    split = split_at_target(report)
    text = Text()
    said = m.pace.units
    text.append(f"Length {clock_text(m.length.duration_s)} of {clock_text(seconds)}", "bold")
    text.append(f" · said {said} {plan.unit}, budget {plan.text()}\n")
    verdict = drill_verdict(report, seconds)  # the length card's judgement, in words
    text.append(verdict.text, TONE_STYLE[verdict.tone])
    if verdict.verdict == "too_long":
        text.append(" — ⏰ in the transcript marks where time ran out.\n")
        text.append("After the target: ", "#8fa3b8")
        text.append(split.overrun[:160])
    current = DrillTake(
        0, seconds, m.length.duration_s, m.fillers.per_minute, m.pace.span_value or None
    )
    takes = [t for t in (a.drill_take() for a in earlier) if t is not None]
    previous, best = compare_takes(current, takes)
    if previous is not None and best is not None:
        text.append(f"\n{previous.text('previous')}")
        text.append(f"\n{best.text('best')}")
    else:
        text.append("\nFirst take of this drill: repeat it (r) to see the change.", "#8fa3b8")
    return text
