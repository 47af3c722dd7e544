"""``kiosk stats``: is practice paying off? The progress summary without opening the booth.

Prints what the booth's progress screen says — the last answers against the ones before for
pace, fillers per minute and answers on target (rules in :mod:`kiosk.core.progress`), and
for what was said: key points covered and structure signals heard, as counts (rules in
:mod:`kiosk.core.content_progress`) — for each language on its own (Mandarin paces are
chars/min, English ones words/min, and the filler lexicons differ, so the two are never
mixed), overall and per category, with the figures behind each verdict and the latest
answer's figures written exactly as its report writes them. What was said is also shown
week by week (local ISO weeks, rules in :mod:`kiosk.core.content_weeks`), structure always
per frame. ``--json`` gives the same numbers to scripts.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from kiosk.core.errors import BadInput

if TYPE_CHECKING:
    from kiosk.core.progress import Sample, Summary

    SubParsers = argparse._SubParsersAction[argparse.ArgumentParser]

MAX_DAYS = 36_500
"""The longest look-back ``--days`` takes: a hundred years is "everything"."""
SUPPORTED = ("zh", "en")


def register(sub: SubParsers) -> None:
    p = sub.add_parser(
        "stats", help="progress summary: pace, fillers, time on target, key points, structure"
    )
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.add_argument(
        "--language", "--lang", default=None, help="only answers in zh (Mandarin) or en (English)"
    )
    p.add_argument(
        "--days", type=int, default=None, metavar="N", help=f"only the last N days (1–{MAX_DAYS})"
    )
    p.set_defaults(func=_run)


@dataclass(frozen=True, slots=True)
class Latest:
    """The newest analysed answer of a language, its figures as its report writes them."""

    attempt_id: int
    created_at: str
    length: str
    pace: str
    fillers: str

    def line(self) -> str:
        from kiosk.core.figures import when_text

        return (
            f"Latest answer #{self.attempt_id} ({when_text(self.created_at)}): "
            f"length {self.length}, pace {self.pace}, fillers {self.fillers}"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.attempt_id,
            "created_at": self.created_at,
            "length": self.length,
            "pace": self.pace,
            "fillers": self.fillers,
        }


def check_language(language: str | None) -> str | None:
    """``zh`` or ``en`` (any case), None for all; BadInput for any other language."""
    if language is None:
        return None
    code = language.strip().lower()
    if code not in SUPPORTED:
        raise BadInput(
            f"language {language!r} is not supported: give zh (Mandarin) or en (English)"
        )
    return code


def check_days(days: int | None) -> int | None:
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise BadInput(f"bad --days {days}: give a number of days from 1 to {MAX_DAYS}")
    return days


def load_samples(store: Any, language: str | None, days: int | None) -> list[Sample]:
    """Analysed answers oldest first, as the trends see them."""
    return [p.sample() for p in store.progress(language=language, days=days)]


def latest_figures(store: Any, points: Sequence[Any]) -> dict[str, Latest]:
    """The newest analysed answer of each language among ``points`` (the store's progress
    points, oldest first), with its length, pace and fillers."""
    from kiosk.core.figures import clock_text, fillers_text, pace_text
    from kiosk.core.progress import sample_language

    newest: dict[str, int] = {}
    for point in points:
        newest[sample_language(point.sample())] = point.attempt_id
    out = {}
    for code, attempt_id in newest.items():
        a = store.get(attempt_id)
        out[code] = Latest(
            a.id,
            a.created_at,
            clock_text(a.answer_s),
            pace_text(a.pace, a.pace_unit),
            fillers_text(a.fillers_total),
        )
    return out


def _summary_dict(summary: Summary) -> dict[str, Any]:
    return {
        "count": summary.count,
        "window": summary.window,
        "trends": [
            {
                "metric": t.metric,
                "earlier": t.earlier,
                "recent": t.recent,
                "change": t.change,
                "verdict": t.verdict,
                "unit": t.unit.strip(),
            }
            for t in summary.trends
        ],
        "improved": [t.metric for t in summary.improved],
        "worse": [t.metric for t in summary.worse],
    }


def stats_dict(
    samples: Sequence[Sample],
    latest: Mapping[str, Latest] | None = None,
    tz: tzinfo | None = None,
) -> dict[str, Any]:
    """Per language: the overall summary, one per category, and the latest answer; each
    with its ``content`` (key points covered and structure signals heard) and its
    ``weeks`` (the same, per local ISO week — ``tz``, or the system's time zone)."""
    from kiosk.core.content_progress import (
        CONTENT_THRESHOLDS,
        content_by_category,
        summarize_content,
    )
    from kiosk.core.content_weeks import by_week, weeks_by_category
    from kiosk.core.progress import (
        LANGUAGE_NAMES,
        THRESHOLDS,
        WINDOW,
        by_category,
        by_language,
        main_unit,
        summarize,
    )

    latest = latest or {}
    languages = {}
    for code, group in by_language(samples).items():
        recent = latest.get(code)
        content = content_by_category(group)
        weeks = weeks_by_category(group, tz)
        languages[code] = {
            "name": LANGUAGE_NAMES.get(code, code),
            "supported": code in SUPPORTED,
            "pace_unit": main_unit(group),
            "count": len(group),
            "latest": recent.as_dict() if recent else None,
            "overall": {
                **_summary_dict(summarize(group)),
                "content": summarize_content(group).as_dict(),
                "weeks": [w.as_dict() for w in by_week(group, tz)],
            },
            "categories": {
                name: {
                    **_summary_dict(s),
                    "content": content[name].as_dict(),
                    "weeks": [w.as_dict() for w in weeks[name]],
                }
                for name, s in by_category(group).items()
            },
        }
    thresholds: dict[str, float] = {**THRESHOLDS, **CONTENT_THRESHOLDS}
    return {"window": WINDOW, "thresholds": thresholds, "languages": languages}


def stats_lines(
    samples: Sequence[Sample],
    latest: Mapping[str, Latest] | None = None,
    language: str | None = None,
    tz: tzinfo | None = None,
) -> list[str]:
    """One section per language (Mandarin, then English), each overall and per category:
    delivery, then what was said — the trend, then a table of the latest weeks (local ISO
    weeks: ``tz``, or the system's time zone) — or one line for the language when no answer
    in it had its key points or structure checked."""
    from kiosk.core.content_progress import content_by_category, summarize_content
    from kiosk.core.content_weeks import WEEK_HEADING, by_week, week_table, weeks_by_category
    from kiosk.core.progress import by_category, by_language, language_title, main_unit, summarize

    latest = latest or {}
    if not samples:
        which = f" in {language_title(language)}" if language else ""
        return [f"No analysed answers{which} yet: practise in the booth (kiosk) first."]
    lines: list[str] = []
    others: list[str] = []
    for code, group in by_language(samples).items():
        if code not in SUPPORTED:
            others.append(f"{code} ×{len(group)}")
            continue
        if lines:
            lines.append("")
        unit = main_unit(group)
        lines.append(f"{language_title(code)}" + (f" · pace in {unit}" if unit else ""))
        if code in latest:
            lines.append(f"  {latest[code].line()}")
        content = summarize_content(group)
        per_category = content_by_category(group) if content.count else {}
        weeks = weeks_by_category(group, tz) if content.count else {}
        lines += [
            "  Overall",
            *(f"    {line}" for line in summarize(group).lines()),
            *(f"    {line}" for line in content.lines()),
            *_weeks_block(week_table(by_week(group, tz)), WEEK_HEADING),
        ]
        for name, summary in by_category(group).items():
            lines += [f"  {name}", *(f"    {line}" for line in summary.lines())]
            if name in per_category:
                lines += [f"    {line}" for line in per_category[name].lines()]
                lines += _weeks_block(week_table(weeks[name]), "What was said by week:")
    if others:
        lines += [
            *([""] if lines else []),
            f"Not included — answers in other languages ({', '.join(others)}): "
            "only zh and en are supported.",
        ]
    return lines


def _weeks_block(table: list[str], heading: str) -> list[str]:
    """The week table under its heading, indented as the group's lines (nothing when the
    table is empty)."""
    return [f"    {heading}", *(f"      {row}" for row in table)] if table else []


def _run(args: argparse.Namespace) -> int:
    from kiosk.commands.common import opened_history

    language = check_language(args.language)
    days = check_days(args.days)
    with opened_history() as store:
        points = store.progress(language=language, days=days)
        samples = [p.sample() for p in points]
        latest = latest_figures(store, points)
    if args.json:
        print(json.dumps(stats_dict(samples, latest), ensure_ascii=False, indent=2))
    else:
        print("\n".join(stats_lines(samples, latest, language)))
    return 0
