"""What was said, against the question: the key points covered and the answer's structure,
together as one review (kept on the report, shown by the booth and the exports).

The key points are checked by :mod:`kiosk.core.keypoints` and the structure signals by
:mod:`kiosk.core.structure`; this module joins them, so neither imports the other's
results. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from kiosk.core.keypoints import KeyPointResult, Match, check_key_points
from kiosk.core.structure import StructureReview, check_structure
from kiosk.core.transcript import Word


class QuestionLike(Protocol):
    """What the content review needs to know about the question."""

    @property
    def id(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def kind(self) -> Any: ...
    @property
    def key_points(self) -> tuple[str, ...]: ...


@dataclass(frozen=True, slots=True)
class ContentReview:
    """What was said, against the question: its key points and the answer's structure."""

    key_points: tuple[KeyPointResult, ...] = ()
    structure: StructureReview | None = None

    def counts(self) -> dict[str, int]:
        out = {"covered": 0, "partly": 0, "missing": 0, "not_checked": 0}
        for k in self.key_points:
            out[k.status] += 1
        return out

    def summary(self) -> str:
        """``2 of 4 key points covered, 1 partly`` — never a bare score."""
        c = self.counts()
        checked = c["covered"] + c["partly"] + c["missing"]
        if not self.key_points:
            return "no key points for this question"
        text = f"{c['covered']} of {checked} key points covered"
        if c["partly"]:
            text += f", {c['partly']} partly"
        if c["not_checked"]:
            text += f" ({c['not_checked']} not checked)"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "summary": self.summary(),
            "key_points": [_kp_dict(k) for k in self.key_points],
            "structure": None if self.structure is None else self.structure.to_dict(),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ContentReview:
        s = d.get("structure")
        return cls(
            key_points=tuple(_kp_from(k) for k in d.get("key_points", ())),
            structure=None if s is None else StructureReview.from_dict(s),
        )


def _kp_dict(k: KeyPointResult) -> dict[str, Any]:
    return {
        "text": k.text,
        "status": k.status,
        "matches": [
            {
                "term": m.term,
                "text": m.text,
                "how": m.how,
                "marks": [list(x) for x in m.marks],
                "start": m.start,
                "end": m.end,
            }
            for m in k.matches
        ],
        "missing": list(k.missing),
        "note": k.note,
    }


def _kp_from(d: dict[str, Any]) -> KeyPointResult:
    return KeyPointResult(
        text=d["text"],
        status=d["status"],
        matches=tuple(
            Match(
                term=m["term"],
                text=m["text"],
                how=m["how"],
                marks=tuple((a, b, c) for a, b, c in m["marks"]),
                start=m["start"],
                end=m["end"],
            )
            for m in d.get("matches", ())
        ),
        missing=tuple(d.get("missing", ())),
        note=d.get("note", ""),
    )


def review_content(
    words: Sequence[Word], question: QuestionLike, language: str = ""
) -> ContentReview:
    """Key points and structure of an answer to ``question``."""
    key_points = check_key_points(words, question.key_points, question.text)
    structure = check_structure(words, str(getattr(question.kind, "value", question.kind)))
    return ContentReview(key_points, structure)
