"""What the user hands the kiosk: bank files, settings, typed text, paths to read and write.

Each test keeps one row of docs/RELIABILITY.md ("Input: banks, settings, typed text, files")
true: whatever is named or typed, the command line ends with one ``kiosk: …`` line that says
what to do, nothing that could drive the terminal is printed raw, and the booth keeps running.
Devices and FIFOs are refused before they are opened: the tests that use them carry a short
timeout, because without that rule they would hang (a FIFO) or fill the memory (/dev/zero).
"""

from __future__ import annotations

import asyncio
import errno
import io
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets import Input, Select, Tree

from kiosk import config as kiosk_config
from kiosk.audio.files import write_wav
from kiosk.cli import build_parser, main
from kiosk.commands import analyze, doctor
from kiosk.config import ConfigError, Settings, UnreadableFile, read_user_file
from kiosk.core.errors import UNSAFE_CHARS, BadInput, printable
from kiosk.core.transcript import Span, Transcript, Word
from kiosk.output.export import write_private
from kiosk.questions.library import Library
from kiosk.questions.loader import load_library
from kiosk.speech.fakes import FakeTranscriber
from kiosk.store.database import Store
from kiosk.ui.persist import save_settings
from kiosk.ui.screens.drill import DrillSetupScreen
from kiosk.ui.screens.history import HistoryScreen
from kiosk.ui.screens.home import HomeScreen
from tests.support.history import StepClock, answer, keep, zh_question
from tests.test_ui_support import booth, library

ROOT = Path(__file__).resolve().parent.parent
SIZE = (110, 40)
HANG = pytest.mark.timeout(30)  # without the rule these would hang for ever


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(code: int, err: str, *needles: str) -> str:
    """The single ``kiosk: …`` line of a failed command, checked for ``needles``."""
    assert code != 0, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kiosk: "), err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def assert_safe(text: str) -> None:
    """Nothing that could move the cursor, recolour the terminal or reorder text."""
    found = UNSAFE_CHARS.search(text)
    assert found is None, f"raw U+{ord(found.group()):04X} printed: {text!r}"


def toml_string(value: str) -> str:
    """A TOML basic string holding ``value`` exactly (C1 and bidi characters stay raw)."""

    def esc(ch: str) -> str:
        if ch in '"\\' or ord(ch) < 0x20 or ord(ch) == 0x7F:
            return f"\\u{ord(ch):04X}"
        return ch

    return '"' + "".join(esc(c) for c in value) + '"'


def bank_text(**fields: str) -> str:
    """A one-question bank; ``fields`` override the question's (``key`` adds a stray key)."""
    q = {"id": "hk-q", "category": "测试", "kind": "knowledge", "text": "第一题"}
    extra = fields.pop("key", None)
    title = fields.pop("title", "Hardening")
    q.update(fields)
    lines = ["[bank]", 'id = "hk-bank"', f"title = {toml_string(title)}", 'language = "zh"']
    lines += ["", "[[questions]]"]
    for key, value in q.items():
        if key in ("follow_ups", "key_points", "tags"):
            lines.append(f"{key} = [{toml_string(value)}]")
        else:
            lines.append(f"{key} = {toml_string(value)}")
    if extra is not None:
        lines.append(f"{toml_string(extra)} = 1")
    return "\n".join(lines) + "\n"


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.toml"
    os.mkfifo(path)
    return path


@pytest.fixture
def no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(model_dir: Path | None) -> None:
        raise AssertionError("the model was loaded before the input was checked")

    monkeypatch.setattr(analyze, "_load_transcriber", refuse)


SCRIPT = Transcript("zh", 2.0, (Word("我们", 0.4, 0.8), Word("可以", 1.0, 1.6)), (Span(0.4, 1.6),))


@pytest.fixture
def scripted(monkeypatch: pytest.MonkeyPatch) -> FakeTranscriber:
    fake = FakeTranscriber(transcript=SCRIPT)
    monkeypatch.setattr(analyze, "_load_transcriber", lambda model_dir: (fake, "scripted"))
    return fake


def wav(path: Path, samples: np.ndarray | None = None) -> Path:
    return write_wav(path, np.zeros(16_000, dtype=np.float32) if samples is None else samples)


# --- 1. only regular files are read --------------------------------------------------------


