"""The streaming policy on synthetic spans and words, and the processor on synthetic audio.

The processor tests use a scripted recogniser: each "word" is a tone burst whose loudness
encodes its number, so the recogniser is perfect and any word lost or doubled at a chunk
boundary shows up exactly. Real speech through the real model is in
``test_streaming_model.py``.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Sequence

import numpy as np
import pytest

from kiosk.core.chunking import (
    GRID,
    LOUD_LEVEL,
    SPEECH_PARAMS,
    WINDOW,
    Caption,
    Cut,
    Policy,
    VadParams,
    caption_of,
    closed_speech_end,
    context_start,
    due_tentative,
    first_sound,
    join_chunk,
    plan_cut,
    spans_from_probs,
    split_at_horizon,
    vad_grid,
    words_from,
)
from kiosk.core.coverage import coverage, untranscribed
from kiosk.core.ports import SAMPLE_RATE, Audio
from kiosk.core.transcript import Span, Word
from kiosk.speech.streaming import LiveStream, StreamingTranscriber

POLICY = Policy()
W_S = WINDOW / SAMPLE_RATE  # seconds per VAD window


def probs_for(pattern: str) -> list[float]:
    """One probability per 32 ms window: '#' speech, '.' silence, '-' in between."""
    return [{"#": 0.9, ".": 0.05, "-": 0.4}[ch] for ch in pattern]


# -- speech spans from probabilities ---------------------------------------------------------
def test_spans_follow_speech_with_padding() -> None:
    params = VadParams(min_silence=0.1, pad=0.0)
    probs = probs_for("..####......###.....")
    spans = spans_from_probs(probs, params, total=len(probs) * WINDOW)
    assert spans == (Span(2 * W_S, 6 * W_S), Span(12 * W_S, 15 * W_S))


def test_short_silence_does_not_split_and_speech_runs_to_the_end() -> None:
    params = VadParams(min_silence=0.25, pad=0.0)
    probs = probs_for("###....###")  # 4 windows = 128 ms < 250 ms
    total = len(probs) * WINDOW + 100
    assert spans_from_probs(probs, params, total) == (Span(0.0, total / SAMPLE_RATE),)


def test_in_between_probability_keeps_speech_going_but_cannot_start_it() -> None:
    params = VadParams(min_silence=0.05, pad=0.0)
    assert spans_from_probs(probs_for("---"), params, 3 * WINDOW) == ()
    spans = spans_from_probs(probs_for("##---...."), params, 9 * WINDOW)
    assert spans == (Span(0.0, 5 * W_S),)


def test_padding_splits_a_narrow_gap_in_half() -> None:
    probs = probs_for("####" + "." * 9 + "####")
    total = len(probs) * WINDOW
    spans = spans_from_probs(probs, SPEECH_PARAMS, total)
    assert len(spans) == 2
    assert spans[0].end == pytest.approx(4 * W_S + 0.03)
    assert spans[1].start == pytest.approx(13 * W_S - 0.03)
    assert spans[1].end == total / SAMPLE_RATE


def test_first_window_offsets_the_timeline() -> None:
    params = VadParams(min_silence=0.05, pad=0.0)
    spans = spans_from_probs(probs_for("##...."), params, 110 * WINDOW, first=100)
    assert len(spans) == 1
    assert [spans[0].start, spans[0].end] == pytest.approx([100 * W_S, 102 * W_S])


def test_a_grid_offsets_the_timeline_and_nothing_starts_before_the_recording() -> None:
    params = VadParams(min_silence=0.05, pad=0.0)
    probs = probs_for("..##....")
    spans = spans_from_probs(probs, params, 8 * WINDOW - 300, grid=-300)
    assert [spans[0].start, spans[0].end] == pytest.approx(
        [2 * W_S - 300 / SAMPLE_RATE, 4 * W_S - 300 / SAMPLE_RATE]
    )
    early = spans_from_probs(probs_for("##...."), params, 6 * WINDOW - 300, grid=-300)
    assert early[0].start == 0.0  # the window reaching before the recording counts from 0


# -- the detector's windows, laid from the first sound ---------------------------------------
def tone(seconds: float, amplitude: float = 0.05) -> Audio:
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    return (amplitude * np.sin(2 * np.pi * 300 * t)).astype(np.float32)


def test_the_first_sound_is_found_at_the_same_place_after_any_silence() -> None:
    rng = np.random.default_rng(5)
    hiss = (0.3 * LOUD_LEVEL * rng.standard_normal(3000)).astype(np.float32)  # below the level
    answer = np.concatenate([hiss, tone(0.3)])
    at = first_sound(answer)
    assert at is not None and 3000 - 160 < at <= 3000
    for lead in (1, 37, 511, 4000):
        assert first_sound(np.concatenate([np.zeros(lead, np.float32), answer])) == lead + at
    for cut in (1, 1000, at):  # wherever the audio was sliced from
        assert first_sound(answer[cut:]) == at - cut
    assert first_sound(hiss) is None
    assert first_sound(tone(0.005)) is None  # shorter than a frame


@pytest.mark.parametrize("anchor", [-4000, -1, 0, 1, 511, 2048, 2049, 123_457])
def test_windows_and_decisions_fall_on_the_same_places_of_the_sound(anchor: int) -> None:
    grid, silent = vad_grid(anchor)
    assert grid + silent * WINDOW == anchor  # the detector's first window begins there
    assert silent % GRID == 0  # and so does a decision step
    assert grid <= 0  # the windows cover the recording from its first sample
    assert (silent == 0 and grid == anchor) if anchor <= 0 else grid > -GRID * WINDOW


def test_same_answer_same_spans_and_words_whatever_silence_came_before() -> None:
    """A detector as sensitive to where its windows fall as Silero (a window is speech when
    loud anywhere): a gap of 0.3 s holds nine quiet windows (a pause) or eight (speech)
    depending on where windows laid from the recording's first sample would fall, and
    comes out the same after every lead-in, the sound 0.1 s in (sooner than ``VAD_LEAD``)
    included."""
    audio = burst_audio([(0.1, 0.5), (0.3, 0.5), (0.6, 0.4)])
    seen = set()
    for lead in [0, 100, 1000, *range(4000, 4512, 64), 2 * SAMPLE_RATE + 7]:
        heard = np.concatenate([np.zeros(lead, np.float32), audio])
        proc, _ = stream(heard, Policy(), BurstDecoder(), step=0.1)
        transcript = proc.finish()

        def at(t: float, lead: int = lead) -> int:
            return round(t * SAMPLE_RATE) - lead

        spans = tuple((at(s.start), at(s.end)) for s in transcript.speech)
        words = tuple((w.text, at(w.start), at(w.end)) for w in transcript.words)
        seen.add((spans, words))
    assert len(seen) == 1
    ((spans, words),) = seen
    assert [w for w, _, _ in words] == ["w0", "w1", "w2"]


# -- where to cut ----------------------------------------------------------------------------
def test_no_cut_while_speaking_fluently() -> None:
    assert plan_cut([Span(0.0, 9.0)], 0.0, 9.0, POLICY) is None


def test_trailing_pause_cuts_in_its_middle_even_in_a_short_chunk() -> None:
    cut = plan_cut([Span(0.2, 2.0)], 0.0, 2.5, POLICY)
    assert cut == Cut(2.25, "pause", 2.2)  # decoded up to SPEECH_TAIL after the speech
    assert plan_cut([Span(0.2, 2.0)], 0.0, 2.3, POLICY) is None  # pause still too short


def test_inner_pause_cuts_only_after_min_chunk() -> None:
    early = [Span(0.0, 2.0), Span(2.5, 8.0)]
    assert plan_cut(early, 0.0, 8.0, POLICY) is None
    late = [Span(0.0, 5.0), Span(5.5, 8.0)]
    assert plan_cut(late, 0.0, 8.0, POLICY) == Cut(5.25, "pause", 5.2)


def test_latest_qualifying_pause_wins() -> None:
    spans = [Span(0.0, 5.0), Span(5.5, 9.0), Span(9.6, 11.0)]
    assert plan_cut(spans, 0.0, 11.0, POLICY) == Cut(9.3, "pause", 9.2)


def test_forced_cut_at_the_widest_gap_in_the_second_half() -> None:
    spans = [Span(0.0, 3.0), Span(3.3, 9.0), Span(9.1, 12.0), Span(12.15, 15.0)]
    cut = plan_cut(spans, 0.0, 15.0, POLICY)
    assert cut is not None and cut.kind == "forced" and cut.at == pytest.approx(12.075)


def test_forced_cut_without_any_gap_finalises_by_words() -> None:
    assert plan_cut([Span(0.0, 16.0)], 0.0, 16.0, POLICY) == Cut(15.0, "words")


def test_cut_is_relative_to_the_buffer_start() -> None:
    spans = [Span(10.0, 12.0)]
    assert plan_cut(spans, 10.0, 12.3, POLICY) is None
    assert plan_cut(spans, 10.0, 12.5, POLICY) == Cut(12.25, "pause", 12.2)


def test_silence_only_buffer_is_dropped_keeping_a_little() -> None:
    assert plan_cut([], 0.0, 0.8, POLICY) is None
    assert plan_cut([], 0.0, 1.5, POLICY) == Cut(1.2, "silence")


def test_words_split_between_two_words() -> None:
    words = [Word("a", 0.0, 1.0), Word("b", 1.2, 2.0), Word("c", 2.4, 3.0)]
    assert split_at_horizon(words, 2.1) == (2, 2.2)
    assert split_at_horizon(words, 0.5) == (0, None)
    assert split_at_horizon(words, 3.0) == (3, 3.0)


# -- the stop key and passes ahead of a decision ---------------------------------------------
def test_a_closed_pause_gives_the_range_a_pause_cut_will_decode() -> None:
    spans = [Span(3.0, 6.0)]
    assert closed_speech_end(spans, 3.0, 6.1, POLICY) is None  # not enough silence heard yet
    assert closed_speech_end(spans, 3.0, 6.3, POLICY) == pytest.approx(6.2)
    assert closed_speech_end([Span(3.0, 6.3)], 3.0, 6.3, POLICY) is None  # still speaking
    assert closed_speech_end([Span(0.0, 3.0)], 3.5, 5.0, POLICY) is None  # nothing to decode
    cut = plan_cut(spans, 3.0, 6.5, POLICY)
    assert cut is not None and cut.audio_end == closed_speech_end(spans, 3.0, 6.3, POLICY)


def test_draft_reading_after_enough_new_speech_while_speaking() -> None:
    spans = [Span(0.0, 3.0)]
    assert due_tentative(spans, 0.0, 3.0, None, POLICY)
    assert due_tentative(spans, 0.0, 3.0, 1.5, POLICY)
    assert not due_tentative(spans, 0.0, 3.0, 2.5, POLICY)  # too little since the last one
    assert not due_tentative(spans, 0.0, 3.0, None, Policy(tentative_every=0))
    assert not due_tentative(spans, 0.0, 3.0, None, POLICY, load=0.7)  # CPU is behind
    assert not due_tentative([Span(0.0, 16.0)], 0.0, 16.0, None, POLICY)  # a cut is near
    # the speaker has stopped: the pass ahead at the pause comes next, not a draft
    assert not due_tentative(spans, 0.0, 3.2, None, POLICY)


def test_context_starts_in_a_silence_with_speech_after_it() -> None:
    spans = [Span(0.0, 6.5), Span(6.9, 9.8)]
    assert context_start(spans, [], 10.0, POLICY) == pytest.approx(6.7)
    assert context_start(spans, [6.9], 10.0, POLICY) == 6.9
    assert context_start([Span(0.0, 5.0), Span(5.4, 9.8)], [], 10.0, POLICY) == 10.0  # far
    assert context_start([Span(0.0, 9.8)], [], 10.0, POLICY) == 10.0  # no silence: none
    assert context_start([Span(9.0, 9.8)], [5.0], 10.0, POLICY) == 10.0  # context is silent


def test_context_words_are_dropped_by_their_end() -> None:
    words = [Word("you,", 7.08, 7.32), Word("ask", 7.36, 8.48), Word("what", 8.5, 8.8)]
    assert [w.text for w in words_from(words, 7.8)] == ["ask", "what"]


def test_a_sentence_end_at_a_chunk_join_was_never_heard() -> None:
    before = [Word("taste", 1.0, 1.4), Word("tonight.", 1.5, 2.0)]
    mended = join_chunk(before, [Word("the", 2.1, 2.3)])
    assert [w.text for w in mended] == ["taste", "tonight"]
    zh = [Word("这一点。", 5.0, 5.6)]
    assert join_chunk(zh, [Word("啊", 6.0, 6.2)])[-1].text == "这一点"
    assert join_chunk([Word("so,", 0, 1)], [Word("and", 2, 3)])[-1].text == "so,"
    assert join_chunk(before, []) == before
    assert join_chunk([Word("?", 0, 1)], [Word("a", 1, 2)])[-1].text == "?"


def test_caption_keeps_final_and_tentative_apart() -> None:
    caption = caption_of([Word("我们", 0, 1), Word("啊，", 1, 2)], [Word("就是", 2, 3)])
    assert caption == Caption("我们啊，", "就是")
    assert caption.text == "我们啊，就是"


# -- the processor on synthetic "speech" -----------------------------------------------------
def burst_audio(plan: Sequence[tuple[float, float]]) -> Audio:
    """Word i is a 300 Hz burst of amplitude 0.1 + 0.01 i; plan = (silence before, length)."""
    parts = []
    for i, (gap, length) in enumerate(plan):
        parts.append(np.zeros(int(gap * SAMPLE_RATE), np.float32))
        t = np.arange(int(length * SAMPLE_RATE)) / SAMPLE_RATE
        parts.append(((0.1 + 0.01 * i) * np.sin(2 * np.pi * 300 * t)).astype(np.float32))
    parts.append(np.zeros(int(1.5 * SAMPLE_RATE), np.float32))
    return np.concatenate(parts)


def _runs(loud: np.ndarray) -> list[tuple[int, int]]:
    edges = np.flatnonzero(np.diff(np.concatenate([[0], loud.astype(int), [0]])))
    return list(zip(edges[::2], edges[1::2], strict=True))


class BurstDecoder:
    """Reads each burst's number from its loudness; a clipped burst is still that word."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.calls = 0
        self.drafts = 0

    def detect_language(self, audio: Audio, hint: str | None = None) -> str:
        return "en"

    def draft_words(self, audio: Audio, lang: str) -> list[Word]:
        self.drafts += 1
        return [Word("draft", 0.0, len(audio) / SAMPLE_RATE)]

    def decode_words(self, audio: Audio, lang: str) -> list[Word]:
        self.calls += 1
        time.sleep(self.delay)
        frame = SAMPLE_RATE // 100
        n = len(audio) // frame
        peaks = np.abs(audio[: n * frame]).reshape(n, frame).max(axis=1)
        words = []
        for a, b in _runs(peaks > 0.05):
            index = round((float(np.median(peaks[a:b])) - 0.1) / 0.01)
            words.append(Word(f"w{index}", a / 100, b / 100))
        return words


