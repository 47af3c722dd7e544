"""Offline speech-to-text on the embedded Whisper model (faster-whisper, CPU int8).

The report is about *how* someone speaks, so the transcript must keep hesitations
(嗯/呃/啊, um/uh) that Whisper normally tidies away, must not invent speech in silence, and
must put every word on the timeline of the whole recording. Choices, measured on the real
clips in ``tests/data`` (figures in ``docs/TRANSCRIPTION.md``):

* Silero VAD on for decoding: silence is never fed to the decoder, and a prompt is only
  safe with VAD (without it a prompt sent a long Mandarin clip into a loop).
* A filler-rich prompt per language, given as *hotwords* so it is repeated for every 30 s
  window; previous text is not carried over (``condition_on_previous_text=False``), which
  stops one window's loop from seeding the next.
* Greedy temperature only, and a token budget scaled to the clip, so a hard clip costs one
  bounded pass instead of three fallbacks of a looping decoder.
* :mod:`kiosk.speech.guards` drops silent, looping and credit-phrase segments and collapses
  repeated n-grams; Mandarin is converted to simplified characters (OpenCC t2s).
* Speech spans for pause metrics come from a second, finer VAD pass (:func:`speech_spans`):
  the decoding VAD's defaults call nearly everything speech.

Never downloads: the model is a local directory and the Hugging Face hub is set offline.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import math
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ctranslate2
import numpy as np
import opencc
from faster_whisper import WhisperModel
from faster_whisper.tokenizer import Tokenizer
from faster_whisper.vad import VadOptions, get_speech_timestamps

from kiosk.core.errors import ModelError
from kiosk.core.ports import (
    SAMPLE_RATE,
    Audio,
    Cancelled,
    Language,
    Progress,
    ProgressCallback,
)
from kiosk.core.transcript import Span, Transcript, Word, fold_width
from kiosk.speech.guards import (
    SegmentStats,
    compression_ratio,
    echoes_prompt,
    is_spurious,
)
from kiosk.speech.registry import ModelInfo, resolve_model

SPEECH_VAD = VadOptions(min_silence_duration_ms=250, speech_pad_ms=30)
"""Finer than the decoding VAD so pauses of a quarter second or more show up as gaps."""

PROMPTS: dict[str, str] = {
    "zh": "嗯，那个，我觉得，啊，就是说，呃，这个问题啊，嗯，怎么讲呢。",
    "en": "Um, so, uh, I think, er, hmm, you know, like, it's, uh, it's hard to say.",
}
"""Filler-rich context per language: tells Whisper that hesitations are to be written."""

TOKENS_PER_SECOND = 12
"""Token budget per second of audio: fast Mandarin needs about 6-8 (133 for 24.5 s)."""
MIN_TOKENS, MAX_TOKENS = 48, 224
BEAM_SIZE = 5
TAIL_MARGIN_S = 0.35
"""Decoding stops when a segment ends this close to the end of the last speech span."""
HINT_WEIGHT = 2.0
"""How much likelier the other language must sound than the question's to be chosen."""
BATCH_BLOCK = 30 * SAMPLE_RATE
"""Samples fed at a time when a whole recording is transcribed."""
PROBE_FRAMES = 400
"""Mel frames (4 s) the encoder hears for a language probe. Whisper's encoder accepts
shorter windows than its 30 s; for a probe of 3 s of speech the language probabilities
are the same to about 0.01 and the encoder costs a tenth (see docs/STREAMING.md)."""
WINDOW_STEP_S = 10
WINDOW_MARGIN_S = 2
"""A draft reading's encoder hears a window of 10, 20 or 30 s, the shortest that holds its
audio with 2 s to spare, not faster-whisper's fixed 30 s: the encoder is most of the cost of
a pass over a short stretch. Final passes keep the 30 s window: with shorter ones the same
speech recorded twice (a file and its replay through a microphone) was written differently
more often ("American" / "Americans"), and one filler of six was lost (docs/TRANSCRIPTION.md)."""
DRAFT_TOKENS_PER_SECOND = 16
"""Token budget of a draft reading per second of audio (text and timestamp tokens)."""
_FIX = "run `kiosk model install --force`, or pass --model DIR with a CTranslate2 Whisper model"


def window_frames(samples: int, hop: int = 160) -> int:
    """Mel frames of the encoder window for ``samples`` of audio (see ``WINDOW_STEP_S``)."""
    step = WINDOW_STEP_S * SAMPLE_RATE // hop
    frames = math.ceil((samples + WINDOW_MARGIN_S * SAMPLE_RATE) / hop)
    return min(3 * step, step * math.ceil(frames / step))


