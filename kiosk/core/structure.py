"""Structure signals of an answer, chosen by the kind of question.

What Chinese interview coaching asks for, checked with cue words a user can see:

* **Behavioural** questions (讲一次…的经历, tell me about a time): a STAR story — situation
  (当时 / at the time), task (目标是 / my goal), action (我先 / I decided), result (最后 /
  as a result) — told in that order, with the result **quantified**.
* **Knowledge, opinion, design and motivation** questions: 总分总 — a first sentence that
  answers (我觉得 / in short / 主要有三点), enumerated points (第一 / 其次 / 最后, first /
  second / finally) and a closing summary (总的来说 / so overall). Self-introductions use
  总分总 too and should carry numbers.
* **Reverse** questions (你有什么想问我们的吗): the candidate actually asks something.

Every signal carries the words that triggered it (:class:`Evidence`, with transcript marks
for highlighting) or, when not found, a note saying what would have counted. There is no
score. Pure: only :mod:`kiosk.core.keypoints` (for the folded match text) and the standard
library.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kiosk.core.keypoints import AnswerText, form_key
from kiosk.core.transcript import Word

OPENING_UNITS = 40
"""The opening is the first sentence, and at most this many units (Han chars or words)."""
CLOSING_UNITS = 40
"""The closing is the last sentence, and at most this many units."""


def _cues(text: str) -> tuple[str, ...]:
    return tuple(c.strip() for c in text.split("|") if c.strip())


# Cue words, Mandarin and English. English is compared by stems, numbers as digits.
SITUATION = _cues(
    "当时|那时候|那时|背景|项目背景|之前在|去年|前年|有一次|起因|刚开始|刚入职|实习的时候|"
    "at the time|back then|when i was|at my last|at my previous|last year|background|"
    "context|situation|there was a time|in my previous|we were"
)
TASK = _cues(
    "任务|目标是|目标|我负责|负责|需要解决|要解决|我的角色|挑战是|问题是|困难是|要求我|"
    "my task|my goal|the goal|i was responsible|i owned|my role|i needed to|we needed to|"
    "i had to|we had to|the challenge|the problem was|i was asked"
)
ACTION = _cues(
    "我先|首先我|我就|于是|我做了|我推动|我组织|我找了|我去|我拉|我设计|我提出|我们决定|"
    "我决定|然后我|接着我|我自己|我主动|我跟|我和|"
    "i decided|i started|i set up|i ran|i talked|i sat down|i proposed|i built|i organized|"
    "i wrote|so i|first i|then i|we decided|i led|i worked with|i asked|i told|i went"
)
RESULT = _cues(
    "结果|最后|最终|上线后|上线以后|效果|提升了|降低了|增长了|减少了|提高了|节省了|达到了|"
    "as a result|in the end|eventually|result|outcome|we launched|we shipped|increased|"
    "reduced|cut|grew|improved|saved|dropped by|fell|rose|went up|went down"
)
OPENING = _cues(
    "我觉得|我认为|我的看法|我的理解|我理解|简单来说|简单说|总的来说|核心是|关键是|主要|"
    "有几|分为|两个方面|三个方面|两点|三点|几点|几种|两种|三种|取决于|看场景|是指|指的是|"
    "就是|我会|我希望|我想|我是|我叫|我的名字|"
    "i think|i'd|i would|in short|the short answer|my view|it depends|there are|"
    "comes down to|the key is|mainly|two things|three things|i believe|is a|is the|means|"
    "i want|i'm|i am|my name|my answer"
)
ORDINALS = _cues(
    "第一|第二|第三|第四|第五|首先|其次|再次|最后|一是|二是|三是|一方面|另一方面|"
    "first|firstly|second|secondly|third|thirdly|finally|lastly|on the other hand|"
    "on one hand"
)
CLOSING = _cues(
    "总的来说|总之|综上|所以|总结一下|总体来说|整体来看|因此|这就是|概括来说|一句话|总结|"
    "so overall|overall|in short|to sum up|in summary|that's why|all in all|so|in the end|"
    "to summarize|to summarise|which is why|is why|why i'm|这就是为什么"
)
ASKING = _cues(
    "吗|呢|什么|怎么|如何|哪些|哪个|多少|是否|能不能|会不会|有没有|想问|想了解|请问|"
    "what|how|which|who|when|where|why|could you|can you|do you|is there|are there|"
    "would you|i'd like to know|i was wondering|i'd love to know|curious"
)
NOT_ASKING = _cues(
    "没有问题|没什么问题|没有了|没什么想问|暂时没有|no questions|nothing from me|"
    "i'm good|i don't have any"
)

FRAMES = {
    "behavioral": "star",
    "intro": "zongfenzong",
    "knowledge": "zongfenzong",
    "design": "zongfenzong",
    "motivation": "zongfenzong",
    "reverse": "reverse",
}
QUANTIFIED_KINDS = frozenset({"behavioral", "intro"})


@dataclass(frozen=True, slots=True)
class Evidence:
    """Words of the answer that triggered a signal."""

    text: str
    marks: tuple[tuple[int, int, int], ...]
    start: float
    end: float


@dataclass(frozen=True, slots=True)
class Signal:
    """One structure signal: found or not, the words that show it, and a sentence."""

    key: str
    label: str
    found: bool
    evidence: tuple[Evidence, ...] = ()
    note: str = ""

    @property
    def mark(self) -> str:
        return "✓" if self.found else "✗"


@dataclass(frozen=True, slots=True)
class StructureReview:
    """The signals for one answer; ``frame`` is ``star``, ``zongfenzong`` or ``reverse``."""

    frame: str
    signals: tuple[Signal, ...]

    @property
    def title(self) -> str:
        return {
            "star": "STAR (situation, task, action, result)",
            "zongfenzong": "总分总 (answer first, points, summary)",
            "reverse": "Asking the interviewer",
        }.get(self.frame, self.frame)

    def to_dict(self) -> dict[str, Any]:
        return {
            "frame": self.frame,
            "title": self.title,
            "signals": [
                {
                    "key": s.key,
                    "label": s.label,
                    "found": s.found,
                    "evidence": [
                        {
                            "text": e.text,
                            "marks": [list(m) for m in e.marks],
                            "start": e.start,
                            "end": e.end,
                        }
                        for e in s.evidence
                    ],
                    "note": s.note,
                }
                for s in self.signals
            ],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> StructureReview:
        return cls(
            frame=d["frame"],
            signals=tuple(
                Signal(
                    key=s["key"],
                    label=s["label"],
                    found=s["found"],
                    evidence=tuple(
                        Evidence(
                            e["text"],
                            tuple((a, b, c) for a, b, c in e["marks"]),
                            e["start"],
                            e["end"],
                        )
                        for e in s.get("evidence", ())
                    ),
                    note=s.get("note", ""),
                )
                for s in d.get("signals", ())
            ),
        )


# ---- finding cues ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int
    end: int
    cue: str


def _find(
    answer: AnswerText, cues: Sequence[str], lo: int = 0, hi: int | None = None
) -> list[_Hit]:
    """Every cue heard in the match text between positions ``lo`` and ``hi``, in order,
    overlapping hits resolved in favour of the longer cue."""
    hi = len(answer.text) if hi is None else hi
    hits = [
        _Hit(a, b, cue)
        for cue in cues
        for a, b in answer.find(form_key(cue))
        if lo <= a and b <= hi
    ]
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[_Hit] = []
    for h in hits:
        if kept and h.start < kept[-1].end:
            continue
        kept.append(h)
    return kept


CLAUSE_LEADS = frozenset({"and", "so", "then", "and then", "but", "然后", "那"})


def _clause_start(answer: AnswerText, hit: _Hit) -> bool:
    """An English ordinal counts at the start of a clause ("First, …", "… and second"),
    not inside one ("the last three years", "a second look"); Mandarin ones anywhere."""
    if not hit.cue.isascii():
        return True
    before = answer.text[: hit.start].rstrip()
    if not before or before.endswith("|"):
        return True
    previous = before.rsplit(" ", 1)[-1].rsplit("|", 1)[-1]
    return previous in CLAUSE_LEADS


def _evidence(answer: AnswerText, words: Sequence[Word], hit: _Hit) -> Evidence:
    marks = answer.marks(hit.start, hit.end)
    idx = [w for w, _, _ in marks]
    start = words[min(idx)].start if idx else 0.0
    end = words[max(idx)].end if idx else 0.0
    return Evidence(answer.said(hit.start, hit.end), marks, start, end)


_SENTENCE_END = "。？！?!."


def _punctuation_at(answer: AnswerText, pos: int) -> str:
    """The punctuation mark a boundary ``|`` of the match text stands for ("" if none)."""
    src = answer.src[pos] if answer.text[pos] == "|" else None
    return "" if src is None else answer.raw[src[0] : src[1]]


def _sentence_bounds(answer: AnswerText) -> list[tuple[int, int]]:
    """(start, end) of each sentence in the match text, cut at 。？！?! and full stops."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for pos in range(len(answer.text)):
        if _punctuation_at(answer, pos) and _punctuation_at(answer, pos) in _SENTENCE_END:
            if answer.text[start:pos].strip(" |"):
                bounds.append((start, pos))
            start = pos + 1
    if answer.text[start:].strip(" |"):
        bounds.append((start, len(answer.text)))
    return bounds


