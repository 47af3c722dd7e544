"""``kiosk stats``: is practice paying off? The progress summary without opening the booth.

Prints what the booth's progress screen says — the last answers against the ones before for
pace, fillers per minute and answers on target (rules in :mod:`kiosk.core.progress`) —
overall and per category, with the figures behind each verdict. ``--json`` gives the same
numbers to scripts.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kiosk.core.errors import BadInput

if TYPE_CHECKING:
    from kiosk.core.progress import Sample, Summary

    SubParsers = argparse._SubParsersAction[argparse.ArgumentParser]


def register(sub: SubParsers) -> None:
    p = sub.add_parser("stats", help="progress summary: pace, fillers and time on target")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.add_argument("--language", "--lang", default=None, help="only answers in zh or en")
    p.add_argument("--days", type=int, default=None, metavar="N", help="only the last N days")
    p.set_defaults(func=_run)


def load_samples(store: Any, language: str | None, days: int | None) -> list[Sample]:
    """Analysed answers oldest first, as the trends see them."""
    return [p.sample() for p in store.progress(language=language, days=days)]


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


def stats_dict(samples: Sequence[Sample]) -> dict[str, Any]:
    from kiosk.core.progress import THRESHOLDS, WINDOW, by_category, summarize

    return {
        "window": WINDOW,
        "thresholds": THRESHOLDS,
        "overall": _summary_dict(summarize(samples)),
        "categories": {name: _summary_dict(s) for name, s in by_category(samples).items()},
    }


def stats_lines(samples: Sequence[Sample]) -> list[str]:
    from kiosk.core.progress import by_category, summarize

    if not samples:
        return ["No analysed answers yet: practise in the booth (kiosk) first."]
    lines = ["Overall", *(f"  {line}" for line in summarize(samples).lines())]
    for name, summary in by_category(samples).items():
        lines += ["", name, *(f"  {line}" for line in summary.lines())]
    return lines


def _run(args: argparse.Namespace) -> int:
    from kiosk.commands.history import _opened

    if args.days is not None and args.days < 1:
        raise BadInput(f"bad --days {args.days}: give a number of days, 1 or more")
    with _opened() as store:
        samples = load_samples(store, args.language, args.days)
    if args.json:
        print(json.dumps(stats_dict(samples), ensure_ascii=False, indent=2))
    else:
        print("\n".join(stats_lines(samples)))
    return 0
