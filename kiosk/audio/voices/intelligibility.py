"""Scoring a voice by ear: compare what a transcriber heard with what the voice was asked to say.

Used by ``benchmarks/tts.py`` and the tests that transcribe synthesised questions back with
the real speech model. Pure string work.

Mandarin (:func:`zh_units`, :func:`cer`): every Han character is one unit and every
Latin-script term is one unit, lower-cased with spaces and punctuation inside it removed,
so ``RAG``, ``R A G`` and ``rag`` are the same and a misheard term costs one error however
long it is. Traditional characters are made simplified and numbers become Chinese numerals
(``3 个月`` and ``三个月`` are the same), except digits inside a term (``GPT-4``).

English (:func:`en_words`, :func:`wer`): lower-cased words without punctuation; a hyphen
joins (``trade-off`` is ``tradeoff``, and so is ``trade off`` heard where the question
has it), a slash splits; numbers are written as words (``10%`` → ``ten percent``);
British spellings -ise/-isation/-our are made American, since Whisper writes American;
a run of single letters is one word (``A B``, ``A/B`` and ``AB`` are all ``ab``).

Hesitations the transcriber writes (um, uh, er, hmm; 嗯, 呃) are dropped from what was heard:
no voice says them, but the kiosk's transcriber is prompted to write them, and it sometimes
invents one at the end of a short clip. Everything else it invents counts as an error.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache

from kiosk.audio.voices.frontend import numbers_to_chinese
from kiosk.audio.voices.terms import LATIN_RUN

_HAN = re.compile(r"[\u3400-\u9fff]")
_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SCALES = ((10**9, "billion"), (10**6, "million"), (1000, "thousand"))
EN_FILLERS = frozenset({"um", "umm", "uh", "uhm", "er", "erm", "hmm", "mm"})
ZH_FILLERS = frozenset("嗯呃")


def edit_distance(reference: Sequence[str], hypothesis: Sequence[str]) -> int:
    """Levenshtein distance between two sequences of units."""
    row = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, 1):
        prev, row[0] = row[:], i
        for j, hyp in enumerate(hypothesis, 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ref != hyp))
    return row[-1]


@cache
def _t2s() -> object:
    import opencc

    return opencc.OpenCC("t2s")


def _simplified(text: str) -> str:
    try:
        converter = _t2s()
    except ImportError:  # opencc comes with the transcriber; without it compare as is
        return text
    return str(converter.convert(text))  # type: ignore[attr-defined]


_SPELLED_OUT = re.compile(r"(?<![A-Za-z])([A-Za-z])[ \t]*[-.·][ \t]*(?=[A-Za-z](?![A-Za-z]))")


def _term(run: str) -> str:
    return re.sub(r"[^a-z0-9]", "", run.lower())


def zh_units(text: str) -> list[str]:
    """Han characters and whole Latin terms, in order (see the module docstring)."""
    text = _simplified(unicodedata.normalize("NFKC", text))
    text = _SPELLED_OUT.sub(r"\1", text)  # R - A - G, R. A. G.: one term
    units: list[str] = []
    position = 0
    for match in LATIN_RUN.finditer(text):
        units += _HAN.findall(numbers_to_chinese(text[position : match.start()]))
        units.append(_term(match.group(0)))
        position = match.end()
    units += _HAN.findall(numbers_to_chinese(text[position:]))
    return units


def cer(reference: str, heard: str) -> float:
    """Character (and term) error rate of ``heard`` against ``reference``, Mandarin."""
    ref = zh_units(reference)
    hyp = [u for u in zh_units(heard) if u not in ZH_FILLERS]
    return edit_distance(ref, hyp) / max(1, len(ref))


def number_words(n: int) -> str:
    """``1200`` → ``one thousand two hundred``."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return _ONES[n // 100] + " hundred" + ("" if rest == 0 else " " + number_words(rest))
    for size, name in _SCALES:
        if n >= size:
            rest = n % size
            head = number_words(n // size) + " " + name
            return head + ("" if rest == 0 else " " + number_words(rest))
    return str(n)  # unreachable: n >= 1000 always meets a scale


def _american(word: str) -> str:
    word = re.sub(r"(?<=.{3})is(e|es|ed|ing|ation|ations)$", r"iz\1", word)
    return re.sub(r"our(ite|ites)$", r"or\1", word)


def en_words(text: str) -> list[str]:
    """Comparable English words (see the module docstring)."""
    text = unicodedata.normalize("NFKC", text).lower().replace("%", " percent ")
    text = re.sub(
        r"\d[\d,]*", lambda m: f" {number_words(int(m.group(0).replace(',', '')))} ", text
    )
    text = re.sub(r"\b([a-z])\.(?=\s*[a-z]\b)", r"\1 ", text)  # R. A. G. is one word
    text = re.sub(r"(?<=[a-z]) ?-(?=[a-z])", "", text)  # trade-off, up -time: one word
    text = re.sub(r"[-/]", " ", text).replace("'", "")
    text = re.sub(r"[^a-z ]+", lambda m: " | " if m.group(0).strip(" ") else " ", text)
    words: list[str] = []
    letters = ""
    for word in (*map(_american, text.split()), "|"):
        if len(word) == 1 and word != "|" and (letters or word != "i"):
            letters += word
            continue
        if letters:
            words.append(letters)
        letters = ""
        if word != "|":
            words.append(word)
    return words


def wer(reference: str, heard: str) -> float:
    """Word error rate of ``heard`` against ``reference``, English."""
    ref = en_words(reference)
    hyp = _compounds([w for w in en_words(heard) if w not in EN_FILLERS], set(ref))
    return edit_distance(ref, hyp) / max(1, len(ref))


def _compounds(words: list[str], known: set[str]) -> list[str]:
    """Join two heard words that make one word of the reference (pipe line → pipeline)."""
    out: list[str] = []
    for word in words:
        if out and out[-1] not in known and out[-1] + word in known:
            out[-1] += word
        else:
            out.append(word)
    return out