def _limit(
    answer: AnswerText, start: int, end: int, units: int, from_end: bool = False
) -> tuple[int, int]:
    if not from_end:
        first = answer.unit_at(start)
        stop = start
        while stop < end and answer.unit_at(stop) - first < units:
            stop += 1
        return start, stop
    last = answer.unit_at(end - 1)
    begin = end
    while begin > start and last - answer.unit_at(begin - 1) < units:
        begin -= 1
    return begin, end


def opening_span(answer: AnswerText) -> tuple[int, int]:
    sentences = _sentence_bounds(answer)
    if not sentences:
        return 0, 0
    return _limit(answer, *sentences[0], OPENING_UNITS)


def closing_span(answer: AnswerText) -> tuple[int, int]:
    sentences = _sentence_bounds(answer)
    if len(sentences) < 2:
        # no sentence ends: the last stretch of the answer
        return _limit(answer, 0, len(answer.text), CLOSING_UNITS, from_end=True)
    return _limit(answer, *sentences[-1], CLOSING_UNITS, from_end=True)


def _examples(cues: Sequence[str], zh: bool) -> str:
    """Three cues in the answer's language, to say what would have counted."""
    return " / ".join([c for c in cues if c.isascii() != zh][:3])


# ---- the frames --------------------------------------------------------------------------