class EnergyVad:
    """Speech probability 0.9 for a loud window, 0.05 for a quiet one."""

    def __init__(self) -> None:
        self.rest = np.zeros(0, np.float32)

    def feed(self, audio: Audio) -> list[float]:
        data = np.concatenate([self.rest, audio])
        n = len(data) // WINDOW
        self.rest = data[n * WINDOW :]
        peaks = np.abs(data[: n * WINDOW]).reshape(n, WINDOW).max(axis=1) if n else []
        return [0.9 if p > 0.05 else 0.05 for p in peaks]

    def flush(self) -> list[float]:
        return self.feed(np.zeros(WINDOW - len(self.rest), np.float32))


def stream(
    audio: Audio, policy: Policy, decoder: BurstDecoder, step: float = 0.25
) -> tuple[StreamingTranscriber, list[int]]:
    proc = StreamingTranscriber(decoder, "en", policy, vad=EnergyVad())
    buffered = []
    hop = int(step * SAMPLE_RATE)
    for i in range(0, len(audio), hop):
        proc.insert_audio(audio[i : i + hop])
        proc.process()
        buffered.append(len(proc._buffer))
    return proc, buffered


def _names(words: Sequence[Word]) -> list[str]:
    return [w.text for w in words]


PHRASES = [(0.3, 0.4), *[(0.15, 0.35)] * 9, (0.8, 0.5), *[(0.15, 0.3)] * 6, (0.6, 0.4)]


