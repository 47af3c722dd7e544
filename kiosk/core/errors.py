"""User-facing errors: one clear line saying what is wrong and what to do.

The command line prints ``kiosk: <message>`` and exits with ``exit_code``; the TUI shows the
same message. Anything else that escapes is a bug.
"""

from __future__ import annotations


class KioskError(Exception):
    """An error the user can act on. ``str(err)`` is the whole message."""

    exit_code = 1


class BadInput(KioskError):
    """A file, argument or setting that cannot be used (exit code 2)."""

    exit_code = 2


class ModelError(KioskError):
    """The speech model is missing, corrupt or cannot be loaded (exit code 3)."""

    exit_code = 3


class DeviceError(KioskError):
    """An audio device is missing, busy or failed (exit code 4)."""

    exit_code = 4
