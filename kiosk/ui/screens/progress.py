"""Progress: pace, filler rate and time-on-target over the answers kept, as terminal plots,
and what was said: key points covered and structure signals heard.

Three small plots (textual-plotext) over the analysed answers in order, for one language
at a time (Mandarin and English paces and fillers are never mixed, as in ``kiosk stats``)
and all categories or one, and the same text summary as ``kiosk stats`` — what improved
and what did not, by the rules stated in :mod:`kiosk.core.progress`. The pace is the
headline pace (first to last word) every report shows; the comfortable band is drawn as
two lines so "closer to the band" can be seen, not just read.

``c`` switches the plots and the summary to what was said (rules in
:mod:`kiosk.core.content_progress`): the share of each answer's key points covered, the
share of its structure signals heard, and the key points covered over the last five
answers, with the counts behind each share in the summary (and one line per category when
all are shown), and under it the latest weeks as a table (rules in
:mod:`kiosk.core.content_weeks`: local ISO weeks, counts pooled, structure per frame) for
the category chosen, or all; ``c`` again goes back to delivery.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Select, Static
from textual_plotext import PlotextPlot

from kiosk.core.content_progress import (
    content_by_category,
    rolling_share,
    share_series,
    summarize_content,
)
from kiosk.core.content_weeks import WEEK_HEADING, by_week, week_table
from kiosk.core.metrics import BANDS
from kiosk.core.progress import (
    Sample,
    by_language,
    language_title,
    main_unit,
    rolling_rate,
    summarize,
)
from kiosk.store.database import Store
from kiosk.ui.screens.base import BoothScreen
from kiosk.ui.widgets.titlebar import TitleBar

ALL = "__all__"


def answer_ticks(first: int, last: int, most: int = 6) -> list[int]:
    """Whole answer numbers for a chart's x axis: ``first``, ``last`` and evenly spaced
    ones between, at most ``most`` in all (the plotting library's own ticks are fractions)."""
    step = max(1, -(-(last - first) // (most - 1)))
    ticks = list(range(first, last + 1, step))
    if ticks[-1] != last:
        if len(ticks) > 1 and last - ticks[-1] <= step / 2:
            ticks.pop()  # too close to the last answer to label both
        ticks.append(last)
    return ticks


class ProgressScreen(BoothScreen):
    """Trends over the answers kept."""

    DEFAULT_CSS = """
    ProgressScreen #progress-controls { height: auto; padding: 0 1; }
    ProgressScreen #progress-controls Select { width: 40; }
    ProgressScreen #progress-controls #p-language { width: 24; }
    ProgressScreen #progress-plots { grid-size: 3; height: 1fr; min-height: 10; }
    ProgressScreen PlotextPlot { border: round #3b4756; }
    ProgressScreen #progress-text { height: auto; max-height: 50%; margin-bottom: 1; }
    ProgressScreen #progress-summary { height: auto; padding: 0 2; }
    ProgressScreen #progress-weeks { height: auto; padding: 0 2; margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "view('content')", "Key points & structure"),
        Binding("c", "view('delivery')", "Delivery"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, store: Store, language: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.language = language
        samples = [p.sample() for p in store.progress(language=language)]
        self.groups: dict[str, list[Sample]] = by_language(samples)
        # The language with the most answers first; Mandarin before English on a tie.
        self.languages = sorted(self.groups, key=lambda code: -len(self.groups[code]))
        self.current = self.languages[0] if self.languages else ""
        self.category = ALL
        self.view = "delivery"
        """What the plots and summary show: ``delivery`` or ``content`` (what was said)."""

    @property
    def samples(self) -> list[Sample]:
        """The answers in the chosen language, oldest first."""
        return self.groups.get(self.current, [])

    def compose(self) -> ComposeResult:
        categories = sorted({s.category for g in self.groups.values() for s in g if s.category})
        yield TitleBar("Progress")
        with Vertical():
            with Horizontal(id="progress-controls"):
                yield Select(
                    [("All categories", ALL), *((Text(c), c) for c in categories)],
                    value=ALL,
                    allow_blank=False,
                    id="p-category",
                )
                if self.languages:
                    yield Select(
                        [(language_title(code), code) for code in self.languages],
                        value=self.current,
                        allow_blank=False,
                        id="p-language",
                    )
            with Grid(id="progress-plots"):
                yield PlotextPlot(id="plot-pace")
                yield PlotextPlot(id="plot-fillers")
                yield PlotextPlot(id="plot-target")
            with VerticalScroll(id="progress-text"):
                yield Static(id="progress-summary")
                yield Static(id="progress-weeks")
        yield Footer()

    def on_mount(self) -> None:
        self.show(ALL)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "view":
            return parameters[0] != self.view  # the key offers the other view only
        return True

    def action_view(self, view: str) -> None:
        self.view = view
        self.refresh_bindings()
        self.show(self.category)

    def on_select_changed(self, event: Select.Changed) -> None:
        value = event.value if isinstance(event.value, str) else None
        if event.select.id == "p-language":
            self.current = value or self.current
            self.show(self.category)
        else:
            self.show(value or ALL)

    def chosen(self, category: str) -> list[Sample]:
        return [s for s in self.samples if category == ALL or s.category == category]

    def show(self, category: str) -> None:
        self.category = category
        samples = self.chosen(category)
        if self.view == "content":
            self._plot_content(samples)
            lines = self._content_lines(samples, category)
        else:
            self._plot_pace(samples)
            self._plot_fillers(samples)
            self._plot_target(samples)
            lines = summarize(samples).lines() if samples else ["No analysed answers yet."]
        if self.current:
            lines = [f"{language_title(self.current)}: {lines[0]}", *lines[1:]]
        self.query_one("#progress-summary", Static).update(Text("\n".join(lines)))
        table = week_table(by_week(samples)) if self.view == "content" else []
        weeks = self.query_one("#progress-weeks", Static)
        weeks.display = bool(table)
        weeks.update(Text("\n".join([WEEK_HEADING, *(f"  {row}" for row in table)])))

    def _content_lines(self, samples: Sequence[Sample], category: str) -> list[str]:
        """The content summary; with all categories, one line per category after it."""
        if not samples:
            return ["No analysed answers yet."]
        summary = summarize_content(samples)
        lines = summary.lines()
        if category == ALL and summary.count:
            lines += [f"{name}: {s.brief()}" for name, s in content_by_category(samples).items()]
        return lines

    def _plot_content(self, samples: Sequence[Sample]) -> None:
        self._draw(
            "#plot-pace",
            "Key points (%)",
            share_series(samples, "key_points"),
            ylim=(0, 100),
        )
        self._draw(
            "#plot-fillers",
            "Structure (%)",
            share_series(samples, "structure"),
            ylim=(0, 100),
        )
        self._draw(
            "#plot-target",
            "Key points, last 5",
            rolling_share(samples, "key_points"),
            ylim=(0, 100),
        )

    def _plot_pace(self, samples: Sequence[Sample]) -> None:
        unit = main_unit(samples) or "chars/min"
        points = [(i + 1, s.pace) for i, s in enumerate(samples) if s.pace_unit == unit]
        band = BANDS.get(unit, (0.0, 0.0))
        self._draw("#plot-pace", f"Pace ({unit})", points, hlines=band)

    def _plot_fillers(self, samples: Sequence[Sample]) -> None:
        points = [(i + 1, s.fillers_per_min) for i, s in enumerate(samples)]
        kept = [(x, y) for x, y in points if y is not None]
        self._draw("#plot-fillers", "Fillers per minute", kept)

    def _plot_target(self, samples: Sequence[Sample]) -> None:
        rates = rolling_rate([s.on_target for s in samples])
        kept = [(i + 1, 100 * r) for i, r in enumerate(rates) if r is not None]
        self._draw("#plot-target", "On target, last 5 (%)", kept, ylim=(0, 100))

    def _draw(
        self,
        plot_id: str,
        title: str,
        points: Sequence[tuple[int, float | None]],
        *,
        hlines: Sequence[float] = (),
        ylim: tuple[float, float] | None = None,
    ) -> None:
        """Redraw one chart: ``points`` as a line, with green ``hlines`` and the y range
        ``ylim`` when there is anything to show; only the title when there is not."""
        plot = self.query_one(plot_id, PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title(title)
        if points:
            xs = [x for x, _ in points]
            plt.plot(xs, [y for _, y in points], marker="braille")
            ticks = answer_ticks(min(xs), max(xs))
            plt.xticks([float(t) for t in ticks], [str(t) for t in ticks])
            for y in hlines:
                plt.hline(y, "green")
            if ylim is not None:
                plt.ylim(*ylim)
        plot.refresh()

    def action_back(self) -> None:
        self.app.pop_screen()
