"""Mock interview rounds: templates modelled on real interviews, filled from the library.

A round such as "一面 · AI 产品经理" is a fixed sequence of steps (self-introduction,
motivation, two project deep-dives with follow-ups, an LLM question, a reverse question);
each step names the kinds and/or categories it may draw from. Composition is seeded so a
round can be replayed exactly (same seed, same questions) and never repeats a question.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from kiosk.config import UnreadableFile, read_user_file
from kiosk.core.errors import BadInput
from kiosk.core.files import bundled
from kiosk.questions.library import BankError, Library
from kiosk.questions.loader import MAX_BANK_BYTES, Source, describe, key_line, parse_toml
from kiosk.questions.model import ID_PATTERN, KindField, Language, Question, check_printable

DRILL_TAG = "drill"
_ROUND_HEADER = re.compile(r"^\s*\[\[\s*rounds\s*\]\]")
_STEP_HEADER = re.compile(r"^\s*\[\[\s*rounds\s*\.\s*steps\s*\]\]")
_Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(check_printable),
]
_Strict = ConfigDict(extra="forbid", strict=True, frozen=True)


class RoundError(BadInput):
    """A round cannot be composed from the library (or does not exist)."""


class StepSpec(BaseModel):
    """One step of a round: which questions it may use and how many."""

    model_config = _Strict

    label: _Text
    kind: Annotated[list[KindField], Field(max_length=6)] = []
    category: Annotated[list[_Text], Field(max_length=20)] = []
    tags: Annotated[list[_Text], Field(max_length=20)] = []
    count: Annotated[int, Field(ge=1, le=10)] = 1
    with_follow_ups: bool = False

    @model_validator(mode="after")
    def _picks_something(self) -> StepSpec:
        if not (self.kind or self.category or self.tags):
            raise ValueError("a step needs kind, category or tags to pick from")
        return self

    def matches(self, q: Question) -> bool:
        if self.kind and q.kind not in self.kind:
            return False
        if self.category and q.category not in self.category:
            return False
        if DRILL_TAG in q.tags and DRILL_TAG not in self.tags:
            return False  # drills only where a step asks for them
        return all(t in q.tags for t in self.tags)

    def wants(self) -> str:
        parts = [
            f"kind {'/'.join(self.kind)}" if self.kind else "",
            f"category {'/'.join(self.category)}" if self.category else "",
            f"tags {'+'.join(self.tags)}" if self.tags else "",
        ]
        return ", ".join(p for p in parts if p)


class RoundSpec(BaseModel):
    """A round template: ``[[rounds]]`` with its ``[[rounds.steps]]``."""

    model_config = _Strict

    id: Annotated[str, StringConstraints(pattern=ID_PATTERN.pattern, max_length=80)]
    title: _Text
    language: Language
    description: Annotated[
        str, StringConstraints(max_length=2000), AfterValidator(check_printable)
    ] = ""
    source: _Text | None = None
    steps: Annotated[list[StepSpec], Field(min_length=1, max_length=30)]


@dataclass(frozen=True, slots=True)
class RoundItem:
    """One question in a composed round, with the step it fills."""

    step: str
    question: Question
    ask_follow_ups: bool

    @property
    def follow_ups(self) -> tuple[str, ...]:
        """The follow-ups to ask after the answer (none when the step does not want them)."""
        return self.question.follow_ups if self.ask_follow_ups else ()


@dataclass(frozen=True, slots=True)
class Round:
    """A composed round: the template's id and title, the seed, and the questions in order."""

    id: str
    title: str
    language: str
    seed: int
    items: tuple[RoundItem, ...]

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(item.question for item in self.items)


# --- templates -------------------------------------------------------------------------


def _bundled_source() -> Source:
    entry = bundled("questions") / "rounds.toml"
    return Source(str(entry), entry.read_bytes())


