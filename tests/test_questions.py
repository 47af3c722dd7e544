"""Question model and bank loader: defaults, validation messages with file and line, duplicates,
user banks and ``--bank`` paths, and the bundled banks themselves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiosk.config import config_dir
from kiosk.core.target import Target
from kiosk.questions.library import BankError
from kiosk.questions.loader import load_library, parse_text, validate_paths
from kiosk.questions.model import DEFAULT_TARGETS, Kind, default_target

HEADER = '[bank]\nid = "{bank}"\ntitle = "Test bank"\nlanguage = "{lang}"\n'
ENTRY = '\n[[questions]]\nid = "{id}"\ncategory = "{cat}"\nkind = "{kind}"\ntext = "Q {id}"\n'


def bank_text(bank: str, ids: list[str], lang: str = "zh", cat: str = "项目深挖",
              kind: str = "behavioral") -> str:  # fmt: skip
    return HEADER.format(bank=bank, lang=lang) + "".join(
        ENTRY.format(id=i, cat=cat, kind=kind) for i in ids
    )


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def only(lib_errors: tuple[BankError, ...] | list[BankError]) -> BankError:
    assert len(lib_errors) == 1, [str(e) for e in lib_errors]
    return lib_errors[0]


# --- model -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "low", "high"),
    [("intro", 60, 120), ("motivation", 45, 90), ("behavioral", 90, 180),
     ("knowledge", 45, 120), ("design", 90, 180), ("reverse", 15, 45)],
)  # fmt: skip
def test_default_target_per_kind(kind: str, low: float, high: float) -> None:
    parsed = parse_text(bank_text("b", ["q-1"], kind=kind))
    assert parsed.bank is not None and not parsed.errors
    assert parsed.bank.questions[0].target == Target(low, high) == default_target(kind)


def test_every_kind_has_a_default() -> None:
    assert set(DEFAULT_TARGETS) == set(Kind)


def test_fields_language_override_and_spoken() -> None:
    text = HEADER.format(bank="b", lang="zh") + (
        '\n[[questions]]\nid = "q-en"\ncategory = "Metrics"\nkind = "knowledge"\n'
        'text = "What is RAG?"\nspeak = "What is R A G?"\nlanguage = "en"\ntarget = [30, 75.5]\n'
        'follow_ups = ["And then?", "Why?"]\nkey_points = ["a", "b"]\nsource = "004_x.txt"\n'
        'tags = ["t1"]\n'
        '\n[[questions]]\nid = "q-zh"\ncategory = "反问"\nkind = "reverse"\ntext = "有什么问题？"\n'
    )
    parsed = parse_text(text)
    assert not parsed.errors and parsed.bank is not None
    en, zh = parsed.bank.questions
    assert (en.language, en.bank_id, en.kind) == ("en", "b", Kind.KNOWLEDGE)
    assert en.spoken == "What is R A G?" and en.text == "What is RAG?"
    assert en.target == Target(30, 75.5)
    assert en.follow_ups == ("And then?", "Why?") and en.key_points == ("a", "b")
    assert (en.source, en.tags) == ("004_x.txt", ("t1",))
    assert zh.language == "zh" and zh.spoken == zh.text and zh.follow_ups == ()


# --- validation messages -----------------------------------------------------------------


def test_bad_kind_names_file_line_and_id(tmp_path: Path) -> None:
    text = bank_text("b", ["q-1", "q-2", "q-3"]).replace(
        'id = "q-2"\ncategory = "项目深挖"\nkind = "behavioral"',
        'id = "q-2"\ncategory = "项目深挖"\nkind = "story"',
    )
    path = write(tmp_path / "b.toml", text)
    lib = load_library([path], include_bundled=False)
    err = only(lib.errors)
    kind_line = text.splitlines().index('kind = "story"') + 1
    assert (err.path, err.line, err.question_id) == (str(path), kind_line, "q-2")
    assert str(err).startswith(f"{path}:{kind_line}: question 'q-2': kind")
    assert "intro" in err.message  # says what is allowed
    assert [q.id for q in lib.questions] == ["q-1", "q-3"]  # the rest of the bank loads


def test_unknown_key_is_an_error_at_its_line(tmp_path: Path) -> None:
    text = bank_text("b", ["q-1"]) + 'folow_ups = ["typo"]\n'
    err = only(parse_text(text, "b.toml").errors)
    assert err.line == len(text.splitlines())
    assert "unknown key 'folow_ups'" in err.message and err.question_id == "q-1"


def test_unknown_key_in_bank_table_and_top_level() -> None:
    bad_bank = bank_text("b", ["q-1"]).replace('language = "zh"', 'language = "zh"\nlang = "zh"')
    err = only(parse_text(bad_bank, "x.toml").errors)
    assert err.line == 5 and "unknown key 'lang'" in err.message
    top = "name = 1\n" + bank_text("b", ["q-1"])
    assert "unknown top-level key 'name'" in only(parse_text(top).errors).message


def test_entry_without_id_uses_the_entry_header_line() -> None:
    text = bank_text("b", ["q-1"]) + '\n[[questions]]\ncategory = "c"\nkind = "intro"\ntext = "t"\n'
    err = only(parse_text(text).errors)
    header = [i for i, s in enumerate(text.splitlines(), 1) if s == "[[questions]]"][-1]
    assert err.line == header and "missing required key 'id'" in err.message


@pytest.mark.parametrize(
    ("field", "value", "needle"),
    [("id", '"Q_1"', "id"), ("target", "[90, 30]", "target"), ("target", '["a", 3]', "target"),
     ("target", "[1, 2, 3]", "target"), ("text", '""', "text"), ("tags", "[1]", "tags"),
     ("follow_ups", '"one"', "follow_ups"), ("language", '"fr"', "language")],
)  # fmt: skip
def test_bad_values_are_reported(field: str, value: str, needle: str) -> None:
    head, entry = bank_text("b", ["q-1"]).split("[[questions]]")
    if re.search(rf"(?m)^{field} = ", entry):
        entry = re.sub(rf"(?m)^{field} = .*$", f"{field} = {value}", entry)
    else:
        entry += f"{field} = {value}\n"
    text = head + "[[questions]]" + entry
    parsed = parse_text(text, "b.toml")
    err = only(parsed.errors)
    assert needle in err.message and err.line is not None
    assert parsed.bank is not None and parsed.bank.questions == ()


def test_syntax_error_carries_the_line() -> None:
    text = bank_text("b", ["q-1"]) + 'tags = ["unterminated\n'
    err = only(parse_text(text, "b.toml").errors)
    assert err.line == len(text.splitlines()) and "TOML syntax error" in err.message
    assert str(err).startswith(f"b.toml:{err.line}: ")


def test_invalid_utf8_names_the_line() -> None:
    data = bank_text("b", ["q-1"]).encode() + b'tags = ["\xff\xfe"]\n'
    err = only(parse_text(data, "b.toml").errors)
    assert err.line == data.count(b"\n") and "UTF-8" in err.message


def test_missing_bank_table() -> None:
    err = only(parse_text(ENTRY.format(id="q", cat="c", kind="intro")).errors)
    assert "[bank]" in err.message


def test_duplicate_id_within_a_file() -> None:
    parsed = parse_text(bank_text("b", ["q-1", "q-2", "q-1"]), "b.toml")
    err = only(parsed.errors)
    assert "duplicate question id 'q-1'" in err.message and "b.toml:6" in err.message
    assert parsed.bank is not None and [q.id for q in parsed.bank.questions] == ["q-1", "q-2"]


# --- several files -------------------------------------------------------------------------


def test_duplicate_question_id_across_files_names_both(tmp_path: Path) -> None:
    a = write(tmp_path / "a.toml", bank_text("bank-a", ["q-1", "q-2"]))
    b = write(tmp_path / "b.toml", bank_text("bank-b", ["q-3", "q-1"]))
    lib = load_library([tmp_path], include_bundled=False)
    err = only(lib.errors)
    assert err.path == str(b) and str(a) in err.message and err.question_id == "q-1"
    assert err.line == b.read_text().splitlines().index('id = "q-1"')  # its [[questions]]
    assert [q.id for q in lib.questions] == ["q-1", "q-2", "q-3"]
    assert lib.get("q-1") is not None and lib.get("q-1").bank_id == "bank-a"  # type: ignore[union-attr]


def test_duplicate_bank_id_across_files(tmp_path: Path) -> None:
    a = write(tmp_path / "a.toml", bank_text("same", ["q-1"]))
    write(tmp_path / "b.toml", bank_text("same", ["q-2"]))
    lib = load_library([tmp_path], include_bundled=False)
    err = only(lib.errors)
    assert "duplicate bank id 'same'" in err.message and str(a) in err.message
    assert [b.id for b in lib.banks] == ["same"] and lib.get("q-2") is None


def test_broken_file_does_not_stop_the_others(tmp_path: Path) -> None:
    write(tmp_path / "a.toml", bank_text("a", ["q-1"]))
    write(tmp_path / "b.toml", "[bank\n")
    write(tmp_path / "c.toml", bank_text("c", ["q-3"], lang="en", cat="Metrics"))
    lib = load_library([tmp_path], include_bundled=False)
    assert only(lib.errors).path == str(tmp_path / "b.toml")
    assert [b.id for b in lib.banks] == ["a", "c"]
    assert lib.languages == ("zh", "en") or lib.languages == ("en", "zh")
    assert lib.categories("en") == [("Metrics", 1)]


def test_missing_path_is_a_clean_error(tmp_path: Path) -> None:
    err = only(load_library([tmp_path / "nope.toml"], include_bundled=False).errors)
    assert "no such file" in err.message


def test_user_bank_dir_and_extra_paths(tmp_path: Path) -> None:
    write(config_dir() / "banks" / "mine.toml", bank_text("mine", ["u-1"]))
    extra_file = write(tmp_path / "x" / "one.toml", bank_text("one", ["x-1"]))
    extra_dir = tmp_path / "more"
    write(extra_dir / "two.toml", bank_text("two", ["y-1", "y-2"]))
    write(extra_dir / "notes.txt", "not a bank")
    lib = load_library([extra_file, extra_dir], include_bundled=False)
    assert not lib.errors
    assert [b.id for b in lib.banks] == ["mine", "one", "two"]
    assert lib.count() == 4
    assert not load_library(include_bundled=False, include_user=False).banks


def test_same_file_given_twice_loads_once(tmp_path: Path) -> None:
    f = write(tmp_path / "a.toml", bank_text("a", ["q-1"]))
    lib = load_library([f, tmp_path, f], include_bundled=False)
    assert not lib.errors and lib.count() == 1


def test_library_groups_by_category() -> None:
    lib_text = bank_text("b", ["q-1", "q-2"]) + ENTRY.format(id="q-3", cat="反问", kind="reverse")
    parsed = parse_text(lib_text)
    assert parsed.bank is not None
    from kiosk.questions.library import Library

    lib = Library((parsed.bank,))
    assert lib.categories() == [("项目深挖", 2), ("反问", 1)]
    assert [q.id for q in lib.by_category("zh")["项目深挖"]] == ["q-1", "q-2"]
    assert lib.by_category("en") == {} and lib.bank("b") is parsed.bank


def test_validate_paths_checks_clashes_with_bundled(tmp_path: Path) -> None:
    taken = load_library().questions[0].id
    f = write(tmp_path / "mine.toml", bank_text("mine-bank", [taken, "mine-2"]))
    err = only(validate_paths([f]))
    assert err.path == str(f) and f"duplicate question id '{taken}'" in err.message
    assert validate_paths([write(tmp_path / "ok.toml", bank_text("ok", ["ok-1"]))]) == []


# --- the bundled banks ---------------------------------------------------------------------


def test_bundled_banks_are_valid_and_unique() -> None:
    lib = load_library(include_user=False)
    assert [str(e) for e in lib.errors] == []
    ids = [q.id for q in lib.questions]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9-]+", i) for i in ids)


def test_bundled_english_questions() -> None:
    lib = load_library(include_user=False)
    english = [q for q in lib.questions if q.language == "en"]
    assert len(english) >= 40
    from_seed = [q for q in english if q.source == "004_deba0a0f743ae621.txt"]
    cost = [q for q in from_seed if q.category in ("Cost & scaling", "AI product trade-offs")]
    assert len(cost) >= 10


def test_drills_have_the_stated_targets() -> None:
    lib = load_library(include_user=False)
    drills = [q for q in lib.questions if "drill" in q.tags]
    expected = {"30s": Target(27, 33), "1min": Target(54, 66), "3min": Target(162, 198)}
    for lang, category in (("zh", "自我介绍"), ("en", "Self-introduction")):
        mine = [q for q in drills if q.language == lang]
        assert {t for q in mine for t in q.tags} >= set(expected)
        for q in mine:
            length = next(t for t in q.tags if t in expected)
            assert (q.kind, q.category, q.target) == (Kind.INTRO, category, expected[length])
