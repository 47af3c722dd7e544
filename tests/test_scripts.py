"""The README's two commands: the shell scripts parse, and the user's path really starts.

``scripts/start.sh`` runs the plain set-up (no test tools) and then ``kiosk``; these tests run
it as a user would. Its ``KIOSK_HOME`` is private except for the cache, which is the machine's
model cache, so the embedded model is found rather than assembled again for every test.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from kiosk import __version__
from tests.plugins.model import _machine_cache

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted([*ROOT.glob("scripts/*.sh"), ROOT / ".ci" / "run", *ROOT.glob("tests/**/*.sh")])


@pytest.fixture
def user_env(kiosk_home: Path) -> dict[str, str]:
    """The environment of a user running the scripts: private config and data, shared cache."""
    kiosk_home.mkdir(parents=True, exist_ok=True)
    cache = _machine_cache()
    cache.mkdir(parents=True, exist_ok=True)
    (kiosk_home / "cache").symlink_to(cache, target_is_directory=True)
    return dict(os.environ, KIOSK_HOME=str(kiosk_home))


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=900,  # a machine missing something installs it first
    )


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_script_parses(script: Path) -> None:
    proc = _run(["bash", "-n", str(script)], dict(os.environ))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""


@pytest.mark.parametrize(
    ("flag", "expected"),
    [("--help", "usage: kiosk"), ("--version", f"kiosk {__version__}")],
)
def test_start_sets_up_and_runs_kiosk(flag: str, expected: str, user_env: dict[str, str]) -> None:
    proc = _run(["bash", "scripts/start.sh", flag], user_env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(expected), proc.stdout
    if flag == "--help":
        assert "COMMAND" in proc.stdout and "stats" in proc.stdout


def test_plain_and_test_setups_do_not_reinstall_each_other(user_env: dict[str, str]) -> None:
    # The first run may install what is missing; after it, neither set-up installs anything,
    # whichever ran last.
    first = _run(["bash", "scripts/setup.sh", "--test"], user_env)
    assert first.returncode == 0, first.stderr
    for args in (["scripts/setup.sh"], ["scripts/setup.sh", "--test"], ["scripts/setup.sh"]):
        proc = _run(["bash", *args], user_env)
        assert proc.returncode == 0, proc.stderr
        assert "installing" not in proc.stderr, (args, proc.stderr)
        assert proc.stdout == ""


def test_setup_rejects_an_unknown_option(user_env: dict[str, str]) -> None:
    proc = _run(["bash", "scripts/setup.sh", "--tset"], user_env)
    assert proc.returncode == 2
    assert "usage: scripts/setup.sh [--test]" in proc.stderr
