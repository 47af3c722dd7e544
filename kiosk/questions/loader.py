"""Read question banks from TOML: the bundled ones, the user's, and any given on the command line.

Bank files are written by hand, so mistakes are expected and must be easy to fix: every
problem becomes a :class:`BankError` that names the file, the line and what is wrong
(``file:line: message``), and one bad file or entry never stops the others from loading.
Parsing is defensive — whatever bytes a file holds, the result is a bank or a BankError.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kiosk.config import UnreadableFile, config_dir, exists, read_user_file
from kiosk.core.files import bundled
from kiosk.questions.library import BankError, Library
from kiosk.questions.model import Bank, BankSpec, Question, QuestionSpec

MAX_BANK_BYTES = 2_000_000
BANK_NOUN = "bank file (.toml)"
MAX_ERRORS_PER_FILE = 20
_TOP_KEYS = ("bank", "questions")
_AT_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")
_QUESTIONS_HEADER = re.compile(r"^\s*\[\[\s*questions\s*\]\]")
_BANK_HEADER = re.compile(r"^\s*\[\s*bank\s*\]")


@dataclass(frozen=True, slots=True)
class Source:
    """A bank file's name (as shown to the user) and raw bytes."""

    name: str
    data: bytes


# --- finding files ---------------------------------------------------------------------


def _bundled() -> Iterator[Source]:
    root = bundled("questions") / "banks"
    if not root.is_dir():
        return
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml") and entry.is_file():
            yield Source(str(entry), entry.read_bytes())


def _files(path: Path) -> Iterator[Path | BankError]:
    """``path`` itself, or the ``*.toml`` entries of a folder; a BankError if it cannot be listed.

    Only names are listed here: :func:`_read` decides whether each one is a readable file.
    """
    try:
        is_dir = stat.S_ISDIR(os.stat(path).st_mode)
    except OSError:
        is_dir = False  # missing or unreadable: _read says which
    if not is_dir:
        yield path
        return
    try:
        with os.scandir(path) as entries:
            names = sorted(e.name for e in entries if e.name.endswith(".toml"))
    except OSError as exc:
        reason = "permission denied" if isinstance(exc, PermissionError) else exc.strerror
        yield BankError(str(path), f"cannot list this folder ({reason}); check its permissions")
        return
    yield from (path / name for name in names)


def _read(path: Path) -> Source | BankError:
    """The file's bytes, or why it cannot be a bank: missing, a device or FIFO, too big…"""
    try:
        return Source(str(path), read_user_file(path, MAX_BANK_BYTES, BANK_NOUN))
    except UnreadableFile as exc:
        return BankError(str(path), exc.reason)


def user_banks_dir() -> Path:
    """``<config dir>/banks``: drop ``*.toml`` banks here and they load with the bundled ones."""
    return config_dir() / "banks"


def _sources(
    extra: Sequence[Path], include_bundled: bool, include_user: bool
) -> Iterator[Source | BankError]:
    seen: set[str] = set()
    if include_bundled:
        for src in _bundled():
            seen.add(_key(Path(src.name)))
            yield src
    paths = [user_banks_dir()] if include_user and exists(user_banks_dir()) else []
    for given in [*paths, *(Path(p).expanduser() for p in extra)]:
        for path in _files(given):
            key = _key(Path(path.path) if isinstance(path, BankError) else path)
            if key not in seen:
                seen.add(key)
                yield path if isinstance(path, BankError) else _read(path)


def _key(path: Path) -> str:
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):
        return str(path)


# --- parsing one file ------------------------------------------------------------------


def decode(src: Source) -> str:
    try:
        text = src.data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = src.data.count(b"\n", 0, exc.start) + 1
        raise BankError(src.name, "not valid UTF-8; save the file as UTF-8", line) from None
    return text.removeprefix("\ufeff")


def parse_toml(src: Source) -> dict[str, Any]:
    text = decode(src)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _AT_LINE.search(msg)
        line = int(m.group(1)) if m else None
        if m is None and "end of document" in msg:
            line = text.count("\n") + 1
        detail = _AT_LINE.sub("", msg).replace("(at end of document)", "").strip()
        raise BankError(src.name, f"TOML syntax error: {detail}", line) from None
    except RecursionError:
        raise BankError(src.name, "TOML nested too deeply") from None


def _header_lines(text: str) -> tuple[int | None, list[int]]:
    """Line of ``[bank]`` and of each ``[[questions]]`` header, in order."""
    bank_line: int | None = None
    entries: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if _QUESTIONS_HEADER.match(line):
            entries.append(number)
        elif bank_line is None and _BANK_HEADER.match(line):
            bank_line = number
    return bank_line, entries


def key_line(text: str, start: int | None, key: str) -> int | None:
    """The line where ``key =`` appears in the table starting at ``start``, else ``start``."""
    if start is None:
        return None
    lines = text.splitlines()
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for number in range(start + 1, len(lines) + 1):
        line = lines[number - 1]
        if line.lstrip().startswith("["):
            break
        if pattern.match(line):
            return number
    return start


def describe(err: Any) -> tuple[str, str]:
    """(key, human message) for one pydantic error."""
    loc = [str(p) for p in err["loc"]]
    key = loc[0] if loc else ""
    where = ".".join(loc) or "entry"
    if err["type"] == "extra_forbidden":
        return key, f"unknown key {where!r} (a typo?)"
    if err["type"] == "missing":
        return key, f"missing required key {where!r}"
    msg = str(err["msg"]).removeprefix("Value error, ")
    return key, f"{where}: {msg}"