def _config(kiosk_home: Path, text: str) -> Path:
    path = kiosk_home / "config" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@HANG
@pytest.mark.parametrize("how", ["--bank", "KIOSK_BANKS", "banks setting", "user banks folder"])
def test_a_fifo_named_as_a_bank_is_refused_without_waiting(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    kiosk_home: Path,
    fifo: Path,
    how: str,
) -> None:
    argv = ["banks", "list"]
    if how == "--bank":
        argv += ["--bank", str(fifo)]
    elif how == "KIOSK_BANKS":
        monkeypatch.setenv("KIOSK_BANKS", str(fifo))
    elif how == "banks setting":
        _config(kiosk_home, f"banks = [{toml_string(str(fifo))}]\n")
    else:
        folder = kiosk_home / "config" / "banks"
        folder.mkdir(parents=True)
        os.mkfifo(folder / "mine.toml")
        fifo = folder / "mine.toml"
    code, out, err = run(capsys, *argv)
    assert code == 0 and "Banks" in out, "the other banks still load"
    assert f"warning: {fifo}: is a named pipe (FIFO), not a regular file" in err


@HANG
def test_validate_refuses_a_fifo_and_a_device(
    capsys: pytest.CaptureFixture[str], fifo: Path
) -> None:
    code, out, _ = run(capsys, "banks", "validate", str(fifo), "/dev/null")
    assert code == 1
    assert f"{fifo}: is a named pipe (FIFO), not a regular file; give the path of a bank" in out
    assert "/dev/null: is a character device, not a regular file" in out


