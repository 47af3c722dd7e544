"""The handful of report numbers the history copies into plain columns.

Progress charts and filters read these columns, so "my pace over the last 30 days" is one
indexed query rather than parsing every stored report. Both the store (when a report is
saved) and the migrations that back-fill older rows (2, 4 and 6) use :func:`summary_of`,
so the two can never disagree.

The content figures (key points covered, partly and checked; structure signals found of
those checked for the question's kind) are counts, not a score: "3 of 4 key points
covered" and "4 of 6 STAR signals heard" are what the history shows and compares.
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
    "key_points_covered": "INTEGER",
    "key_points_partly": "INTEGER",
    "key_points_checked": "INTEGER",
    "structure_found": "INTEGER",
    "structure_checked": "INTEGER",
    "structure_frame": "TEXT",
}
"""Column → SQL type of every number copied from a report (schema version 6 onwards)."""

CONTENT_COLUMNS = (
    "key_points_covered",
    "key_points_partly",
    "key_points_checked",
    "structure_found",
    "structure_checked",
    "structure_frame",
)
"""The content figures among them (NULL for an answer whose question was not known)."""


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
        **content_figures(report.get("content") or m.get("content")),
    }


def content_figures(content: Any) -> dict[str, Any]:
    """The content columns for a report's ``content`` (``ContentReview.to_dict()``).

    Key points: how many were covered, partly covered, and checked (covered + partly +
    missing; the ones no words can show are never counted), 0 of 0 when the question has
    none. Structure: how many of the signals checked for the question's kind were found
    (STAR: situation, task, action, result, in order, results quantified; 总分总: answer
    first, points, closing summary, and numbers for an introduction; a reverse question:
    asks one), with the frame. All None when there was no content review (the question was
    not known) and the structure ones when the kind has no frame."""
    out: dict[str, Any] = dict.fromkeys(CONTENT_COLUMNS)
    if not isinstance(content, Mapping):
        return out
    points = [k for k in content.get("key_points") or () if isinstance(k, Mapping)]
    statuses = [k.get("status") for k in points]
    covered, partly = statuses.count("covered"), statuses.count("partly")
    out["key_points_covered"] = covered
    out["key_points_partly"] = partly
    out["key_points_checked"] = covered + partly + statuses.count("missing")
    structure = content.get("structure")
    if isinstance(structure, Mapping):
        signals = [s for s in structure.get("signals") or () if isinstance(s, Mapping)]
        out["structure_found"] = sum(1 for s in signals if s.get("found") is True)
        out["structure_checked"] = len(signals)
        out["structure_frame"] = structure.get("frame")
    return out
