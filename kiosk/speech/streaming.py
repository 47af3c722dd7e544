"""Streaming transcription: the answer is transcribed while it is spoken.

A push-style processor with no I/O of its own, so the microphone, a file replayed at real
time and the tests drive the same object: :meth:`StreamingTranscriber.insert_audio` takes
blocks (from any thread), :meth:`~StreamingTranscriber.process` does one bounded step
(at most one Whisper pass, on at most ``Policy.max_chunk`` seconds) and
:meth:`~StreamingTranscriber.finish` returns the whole answer's :class:`Transcript`.
:class:`LiveStream` runs it on a worker thread behind a recorder's ``on_audio`` callback.

What is cut where is decided by the pure :mod:`kiosk.core.chunking`; this module feeds it
speech probabilities and decoded words. Decoding goes through
:meth:`kiosk.speech.whisper.WhisperTranscriber.decode_words`, so chunks get the batch path's
prompt, guards and simplified Chinese, and :func:`kiosk.speech.guards.tidy_words` finishes the
whole answer as a batch pass does. Silero VAD runs incrementally (carrying its recurrent
state), which gives exactly the probabilities of one pass over the recording from
``VAD_LEAD`` before its first sound (:class:`AnchoredProbabilities`) — so the report's
speech spans equal the batch transcriber's at no cost at the stop key, and the same answer
gets the same spans and cuts whatever silence the recording began with.
"""

from __future__ import annotations

import logging
import threading
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from kiosk.core.chunking import (
    CUT_PARAMS,
    GRID,
    LOUD_FRAME,
    SPEECH_PARAMS,
    TAIL_PAD,
    VAD_LEAD,
    WINDOW,
    Caption,
    Cut,
    Policy,
    anchor_range,
    caption_of,
    closed_speech_end,
    context_start,
    due_tentative,
    first_sound,
    has_speech,
    join_chunk,
    plan_cut,
    shift,
    spans_from_probs,
    split_at_horizon,
    vad_grid,
    words_from,
)
from kiosk.core.coverage import untranscribed
from kiosk.core.ports import SAMPLE_RATE, Audio, Cancelled, Language
from kiosk.core.transcript import Span, Transcript, Word
from kiosk.speech.guards import drop_stray_marks, tidy_words

log = logging.getLogger(__name__)

_CONTEXT = 64
"""Silero VAD sees the last 64 samples of the previous window with each window."""
VAD_BATCH = 1024
"""Windows (about 33 s) given to Silero VAD at once: a backlog of minutes is run in
batches of this size (same probabilities), so the model's working memory stays small."""


LOOKAHEAD = 2 * TAIL_PAD + LOUD_FRAME / SAMPLE_RATE
"""Audio after a chunk's planned end that its sound edge is found on (the next sound,
if nearer than twice ``TAIL_PAD``); a cut is decided only once that much is heard."""
DETECT_S = 3.0
"""A chunk's language is heard on this much of its own audio at most (seconds)."""
MIN_DETECT_S = 2.0
"""A chunk with less audio of its own than this keeps the language before it."""
MAX_REFILLS = 3
"""Passes a chunk may spend on speech its own pass skipped: bounded work."""
REFILL_MARGIN = 0.3
"""Audio decoded on each side of a skipped stretch (seconds)."""


class ChunkDecoder(Protocol):
    """What the processor needs from a speech model (``WhisperTranscriber`` has it)."""

    def decode_words(self, audio: Audio, lang: str) -> list[Word]: ...

    def draft_words(self, audio: Audio, lang: str) -> list[Word]:
        """A quick rough reading for captions (never final words)."""
        ...

    def detect_language(self, audio: Audio, hint: str | None = None) -> str: ...


class SpeechProbabilities(Protocol):
    """Per-window (512 samples) speech probabilities, computed as audio arrives."""

    def feed(self, audio: Audio) -> list[float]: ...

    def flush(self) -> list[float]: ...