def test_dev_zero_as_a_bank_is_refused_at_once(tmp_path: Path) -> None:
    """Run in a child with 1.5 GB of address space: reading /dev/zero would end in MemoryError."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))

    env = {**os.environ, "KIOSK_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "banks", "list", "--bank", "/dev/zero"],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limit,
        env=env,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr
    assert "warning: /dev/zero: is a character device, not a regular file" in done.stderr


@HANG
def test_the_booth_gets_its_banks_even_when_one_is_a_fifo(fifo: Path) -> None:
    lib = load_library([fifo])
    assert lib.questions, "the bundled banks load"
    assert [e.path for e in lib.errors] == [str(fifo)]
    assert "named pipe" in lib.errors[0].message

    async def scenario() -> list[str]:
        b = booth(lib=Library(library().banks, lib.errors))
        async with b.app.run_test(size=SIZE, notifications=True) as pilot:
            await pilot.pause(0.2)
            assert isinstance(b.app.screen, HomeScreen)
            return [n.message for n in b.app._notifications]

    shown = asyncio.run(scenario())
    assert any("named pipe" in m and "kiosk banks validate" in m for m in shown)


@HANG
def test_a_fifo_or_device_as_the_settings_file_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, fifo: Path
) -> None:
    monkeypatch.setenv("KIOSK_CONFIG", str(fifo))
    code, _, err = run(capsys, "banks", "list")
    one_line_error(code, err, str(fifo), "named pipe (FIFO)", "settings file")
    monkeypatch.setenv("KIOSK_CONFIG", "/dev/zero")
    code, _, err = run(capsys, "banks", "list")
    one_line_error(code, err, "/dev/zero", "character device")


@HANG
@pytest.mark.parametrize("what", ["fifo", "/dev/zero"])
def test_analyze_refuses_a_fifo_or_device_before_the_model(
    capsys: pytest.CaptureFixture[str], no_model: None, fifo: Path, what: str
) -> None:
    path = str(fifo) if what == "fifo" else what
    code, out, err = run(capsys, "analyze", path)
    one_line_error(code, err, path, "not a regular file", "recording")
    assert out == ""


@HANG
def test_a_fifo_swapped_in_after_the_check_is_caught_without_blocking(
    monkeypatch: pytest.MonkeyPatch, fifo: Path
) -> None:
    """The path passed ``os.stat`` as a file, then became a FIFO: the open must not wait."""
    monkeypatch.setattr(kiosk_config, "regular_file", lambda *args, **kw: None)
    with pytest.raises(UnreadableFile, match="named pipe"):
        read_user_file(fifo, 1000, "bank file (.toml)")


def test_a_banks_folder_that_cannot_be_listed_is_named(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "shared-banks"
    folder.mkdir()
    real_scandir = os.scandir

    def denied(path: Any = ".") -> Any:
        if str(path) == str(folder):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", denied)
    code, out, _ = run(capsys, "banks", "validate", str(folder))
    assert code == 1
    assert f"{folder}: cannot list this folder (permission denied); check its permissions" in out


def test_an_empty_entry_in_kiosk_banks_is_not_the_current_folder(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "stray.toml").write_text("not a bank", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KIOSK_BANKS", os.pathsep * 2)
    code, _, err = run(capsys, "banks", "list")
    assert code == 0 and "stray.toml" not in err


def test_a_bank_over_two_megabytes_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    big = tmp_path / "big.toml"
    big.write_bytes(b"# " + b"x" * 2_100_000 + b"\n")
    code, out, _ = run(capsys, "banks", "validate", str(big))
    assert code == 1 and "is 2.1 MB; a bank file (.toml) may be at most 2 MB" in out


# --- 2. user text is never read as markup ----------------------------------------------------


def _loaded(tmp_path: Path, text: str) -> Library:
    path = tmp_path / "hostile.toml"
    path.write_text(text, encoding="utf-8")
    return load_library([path], include_bundled=False, include_user=False)


async def test_a_bank_key_written_as_markup_does_not_stop_the_booth(tmp_path: Path) -> None:
    loaded = _loaded(tmp_path, bank_text(key="[/]"))
    assert "unknown key '[/]'" in str(loaded.errors[0])
    b = booth(lib=Library(library().banks, loaded.errors))
    async with b.app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause(0.3)
        assert isinstance(b.app.screen, HomeScreen)
        shown = [n.message for n in b.app._notifications]
    assert any("unknown key '[/]'" in m for m in shown), shown


async def test_markup_typed_as_a_drill_length_is_shown_as_typed() -> None:
    b = booth()
    async with b.app.run_test(size=SIZE, notifications=True) as pilot:
        tree = b.app.screen.query_one(Tree)
        nodes = [tree.get_node_at_line(i) for i in range(tree.last_line + 1)]
        choose = next(n for n in nodes if n is not None and "Choose a length" in str(n.label))
        tree.select_node(choose)
        await pilot.pause()
        assert isinstance(b.app.screen, DrillSetupScreen)
        field = b.app.screen.query_one("#drill-custom", Input)
        field.focus()
        field.value = "[/]"
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(b.app.screen, DrillSetupScreen), "still choosing a length"
        shown = [n.message for n in b.app._notifications]
    assert any(m.startswith("Not a drill length") and "[/]" in m and "2:30" in m for m in shown)


async def test_booth_notifications_escape_control_characters() -> None:
    b = booth()
    async with b.app.run_test(size=SIZE, notifications=True) as pilot:
        b.app.notify("cannot read /tmp/evil\x1b[2J\u202e.toml [/]", title="x\x9by")
        await pilot.pause(0.2)
        shown = [(n.title, n.message) for n in b.app._notifications]
    assert ("x\\x9by", "cannot read /tmp/evil\\x1b[2J\\u202e.toml [/]") in shown


async def test_round_titles_keep_their_language_tag() -> None:
    b = booth()
    async with b.app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        tree = b.app.screen.query_one(Tree)
        labels = [str(n.label) for n in tree.root.children[2].children]
    assert labels and all(re.search(r"  \[(zh|en)\]$", label) for label in labels), labels


async def test_history_filters_show_categories_as_written() -> None:
    clock = StepClock()
    with Store.open(clock=clock) as store:
        keep(store, clock, zh_question(category="[/]"), answer(30, 220))
        b = booth(store=store)
        async with b.app.run_test(size=SIZE) as pilot:
            await pilot.press("h")
            await pilot.pause(0.2)
            assert isinstance(b.app.screen, HistoryScreen)
            select = b.app.screen.query_one("#f-category", Select)
            select.focus()
            await pilot.press("enter")  # open the list: its options are drawn
            await pilot.pause(0.2)
            assert select.expanded
            await pilot.press("down", "enter")
            await pilot.pause(0.2)
            assert select.value == "[/]"


# Fragments that mean something to Rich or Textual markup, to terminals, or to bidi rendering.
MARKUP = ["[/]", "[b]", "[/b]", "[link=x]", "[@click=app.quit]", "[red", "\\[", "[on red]", ":x:"]
UNSAFE = ["\x1b[2J", "\x9b31m", "\x9d0;title\x07", "\u202e", "\u2066", "\u200f", "\x85", "\x7f"]
fragments = st.one_of(
    st.sampled_from(MARKUP + UNSAFE + ["项目", "Product", " ", "\t"]),
    st.text(max_size=4),
)
texts = st.lists(fragments, min_size=1, max_size=6).map("".join)
EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@EXAMPLES
@given(
    field=st.sampled_from(["text", "category", "title", "follow_ups", "key_points", "source"]),
    value=texts,
    key=st.none() | texts,
)
def test_cli_prints_any_bank_safely(
    capsys: pytest.CaptureFixture[str], field: str, value: str, key: str | None
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "gen.toml"
        fields = {field: value} if key is None else {field: value, "key": key}
        path.write_text(bank_text(**fields), encoding="utf-8")
        code, out, err = run(capsys, "banks", "validate", str(path))
        assert code in (0, 1) and "Traceback" not in err
        assert_safe(out + err)
        if UNSAFE_CHARS.search(value.strip()) or (key is not None and key != "id"):
            assert code == 1, out
        if UNSAFE_CHARS.search(value.strip()):
            assert str(path) in out and "U+" in out
        for argv in (
            ["banks", "list", "--bank", str(path)],
            ["banks", "show", "hk-bank", "--bank", str(path)],
            ["banks", "show", "hk-q", "--bank", str(path)],
            ["banks", "show", "hk-bank", "--json", "--bank", str(path)],
            ["banks", "show", "--bank", str(path), "--", value or "x"],  # "-x" is an id too
        ):
            code, out, err = run(capsys, *argv)
            assert "Traceback" not in err
            assert_safe(out + err)
            if code != 0:
                one_line_error(code, err)
            elif "--json" in argv:
                data = json.loads(out)
                assert data["file"] == str(path)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(field=st.sampled_from(["text", "category", "title"]), value=texts, typed=texts, key=texts)
def test_the_booth_shows_any_bank_and_typed_text_without_stopping(
    field: str, value: str, typed: str, key: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        loaded = _loaded(Path(folder), bank_text(**{field: value}) + f"{toml_string(key)} = 2\n")
    lib = Library((*loaded.banks, *library().banks), loaded.errors)

    async def scenario() -> None:
        b = booth(lib=lib)
        async with b.app.run_test(size=SIZE, notifications=True) as pilot:
            await pilot.press("down", "enter", "down", "down", "down")  # groups, about panel
            await pilot.pause(0.1)
            assert isinstance(b.app.screen, HomeScreen)
            b.app.push_screen(DrillSetupScreen("zh"))
            await pilot.pause()
            field_ = b.app.screen.query_one("#drill-custom", Input)
            field_.focus()
            field_.value = typed
            await pilot.press("enter")
            await pilot.pause(0.2)
            assert b.app.is_running

    asyncio.run(scenario())


# --- 3. the settings file and KIOSK_* variables ---------------------------------------------


@pytest.fixture
def unreadable_config(kiosk_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """config.toml exists but reading it is denied (tests run as root, so simulate EACCES)."""
    path = _config(kiosk_home, 'language = "zh"\n')
    real_open, real_io_open = os.open, io.open

    def deny(target: Any, *args: Any, **kw: Any) -> Any:
        if str(target) == str(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(target, *args, **kw)

    def deny_io(target: Any, *args: Any, **kw: Any) -> Any:
        if str(target) == str(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_io_open(target, *args, **kw)

    monkeypatch.setattr(os, "open", deny)
    monkeypatch.setattr(io, "open", deny_io)
    return path


@pytest.mark.parametrize("command", ["analyze", "banks", "booth"])
def test_an_unreadable_settings_file_is_one_line_everywhere(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    unreadable_config: Path,
    no_model: None,
    command: str,
) -> None:
    argv = {
        "analyze": ["analyze", str(wav(tmp_path / "a.wav"))],
        "banks": ["banks", "list"],
        "booth": [],
    }[command]
    code, out, err = run(capsys, *argv)
    one_line_error(code, err, "config.toml", "permission denied", "chmod u+r")
    assert out == ""


def test_the_settings_screen_reports_an_unreadable_file(unreadable_config: Path) -> None:
    with pytest.raises(ConfigError, match=r"cannot update the settings: .*permission denied"):
        save_settings(Settings(), unreadable_config)


@pytest.mark.parametrize(
    ("variable", "value"),
    [("KIOSK_TTS_RATE", "fast"), ("KIOSK_LANGUAGE", "klingon"), ("KIOSK_TTS", "maybe")],
)
def test_a_bad_environment_variable_is_named_not_the_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    code, _, err = run(capsys, "banks", "list")
    line = one_line_error(code, err, f"{variable}='{value}'", "unset the variable")
    assert "config.toml" not in line


def test_a_bad_value_in_the_file_names_the_file(
    capsys: pytest.CaptureFixture[str], kiosk_home: Path
) -> None:
    _config(kiosk_home, "tts_rat = 170\n")
    code, _, err = run(capsys, "banks", "list")
    one_line_error(code, err, "config.toml", "unknown setting 'tts_rat'", "fix it in the file")


# --- 4. control and bidi characters in banks ---------------------------------------------------


@pytest.mark.parametrize("char", ["\x9b", "\x9d", "\u202e", "\u2066", "\u200f", "\x85", "\x1b"])
@pytest.mark.parametrize("field", ["text", "category", "follow_ups", "key_points", "speak", "tags"])
def test_control_and_bidi_characters_are_rejected_by_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, char: str, field: str
) -> None:
    path = tmp_path / "bidi.toml"
    path.write_text(bank_text(**{field: f"看起来正常{char}的文字"}), encoding="utf-8")
    code, out, err = run(capsys, "banks", "validate", str(path))
    assert code == 1
    assert_safe(out + err)
    assert f"{path}:" in out and "question 'hk-q'" in out and f"{field}" in out
    assert f"(U+{ord(char):04X}); remove it" in out


def test_a_bidi_override_in_the_bank_title_is_rejected(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "title.toml"
    path.write_text(bank_text(title="Banks \u202eknab"), encoding="utf-8")
    code, out, _ = run(capsys, "banks", "validate", str(path))
    assert code == 1 and "[bank] title: contains a bidirectional control (U+202E)" in out


def test_a_hostile_file_name_is_printed_escaped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "evil\x1b[2J\u202e.toml"
    path.write_text(bank_text(text="\x9b"), encoding="utf-8")
    escaped = ("\\x1b[2J\\u202e.toml", "\\u001b[2J\\u202e.toml")  # message, JSON
    for argv in (
        ["banks", "validate", str(path)],
        ["banks", "list", "--bank", str(path)],
        ["banks", "list", "--json", "--bank", str(path)],
    ):
        _, out, err = run(capsys, *argv)
        assert_safe(out + err)
        assert any(e in out + err for e in escaped), out + err
    code, _, err = run(capsys, "banks", "show", "no-such\x1b[31m", "--bank", str(path))
    assert "no-such\\x1b[31m" in one_line_error(code, err)
    data = json.loads(run(capsys, "banks", "list", "--json", "--bank", str(path))[1])
    assert str(path) in [e["file"] for e in data["errors"]], "JSON keeps the real name"


def test_printable_escapes_what_it_must_and_nothing_else() -> None:
    assert printable("ok 中文 [/] \\") == "ok 中文 [/] \\"
    assert printable("a\x1bb\x9bc\u202ed\ne") == "a\\x1bb\\x9bc\\u202ed\\x0ae"
    assert printable("a\nb\tc", lines=True) == "a\nb\tc"


# --- 5. hints name commands that exist -----------------------------------------------------------


def _commands() -> dict[str, set[str]]:
    """Each subcommand and the actions under it."""
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    found: dict[str, set[str]] = {}
    for name, child in sub.choices.items():  # type: ignore[union-attr]
        actions = [
            a for a in child._actions if getattr(a, "choices", None) and a.dest.endswith("action")
        ]
        found[name] = set(actions[0].choices) if actions else set()
    return found


def test_every_command_the_kiosk_suggests_exists() -> None:
    commands = _commands()
    hint = re.compile(r"`kiosk ([a-z]+)(?: ([a-z][a-z-]*))?")
    checked = 0
    for folder in ("kiosk", "docs", "scripts"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in (".py", ".md", ".sh", ".tcss"):
                continue
            for m in hint.finditer(path.read_text(encoding="utf-8")):
                checked += 1
                name, action = m.group(1), m.group(2)
                assert name in commands, f"{path}: `kiosk {name}` is not a command"
                if action and commands[name]:
                    assert action in commands[name], f"{path}: `kiosk {name} {action}`"
    assert checked > 10


# --- 6. output files: checked first, written whole, private --------------------------------------


def test_analyze_into_a_missing_folder_fails_before_the_model(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, no_model: None
) -> None:
    target = tmp_path / "no" / "such" / "report.md"
    code, _, err = run(capsys, "analyze", str(wav(tmp_path / "a.wav")), "-o", str(target))
    one_line_error(code, err, "report.md", "does not exist", "create it")


def test_export_into_a_missing_folder_fails_at_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "export", "1", "-o", str(tmp_path / "gone" / "x.md"))
    one_line_error(code, err, "x.md", "does not exist")


def test_analyze_writes_a_private_report_whole(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, scripted: FakeTranscriber
) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "report.json"
    target.write_text("old")
    code, _, err = run(capsys, "analyze", str(wav(tmp_path / "a.wav")), "-o", str(target))
    assert code == 0, err
    assert json.loads(target.read_text())["model"] == "scripted"
    assert target.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in out_dir.iterdir()] == ["report.json"], "no temporary file left"


@contextmanager
def file_size_limit(size: int) -> Iterator[None]:
    """Files cannot grow past ``size`` bytes meanwhile (writes fail with EFBIG, a real
    short write as on a full disk; Python ignores the SIGXFSZ that comes with it)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))


