"""Time targets for an answer: a range of seconds such as 60–90.

Written by users as ``60`` (about 60 s, ±10 %: the timing-drill form), ``60-90`` or
``1m-1m30s``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiosk.core.errors import BadInput

_PART = re.compile(r"^\s*(?:(\d+(?:\.\d+)?)\s*m(?:in)?)?\s*(?:(\d+(?:\.\d+)?)\s*s?)?\s*$")


@dataclass(frozen=True, slots=True)
class Target:
    """Seconds an answer should last: ``low`` ≤ duration ≤ ``high``."""

    low: float
    high: float

    def __post_init__(self) -> None:
        if not (0 <= self.low <= self.high) or self.high <= 0 or self.high > 3600:
            raise BadInput(
                f"bad time target {self.low:g}-{self.high:g}: need 0 ≤ low ≤ high ≤ 3600"
            )

    def __str__(self) -> str:
        return f"{self.low:g}-{self.high:g} s"

    def verdict(self, duration: float) -> str:
        """``"too_short"``, ``"within"`` or ``"too_long"``."""
        if duration < self.low:
            return "too_short"
        if duration > self.high:
            return "too_long"
        return "within"


def _seconds(text: str, whole: str) -> float:
    m = _PART.match(text)
    if not text.strip() or m is None or (m.group(1) is None and m.group(2) is None):
        raise BadInput(f"bad time target {whole!r}: write seconds like 60, 60-90 or 1m-1m30s")
    return float(m.group(1) or 0) * 60 + float(m.group(2) or 0)


def parse_target(text: str) -> Target:
    """Parse ``"60"`` (about 60 s: 54–66), ``"60-90"`` or ``"1m-1m30s"``."""
    parts = re.split(r"\s*(?:-|–|~|to)\s*", text.strip(), maxsplit=1)
    if len(parts) == 1:
        limit = _seconds(parts[0], text)
        return Target(low=round(limit * 0.9, 1), high=round(limit * 1.1, 1))
    return Target(low=_seconds(parts[0], text), high=_seconds(parts[1], text))
