"""Filler words (嗯, 那个, um, you know) told apart from the same strings used as real words.

Why rules and not a list: most fillers are also ordinary words. 那个 is a determiner in
"那个产品", 啊 is a sentence-final particle in "好啊", "like" is a verb in "I like it". A
filler sits *outside* the syntax of the clause, so the rules look at its position:

* **hard** fillers (嗯, 呃, um, uh …) are never words, so they always count — except the
  few that are also characters of common words (额度, 感恩), which need a clause boundary;
* **啊** is decided by :func:`particle_role` from what is right before and right after it
  (start/end, punctuation, a pause, a hesitation sound, a word): clause-initially it is a
  hesitation and counts ("啊，", "，啊，", "⏸ 啊"); after a word it is the particle of
  "好啊" and does not count, but is kept as a *possible* filler with its reason;
* no Mandarin filler is ever read inside a token that also holds Latin letters or digits
  ("啊Ｇ", "嗯AI"): such tokens are transcriber junk or code-switched words, not hesitation;
* **soft** fillers (那个, 就是说, you know, like …) count only when set off on both sides
  (start/end, punctuation, pauses, other fillers) or immediately repeated ("那个那个");
* three or more identical fillers in a row are a decoding loop of the transcriber, not
  speech: counted once and flagged.

Whisper word tokens are uneven (Mandarin tokens may be one character or several; English
tokens carry punctuation: "So," "like,"), so matching runs on *units* — one Han character,
one Latin/digit word, one punctuation mark or one pause — each mapped back to the word it
came from and the characters inside it. Text is NFKC-normalised and lower-cased first
(full-width "ｌｉｋｅ" is "like").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal

from kiosk.core.transcript import Word, is_han

UnitKind = Literal["han", "latin", "punct", "pause"]
FillerKind = Literal["hard", "soft"]
Neighbour = Literal["edge", "pause", "punct", "stop", "filler", "word"]
"""What sits right before or after a 啊: the start/end of the answer, a silent pause,
clause punctuation (，、；：), sentence punctuation (。！？…), a hesitation sound (嗯, or a
啊 that counted), or a word."""
ParticleRole = Literal[
    "start",
    "after_pause",
    "after_punct",
    "after_filler",
    "clause_end",
    "end_of_sentence",
    "inside_sentence",
]
"""Why a 啊 was or was not counted (see :func:`particle_role`)."""
COUNTED_ROLES: frozenset[ParticleRole] = frozenset(
    {"start", "after_pause", "after_punct", "after_filler", "clause_end"}
)
ROLE_WORDS: dict[ParticleRole, str] = {
    "start": "start of the answer",
    "after_pause": "after a pause",
    "after_punct": "start of a clause",
    "after_filler": "after another filler",
    "clause_end": "drawn out before the clause goes on",
    "end_of_sentence": "end of a sentence",
    "inside_sentence": "inside a sentence",
}
"""Each role in words a user understands (the reports show the uncounted ones)."""

ZH_HARD = frozenset("嗯恩呃额唔诶欸哎呣")
"""Mandarin hesitation sounds. 啊 is handled apart (it is also a particle)."""
ZH_HARD_COMPOUNDS = frozenset({"额度", "额外", "额头", "额定", "金额", "余额", "份额",
                               "限额", "配额", "定额", "总额", "超额", "差额", "名额",
                               "数额", "面额", "税额", "销额", "恩情", "恩人", "恩爱",
                               "感恩", "恩惠", "谢恩", "报恩"})  # fmt: skip
"""Words in which a hard-filler character is an ordinary character."""
EN_HARD = re.compile(r"^(?:u+m+|u+h+|u+h+m+|e+r+|e+r+m+|a+h+|h+m+|m+|m+h+m+)$")
"""um umm uh uhh uhm er erm ah hmm hm mm mhm, with any number of repeated letters."""
ZH_SOFT = ("怎么说呢", "就是说", "所以说", "基本上", "相当于", "那个", "这个", "就是",
           "然后", "其实", "对吧", "反正")  # fmt: skip
EN_SOFT = ("you know", "i mean", "sort of", "kind of", "basically", "actually",
           "literally", "like", "so", "well", "right")  # fmt: skip
PARTICLE = "啊"

_LATIN_WORD = re.compile(r"[0-9a-z]+(?:['’.\-][0-9a-z]+)*")
_CLAUSE_PUNCT = frozenset(',.;:!?，。；：！？、…—–-"“”「」『』()（）')
_SENTENCE_PUNCT = frozenset(".!?。！？…")
RESPONSES = frozenset("对好是行")
"""A 啊 on one of these alone (``对啊，`` ``好啊，``) is a reply ("yes"), not a hesitation."""


@dataclass(frozen=True, slots=True)
class Unit:
    """One countable piece of the transcript, mapped back to word ``word``.

    ``chars`` are the (start, end) character offsets of the piece inside that word's
    original text; pauses have ``word`` = the index of the word they precede.
    """

    text: str
    kind: UnitKind
    word: int
    chars: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Filler:
    """One filler: where it is, what it is, and when it was said.

    ``marks`` are (word index, start char, end char) ranges of the original word texts, so
    reports can highlight exactly the filler inside a multi-character Mandarin token.
    ``repeats`` is 1, or the length of a decoding loop this single count stands for.
    """

    text: str
    kind: FillerKind
    words: tuple[int, ...]
    marks: tuple[tuple[int, int, int], ...]
    start: float
    end: float
    repeats: int = 1

    @property
    def is_loop(self) -> bool:
        return self.repeats >= 3


@dataclass(frozen=True, slots=True)
class PossibleFiller:
    """A filler string the rules did not count, and why: a 啊 right after a word is most
    likely the sentence particle ("好啊"), but a listener may have heard a hesitation.

    ``word`` and ``chars`` locate it in the transcript (character offsets in that word's
    original text); ``reason`` is a :data:`ParticleRole` that does not count.
    """

    text: str
    reason: ParticleRole
    word: int
    chars: tuple[int, int]
    start: float
    end: float


def _char_kind(ch: str) -> UnitKind | None:
    if is_han(ch):
        return "han"
    if ch.isspace():
        return None
    if ch.isalnum():
        return "latin"
    return "punct"


def word_units(index: int, text: str) -> list[Unit]:
    """Split one word token into units (NFKC per character, offsets into the original)."""
    norm: list[tuple[str, int]] = []
    for j, ch in enumerate(text):
        norm.extend((c, j) for c in unicodedata.normalize("NFKC", ch).lower())
    units: list[Unit] = []
    flat = "".join(c for c, _ in norm)
    pos = 0
    while pos < len(flat):
        ch, j = norm[pos]
        kind = _char_kind(ch)
        m = _LATIN_WORD.match(flat, pos) if kind == "latin" else None
        if m:
            end = m.end()
            units.append(Unit(m.group(), "latin", index, (j, norm[end - 1][1] + 1)))
            pos = end
            continue
        if kind is not None and not (kind == "punct" and ch in "'’"):
            units.append(Unit(ch, kind, index, (j, j + 1)))
        pos += 1
    return units


def transcript_units(words: Sequence[Word], pauses_before: Collection[int] = ()) -> list[Unit]:
    """All words as units, with a ``pause`` unit before each word index in ``pauses_before``.

    Latin words split across two tokens without a space are kept as two words: Whisper
    tokens with stripped spaces cannot tell "New" "York" from "can" "'t" reliably, and the
    difference does not matter for fillers or pace.
    """
    units: list[Unit] = []
    for i, w in enumerate(words):
        if i in pauses_before:
            units.append(Unit("⏸", "pause", i, (0, 0)))
        units.extend(word_units(i, w.text))
    return units


def _lexicon(language: str) -> tuple[tuple[tuple[str, ...], str], ...]:
    """Soft fillers as unit sequences with their canonical form, longest first."""
    entries: list[tuple[tuple[str, ...], str]] = []
    if language in ("zh", "auto", "mixed"):
        entries += [(tuple(f), f) for f in ZH_SOFT]
    if language in ("en", "auto", "mixed"):
        entries += [(tuple(f.split()), f) for f in EN_SOFT]
    return tuple(sorted(entries, key=lambda e: -len(e[0])))


def _hard_at(units: Sequence[Unit], k: int) -> str | None:
    """Canonical hard filler at unit ``k`` (including 啊-independent rules), else None."""
    u = units[k]
    if u.kind == "latin" and EN_HARD.match(u.text):
        return _canonical_en(u.text)
    if u.kind == "han" and u.text in ZH_HARD:
        before = units[k - 1].text if k > 0 and units[k - 1].kind == "han" else ""
        after = units[k + 1].text if k + 1 < len(units) and units[k + 1].kind == "han" else ""
        if before + u.text in ZH_HARD_COMPOUNDS or u.text + after in ZH_HARD_COMPOUNDS:
            return None
        return u.text
    return None


def _canonical_en(text: str) -> str:
    squeezed = re.sub(r"(.)\1+", r"\1", text)
    return {"hm": "hmm", "m": "mm", "uhm": "uhm", "erm": "erm"}.get(squeezed, squeezed)


def _match_soft(
    units: Sequence[Unit], k: int, lexicon: Sequence[tuple[tuple[str, ...], str]]
) -> tuple[int, str] | None:
    """Longest soft-filler entry starting at unit ``k``: (length in units, canonical)."""
    for seq, canon in lexicon:
        n = len(seq)
        if k + n <= len(units) and all(
            units[k + i].kind in ("han", "latin") and units[k + i].text == seq[i] for i in range(n)
        ):
            return n, canon
    return None


def _is_boundary(units: Sequence[Unit], k: int) -> bool:
    """Is there a clause boundary at unit ``k`` (outside the text, punctuation, a pause)?"""
    if k < 0 or k >= len(units):
        return True
    u = units[k]
    return u.kind == "pause" or (u.kind == "punct" and u.text in _CLAUSE_PUNCT)


def particle_role(before: Neighbour, after: Neighbour, reply: bool = False) -> ParticleRole:
    """Is this 啊 a hesitation (counted) or the sentence particle (not counted)?

    Decided only by its neighbours, in this order:

    1. nothing before it (start of the answer) → ``start``, counted;
    2. a silent pause before it → ``after_pause``, counted;
    3. punctuation before it (``，啊``) → ``after_punct``, counted;
    4. a hesitation sound before it (``嗯啊``, or a 啊 that counted) → ``after_filler``,
       counted;
    5. a word before it and, after it, clause punctuation or a pause, the clause going on
       (``这些公司啊，后期…``) → ``clause_end``, counted — unless ``reply``: the word is a
       lone 对 / 好 / 是 / 行 (``对啊，我们…``), a reply, → ``end_of_sentence``;
    6. a word before it and, after it, the end, sentence punctuation or a hesitation
       sound → ``end_of_sentence``: the particle of "好啊。", not counted;
    7. a word on both sides (``我们啊这个``) → ``inside_sentence``: a particle inside the
       clause, not counted.

    The uncounted ones are reported as possible fillers, with their role.
    """
    if before == "edge":
        return "start"
    if before == "pause":
        return "after_pause"
    if before in ("punct", "stop"):
        return "after_punct"
    if before == "filler":
        return "after_filler"
    if after == "word":
        return "inside_sentence"
    if after in ("punct", "pause") and not reply:
        return "clause_end"
    return "end_of_sentence"


def latin_words(units: Sequence[Unit]) -> frozenset[int]:
    """Indices of the word tokens holding Latin letters or digits: no Mandarin filler is
    ever read inside one ("啊Ｇ", "嗯AI" are transcriber junk or code-switching)."""
    return frozenset(u.word for u in units if u.kind == "latin")


def _neighbour(units: Sequence[Unit], k: int, hesitations: Collection[int]) -> Neighbour:
    """What unit ``k`` is, seen from a 啊 next to it."""
    if k < 0 or k >= len(units):
        return "edge"
    u = units[k]
    if u.kind == "pause":
        return "pause"
    if k in hesitations:
        return "filler"
    if u.kind == "punct":
        if u.text in _SENTENCE_PUNCT:
            return "stop"
        return "punct" if u.text in _CLAUSE_PUNCT else "word"
    return "word"


def _is_reply(units: Sequence[Unit], k: int) -> bool:
    """Is unit ``k`` a lone reply word (对, 好, 是, 行 with no Han character before it)?"""
    if k < 0 or units[k].kind != "han" or units[k].text not in RESPONSES:
        return False
    return k == 0 or units[k - 1].kind != "han"


def particle_roles(units: Sequence[Unit]) -> dict[int, ParticleRole]:
    """The role of every 啊 unit (by unit index), left to right; see :func:`particle_role`.

    A 啊 inside a token that also holds Latin letters or digits is left out: it is never a
    Mandarin filler.
    """
    mixed = latin_words(units)
    hesitations = {
        k
        for k, u in enumerate(units)
        if u.kind == "han" and u.word not in mixed and _hard_at(units, k) is not None
    }
    roles: dict[int, ParticleRole] = {}
    for k, u in enumerate(units):
        if u.kind != "han" or u.text != PARTICLE or u.word in mixed:
            continue
        role = particle_role(
            _neighbour(units, k - 1, hesitations),
            _neighbour(units, k + 1, hesitations),
            reply=_is_reply(units, k - 1),
        )
        roles[k] = role
        if role in COUNTED_ROLES:
            hesitations.add(k)
    return roles


@dataclass(frozen=True, slots=True)
class _Hit:
    first: int
    count: int
    text: str
    kind: FillerKind
    repeats: int = 1


def _candidates(units: Sequence[Unit], language: str) -> list[_Hit]:
    """Every unit run that matches a lexicon entry, before position rules (greedy, left→right)."""
    lexicon = _lexicon(language)
    mixed = latin_words(units)
    hits: list[_Hit] = []
    k = 0
    while k < len(units):
        soft = _match_soft(units, k, lexicon)
        hard = _hard_at(units, k)
        if units[k].kind == "han" and any(
            u.word in mixed for u in units[k : k + (soft[0] if soft else 1)]
        ):
            k += 1  # a Mandarin filler is never read inside a token with Latin or digits
        elif hard is not None:
            hits.append(_Hit(k, 1, hard, "hard"))
            k += 1
        elif units[k].kind == "han" and units[k].text == PARTICLE:
            hits.append(_Hit(k, 1, PARTICLE, "hard"))
            k += 1
        elif soft is not None:
            hits.append(_Hit(k, soft[0], soft[1], "soft"))
            k += soft[0]
        else:
            k += 1
    return hits


def _accept(
    units: Sequence[Unit], hits: Sequence[_Hit], roles: dict[int, ParticleRole]
) -> list[_Hit]:
    """Keep the candidates in filler position (see the module docstring)."""
    kept: list[_Hit] = []
    for n, h in enumerate(hits):
        left_ok = _is_boundary(units, h.first - 1) or bool(
            kept and kept[-1].first + kept[-1].count == h.first
        )
        nxt = hits[n + 1] if n + 1 < len(hits) else None
        adjacent_next = nxt is not None and nxt.first == h.first + h.count
        right_ok = _is_boundary(units, h.first + h.count) or (
            adjacent_next and nxt is not None and nxt.kind == "hard" and nxt.text != PARTICLE
        )
        repeated = adjacent_next and nxt is not None and nxt.text == h.text
        if h.repeats >= 3:
            ok = True
        elif h.text == PARTICLE:
            ok = roles.get(h.first) in COUNTED_ROLES
        elif h.kind == "hard":
            ok = True
        else:
            ok = (left_ok and right_ok) or repeated
        if ok:
            kept.append(h)
    return kept


def _next_unit_gap(units: Sequence[Unit], a: _Hit, b: _Hit) -> bool:
    """True if only non-clause punctuation/nothing separates ``a`` and ``b`` (a loop run)."""
    between = units[a.first + a.count : b.first]
    return all(u.kind == "punct" for u in between) and len(between) <= 1


def _merge_loops(units: Sequence[Unit], hits: Sequence[_Hit]) -> list[_Hit]:
    """Collapse runs of ≥3 identical adjacent candidates into one hit with its repeat count.

    A loop is counted whatever its position: repeating a filler word three times is the
    transcriber's artefact (or a stammer), never grammar.
    """
    out: list[_Hit] = []
    i = 0
    while i < len(hits):
        j = i
        while (
            j + 1 < len(hits)
            and hits[j + 1].text == hits[i].text
            and _next_unit_gap(units, hits[j], hits[j + 1])
        ):
            j += 1
        run = j - i + 1
        if run >= 3:
            last = hits[j]
            span = last.first + last.count - hits[i].first
            out.append(_Hit(hits[i].first, span, hits[i].text, hits[i].kind, run))
            i = j + 1
        else:
            out.append(hits[i])
            i += 1
    return out


def _to_filler(units: Sequence[Unit], words: Sequence[Word], hit: _Hit) -> Filler:
    parts = [u for u in units[hit.first : hit.first + hit.count] if u.kind in ("han", "latin")]
    marks: list[tuple[int, int, int]] = []
    for u in parts:
        if marks and marks[-1][0] == u.word and marks[-1][2] <= u.chars[0]:
            w, s, _ = marks[-1]
            marks[-1] = (w, s, u.chars[1])
        else:
            marks.append((u.word, u.chars[0], u.chars[1]))
    idx = tuple(sorted({u.word for u in parts}))
    return Filler(
        text=hit.text,
        kind=hit.kind,
        words=idx,
        marks=tuple(marks),
        start=min(words[i].start for i in idx),
        end=max(words[i].end for i in idx),
        repeats=hit.repeats,
    )


def scan_fillers(
    words: Sequence[Word], language: str = "auto", pauses_before: Collection[int] = ()
) -> tuple[tuple[Filler, ...], tuple[PossibleFiller, ...]]:
    """The fillers in ``words`` in order, and the possible fillers that were not counted.

    ``language`` picks the lexicons ("zh", "en"; anything else uses both, as code-switched
    answers need). ``pauses_before`` holds indices of words preceded by a silent pause,
    which count as clause boundaries. The same words and pauses always give the same
    result: every decision is a function of the units and their neighbours.
    """
    units = transcript_units(words, pauses_before)
    roles = particle_roles(units)
    hits = _accept(units, _merge_loops(units, _candidates(units, language)), roles)
    fillers = tuple(_to_filler(units, words, h) for h in hits)
    counted = {u for h in hits for u in range(h.first, h.first + h.count)}
    possible = tuple(
        PossibleFiller(PARTICLE, role, units[k].word, units[k].chars, *_times(words[units[k].word]))
        for k, role in roles.items()
        if role not in COUNTED_ROLES and k not in counted
    )
    return fillers, possible


def _times(w: Word) -> tuple[float, float]:
    return w.start, w.end


def find_fillers(
    words: Sequence[Word], language: str = "auto", pauses_before: Collection[int] = ()
) -> tuple[Filler, ...]:
    """The fillers in ``words``, in order (see :func:`scan_fillers`)."""
    return scan_fillers(words, language, pauses_before)[0]
