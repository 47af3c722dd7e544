"""Session fixtures for tests that use the real embedded speech model.

The model is assembled into the *real* user cache (not the per-test ``KIOSK_HOME``), so it
is built once per machine rather than once per test, and loaded once per test run.
``KIOSK_MODEL_CACHE`` points the tests at another cache directory (CI caches it).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
import pytest

from kiosk.config import APP_NAME
from kiosk.speech.registry import assemble_embedded

if TYPE_CHECKING:
    from kiosk.speech.whisper import WhisperTranscriber


def _machine_cache() -> Path:
    override = os.environ.get("KIOSK_MODEL_CACHE")
    return Path(override).expanduser() if override else Path(platformdirs.user_cache_dir(APP_NAME))


@pytest.fixture(scope="session")
def model_dir() -> Path:
    """The embedded Whisper base model directory, assembled once per machine."""
    return assemble_embedded(_machine_cache())


@pytest.fixture(scope="session")
def transcriber(model_dir: Path) -> Iterator[WhisperTranscriber]:
    """One loaded :class:`kiosk.speech.whisper.WhisperTranscriber` shared by the whole run."""
    from kiosk.speech.whisper import load_transcriber

    yield load_transcriber(model_dir)