@pytest.mark.parametrize("context", [0.0, 3.0])
def test_every_word_once_across_pause_cuts(context: float) -> None:
    decoder = BurstDecoder()
    proc, _ = stream(burst_audio(PHRASES), Policy(tentative_every=0, context=context), decoder)
    transcript = proc.finish()
    assert _names(transcript.words) == [f"w{i}" for i in range(len(PHRASES))]
    assert proc.passes >= 2


def test_fluent_speech_is_cut_by_force_and_the_buffer_stays_bounded() -> None:
    plan = [(0.05, 0.3)] * 70  # 24.5 s with 50 ms gaps only
    policy = Policy(tentative_every=0, max_chunk=8.0, context=2.0)
    proc, buffered = stream(burst_audio(plan), policy, BurstDecoder())
    words = proc.finish().words
    assert _names(words) == [f"w{i}" for i in range(70)]
    limit = (policy.max_chunk + 2 * policy.context + 0.25) * SAMPLE_RATE
    assert max(buffered) <= limit
    starts = [w.start for w in words]
    assert starts == sorted(starts)


def test_speech_without_gaps_splits_between_words_not_inside_them() -> None:
    plan = [(0.02, 0.6)] * 30  # 20 ms gaps: invisible to the VAD windows
    policy = Policy(tentative_every=0, max_chunk=6.0, context=0.0)
    proc, _ = stream(burst_audio(plan), policy, BurstDecoder())
    assert _names(proc.finish().words) == [f"w{i}" for i in range(30)]


