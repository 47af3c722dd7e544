"""The answer's language comes from its audio; the question's language is only a hint.

Real model, real speech: every pairing of question and answer language, and an answer that
switches language, with nothing from the decoding prompts in the transcript unless said.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from audio.files import load_audio
from kiosk.core.ports import SAMPLE_RATE, Audio, Language
from kiosk.core.transcript import Transcript, is_han
from models.guards import normalize
from models.whisper import PROMPTS, WhisperTranscriber

pytestmark = pytest.mark.model

DATA = Path(__file__).parent / "data"
JFK = "ask not what your country can do for you"


def clip(name: str) -> Audio:
    return load_audio(DATA / name)


def han(tx: Transcript) -> int:
    return sum(is_han(ch) for ch in tx.text)


def prompt_phrases() -> set[str]:
    """Runs of 3+ prompt words (English) or 4+ characters (Mandarin) never said here."""
    en = [normalize(w) for w in PROMPTS["en"].split()]
    found = {" ".join(en[i : i + 3]) for i in range(len(en) - 2)}
    zh = normalize(PROMPTS["zh"])
    return found | {zh[i : i + 4] for i in range(len(zh) - 3)}


def assert_no_prompt(tx: Transcript) -> None:
    text = " ".join(normalize(w.text) for w in tx.words)
    leaked = [p for p in prompt_phrases() if p in text or p in text.replace(" ", "")]
    assert not leaked, (leaked, tx.text)


def assert_no_full_width(tx: Transcript) -> None:
    """No full-width Latin letters or digits (Chinese punctuation such as ，is fine)."""
    assert not any(ch.isalnum() and "\uff01" <= ch <= "\uff5e" for ch in tx.text), tx.text
    assert "\ufffd" not in tx.text, tx.text


@pytest.mark.parametrize("hint", ["zh", "en", "auto"])
def test_mandarin_answer_whatever_the_question(
    transcriber: WhisperTranscriber, hint: Language
) -> None:
    tx = transcriber.transcribe(clip("zh_conversation.wav"), hint)
    assert tx.language == "zh"
    assert han(tx) >= 110  # 121-123 Han characters on the CPUs measured
    assert_no_prompt(tx)
    assert_no_full_width(tx)


@pytest.mark.parametrize("hint", ["zh", "en", "auto"])
def test_english_answer_whatever_the_question(
    transcriber: WhisperTranscriber, hint: Language
) -> None:
    tx = transcriber.transcribe(clip("en_jfk.flac"), hint)
    assert tx.language == "en"
    assert JFK in " ".join(normalize(w.text) for w in tx.words)
    assert han(tx) == 0
    assert_no_prompt(tx)


def test_an_answer_that_switches_language_keeps_both(transcriber: WhisperTranscriber) -> None:
    gap = np.zeros(SAMPLE_RATE // 2, np.float32)
    welcome = clip("zh_welcome.wav")
    audio = np.concatenate([welcome, gap, clip("en_jfk.flac"), gap, welcome])
    tx = transcriber.transcribe(audio, "zh")
    text = " ".join(normalize(w.text) for w in tx.words)
    assert JFK in text  # the English sentence as English, not translated
    assert text.replace(" ", "").count("欢迎大家来体验") == 2
    assert_no_prompt(tx)
    assert_no_full_width(tx)