def test_a_failed_export_keeps_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "answer.md"
    target.write_text("the previous export\n")
    with pytest.raises(BadInput, match=r"cannot write .*answer\.md"), file_size_limit(1024):
        write_private(target, "新的导出内容\n" * 500)
    assert target.read_text() == "the previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["answer.md"], "no partial file left"


def test_an_export_to_a_device_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="not a regular file"):
        write_private(Path("/dev/null"), "text")
    with pytest.raises(BadInput, match="is a directory"):
        write_private(tmp_path, "text")


# --- 7. clipped recordings -----------------------------------------------------------------------


def _tone(amplitude: float) -> np.ndarray:
    t = np.arange(32_000) / 16_000
    return np.clip(amplitude * np.sin(2 * np.pi * 220 * t), -1.0, 1.0).astype(np.float32)


def test_a_clipped_recording_gets_a_warning_and_a_note(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, scripted: FakeTranscriber
) -> None:
    path = wav(tmp_path / "loud.wav", _tone(3.0))
    code, out, err = run(capsys, "analyze", str(path), "--json")
    assert code == 0
    warning = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert len(warning) == 1 and "clipped" in warning[0] and "gain" in warning[0]
    notes = json.loads(out)["transcript"]["notes"]
    assert any("clipped" in n for n in notes)


def test_a_clean_recording_gets_no_clipping_warning(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, scripted: FakeTranscriber
) -> None:
    path = wav(tmp_path / "fine.wav", _tone(0.5))
    code, out, err = run(capsys, "analyze", str(path), "--json")
    assert code == 0 and "clipped" not in err
    assert json.loads(out)["transcript"]["notes"] == []


# --- 8. doctor writes for real ----------------------------------------------------------------


def test_doctor_reports_a_full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(doctor.shutil, "disk_usage", lambda p: _usage(3_000_000))
    with monkeypatch.context() as patch:
        patch.setattr(doctor.os, "write", full)
        check = doctor.check_data_dir()
    assert check.status == "fail" and check.blocking
    assert check.detail.startswith("disk full: 3.0 MB free")
    assert not list(kiosk_config.data_dir().glob(".doctor-*")), "the probe file is removed"


def test_doctor_warns_when_space_is_low(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor.shutil, "disk_usage", lambda p: _usage(50_000_000))
    check = doctor.check_data_dir()
    assert check.status == "warn" and "only 50 MB free" in check.detail


def _usage(free: int) -> Any:
    from shutil import _ntuple_diskusage

    return _ntuple_diskusage(10**12, 10**12 - free, free)
