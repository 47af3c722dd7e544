"""The fixed surroundings every booth snapshot test needs.

The SVGs live in tests/snapshots/, and the data folder sits at a fixed path, emptied before
and after, because recording paths are shown on screen and must not vary between runs.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pytest_textual_snapshot import SVGImageExtension

SNAPSHOTS = Path(__file__).parent.parent / "snapshots"


@contextmanager
def fixed_home(monkeypatch: pytest.MonkeyPatch, home: Path) -> Iterator[None]:
    """Snapshots in tests/snapshots/ and a fresh ``KIOSK_HOME`` at ``home`` while inside."""
    monkeypatch.setattr(
        SVGImageExtension, "dirname", classmethod(lambda cls, *, test_location: str(SNAPSHOTS))
    )
    shutil.rmtree(home, ignore_errors=True)
    monkeypatch.setenv("KIOSK_HOME", str(home))
    yield
    shutil.rmtree(home, ignore_errors=True)