def test_each_second_is_decoded_about_once() -> None:
    audio = burst_audio(PHRASES * 3)
    policy = Policy(tentative_every=0, context=0.0, ahead=False)
    proc, _ = stream(audio, policy, BurstDecoder())
    proc.finish()
    assert proc.decoded_seconds <= 1.05 * len(audio) / SAMPLE_RATE


def test_stop_after_closing_silence_needs_no_pass() -> None:
    decoder = BurstDecoder()
    proc, _ = stream(burst_audio(PHRASES), Policy(tentative_every=0), decoder)
    calls = decoder.calls
    transcript = proc.finish()
    assert decoder.calls == calls
    assert len(transcript.words) == len(PHRASES)


def test_stop_soon_after_the_last_word_takes_the_pass_run_ahead() -> None:
    decoder = BurstDecoder()
    plan = [(0.3, 0.4)] + [(0.1, 0.4)] * 7  # speech until 4.2 s
    audio = burst_audio(plan)[: int(4.6 * SAMPLE_RATE)]  # stopped 0.4 s after it: no cut yet
    proc, _ = stream(audio, Policy(tentative_every=0), decoder)
    assert not proc.final_words and proc.passes == 1  # decoded ahead, at the pause
    transcript = proc.finish()
    assert decoder.calls == 1 and proc.reused == 1
    assert _names(transcript.words) == [f"w{i}" for i in range(8)]


