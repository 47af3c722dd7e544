"""Settings: language, voice, microphone, model directory — saved to the config file.

Values are validated by ``kiosk.config.Settings`` itself, so the screen shows the same
message the command line would and never saves a value the app cannot load. Every field
is one line high, so the form, its buttons and the keys (ctrl+s save, esc cancel) fit an
80×24 terminal; on a shorter one the fields scroll and the buttons stay.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Select, Static, Switch

from kiosk.config import Settings, config_file
from kiosk.core.errors import KioskError
from kiosk.ui.persist import save_settings

if TYPE_CHECKING:
    from kiosk.ui.booth import Booth

LANGUAGE_CHOICES = [("Auto-detect", "auto"), ("中文 (Mandarin)", "zh"), ("English", "en")]


class SettingsScreen(ModalScreen[None]):
    """Edit and save the booth's settings."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "app.pop_screen", "Cancel"),
    ]

    @property
    def booth(self) -> Booth:
        return cast("Booth", self.app)

    def compose(self) -> ComposeResult:
        s = self.booth.settings
        with Vertical(id="settings-box"):
            yield Static("Settings", id="settings-title")
            with VerticalScroll(id="settings-body"), Grid(id="settings-grid"):
                yield Label("Default answer language")
                yield Select(
                    LANGUAGE_CHOICES,
                    value=s.language,
                    allow_blank=False,
                    compact=True,
                    id="language",
                )
                yield Label("Read questions aloud")
                yield Switch(value=s.tts, id="tts")
                yield Label("Voice rate (words/min)")
                yield Input(str(s.tts_rate), type="integer", compact=True, id="tts_rate")
                yield Label("Transcribe while speaking")
                yield Switch(value=s.live_transcription, id="live_transcription")
                yield Label("Microphone (name or index)")
                yield Input(
                    s.input_device or "",
                    placeholder="system default",
                    compact=True,
                    id="input_device",
                )
                yield Label("Model directory")
                yield Input(
                    str(s.model_dir or ""),
                    placeholder="embedded Whisper base",
                    compact=True,
                    id="model_dir",
                )
                yield Label("Stop after silence (s)")
                yield Input(
                    f"{s.auto_stop_silence_s:g}",
                    type="number",
                    placeholder="0 = never",
                    compact=True,
                    id="auto_stop_silence_s",
                )
            yield Static(id="settings-error", markup=False)
            with Horizontal(id="settings-buttons"):
                yield Button("Save", variant="primary", compact=True, id="save")
                yield Button("Cancel", compact=True, id="cancel")
        yield Footer()

    def _edited(self) -> dict[str, Any]:
        def text(name: str) -> str:
            return self.query_one(f"#{name}", Input).value.strip()

        return {
            "language": self.query_one("#language", Select).value,
            "tts": self.query_one("#tts", Switch).value,
            "live_transcription": self.query_one("#live_transcription", Switch).value,
            "tts_rate": text("tts_rate") or "170",
            "input_device": text("input_device") or None,
            "model_dir": Path(text("model_dir")).expanduser() if text("model_dir") else None,
            "auto_stop_silence_s": text("auto_stop_silence_s") or "0",
        }

    def action_save(self) -> None:
        old = self.booth.settings
        try:
            new = Settings(**{**old.model_dump(), **self._edited()})
            save_settings(new, self.booth.settings_path or config_file())
        except ValidationError as exc:
            first = exc.errors()[0]
            self._error(f"{'.'.join(map(str, first['loc']))}: {first['msg']}")
            return
        except (KioskError, OSError) as exc:
            self._error(str(exc))
            return
        self.booth.settings = new
        self.booth.tts_muted = not new.tts
        if new.model_dir != old.model_dir:
            self.booth.models.forget()
        self.app.pop_screen()
        self.notify("Settings saved.", timeout=3)

    def _error(self, text: str) -> None:
        self.query_one("#settings-error", Static).update(f"Not saved: {text}")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.app.pop_screen()
