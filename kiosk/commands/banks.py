"""``kiosk banks``: see, check and preview the question banks without opening the booth.

Bank files are edited by hand, so the command line is where a user finds out what loaded,
what did not and why (``file:line: message``), and previews a mock round before practising.
Everything printed goes through :func:`kiosk.core.errors.printable`: a bank or a file name
can never send control or bidi characters to the terminal raw.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

from kiosk.config import load_settings
from kiosk.core.errors import BadInput, printable, printable_json
from kiosk.questions.library import BankError, Library
from kiosk.questions.loader import load_library, user_banks_dir, validate_paths
from kiosk.questions.model import Bank, Question
from kiosk.questions.rounds import Round, compose_round, load_rounds

LANGUAGES = ("zh", "en")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("banks", help="list, show, validate question banks; preview mock rounds")
    actions = p.add_subparsers(dest="banks_action", metavar="ACTION", required=True)

    def bank_opt(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--bank", action="append", type=Path, default=[], metavar="PATH",
            help="also load this bank file or directory (repeatable)",
        )  # fmt: skip

    ls = actions.add_parser("list", help="banks and categories with question counts")
    bank_opt(ls)
    ls.add_argument("--json", action="store_true", help="print JSON")
    ls.set_defaults(func=_list)

    show = actions.add_parser("show", help="a bank's questions, or one question in full")
    show.add_argument("id", metavar="ID", help="bank id or question id")
    bank_opt(show)
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(func=_show)

    val = actions.add_parser("validate", help="check bank files; print file:line: problem")
    val.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH",
        help="bank files or directories (default: bundled and user banks)",
    )  # fmt: skip
    val.set_defaults(func=_validate)

    rnd = actions.add_parser("round", help="preview a mock round (no ID: list the rounds)")
    rnd.add_argument("round_id", nargs="?", metavar="ROUND_ID")
    rnd.add_argument("--seed", type=int, help="replay a round exactly (default: random)")
    bank_opt(rnd)
    rnd.add_argument("--json", action="store_true", help="print JSON")
    rnd.set_defaults(func=_round)


def _library(args: argparse.Namespace) -> Library:
    return load_library([*load_settings().banks, *args.bank])


def _warn(errors: tuple[BankError, ...] | list[BankError]) -> None:
    for err in errors:
        print(f"warning: {err}", file=sys.stderr)
    if errors:
        print("run `kiosk banks validate` for details", file=sys.stderr)


def _emit(data: Any) -> None:
    print(printable_json(json.dumps(data, ensure_ascii=False, indent=2)))


def _say(text: str) -> None:
    """Print ``text`` with any control or bidi character shown as an escape."""
    print(printable(text, lines=True))


def _line(text: str) -> str:
    """``text`` on one line (line breaks become spaces), safe to print."""
    return printable(" ".join(text.splitlines()))


# --- list ------------------------------------------------------------------------------


def _list(args: argparse.Namespace) -> int:
    lib = _library(args)
    totals = {lang: lib.count(lang) for lang in (*LANGUAGES, *lib.languages)}
    if args.json:
        _emit(
            {
                "banks": [_bank_dict(b) for b in lib.banks],
                "categories": [
                    {"category": c, "language": lang, "count": n}
                    for lang in lib.languages
                    for c, n in lib.categories(lang)
                ],
                "totals": totals,
                "errors": [e.as_dict() for e in lib.errors],
            }
        )
        return 0
    width = max((len(b.id) for b in lib.banks), default=4)
    print("Banks")
    for b in lib.banks:
        _say(f"  {b.id:<{width}}  {b.language}  {len(b):>4}  {_line(b.title)}")
    for lang in lib.languages:
        print(f"\nCategories ({lang})")
        for category, n in lib.categories(lang):
            _say(f"  {n:>4}  {_line(category)}")
    print("\nTotal: " + ", ".join(f"{lang} {n}" for lang, n in totals.items()))
    _say(f"Your banks: {_line(str(user_banks_dir()))}/*.toml")
    _warn(lib.errors)
    return 0


def _bank_dict(b: Bank) -> dict[str, Any]:
    langs: dict[str, int] = {}
    for q in b.questions:
        langs[q.language] = langs.get(q.language, 0) + 1
    return {
        "id": b.id,
        "title": b.title,
        "language": b.language,
        "count": len(b),
        "languages": langs,
        "description": b.description,
        "file": b.origin,
    }


# --- show ------------------------------------------------------------------------------


def _question_dict(q: Question) -> dict[str, Any]:
    return {
        "id": q.id,
        "bank": q.bank_id,
        "language": q.language,
        "category": q.category,
        "kind": q.kind.value,
        "text": q.text,
        "spoken": q.spoken,
        "target": [q.target.low, q.target.high],
        "follow_ups": list(q.follow_ups),
        "key_points": list(q.key_points),
        "source": q.source,
        "tags": list(q.tags),
    }


def _show(args: argparse.Namespace) -> int:
    lib = _library(args)
    bank, question = lib.bank(args.id), lib.get(args.id)
    if bank is None and question is None:
        shown = printable(args.id)
        raise BadInput(f"no bank or question '{shown}'; `kiosk banks list` shows the bank ids")
    if args.json:
        if bank is not None:
            _emit({**_bank_dict(bank), "questions": [_question_dict(q) for q in bank.questions]})
        elif question is not None:
            _emit(_question_dict(question))
        return 0
    if bank is not None:
        _say(f"{_line(bank.title)}  ({bank.id}, {bank.language}, {len(bank)} questions)")
        for q in bank.questions:
            _say(f"  {q.id}  [{q.kind.value} · {_line(q.category)} · {q.target}]  {_line(q.text)}")
    elif question is not None:
        _print_question(question)
    return 0


def _print_question(q: Question) -> None:
    _say(q.text)
    if q.speak:
        _say(f"  read aloud: {q.speak}")
    _say(f"  id: {q.id}   bank: {q.bank_id}   language: {q.language}")
    _say(f"  kind: {q.kind.value}   category: {_line(q.category)}   target: {q.target}")
    for i, text in enumerate(q.follow_ups, start=1):
        _say(f"  follow-up {i}: {text}")
    for point in q.key_points:
        _say(f"  · {point}")
    if q.source:
        _say(f"  source: {_line(q.source)}")
    if q.tags:
        _say(f"  tags: {_line(', '.join(q.tags))}")


# --- validate --------------------------------------------------------------------------


def _validate(args: argparse.Namespace) -> int:
    if args.paths:
        errors = validate_paths(args.paths)
        checked = "given files"
    else:
        lib = load_library(load_settings().banks)
        _, round_errors = load_rounds()
        errors = [*lib.errors, *round_errors]
        checked = f"{len(lib.banks)} banks, {len(lib.questions)} questions, rounds"
    for err in errors:
        print(err)
    if errors:
        print(f"{len(errors)} problem(s); fix them and run again", file=sys.stderr)
        return 1
    print(f"OK: {checked}", file=sys.stderr)
    return 0


# --- round -----------------------------------------------------------------------------


def _round(args: argparse.Namespace) -> int:
    templates, problems = load_rounds()
    _warn(problems)
    if args.round_id is None:
        for spec in templates.values():
            _say(f"  {spec.id:<16} {spec.language}  {len(spec.steps)} steps  {_line(spec.title)}")
        return 0
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1_000_000)
    composed = compose_round(_library(args), args.round_id, seed, templates)
    if args.json:
        _emit(_round_dict(composed))
    else:
        _print_round(composed)
    return 0


def _round_dict(r: Round) -> dict[str, Any]:
    return {
        "id": r.id,
        "title": r.title,
        "language": r.language,
        "seed": r.seed,
        "questions": [
            {**_question_dict(i.question), "step": i.step, "follow_ups": list(i.follow_ups)}
            for i in r.items
        ],
    }


def _print_round(r: Round) -> None:
    _say(f"{_line(r.title)}  ({r.id}, seed {r.seed}; replay with --seed {r.seed})")
    for n, item in enumerate(r.items, start=1):
        q = item.question
        _say(f"{n:>2}. [{_line(item.step)}] {_line(q.text)}  ({q.target}; {q.id})")
        for text in item.follow_ups:
            _say(f"      → {_line(text)}")
