"""Keep native libraries from scribbling over the full-screen interface.

PortAudio, ALSA and espeak-ng write diagnostics straight to file descriptor 2 from C
("Expression '…' failed", "ALSA lib pcm.c: …"), bypassing Python. Textual draws the screen
on ``sys.__stderr__``, which is that same descriptor, so each such line lands in the middle of
the booth. While the booth runs, descriptor 2 is pointed at a log file and Textual is given a
duplicate of the terminal instead; everything is put back on exit.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def native_stderr_to(log_path: Path) -> Iterator[Path | None]:
    """Send fd 2 to ``log_path`` (created 0600) while Python's stderr keeps the terminal.

    Does nothing (yields ``None``) when stderr is not a terminal: then there is no screen to
    protect and messages are better left where the caller sent them.
    """
    if not os.isatty(2):
        yield None
        return
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    terminal_fd = os.dup(2)
    encoding = getattr(sys.__stderr__, "encoding", None) or "utf-8"
    terminal = os.fdopen(terminal_fd, "w", buffering=1, encoding=encoding, errors="replace")
    saved = (sys.__stderr__, sys.stderr)
    sys.stderr.flush()
    os.dup2(log_fd, 2)
    os.close(log_fd)
    sys.stderr = terminal
    setattr(sys, "__stderr__", terminal)  # noqa: B010 (typeshed marks it Final)
    try:
        yield log_path
    finally:
        terminal.flush()
        os.dup2(terminal.fileno(), 2)
        setattr(sys, "__stderr__", saved[0])  # noqa: B010
        sys.stderr = saved[1]
        terminal.close()
