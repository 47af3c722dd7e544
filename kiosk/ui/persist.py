"""Saving settings changed in the booth back to the config TOML file.

Only the keys the settings screen edits are rewritten; every other key already in the file
(extra banks, output device, …) is kept. The standard library reads TOML but cannot write
it, and the file is a flat table of strings, numbers, booleans and string lists, so a small
writer is enough. The file is replaced atomically so a crash never leaves half a config.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from kiosk.config import ConfigError, Settings, read_config_file

EDITED = ("language", "tts", "tts_rate", "input_device", "model_dir", "auto_stop_silence_s")


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a valid TOML string


def dumps(values: dict[str, Any]) -> str:
    """A flat TOML table; ``None`` values are left out (unset)."""
    return "".join(f"{key} = {_value(v)}\n" for key, v in values.items() if v is not None)


def save_settings(settings: Settings, path: Path) -> None:
    """Write the edited fields of ``settings`` into ``path``, keeping its other keys."""
    try:
        values = read_config_file(path)
    except ConfigError as exc:
        raise ConfigError(f"cannot update the settings: {exc}") from None
    for key in EDITED:
        values[key] = getattr(settings, key)
    try:
        _replace(path, dumps(values))
    except OSError as exc:  # a full disk or a read-only folder: the old file is intact
        raise ConfigError(
            f"{path}: cannot save the settings: {exc.strerror or exc}; the file is unchanged. "
            "Free some space on that disk or make its folder writable, then save again"
        ) from None


def _replace(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".config-", suffix=".toml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
