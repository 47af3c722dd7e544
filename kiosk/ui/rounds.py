"""Mock rounds for the home screen: the bundled templates, composed when chosen.

A round is drawn afresh (new seed) each time it is started unless the app was given a
seed, which makes test runs and snapshots repeatable.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from kiosk.ui.practice import Practice

RoundEntry = tuple[str, str, Callable[[], Practice]]


def round_entries(library: Any, language: str | None, seed: int | None) -> list[RoundEntry]:
    """``(title, description, start)`` for each template in ``language`` (all if None)."""
    from kiosk.questions.rounds import compose_round, load_rounds

    templates, _problems = load_rounds()
    entries: list[RoundEntry] = []
    for spec in templates.values():
        if language is not None and spec.language != language:
            continue

        def start(round_id: str = spec.id) -> Practice:
            drawn = compose_round(library, round_id, seed if seed is not None else _fresh_seed())
            steps = tuple(item.step for item in drawn.items)
            return Practice(drawn.title, drawn.questions, steps=steps)

        steps = " → ".join(step.label for step in spec.steps)
        about = f"{spec.title}\n\n{spec.description}\n\nSteps: {steps}".strip()
        entries.append((f"{spec.title}  [{spec.language}]", about, start))
    return entries


def _fresh_seed() -> int:
    return random.SystemRandom().randrange(1, 2**31)
