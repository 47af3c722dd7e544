"""The practice booth as a command: ``kiosk`` with no subcommand.

Here the real microphone, voice and speech model are wired into :func:`kiosk.ui.app.make_app`;
everything heavy is imported inside :func:`run` so ``kiosk --help`` stays instant.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kiosk.config import Settings, load_settings


def add_tui_arguments(parser: argparse.ArgumentParser) -> None:
    """Top-level options of the booth (they override the config file for this run)."""
    group = parser.add_argument_group("practice booth")
    group.add_argument("--input-device", metavar="DEVICE", help="microphone by name or index")
    group.add_argument("--model", metavar="DIR", type=Path, help="a local CTranslate2 model dir")
    group.add_argument(
        "--language", choices=("zh", "en", "auto"), help="answer language when a question has none"
    )
    group.add_argument(
        "--no-tts", action="store_true", default=None, help="show questions without reading aloud"
    )


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "input_device": getattr(args, "input_device", None),
        "model_dir": getattr(args, "model", None),
        "language": getattr(args, "language", None),
        "tts": False if getattr(args, "no_tts", None) else None,
    }


def _recorder(settings: Settings) -> Any:
    from audio.recorder import SoundDeviceRecorder

    return SoundDeviceRecorder(device=settings.input_device)


def _transcriber(settings: Settings) -> Any:
    from models.whisper import load_transcriber

    return load_transcriber(settings.model_dir)


def _speaker(settings: Settings) -> Any:
    from audio.tts import Pyttsx3Speaker

    return Pyttsx3Speaker(rate=settings.tts_rate, device=settings.output_device)


def run(args: argparse.Namespace) -> int:
    """Open the booth; returns the exit code."""
    from kiosk.ui.app import make_app
    from questions.loader import load_library

    settings = load_settings(_overrides(args))
    app = make_app(
        settings,
        recorder_factory=_recorder,
        speaker=_speaker(settings),
        transcriber_factory=_transcriber,
        library=load_library(settings.banks),
    )
    app.run()
    return app.return_code or 0
