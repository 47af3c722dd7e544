"""Settings and file locations.

Settings come, lowest priority first, from defaults, the TOML file
``<config dir>/config.toml``, ``KIOSK_*`` environment variables, then command-line flags.
Locations follow the platform conventions (platformdirs); ``KIOSK_HOME`` puts config,
data and cache under one directory instead (handy for tests and portable installs).

Files the user names (the settings file, bank files, recordings to analyse) are read only
when they are regular files: :func:`read_user_file` refuses devices, FIFOs and sockets
before opening them (``/dev/zero`` never ends, a FIFO waits for a writer for ever) and reads
at most a given number of bytes.
"""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kiosk.core.errors import BadInput, printable

APP_NAME = "interview-kiosk"
MAX_CONFIG_BYTES = 1_000_000


class ConfigError(BadInput):
    """A settings file or value that cannot be used; the message says where and why."""


class UnreadableFile(BadInput):
    """A file the user named that cannot be read; ``reason`` says why and what to do."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{printable(self.path)}: {reason}")


_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_regular(mode: int, noun: str) -> str | None:
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    return f"is {kind}, not a regular file; give the path of a {noun}"


def _size(n: float) -> str:
    return f"{n / 1e6:g} MB" if n >= 1e6 and n % 1e5 == 0 else f"{n / 1e6:.1f} MB"


def _os_reason(exc: OSError, noun: str) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory; check the path"
    if isinstance(exc, PermissionError):
        return "permission denied; make it readable (chmod u+r) or use another file"
    if isinstance(exc, NotADirectoryError):
        return "a folder in this path is a file; check the path"
    return f"cannot read ({exc.strerror or type(exc).__name__}); check the {noun}"


def regular_file(path: Path, noun: str, limit: int | None = None) -> os.stat_result:
    """``os.stat(path)`` after checking it is a regular file (of at most ``limit`` bytes).

    :class:`UnreadableFile` otherwise, saying what ``path`` is instead; ``noun`` names what
    the user should give (``"bank file (.toml)"``).
    """
    try:
        st = os.stat(path)
    except OSError as exc:
        raise UnreadableFile(path, _os_reason(exc, noun)) from None
    _check(path, st, noun, limit)
    return st


def _check(path: Path, st: os.stat_result, noun: str, limit: int | None) -> None:
    problem = _not_regular(st.st_mode, noun)
    if problem is not None:
        raise UnreadableFile(path, problem)
    if limit is not None and st.st_size > limit:
        reason = f"is {_size(st.st_size)}; a {noun} may be at most {_size(limit)}"
        raise UnreadableFile(path, reason)


def read_user_file(path: Path, limit: int, noun: str) -> bytes:
    """The bytes of ``path``, a regular file of at most ``limit`` bytes.

    Anything else is refused before it is opened (:class:`UnreadableFile`). The file is then
    opened non-blocking and checked again, so a path swapped for a FIFO or device in between
    cannot hang or flood the program, and never more than ``limit + 1`` bytes are read.
    """
    regular_file(path, noun, limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise UnreadableFile(path, _os_reason(exc, noun)) from None
    try:
        with open(fd, "rb", closefd=True) as fh:
            _check(path, os.fstat(fh.fileno()), noun, limit)
            data = fh.read(limit + 1)
    except OSError as exc:
        raise UnreadableFile(path, _os_reason(exc, noun)) from None
    if len(data) > limit:
        reason = f"grew past {_size(limit)} while being read; a {noun} may be at most that"
        raise UnreadableFile(path, reason)
    return data


def exists(path: Path) -> bool:
    """True if something is at ``path`` (even if it cannot be read: the reader says why)."""
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return True
    return True


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
    live_transcription: bool = True
    """Transcribe while the answer is spoken (live captions, the report at the stop key);
    off: transcribe after the stop, for machines too slow to keep up. Same words either way."""
    max_answer_s: float = Field(default=900.0, ge=10.0, le=3600.0)
    """The longest answer recorded, in seconds: the booth stops there (15 minutes)."""
    banks: list[Path] = Field(default_factory=list)
    """Extra question-bank TOML files or directories."""


_ENV_PREFIX = "KIOSK_"


def env_name(setting: str) -> str:
    """The environment variable that sets ``setting``: ``KIOSK_<NAME>``."""
    return _ENV_PREFIX + setting.upper()


def _from_env() -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in Settings.model_fields:
        raw = os.environ.get(env_name(name))
        if raw is None or raw == "":
            continue
        values[name] = [p for p in raw.split(os.pathsep) if p] if name == "banks" else raw
    return values


def read_config_file(path: Path) -> dict[str, Any]:
    """The settings table in ``path`` ({} when there is no file); :class:`ConfigError` naming
    the file and what to do when it cannot be read or is not TOML."""
    if not exists(path):
        return {}
    shown = printable(str(path))
    try:
        data = read_user_file(path, MAX_CONFIG_BYTES, "settings file (TOML)")
    except UnreadableFile as exc:
        raise ConfigError(str(exc)) from None
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise ConfigError(f"{shown}: not valid UTF-8; save the file as UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        detail = printable(str(exc))
        raise ConfigError(f"{shown}: TOML syntax error: {detail}; fix or remove the file") from None
    except RecursionError:
        raise ConfigError(f"{shown}: TOML nested too deeply; fix or remove the file") from None


def load_settings(overrides: dict[str, Any] | None = None, path: Path | None = None) -> Settings:
    """Merge file, environment and flag values.

    A bad value raises :class:`ConfigError` naming where it came from: the settings file, the
    ``KIOSK_*`` variable or the command-line option.
    """
    path = path or config_file()
    from_file = read_config_file(path)
    from_env = _from_env()
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    try:
        return Settings(**{**from_file, **from_env, **given})
    except ValidationError as exc:
        raise ConfigError(_where(exc, path, from_file, from_env, given)) from None


def _where(
    exc: ValidationError,
    path: Path,
    from_file: dict[str, Any],
    from_env: dict[str, Any],
    given: dict[str, Any],
) -> str:
    """One line for the first problem: where the value came from, what is wrong, what to do."""
    first = exc.errors()[0]
    loc = [str(p) for p in first["loc"]]
    key = loc[0] if loc else ""
    field = printable(".".join(loc)) or "settings"
    if first["type"] == "extra_forbidden":
        known = ", ".join(Settings.model_fields)
        problem = f"unknown setting {field!r} (a typo?); the settings are: {known}"
    else:
        problem = f"{field}: {first['msg']}"
    if key in given:
        return f"command-line option for {field}: {first['msg']}"
    if key in from_env:
        shown = printable(os.environ.get(env_name(key), ""))
        return f"{env_name(key)}='{shown}': {first['msg']}; fix or unset the variable"
    return f"{printable(str(path))}: {problem}; fix it in the file"


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
