"""Decoding real recordings in every supported format to 16 kHz mono float32."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest
import soundfile as sf

from kiosk.audio.files import load_audio, resample, write_wav
from kiosk.core.errors import BadInput


def _similar(a: np.ndarray, b: np.ndarray, lag_max: int = 2000) -> float:
    """Best correlation of two signals over small shifts (lossy codecs add padding)."""
    best = 0.0
    n = min(len(a), len(b)) - lag_max
    for lag in range(0, lag_max, 8):
        for x, y in ((a[lag : lag + n], b[:n]), (a[:n], b[lag : lag + n])):
            best = max(best, float(np.corrcoef(x, y)[0, 1]))
    return best


def _encode_m4a(path: Path, audio: np.ndarray, rate: int = 16_000) -> Path:
    with av.open(str(path), "w", format="mp4") as out:
        stream = out.add_stream("aac", rate=rate, layout="mono")
        frame = av.AudioFrame.from_ndarray(audio.reshape(1, -1), format="flt", layout="mono")
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


@pytest.fixture(scope="module")
def welcome() -> np.ndarray:
    data, rate = sf.read(Path(__file__).parent / "data" / "zh_welcome.wav", dtype="float32")
    assert rate == 16_000
    return data


def test_wav_16k_mono_is_read_exactly(data_dir: Path, welcome: np.ndarray) -> None:
    audio = load_audio(data_dir / "zh_welcome.wav")
    assert audio.dtype == np.float32 and audio.ndim == 1
    np.testing.assert_array_equal(audio, welcome)


def test_stereo_44k_flac_becomes_16k_mono(data_dir: Path) -> None:
    info = sf.info(str(data_dir / "en_jfk.flac"))
    assert info.samplerate == 44_100 and info.channels == 2
    audio = load_audio(data_dir / "en_jfk.flac")
    assert audio.dtype == np.float32 and audio.ndim == 1
    assert len(audio) == pytest.approx(info.duration * 16_000, abs=16)
    assert 0.05 < float(np.abs(audio).max()) <= 1.0


@pytest.mark.parametrize("fmt", ["mp3", "ogg", "m4a"])
def test_compressed_formats_decode_to_the_same_speech(
    fmt: str, tmp_path: Path, welcome: np.ndarray
) -> None:
    path = tmp_path / f"answer.{fmt}"
    if fmt == "m4a":
        _encode_m4a(path, welcome)
    else:
        sf.write(str(path), welcome, 16_000, format=fmt.upper())
    audio = load_audio(path)
    assert audio.dtype == np.float32 and audio.ndim == 1
    assert abs(len(audio) - len(welcome)) < 0.1 * 16_000
    assert _similar(audio, welcome) > 0.9


def test_other_rates_are_resampled_keeping_duration_and_pitch(tmp_path: Path) -> None:
    rate = 48_000
    t = np.arange(rate * 2) / rate
    tone = (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    path = tmp_path / "tone.wav"
    sf.write(str(path), np.stack([tone, tone], axis=1), rate)
    audio = load_audio(path)
    assert len(audio) == pytest.approx(32_000, abs=32)
    spectrum = np.abs(np.fft.rfft(audio))
    peak_hz = np.argmax(spectrum) * 16_000 / len(audio)
    assert peak_hz == pytest.approx(440, abs=2)


def test_resample_is_identity_at_16k(welcome: np.ndarray) -> None:
    np.testing.assert_array_equal(resample(welcome, 16_000), welcome)


def test_write_wav_round_trips(tmp_path: Path, welcome: np.ndarray) -> None:
    path = write_wav(tmp_path / "copy.wav", welcome)
    np.testing.assert_allclose(load_audio(path), welcome, atol=1 / 16_000)


def test_missing_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match=r"nope\.wav: no such file"):
        load_audio(tmp_path / "nope.wav")


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="is a directory"):
        load_audio(tmp_path)


@pytest.mark.parametrize("name", ["junk.wav", "junk.mp3", "notes.m4a", "junk.bin"])
def test_not_audio_is_refused(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(b"this is not audio at all\n" * 50)
    with pytest.raises(BadInput, match=rf"{name}: not a readable audio file") as err:
        load_audio(path)
    assert "\n" not in str(err.value)


def test_zero_byte_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "blank.wav"
    path.write_bytes(b"")
    with pytest.raises(BadInput, match=r"blank\.wav"):
        load_audio(path)


def test_wav_without_samples_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "empty.wav"
    sf.write(str(path), np.zeros(0, dtype=np.float32), 16_000)
    with pytest.raises(BadInput, match=r"empty\.wav: the recording is empty"):
        load_audio(path)


def test_wav_with_a_stale_zero_length_header_keeps_its_audio(
    tmp_path: Path, welcome: np.ndarray
) -> None:
    path = write_wav(tmp_path / "crashed.wav", welcome)
    raw = bytearray(path.read_bytes())
    data = raw.find(b"data")
    raw[data + 4 : data + 8] = (0).to_bytes(4, "little")  # as left by a crash mid-recording
    raw[4:8] = (36).to_bytes(4, "little")
    path.write_bytes(raw)
    audio = load_audio(path)
    assert len(audio) == len(welcome)
    np.testing.assert_allclose(audio, welcome, atol=1 / 16_000)


@pytest.mark.parametrize("fmt", ["wav", "mp3"])
def test_truncated_file_keeps_what_is_there(fmt: str, tmp_path: Path, welcome: np.ndarray) -> None:
    whole = tmp_path / f"whole.{fmt}"
    sf.write(str(whole), welcome, 16_000, format=fmt.upper())
    cut = tmp_path / f"cut.{fmt}"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    audio = load_audio(cut)
    assert 0.3 * len(welcome) < len(audio) < 0.7 * len(welcome)
