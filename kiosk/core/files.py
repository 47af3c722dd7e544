"""Locating files shipped inside installed wheels, and hashing them.

The speech model and the Mandarin voice both arrive as data inside PyPI wheels whose own
code is never run, and both are trusted only after their bytes match a known SHA-256. The
model registry must stay pure (standard library only), so these two steps live here, in the
core, where the registry and the voice can share them.
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path


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
