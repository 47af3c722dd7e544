"""Follow-ups (追问) that listen: chosen or filled from what the answer said.

An interviewer's next question depends on the answer. Offline and explainable, the kiosk
does the same with three sources, in this order (docs/COACHING.md, "Follow-ups"):

1. a follow-up of the bank question that is about a **term the answer used** (the user
   said RAG, and the bank has 如果知识库每天都在更新，你怎么选？);
2. the bank's other follow-ups, **in their order**;
3. when the bank has no more: a template on a **term the answer used** that the question
   did not ("你提到了 RAG，具体是怎么做的？"), then one on a **key point the answer
   missed** ("你刚才没有提到X，能补充一下吗？").

A follow-up that **presumes** something ("除了脚本优化，你有没有做过…", "你刚才说的上游、
中游、下游…", "Besides the pilot, …") is offered only when the conversation so far said
it — the answers, or the question itself ("What besides money decides the choice here?"
after a question about costs): the presumed words are checked the way key points are
(:func:`kiosk.core.keypoints.check_key_point`, synonyms included). A chain asks each
follow-up once, and at most :data:`MAX_TEMPLATES` templates beyond the bank's own; every
bank follow-up whose presumption holds is reachable in turn.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal

from kiosk.core.content import ContentReview
from kiosk.core.keypoints import AnswerText, Term, check_key_point, form_key, key_point_terms
from kiosk.core.transcript import Word

Reason = Literal["term", "bank", "term_template", "missed"]

MAX_TEMPLATES = 2
"""Template follow-ups a chain may add after the bank's own are used up."""

# --- what a follow-up presumes ----------------------------------------------------------

_END = r"[，,。？?！!；;：:]"
_PRESUMES: tuple[re.Pattern[str], ...] = (
    # 除了脚本优化，… / 除了准确率、召回率这些基本指标，… / 除了X之外…
    re.compile(
        rf"除了(?P<t>[^，,。？?！!；;]+?)(?:这些[^，,。？?]*|那些[^，,。？?]*|之外|以外)?{_END}"
    ),
    # 你刚才说的上游、中游、下游，分别指什么？ / 你提到的X…
    re.compile(
        r"你(?:刚才|之前|前面)?(?:说|提|讲)(?:到)?的(?P<t>[^，,。？?！!；;]+?)(?:，|,|分别|是|有|为什么|怎么|具体)"
    ),
    re.compile(rf"你(?:刚才|之前|前面)?提到(?:了)?(?P<t>[^，,。？?！!；;]+?){_END}"),
    # 之前那家看起来是挺大的国企，为什么离职？
    re.compile(rf"之前那家[^，,。？?]*?的(?P<t>[^，,。？?的]+){_END}"),
    # Besides the pilot, … / Apart from X, … (up to the comma); What besides money decides …
    # (no comma: only the word after it, the rest of the sentence is the question itself)
    re.compile(
        r"\b(?:besides|apart from|aside from|other than)\s+"
        r"(?:(?P<t>[^,.;:?!—]+?)\s*[,;:—]|(?P<w>(?:(?:the|a|an|your|that|this)\s+)?[\w'-]+))",
        re.I,
    ),
    # You mentioned X — … / You said X, …
    re.compile(r"\byou (?:mentioned|said|talked about)\s+(?P<t>[^,.;:?!—]+)", re.I),
)
_LEADING = re.compile(r"^(?:the|a|an|your|that|this)\s+", re.I)


def presumed(follow_up: str) -> tuple[str, ...]:
    """The phrases a follow-up takes as already said (empty when it presumes nothing)."""
    out: list[str] = []
    for pattern in _PRESUMES:
        for m in pattern.finditer(follow_up):
            found = next(text for text in m.groupdict().values() if text)
            phrase = _LEADING.sub("", found.strip())
            if phrase and phrase not in out:
                out.append(phrase)
    return tuple(out)


def _words(texts: Sequence[str]) -> list[Word]:
    return [Word(t, 0.0, 0.0) for t in texts]


def said_before(follow_up: str, heard: Sequence[str], question: str = "") -> bool:
    """True when everything ``follow_up`` presumes was said before it: in ``heard`` (the
    words of the answers) or in ``question`` (what the interviewer asked)."""
    phrases = presumed(follow_up)
    if not phrases:
        return True
    said = [(AnswerText.of(list(heard)), _words(heard))]
    if question:
        said.append((AnswerText.of([question]), _words([question])))
    for phrase in phrases:
        if not key_point_terms(phrase):
            continue  # only function words: nothing to check
        if not any(
            check_key_point(phrase, text, words).status == "covered" for text, words in said
        ):
            return False
    return True


# --- terms worth asking about -----------------------------------------------------------

