"""Self-introduction timing drill: pick a length, watch a big countdown, hear the cues.

The drill reuses the answer path (question → recording → processing → report) through
small subclasses: the question screen adds the length budget, the recording screen a large
countdown (``Digits``) with a "wrap up" cue 10 s before the target and a "time" cue at it
(visual; a short beep too when the tone is switched on) and shows overrun live, and the
report adds what was said in time, what ran over, and deltas against the previous take
and the best one. Rules and figures are in :mod:`kiosk.core.drills`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Digits, Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from kiosk.core.drills import (
    PRESETS_S,
    Cue,
    budget,
    compare_takes,
    countdown,
    cue,
    drill_target,
    parse_seconds,
    split_at_target,
)
from kiosk.core.errors import printable
from kiosk.core.ports import RecordingResult
from kiosk.core.report import Report
from kiosk.core.target import Target
from kiosk.ui.messages import AnalysisDone
from kiosk.ui.practice import Asked, Practice
from kiosk.ui.screens.base import BoothScreen
from kiosk.ui.screens.processing import ProcessingScreen
from kiosk.ui.screens.question import QuestionScreen
from kiosk.ui.screens.recording import RecordingScreen
from kiosk.ui.screens.report import ReportScreen
from kiosk.ui.widgets import clip_player
from kiosk.ui.widgets.meters import clock_text
from kiosk.ui.widgets.titlebar import TitleBar

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


@dataclass(frozen=True, slots=True)
class DrillPractice(Practice):
    """A practice whose one question is a timed drill (``KioskApp.ask`` routes it here)."""

    tone: bool = False
    """Beep at the cues as well as showing them."""
    seconds: float = field(default=60.0)


def drill_practice(language: str, seconds: float, tone: bool = False) -> DrillPractice:
    q = DrillQuestion(language, seconds)
    if language != "zh":
        q = DrillQuestion(language, seconds, category="Self-introduction")
    return DrillPractice("Timing drill", (q,), tone=tone, seconds=seconds)


# --- choosing the length ------------------------------------------------------------------


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


# --- the answer path, drill flavoured -------------------------------------------------------


def _seconds(practice: Practice, asked: Asked) -> float:
    return getattr(practice, "seconds", asked.target.high)


class DrillQuestionScreen(QuestionScreen):
    """The question, with how much fits in the time at a comfortable pace."""

    def on_mount(self) -> None:
        # Textual also runs QuestionScreen.on_mount (handlers run for each class in the MRO).
        seconds = _seconds(self.practice, self.asked)
        plan = budget(seconds, self.asked.language)
        note = Static(
            f"Target {clock_text(seconds)} · {plan.text()}", id="drill-budget", classes="caption"
        )
        self.query_one("#question-box").mount(note, after="#question-text")

    def action_answer(self) -> None:
        self._hush()
        self.booth.switch_screen(DrillRecordingScreen(self.practice, self.asked))


class DrillRecordingScreen(RecordingScreen):
    """Recording with a large countdown to the target and cues."""

    DEFAULT_CSS = """
    DrillRecordingScreen #drill-clock { width: auto; color: #5fb36b; }
    DrillRecordingScreen #drill-clock.wrap_up { color: #d7a93b; }
    DrillRecordingScreen #drill-clock.time, DrillRecordingScreen #drill-clock.over {
        color: #d9534f;
    }
    DrillRecordingScreen #drill-cue { height: 1; }
    """

    def __init__(self, practice: Practice, asked: Asked) -> None:
        super().__init__(practice, asked)
        self.seconds = _seconds(practice, asked)
        self.cue: Cue = "speaking"
        self.tone = bool(getattr(practice, "tone", False))

    def on_mount(self) -> None:
        # RecordingScreen.on_mount runs after this one and opens the microphone.
        clock = Digits(countdown(0.0, self.seconds), id="drill-clock")
        self.query_one("#rec-box").mount(
            clock, Static(id="drill-cue"), before=self.query_one("#target-bar")
        )

    def _tick(self) -> None:
        super()._tick()
        if self.state != "recording" or not self.query("#drill-clock"):
            return
        elapsed = self.elapsed()
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
        if self.tone and now in ("wrap_up", "time"):
            self._beep(1 if now == "wrap_up" else 2)
        self.cue = now

    @work(thread=True, group="drill-tone", exit_on_error=False)
    def _beep(self, times: int) -> None:
        try:
            tone = clip_player.cue_tone()
            for _ in range(times):
                clip_player.play_clip(tone, self.booth.settings.output_device, threading.Event())
        except Exception:  # a missing speaker must not disturb the answer
            return

    def _process(self, result: RecordingResult) -> None:
        stream = getattr(self, "stream", None)
        self._handed_over = True
        screen = DrillProcessingScreen(
            self.practice, self.asked, result, self.attempt, stream=stream, notes=self.notes
        )
        self.booth.switch_screen(screen)


class DrillProcessingScreen(ProcessingScreen):
    """Processing that ends on the drill report."""

    def on_analysis_done(self, event: AnalysisDone) -> None:
        event.prevent_default()  # instead of ProcessingScreen's plain report
        screen = DrillReportScreen(
            self.practice, self.asked, event.report, self.result, attempt=self.attempt
        )
        self.booth.switch_screen(screen)


class DrillReportScreen(ReportScreen):
    """The report, plus the drill's verdict: in time, overrun, and this take's deltas."""

    DEFAULT_CSS = """
    DrillReportScreen #drill-result { border: round #5b8fc7; padding: 0 1; height: auto; }
    """

    def __init__(
        self,
        practice: Practice,
        asked: Asked,
        report: Report,
        result: RecordingResult,
        attempt: int | None = None,
    ) -> None:
        super().__init__(practice, asked, report, result)
        self.attempt = attempt
        self.seconds = _seconds(practice, asked)

    def on_mount(self) -> None:
        panel = Static(drill_summary(self.report, self.seconds, self._takes()), id="drill-result")
        panel.border_title = f"Drill · target {clock_text(self.seconds)}"
        self.query_one("#report-box").mount(panel, after="#cards")

    def _takes(self) -> list[Any]:
        """Earlier analysed takes of this drill (same question and length), oldest first."""
        store = self.booth.history.store
        if store is None or self.attempt is None:
            return []
        try:
            attempts = store.attempts_of(self.asked.id, status="analysed")
        except Exception:  # the history is optional: no deltas, no crash
            return []
        return [a for a in attempts if a.id != self.attempt and a.id < self.attempt]


def drill_summary(report: Report, seconds: float, earlier: list[Any]) -> Text:
    """The drill panel: budget against what was said, the cut at the target, the deltas."""
    from kiosk.core.drills import DrillTake

    m = report.metrics
    plan = budget(seconds, report.language)
    split = split_at_target(report)
    text = Text()
    said = m.pace.units
    text.append(f"Length {clock_text(m.length.duration_s)} of {clock_text(seconds)}", "bold")
    text.append(f" · said {said} {plan.unit}, budget {plan.text()}\n")
    if split.first_over_word is None:
        text.append("Finished in time.", "bold #5fb36b")
    else:
        text.append(f"Over by {split.over_by_s:.1f} s", "bold #d9534f")
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
