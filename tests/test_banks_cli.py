"""``kiosk banks``: list counts, show, validate exit codes and ``file:line:`` messages, rounds."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from kiosk.cli import main
from kiosk.config import config_dir

BANK = """[bank]
id = "cli-test"
title = "CLI test bank"
language = "zh"

[[questions]]
id = "cli-zh-1"
category = "测试类别"
kind = "knowledge"
text = "第一题"
follow_ups = ["追问一", "追问二"]
key_points = ["要点甲"]
source = "000_test.txt"

[[questions]]
id = "cli-zh-2"
category = "测试类别"
kind = "design"
text = "第二题"

[[questions]]
id = "cli-zh-3"
category = "测试类别"
kind = "reverse"
text = "第三题"

[[questions]]
id = "cli-en-1"
language = "en"
category = "Test category"
kind = "behavioral"
text = "First question"

[[questions]]
id = "cli-en-2"
language = "en"
category = "Test category"
kind = "intro"
text = "Second question"
target = [20, 40]
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    code, out, _ = run(capsys, *argv)
    assert code == 0
    return json.loads(out)


@pytest.fixture
def bank_file(tmp_path: Path) -> Path:
    path = tmp_path / "cli.toml"
    path.write_text(BANK, encoding="utf-8")
    return path


def test_list_json_counts(capsys: pytest.CaptureFixture[str], bank_file: Path) -> None:
    before = run_json(capsys, "banks", "list", "--json")
    after = run_json(capsys, "banks", "list", "--json", "--bank", str(bank_file))
    assert set(before) == {"banks", "categories", "totals", "errors"}
    assert after["totals"]["zh"] - before["totals"]["zh"] == 3
    assert after["totals"]["en"] - before["totals"]["en"] == 2
    mine = next(b for b in after["banks"] if b["id"] == "cli-test")
    assert (mine["count"], mine["languages"], mine["title"]) == (
        5,
        {"zh": 3, "en": 2},
        "CLI test bank",
    )
    cats = {(c["category"], c["language"]): c["count"] for c in after["categories"]}
    assert cats[("测试类别", "zh")] == 3 and cats[("Test category", "en")] == 2
    assert sum(b["count"] for b in after["banks"]) == sum(after["totals"].values())
    assert before["errors"] == [] and before["totals"]["en"] >= 40


def test_list_reads_the_user_bank_dir(capsys: pytest.CaptureFixture[str]) -> None:
    (config_dir() / "banks").mkdir(parents=True)
    (config_dir() / "banks" / "mine.toml").write_text(BANK, encoding="utf-8")
    data = run_json(capsys, "banks", "list", "--json")
    assert "cli-test" in [b["id"] for b in data["banks"]]


def test_list_text_and_broken_bank_warning(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[bank]\nid = 3\n", encoding="utf-8")
    code, out, err = run(capsys, "banks", "list", "--bank", str(broken))
    assert code == 0 and "Banks" in out and "Total: zh " in out
    assert f"Your banks: {config_dir() / 'banks'}" in out
    assert f"{broken}:2: [bank] id" in err
    data = run_json(capsys, "banks", "list", "--json", "--bank", str(broken))
    assert data["errors"][0]["file"] == str(broken) and data["errors"][0]["line"] == 2


def test_show_bank_and_question(capsys: pytest.CaptureFixture[str], bank_file: Path) -> None:
    code, out, _ = run(capsys, "banks", "show", "cli-test", "--bank", str(bank_file))
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()[1:]] == [
        "cli-zh-1", "cli-zh-2", "cli-zh-3", "cli-en-1", "cli-en-2"
    ]  # fmt: skip
    code, out, _ = run(capsys, "banks", "show", "cli-zh-1", "--bank", str(bank_file))
    assert code == 0 and out.startswith("第一题")
    for needle in ("追问一", "追问二", "要点甲", "45-120 s", "000_test.txt", "knowledge"):
        assert needle in out
    q = run_json(capsys, "banks", "show", "cli-en-2", "--json", "--bank", str(bank_file))
    assert q["target"] == [20, 40] and q["language"] == "en" and q["kind"] == "intro"


def test_show_unknown_id(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "banks", "show", "no-such-thing")
    assert code == 2 and out == ""
    assert err.startswith("kiosk: no bank or question 'no-such-thing'")
    assert len(err.strip().splitlines()) == 1


def test_validate_bundled_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "banks", "validate")
    assert (code, out) == (0, "") and err.startswith("OK:")


def test_validate_reports_file_line_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bank_file: Path
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(BANK.replace('kind = "design"', 'kind = "desing"'), encoding="utf-8")
    dup = tmp_path / "dup.toml"
    dup.write_text(BANK.replace('id = "cli-test"', 'id = "other"'), encoding="utf-8")
    code, out, err = run(capsys, "banks", "validate", str(bad), str(dup))
    lines = out.splitlines()
    assert code == 1 and len(lines) == 5  # one bad kind, then four ids of dup.toml clash
    kind_line = BANK.splitlines().index('kind = "design"') + 1
    assert lines[0].startswith(f"{bad}:{kind_line}: question 'cli-zh-2': kind")
    assert all(
        re.match(rf"^{re.escape(str(dup))}:\d+: duplicate question id", s) for s in lines[1:]
    )
    assert "problem" in err
    code, out, _ = run(capsys, "banks", "validate", str(bank_file))
    assert (code, out) == (0, "")


def test_validate_syntax_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "syntax.toml"
    bad.write_text('[bank]\nid = "x"\ntitle = "unterminated\n', encoding="utf-8")
    code, out, _ = run(capsys, "banks", "validate", str(bad))
    assert code == 1 and out.startswith(f"{bad}:3: TOML syntax error")


def test_round_preview_is_reproducible(capsys: pytest.CaptureFixture[str]) -> None:
    first = run_json(capsys, "banks", "round", "en-ai-pm-1", "--seed", "11", "--json")
    again = run_json(capsys, "banks", "round", "en-ai-pm-1", "--seed", "11", "--json")
    assert first == again and first["seed"] == 11
    ids = [q["id"] for q in first["questions"]]
    assert len(ids) == len(set(ids)) >= 6
    assert first["questions"][0]["step"] == "Self-introduction"
    code, out, _ = run(capsys, "banks", "round", "zh-ai-pm-1", "--seed", "2")
    assert code == 0 and "seed 2" in out and "[自我介绍]" in out and "[反问]" in out


def test_round_list_and_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "banks", "round")
    assert code == 0 and "zh-ai-pm-1" in out and "en-ai-pm-1" in out
    code, _, err = run(capsys, "banks", "round", "nope", "--seed", "1")
    assert code == 2 and "known rounds:" in err