def _star(answer: AnswerText, words: Sequence[Word], zh: bool) -> list[Signal]:
    parts = (
        ("situation", "Situation (背景)", SITUATION),
        ("task", "Task (任务)", TASK),
        ("action", "Action (行动)", ACTION),
        ("result", "Result (结果)", RESULT),
    )
    first: dict[str, _Hit] = {}
    signals: list[Signal] = []
    for key, label, cues in parts:
        hits = _find(answer, cues)
        if key == "result" and "action" in first:
            later = [h for h in hits if h.start >= first["action"].start]
            hits = later or hits
        if not hits:
            signals.append(Signal(key, label, False, note=f"not heard; e.g. {_examples(cues, zh)}"))
            continue
        first[key] = hits[0]
        signals.append(Signal(key, label, True, (_evidence(answer, words, hits[0]),)))
    heard = [(k, first[k]) for k, _, _ in parts if k in first]
    order = [k for k, _ in sorted(heard, key=lambda kv: kv[1].start)]
    in_order = order == [k for k, _ in heard]
    if len(heard) < 2:
        signals.append(Signal("order", "In order", False, note="fewer than two parts heard"))
    else:
        said = " → ".join(f"{k} ({first[k].cue})" for k in order)
        signals.append(
            Signal(
                "order",
                "In order",
                in_order,
                tuple(_evidence(answer, words, first[k]) for k in order),
                note=("heard in order: " if in_order else "heard out of order: ") + said,
            )
        )
    return signals


