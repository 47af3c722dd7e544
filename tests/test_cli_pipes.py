"""Output piped into a reader that stops early (``kiosk … | head -1``, quitting ``less``).

Every subcommand that prints is run as its own process, on a private ``KIOSK_HOME`` with a
small history, in two ways:

* the reader is gone before the command writes anything, with Python's ordinary buffered
  stdout: the command must notice the closed pipe (status 141) and say nothing about it;
* the reader takes the first line and closes the pipe, with unbuffered stdout so that the
  lines after the first meet the closed pipe while the command is still printing.

Either way stderr must carry no traceback and no "Exception ignored" message.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli import EXIT_BROKEN_PIPE
from kiosk.store.database import Store
from tests.support.history import StepClock, improving_history

ANSWER = "{answer}"  # replaced by the id of an answer in the seeded history

COMMANDS: tuple[tuple[str, ...], ...] = (
    ("--help",),
    ("--version",),
    ("stats",),
    ("stats", "--json"),
    ("banks", "list"),
    ("banks", "--help"),
    ("banks", "show", "zh-ai-pm"),
    ("banks", "round"),
    ("banks", "round", "zh-ai-pm-1", "--seed", "1"),
    ("history", "list"),
    ("history", "list", "--json"),
    ("history", "show", ANSWER),
    ("history", "export"),
    ("history", "recover"),
    ("export", ANSWER, "--format", "md"),
    ("export", ANSWER, "--format", "json"),
    ("model", "path"),
    ("devices",),
    ("analyze", "--help"),
    ("doctor", "--help"),
)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """A ``KIOSK_HOME`` with ten analysed answers, and the id of the last one."""
    home = tmp_path_factory.mktemp("pipes") / "kiosk-home"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KIOSK_HOME", str(home))
        clock = StepClock()
        with Store.open(clock=clock) as store:
            kept = improving_history(store, clock)
    return home, kept[-1].attempt_id


def _command(args: tuple[str, ...], answer: int) -> list[str]:
    return [sys.executable, "-m", "kiosk.cli", *(str(answer) if a == ANSWER else a for a in args)]


def _env(home: Path, *, unbuffered: bool) -> dict[str, str]:
    env = dict(os.environ, KIOSK_HOME=str(home))
    env.pop("PYTHONUNBUFFERED", None)
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    return env


def _assert_quiet(stderr: str) -> None:
    assert "Traceback" not in stderr, stderr
    assert "Exception ignored" not in stderr, stderr
    assert "BrokenPipeError" not in stderr, stderr


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_reader_gone_before_any_output(
    args: tuple[str, ...], seeded: tuple[Path, int], tmp_path: Path
) -> None:
    home, answer = seeded
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody will ever read: the first write (or flush) meets EPIPE
    try:
        with (tmp_path / "stderr").open("w+") as err:
            proc = subprocess.run(
                _command(args, answer),
                stdin=subprocess.DEVNULL,
                stdout=write_end,
                stderr=err,
                env=_env(home, unbuffered=False),
                timeout=120,
            )
            err.seek(0)
            stderr = err.read()
    finally:
        os.close(write_end)
    _assert_quiet(stderr)
    assert proc.returncode == EXIT_BROKEN_PIPE, stderr


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_reader_closes_after_the_first_line(
    args: tuple[str, ...], seeded: tuple[Path, int], tmp_path: Path
) -> None:
    home, answer = seeded
    with (tmp_path / "stderr").open("w+") as err:
        proc = subprocess.Popen(
            _command(args, answer),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=err,
            env=_env(home, unbuffered=True),
        )
        assert proc.stdout is not None
        first = proc.stdout.readline()
        proc.stdout.close()  # like `head -1`: the rest of the output has nowhere to go
        returncode = proc.wait(timeout=120)
        err.seek(0)
        stderr = err.read()
    _assert_quiet(stderr)
    assert first.strip(), f"{args} printed nothing; stderr: {stderr}"
    assert returncode in (0, EXIT_BROKEN_PIPE), stderr


def test_full_output_still_ends_with_status_0(seeded: tuple[Path, int]) -> None:
    home, answer = seeded
    proc = subprocess.run(
        _command(("history", "list"), answer),
        capture_output=True,
        text=True,
        env=_env(home, unbuffered=False),
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) > 10 and proc.stderr == ""
