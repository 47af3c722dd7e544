"""The pure core imports no UI, audio or model runtime — checked module by module.

Each module is imported in a fresh interpreter (a module imported earlier in the test
process would hide a forbidden import), then ``sys.modules`` is inspected. The packages
are walked on disk, so a new core module is covered without touching this file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = (
    "textual",
    "sounddevice",
    "pyttsx3",
    "faster_whisper",
    "ctranslate2",
    "kiosk.audio",
    "kiosk.ui",
)
PURE_PACKAGES = ("kiosk.core", "kiosk.questions")
PURE_MODULES = ("kiosk.speech.registry",)


def pure_modules() -> list[str]:
    names = list(PURE_MODULES)
    for package in PURE_PACKAGES:
        path = ROOT.joinpath(*package.split("."))
        if not path.is_dir():
            continue
        for file in path.rglob("*.py"):
            parts = file.relative_to(ROOT).with_suffix("").parts
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return sorted(set(names))


PROBE = """
import importlib, json, sys
importlib.import_module(sys.argv[1])
print(json.dumps(sorted(sys.modules)))
"""


def imported_by(module: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, module], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout))


def test_the_walk_finds_the_core() -> None:
    found = pure_modules()
    assert {"kiosk.core.metrics", "kiosk.core.fillers", "kiosk.core.report"} <= set(found)
    assert "kiosk.speech.registry" in found


@pytest.mark.parametrize("module", pure_modules())
def test_module_is_pure(module: str) -> None:
    loaded = imported_by(module)
    bad = sorted(
        name for name in loaded if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
    )
    assert not bad, f"{module} pulls in {bad}"


def test_the_probe_can_see_a_forbidden_import() -> None:
    assert "kiosk.commands.analyze" in imported_by("kiosk.commands.analyze")
    assert "kiosk.audio.files" in imported_by("kiosk.audio.files")
