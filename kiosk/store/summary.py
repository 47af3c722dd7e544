"""The handful of report numbers the history copies into plain columns.

Progress charts and filters read these columns, so "my pace over the last 30 days" is one
indexed query rather than parsing every stored report. Both the store (when a report is
saved) and migration 2 (back-filling older rows) use :func:`summary_of`, so the two can
never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SUMMARY_COLUMNS = {
    "pace_value": "REAL",
    "pace_unit": "TEXT",
    "fillers_total": "INTEGER",
    "fillers_per_min": "REAL",
    "pauses_count": "INTEGER",
    "longest_pause_s": "REAL",
    "length_verdict": "TEXT",
    "pace_span_value": "REAL",
}
"""Column → SQL type of every number copied from a report (schema version 4 onwards)."""


def _pick(data: Mapping[str, Any], *paths: str) -> Any:
    """The first of the dotted ``paths`` present in ``data`` (None if none is)."""
    for path in paths:
        node: Any = data
        for key in path.split("."):
            node = node.get(key) if isinstance(node, Mapping) else None
        if node is not None:
            return node
    return None


def summary_of(report: Mapping[str, Any]) -> dict[str, Any]:
    """The indexed columns for one report dict (``Report.to_dict()``)."""
    m = report.get("metrics") if isinstance(report.get("metrics"), Mapping) else report
    assert isinstance(m, Mapping)
    return {
        "pace_value": _pick(m, "pace.value"),
        "pace_unit": _pick(m, "pace.unit"),
        "pace_span_value": _pick(m, "pace.span_value"),
        "fillers_total": _pick(m, "fillers.total"),
        "fillers_per_min": _pick(m, "fillers.per_minute", "fillers.per_min"),
        "pauses_count": _pick(m, "pauses.count"),
        "longest_pause_s": _pick(m, "pauses.longest_s"),
        "length_verdict": _pick(m, "length.verdict"),
        "duration_s": _pick(m, "duration_s", "length.duration_s"),
        "language": _pick(m, "language") or _pick(report, "language"),
    }
