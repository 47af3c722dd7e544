"""Streaming on real speech with the real model, checked against a batch pass of the same audio.

Each clip is fed in 0.5 s blocks as fast as the model allows (the policy sees the same
sequence of buffers as at real time, only sooner), followed by 1.5 s of closing silence,
and compared with :meth:`WhisperTranscriber.transcribe` on the same samples: content kept,
nothing doubled at a chunk join that the batch pass does not also have, word times
monotonic and near the batch times, fillers kept, and the same speech spans as
faster-whisper's own VAD over the recording from ``VAD_LEAD`` before its first sound. Every
clip is streamed and transcribed once per module to keep the model work small.
"""

from __future__ import annotations

import difflib
import itertools
import statistics
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from faster_whisper.vad import get_speech_timestamps

from kiosk.audio.files import load_audio
from kiosk.core.chunking import LOUD_FRAME, VAD_LEAD, Policy, first_sound
from kiosk.core.ports import SAMPLE_RATE, Audio, Language
from kiosk.core.transcript import Span, Transcript, is_han
from kiosk.speech.guards import normalize
from kiosk.speech.streaming import StreamingTranscriber
from kiosk.speech.whisper import SPEECH_VAD, WhisperTranscriber

pytestmark = pytest.mark.model

DATA = Path(__file__).parent / "data"
BLOCK = SAMPLE_RATE // 2


@dataclass(frozen=True)
class Run:
    audio: Audio
    batch: Transcript
    stream: Transcript
    boundaries: tuple[float, ...]
    passes: int
    reference: int
    """Units in batch passes over each source clip alone (each shorter than 30 s)."""


def _silence(seconds: float) -> Audio:
    return np.zeros(int(seconds * SAMPLE_RATE), np.float32)


def _parts(name: str) -> list[Audio]:
    """The source clips of an answer and the pauses between them."""
    if name == "zh_long":  # several cuts, pauses of different lengths between the parts
        welcome = load_audio(DATA / "zh_welcome.wav")
        talk = load_audio(DATA / "zh_conversation.wav")
        return [welcome, _silence(0.3), talk, _silence(0.8), welcome]
    file = {"zh": "zh_conversation.wav", "en": "en_jfk.flac"}[name]
    return [load_audio(DATA / file)]


LANGS: dict[str, Language] = {"zh": "zh", "en": "auto", "zh_long": "zh"}


@pytest.fixture(scope="module", params=["zh", "en", "zh_long"])
def run(request: pytest.FixtureRequest, transcriber: WhisperTranscriber) -> Run:
    parts = _parts(request.param)
    audio = np.concatenate([*parts, _silence(1.5)])
    lang = LANGS[request.param]
    proc = StreamingTranscriber(transcriber, lang, Policy())  # with draft captions
    for i in range(0, len(audio), BLOCK):
        proc.insert_audio(audio[i : i + BLOCK])
        proc.process()
    assert proc.drafts > 0
    stream = proc.finish()
    batch_lang: Language = "en" if stream.language == "en" else "zh"
    batch = transcriber.transcribe(audio, batch_lang)
    reference = len(_units(batch))
    if len(parts) > 1:
        alone = {id(p): transcriber.transcribe(p, batch_lang) for p in parts if p.any()}
        reference = sum(len(_units(alone[id(p)])) for p in parts if id(p) in alone)
    return Run(audio, batch, stream, tuple(proc.boundaries), proc.passes, reference)


def _units(tx: Transcript) -> list[tuple[str, float]]:
    """Han characters (Mandarin) or normalised words, each with its word's start time."""
    out: list[tuple[str, float]] = []
    for w in tx.words:
        norm = normalize(w.text)
        if tx.language == "zh":
            out.extend((ch, w.start) for ch in norm if is_han(ch))
        elif norm:
            out.append((norm, w.start))
    return out


def test_content_as_in_batch(run: Run) -> None:
    kept = len(_units(run.stream)) / len(_units(run.batch))
    assert kept >= 0.97, (run.stream.text, run.batch.text)
    tokens = [u for u, _ in _units(run.stream)]
    ratio = difflib.SequenceMatcher(None, tokens, [u for u, _ in _units(run.batch)]).ratio()
    assert ratio >= 0.85, (run.stream.text, run.batch.text)


def test_language_found_and_simplified(run: Run) -> None:
    assert run.stream.language == run.batch.language
    if run.stream.language == "zh":
        assert "這" not in run.stream.text and "們" not in run.stream.text


