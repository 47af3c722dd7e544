"""``kiosk`` without a subcommand: flags, settings and the real wiring of the booth."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kiosk.cli import build_parser, main
from kiosk.commands import tui
from kiosk.config import Settings, config_file
from kiosk.store.database import Store
from kiosk.ui.app import KioskApp
from kiosk.ui.services import LiveSettings


def test_booth_flags_become_setting_overrides() -> None:
    args = build_parser().parse_args(
        [
            *("--no-tts", "--model", "/models/small", "--input-device", "USB"),
            *("--language", "en", "--output-device", "2"),
        ]
    )
    assert tui.overrides(args) == {
        "input_device": "USB",
        "output_device": "2",
        "model_dir": Path("/models/small"),
        "language": "en",
        "tts": False,
    }
    assert tui.overrides(build_parser().parse_args([])) == {
        "input_device": None,
        "output_device": None,
        "model_dir": None,
        "language": None,
        "tts": None,
    }


def test_subcommands_keep_their_own_options() -> None:
    args = build_parser().parse_args(["--model", "/m", "analyze", "answer.wav"])
    assert args.tui_model == Path("/m") and args.command == "analyze"


def test_kiosk_opens_the_booth_with_settings_library_and_history(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config_file().parent.mkdir(parents=True, exist_ok=True)
    config_file().write_text("tts_rate = 150\n", encoding="utf-8")
    opened: list[KioskApp] = []

    def fake_run(self: KioskApp, **_: Any) -> None:
        opened.append(self)

    monkeypatch.setattr(KioskApp, "run", fake_run)
    assert main(["--input-device", "USB"]) == 0
    [app] = opened
    assert (app.settings.tts_rate, app.settings.input_device) == (150, "USB")
    assert len(app.library.questions) > 50, "the bundled banks are loaded"
    assert isinstance(app.history.store, Store)


def test_the_voice_is_built_on_first_use_with_the_current_rate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import kiosk.audio.tts

    built: list[dict[str, Any]] = []

    class Voice:
        def __init__(self, rate: int, device: object) -> None:
            built.append({"rate": rate, "device": device})
            self.rate = rate
            self.said: list[str] = []

        def available(self) -> bool:
            return True

        def speak(self, text: str, language: str) -> None:
            self.said.append(f"{self.rate}:{text}")

        def stop(self) -> None:
            pass

    monkeypatch.setattr(kiosk.audio.tts, "Pyttsx3Speaker", Voice)
    current = LiveSettings(Settings(tts_rate=150))
    lazy = tui.LazySpeaker(current)
    lazy.stop()
    assert built == [], "nothing is started before the first question"
    lazy.speak("你好", "zh")
    current.value = Settings(tts_rate=200)  # as the settings screen does
    lazy.speak("再见", "zh")
    assert built == [{"rate": 150, "device": None}]
    assert lazy._speaker is not None and lazy._speaker.said == ["150:你好", "200:再见"]  # type: ignore[attr-defined]
