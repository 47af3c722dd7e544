"""Mock rounds: seeded composition, no repeats, clear errors, and the bundled templates."""

from __future__ import annotations

import pytest

from kiosk.questions.library import Library
from kiosk.questions.loader import Source, load_library, parse_text
from kiosk.questions.rounds import RoundError, RoundSpec, compose_round, load_rounds, parse_rounds


def entry(qid: str, cat: str, kind: str, extra: str = "") -> str:
    return (
        f'\n[[questions]]\nid = "{qid}"\ncategory = "{cat}"\nkind = "{kind}"\n'
        f'text = "Q {qid.replace("-", "")}"\n{extra}'  # distinct words: no near-duplicates
    )


def library() -> Library:
    text = '[bank]\nid = "t"\ntitle = "T"\nlanguage = "zh"\n'
    text += entry("intro-1", "自我介绍", "intro")
    text += entry("drill-1", "自我介绍", "intro", 'tags = ["drill"]\n')
    text += "".join(entry(f"proj-{i}", "项目深挖", "behavioral") for i in range(10))
    text += "".join(
        entry(f"deep-{i}", "项目深挖", "behavioral", 'follow_ups = ["为什么？"]\n')
        for i in range(3)
    )
    text += "".join(entry(f"llm-{i}", "大模型认知", "knowledge") for i in range(6))
    text += entry("rev-1", "反问", "reverse") + entry("rev-2", "反问", "reverse")
    text += entry("en-1", "Metrics", "knowledge", 'language = "en"\n')
    parsed = parse_text(text)
    assert parsed.bank is not None and not parsed.errors, parsed.errors
    return Library((parsed.bank,))


ROUNDS = """
[[rounds]]
id = "r1"
title = "一面"
language = "zh"

[[rounds.steps]]
label = "自我介绍"
kind = ["intro"]

[[rounds.steps]]
label = "项目"
category = ["项目深挖"]
count = 2
with_follow_ups = true

[[rounds.steps]]
label = "更多项目"
category = ["项目深挖"]
count = 3

[[rounds.steps]]
label = "大模型"
category = ["大模型认知", "模型评测"]
kind = ["knowledge", "design"]

[[rounds.steps]]
label = "反问"
kind = ["reverse"]

[[rounds]]
id = "needs-medical"
title = "医疗"
language = "zh"

[[rounds.steps]]
label = "AI 医疗"
category = ["AI医疗产品"]

[[rounds]]
id = "drill"
title = "计时"
language = "zh"

[[rounds.steps]]
label = "计时"
tags = ["drill"]
"""


def templates(text: str = ROUNDS) -> dict[str, RoundSpec]:
    found, errors = parse_rounds(Source("rounds.toml", text.encode()))
    assert errors == []
    return found


def ids(seed: int, round_id: str = "r1") -> list[str]:
    return [q.id for q in compose_round(library(), round_id, seed, templates()).questions]


def test_same_seed_same_round() -> None:
    assert ids(7) == ids(7)
    assert ids(123456789) == ids(123456789)


def test_different_seeds_differ() -> None:
    rounds = {tuple(ids(seed)) for seed in range(10)}
    assert len(rounds) >= 5


def test_steps_in_order_without_repeats() -> None:
    for seed in range(30):
        r = compose_round(library(), "r1", seed, templates())
        got = [q.id for q in r.questions]
        assert len(got) == len(set(got)) == 8
        assert [i.step for i in r.items] == ["自我介绍", "项目", "项目", *["更多项目"] * 3,
                                             "大模型", "反问"]  # fmt: skip
        assert got[0] == "intro-1"  # the drill is never drawn by an ordinary step
        assert r.questions[-1].kind == "reverse" and r.seed == seed


def test_follow_up_steps_prefer_questions_with_follow_ups() -> None:
    for seed in range(20):
        items = compose_round(library(), "r1", seed, templates()).items
        deep = [i for i in items if i.step == "项目"]
        assert all(i.question.id.startswith("deep-") for i in deep)
        assert all(i.follow_ups == ("为什么？",) for i in deep)
        assert all(i.follow_ups == () for i in items if i.step == "更多项目")


def test_language_filter() -> None:
    assert all(q.language == "zh" for q in compose_round(library(), "r1", 1, templates()).questions)


def test_missing_category_is_a_clear_error() -> None:
    with pytest.raises(RoundError) as info:
        compose_round(library(), "needs-medical", 1, templates())
    message = str(info.value)
    assert "needs-medical" in message and "AI 医疗" in message and "AI医疗产品" in message


def test_not_enough_unused_questions() -> None:
    # 13 project questions; 5 go to the first project step, 9 wanted by the second
    text = ROUNDS.replace("count = 2", "count = 5").replace("count = 3", "count = 9")
    with pytest.raises(RoundError, match=r"step 3 .* needs 9 .* has 8 unused"):
        compose_round(library(), "r1", 0, templates(text))


def test_unknown_round_lists_the_known_ones() -> None:
    with pytest.raises(RoundError, match="known rounds: drill, needs-medical, r1"):
        compose_round(library(), "r9", 0, templates())


def test_drill_step_takes_drills() -> None:
    assert ids(3, "drill") == ["drill-1"]


def test_round_file_errors_carry_lines() -> None:
    bad = ROUNDS.replace('label = "反问"\nkind = ["reverse"]', 'label = "反问"\nknd = ["reverse"]')
    found, errors = parse_rounds(Source("rounds.toml", bad.encode()))
    assert len(errors) == 1 and "r1" not in found and "drill" in found
    line = bad.splitlines().index('knd = ["reverse"]') + 1
    assert str(errors[0]).startswith(f"rounds.toml:{line}: round 'r1': step 5: unknown key")
    empty = ROUNDS.replace('label = "计时"\ntags = ["drill"]', 'label = "计时"')
    _, errors = parse_rounds(Source("rounds.toml", empty.encode()))
    assert len(errors) == 1 and "kind, category or tags" in errors[0].message


def test_bundled_rounds_compose_from_bundled_banks() -> None:
    found, errors = load_rounds()
    assert errors == [] and len(found) >= 6
    assert {"zh", "en"} <= {spec.language for spec in found.values()}
    lib = load_library(include_user=False)
    for round_id in found:
        for seed in range(5):
            r = compose_round(lib, round_id, seed, found)
            assert len(r.questions) == len({q.id for q in r.questions}) > 0
            assert all(q.language == found[round_id].language for q in r.questions)
