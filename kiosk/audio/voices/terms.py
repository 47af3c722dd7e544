"""English terms inside Mandarin questions, and how the English voice should say them.

Product interviews in Mandarin are full of English: AI, RAG, AIGC, A/B 测试, LangChain,
GPT-4. Spelled with Chinese letter names by the Mandarin voice (RAG → 阿诶吉) they are
not recognisable; read by an English voice they are. So a Mandarin question is cut into
segments, Mandarin stretches for the Mandarin voice and Latin-script runs for the English
one, each followed by the silence that belongs after it: a short gap inside a phrase, the
usual pause after a comma or a sentence end.

The English voice (espeak-ng) needs help too: a capital ``A`` alone is the article "uh",
``ROI`` is "roy" and ``AIGC`` comes out as one mumbled syllable, so acronyms are written
as dotted abbreviations (``R.O.I.``), which espeak-ng spells with the letter names.
:func:`english_form` does that for a term and :func:`english_text` for a whole English
question, together with a small lexicon of words espeak-ng says badly. Pure string work.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from typing import Literal

from kiosk.audio.voices.frontend import CLAUSE_PAUSE_S, SENTENCE_PAUSE_S, thousands_shorthand
from kiosk.core.files import bundled

TERM_GAP_S = 0.06
"""Silence between a Mandarin stretch and an English term inside one phrase."""

SegmentLanguage = Literal["zh", "en"]


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of a question for one voice, then ``pause_s`` seconds of silence.

    ``text`` is what that voice is given: the Mandarin as written (the Mandarin voice
    normalises numbers and punctuation itself) or the English term as it should be said.
    """

    language: SegmentLanguage
    text: str
    pause_s: float


_LEXICON_FILE = tomllib.loads((bundled("audio") / "lexicon.toml").read_text(encoding="utf-8"))
LEXICON: dict[str, str] = _LEXICON_FILE["lexicon"]
"""Terms said as words, or in a form espeak-ng gets right (keys are lower case); from
``audio/lexicon.toml``."""
SAID_AS_WORDS = frozenset(_LEXICON_FILE["said_as_words"])
"""Acronyms that are words (not spelled) when written in capitals."""

_TOKEN = r"[A-Za-z][A-Za-z0-9]*[+#]*(?:[-.][A-Za-z0-9]+[+#]*)*"
_JOINER = r"(?:[ \t]*[/&][ \t]*|[ \t]+)"
LATIN_RUN = re.compile(rf"{_TOKEN}(?:{_JOINER}{_TOKEN})*")
"""A run of Latin-script words: ``RAG``, ``A/B``, ``GPT-4o``, ``Lang Chain``, ``S T A R``."""

_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+(?:\.\d+)?")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_SENTENCE_MARKS = "。！？；!?;\n"
_CLAUSE_MARKS = '，、：,:…—“”"（）()《》「」'


def dotted(letters: str) -> str:
    """``RAG`` → ``R.A.G.``: the form espeak-ng spells with letter names."""
    return "".join(f"{ch.upper()}." for ch in letters if ch.isalpha())


def _word(word: str) -> str:
    """One word of a Latin run as the English voice should say it."""
    known = LEXICON.get(word.lower())
    if known is not None:
        return known
    if "-" in word or "." in word.strip("."):
        return " ".join(_word(part) for part in re.split(r"[-.]", word) if part)
    if word.isdigit() or _DIGITS.fullmatch(word):
        return word
    if word.isupper() and word.isalpha():
        if word in SAID_AS_WORDS:
            return word.capitalize()
        return dotted(word)
    if word.endswith("s") and len(word) > 2 and word[:-1].isupper() and word[:-1].isalpha():
        return dotted(word[:-1]) + "s"  # KPIs → K.P.I.s
    parts = _CAMEL.findall(word)
    if len(parts) > 1:  # LangChain → Lang Chain, ChatGPT → Chat G.P.T., GPT4 → G.P.T. 4
        return " ".join(_word(part) for part in parts)
    if word.isalpha() and len(word) == 1:
        return dotted(word)
    return word


