"""Questions and banks as immutable values, plus the schema a bank file must satisfy.

Two layers on purpose: pydantic models (``BankSpec``, ``QuestionSpec``) check what a TOML
file *says* — strict types, no unknown keys (a typo such as ``folow_ups`` must not silently
drop the follow-ups), sane sizes — and frozen dataclasses (``Bank``, ``Question``) are what
the rest of the program handles once the file has been accepted. Everything here is pure:
no files, no UI, no audio.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from kiosk.core.errors import UNSAFE_CHARS, BadInput
from kiosk.core.target import Target

ID_PATTERN = re.compile(r"^[a-z0-9-]+$")
Language = Literal["zh", "en"]


class Kind(StrEnum):
    """What sort of question it is; decides the default time target and round slots."""

    INTRO = "intro"
    MOTIVATION = "motivation"
    BEHAVIORAL = "behavioral"
    KNOWLEDGE = "knowledge"
    DESIGN = "design"
    REVERSE = "reverse"


# Why these ranges: see docs/QUESTIONS.md ("Default time targets").
DEFAULT_TARGETS: dict[Kind, Target] = {
    Kind.INTRO: Target(60, 120),
    Kind.MOTIVATION: Target(45, 90),
    Kind.BEHAVIORAL: Target(90, 180),
    Kind.KNOWLEDGE: Target(45, 120),
    Kind.DESIGN: Target(90, 180),
    Kind.REVERSE: Target(15, 45),
}


def default_target(kind: Kind | str) -> Target:
    """The time target a question of ``kind`` gets when its bank names none."""
    return DEFAULT_TARGETS[Kind(kind)]


@dataclass(frozen=True, slots=True)
class Question:
    """One interview question as asked: shown ``text``, read-aloud ``spoken``, time target."""

    id: str
    bank_id: str
    language: str
    category: str
    kind: Kind
    text: str
    target: Target
    speak: str | None = None
    follow_ups: tuple[str, ...] = ()
    key_points: tuple[str, ...] = ()
    source: str | None = None
    tags: tuple[str, ...] = ()

    @property
    def spoken(self) -> str:
        """What the voice reads: ``speak`` when given (jargon spelled out), else ``text``."""
        return self.speak or self.text


@dataclass(frozen=True, slots=True)
class Bank:
    """A named set of questions from one file; ``origin`` is where it was read from."""

    id: str
    title: str
    language: str
    questions: tuple[Question, ...]
    description: str = ""
    origin: str = ""

    def __len__(self) -> int:
        return len(self.questions)


# --- schema of a bank file -------------------------------------------------------------


def _kind(value: object) -> object:
    # Strict mode would demand a Kind instance; TOML gives a string.
    if isinstance(value, str) and value in Kind._value2member_map_:
        return Kind(value)
    if isinstance(value, str):
        raise ValueError(f"kind must be one of {', '.join(k.value for k in Kind)}")
    return value


KindField = Annotated[Kind, BeforeValidator(_kind)]
_Id = Annotated[str, StringConstraints(pattern=ID_PATTERN.pattern, min_length=1, max_length=80)]


def check_printable(value: str) -> str:
    """Refuse control characters (C0 but tab and newline, DEL, C1) and bidi controls.

    Printed raw they would garble the terminal or make the text read differently from what
    it holds (a right-to-left override); the error names the character so it can be found.
    """
    bad = UNSAFE_CHARS.search(value)
    if bad is not None:
        code = ord(bad.group())
        what = "a bidirectional control" if code > 0x9F else "a control character"
        raise ValueError(f"contains {what} (U+{code:04X}); remove it")
    return value


_Line = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=1000),
    AfterValidator(check_printable),
]
_Short = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=60),
    AfterValidator(check_printable),
]
_Strict = ConfigDict(extra="forbid", strict=True, frozen=True)


class BankSpec(BaseModel):
    """The ``[bank]`` table."""

    model_config = _Strict

    id: _Id
    title: _Line
    language: Language
    description: Annotated[
        str, StringConstraints(max_length=4000), AfterValidator(check_printable)
    ] = ""


class QuestionSpec(BaseModel):
    """One ``[[questions]]`` entry."""

    model_config = _Strict

    id: _Id
    category: _Short
    kind: KindField
    text: _Line
    speak: _Line | None = None
    language: Language | None = None
    target: tuple[float, float] | None = None
    follow_ups: Annotated[list[_Line], Field(max_length=20)] = []
    key_points: Annotated[list[_Line], Field(max_length=30)] = []
    source: _Line | None = None
    tags: Annotated[list[_Short], Field(max_length=30)] = []

    @field_validator("target", mode="before")
    @classmethod
    def _target_pair(cls, value: object) -> object:
        if value is None:
            return None
        if not isinstance(value, list) or len(value) != 2:
            raise ValueError("target must be [low, high] in seconds, e.g. [60, 120]")
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
            raise ValueError("target must hold two numbers of seconds, e.g. [60, 120]")
        # Compare before converting: a huge TOML integer cannot become a float.
        if not all(-1e9 < v < 1e9 for v in value) or not all(math.isfinite(v) for v in value):
            raise ValueError("target seconds must be finite numbers up to 3600")
        try:
            Target(float(value[0]), float(value[1]))
        except BadInput as exc:
            raise ValueError(str(exc)) from None
        return (float(value[0]), float(value[1]))

    def build(self, bank: BankSpec) -> Question:
        """The accepted question, with the bank's language and kind's target filled in."""
        return Question(
            id=self.id,
            bank_id=bank.id,
            language=self.language or bank.language,
            category=self.category,
            kind=self.kind,
            text=self.text,
            target=Target(*self.target) if self.target else default_target(self.kind),
            speak=self.speak,
            follow_ups=tuple(self.follow_ups),
            key_points=tuple(self.key_points),
            source=self.source,
            tags=tuple(self.tags),
        )