def test_a_pause_cut_takes_the_pass_run_ahead_at_that_pause() -> None:
    decoder = BurstDecoder()
    plan = [(0.3, 0.4)] + [(0.1, 0.4)] * 7  # speech until 4.2 s
    audio = burst_audio(plan)
    proc, _ = stream(audio[: int(4.5 * SAMPLE_RATE)], Policy(tentative_every=0), decoder)
    assert proc.passes == 1 and not proc.final_words
    proc.insert_audio(audio[int(4.5 * SAMPLE_RATE) : int(5.0 * SAMPLE_RATE)])
    step = proc.process()  # the closing pause: a cut, finalised without decoding again
    assert _names(step.final) == [f"w{i}" for i in range(8)]
    assert decoder.calls == 1 and proc.reused == 1 and proc.boundaries


def test_speech_after_a_pass_run_ahead_is_decoded_again_with_it() -> None:
    decoder = BurstDecoder()
    audio = burst_audio([(0.3, 0.4)] + [(0.1, 0.4)] * 3 + [(0.3, 0.4)] * 4)
    proc, _ = stream(audio[: int(2.48 * SAMPLE_RATE)], Policy(tentative_every=0), decoder)
    assert proc.passes >= 1 and not proc.final_words  # ahead, at the 0.3 s pause
    calls = decoder.calls
    proc.insert_audio(audio[int(2.48 * SAMPLE_RATE) : int(4.8 * SAMPLE_RATE)])
    transcript = proc.finish()
    assert decoder.calls > calls
    assert _names(transcript.words) == [f"w{i}" for i in range(8)]


