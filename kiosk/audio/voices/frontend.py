"""Turn an interview question into speakable Mandarin phrases.

The acoustic model only knows pinyin syllables, so everything else must become Hanzi first:
Latin acronyms and jargon (AI, RAG, prompt, A/B …) are mapped to how Chinese speakers say
them or spelled with Chinese letter names; digits become Chinese numerals (cardinals,
decimals, percentages, years read digit by digit, 两 before measure words); punctuation
splits the text into phrases, each followed by a short pause. Pure string work, no model.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

SENTENCE_PAUSE_S = 0.30
CLAUSE_PAUSE_S = 0.15
MAX_PHRASE_CHARS = 40

# Chinese approximations of the English letter names, as heard in Chinese offices.
_LETTER_NAMES = (
    "诶 比 西 迪 伊 艾弗 吉 艾尺 爱 杰 开 艾勒 艾姆 "
    "恩 欧 批 扣 阿 艾斯 提 优 维 达不溜 艾克斯 歪 贼"
)
LETTERS = dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", _LETTER_NAMES.split(" "), strict=True))

# Whole words (matched case-insensitively) said the way Chinese product people say them.
JARGON = {
    "prompt": "提示词",
    "prompts": "提示词",
    "token": "托肯",
    "tokens": "托肯",
    "agent": "智能体",
    "agents": "智能体",
    "embedding": "向量嵌入",
    "finetune": "微调",
    "transformer": "全斯佛么",
    "python": "派森",
    "java": "加瓦",
    "app": "应用",
    "demo": "演示",
    "feedback": "反馈",
    "deadline": "截止日期",
    "roadmap": "路线图",
    "feature": "功能",
    "case": "案例",
    "saas": "萨斯",
    "tob": "兔比",
    "toc": "兔西",
    "chatgpt": "恰特吉批提",
    "copilot": "扣派勒特",
    "ok": "欧开",
    "pipeline": "流水线",
    "workflow": "工作流",
    "dashboard": "看板",
    "metric": "指标",
    "metrics": "指标",
    "growth": "增长",
    "insight": "洞察",
    "benchmark": "基准测试",
    "sprint": "冲刺",
    "backlog": "待办列表",
    "badcase": "坏案例",
    "online": "线上",
    "offline": "线下",
    "leader": "领导",
    "owner": "负责人",
    "review": "评审",
    "bug": "巴格",
    "bugs": "巴格",
}

_SYMBOL_WORDS = (
    (re.compile(r"A\s*/\s*B", re.IGNORECASE), "诶比"),
    (re.compile(r"C\+\+"), "西加加"),
    (re.compile(r"fine-tun(?:e|ing)", re.IGNORECASE), "微调"),
    (re.compile(r"&"), "和"),
    (re.compile(r"(?<=[A-Za-z0-9\u4e00-\u9fff])\s*\+\s*(?=[A-Za-z0-9\u4e00-\u9fff])"), "加"),
)

DIGITS = "零一二三四五六七八九"
_SMALL_UNITS = ("", "十", "百", "千")
_BIG_UNITS = ("", "万", "亿", "万亿")
MEASURE_WORDS = "个次种位名天周倍家条轮本款份项步层类点"


@dataclass(frozen=True, slots=True)
class Phrase:
    """A stretch of Hanzi synthesised in one go, then ``pause_s`` seconds of silence."""

    text: str
    pause_s: float


def read_digits(digits: str) -> str:
    """Digit by digit: 2024 → 二零二四."""
    return "".join(DIGITS[int(d)] for d in digits)


def _four(n: int) -> str:
    """0 < n < 10000, with inner zeros read as one 零."""
    out: list[str] = []
    zero = False
    for power in (3, 2, 1, 0):
        d = n // 10**power % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(DIGITS[d] + _SMALL_UNITS[power])
    return "".join(out)


def cardinal(n: int) -> str:
    """Chinese reading of a non-negative integer: 10 → 十, 1001 → 一千零一, 20000 → 两万."""
    if n == 0:
        return "零"
    if n >= 10**16:
        return read_digits(str(n))
    groups = []
    for i in range(4):
        group = n // 10 ** (4 * i) % 10000
        groups.append(group)
    out: list[str] = []
    pending_zero = False
    for i in range(3, -1, -1):
        group = groups[i]
        if group == 0:
            pending_zero = bool(out)
            continue
        if out and (pending_zero or group < 1000):
            out.append("零")
        out.append(_four(group) + _BIG_UNITS[i])
        pending_zero = False
    text = "".join(out)
    if text.startswith("一十"):
        text = text[1:]
    if text.startswith("二") and len(text) > 1 and text[1] in "千万亿":
        text = "两" + text[1:]
    return text


def _number(match: re.Match[str]) -> str:
    whole, frac, percent, after = match.group(1), match.group(2), match.group(3), match.group(4)
    whole = whole.replace(",", "")
    if after == "年" and len(whole) == 4 and not frac and not percent:
        return read_digits(whole) + after
    if (len(whole) > 1 and whole.startswith("0")) or len(whole) > 16:
        spoken = read_digits(whole)
    else:
        spoken = cardinal(int(whole))
        if spoken == "二" and not frac and not percent and after and after in MEASURE_WORDS:
            spoken = "两"
    if frac:
        spoken += "点" + read_digits(frac)
    if percent:
        spoken = "百分之" + spoken
    return spoken + (after or "")


_NUMBER = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(%)?(\S)?")
_RANGE = re.compile(r"(?<=\d)\s*[-~～—–]\s*(?=\d)")


_THOUSANDS = re.compile(r"(\d+(?:\.\d+)?)\s*[kK](?![A-Za-z])")
_TEN_THOUSANDS = re.compile(r"(\d+(?:\.\d+)?)\s*[wW](?![A-Za-z])")


def _thousands(match: re.Match[str]) -> str:
    value = round(float(match.group(1)) * 1000, 6)
    return str(int(value)) if value.is_integer() else match.group(0)


def thousands_shorthand(text: str) -> str:
    """Chat shorthand for numbers written out: 1.5k → 1500, 10w → 10万 (not Latin words)."""
    text = _THOUSANDS.sub(_thousands, text)
    return _TEN_THOUSANDS.sub(r"\1万", text)


def numbers_to_chinese(text: str) -> str:
    """3个月 → 三个月, 2个 → 两个, 3.5% → 百分之三点五, 2024年 → 二零二四年, 3-5年 → 三到五年.

    Chat shorthand too: 10w → 十万, 1.5k → 一千五百.
    """
    text = _RANGE.sub("到", text)
    return _NUMBER.sub(_number, thousands_shorthand(text))


def spell(word: str) -> str:
    """Letter by letter with Chinese letter names: RAG → 阿诶吉."""
    return "".join(LETTERS.get(ch.upper(), "") for ch in word)


def _latin(match: re.Match[str]) -> str:
    word = match.group(0)
    return JARGON.get(word.lower()) or spell(word)


def latin_to_chinese(text: str) -> str:
    """AI → 诶爱, prompt → 提示词, A/B → 诶比, other words spelled letter by letter."""
    for pattern, spoken in _SYMBOL_WORDS:
        text = pattern.sub(spoken, text)
    return re.sub(r"[A-Za-z]+", _latin, text)


def normalize(text: str) -> str:
    """Full-width forms folded, numbers then Latin made Chinese; punctuation kept."""
    text = unicodedata.normalize("NFKC", text)
    return latin_to_chinese(numbers_to_chinese(text))


_SENTENCE_END = "。！？；!?;\n"
_CLAUSE_END = "，、：,:…—"
_SPLIT = re.compile(r"([" + re.escape(_SENTENCE_END + _CLAUSE_END) + r"]|\.(?!\d))")
_HAN = re.compile(r"[\u3400-\u9fff]+")


def _chunks(text: str, limit: int) -> list[str]:
    return [text[i : i + limit] for i in range(0, len(text), limit)]


def to_phrases(text: str) -> list[Phrase]:
    """Split normalised text at punctuation into Han-only phrases with the pause after each."""
    phrases: list[Phrase] = []
    parts = _SPLIT.split(normalize(text))
    for piece, mark in zip(parts[::2], [*parts[1::2], "。"], strict=True):
        han = "".join(_HAN.findall(piece))
        if not han:
            continue
        pause = CLAUSE_PAUSE_S if mark in _CLAUSE_END else SENTENCE_PAUSE_S
        chunks = _chunks(han, MAX_PHRASE_CHARS)
        phrases += [Phrase(c, CLAUSE_PAUSE_S) for c in chunks[:-1]]
        phrases.append(Phrase(chunks[-1], pause))
    return phrases
