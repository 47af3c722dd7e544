"""Settings and file locations.

Settings come, lowest priority first, from defaults, the TOML file
``<config dir>/config.toml``, ``KIOSK_*`` environment variables, then command-line flags.
Locations follow the platform conventions (platformdirs); ``KIOSK_HOME`` puts config,
data and cache under one directory instead (handy for tests and portable installs).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kiosk.core.errors import BadInput

APP_NAME = "interview-kiosk"


class ConfigError(BadInput):
    """A settings file or value that cannot be used; the message says where and why."""


def _base(kind: Literal["config", "data", "cache"]) -> Path:
    home = os.environ.get("KIOSK_HOME")
    if home:
        return Path(home).expanduser() / kind
    if kind == "config":
        return Path(platformdirs.user_config_dir(APP_NAME))
    if kind == "data":
        return Path(platformdirs.user_data_dir(APP_NAME))
    return Path(platformdirs.user_cache_dir(APP_NAME))


def config_dir() -> Path:
    return _base("config")


def data_dir() -> Path:
    return _base("data")


def cache_dir() -> Path:
    return _base("cache")


def config_file() -> Path:
    return Path(os.environ.get("KIOSK_CONFIG", config_dir() / "config.toml"))


class Settings(BaseModel):
    """Everything a user may set. Each field can also be given as ``KIOSK_<NAME>``."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    language: Literal["zh", "en", "auto"] = "auto"
    """Language of answers when a question does not say: zh, en or auto-detect."""
    model_dir: Path | None = None
    """A local CTranslate2 Whisper model directory; empty means the embedded base model."""
    input_device: str | None = None
    """Microphone by name (substring) or index; empty means the system default."""
    output_device: str | None = None
    """Speaker for questions read aloud, by name or index; empty means the default."""
    tts: bool = True
    """Read questions aloud."""
    tts_rate: int = Field(default=170, ge=60, le=400)
    """Speaking rate of the question voice, words per minute."""
    auto_stop_silence_s: float = Field(default=0.0, ge=0.0, le=60.0)
    """Stop recording after this many seconds of silence (0 = never)."""
    banks: list[Path] = Field(default_factory=list)
    """Extra question-bank TOML files or directories."""


_ENV_PREFIX = "KIOSK_"


def _from_env() -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in Settings.model_fields:
        raw = os.environ.get(_ENV_PREFIX + name.upper())
        if raw is None or raw == "":
            continue
        values[name] = raw.split(os.pathsep) if name == "banks" else raw
    return values


def load_settings(overrides: dict[str, Any] | None = None, path: Path | None = None) -> Settings:
    """Merge file, environment and flag values; raise :class:`ConfigError` naming the file."""
    path = path or config_file()
    values: dict[str, Any] = {}
    if path.is_file():
        try:
            values.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: {exc}") from None
    values.update(_from_env())
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    try:
        return Settings(**values)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "settings"
        raise ConfigError(f"{path}: {where}: {first['msg']}") from None


# --- private folders -------------------------------------------------------------------

PRIVATE_DIRS = ("recordings", "logs")
"""Folders of the data directory that hold the user's voice, words or diagnostics."""


def private_dir(path: Path) -> Path:
    """Create ``path`` (mode 0700) if missing; take group and other bits off it if it is
    ours. Bits are only ever taken away, so a folder the user made read-only stays so."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        st = path.stat()
        if st.st_mode & 0o077 and st.st_uid == os.getuid():
            path.chmod(st.st_mode & 0o700)
    except OSError:
        pass  # not ours: leave it to its owner
    return path


def private_data_dir(root: Path) -> Path:
    """The data directory and the folders the kiosk keeps in it, all user-only (0700)."""
    private_dir(root)
    for name in PRIVATE_DIRS:
        private_dir(root / name)
    return root
