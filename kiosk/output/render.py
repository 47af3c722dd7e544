"""Rich rendering of a :class:`~kiosk.core.report.Report` for the terminal.

Kept apart from the core so the core stays free of presentation; the TUI can reuse the
same renderables inside a Static widget. Colours: green = in the comfortable band or on
target, yellow = a little off, red = clearly off; fillers are highlighted in the
transcript and pauses shown where they happened.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from kiosk.core.content import ContentReview
from kiosk.core.figures import (
    clock_text,
    fillers_text,
    pace_text,
    speaking_pace_text,
    target_text,
    verdict_text,
)
from kiosk.core.keypoints import HOW_WORDS, KeyPointResult
from kiosk.core.metrics import Metrics
from kiosk.core.report import (
    Report,
    missing_speech_text,
    possible_fillers_text,
    segments,
    signal_line,
)
from kiosk.core.structure import Signal

VERDICT_STYLE = {
    "comfortable": "green",
    "within": "green",
    "slow": "yellow",
    "fast": "yellow",
    "too_short": "yellow",
    "too_long": "red",
    "no_speech": "red",
}
FILLER_STYLE = "bold black on yellow"
MATCH_STYLE = "bold black on #7fbf7f"
"""Words that covered the selected key point, in the transcript."""
STATUS_STYLE = {
    "covered": "bold green",
    "partly": "bold yellow",
    "missing": "bold red",
    "not_checked": "dim",
}
PAUSE_STYLE = "bold cyan"
LONG_PAUSE_S = 2.0
"""Pauses at least this long are shown in red in the transcript."""


def _verdict(v: str | None) -> Text:
    if v is None:
        return Text("—", style="dim")
    return Text(verdict_text(v), style=VERDICT_STYLE.get(v, ""))


def summary_table(m: Metrics) -> Table:
    """One row per metric: value, detail and a colour-coded verdict."""
    table = Table(show_header=True, header_style="bold", expand=False)
    table.add_column("metric")
    table.add_column("value", justify="right")
    table.add_column("detail")
    table.add_column("verdict")
    length = m.length
    target = (
        f"target {target_text(length.target.low, length.target.high)}"
        if length.target
        else "no target"
    )
    table.add_row("length", clock_text(length.duration_s), target, _verdict(length.verdict))
    low, high = m.pace.band
    table.add_row(
        "pace",
        pace_text(m.pace.headline, m.pace.unit),
        f"first to last word; comfortable {low:g}–{high:g}; {speaking_pace_text(m.pace.value)}",
        _verdict(m.pace.verdict),
    )
    by_word = ", ".join(f"{k}×{v}" for k, v in m.fillers.by_word.items())
    by_word = f"{by_word} " if by_word else ""
    loops = f"; {m.fillers.loops} transcriber loop(s)" if m.fillers.loops else ""
    table.add_row(
        "fillers",
        fillers_text(m.fillers.total),
        f"{by_word}({m.fillers.per_minute:.1f}/min){loops}",
        Text(""),
    )
    p = m.pauses
    table.add_row(
        "pauses",
        f"{p.count}",
        f"≥ {p.threshold_s:g} s; longest {p.longest_s:.1f} s, total {p.total_s:.1f} s",
        Text(""),
    )
    table.add_row("first word", f"{p.time_to_first_word_s:.1f} s", "silence before speaking", "")
    return table


def transcript_text(report: Report, highlight: Iterable[tuple[int, int, int]] = ()) -> Text:
    """The transcript with fillers highlighted, pauses and the target's end marked, and
    the words in ``highlight`` (marks of a key point's matches) shown in green."""
    text = Text()
    for kind, piece in segments(report, highlight):
        if kind == "filler":
            text.append(piece, style=FILLER_STYLE)
        elif kind == "match":
            text.append(piece, style=MATCH_STYLE)
        elif kind == "pause":
            style = "bold red" if float(piece) >= LONG_PAUSE_S else PAUSE_STYLE
            text.append(f" ⏸{piece}s ", style=style)
        elif kind == "overtime":
            text.append("⏰time's up ", style="bold red")
        else:
            text.append(piece)
    return text


def render_report(report: Report) -> RenderableType:
    """The whole report: question, summary table and marked-up transcript."""
    parts: list[RenderableType] = []
    if report.question_text:
        parts.append(Text(report.question_text, style="bold"))
    if report.metrics.no_speech:
        parts.append(Text("No speech detected.", style="bold red"))
        return Group(*parts)
    parts.append(summary_table(report.metrics))
    possible = possible_fillers_text(report.metrics)
    if possible:
        parts.append(Text(possible))
    missing = missing_speech_text(report.transcript)
    if missing:
        parts.append(Text(missing, style="yellow"))
    if report.content is not None:
        parts.append(content_text(report.content))
    parts.append(Panel(transcript_text(report), title="transcript", title_align="left"))
    parts.append(
        Text(
            "Filler counts are lower bounds: many spoken fillers are not counted "
            "(see the possible fillers).",
            style="dim",
        )
    )
    return Group(*parts)


def key_point_text(k: KeyPointResult) -> Text:
    """One key point: its mark, its text, and the answer's words that matched each term."""
    line = Text()
    line.append(f"{k.mark} ", style=STATUS_STYLE[k.status])
    line.append(k.text, style="bold" if k.status != "not_checked" else "dim")
    if k.matches:
        line.append("  heard: ", style="dim")
        for n, m in enumerate(k.matches):
            if n:
                line.append(", ", style="dim")
            line.append(m.text, style="green")
            if m.how != "same":
                line.append(f" ({m.term}, {HOW_WORDS[m.how]})", style="dim")
    if k.status in ("partly", "missing") and k.missing:
        line.append(f"  not heard: {', '.join(k.missing)}", style="dim")
    if k.note:
        line.append(f"  ({k.note})", style="dim")
    return line


def signal_text(s: Signal) -> Text:
    line = Text()
    line.append("✓ " if s.found else "✗ ", style="bold green" if s.found else "bold yellow")
    line.append(signal_line(s)[2:])
    return line


def content_text(c: ContentReview) -> Text:
    """The "What was said" section: key points, then structure signals, as plain Text."""
    text = Text()
    text.append("What was said", style="bold")
    if c.key_points:
        text.append(f" · {c.summary()}\n", style="dim")
        for k in c.key_points:
            text.append_text(key_point_text(k))
            text.append("\n")
    else:
        text.append("\n")
    if c.structure is not None:
        text.append(f"Structure — {c.structure.title}\n", style="bold")
        for s in c.structure.signals:
            text.append_text(signal_text(s))
            text.append("\n")
    text.rstrip()
    return text