def test_stop_mid_phrase_decodes_only_the_unfinished_tail() -> None:
    decoder = BurstDecoder()
    audio = burst_audio(PHRASES)[: int(10.0 * SAMPLE_RATE)]  # stopped mid-phrase
    proc, _ = stream(audio, Policy(tentative_every=0), decoder)
    done = proc.decoded_seconds
    transcript = proc.finish()
    assert 0 < proc.decoded_seconds - done <= proc.policy.max_chunk
    assert _names(transcript.words) == [f"w{i}" for i in range(len(PHRASES))]


class RangeDecoder(BurstDecoder):
    """A burst decoder whose words also name the exact samples decoded, so any difference
    in where a chunk was cut or how much context it got shows in the transcript."""

    def decode_words(self, audio: Audio, lang: str) -> list[Word]:
        words = super().decode_words(audio, lang)
        tag = hash(audio.tobytes()) % 997
        return [Word(f"{w.text}.{tag}", w.start, w.end) for w in words]


def _batch(audio: Audio, policy: Policy) -> list[str]:
    proc = StreamingTranscriber(RangeDecoder(), "en", policy, vad=EnergyVad())
    proc.insert_audio(audio)
    proc.decide()
    return _names(proc.finish().words)


@pytest.mark.parametrize("seed", range(6))
def test_final_words_do_not_depend_on_block_timing(seed: int) -> None:
    """Blocks of random sizes, processed at random moments (a worker that falls behind, a
    busy CPU), give the very words of one batch pass over the same samples."""
    plan = [*PHRASES, *[(0.05, 0.3)] * 40, (0.42, 0.3), *PHRASES[:5]]
    audio = burst_audio(plan)[: -int(1.2 * SAMPLE_RATE)]  # stop 0.3 s after the last word
    policy = Policy(max_chunk=8.0, tentative_every=1.0 if seed % 2 else 0.0)
    rng = np.random.default_rng(seed)
    proc = StreamingTranscriber(RangeDecoder(), "en", policy, vad=EnergyVad())
    at = 0
    while at < len(audio):
        size = int(rng.integers(1, 16_000))
        proc.insert_audio(audio[at : at + size])
        at += size
        for _ in range(int(rng.integers(0, 3))):
            proc.process()
    streamed = _names(proc.finish().words)
    assert streamed == _batch(audio, policy)
    assert [n.split(".")[0] for n in streamed] == [f"w{i}" for i in range(len(plan))]


def test_transcript_spans_cover_the_whole_answer() -> None:
    audio = burst_audio(PHRASES)
    proc, _ = stream(audio, Policy(tentative_every=0), BurstDecoder())
    transcript = proc.finish()
    assert transcript.duration == pytest.approx(len(audio) / SAMPLE_RATE)
    assert transcript.speech[0].start < 0.4 and transcript.speech[-1].end > 9.0
    assert all(a.end <= b.start for a, b in itertools.pairwise(transcript.speech))


