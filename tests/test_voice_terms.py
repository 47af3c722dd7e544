"""English terms in Mandarin questions: splitting, the English forms, joining two voices.

The splitting and the English forms are pure string work; joining is tested with fake
voices that make tones, so the order, rate, level and gaps of the result can be checked.
One test synthesises mixed questions with the real voices and transcribes them back with
the real speech model (marked ``model``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from kiosk.audio import tts
from kiosk.audio.voices.frontend import CLAUSE_PAUSE_S, SENTENCE_PAUSE_S
from kiosk.audio.voices.intelligibility import cer, en_words, wer, zh_units
from kiosk.audio.voices.mixing import join, resample, speak_segments, speech_level, trim_silence
from kiosk.audio.voices.terms import (
    TERM_GAP_S,
    Segment,
    english_form,
    english_text,
    has_terms,
    split_languages,
)


def _split(text: str) -> list[tuple[str, str]]:
    return [(s.language, s.text) for s in split_languages(text)]


# --- splitting a Mandarin question ---------------------------------------------------------


def test_latin_runs_go_to_the_english_voice_in_order() -> None:
    assert _split("微调、RAG 和 LangChain 分别是什么？") == [
        ("zh", "微调、"),
        ("en", "R.A.G."),
        ("zh", "和"),
        ("en", "Lang Chain"),
        ("zh", "分别是什么?"),
    ]


def test_pauses_follow_the_punctuation_between_segments() -> None:
    segments = split_languages("微调、RAG 和 LangChain 分别是什么？各有什么优劣？")
    assert [s.pause_s for s in segments] == [
        CLAUSE_PAUSE_S,  # 、 after 微调
        TERM_GAP_S,  # RAG 和: same phrase
        TERM_GAP_S,
        TERM_GAP_S,
        0.0,  # the last segment
    ]
    ends = split_languages("产品的整体体量有多少？DOT 是多少？")
    assert ends[0].pause_s == SENTENCE_PAUSE_S and ends[1].language == "en"
    comma = split_languages("你怎么看 AI，它会怎样？")
    assert comma[1] == Segment("en", "A.I.", CLAUSE_PAUSE_S)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("工作 3 年", [("zh", "工作 3 年")]),
        ("A/B 测试", [("en", "A.B."), ("zh", "测试")]),
        ("做线上 A B 实验", [("zh", "做线上"), ("en", "A.B."), ("zh", "实验")]),
        ("用 S T A R 法则", [("zh", "用"), ("en", "S.T.A.R."), ("zh", "法则")]),
        ("GPT-4 和 GPT-4o", [("en", "G.P.T. four"), ("zh", "和"), ("en", "G.P.T. four oh")]),
        ("B 端和 C 端", [("en", "B."), ("zh", "端和"), ("en", "C."), ("zh", "端")]),
        ("DAU从10w到1.5k", [("en", "D.A.U."), ("zh", "从10万到1500")]),
        ("从 0 到 1 设计 AI 产品", [("zh", "从 0 到 1 设计"), ("en", "A.I."), ("zh", "产品")]),
        ("ＡＩ医疗", [("en", "A.I."), ("zh", "医疗")]),
        ("你怎么看 AI Agent？", [("zh", "你怎么看"), ("en", "A.I. Agent")]),
        ("C++ & Python 都会", [("en", "C plus plus and Python"), ("zh", "都会")]),
        ("没有英文。", [("zh", "没有英文。")]),
        ("？！", []),
    ],
)
def test_splitting(text: str, expected: list[tuple[str, str]]) -> None:
    assert _split(text) == expected


def test_has_terms() -> None:
    assert has_terms("谈谈 AIGC")
    assert has_terms("ＲＡＧ")
    assert not has_terms("三个月内增长了 35%")


# --- how the English voice says a term -------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "spoken"),
    [
        ("RAG", "R.A.G."),
        ("AIGC", "A.I.G.C."),
        ("LLM", "L.L.M."),
        ("ROI", "R.O.I."),
        ("KPIs", "K.P.I.s"),
        ("R A G", "R.A.G."),
        ("A/B", "A.B."),
        ("LangChain", "Lang Chain"),
        ("ChatGPT", "Chat G.P.T."),
        ("ControlNet", "Control Net"),
        ("LoRA", "Lora"),
        ("FHIR", "fire"),
        ("SaaS", "sass"),
        ("fine-tune", "fine tune"),
        ("Prompt", "Prompt"),
        ("token", "token"),
        ("bad case", "bad case"),
        ("GPT-4", "G.P.T. four"),
    ],
)
def test_english_forms(term: str, spoken: str) -> None:
    assert english_form(term) == spoken


def test_english_questions_spell_acronyms_but_keep_articles() -> None:
    assert english_text("An A B test shows more clicks.") == "An A.B. test shows more clicks."
    assert english_text("A popular AI feature") == "A popular A.I. feature"
    assert english_text("Your R A G pipeline") == "Your R.A.G. pipeline"
    assert english_text("I ship GPT-4.") == "I ship G.P.T. four."


# --- scoring ------------------------------------------------------------------------------


def test_mandarin_scoring_counts_characters_and_whole_terms() -> None:
    assert zh_units("微調、R A G 和 Lang Chain？3个月") == [
        *"微调",
        "rag",
        "和",
        "langchain",
        *"三个月",
    ]
    assert cer("谈谈你对 AI 和 AIGC 的理解。", "谈谈你对AI和AIGC的理解") == 0.0
    assert cer("谈谈你对 AI 和 AIGC 的理解。", "谈谈你对爱和AIGC的理解嗯") == pytest.approx(0.1)


def test_english_scoring_normalises_spelling_numbers_and_letters() -> None:
    assert en_words("An A B test: 10% of our favourite users, summarised") == (
        ["an", "ab", "test", "ten", "percent", "of", "our", "favorite", "users", "summarized"]
    )
    assert wer("Tell me about yourself.", "Tell me about yourself, uh.") == 0.0
    assert wer("Walk me through your resume.", "Walk me through your room.") == 0.2


# --- joining two voices -----------------------------------------------------------------------


def _tone(freq: float, seconds: float, rate: int, amplitude: float) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def _padded(wave: np.ndarray, rate: int, pad_s: float = 0.2) -> np.ndarray:
    pad = np.zeros(int(pad_s * rate), np.float32)
    return np.concatenate([pad, wave, pad])


class FakeVoice:
    """A voice that answers each text with a tone of its own frequency, padded with silence."""

    def __init__(self, freq: float, rate: int, amplitude: float) -> None:
        self.freq, self.rate, self.amplitude = freq, rate, amplitude
        self.said: list[str] = []

    def __call__(self, text: str) -> tuple[np.ndarray, int]:
        self.said.append(text)
        return _padded(_tone(self.freq, 0.1 * len(text), self.rate, self.amplitude), self.rate), (
            self.rate
        )


def _dominant(wave: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(wave))
    return float(np.argmax(spectrum) * rate / wave.size)


def _runs(wave: np.ndarray, rate: int) -> list[tuple[int, int]]:
    """(start, end) sample ranges of sound, split at silences of 10 ms or more."""
    loud = np.abs(wave) > 1e-3
    runs: list[tuple[int, int]] = []
    start = None
    quiet = 0
    for i, on in enumerate(loud):
        if on:
            if start is None:
                start = i
            quiet = 0
        elif start is not None:
            quiet += 1
            if quiet >= rate // 100:
                runs.append((start, i - quiet + 1))
                start, quiet = None, 0
    if start is not None:
        runs.append((start, len(wave)))
    return runs


def test_segments_are_spoken_in_order_at_one_rate_and_level() -> None:
    zh, en = FakeVoice(300, 24_000, 0.5), FakeVoice(1000, 22_050, 0.2)
    segments = split_languages("微调、RAG 和 LangChain 分别是什么？")
    wave, rate = speak_segments(segments, {"zh": zh, "en": en})
    assert rate == 24_000
    assert zh.said == ["微调、", "和", "分别是什么?"] and en.said == ["R.A.G.", "Lang Chain"]
    runs = _runs(wave, rate)
    assert len(runs) == 5
    freqs = [_dominant(wave[a:b], rate) for a, b in runs]
    assert [round(f / 100) for f in freqs] == [3, 10, 3, 10, 3]
    # each tone keeps its length through resampling and trimming (±20 ms)
    for (a, b), seg in zip(runs, segments, strict=True):
        assert (b - a) / rate == pytest.approx(0.1 * len(seg.text), abs=0.02)
    # the English voice is brought to the Mandarin voice's level
    levels = [speech_level(wave[a:b], rate) for a, b in runs]
    assert levels[1] == pytest.approx(levels[0], rel=0.1)
    # gaps are the segments' pauses, not the voices' own padding
    gaps = [(runs[i + 1][0] - runs[i][1]) / rate for i in range(4)]
    expected = [s.pause_s for s in segments[:4]]
    assert gaps == pytest.approx(expected, abs=0.03)


def test_trim_keeps_speech_and_drops_edge_silence() -> None:
    tone = _tone(440, 0.5, 16_000, 0.3)
    trimmed = trim_silence(_padded(tone, 16_000, 0.4), 16_000)
    assert 0.5 <= trimmed.size / 16_000 <= 0.56
    assert trim_silence(np.zeros(1600, np.float32), 16_000).size == 0


def test_resample_keeps_duration_and_pitch() -> None:
    tone = _tone(440, 1.0, 22_050, 0.3)
    out = resample(tone, 22_050, 24_000)
    assert abs(out.size - 24_000) <= 48
    assert _dominant(out, 24_000) == pytest.approx(440, abs=2)


def test_join_without_reference_voice_keeps_levels() -> None:
    quiet = _tone(300, 0.2, 16_000, 0.1)
    wave = join([(quiet, 16_000, 0.1, False), (quiet, 16_000, 0.0, False)], 16_000)
    assert np.abs(wave).max() == pytest.approx(0.1, rel=0.01)


# --- through the speaker ---------------------------------------------------------------------


@pytest.fixture
def fake_voices(monkeypatch: pytest.MonkeyPatch) -> tuple[FakeVoice, list[tuple[str, str, int]]]:
    """The speaker with a fake Mandarin voice and a fake espeak-ng engine thread."""
    mandarin = FakeVoice(300, 24_000, 0.5)
    english: list[tuple[str, str, int]] = []

    def fake_espeak(_backend: Any, text: str, voice: str, rate: int, _gap: int = 0) -> Any:
        english.append((text, voice, rate))
        return _padded(_tone(1000, 0.1 * len(text), 22_050, 0.1), 22_050), 22_050

    monkeypatch.setattr(tts, "_mandarin_voice", lambda: mandarin)
    # The shared engine thread stays (espeak-ng initialises once per process); only what it
    # does with each job is replaced.
    monkeypatch.setattr(tts._EngineThread, "_synthesize", staticmethod(fake_espeak))
    return mandarin, english


def test_mixed_question_joins_both_voices_in_order(
    fake_voices: tuple[FakeVoice, list[tuple[str, str, int]]],
) -> None:
    mandarin, english = fake_voices
    wave, rate = tts.Pyttsx3Speaker(rate=170).synthesize("谈谈你对 AI 和 AIGC 的理解。", "zh")
    assert rate == 24_000
    assert mandarin.said == ["谈谈你对", "和", "的理解。"]
    assert [(t, v) for t, v, _ in english] == [
        ("A.I.", tts.TERM_VOICE),
        ("A.I.G.C.", tts.TERM_VOICE),
    ]
    freqs = [round(_dominant(wave[a:b], rate) / 100) for a, b in _runs(wave, rate)]
    assert freqs == [3, 10, 3, 10, 3]


def test_mandarin_only_question_never_touches_the_english_voice(
    fake_voices: tuple[FakeVoice, list[tuple[str, str, int]]],
) -> None:
    mandarin, english = fake_voices
    tts.Pyttsx3Speaker().synthesize("你做过的项目里，用户规模有多大？", "zh")
    assert mandarin.said == ["你做过的项目里，用户规模有多大？"] and english == []


def test_terms_switched_off_or_failing_fall_back_to_the_mandarin_voice(
    fake_voices: tuple[FakeVoice, list[tuple[str, str, int]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    mandarin, english = fake_voices
    tts.Pyttsx3Speaker(english_terms=False).synthesize("谈谈 AIGC", "zh")
    assert mandarin.said == ["谈谈 AIGC"] and english == []

    def broken(*_a: Any) -> Any:
        raise RuntimeError("espeak-ng produced no audio")

    monkeypatch.setattr(tts._EngineThread, "_synthesize", staticmethod(broken))
    mandarin.said.clear()
    wave, rate = tts.Pyttsx3Speaker().synthesize("谈谈 AIGC", "zh")
    assert mandarin.said[-1] == "谈谈 AIGC" and wave.size and rate == 24_000


# --- the real voices, heard by the real speech model -------------------------------------------

MIXED = [
    ("微调、RAG 和 LangChain 分别是什么？各有什么优劣？", ["rag", "langchain"]),
    ("谈谈你对 AI 和 AIGC 的理解。", ["ai", "aigc"]),
    ("大模型产品做线上 A/B 实验，和传统功能做 A/B 有什么不同？", ["ab"]),
]


@pytest.fixture(scope="module")
def heard_mixed(transcriber: Any) -> list[tuple[str, list[str], str]]:
    """``(question, its terms, what the speech model heard)`` for each mixed question."""
    from kiosk.audio.files import resample as to_16k
    from kiosk.audio.voices import mandarin_available

    if not mandarin_available():
        pytest.skip("the Mandarin voice is not installed")
    speaker = tts.Pyttsx3Speaker()
    out = []
    for question, terms in MIXED:
        wave, rate = speaker.synthesize(question, "zh")
        pad = np.zeros(rate // 2, np.float32)  # as benchmarks/tts.py: silence around the clip
        audio = to_16k(np.concatenate([pad, wave, pad]), rate)
        out.append((question, terms, transcriber.transcribe(audio, "zh").text))
    return out


@pytest.mark.model
def test_mixed_questions_stay_intelligible(heard_mixed: list[tuple[str, list[str], str]]) -> None:
    """Joining the two voices keeps most of each question intelligible.

    Measured here over seven runs: CER 0.22-0.88, 0.30-0.60 and 0.22-0.32 for the three
    (the terms themselves are most of the errors, see the next test; the second question is
    more than half terms). Wide margins: another CPU decodes a little differently and the
    Mandarin voice is not deterministic.
    """
    errors = [cer(question, heard) for question, _terms, heard in heard_mixed]
    assert sum(errors) / len(errors) <= 0.55, heard_mixed
    # Whisper sometimes drops the Mandarin after espeak's terms (one run heard only 微调 of
    # the first question, CER 0.88: docs/VOICES.md); two of the three must still be followed
    assert sum(e <= 0.6 for e in errors) >= 2, heard_mixed


@pytest.mark.model
@pytest.mark.xfail(
    strict=False,
    reason="Whisper base writes espeak-ng's short English terms inside Mandarin as fillers"
    " or Hanzi, not Latin script (measured: 0 of 15 terms; docs/VOICES.md)",
)
def test_english_terms_in_mandarin_questions_are_heard_as_english(
    heard_mixed: list[tuple[str, list[str], str]],
) -> None:
    """The goal: RAG, LangChain, AI, AIGC and A/B come back as Latin-script terms."""
    found = [t for _q, terms, heard in heard_mixed for t in terms if t in zh_units(heard)]
    assert len(found) >= 3, heard_mixed
