"""The answer's language comes from its audio; the question's language is only a hint.

Real model, real speech: every pairing of question and answer language, and an answer that
switches language, with nothing from the decoding prompts in the transcript unless said.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kiosk.audio.files import load_audio
from kiosk.core.coverage import coverage
from kiosk.core.ports import SAMPLE_RATE, Audio, Language
from kiosk.core.transcript import Transcript, is_han
from kiosk.speech.guards import normalize
from kiosk.speech.whisper import PROMPTS, WhisperTranscriber

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
    assert coverage(tx.speech, tx.words) >= 0.97  # all of it, in both languages
    assert_no_prompt(tx)
    assert_no_full_width(tx)


def music(seconds: float = 10.0) -> Audio:
    """A synthetic tune: plucked harmonic notes over a drone, a noise drum on the beat."""
    rng = np.random.default_rng(1)
    notes = [261.6, 293.7, 329.6, 349.2, 392.0, 440.0, 493.9, 523.3]
    t = np.arange(SAMPLE_RATE // 4) / SAMPLE_RATE
    envelope = np.minimum(1.0, t / 0.02) * np.exp(-3 * t)
    bars = []
    for _ in range(int(seconds * 4)):
        f = notes[int(rng.integers(len(notes)))]
        tone = sum(np.sin(2 * np.pi * f * k * t) / k for k in (1, 2, 3)) * envelope
        bars.append(0.15 * (tone + 0.3 * np.sin(2 * np.pi * notes[0] / 2 * t)))
    audio = np.concatenate(bars).astype(np.float32)
    for i in range(0, len(audio), SAMPLE_RATE // 2):
        hit = audio[i : i + 400]
        hit += rng.normal(0, 0.2, len(hit)).astype(np.float32)
    return audio


@pytest.mark.parametrize("hint", ["zh", "en", "auto"])
def test_music_gives_no_words(transcriber: WhisperTranscriber, hint: Language) -> None:
    tx = transcriber.transcribe(music(), hint)
    assert tx.words == (), tx.text
