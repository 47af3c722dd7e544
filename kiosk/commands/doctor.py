"""``kiosk doctor``: what works on this machine and what is missing, with what to do.

Each check is a small function returning a :class:`Check`; the runner catches anything a
check raises, so one broken component (PortAudio missing, a corrupt config) never hides
the report on the others. Heavy libraries are imported inside the checks only. The exit
status is non-zero when an *essential* part is missing: without the speech model, its
runtime, PortAudio, a valid config or a writable data directory the kiosk cannot work.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from kiosk.core.errors import printable

Status = Literal["ok", "warn", "fail"]
SYMBOL = {"ok": "✓", "warn": "!", "fail": "✗"}


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    status: Status
    detail: str
    essential: bool = False

    @property
    def blocking(self) -> bool:
        return self.essential and self.status == "fail"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("doctor", help="check the model, audio devices, voices and settings")
    p.add_argument(
        "--deep", action="store_true", help="also load the model and transcribe 1 s of silence"
    )
    p.set_defaults(func=run)


ESSENTIAL_PACKAGES = ("numpy", "soundfile", "av", "ctranslate2", "faster_whisper", "pydantic")
OTHER_PACKAGES = ("textual", "rich", "platformdirs", "opencc", "pyttsx3")


def check_packages() -> list[Check]:
    out = []
    for names, essential in ((ESSENTIAL_PACKAGES, True), (OTHER_PACKAGES, False)):
        missing = []
        for name in names:
            try:
                importlib.import_module(name)
            except Exception as exc:  # a broken install raises more than ImportError
                missing.append(f"{name} ({type(exc).__name__})")
        label = "core packages" if essential else "interface packages"
        if missing:
            detail = "missing: " + ", ".join(missing) + " — run scripts/setup.sh"
            out.append(Check(label, "fail", detail, essential))
        else:
            out.append(Check(label, "ok", ", ".join(names), essential))
    return out


def check_config() -> Check:
    from kiosk.config import config_file, load_settings

    path = config_file()
    load_settings()
    shown = printable(str(path))
    where = shown if path.is_file() else f"{shown} (not present; defaults used)"
    return Check("settings", "ok", where, essential=True)


def check_model() -> Check:
    from kiosk.config import cache_dir, load_settings
    from kiosk.speech.registry import check_model_dir, embedded_dir, embedded_parts, is_assembled

    model_dir = load_settings().model_dir
    if model_dir is not None:
        info = check_model_dir(model_dir)
        return Check("speech model", "ok", f"configured: {info.path}", essential=True)
    target = embedded_dir(cache_dir())
    if is_assembled(target):
        return Check("speech model", "ok", f"embedded, size verified: {target}", essential=True)
    embedded_parts()  # raises ModelError with the fix if the wheels are missing
    return Check(
        "speech model",
        "warn",
        "embedded parts installed but not assembled yet: run `kiosk model install`",
        essential=True,
    )


def check_model_loads() -> Check:
    import numpy as np

    from kiosk.config import cache_dir, load_settings
    from kiosk.speech.registry import resolve_model
    from kiosk.speech.whisper import load_transcriber

    info = resolve_model(load_settings().model_dir, cache_dir())
    transcriber = load_transcriber(info.path)
    transcript = transcriber.transcribe(np.zeros(16_000, dtype=np.float32), "en", None)
    return Check(
        "model loads",
        "ok",
        f"{info.name} transcribed 1 s of silence ({len(transcript.words)} words)",
        essential=True,
    )


def check_input_devices() -> list[Check]:
    try:
        import sounddevice as sd
    except OSError:
        return [
            Check("PortAudio", "fail", "missing: libportaudio2 (apt install libportaudio2)", True)
        ]
    version = sd.get_portaudio_version()[1]
    devices = [d for d in sd.query_devices() if d.get("max_input_channels", 0) > 0]
    checks = [Check("PortAudio", "ok", str(version), essential=True)]
    if devices:
        names = ", ".join(str(d["name"]) for d in devices[:4])
        checks.append(Check("microphones", "ok", f"{len(devices)}: {names}"))
    else:
        checks.append(
            Check("microphones", "warn", "no input device found (kiosk analyze FILE still works)")
        )
    return checks


def check_tts() -> list[Check]:
    """Synthesise a word per language through the same speaker the booth uses.

    Going through :class:`kiosk.audio.tts.Pyttsx3Speaker` (not a separate ``pyttsx3.init()``) checks
    what the booth will really do, and keeps espeak-ng in the one mode the speaker drives it in.
    """
    from kiosk.audio.tts import Pyttsx3Speaker

    speaker = Pyttsx3Speaker(mandarin=False)
    checks = []
    for lang, text, label in (("en", "Hello.", "voice (en)"), ("zh", "你好", "voice (zh)")):
        try:
            samples, rate = speaker.synthesize(text, lang)  # type: ignore[arg-type]
        except Exception as exc:
            checks.append(Check(label, "warn", f"cannot speak ({exc}); questions shown as text"))
            continue
        seconds = samples.size / rate if rate else 0.0
        detail = f"espeak-ng speaks ({seconds:.1f} s for {text!r})"
        checks.append(Check(label, "ok" if seconds > 0.1 else "warn", detail))
    return checks


def check_mandarin_voice() -> Check:
    from kiosk.audio.voices import mandarin_available
    from kiosk.audio.voices.assets import runtime_missing
    from kiosk.audio.voices.info import MANDARIN_VOICE

    if mandarin_available():
        return Check("voice (zh neural)", "ok", f"{MANDARIN_VOICE.name}; {MANDARIN_VOICE.caveat}")
    missing = ", ".join(runtime_missing()) or "model files"
    return Check("voice (zh neural)", "warn", f"not available (missing: {missing}); espeak-ng used")


PROBE_BYTES = 256 * 1024
"""Written (and synced) by the data-directory check: about 8 s of recorded answer."""
LOW_SPACE_MB = 200
"""Below this much free space the check warns: about an hour and a half of recordings."""
MB_PER_MINUTE = 16_000 * 2 * 60 / 1e6
"""A recorded minute: 16 kHz, 16-bit, mono."""


def check_data_dir() -> Check:
    """Really write (and sync) a small file where answers are recorded, then remove it.

    Creating an empty file succeeds on a full disk, so only a write proves there is room;
    a full disk is reported as such, with the space left.
    """
    from kiosk.config import data_dir

    path = data_dir()
    shown = printable(str(path))
    try:
        path.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=path, prefix=".doctor-")
    except OSError as exc:
        return Check("data directory", "fail", _write_problem(exc, path), essential=True)
    try:
        block = b"\0" * PROBE_BYTES
        written = 0
        while written < len(block):
            written += os.write(fd, block[written:])
        os.fsync(fd)
    except OSError as exc:
        return Check("data directory", "fail", _write_problem(exc, path), essential=True)
    finally:
        os.close(fd)
        Path(probe).unlink(missing_ok=True)
    free = _free_mb(path)
    if free is not None and free < LOW_SPACE_MB:
        minutes = free / MB_PER_MINUTE
        detail = f"writable, but only {free:.0f} MB free (about {minutes:.0f} min of recording)"
        return Check("data directory", "warn", f"{detail}: {shown}", essential=True)
    return Check("data directory", "ok", f"writable: {shown}", essential=True)


def _free_mb(path: Path) -> float | None:
    try:
        return shutil.disk_usage(path).free / 1e6
    except OSError:
        return None


def _write_problem(exc: OSError, path: Path) -> str:
    shown = printable(str(path))
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        free = _free_mb(path)
        left = f"{free:.1f} MB free" if free is not None else "no space left"
        return f"disk full: {left} in {shown}; free some space, answers cannot be recorded"
    if isinstance(exc, PermissionError):
        return f"not writable: {shown} (permission denied); fix its permissions or set KIOSK_HOME"
    return f"cannot write in {shown}: {exc.strerror or exc}"


def _guarded(name: str, essential: bool, fn: Callable[[], Check | list[Check]]) -> list[Check]:
    try:
        result = fn()
    except Exception as exc:  # each check is isolated: report it, go on with the others
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return [Check(name, "fail", message, essential)]
    return result if isinstance(result, list) else [result]


def run_checks(deep: bool = False) -> list[Check]:
    plan: list[tuple[str, bool, Callable[[], Check | list[Check]]]] = [
        ("packages", True, check_packages),
        ("settings", True, check_config),
        ("speech model", True, check_model),
    ]
    if deep:
        plan.append(("model loads", True, check_model_loads))
    plan += [
        ("PortAudio", True, check_input_devices),
        ("voices", False, check_tts),
        ("voice (zh neural)", False, check_mandarin_voice),
        ("data directory", True, check_data_dir),
    ]
    return [c for name, essential, fn in plan for c in _guarded(name, essential, fn)]


def run(args: argparse.Namespace) -> int:
    checks = run_checks(deep=args.deep)
    width = max(len(c.name) for c in checks)
    for c in checks:
        print(f"{SYMBOL[c.status]} {c.name.ljust(width)}  {printable(c.detail)}")
    blocking = [c.name for c in checks if c.blocking]
    if blocking:
        print(f"\nkiosk cannot work yet: fix {', '.join(blocking)} (see above)")
        return 1
    print("\nready" + (" (with warnings)" if any(c.status == "warn" for c in checks) else ""))
    return 0