def _round_lines(text: str) -> list[tuple[int, list[int]]]:
    """Each ``[[rounds]]`` header line with the lines of its ``[[rounds.steps]]`` headers."""
    found: list[tuple[int, list[int]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if _ROUND_HEADER.match(line):
            found.append((number, []))
        elif _STEP_HEADER.match(line) and found:
            found[-1][1].append(number)
    return found


def _round_error(src: Source, text: str, index: int, raw: Any, exc: ValidationError) -> BankError:
    err = exc.errors()[0]
    loc = list(err["loc"])
    lines = _round_lines(text)
    start = lines[index][0] if index < len(lines) else None
    if len(loc) >= 2 and loc[0] == "steps" and isinstance(loc[1], int) and index < len(lines):
        steps = lines[index][1]
        start = steps[loc[1]] if loc[1] < len(steps) else start
        err = {**err, "loc": tuple(loc[2:]) or ("step",)}
        prefix = f"step {loc[1] + 1}: "
    else:
        prefix = ""
    key, msg = describe(err)
    rid = raw.get("id") if isinstance(raw, dict) else None
    label = f"round {rid!r}" if isinstance(rid, str) else "round"
    return BankError(src.name, f"{label}: {prefix}{msg}", key_line(text, start, key))


def parse_rounds(src: Source) -> tuple[dict[str, RoundSpec], list[BankError]]:
    """Round templates in a file and the problems found; never raises."""
    try:
        data = parse_toml(src)
        text = src.data.decode("utf-8")
        entries = data.get("rounds", [])
        extra = [k for k in data if k != "rounds"]
        if extra or not isinstance(entries, list):
            return {}, [BankError(src.name, "expected only [[rounds]] tables")]
        rounds: dict[str, RoundSpec] = {}
        errors: list[BankError] = []
        for i, raw in enumerate(entries):
            try:
                spec = RoundSpec.model_validate(raw)
            except ValidationError as exc:
                errors.append(_round_error(src, text, i, raw, exc))
                continue
            if spec.id in rounds:
                errors.append(BankError(src.name, f"duplicate round id {spec.id!r}"))
                continue
            rounds[spec.id] = spec
        return rounds, errors
    except BankError as exc:
        return {}, [exc]
    except Exception as exc:  # hostile input must never escape as a traceback
        return {}, [BankError(src.name, f"cannot read rounds: {type(exc).__name__}")]


def load_rounds(path: Path | None = None) -> tuple[dict[str, RoundSpec], list[BankError]]:
    """The bundled round templates (or those in ``path``), by id, plus any problems."""
    try:
        if path is None:
            src = _bundled_source()
        else:  # a regular file only, of bank size at most (never a device or FIFO)
            src = Source(str(path), read_user_file(path, MAX_BANK_BYTES, "rounds file (.toml)"))
    except UnreadableFile as exc:
        return {}, [BankError(exc.path, exc.reason)]
    except OSError as exc:
        return {}, [BankError(str(path or "rounds.toml"), f"cannot read: {exc.strerror or exc}")]
    return parse_rounds(src)


# --- composing -------------------------------------------------------------------------


# --- near-duplicates: one round never asks the same thing twice ----------------------

NEAR_DUPLICATE = 0.5
"""Questions whose content words overlap this much (Jaccard) are not put in one round."""

_ASKING = """
介绍 一下 简单 说说 谈谈 讲讲 聊聊 请 再 你 你们 我 我们 的 了 吗 呢 是 有 在 和 与 及 上 里 中
什么 怎么 怎样 如何 哪些 哪个 为什么 一个 一段 这个 那个 这 那 最 最重要 重要 第一 第二
第二个 第一个 个 些 会 能 对 做 过 自己 下
the a an you your yours of to and or in on at for is are was what how why do did
would could with be it that this me about tell walk through one most
"""
_FILLER_WORDS = frozenset(_ASKING.split())
"""Words that say how a question is asked, not what it asks about."""

_SAME_INTENT: dict[str, str] = {
    "简历": "经历", "履历": "经历", "过往": "经历", "背景": "经历", "经验": "经历",
    "resum": "经历", "background": "经历", "experi": "经历",
    "挑战": "困难", "难点": "困难", "challeng": "困难", "hardest": "困难", "difficult": "困难",
    "长处": "优势", "strength": "优势",
    "想问": "反问", "想了解": "反问",
}  # fmt: skip
"""Words that ask for the same thing (your résumé, your background, your experience)."""


def content_words(text: str) -> frozenset[str]:
    """What a question asks about: its words (English stems) without the asking words,
    words of one intent folded together (简历, 过往, 经历 → 经历)."""
    from kiosk.core.keypoints import segment, stem

    out: set[str] = set()
    for raw in segment(text.casefold()):
        word = raw.strip()
        if not word or not re.search(r"\w", word) or word in _FILLER_WORDS:
            continue
        word = stem(word) if word.isascii() else word
        if word in _FILLER_WORDS:
            continue
        out.add(_SAME_INTENT.get(word, word))
    return frozenset(out)


def similarity(a: str, b: str) -> float:
    """Jaccard overlap of the two questions' :func:`content_words` (0 to 1)."""
    wa, wb = content_words(a), content_words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / len(wa | wb)


def near_duplicate(a: Question, b: Question) -> bool:
    """Too alike for one round; timing drills are exempt (one text at several lengths)."""
    if DRILL_TAG in a.tags and DRILL_TAG in b.tags:
        return False
    return similarity(a.text, b.text) >= NEAR_DUPLICATE


def _pick(
    step: StepSpec, pool: list[Question], rng: random.Random, chosen: list[Question]
) -> list[Question]:
    """``step.count`` questions of ``pool``, none a near-duplicate of another or of those
    already ``chosen`` for the round; near-duplicates only when the pool has no others."""
    order = rng.sample(pool, len(pool))
    if step.with_follow_ups:  # those with follow-ups first, when there are enough
        richer = [q for q in order if q.follow_ups]
        if len(richer) >= step.count:
            order = richer + [q for q in order if not q.follow_ups]
    picked: list[Question] = []
    for q in order:
        if len(picked) == step.count:
            break
        if not any(near_duplicate(q, other) for other in (*chosen, *picked)):
            picked.append(q)
    for q in order:  # a small library: fill up rather than fail
        if len(picked) == step.count:
            break
        if q not in picked:
            picked.append(q)
    return picked


def compose_round(
    library: Library,
    round_id: str,
    seed: int,
    templates: dict[str, RoundSpec] | None = None,
) -> Round:
    """Fill the template ``round_id`` from ``library``; the same seed gives the same round."""
    if templates is None:
        templates, _ = load_rounds()
    spec = templates.get(round_id)
    if spec is None:
        known = ", ".join(sorted(templates)) or "none"
        raise RoundError(f"no round {round_id!r}; known rounds: {known}")
    rng = random.Random(seed)
    used: set[str] = set()
    chosen: list[Question] = []
    items: list[RoundItem] = []
    for number, step in enumerate(spec.steps, start=1):
        pool = [
            q
            for q in library.questions
            if q.language == spec.language and q.id not in used and step.matches(q)
        ]
        if len(pool) < step.count:
            raise RoundError(
                f"round {round_id!r} step {number} ({step.label}) needs {step.count} "
                f"{spec.language} question(s) with {step.wants()}, but the library has "
                f"{len(pool)} unused; add such questions to a bank or use --bank"
            )
        for q in _pick(step, pool, rng, chosen):
            used.add(q.id)
            chosen.append(q)
            items.append(RoundItem(step.label, q, step.with_follow_ups))
    return Round(spec.id, spec.title, spec.language, seed, tuple(items))
