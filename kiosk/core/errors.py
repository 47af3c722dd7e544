"""User-facing errors: one clear line saying what is wrong and what to do.

The command line prints ``kiosk: <message>`` and exits with ``exit_code``; the TUI shows the
same message. Anything else that escapes is a bug.

Messages often quote what the user typed or named (a file name, a setting's value); those
parts go through :func:`printable` first, so a stray escape sequence or bidi override in a
file name can neither garble the terminal nor split the message over several lines.
"""

from __future__ import annotations

import re

UNSAFE_CHARS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 except tab and newline, DEL, C1
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"  # bidi marks, embeddings, isolates
)
"""C0 and C1 control characters (tab and newline excepted), DEL, and Unicode's bidirectional
controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069). Printed raw, the first can
move the cursor, recolour or clear a terminal; the second make text read differently from
what it holds."""

_LINE_BREAKS = re.compile("[\t\n\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, lines: bool = False) -> str:
    """``text`` with every unsafe character written as an escape (``\\x1b``, ``\\u202e``).

    Tabs and line breaks are escaped too unless ``lines`` is true, so by default the result
    fits on one line of a message.
    """
    text = UNSAFE_CHARS.sub(_escape, text)
    return text if lines else _LINE_BREAKS.sub(_escape, text)


def printable_json(text: str) -> str:
    """JSON text with unsafe characters written as ``\\uXXXX`` escapes: the same JSON value.

    ``json.dumps(..., ensure_ascii=False)`` escapes C0 controls but leaves C1 and bidi
    controls raw; they can only occur inside strings, where the escape means the same.
    """
    return UNSAFE_CHARS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


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
