"""The practice booth as a command: ``kiosk`` with no subcommand.

Here the real microphone, voice, speaker, speech model and live transcription are wired
into :func:`kiosk.ui.app.make_app`; everything heavy is imported inside :func:`run` so
``kiosk --help`` stays instant.
"""

from __future__ import annotations

import argparse
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.config import Settings, data_dir, load_settings
from kiosk.core.ports import Language
from kiosk.terminal import native_stderr_to

if TYPE_CHECKING:
    from kiosk.audio.tts import Pyttsx3Speaker
    from kiosk.ui.services import LiveSettings


def add_tui_arguments(parser: argparse.ArgumentParser) -> None:
    """Top-level options of the booth (they override the config file for this run)."""
    # Own dest names: subcommands share the namespace and may have --model or --language.
    group = parser.add_argument_group("practice booth (without a subcommand)")
    group.add_argument(
        "--input-device",
        dest="tui_input_device",
        metavar="DEVICE",
        help="microphone by name or index",
    )
    group.add_argument(
        "--output-device",
        dest="tui_output_device",
        metavar="DEVICE",
        help="speaker for questions read aloud and playback, by name or index",
    )
    group.add_argument(
        "--model",
        dest="tui_model",
        metavar="DIR",
        type=Path,
        help="a local CTranslate2 Whisper model directory instead of the embedded one",
    )
    group.add_argument(
        "--language",
        dest="tui_language",
        choices=("zh", "en", "auto"),
        help="answer language when a question does not say",
    )
    group.add_argument(
        "--no-tts",
        dest="tui_no_tts",
        action="store_true",
        help="show questions without reading them aloud",
    )


def overrides(args: argparse.Namespace) -> dict[str, Any]:
    """Settings given on the command line (None = not given: the config file decides)."""
    return {
        "input_device": getattr(args, "tui_input_device", None),
        "output_device": getattr(args, "tui_output_device", None),
        "model_dir": getattr(args, "tui_model", None),
        "language": getattr(args, "tui_language", None),
        "tts": False if getattr(args, "tui_no_tts", False) else None,
    }


def _recorder(settings: Settings) -> Any:
    from kiosk.audio.recorder import SoundDeviceRecorder

    return SoundDeviceRecorder(device=settings.input_device)


def _transcriber(settings: Settings) -> Any:
    from kiosk.speech.whisper import load_transcriber

    return load_transcriber(settings.model_dir)


class LazySpeaker:
    """Builds the real voice on first use, in whichever worker thread asks first.

    Starting the speech engine and loading the Mandarin voice take seconds; doing it before
    the booth opens would leave the user staring at a blank terminal. ``settings`` are the
    booth's own (the settings screen may change the rate after the voice has started).
    """

    def __init__(self, settings: LiveSettings) -> None:
        self._settings = settings
        self._lock = threading.Lock()
        self._speaker: Pyttsx3Speaker | None = None

    def _real(self) -> Pyttsx3Speaker:
        with self._lock:
            s = self._settings.value
            if self._speaker is None:
                from kiosk.audio.tts import Pyttsx3Speaker

                self._speaker = Pyttsx3Speaker(rate=s.tts_rate, device=s.output_device)
            self._speaker.rate = s.tts_rate
            return self._speaker

    def available(self) -> bool:
        return self._real().available()

    def speak(self, text: str, language: Language) -> None:
        self._real().speak(text, language)

    def stop(self) -> None:
        if self._speaker is not None:
            self._speaker.stop()


def run(args: argparse.Namespace) -> int:
    """Open the booth; returns the exit code."""
    from kiosk.audio.playback import DevicePlayer
    from kiosk.core.errors import KioskError
    from kiosk.questions.loader import load_library
    from kiosk.speech.live import open_stream
    from kiosk.store.database import Store
    from kiosk.ui.app import make_app
    from kiosk.ui.services import LiveSettings

    settings = LiveSettings(load_settings(overrides(args)))
    store: Store | None = None
    warnings: list[str] = []
    try:
        store = Store.open()
    except KioskError as exc:  # practise anyway; recordings still go to the data folder
        warnings.append(f"{exc} — answers will not be added to the history this time.")
    library = load_library(settings.value.banks)
    try:
        # Textual captures the terminal when the app is built, so redirect before that.
        with native_stderr_to(data_dir() / "logs" / "native.log"):
            app = make_app(
                settings,
                recorder_factory=_recorder,
                speaker=LazySpeaker(settings),
                transcriber_factory=_transcriber,
                library=library,
                player=DevicePlayer(),
                streams=open_stream,
                store=store,
            )
            app.startup_warnings.extend(warnings)
            app.run()
    finally:
        if store is not None:
            store.close()
    return app.return_code or 0