def speech_spans(audio: Audio) -> tuple[Span, ...]:
    """Where Silero VAD hears speech, in seconds on the recording's own timeline."""
    if audio.size == 0:
        return ()
    stamps = get_speech_timestamps(audio, SPEECH_VAD, sampling_rate=SAMPLE_RATE)
    return tuple(Span(s["start"] / SAMPLE_RATE, s["end"] / SAMPLE_RATE) for s in stamps)


def load_transcriber(
    model_dir: Path | None = None,
    *,
    cache: Path | None = None,
    compute_type: str = "int8",
    cpu_threads: int = 0,
) -> WhisperTranscriber:
    """Load the speech model once (the embedded one unless ``model_dir`` is given).

    Raises :class:`ModelError` with a fix hint if the model is missing or cannot be loaded.
    """
    if cache is None:
        from kiosk.config import cache_dir

        cache = cache_dir()
    info = resolve_model(model_dir, cache)
    threads = cpu_threads or min(4, os.cpu_count() or 1)
    try:
        model = WhisperModel(
            str(info.path),
            device="cpu",
            compute_type=compute_type,
            cpu_threads=threads,
            local_files_only=True,
        )
    except (RuntimeError, ValueError, OSError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ModelError(f"cannot load speech model at {info.path}: {reason}; {_FIX}") from None
    return WhisperTranscriber(model, info)


class WhisperTranscriber:
    """A loaded Whisper model. One transcription at a time; safe to call from a worker."""

    def __init__(self, model: WhisperModel, info: ModelInfo) -> None:
        self.model = model
        self.info = info
        self._lock = threading.Lock()
        self._t2s = opencc.OpenCC("t2s")
        self._tokenizers: dict[str, Tokenizer] = {}

    def transcribe(
        self,
        audio: Audio,
        language: Language = "auto",
        on_progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> Transcript:
        """Transcribe 16 kHz mono float32 ``audio``; raise :class:`Cancelled` if asked to stop.

        The recording goes through the same chunking as an answer transcribed while it
        is spoken (:class:`kiosk.speech.streaming.StreamingTranscriber`), fed a block at a time:
        the same audio gives the same words whichever way it came in, and memory stays
        bounded by the block and the chunk, not the recording's length.
        """
        from kiosk.speech.streaming import StreamingTranscriber

        duration = len(audio) / SAMPLE_RATE
        _check(cancel)
        processor = StreamingTranscriber(self, language)
        for i in range(0, len(audio), BATCH_BLOCK):
            processor.insert_audio(audio[i : i + BATCH_BLOCK])
            processor.decide(cancel)
            if on_progress:
                done = min(duration, max(0.0, processor.start))
                on_progress(Progress(done=done, total=duration))
        _check(cancel)
        transcript = processor.finish()
        if on_progress:
            on_progress(Progress(done=duration, total=duration))
        return transcript

    def decode_words(
        self, audio: Audio, lang: str, cancel: threading.Event | None = None
    ) -> list[Word]:
        """Words of one stretch of audio in a known language, on its own timeline.

        The same decoding, guards and simplification as :meth:`transcribe`, without the
        speech spans, language detection or repeat collapsing (the caller does those over
        the whole answer, e.g. the streaming transcriber over its chunks).
        """
        with self._lock:
            spans = speech_spans(audio)
            if not spans:
                return []
            return self._decode(audio, lang, spans[-1].end, None, cancel)

    def _decode(
        self,
        audio: Audio,
        lang: str,
        speech_end: float,
        on_progress: ProgressCallback | None,
        cancel: threading.Event | None,
    ) -> list[Word]:
        duration = len(audio) / SAMPLE_RATE
        words: list[Word] = []
        for seg in self._segments(audio, lang, duration, speech_end):
            _check(cancel)
            words.extend(self._words(seg, lang, duration))
            if on_progress:
                on_progress(Progress(done=min(duration, float(seg.end)), total=duration))
        return words

    def detect_language(self, audio: Audio, hint: str | None = None) -> str:
        """``"zh"`` or ``"en"``: what the first 4 s of ``audio`` sound like, the ``hint``
        (the question's language) only breaking near ties: the other language wins when
        Whisper finds it at least ``HINT_WEIGHT`` times as likely."""
        if audio.size == 0:
            return hint or "zh"
        with self._lock:
            found = self.model.model.detect_language(self._mel(audio, PROBE_FRAMES))[0]
        scores = {token.strip("<|>"): prob for token, prob in found}
        zh, en = scores.get("zh", 0.0), scores.get("en", 0.0)
        if hint == "zh":
            return "en" if en >= HINT_WEIGHT * zh else "zh"
        if hint == "en":
            return "zh" if zh >= HINT_WEIGHT * en else "en"
        return "zh" if zh >= en else "en"

    def draft_words(self, audio: Audio, lang: str) -> list[Word]:
        """A quick rough reading of ``audio`` for live captions, never for a report.

        Greedy, on the short encoder window (:func:`window_frames`), without the filler
        prompt (which greedy decoding tends to continue instead of transcribing) or word
        timestamps: a few times cheaper than :meth:`decode_words`. One :class:`Word`
        holding the whole text, ending where the decoder's last timestamp says the speech
        it read ended; nothing for silence or a loop.
        """
        seconds = len(audio) / SAMPLE_RATE
        if audio.size == 0:
            return []
        frames = window_frames(len(audio), self.model.feature_extractor.hop_length)
        with self._lock:
            tokenizer = self._tokenizer(lang)
            result = self.model.model.generate(
                self._mel(audio, frames),
                [list(tokenizer.sot_sequence)],
                beam_size=1,
                max_length=int(DRAFT_TOKENS_PER_SECOND * seconds) + 8,
                return_scores=True,
                return_no_speech_prob=True,
                suppress_blank=True,
                suppress_tokens=[-1],
                max_initial_timestamp_index=50,
            )[0]
        ids = result.sequences_ids[0]
        text = fold_width(tokenizer.decode(ids).replace("\ufffd", "")).strip()
        if lang == "zh":
            text = self._t2s.convert(text)
        logprob = result.scores[0] * len(ids) / (len(ids) + 1)
        stats = SegmentStats(text, result.no_speech_prob, logprob, compression_ratio(text))
        if not text or is_spurious(stats):
            return []
        stamps = [
            (i - tokenizer.timestamp_begin) * 0.02 for i in ids if i >= tokenizer.timestamp_begin
        ]
        end = min(seconds, max(stamps)) if stamps and max(stamps) > 0 else seconds
        start = min(end, min(stamps)) if stamps else 0.0
        return [Word(text, start, end, float(np.exp(logprob)))]

    def _mel(self, audio: Audio, frames: int) -> ctranslate2.StorageView:
        """The log-mel features of ``audio`` cut or padded with silence to ``frames``."""
        extractor = self.model.feature_extractor
        samples = frames * extractor.hop_length
        padded = np.zeros(samples, dtype=np.float32)
        padded[: min(samples, len(audio))] = audio[:samples]
        mel = extractor(padded, padding=0)[:, :frames]
        return ctranslate2.StorageView.from_array(np.ascontiguousarray(mel[None], np.float32))

    def _tokenizer(self, lang: str) -> Tokenizer:
        if lang not in self._tokenizers:
            self._tokenizers[lang] = Tokenizer(
                self.model.hf_tokenizer,
                self.model.model.is_multilingual,
                task="transcribe",
                language=lang,
            )
        return self._tokenizers[lang]

    def _segments(
        self, audio: Audio, lang: str, duration: float, speech_end: float
    ) -> Iterator[Any]:
        """Decoded segments worth keeping, stopping once all detected speech is covered.

        Whisper otherwise decodes the VAD padding after the last word as a window of its
        own (one more 30 s encoder pass each), where it tends to write fillers or loops.
        """
        budget = int(min(MAX_TOKENS, max(MIN_TOKENS, TOKENS_PER_SECOND * duration)))
        segments, _info = self.model.transcribe(
            audio,
            language=lang,
            beam_size=BEAM_SIZE,
            temperature=0.0,
            condition_on_previous_text=False,
            hotwords=PROMPTS.get(lang),
            vad_filter=True,
            word_timestamps=True,
            max_new_tokens=budget,
        )
        for seg in segments:
            stats = SegmentStats(
                seg.text, seg.no_speech_prob, seg.avg_logprob, seg.compression_ratio
            )
            if not is_spurious(stats) and not echoes_prompt(seg.text, PROMPTS.get(lang)):
                yield seg
            if seg.end + TAIL_MARGIN_S >= speech_end:
                return

    def _words(self, seg: Any, lang: str, duration: float) -> list[Word]:
        out = []
        for w in seg.words or ():
            # U+FFFD: a character Whisper split across tokens and never finished
            text = fold_width(w.word.replace("\ufffd", "")).strip()
            if lang == "zh":
                text = self._t2s.convert(text)
            if not text:
                continue
            start = min(max(0.0, float(w.start)), duration)
            end = min(max(start, float(w.end)), duration)
            out.append(Word(text, start, end, float(w.probability)))
        return out


def _check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled("transcription cancelled")