NOTABLE_TERMS: tuple[str, ...] = (
    # retrieval, training, prompting
    "RAG", "检索增强", "知识库", "向量数据库", "微调", "fine-tuning", "提示词", "prompt",
    "智能体", "agent", "蒸馏", "强化学习", "RLHF", "LoRA", "embedding",
    # evaluation and metrics
    "评测集", "测试集", "召回率", "准确率", "precision", "recall", "幻觉", "hallucination",
    "A/B", "埋点", "灰度", "标注", "annotation", "benchmark", "guardrail",
    # products and growth
    "多模态", "用户画像", "留存", "retention", "转化率", "conversion", "竞品", "churn",
    "知识图谱", "工作流", "私有化部署", "latency", "ROI", "KPI", "DAU",
)  # fmt: skip
"""Terms an interviewer digs into when a candidate drops them (the banks' vocabulary)."""


@dataclass(frozen=True, slots=True)
class HeardTerm:
    """A notable term heard in the answer: its label and the words as said."""

    label: str
    said: str
    count: int
    first: int


def _term_of(label: str) -> Term | None:
    terms = key_point_terms(label)
    return terms[0] if len(terms) == 1 else None


def _mentions(text: AnswerText, term: Term) -> list[tuple[int, int]]:
    return [span for form in term.forms for span in text.find(form)]


def terms_heard(heard: Sequence[str], not_in: Sequence[str] = ()) -> list[HeardTerm]:
    """Notable terms the answer used and none of ``not_in`` (the question, earlier
    follow-ups) did; most often said first, then first said. Synonyms are one term."""
    answer = AnswerText.of(list(heard))
    others = [AnswerText.of([t]) for t in not_in if t]
    found: dict[frozenset[str], HeardTerm] = {}
    for label in NOTABLE_TERMS:
        term = _term_of(label)
        if term is None or term.forms in found:
            continue
        # the term's own words (a synonym such as "track" for 埋点 is no term to ask about)
        spans = sorted(answer.find(form_key(label)))
        if not spans or any(_mentions(o, term) for o in others):
            continue
        a, b = spans[0]
        said = answer.said(a, b).strip()
        if any(h.first == a or h.said.casefold() == said.casefold() for h in found.values()):
            continue  # the same words heard as another term's synonym (RAG ~ 知识库)
        found[term.forms] = HeardTerm(label, said, len(spans), a)
    return sorted(found.values(), key=lambda h: (-h.count, h.first))


# --- choosing ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FollowUp:
    """One follow-up to offer, and why it was chosen (shown to the user)."""

    text: str
    reason: Reason
    why: str


def _template_term(term: HeardTerm, language: str) -> FollowUp:
    word = term.said or term.label
    if language == "en":
        return FollowUp(
            f"You mentioned {word} — how exactly did you use it?",
            "term_template",
            f"you said “{word}”",
        )
    return FollowUp(f"你提到了 {word}，具体是怎么做的？", "term_template", f"you said “{word}”")


def _template_missed(key_point: str, language: str) -> FollowUp:
    if language == "en":
        return FollowUp(
            f"You didn't mention {key_point} — could you add to that?",
            "missed",
            f"key point not heard: {key_point}",
        )
    return FollowUp(
        f"你刚才没有提到{key_point}，能补充一下吗？", "missed", f"key point not heard: {key_point}"
    )


def candidates(
    follow_ups: Sequence[str],
    heard: Sequence[str],
    *,
    question: str = "",
    content: ContentReview | None = None,
    missed: Sequence[str] = (),
    language: str = "zh",
    asked: Collection[str] = (),
) -> list[FollowUp]:
    """Every follow-up that may be asked now, best first (see the module's rules).

    ``heard`` is the words said so far in this chain (the answer and any follow-up
    answers), ``asked`` the follow-ups already put; ``missed`` key points may be given
    instead of (or besides) a ``content`` review, for a follow-up's own answer.
    """
    asked_set = set(asked)
    templates_used = sum(1 for t in asked if t not in follow_ups)
    open_bank = [f for f in follow_ups if f not in asked_set and said_before(f, heard, question)]
    terms = terms_heard(heard, (question, *asked))
    out: list[FollowUp] = []
    answer_terms = [(t, _term_of(t.label)) for t in terms]
    for f in open_bank:
        text = AnswerText.of([f])
        hit = next((h for h, term in answer_terms if term and _mentions(text, term)), None)
        if hit is not None:
            out.append(FollowUp(f, "term", f"you said “{hit.said or hit.label}”"))
    out.extend(FollowUp(f, "bank", "the interviewer's next question") for f in open_bank)
    if templates_used < MAX_TEMPLATES:
        extra = [_template_term(t, language) for t in terms]
        answer, words = AnswerText.of(list(heard)), _words(heard)
        for point in dict.fromkeys([*missed, *missed_points(content)]):
            # a point said in a later answer of the chain is no longer missed
            if check_key_point(point, answer, words).status != "covered":
                extra.append(_template_missed(point, language))
        out.extend(f for f in extra if f.text not in asked_set)
    seen: set[str] = set()
    unique: list[FollowUp] = []
    for option in out:
        if option.text not in seen:
            seen.add(option.text)
            unique.append(option)
    return unique


def missed_points(content: ContentReview | None) -> tuple[str, ...]:
    """The key points a review found missing, then partly covered (for a chain to keep)."""
    if content is None:
        return ()
    order = ("missing", "partly")
    return tuple(k.text for s in order for k in content.key_points if k.status == s)
