"""What the booth needs from the outside world, injected so tests can use doubles.

``make_app`` receives factories rather than ready objects: opening a microphone or loading
the speech model is slow or may fail, and must happen when (and where) the UI chooses —
the model once, in a background thread, while the first question is read aloud.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiosk.config import Settings
from kiosk.core.ports import Recorder, Speaker, Transcriber

RecorderFactory = Callable[[Settings], Recorder]
TranscriberFactory = Callable[[Settings], Transcriber]
Analyze = Callable[..., Any]
"""``kiosk.pipeline.analyze_audio``-shaped: (audio, transcriber=, language=, target=,
on_progress=) -> Report."""


class ModelHolder:
    """Loads the transcriber at most once; callers on any thread wait for the one load.

    A failed load is not remembered: after the user fixes the model directory in settings,
    the next attempt tries again.
    """

    def __init__(self, factory: TranscriberFactory, settings: Callable[[], Settings]) -> None:
        self._factory = factory
        self._settings = settings
        self._lock = threading.Lock()
        self._transcriber: Transcriber | None = None

    @property
    def loaded(self) -> bool:
        return self._transcriber is not None

    def get(self) -> Transcriber:
        """The transcriber, loading it now if needed (raises ModelError if it cannot)."""
        with self._lock:
            if self._transcriber is None:
                self._transcriber = self._factory(self._settings())
            return self._transcriber

    def forget(self) -> None:
        """Drop the loaded model, e.g. after the model directory changed."""
        with self._lock:
            self._transcriber = None


@dataclass(frozen=True)
class Services:
    """The booth's outside world."""

    recorder_factory: RecorderFactory
    speaker: Speaker
    models: ModelHolder
    analyze: Analyze
    clock: Callable[[], float]
    """Monotonic seconds, for the answer timer."""
    wall_clock: Callable[[], datetime]
    """Local date and time, for naming recordings."""
