"""The one error the Mandarin voice raises, kept apart so every module can use it."""

from __future__ import annotations

from kiosk.core.errors import KioskError


class MandarinVoiceError(KioskError):
    """The Mandarin voice cannot be used; the message says which file or package and what to do.

    Callers fall back to another voice (espeak-ng) or to showing the question as text.
    """