def test_live_stream_reports_captions_and_stops_without_waiting_for_a_backlog() -> None:
    decoder = BurstDecoder(delay=0.3)
    captions: list[Caption] = []
    live = LiveStream(
        StreamingTranscriber(decoder, "en", Policy(), vad=EnergyVad()), captions.append
    ).start()
    audio = burst_audio(PHRASES)
    hop = SAMPLE_RATE // 20
    for i in range(0, len(audio), hop):  # 4x faster than real time
        live.feed(audio[i : i + hop])
        time.sleep(0.0125)
    began = time.monotonic()
    transcript = live.stop()
    assert time.monotonic() - began < 2.0  # at most the pass under way plus one more
    assert captions and captions[-1].final_text
    assert len(transcript.words) == len(PHRASES)


def test_live_stream_failure_is_raised_at_stop() -> None:
    class Broken(BurstDecoder):
        def decode_words(self, audio: Audio, lang: str) -> list[Word]:
            raise RuntimeError("decoder broke")

    live = LiveStream(StreamingTranscriber(Broken(), "en", Policy(), vad=EnergyVad())).start()
    for block in np.array_split(burst_audio(PHRASES), 40):
        live.feed(block)
    done = threading.Event()
    threading.Timer(0.5, done.set).start()
    done.wait()
    with pytest.raises(RuntimeError, match="decoder broke"):
        live.stop()


class SkippingDecoder(BurstDecoder):
    """Skips words ``skip`` when decoding more than ``alone`` seconds, as Whisper sometimes
    skips a phrase inside a long chunk; decoded on their own they are heard."""

    def __init__(self, skip: set[str], alone: float = 3.0) -> None:
        super().__init__()
        self.skip, self.alone = skip, alone

    def decode_words(self, audio: Audio, lang: str) -> list[Word]:
        words = super().decode_words(audio, lang)
        if len(audio) / SAMPLE_RATE <= self.alone:
            return words
        return [w for w in words if w.text not in self.skip]


def _coverage_run(decoder: BurstDecoder) -> tuple[StreamingTranscriber, list[str], float]:
    audio = burst_audio([(0.3, 0.8), *[(0.1, 0.8)] * 9, (0.6, 0.5)])
    proc, _ = stream(audio, Policy(tentative_every=0), decoder)
    transcript = proc.finish()
    return proc, _names(transcript.words), coverage(transcript.speech, transcript.words)


def test_speech_a_pass_skipped_is_decoded_again_on_its_own() -> None:
    proc, names, share = _coverage_run(SkippingDecoder({"w4", "w5", "w6"}))
    assert names == [f"w{i}" for i in range(11)]
    assert proc.refills == 1 and share == 1.0


def test_speech_that_stays_untranscribed_is_measured_not_hidden() -> None:
    proc, names, share = _coverage_run(SkippingDecoder({"w4", "w5", "w6"}, alone=0.0))
    assert "w5" not in names and proc.refills == 1  # tried once, bounded
    assert share < 0.9
    proc2, _, _ = _coverage_run(SkippingDecoder({"w4", "w5", "w6"}, alone=0.0))
    transcript = proc2.transcript()
    (gap,) = untranscribed(transcript.speech, transcript.words)
    assert gap.start == pytest.approx(4.2, abs=0.05) and gap.end == pytest.approx(6.2, abs=0.05)


def _ranges(audio: Audio, policy: Policy) -> tuple[list[str], list[tuple[int, int]]]:
    proc = StreamingTranscriber(RangeDecoder(), "en", policy, vad=EnergyVad())
    proc.insert_audio(audio)
    proc.decide()
    names = [w.text.split(".")[0] for w in proc.finish().words]
    return names, [(round(lo * SAMPLE_RATE), round(hi * SAMPLE_RATE)) for lo, hi, *_ in proc.trace]