class SileroProbabilities:
    """Silero VAD fed block by block, carrying its state: same output as one whole pass."""

    def __init__(self) -> None:
        from faster_whisper.vad import get_vad_model

        self._session: Any = get_vad_model().session
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(_CONTEXT, dtype=np.float32)
        self._rest = np.zeros(0, dtype=np.float32)

    def feed(self, audio: Audio) -> list[float]:
        """Probabilities of the windows ``audio`` completes, :data:`VAD_BATCH` at a time."""
        probs: list[float] = []
        step = VAD_BATCH * WINDOW
        for i in range(0, len(audio), step):
            probs += self._run(audio[i : i + step])
        return probs

    def _run(self, audio: Audio) -> list[float]:
        data = np.concatenate([self._rest, audio.astype(np.float32, copy=False)])
        usable = len(data) // WINDOW * WINDOW
        self._rest = data[usable:].copy()
        if usable == 0:
            return []
        windows = data[:usable].reshape(-1, WINDOW)
        contexts = np.concatenate([self._context[None, :], windows[:-1, -_CONTEXT:]], axis=0)
        batch = np.concatenate([contexts, windows], axis=1)
        out, self._h, self._c = self._session.run(
            None, {"input": batch, "h": self._h, "c": self._c}
        )
        self._context = windows[-1, -_CONTEXT:].copy()
        return [float(p) for p in np.asarray(out).ravel()]

    def flush(self) -> list[float]:
        """The last partial window, zero-padded, as a whole-file pass pads it."""
        return self.feed(np.zeros(WINDOW - len(self._rest), dtype=np.float32))


class AnchoredProbabilities:
    """Speech probabilities on windows laid from the recording's first sound.

    The detector (``vad``) starts afresh ``VAD_LEAD`` seconds before the first sound
    (:func:`~kiosk.core.chunking.first_sound`), hearing zeros for whatever part of that
    lead the recording lacks; the windows before it are silence (probability 0) and the
    detector is not run on them. So the same answer recorded after more or less silence
    gets the very same probabilities, hence the same speech spans, pauses, speaking time
    and cuts (:func:`~kiosk.core.chunking.vad_grid`). :attr:`grid` is where window 0 begins
    and :attr:`anchor` where the detector starts (both ``None`` until a sound is heard: no
    window is given before that).
    """

    def __init__(self, vad: SpeechProbabilities) -> None:
        self._vad = vad
        self.grid: int | None = None
        self.anchor: int | None = None
        self._lead = round(VAD_LEAD * SAMPLE_RATE)
        self._seen = 0
        self._tail = np.zeros(LOUD_FRAME - 1, dtype=np.float32)
        """The last samples heard before any sound (the lead and a frame's look-back); at
        first the silence before the recording, so a sound at its very first sample is
        found where the same sound after some silence would be."""

    def feed(self, audio: Audio) -> list[float]:
        """Probabilities of the windows ``audio`` completes (none before the first sound)."""
        if self.grid is not None:
            return self._vad.feed(audio)
        start = self._seen - len(self._tail)  # the sample where ``data`` begins
        data = np.concatenate([self._tail, audio.astype(np.float32, copy=False)])
        self._seen += len(audio)
        found = first_sound(data)
        if found is None:
            self._tail = data[-(self._lead + LOUD_FRAME - 1) :].copy()
            return []
        self._tail = np.zeros(0, dtype=np.float32)
        self.anchor = anchor = start + found - self._lead
        self.grid, silent = vad_grid(anchor)
        lead_in = np.zeros(max(0, -anchor), dtype=np.float32)  # before the recording
        heard = data[max(0, anchor) - start :]
        return [0.0] * silent + self._vad.feed(np.concatenate([lead_in, heard]))

    def flush(self) -> list[float]:
        return self._vad.flush() if self.grid is not None else []


@dataclass(frozen=True, slots=True)
class Step:
    """What one :meth:`StreamingTranscriber.process` call did."""

    final: tuple[Word, ...]
    """Words finalised by this step (already on the answer's timeline)."""
    tentative: tuple[Word, ...]
    """The current tentative tail (may still change)."""
    caption: Caption
    decoded: float = 0.0
    """Seconds of audio decoded by this step (0 when no pass ran)."""


