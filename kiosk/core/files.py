"""Locating files shipped inside installed wheels, and hashing them.

The speech model and the Mandarin voice both arrive as data inside PyPI wheels whose own
code is never run, and both are trusted only after their bytes match a known SHA-256. The
model registry must stay pure (standard library only), so these two steps live here, in the
core, where the registry and the voice can share them.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import importlib.util
from importlib.resources.abc import Traversable
from pathlib import Path

_PACKAGED = {"questions": "questions", "models": "speech", "audio": "audio"}
"""Where a wheel puts each top-level data folder: ``kiosk/<package>/bundled``."""


def bundled(folder: str) -> Traversable:
    """One of the data folders the project ships (``questions``: banks and round
    templates; ``models``: the embedded model's manifest; ``audio``: the voices' English
    lexicon): inside the installed package, or, in a checkout or an editable install, the
    top-level folder beside ``kiosk/``."""
    packaged = importlib.resources.files("kiosk") / _PACKAGED[folder] / "bundled"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / folder


def package_dir(package: str) -> Path | None:
    """The folder of installed top-level ``package``, or None; its ``__init__`` is not run."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB chunks (model files are hundreds of MB)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