@pytest.mark.parametrize("lead", [37, 511, 1999, 5003])
def test_the_same_speech_later_in_the_recording_is_cut_on_its_sound(lead: int) -> None:
    """An answer that starts ``lead`` samples later (another lead-in before the first word)
    is planned on other VAD windows, yet every chunk ends on the same sample of the speech,
    and a chunk without context starts on the same sample too. (Where the left context of
    a later chunk starts is chosen among gaps, and two gaps about as near to the ideal
    start may be chosen differently at another offset.)"""
    # the first word 20 ms in: less silence before it than a chunk keeps; sentences of 12
    # words 0.9 s apart, so no pause sits right at a threshold
    sentence = [((0.13, 0.21, 0.17)[i % 3], (0.3, 0.4, 0.35, 0.45)[i % 4]) for i in range(11)]
    plan = [(0.02, 0.4), *sentence, *[p for _ in range(4) for p in [(0.9, 0.4), *sentence]]]
    audio = burst_audio(plan)
    policy = Policy(max_chunk=8.0)
    names, ranges = _ranges(audio, policy)
    later_names, later = _ranges(np.concatenate([np.zeros(lead, np.float32), audio]), policy)
    assert later_names == names == [f"w{i}" for i in range(len(plan))]
    assert [hi - lead for _, hi in later] == [hi for _, hi in ranges]
    assert later[0][0] - lead == ranges[0][0]  # the first chunk: no context


def test_a_chunk_is_trimmed_to_its_sound_but_not_inside_it() -> None:
    from kiosk.core.chunking import LEAD_PAD, LOUD_FRAME, TAIL_PAD, anchor_range

    rate, lead, tail = SAMPLE_RATE, round(LEAD_PAD * SAMPLE_RATE), round(TAIL_PAD * SAMPLE_RATE)
    sound = np.full(rate, 0.1, np.float32)
    quiet = np.zeros(rate, np.float32)
    audio = np.concatenate([quiet, sound, quiet])

    def near(got: int, want: int) -> bool:  # sound edges are found to a 10 ms frame
        return abs(got - want) < LOUD_FRAME

    lo, hi = anchor_range(audio, 100, 3 * rate - 7)
    assert near(lo, rate - lead) and near(hi, 2 * rate + tail)
    lo, hi = anchor_range(audio, rate + 5, 3 * rate)
    assert lo == rate + 5 and near(hi, 2 * rate + tail)  # begins in sound: kept
    lo, hi = anchor_range(audio, 0, rate + 9)
    assert near(lo, rate - lead) and hi == rate + 9  # ends in sound: kept
    assert anchor_range(audio, 0, rate // 2) == (0, rate // 2)  # no sound at all
    close = np.concatenate([quiet, sound, quiet[:800], sound, quiet])  # 50 ms apart
    lo, hi = anchor_range(close, 0, 2 * rate + 300)
    assert near(hi, 2 * rate + 400)  # halfway to the next sound
    assert near(anchor_range(close, 2 * rate + 500, 4 * rate)[0], 2 * rate + 400)


def test_draft_readings_feed_captions_and_never_the_transcript() -> None:
    """Drafts (cheap caption passes) run while the speaker speaks; the final words are the
    ones a run without any draft gives."""
    plan = [(0.11, 0.3), (0.12, 0.3)] * 12  # 14 s of fluent speech, no pause to cut at
    audio = burst_audio(plan)
    decoder = BurstDecoder()
    proc = StreamingTranscriber(decoder, "en", Policy(tentative_every=1.0), vad=EnergyVad())
    captions = []
    for i in range(0, len(audio), SAMPLE_RATE // 10):
        proc.insert_audio(audio[i : i + SAMPLE_RATE // 10])
        step = proc.process()
        captions.append(step.caption.tentative_text)
    assert decoder.drafts >= 5 and proc.drafts == decoder.drafts
    assert "draft" in captions
    words = [w.text for w in proc.finish().words]
    assert "draft" not in words
    assert words == _names(
        stream(audio, Policy(tentative_every=0), BurstDecoder())[0].finish().words
    )
