"""Native stderr goes to a log while the booth runs; Python's stderr keeps the terminal."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

CHILD = """
import os, sys
from pathlib import Path
from kiosk.terminal import native_stderr_to
with native_stderr_to(Path(sys.argv[1])) as used:
    os.write(2, b"Expression 'ret' failed in 'src/hostapi/alsa'\\n")
    print("drawn on the terminal", file=sys.__stderr__, flush=True)
    assert used is not None
os.write(2, b"after: back on the terminal\\n")
"""


def _run_with_pty_stderr(log: Path) -> str:
    main, child = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(log)], stderr=child, stdout=subprocess.DEVNULL
    )
    os.close(child)
    chunks = []
    while True:
        try:
            data = os.read(main, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=30)
    os.close(main)
    assert proc.returncode == 0
    return b"".join(chunks).decode()


def test_native_lines_go_to_the_log_and_python_keeps_the_terminal(tmp_path: Path) -> None:
    log = tmp_path / "logs" / "native.log"
    seen = _run_with_pty_stderr(log)
    assert "drawn on the terminal" in seen
    assert "after: back on the terminal" in seen
    assert "Expression" not in seen
    assert "Expression 'ret' failed" in log.read_text()
    assert log.stat().st_mode & 0o777 == 0o600


def test_nothing_changes_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    log = tmp_path / "native.log"
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD.replace("assert used is not None", "assert used is None"),
            str(log),
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Expression 'ret' failed" in proc.stderr
    assert not log.exists()