def _zongfenzong(answer: AnswerText, words: Sequence[Word], zh: bool) -> list[Signal]:
    signals: list[Signal] = []
    o_lo, o_hi = opening_span(answer)
    opening = _find(answer, OPENING, o_lo, o_hi)
    first_sentence = answer.said(o_lo, o_hi)
    if opening:
        signals.append(
            Signal(
                "opening",
                "Answer first (总)",
                True,
                tuple(_evidence(answer, words, h) for h in opening[:2]),
                note=f"first sentence: {first_sentence}",
            )
        )
    else:
        signals.append(
            Signal(
                "opening",
                "Answer first (总)",
                False,
                note=f"the first sentence does not state an answer; e.g. {_examples(OPENING, zh)}",
            )
        )
    ordinals = [h for h in _find(answer, ORDINALS) if _clause_start(answer, h)]
    distinct: dict[str, _Hit] = {}
    for h in ordinals:
        distinct.setdefault(form_key(h.cue), h)
    if len(distinct) >= 2:
        shown = list(distinct.values())
        signals.append(
            Signal(
                "points",
                "Points in order (分)",
                True,
                tuple(_evidence(answer, words, h) for h in shown),
                note=f"{len(shown)} markers",
            )
        )
    else:
        signals.append(
            Signal(
                "points",
                "Points in order (分)",
                False,
                tuple(_evidence(answer, words, h) for h in distinct.values()),
                note=f"fewer than two point markers; e.g. {_examples(ORDINALS, zh)}",
            )
        )
    c_lo, c_hi = closing_span(answer)
    c_lo = max(c_lo, o_hi)
    closing = _find(answer, CLOSING, c_lo, c_hi) if c_lo < c_hi else []
    if closing:
        signals.append(
            Signal(
                "closing",
                "Closing summary (总)",
                True,
                (_evidence(answer, words, closing[0]),),
                note=f"last sentence: {answer.said(c_lo, c_hi)}",
            )
        )
    else:
        signals.append(
            Signal(
                "closing",
                "Closing summary (总)",
                False,
                note=f"the last sentence does not sum up; e.g. {_examples(CLOSING, zh)}",
            )
        )
    return signals


def _quantified(answer: AnswerText, words: Sequence[Word], after: int = 0) -> Signal:
    """Numbers in the answer (from position ``after``: the result of a STAR story)."""
    label = "Results quantified"
    quantities = [q for q in answer.quantities if q.span[0] >= after]
    if not quantities:
        where = " after the result began" if after else ""
        return Signal(
            "quantified",
            label,
            False,
            note=f"no number heard{where}; give a figure (提升了 30%, 每周省 10 小时, cut by 40%)",
        )
    evidence = tuple(
        _evidence(answer, words, _Hit(q.span[0], q.span[1], q.value)) for q in quantities[:6]
    )
    where = " after the result began" if after else ""
    noun = "figure" if len(quantities) == 1 else "figures"
    return Signal("quantified", label, True, evidence, note=f"{len(quantities)} {noun}{where}")


def _asks(answer: AnswerText, words: Sequence[Word], zh: bool) -> Signal:
    label = "Asks a question"
    hits = _find(answer, ASKING)
    marks = [p for p in range(len(answer.text)) if _punctuation_at(answer, p) in ("？", "?")]
    if hits:
        return Signal(
            "asks",
            label,
            True,
            tuple(_evidence(answer, words, h) for h in hits[:4]),
            note=f"{len(hits)} question words"
            + (f", {len(marks)} question marks" if marks else ""),
        )
    if _find(answer, NOT_ASKING):
        return Signal("asks", label, False, note="said there was nothing to ask")
    return Signal("asks", label, False, note=f"no question heard; e.g. {_examples(ASKING, zh)}")


def check_structure(words: Sequence[Word], kind: str) -> StructureReview | None:
    """The structure signals for an answer to a question of ``kind`` (None: no frame)."""
    frame = FRAMES.get(kind)
    if frame is None or not words:
        return None
    answer = AnswerText.of([w.text for w in words])
    zh = answer.is_mandarin
    if frame == "star":
        signals = _star(answer, words, zh)
    elif frame == "zongfenzong":
        signals = _zongfenzong(answer, words, zh)
    else:
        signals = [_asks(answer, words, zh)]
    if kind in QUANTIFIED_KINDS:
        result = _find(answer, RESULT) if frame == "star" else []
        signals.append(_quantified(answer, words, result[0].start if result else 0))
    return StructureReview(frame, tuple(signals))
