"""Hostile bank files: whatever the bytes, the loader gives a bank or a clean BankError.

Bank files are edited by hand and shared between people, so the loader must never crash:
random bytes, random text, valid TOML with wrong types, huge or non-finite numbers, deep
nesting, invalid UTF-8 and NUL characters all end as ``file:line: message`` problems.
"""

from __future__ import annotations

import json
import math
import re
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.questions.library import BankError
from kiosk.questions.loader import Parsed, Source, load_library, parse_text
from kiosk.questions.rounds import parse_rounds

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NAME = "fuzz.toml"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

VALID_BANK = {"id": "fuzz-bank", "title": "Fuzz", "language": "zh"}
VALID_QUESTION = {
    "id": "fuzz-q",
    "category": "项目深挖",
    "kind": "behavioral",
    "text": "讲一个项目",
    "target": [60, 120],
    "follow_ups": ["为什么？"],
    "tags": ["t"],
}


# --- a small TOML writer for generated documents ------------------------------------------


def value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        return ("inf" if v > 0 else "-inf") if math.isinf(v) else repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {value(x)}" for k, x in v.items()) + "}"
    raise TypeError(type(v))


def document(bank: dict[str, Any], questions: list[dict[str, Any]]) -> str:
    lines = ["[bank]", *(f"{json.dumps(k)} = {value(v)}" for k, v in bank.items())]
    for q in questions:
        lines += ["", "[[questions]]", *(f"{json.dumps(k)} = {value(v)}" for k, v in q.items())]
    return "\n".join(lines) + "\n"


scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.integers(min_value=10**300, max_value=10**500),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.text(min_size=5000, max_size=6000, alphabet="长"),
    st.sampled_from(["intro", "zh", "en", "", " ", "\x00", "a\x00b", "x" * 200, "a\x1bb"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
keys = st.one_of(st.sampled_from([*VALID_QUESTION, "language", "speak", "source"]), st.text())


def check(parsed: Parsed) -> None:
    """The contract: a bank or at least one problem, and problems are clean BankErrors."""
    assert isinstance(parsed, Parsed)
    assert parsed.bank is not None or parsed.errors
    for err in parsed.errors:
        assert type(err) is BankError
        assert str(err).startswith(NAME) and err.message
        assert err.line is None or err.line >= 1
        assert "Traceback" not in str(err)
        assert not err.message.startswith("cannot read bank")  # a specific message, not the net
    for q in parsed.bank.questions if parsed.bank else ():
        assert math.isfinite(q.target.low) and math.isfinite(q.target.high)
        for text in (q.text, q.spoken, q.category, *q.follow_ups, *q.key_points, *q.tags):
            assert text.strip() and not CONTROL.search(text)


# --- properties ------------------------------------------------------------------------------


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    check(parse_text(data, NAME))


@FUZZ
@given(st.text(max_size=2000))
def test_random_text(text: str) -> None:
    check(parse_text(text, NAME))


@FUZZ
@given(st.data())
def test_valid_toml_with_wrong_values(data: st.DataObject) -> None:
    question = dict(VALID_QUESTION)
    for key in data.draw(st.lists(keys, min_size=1, max_size=4)):
        question[key] = data.draw(values)
    bank = dict(VALID_BANK)
    if data.draw(st.booleans()):
        bank[data.draw(st.sampled_from([*VALID_BANK, "description", "extra"]))] = data.draw(values)
    check(parse_text(document(bank, [question, dict(VALID_QUESTION, id="fuzz-ok")]), NAME))


@FUZZ
@given(st.integers(min_value=1, max_value=200_000), st.sampled_from(["[", "{a="]))
def test_deep_nesting(depth: int, opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    text = document(VALID_BANK, [VALID_QUESTION]) + "tags2 = " + opener * depth + closer * depth
    check(parse_text(text, NAME))


@FUZZ
@given(st.binary(min_size=1, max_size=8), st.integers(min_value=0, max_value=10_000))
def test_bytes_spliced_into_a_valid_bank(junk: bytes, at: int) -> None:
    good = document(VALID_BANK, [VALID_QUESTION]).encode()
    at %= len(good) + 1
    check(parse_text(good[:at] + junk + good[at:], NAME))


def test_valid_document_loads() -> None:
    """The generator itself makes real banks, so the properties above test something."""
    parsed = parse_text(document(VALID_BANK, [VALID_QUESTION]), NAME)
    assert parsed.errors == () and parsed.bank is not None and len(parsed.bank) == 1


def test_non_finite_and_huge_targets_are_rejected() -> None:
    huge = (10**30, 10**400, -(10**400))
    for target in ([float("nan"), 60.0], [0, float("inf")], *([0, h] for h in huge), [-5, 10]):
        parsed = parse_text(document(VALID_BANK, [dict(VALID_QUESTION, target=target)]), NAME)
        assert parsed.bank is not None and len(parsed.bank) == 0
        assert len(parsed.errors) == 1 and "target" in parsed.errors[0].message


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=500))
def test_files_on_disk_through_load_library(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / NAME
        path.write_bytes(data)
        lib = load_library([path], include_bundled=False)
        assert lib.banks or lib.errors
        assert all(type(e) is BankError and e.path == str(path) for e in lib.errors)


@FUZZ
@given(st.text(max_size=1500))
def test_round_templates_never_crash(text: str) -> None:
    rounds, errors = parse_rounds(Source(NAME, text.encode("utf-8", "surrogatepass")))
    assert all(type(e) is BankError and str(e).startswith(NAME) for e in errors)
    assert isinstance(rounds, dict)