def _bank_table(src: Source, data: dict[str, Any], text: str) -> BankSpec:
    bank_line, _ = _header_lines(text)
    unknown = [k for k in data if k not in _TOP_KEYS]
    if unknown:
        raise BankError(
            src.name, f"unknown top-level key {unknown[0]!r}; use [bank] and [[questions]]"
        )
    table = data.get("bank")
    if not isinstance(table, dict):
        raise BankError(src.name, "missing [bank] table with id, title and language", bank_line)
    try:
        return BankSpec.model_validate(table)
    except ValidationError as exc:
        key, msg = describe(exc.errors()[0])
        raise BankError(src.name, f"[bank] {msg}", key_line(text, bank_line, key)) from None


def _entries(src: Source, data: dict[str, Any]) -> list[Any]:
    entries = data.get("questions", [])
    if not isinstance(entries, list):
        raise BankError(src.name, "'questions' must be an array of tables: use [[questions]]")
    return entries


def _question(
    src: Source, bank: BankSpec, entry: Any, line: int | None, text: str
) -> Question | BankError:
    qid = entry.get("id") if isinstance(entry, dict) else None
    label = f"question {qid!r}" if isinstance(qid, str) else "question"
    if not isinstance(entry, dict):
        return BankError(src.name, f"{label}: each entry must be a table", line)
    try:
        return QuestionSpec.model_validate(entry).build(bank)
    except ValidationError as exc:
        key, msg = describe(exc.errors()[0])
        more = len(exc.errors()) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        qid_str = qid if isinstance(qid, str) else None
        return BankError(src.name, f"{label}: {msg}{suffix}", key_line(text, line, key), qid_str)


@dataclass(frozen=True, slots=True)
class Parsed:
    """One file's outcome: its bank (bad entries left out), problems, and each id's line."""

    bank: Bank | None
    errors: tuple[BankError, ...] = ()
    lines: dict[str, int | None] = field(default_factory=dict)


def parse_bank(src: Source) -> Parsed:
    """Parse one bank file; never raises, whatever the bytes."""
    try:
        return _parse_bank(src)
    except BankError as exc:
        return Parsed(None, (exc,))
    except Exception as exc:  # hostile input must never escape as a traceback
        return Parsed(None, (BankError(src.name, f"cannot read bank: {type(exc).__name__}"),))


def _parse_bank(src: Source) -> Parsed:
    data = parse_toml(src)
    text = decode(src)
    spec = _bank_table(src, data, text)
    _, lines = _header_lines(text)
    entries = _entries(src, data)
    if len(lines) != len(entries):
        lines = []  # entries written some other way (inline array): no reliable lines
    questions: list[Question] = []
    errors: list[BankError] = []
    seen: dict[str, int | None] = {}
    for i, entry in enumerate(entries):
        line = lines[i] if lines else None
        result = _question(src, spec, entry, line, text)
        if isinstance(result, BankError):
            errors.append(result)
        elif result.id in seen:
            first = _where(src.name, seen[result.id])
            msg = f"duplicate question id {result.id!r}, already used at {first}"
            errors.append(BankError(src.name, msg, line, result.id))
        else:
            seen[result.id] = line
            questions.append(result)
    if not entries:
        errors.append(BankError(src.name, "bank has no [[questions]]"))
    bank = Bank(spec.id, spec.title, spec.language, tuple(questions), spec.description, src.name)
    return Parsed(bank, tuple(errors[:MAX_ERRORS_PER_FILE]), seen)


def _where(path: str, line: int | None) -> str:
    return f"{path}:{line}" if line else path


# --- the library -----------------------------------------------------------------------


def _merge(parsed: Iterable[Parsed]) -> Library:
    banks: list[Bank] = []
    errors: list[BankError] = []
    bank_from: dict[str, str] = {}
    question_from: dict[str, str] = {}
    for result in parsed:
        errors.extend(result.errors)
        bank = result.bank
        if bank is None:
            continue
        if bank.id in bank_from:
            msg = f"duplicate bank id {bank.id!r}, already used by {bank_from[bank.id]}"
            errors.append(BankError(bank.origin, msg + "; rename one of them"))
            continue
        bank_from[bank.id] = bank.origin
        kept: list[Question] = []
        for q in bank.questions:
            line = result.lines.get(q.id)
            if q.id in question_from:
                msg = f"duplicate question id {q.id!r}, already used by {question_from[q.id]}"
                errors.append(BankError(bank.origin, msg + "; ids must be unique", line, q.id))
                continue
            question_from[q.id] = _where(bank.origin, line)
            kept.append(q)
        banks.append(
            Bank(bank.id, bank.title, bank.language, tuple(kept), bank.description, bank.origin)
        )
    return Library(tuple(banks), tuple(errors))


def load_library(
    extra: Sequence[Path] = (), include_bundled: bool = True, include_user: bool = True
) -> Library:
    """Bundled banks, then ``<config dir>/banks/*.toml``, then ``extra`` files or directories.

    Never raises for bad banks: they are left out and described in ``Library.errors``.
    """

    def parsed() -> Iterator[Parsed]:
        for src in _sources(extra, include_bundled, include_user):
            yield Parsed(None, (src,)) if isinstance(src, BankError) else parse_bank(src)

    return _merge(parsed())


def validate_paths(paths: Sequence[Path]) -> list[BankError]:
    """Problems in the given bank files/directories, including id clashes with bundled banks."""
    wanted = {
        _key(Path(f.path) if isinstance(f, BankError) else f)
        for p in paths
        for f in _files(Path(p).expanduser())
    }
    library = load_library(paths, include_user=False)
    return [e for e in library.errors if _key(Path(e.path)) in wanted]


def parse_text(text: str | bytes, name: str = "<bank>") -> Parsed:
    """Parse bank source held in memory (tests, previews)."""
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    return parse_bank(Source(name, data))
