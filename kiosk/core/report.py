"""The report of one answer: transcript + metrics + where it came from, as JSON or Markdown.

The JSON form (:meth:`Report.to_dict`) is a stable, versioned schema: ``kiosk analyze
--json`` prints it and the history stores it, so :meth:`Report.from_dict` must read back
everything written by the same ``SCHEMA_VERSION``. Add fields freely; renaming or removing
one needs a new version. The schema is documented in docs/METRICS.md.

The Markdown form marks fillers in place (``**嗯**``) and long pauses (``⏸1.2s``), so a
saved answer can be re-read without the app. Every figure in it (and in the JSON's
``figures``) is written by :mod:`kiosk.core.figures`, as on every screen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from kiosk.core.content import ContentReview
from kiosk.core.coverage import coverage, speech_in, untranscribed
from kiosk.core.errors import BadInput
from kiosk.core.figures import (
    clock_text,
    fillers_text,
    pace_text,
    speaking_pace_text,
    target_text,
    verdict_text,
)
from kiosk.core.fillers import ROLE_WORDS, Filler, PossibleFiller
from kiosk.core.keypoints import HOW_WORDS, KeyPointResult
from kiosk.core.metrics import (
    FillerStats,
    Length,
    LongWord,
    Metrics,
    Pace,
    Pause,
    PauseStats,
)
from kiosk.core.structure import Signal
from kiosk.core.target import Target
from kiosk.core.transcript import Span, Transcript, Word, join_words

SCHEMA_VERSION = 1


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True, slots=True)
class Report:
    """Everything known about one analysed answer."""

    transcript: Transcript
    metrics: Metrics
    source: str | None = None
    question_id: str | None = None
    question_text: str | None = None
    model: str | None = None
    created_at: datetime = field(default_factory=_now)
    content: ContentReview | None = None
    """Key points and structure against the question (None: question unknown)."""

    @property
    def language(self) -> str:
        return self.transcript.language

    def to_dict(self) -> dict[str, Any]:
        return _report_dict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        """Read a dict written by :meth:`to_dict`; :class:`BadInput` if it is not one."""
        try:
            return _report_from(data)
        except (KeyError, TypeError, ValueError) as exc:
            raise BadInput(f"not a kiosk report (schema {SCHEMA_VERSION}): {exc!r}") from None

    def to_markdown(self) -> str:
        return "\n".join(_markdown(self)) + "\n"


# ---- to_dict -------------------------------------------------------------------------


def _word(w: Word) -> dict[str, Any]:
    return {"text": w.text, "start": w.start, "end": w.end, "probability": w.probability}


def _filler(f: Filler) -> dict[str, Any]:
    return {
        "text": f.text,
        "kind": f.kind,
        "words": list(f.words),
        "marks": [list(m) for m in f.marks],
        "start": f.start,
        "end": f.end,
        "repeats": f.repeats,
    }


def _possible(p: PossibleFiller) -> dict[str, Any]:
    return {
        "text": p.text,
        "reason": p.reason,
        "word": p.word,
        "chars": list(p.chars),
        "start": p.start,
        "end": p.end,
    }


def _target(t: Target | None) -> dict[str, float] | None:
    return None if t is None else {"low": t.low, "high": t.high}


def figures(m: Metrics) -> dict[str, str]:
    """The headline figures as every screen, listing and export writes them."""
    return {
        "length": clock_text(m.length.duration_s),
        "pace": pace_text(m.pace.headline, m.pace.unit),
        "speaking_pace": speaking_pace_text(m.pace.value, m.pace.unit),
        "fillers": fillers_text(m.fillers.total),
    }


def _report_dict(r: Report) -> dict[str, Any]:
    m, t = r.metrics, r.transcript
    return {
        "schema_version": SCHEMA_VERSION,
        "created_at": r.created_at.isoformat(),
        "source": r.source,
        "model": r.model,
        "question": {"id": r.question_id, "text": r.question_text},
        "language": t.language,
        "duration_s": t.duration,
        "speaking_s": m.speaking_s,
        "span_s": m.span_s,
        "transcript": {
            "text": t.text,
            "words": [_word(w) for w in t.words],
            "speech": [{"start": s.start, "end": s.end} for s in t.speech],
            "notes": list(t.notes),
            "coverage": round(coverage(t.speech, t.words), 4),
            "untranscribed": [
                {"start": s.start, "end": s.end, "speech_s": round(speech_in(t.speech, s), 3)}
                for s in untranscribed(t.speech, t.words)
            ],
        },
        "pace": {
            "value": m.pace.value,
            "span_value": m.pace.span_value,
            "unit": m.pace.unit,
            "units": m.pace.units,
            "band": list(m.pace.band),
            "verdict": m.pace.verdict,
        },
        "fillers": {
            "total": m.fillers.total,
            "at_least": True,
            "per_minute": m.fillers.per_minute,
            "per_100": m.fillers.per_100,
            "by_word": dict(m.fillers.by_word),
            "loops": m.fillers.loops,
            "items": [_filler(f) for f in m.fillers.items],
            "possible": [_possible(p) for p in m.fillers.possible],
        },
        "pauses": {
            "threshold_s": m.pauses.threshold_s,
            "count": m.pauses.count,
            "longest_s": m.pauses.longest_s,
            "total_s": m.pauses.total_s,
            "time_to_first_word_s": m.pauses.time_to_first_word_s,
            "items": [
                {"start": p.start, "end": p.end, "before_word": p.before_word}
                for p in m.pauses.items
            ],
        },
        "length": {
            "duration_s": m.length.duration_s,
            "target": _target(m.length.target),
            "verdict": m.length.verdict,
            "target_end_word": m.length.target_end_word,
        },
        "long_words": [
            {"index": w.index, "text": w.text, "start": w.start, "end": w.end} for w in m.long_words
        ],
        "figures": figures(m),
        "content": None if r.content is None else r.content.to_dict(),
    }


# ---- from_dict -----------------------------------------------------------------------


def _report_from(d: dict[str, Any]) -> Report:
    if d.get("schema_version") != SCHEMA_VERSION:
        raise ValueError(f"schema_version {d.get('schema_version')!r}")
    td = d["transcript"]
    transcript = Transcript(
        language=d["language"],
        duration=float(d["duration_s"]),
        words=tuple(
            Word(w["text"], w["start"], w["end"], w.get("probability", 1.0)) for w in td["words"]
        ),
        speech=tuple(Span(s["start"], s["end"]) for s in td["speech"]),
        notes=tuple(td.get("notes", ())),
    )
    q = d.get("question") or {}
    return Report(
        transcript=transcript,
        metrics=_metrics_from(d),
        source=d.get("source"),
        question_id=q.get("id"),
        question_text=q.get("text"),
        model=d.get("model"),
        created_at=datetime.fromisoformat(d["created_at"]),
        content=ContentReview.from_dict(d["content"]) if d.get("content") else None,
    )


def _metrics_from(d: dict[str, Any]) -> Metrics:
    p, f, ps, ln = d["pace"], d["fillers"], d["pauses"], d["length"]
    tgt = ln["target"]
    return Metrics(
        language=d["language"],
        duration_s=d["duration_s"],
        speaking_s=d["speaking_s"],
        span_s=d["span_s"],
        pace=Pace(
            p["value"], p["span_value"], p["unit"], p["units"], tuple(p["band"]), p["verdict"]
        ),
        fillers=FillerStats(
            total=f["total"],
            per_minute=f["per_minute"],
            per_100=f["per_100"],
            by_word=dict(f["by_word"]),
            items=tuple(
                Filler(
                    text=i["text"],
                    kind=i["kind"],
                    words=tuple(i["words"]),
                    marks=tuple((a, b, c) for a, b, c in i["marks"]),
                    start=i["start"],
                    end=i["end"],
                    repeats=i["repeats"],
                )
                for i in f["items"]
            ),
            loops=f["loops"],
            possible=tuple(
                PossibleFiller(
                    text=i["text"],
                    reason=i["reason"],
                    word=i["word"],
                    chars=(i["chars"][0], i["chars"][1]),
                    start=i["start"],
                    end=i["end"],
                )
                for i in f.get("possible", ())
            ),
        ),
        pauses=PauseStats(
            threshold_s=ps["threshold_s"],
            count=ps["count"],
            longest_s=ps["longest_s"],
            total_s=ps["total_s"],
            time_to_first_word_s=ps["time_to_first_word_s"],
            items=tuple(Pause(i["start"], i["end"], i["before_word"]) for i in ps["items"]),
        ),
        length=Length(
            duration_s=ln["duration_s"],
            target=None if tgt is None else Target(tgt["low"], tgt["high"]),
            verdict=ln["verdict"],
            target_end_word=ln["target_end_word"],
        ),
        long_words=tuple(
            LongWord(w["index"], w["text"], w["start"], w["end"]) for w in d["long_words"]
        ),
    )


# ---- Markdown ------------------------------------------------------------------------


def segments(
    report: Report, highlight: Iterable[tuple[int, int, int]] = ()
) -> Iterator[tuple[str, str]]:
    """The transcript as (kind, text) pieces in reading order, for any renderer.

    kind is ``"text"``, ``"filler"``, ``"pause"`` (text = seconds, e.g. ``"1.2"``),
    ``"space"``, ``"overtime"`` (a marker where the target's upper end fell) or
    ``"match"``: words in ``highlight`` ((word, start char, end char) marks, e.g. the words
    that covered a key point) that are not fillers.
    """
    words = report.transcript.words
    m = report.metrics
    marks: dict[int, list[tuple[int, int, str]]] = {}
    for f in m.fillers.items:
        for wi, s, e in f.marks:
            marks.setdefault(wi, []).append((s, e, "filler"))
    for wi, s, e in highlight:
        marks.setdefault(wi, []).append((s, e, "match"))
    pauses: dict[int, list[Pause]] = {}
    for p in m.pauses.items:
        pauses.setdefault(p.before_word, []).append(p)
    prev = ""
    for i, w in enumerate(words):
        for p in pauses.get(i, []):
            yield "pause", f"{p.duration:.1f}"
        if i == m.length.target_end_word:
            yield "overtime", ""
        text = w.text.strip()
        if prev and text and _spaced(prev, text):
            yield "space", " "
        yield from _split_marked(text, sorted(marks.get(i, [])))
        prev = text or prev
    for p in pauses.get(len(words), []):
        yield "pause", f"{p.duration:.1f}"


def _spaced(left: str, right: str) -> bool:
    return join_words([left, right]) != left + right


def _split_marked(text: str, ranges: list[tuple[int, int, str]]) -> Iterator[tuple[str, str]]:
    # Fillers first where ranges overlap: a filler inside a matched phrase stays a filler.
    kinds = ["text"] * len(text)
    for s, e, kind in sorted(ranges, key=lambda r: r[2] == "filler"):
        for k in range(max(s, 0), min(e, len(text))):
            kinds[k] = kind
    pos = 0
    while pos < len(text):
        end = pos
        while end < len(text) and kinds[end] == kinds[pos]:
            end += 1
        yield kinds[pos], text[pos:end]
        pos = end


POSSIBLE_SHOWN = 5
"""Possible fillers named in a report; the rest are counted ("and 3 more")."""


def not_counted(m: Metrics) -> list[tuple[str, float, str]]:
    """``(text, start, why)`` of every possible filler that was not counted, in time
    order: a 啊 after a word (why: "end of a sentence", "inside a sentence") and a word
    held unusually long, which often hides a hesitation (why: "held 1.4 s")."""
    counted = {i for f in m.fillers.items for i in f.words}
    listed = {p.word for p in m.fillers.possible}
    items = [(p.text, p.start, ROLE_WORDS[p.reason]) for p in m.fillers.possible]
    items += [
        (w.text.strip(), w.start, f"held {w.duration:.1f} s")
        for w in m.long_words
        if w.index not in counted and w.index not in listed
    ]
    return sorted(items, key=lambda item: item[1])


def possible_fillers_text(m: Metrics) -> str | None:
    """One sentence for every report: ``2 possible fillers not counted: 啊 at 0:12 (end
    of a sentence), 然后 at 0:31 (held 1.4 s)``; None when there are none."""
    items = not_counted(m)
    if not items:
        return None
    named = ", ".join(
        f"{text} at {clock_text(start)} ({why})" for text, start, why in items[:POSSIBLE_SHOWN]
    )
    more = f", and {len(items) - POSSIBLE_SHOWN} more" if len(items) > POSSIBLE_SHOWN else ""
    noun = "possible filler" if len(items) == 1 else "possible fillers"
    return f"{len(items)} {noun} not counted: {named}{more}"


def missing_speech_text(t: Transcript) -> str | None:
    """``4.6 s of speech at 0:10 could not be transcribed`` (each stretch, joined), or
    None when every stretch of speech has words: what the figures do not include."""
    gaps = untranscribed(t.speech, t.words)
    if not gaps:
        return None
    said = "; ".join(f"{speech_in(t.speech, g):.1f} s at {clock_text(g.start)}" for g in gaps)
    return f"Speech that could not be transcribed (not in the figures): {said}"


def _markdown(r: Report) -> Iterator[str]:
    m = r.metrics
    yield f"# Answer — {r.created_at:%Y-%m-%d %H:%M} UTC"
    yield ""
    if r.question_text:
        yield f"**Question:** {r.question_text}"
        yield ""
    if m.no_speech:
        yield "_No speech detected._"
        return
    shown = figures(m)
    length = shown["length"]
    if m.length.target is not None:
        aim = target_text(m.length.target.low, m.length.target.high)
        length += f" (target {aim}: {verdict_text(m.length.verdict)})"
    yield f"- Length: {length}"
    yield f"- Pace: {shown['pace']} ({verdict_text(m.pace.verdict)}); {shown['speaking_pace']}"
    by_word = ", ".join(f"{k} ×{v}" for k, v in m.fillers.by_word.items())
    yield f"- Fillers: {shown['fillers']}" + (f" ({by_word})" if by_word else "")
    possible = possible_fillers_text(m)
    if possible:
        yield f"- {possible}"
    missing = missing_speech_text(r.transcript)
    if missing:
        yield f"- {missing}"
    yield (
        f"- Pauses ≥ {m.pauses.threshold_s:g} s: {m.pauses.count}, "
        f"longest {m.pauses.longest_s:.1f} s; first word after "
        f"{m.pauses.time_to_first_word_s:.1f} s"
    )
    if r.content is not None:
        yield ""
        yield from content_markdown(r.content)
    yield ""
    yield "## Transcript"
    yield ""
    out = []
    for kind, text in segments(r):
        if kind == "filler":
            out.append(f"**{text}**")
        elif kind == "pause":
            out.append(f" ⏸{text}s ")
        elif kind == "overtime":
            out.append(" ⏰ ")
        else:
            out.append(text)
    yield re.sub(r" {2,}", " ", "".join(out)).strip()


# ---- what was said -------------------------------------------------------------------


def key_point_line(k: KeyPointResult) -> str:
    """``✓ 检索增强适合知识多变 — heard: RAG (检索增强, synonym), 知识 …`` as plain text."""
    line = f"{k.mark} {k.text}"
    if k.matches:
        heard = ", ".join(
            f"{m.text} ({m.term}, {HOW_WORDS[m.how]})" if m.how != "same" else m.text
            for m in k.matches
        )
        line += f" — heard: {heard}"
    if k.status in ("partly", "missing") and k.missing:
        line += f"; not heard: {', '.join(k.missing)}"
    if k.note:
        line += f" ({k.note})"
    return line


def signal_line(s: Signal) -> str:
    """``✓ Situation (背景): 当时`` or ``✗ Task (任务): not heard; e.g. …`` as plain text."""
    line = f"{s.mark} {s.label}"
    # the order's note already names each part with its words
    words = "" if s.key == "order" else " · ".join(e.text for e in s.evidence)
    if words:
        line += f": {words}"
    if s.note:
        line += f" ({s.note})" if words else f": {s.note}"
    return line


def content_markdown(c: ContentReview) -> Iterator[str]:
    """The "What was said" section of the Markdown report."""
    yield "## What was said"
    yield ""
    if c.key_points:
        yield f"**Key points:** {c.summary()}"
        yield ""
        for k in c.key_points:
            yield f"- {_md_escape(key_point_line(k))}"
        yield ""
    if c.structure is not None:
        yield f"**Structure — {c.structure.title}:**"
        yield ""
        for s in c.structure.signals:
            yield f"- {_md_escape(signal_line(s))}"


def _md_escape(text: str) -> str:
    """Words of the answer as literal Markdown text (no emphasis, links or HTML)."""
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)