def _repeats(seq: list[str], batch: str) -> list[str]:
    """Back-to-back repeated n-grams (2-6 units) in ``seq`` that ``batch`` does not have."""
    found = []
    for n in range(2, 7):
        for i in range(len(seq) - 2 * n + 1):
            gram = "".join(seq[i : i + n])
            if seq[i : i + n] == seq[i + n : i + 2 * n] and gram * 2 not in batch:
                found.append(gram)
    return found


def test_nothing_doubled_at_a_join(run: Run) -> None:
    units = _units(run.stream)
    batch = "".join(u for u, _ in _units(run.batch))
    assert len(units) <= 1.03 * run.reference
    for at in run.boundaries:
        near = [i for i, (_, t) in enumerate(units) if abs(t - at) <= 4.0]
        if near:
            seq = [u for u, _ in units[near[0] : near[-1] + 1]]
            assert not _repeats(seq, batch), (at, run.stream.text)


def test_word_times_monotonic_inside_and_near_batch(run: Run) -> None:
    words = run.stream.words
    duration = len(run.audio) / SAMPLE_RATE
    assert all(0.0 <= w.start <= w.end <= duration for w in words)
    assert all(a.start <= b.start for a, b in itertools.pairwise(words))
    mine, theirs = _units(run.stream), _units(run.batch)
    matcher = difflib.SequenceMatcher(None, [u for u, _ in mine], [u for u, _ in theirs])
    offsets = [
        abs(mine[block.a + i][1] - theirs[block.b + i][1])
        for block in matcher.get_matching_blocks()
        for i in range(block.size)
    ]
    assert len(offsets) >= 0.8 * len(theirs)
    assert statistics.median(offsets) <= 0.3
    assert sorted(offsets)[int(0.9 * len(offsets))] <= 1.0


def test_fillers_kept_like_batch(run: Run) -> None:
    def fillers(tx: Transcript) -> int:
        return sum(normalize(w.text) in {"啊", "嗯", "呃", "um", "uh"} for w in tx.words)

    assert abs(fillers(run.stream) - fillers(run.batch)) <= max(1, fillers(run.batch) // 3)


def _whole_pass(audio: Audio) -> tuple[Span, ...]:
    """faster-whisper's VAD in one pass over ``audio`` from ``VAD_LEAD`` before its first
    sound (silence before the recording's start where the sound comes sooner)."""
    look_back = np.zeros(LOUD_FRAME - 1, np.float32)
    found = first_sound(np.concatenate([look_back, audio]))
    assert found is not None
    anchor = found - len(look_back) - round(VAD_LEAD * SAMPLE_RATE)
    heard = np.concatenate([np.zeros(max(0, -anchor), np.float32), audio[max(0, anchor) :]])
    stamps = get_speech_timestamps(heard, SPEECH_VAD, sampling_rate=SAMPLE_RATE)
    return tuple(
        Span(max(0, s["start"] + anchor) / SAMPLE_RATE, (s["end"] + anchor) / SAMPLE_RATE)
        for s in stamps
    )


def test_speech_spans_equal_a_whole_recording_pass(run: Run) -> None:
    assert run.stream.speech == _whole_pass(run.audio)
    assert run.stream.duration == pytest.approx(len(run.audio) / SAMPLE_RATE)


def test_long_answer_is_cut_several_times(run: Run) -> None:
    seconds = len(run.audio) / SAMPLE_RATE
    assert len(run.boundaries) + 1 >= seconds / 15  # chunks of at most 15 s
    assert run.passes >= len(run.boundaries)  # passes run ahead come on top


@pytest.mark.parametrize(("name", "lang"), [("zh_conversation.wav", "zh"), ("en_jfk.flac", "en")])
def test_a_draft_reads_roughly_what_the_full_pass_reads(
    transcriber: WhisperTranscriber, name: str, lang: str
) -> None:
    """Draft readings (captions only) share most of their text with the full pass (stated
    margin: half the units; measured 0.80 zh, 1.00 en), in simplified characters, and stay silent
    on silence."""
    audio = load_audio(DATA / name)[SAMPLE_RATE : 8 * SAMPLE_RATE]
    draft = transcriber.draft_words(audio, lang)
    full = transcriber.decode_words(audio, lang)
    assert len(draft) == 1 and 0.0 <= draft[0].start < draft[0].end <= 7.0
    texts = [" ".join(w.text for w in words) for words in (draft, full)]
    units = [
        [ch for ch in t if is_han(ch)] if lang == "zh" else normalize(t).split() for t in texts
    ]
    ratio = difflib.SequenceMatcher(None, *units).ratio()
    assert ratio >= 0.5, texts
    assert "這" not in draft[0].text and "們" not in draft[0].text
    assert transcriber.draft_words(_silence(3.0), lang) == []
