"""Fixtures shared by every test tier.

Each test gets its own ``KIOSK_HOME`` (config, data, cache) so nothing touches the user's
files; tests that need the real speech model get its directory from the session fixture in
``tests/plugins/model.py``. Tier-specific fixtures live in ``tests/plugins/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["tests.plugins.model", "tests.plugins.virtual_audio"]

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_dir() -> Path:
    """Real speech clips committed with the tests (see tests/data/SOURCES.md)."""
    return DATA


@pytest.fixture(autouse=True)
def kiosk_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private home for config, data and cache, so tests never see the user's files."""
    home = tmp_path / "kiosk-home"
    monkeypatch.setenv("KIOSK_HOME", str(home))
    for name in ("LANGUAGE", "MODEL_DIR", "INPUT_DEVICE", "OUTPUT_DEVICE", "CONFIG", "BANKS"):
        monkeypatch.delenv(f"KIOSK_{name}", raising=False)
    return home
