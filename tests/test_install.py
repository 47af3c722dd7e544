"""The installed project is one import package, ``kiosk``, with its data inside.

The repository keeps its agreed top-level folders: ``kiosk/`` holds all the code, while
``questions/`` (banks, round templates), ``models/`` (the embedded model's manifest) and
``audio/`` (the voices' English lexicon) hold data. Installing must not add ``audio``,
``models`` or ``questions`` as import packages (other projects use those names), and a
wheel must carry the data. The import graph of ``kiosk`` has no cycle.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
DATA = {"questions": "questions", "models": "speech", "audio": "audio"}


def test_every_package_under_kiosk_is_listed_for_the_wheel() -> None:
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    code = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "kiosk").rglob("__init__.py")
    }
    data = {f"kiosk.{package}.bundled" for package in DATA.values()}
    assert code | data | {"kiosk.questions.bundled.banks"} == listed


def test_top_level_folders_hold_data_only() -> None:
    for folder in DATA:
        files = [
            p for p in (ROOT / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts
        ]
        assert files, f"{folder}/ is empty"
        assert not [p for p in files if p.suffix == ".py"], f"code in {folder}/"


def test_no_import_cycle_in_kiosk() -> None:
    graph = grimp.build_graph("kiosk")
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            chain = graph.find_shortest_chain(importer=imported, imported=module)
            if chain:
                cycles.append((module, *chain))
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles[:10])


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    source = tmp_path_factory.mktemp("source")  # a copy: no build/ left in the checkout
    for name in ("pyproject.toml", "README.md", "kiosk", *DATA):
        if (ROOT / name).is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
            shutil.copytree(ROOT / name, source / name, ignore=ignore)
        else:
            shutil.copy2(ROOT / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--disable-pip-version-check",
         "-w", str(out), str(source)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    (found,) = out.glob("interview_kiosk-*.whl")
    return found


def test_the_wheel_holds_one_package_and_its_data(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"kiosk"}
    for data in (
        "kiosk/questions/bundled/rounds.toml",
        "kiosk/questions/bundled/banks/zh_ai_pm.toml",
        "kiosk/speech/bundled/embedded.toml",
        "kiosk/audio/bundled/lexicon.toml",
        "kiosk/ui/kiosk.tcss",
    ):
        assert data in names


PROBE = """
import importlib, importlib.util, json
found = {}
for name in ("audio", "models", "questions"):
    try:
        importlib.import_module(name)
        found[name] = True
    except ImportError:
        found[name] = False
import kiosk
from kiosk.core.files import bundled
found["kiosk"] = kiosk.__version__
found["speech"] = importlib.util.find_spec("kiosk.speech.whisper") is not None
found["banks"] = sorted(p.name for p in (bundled("questions") / "banks").iterdir())
found["manifest"] = (bundled("models") / "embedded.toml").is_file()
found["lexicon"] = (bundled("audio") / "lexicon.toml").is_file()
found["from"] = kiosk.__file__
print(json.dumps(found))
"""


def test_a_fresh_environment_gets_kiosk_and_not_audio_models_questions(
    wheel: Path, tmp_path: Path
) -> None:
    env = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    python = env / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
         "--disable-pip-version-check", "--no-index", str(wheel)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    out = subprocess.run(
        [str(python), "-I", "-c", PROBE], cwd=tmp_path, env=clean,
        check=True, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    found = json.loads(out.stdout)
    assert (found["audio"], found["models"], found["questions"]) == (False, False, False)
    assert found["kiosk"] and found["speech"] and found["manifest"] and found["lexicon"]
    assert "zh_ai_pm.toml" in found["banks"]
    assert str(env) in found["from"], "kiosk came from the fresh environment"