class StreamingTranscriber:
    """Transcribes one answer while it is recorded; see the module docstring.

    Final words depend on the audio alone. Cuts are planned at fixed points of the answer's
    timeline (every ``GRID`` VAD windows from the detector's start, ``VAD_LEAD`` before the
    first sound) from the speech probabilities heard up to that point, and each chunk is
    decoded from a range fixed by those cuts. When the worker gets to a decision does not
    matter: a worker that falls behind plans the same cuts later. Passes run ahead of a cut
    (speculative, at a pause) are kept by their exact audio range and used only if the
    final decision asks for that same range, so they make the report sooner without
    changing it. Tentative passes feed captions only.
    """

    def __init__(
        self,
        decoder: ChunkDecoder,
        language: Language = "auto",
        policy: Policy | None = None,
        vad: SpeechProbabilities | None = None,
    ) -> None:
        self.decoder = decoder
        self.policy = policy or Policy()
        self.hint: str | None = None if language == "auto" else language
        """The question's language: a hint; the answer's is found from its audio."""
        self.language: str | None = None
        """The answer's language: the one most of its chunks were spoken in."""
        self._spoken: dict[str, float] = {}
        self._chunk_lang: str | None = None
        self._detected: dict[tuple[int, int, str | None], str] = {}
        self.detections = 0
        """Language detections run (each an encoder pass)."""
        self._vad = AnchoredProbabilities(vad if vad is not None else SileroProbabilities())
        self._lock = threading.Lock()
        self._pending: list[Audio] = []
        self._buffer = np.zeros(0, dtype=np.float32)
        self._origin = 0  # sample where the buffer begins (left context included)
        self._start = 0  # sample where the unfinished audio begins (< 0: before the recording)
        self._begun = 0  # sample where the answer begins: the VAD's start, once heard
        self._total = 0  # samples received
        self._probs = array("f")
        """Speech probability per VAD window, 4 bytes each (Silero gives float32)."""
        self._scan = 0  # VAD windows up to which cut decisions are taken
        self._final: list[Word] = []
        self._tentative: list[Word] = []
        self._ahead: dict[tuple[int, int], tuple[str, list[Word]]] = {}
        """Passes run ahead of a decision, by exact sample range: (language, words)."""
        self._cuts: list[float] = []
        self.boundaries: list[float] = []
        """Where finalised chunks met (seconds), for checks of words at the joins."""
        self._last_pass: float | None = None
        self.passes = 0
        self.refills = 0
        """Passes over speech a chunk's pass had skipped."""
        self.reused = 0
        """Final chunks whose words came from a pass run ahead of the decision."""
        self.drafts = 0
        """Draft readings for captions (cheap passes whose words are never final)."""
        self.decoded_seconds = 0.0
        self.decode_time = 0.0
        """Wall-clock seconds spent in passes."""
        self.trace: list[tuple[float, float, float, float]] = []
        """Per pass: audio decoded from, to, audio heard when it ran, seconds it took."""

    # -- input ---------------------------------------------------------------------------
    def insert_audio(self, chunk: Audio) -> None:
        """Queue 16 kHz mono float32 samples; cheap and safe from the audio thread."""
        with self._lock:
            self._pending.append(np.asarray(chunk, dtype=np.float32).ravel())

    def _take(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, []
        if not pending:
            return
        added = sum(len(block) for block in pending)
        self._buffer = np.concatenate([self._buffer, *pending])
        del pending
        self._total += added
        unheard = self._vad.anchor is None
        self._probs.extend(self._vad.feed(self._buffer[len(self._buffer) - added :]))
        if self._vad.anchor is None:  # no sound yet: keep a bounded buffer
            if self.end - self.start > 2.0:
                self._drop_until(self.end - 1.0)
        elif unheard:
            self._begin(self._vad.anchor)

    def _begin(self, anchor: int) -> None:
        """The first sound is heard: the answer begins where the detector starts, at sample
        ``anchor`` (before the recording's first sample when the sound came that soon), so
        its first chunk is measured from the same place of the sound however much silence
        preceded it. Nothing was decoded before."""
        self._drop_until(max(0, anchor) / SAMPLE_RATE)
        self._start = self._begun = anchor
        self._cuts = []

    # -- timeline ------------------------------------------------------------------------
    @property
    def start(self) -> float:
        return self._start / SAMPLE_RATE

    @property
    def end(self) -> float:
        return self._total / SAMPLE_RATE

    @property
    def load(self) -> float:
        """Seconds spent decoding per second of audio heard so far."""
        return self.decode_time / self.end if self._total else 0.0

    @property
    def final_words(self) -> tuple[Word, ...]:
        return tuple(self._final)

    @property
    def tentative_words(self) -> tuple[Word, ...]:
        """The caption's tail: words of the last pass over unfinished speech."""
        return tuple(self._tentative)

    @property
    def _grid(self) -> int:
        """The sample where VAD window 0 begins (see :class:`AnchoredProbabilities`)."""
        return self._vad.grid or 0

    def _until(self, windows: int) -> int:
        """Samples heard once ``windows`` VAD windows are complete (the last may be padded)."""
        return min(max(0, self._grid + windows * WINDOW), self._total)

    def _cut_spans(self, windows: int) -> tuple[Span, ...]:
        """Cut-planning speech spans of the buffer, as known after ``windows`` windows."""
        grid = self._grid
        first = max(0, (self._origin - grid) // WINDOW)
        probs = self._probs[first:windows]
        return spans_from_probs(probs, CUT_PARAMS, self._until(windows), first, grid)

    def speech_spans(self) -> tuple[Span, ...]:
        """Speech spans of the whole answer so far (the report's VAD settings)."""
        return spans_from_probs(self._probs, SPEECH_PARAMS, self._total, 0, self._grid)

    # -- one step ------------------------------------------------------------------------
    def process(self) -> Step:
        """Take the queued audio and do at most one pass: a cut, a pass ahead, or none."""
        self._take()
        while self._scan + GRID <= len(self._probs):
            new, decoded = self._decide(self._scan + GRID)
            if decoded:
                return self._step(new, decoded)
            if new:
                return self._step(new, 0.0)
        return self._step([], self._run_ahead())

    def decide(self, cancel: threading.Event | None = None) -> None:
        """Take every cut decision the audio heard so far allows, with no pass ahead
        (the batch path: the whole recording is there, nothing to wait for)."""
        self._take()
        while self._scan + GRID <= len(self._probs):
            if cancel is not None and cancel.is_set():
                raise Cancelled("transcription cancelled")
            self._decide(self._scan + GRID)

    def _decide(self, windows: int) -> tuple[list[Word], float]:
        """Take the cut decision due after ``windows`` windows (at most one pass)."""
        spans = self._cut_spans(windows)
        end = self._until(windows) / SAMPLE_RATE
        cut = plan_cut(spans, self.start, end, self.policy)
        # a chunk's sound edge is found on what follows it: decide once that is heard
        if cut is not None and cut.kind in ("pause", "forced") and end < cut.audio_end + LOOKAHEAD:
            cut = None
        if cut is None:
            self._scan = windows
            return [], 0.0
        return self._apply(cut, spans, windows)

    def _run_ahead(self) -> float:
        """With no decision due: decode the buffer ahead of time, for the stop key or
        captions. Returns the seconds decoded (0: no pass)."""
        heard = len(self._probs)  # all of it: what runs ahead needs no fixed grid
        spans = self._cut_spans(heard)
        end = self._until(heard) / SAMPLE_RATE
        ahead = closed_speech_end(spans, self.start, end, self.policy)
        if ahead is not None and self.policy.ahead:
            if self._range(spans, ahead, self._total) in self._ahead:
                return 0.0
            self._tentative = self._decode(spans, ahead, self._total, final=False)
            self._last_pass = end
            return ahead - self.start
        if end - self.start >= DETECT_S + 1.0 and self._detect_ahead():
            return 0.0
        if due_tentative(spans, self.start, end, self._last_pass, self.policy, self.load):
            self._tentative = self._draft()
            self._last_pass = end
            return end - self.start
        return 0.0

    def _draft(self) -> list[Word]:
        """Caption words for the unfinished speech: a draft reading, never kept as final."""
        lo, hi = self._start, self._total
        lang = self._prior() or self._chunk_language(hi)
        began = time.perf_counter()
        words = self.decoder.draft_words(self._samples(lo, hi), lang)
        self.drafts += 1
        self.decode_time += time.perf_counter() - began
        return shift(words, lo / SAMPLE_RATE, max(0, lo) / SAMPLE_RATE, hi / SAMPLE_RATE)

    def _detect_ahead(self) -> bool:
        """While a long chunk is still spoken, hear its language now rather than at its
        cut (True when a detection ran)."""
        before = self.detections
        self._chunk_language(self._total)
        return self.detections > before

    def _step(self, new: list[Word], decoded: float) -> Step:
        caption = caption_of(self._final, self._tentative)
        return Step(tuple(new), tuple(self._tentative), caption, decoded)

    def _apply(self, cut: Cut, spans: tuple[Span, ...], windows: int) -> tuple[list[Word], float]:
        """Finalise the buffer up to the cut; keep the rest."""
        if cut.kind == "silence":
            self._drop_until(cut.at)
            return [], 0.0
        passes = self.passes
        words = self._decode(spans, cut.audio_end, self._until(windows), final=True)
        words = self._fill_gaps(words, cut.audio_end, windows)
        decoded = cut.audio_end - self.start if self.passes > passes else 0.0
        keep_from = cut.at
        if cut.kind == "words":
            n, boundary = split_at_horizon(words, cut.at - self.policy.tail_keep)
            if boundary is None:  # no word ended early enough: finalise everything
                n, boundary = len(words), cut.at
            words, keep_from = words[:n], max(boundary, self.start + 1 / SAMPLE_RATE)
        self._finalise(words)
        self.boundaries.append(keep_from)
        self._drop_until(keep_from)
        return words, decoded

    def _finalise(self, words: list[Word]) -> None:
        if words:
            self._final = [*join_chunk(self._final, words), *words]

    def _drop_until(self, at: float) -> None:
        """The unfinished audio now begins at ``at``; keep ``Policy.context`` before it."""
        self._start = min(self._total, max(self._start, round(at * SAMPLE_RATE)))
        self._cuts = [*self._cuts[-3:], self.start]
        keep = round(2 * self.policy.context * SAMPLE_RATE)
        origin = max(self._origin, self._start - keep)
        self._buffer = self._buffer[origin - self._origin :]
        self._origin = origin
        self._tentative, self._last_pass = [], None
        self._ahead = {k: v for k, v in self._ahead.items() if k[0] >= self._origin}

    def _range(self, spans: tuple[Span, ...], end: float, heard: int) -> tuple[int, int]:
        """Samples decoded for the chunk ``[start, end)``: with its left context."""
        begun = self._begun / SAMPLE_RATE
        lo = round(context_start(spans, self._cuts, self.start, self.policy, begun) * SAMPLE_RATE)
        lo = lo if lo < 0 else max(self._origin, lo)  # before the recording: silence
        hi = max(lo, round(end * SAMPLE_RATE))
        base = min(lo, self._origin)
        # the edge is found on LOOKAHEAD after it: never on audio that merely arrived early
        known = self._samples(base, min(heard, hi + round(LOOKAHEAD * SAMPLE_RATE)))
        lo, hi = anchor_range(known, lo - base, hi - base)
        lo += base
        return lo if lo < 0 else max(lo, self._origin), hi + base

    def _samples(self, lo: int, hi: int) -> Audio:
        """Samples ``[lo, hi)`` of the answer; zeros before its start and past its end."""
        inside = self._buffer[max(lo, self._origin) - self._origin : hi - self._origin]
        before = np.zeros(max(0, -lo), dtype=np.float32)
        after = np.zeros(max(0, hi - lo - len(before) - len(inside)), dtype=np.float32)
        return np.concatenate([before, inside, after]) if len(before) or len(after) else inside

    def _decode(
        self, spans: tuple[Span, ...], end: float, heard: int, *, final: bool
    ) -> list[Word]:
        """Words of ``[start, end)``, decoded with the left context before ``start``.

        A final decision takes a pass run ahead over the very same samples when there is
        one (same audio, same words); otherwise it decodes now.
        """
        lo, hi = self._range(spans, end, heard)
        found = self._ahead.get((lo, hi)) if final else None
        if found is not None:
            lang, words = found
            self.reused += 1
        else:
            audio = self._samples(lo, max(lo, hi))
            if audio.size == 0:
                return []
            lang = self._chunk_language(hi)
            words = self._pass(audio, lang, lo, hi)
            if not final:
                self._ahead = {(lo, hi): (lang, words)}
        if final:
            self._spoken[lang] = self._spoken.get(lang, 0.0) + end - self.start
            self._chunk_lang = lang
            self.language = max(self._spoken, key=lambda k: self._spoken[k])
        return words_from(words, self.start)

    def _chunk_language(self, hi: int) -> str:
        """The language of the chunk from ``start`` to sample ``hi``, from its own sound.

        Heard on at most ``DETECT_S`` seconds from its first sound, found in the chunk's
        first ``DETECT_S`` + 1 s (a range fixed by the audio once that much is heard, so a
        detection run ahead while the chunk is spoken is found again); a chunk with less than
        ``MIN_DETECT_S`` of its own keeps the language before it, except the first.
        """
        probe = min(hi, self._start + round((DETECT_S + 1.0) * SAMPLE_RATE))
        base = min(self._start, self._origin)
        own = self._samples(base, min(probe, self._total))  # nothing after the probe
        own_lo, own_hi = anchor_range(own, self._start - base, probe - base)
        lo = own_lo + base
        hi = min(own_hi + base, lo + round(DETECT_S * SAMPLE_RATE))
        prior = self._prior()
        if self._chunk_lang is not None and hi - lo < MIN_DETECT_S * SAMPLE_RATE:
            return self._chunk_lang
        key = (lo, hi, prior)
        if key not in self._detected:
            self._detected = {key: self.decoder.detect_language(self._samples(lo, hi), prior)}
            self.detections += 1
        return self._detected[key]

    def _prior(self) -> str | None:
        """The language the next chunk is expected in: the last chunk's, else the hint's."""
        return self._chunk_lang or self.hint

    def _fill_gaps(self, words: list[Word], end: float, windows: int) -> list[Word]:
        """The chunk ``[start, end)``'s words, with speech the pass skipped decoded again.

        Stretches of speech (the report's VAD, as heard after ``windows`` windows) with
        ``MIN_UNTRANSCRIBED`` seconds or more and no word near them are decoded alone, at
        most ``MAX_REFILLS`` per chunk; what they still lack shows in the report.
        """
        if self.language is None:
            return words
        heard = spans_from_probs(
            self._probs[:windows], SPEECH_PARAMS, self._until(windows), 0, self._grid
        )
        inside = [
            Span(max(sp.start, self.start), min(sp.end, end))
            for sp in heard
            if sp.end > self.start and sp.start < end
        ]
        out = list(words)
        for gap in untranscribed(inside, words)[:MAX_REFILLS]:
            lo = max(self._origin, round((gap.start - REFILL_MARGIN) * SAMPLE_RATE))
            hi = min(round(end * SAMPLE_RATE), round((gap.end + REFILL_MARGIN) * SAMPLE_RATE))
            audio = self._buffer[lo - self._origin : hi - self._origin]
            if audio.size < SAMPLE_RATE // 2:
                continue
            found = self._pass(audio, self._chunk_lang or self.language, lo, hi)
            self.refills += 1
            out += [
                w
                for w in found
                if gap.start - REFILL_MARGIN <= (w.start + w.end) / 2 <= gap.end + REFILL_MARGIN
            ]
        return sorted(out, key=lambda w: w.start) if len(out) > len(words) else out

    def _pass(self, audio: Audio, lang: str, lo: int, hi: int) -> list[Word]:
        self.passes += 1
        self.decoded_seconds += len(audio) / SAMPLE_RATE
        began = time.perf_counter()
        words = self.decoder.decode_words(audio, lang)
        spent = time.perf_counter() - began
        self.decode_time += spent
        self.trace.append((lo / SAMPLE_RATE, hi / SAMPLE_RATE, self.end, spent))
        inside = max(0, lo) / SAMPLE_RATE, min(hi, self._total) / SAMPLE_RATE
        return shift(words, lo / SAMPLE_RATE, *inside)

    # -- the stop key --------------------------------------------------------------------
    def finish(self) -> Transcript:
        """Finalise what is left and return the whole answer (call once, after the last audio).

        The remaining decisions are taken as they would have been had the audio arrived
        earlier; the unfinished tail is then decoded up to the end of its speech, which a
        pass run ahead at the closing pause has usually decoded already.
        """
        self._take()
        self._probs.extend(self._vad.flush())
        while self._scan < len(self._probs):
            self._decide(min(self._scan + GRID, len(self._probs)))
        spans = self._cut_spans(self._scan)
        if has_speech(spans, self.start, self.end, self.policy):
            end = closed_speech_end(spans, self.start, self.end, self.policy) or self.end
            words = self._decode(spans, end, self._total, final=True)
            self._finalise(self._fill_gaps(words, end, len(self._probs)))
        self._tentative, self._last_pass = [], None
        return self.transcript()

    def transcript(self) -> Transcript:
        """The finalised words so far as a transcript of everything heard so far."""
        language = self.language or self.hint or "zh"
        speech = self.speech_spans()
        words = drop_stray_marks(tidy_words(list(self._final)), speech, language)
        return Transcript(language=language, duration=self.end, words=tuple(words), speech=speech)


CaptionCallback = Callable[[Caption], None]


class LiveStream:
    """Runs a :class:`StreamingTranscriber` on a worker thread, fed by ``on_audio`` blocks.

    :meth:`feed` is the recorder's ``on_audio`` (cheap: it only queues). The worker wakes
    every ``interval`` seconds of audio, runs one step and reports the caption if it
    changed. :meth:`stop` waits for the step under way, then finalises. A failure in the
    worker is kept and raised by :meth:`stop`, so the caller can fall back to a batch pass
    on the recording.
    """

    def __init__(
        self,
        processor: StreamingTranscriber,
        on_caption: CaptionCallback | None = None,
        interval: float = 0.1,
    ) -> None:
        self.processor = processor
        self.on_caption = on_caption
        self.interval = interval
        self._wake = threading.Event()
        self._stopping = False
        self._fed = 0
        self._error: BaseException | None = None
        self._caption = Caption("", "")
        self._thread = threading.Thread(target=self._run, name="streaming", daemon=True)

    def start(self) -> LiveStream:
        self._thread.start()
        return self

    def feed(self, block: Audio) -> None:
        """The recorder's ``on_audio``: queue the block, wake the worker every interval."""
        self.processor.insert_audio(block)
        before = self._fed
        self._fed += len(block)
        step = max(1, int(self.interval * SAMPLE_RATE))
        if self._fed // step != before // step:
            self._wake.set()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            if self._stopping:
                return
            try:
                step = self.processor.process()
            except Exception as exc:  # kept for stop(): the recording is safe on disk
                log.warning("streaming transcription failed: %s", exc)
                self._error = exc
                return
            if self.on_caption is not None and step.caption != self._caption:
                self._caption = step.caption
                self.on_caption(step.caption)

    def stop(self) -> Transcript:
        """Finish the answer: wait for the step under way, finalise, return the transcript."""
        self._halt()
        if self._error is not None:
            raise self._error
        return self.processor.finish()

    def cancel(self) -> None:
        """Stop the worker without finalising (the answer was discarded)."""
        self._halt()

    def _halt(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join()
