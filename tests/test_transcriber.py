"""The real embedded Whisper model on real speech, silence and noise.

Each clip is transcribed once per module and shared by the checks on it, so the model
work stays small on a two-core CI machine.
"""

from __future__ import annotations

import itertools
import threading
from pathlib import Path

import numpy as np
import opencc
import pytest

from kiosk.audio.files import load_audio
from kiosk.core.errors import ModelError
from kiosk.core.ports import Cancelled, Progress
from kiosk.core.transcript import Transcript
from kiosk.speech.guards import normalize
from kiosk.speech.whisper import WhisperTranscriber, load_transcriber, speech_spans

pytestmark = pytest.mark.model

DATA = Path(__file__).parent / "data"
FILLERS = {"嗯", "呃", "啊", "um", "uh", "er", "hmm", "erm"}


def _edit_distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def _fillers(tx: Transcript) -> list[str]:
    return [w.text for w in tx.words if normalize(w.text) in FILLERS]


@pytest.fixture(scope="module")
def welcome(transcriber: WhisperTranscriber) -> Transcript:
    return transcriber.transcribe(load_audio(DATA / "zh_welcome.wav"), "zh")


@pytest.fixture(scope="module")
def jfk(transcriber: WhisperTranscriber) -> Transcript:
    return transcriber.transcribe(load_audio(DATA / "en_jfk.flac"), "auto")


@pytest.fixture(scope="module")
def conversation(transcriber: WhisperTranscriber) -> Transcript:
    return transcriber.transcribe(load_audio(DATA / "zh_conversation.wav"), "zh")


def test_mandarin_sentence_is_recognised_in_simplified(welcome: Transcript) -> None:
    text = "".join(ch for ch in welcome.text if normalize(ch))
    assert _edit_distance(text, "欢迎大家来体验达摩院推出的语音识别模型") <= 2
    assert welcome.language == "zh"


def test_english_is_detected_and_exact(jfk: Transcript) -> None:
    assert jfk.language == "en"
    assert "ask not what your country can do for you" in " ".join(
        normalize(w.text) for w in jfk.words
    )


def test_spontaneous_mandarin_keeps_hesitations_and_is_simplified(
    conversation: Transcript,
) -> None:
    ahs = [w for w in conversation.words if normalize(w.text) == "啊"]
    assert len(ahs) >= 3
    assert opencc.OpenCC("t2s").convert(conversation.text) == conversation.text


def test_fluent_speech_gets_no_invented_fillers(welcome: Transcript, jfk: Transcript) -> None:
    assert _fillers(welcome) == []
    assert _fillers(jfk) == []


@pytest.mark.parametrize("name", ["welcome", "jfk", "conversation"])
def test_times_are_monotonic_and_inside_the_recording(
    name: str, request: pytest.FixtureRequest
) -> None:
    tx: Transcript = request.getfixturevalue(name)
    assert tx.words and tx.speech
    starts = [w.start for w in tx.words]
    assert starts == sorted(starts)
    for w in tx.words:
        assert 0.0 <= w.start <= w.end <= tx.duration
    for s in tx.speech:
        assert 0.0 <= s.start < s.end <= tx.duration + 1e-6
    assert [s.start for s in tx.speech] == sorted(s.start for s in tx.speech)


def test_duration_is_the_whole_recording(conversation: Transcript) -> None:
    assert conversation.duration == pytest.approx(400_126 / 16_000, abs=0.01)


@pytest.mark.parametrize("language", ["auto", "zh", "en"])
@pytest.mark.parametrize("kind", ["silence", "noise"])
def test_silence_and_noise_give_no_words(
    kind: str, language: str, transcriber: WhisperTranscriber
) -> None:
    rng = np.random.default_rng(7)
    audio = (
        np.zeros(160_000, np.float32)
        if kind == "silence"
        else (0.05 * rng.standard_normal(160_000)).astype(np.float32)
    )
    tx = transcriber.transcribe(audio, language)  # type: ignore[arg-type]
    assert tx.words == ()
    assert tx.speech == ()
    assert tx.duration == pytest.approx(10.0)


def test_leading_silence_stays_on_the_timeline(transcriber: WhisperTranscriber) -> None:
    clip = load_audio(DATA / "zh_welcome.wav")
    audio = np.concatenate([np.zeros(3 * 16_000, np.float32), clip])
    tx = transcriber.transcribe(audio, "zh")
    assert 3.2 <= tx.words[0].start <= 4.0  # speech begins 0.56 s into the clip
    assert 3.2 <= tx.speech[0].start <= 4.0


def test_progress_reaches_the_end(transcriber: WhisperTranscriber) -> None:
    seen: list[Progress] = []
    audio = load_audio(DATA / "zh_welcome.wav")
    transcriber.transcribe(audio, "zh", on_progress=seen.append)
    dones = [p.done for p in seen]
    assert len(seen) >= 2 and dones == sorted(dones)
    assert seen[-1].fraction == 1.0 and seen[-1].total == pytest.approx(len(audio) / 16_000)


def test_cancel_event_stops_transcription(transcriber: WhisperTranscriber) -> None:
    stop = threading.Event()
    stop.set()
    with pytest.raises(Cancelled):
        transcriber.transcribe(load_audio(DATA / "zh_welcome.wav"), "zh", cancel=stop)


def test_progress_callback_can_cancel(transcriber: WhisperTranscriber) -> None:
    def stop(_: Progress) -> None:
        raise Cancelled("user pressed stop")

    with pytest.raises(Cancelled):
        transcriber.transcribe(load_audio(DATA / "en_jfk.flac"), "en", on_progress=stop)


def test_calls_from_two_threads_take_turns(transcriber: WhisperTranscriber) -> None:
    audio = load_audio(DATA / "zh_welcome.wav")
    results: list[str] = []
    threads = [
        threading.Thread(target=lambda: results.append(transcriber.transcribe(audio, "zh").text))
        for _ in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 2 and results[0] == results[1] != ""


def test_speech_spans_show_the_pauses_between_phrases() -> None:
    spans = speech_spans(load_audio(DATA / "en_jfk.flac"))
    assert len(spans) >= 3  # "And so my fellow Americans | ask not | what your country …"
    gaps = [b.start - a.end for a, b in itertools.pairwise(spans)]
    assert min(gaps) > 0.2
    assert speech_spans(np.zeros(0, np.float32)) == ()


def test_unloadable_model_is_a_model_error(tmp_path: Path) -> None:
    bad = tmp_path / "broken-model"
    bad.mkdir()
    for name in ("model.bin", "config.json", "tokenizer.json"):
        (bad / name).write_text("not a model")
    with pytest.raises(ModelError, match=r"cannot load speech model at .*broken-model"):
        load_transcriber(bad)


def test_missing_model_dir_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not found"):
        load_transcriber(tmp_path / "nowhere")


def test_decode_words_serves_chunks_on_their_own_timeline(
    transcriber: WhisperTranscriber,
) -> None:
    clip = load_audio(DATA / "zh_welcome.wav")
    words = transcriber.decode_words(clip, "zh")
    assert "识别" in "".join(w.text for w in words)
    assert 0.3 <= words[0].start <= 1.0
    assert transcriber.decode_words(np.zeros(32_000, np.float32), "zh") == []