def english_form(run: str) -> str:
    """How the English voice says one Latin run: RAG → R.A.G., A/B → A.B., fine-tune → fine tune.

    Runs of single letters (``S T A R``, ``A B``, ``A/B``) are one spelled abbreviation.
    """
    known = LEXICON.get(re.sub(r"\s+", "", run).lower())
    if known is not None:
        return known
    words = re.split(r"[ \t]*([/&])[ \t]*|[ \t]+", run.strip())
    out: list[str] = []
    letters = ""
    for word in (w for w in words if w):
        if word == "/" and letters:
            continue
        if len(word) == 1 and word.isalpha():
            letters += word
            continue
        if letters:
            out.append(dotted(letters))
            letters = ""
        out.append("and" if word == "&" else "" if word == "/" else _word(word))
    if letters:
        out.append(dotted(letters))
    return " ".join(w for w in out if w)


def _gap(marks: str) -> float:
    if any(ch in _SENTENCE_MARKS for ch in marks):
        return SENTENCE_PAUSE_S
    if any(ch in _CLAUSE_MARKS for ch in marks):
        return CLAUSE_PAUSE_S
    return TERM_GAP_S


def _speakable_zh(text: str) -> bool:
    return any(ch.isdigit() or "\u3400" <= ch <= "\u9fff" for ch in text)


def _trailing_marks(text: str) -> str:
    end = len(text)
    while end and not (text[end - 1].isalnum() or "\u3400" <= text[end - 1] <= "\u9fff"):
        end -= 1
    return text[end:]


def _leading_marks(text: str) -> str:
    start = 0
    while start < len(text) and not (text[start].isalnum() or "\u3400" <= text[start] <= "\u9fff"):
        start += 1
    return text[:start]


def split_languages(text: str) -> list[Segment]:
    """Cut a Mandarin question into Mandarin and English segments, in order.

    ``微调、RAG 和 LangChain 分别是什么？`` → zh ``微调、``, en ``R.A.G.``, zh ``和``,
    en ``Lang Chain``, zh ``分别是什么？``. Numbers stay with the Mandarin voice ("3 年" is
    三年) unless they belong to a term (``GPT-4``); chat shorthand such as ``10w`` or
    ``1.5k`` is a number, not a term. The last segment's pause is 0.
    """
    text = thousands_shorthand(unicodedata.normalize("NFKC", text))
    pieces: list[tuple[SegmentLanguage, str]] = []
    position = 0
    for match in LATIN_RUN.finditer(text):
        pieces.append(("zh", text[position : match.start()]))
        pieces.append(("en", match.group(0)))
        position = match.end()
    pieces.append(("zh", text[position:]))

    segments: list[Segment] = []
    marks = ""  # punctuation met since the last spoken segment
    for language, piece in pieces:
        if language == "en":
            if segments:
                segments[-1] = _with_pause(segments[-1], marks)
            segments.append(Segment("en", english_form(piece), 0.0))
            marks = ""
        elif _speakable_zh(piece):
            if segments:
                segments[-1] = _with_pause(segments[-1], marks + _leading_marks(piece))
            segments.append(Segment("zh", piece.strip(), 0.0))
            marks = _trailing_marks(piece)
        else:
            marks += piece
    return segments


def _with_pause(segment: Segment, marks: str) -> Segment:
    return Segment(segment.language, segment.text, _gap(marks))


def has_terms(text: str) -> bool:
    """Whether ``text`` holds any Latin-script term."""
    return LATIN_RUN.search(unicodedata.normalize("NFKC", text)) is not None


# English questions: words espeak-ng says in a way the listener (and Whisper) mishears.
ENGLISH_LEXICON: dict[str, str] = {}

_SPELLED = re.compile(r"\b[A-Z](?:(?:[ \t]+|[ \t]*/[ \t]*)[A-Z])+\b")
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]*[A-Z](?:-\d+(?:\.\d+)?[a-z]?)?(?=s?\b)")


def _english_acronym(match: re.Match[str]) -> str:
    word = match.group(0)
    known = LEXICON.get(word.lower())
    if known is not None:
        return known
    return word.capitalize() if word in SAID_AS_WORDS else _word(word)


def english_text(text: str) -> str:
    """A whole English question as espeak-ng should read it.

    Spelled letters (``A B test``, ``R A G``) and capitalised acronyms (``AI``, ``KPI``)
    become dotted abbreviations; words in :data:`ENGLISH_LEXICON` are replaced. A lone
    capital ``A`` or ``I`` is left alone: it is the article or the pronoun.
    """
    text = unicodedata.normalize("NFKC", text)
    text = _SPELLED.sub(lambda m: dotted(m.group(0)), text)
    text = _ACRONYM.sub(_english_acronym, text)
    for word, spoken in ENGLISH_LEXICON.items():
        text = re.sub(rf"\b{re.escape(word)}\b", spoken, text, flags=re.IGNORECASE)
    return text
