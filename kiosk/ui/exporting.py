"""Exporting from the booth: the files of :mod:`kiosk.output.export`, and a notification saying
where they went (or why they could not be written)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.screen import Screen

from kiosk.core.errors import KioskError
from kiosk.output.export import export_attempt_files, exported_text
from kiosk.store.database import Store


def export_attempt(screen: Screen[Any], store: Store, attempt_id: int) -> list[Path]:
    """Write one answer as Markdown and JSON into the exports folder — and its whole mock
    round too when it was part of one — and say where; the files written."""
    try:
        written = export_attempt_files(store, attempt_id)
    except (KioskError, OSError) as exc:
        screen.notify(f"Export failed: {exc}", severity="error")
        return []
    screen.notify(exported_text(written), timeout=8)
    return written
