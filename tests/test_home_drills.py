"""What the home screen says about timing drills is true: the lengths it says are listed
are the drill leaves under it, and every other length it names is offered by "Choose a
length…" on the next screen."""

from __future__ import annotations

import re

from textual.widgets import OptionList, Static, Tree
from textual.widgets.tree import TreeNode

from kiosk.core.drills import PRESETS_S
from kiosk.core.figures import clock_text
from kiosk.core.target import Target
from kiosk.questions.library import Library
from kiosk.questions.model import Bank, Kind
from kiosk.ui.screens.drill import DrillSetupScreen
from tests.test_ui_support import booth, question, until

CLOCK = re.compile(r"\d+:\d\d")


def bundled_like() -> Library:
    """Drills of 30 s, 1 min and 3 min, as the bundled bank has: no 90 s."""
    drills = tuple(
        question(
            f"drill-zh-intro-{s}s",
            category="自我介绍",
            kind=Kind.INTRO,
            text=f"请用 {s} 秒做一个自我介绍。",
            target=Target(round(s * 0.9), s * 1.1),
            tags=("drill",),
            follow_ups=(),
        )
        for s in (30, 60, 180)
    )
    return Library((Bank("drills", "Drills", "zh", (question(), *drills)),))


def nodes(tree: Tree[object]) -> list[TreeNode[object]]:
    found = [tree.get_node_at_line(i) for i in range(tree.last_line + 1)]
    return [n for n in found if n is not None]


async def test_the_drill_texts_name_only_lengths_that_are_there() -> None:
    b = booth(lib=bundled_like())
    async with b.app.run_test(size=(110, 34)) as pilot:
        tree: Tree[object] = b.app.screen.query_one(Tree)
        about = b.app.screen.query_one("#about", Static)
        group = next(n for n in nodes(tree) if str(n.label) == "Self-introduction timing drill")
        leaves = [str(n.label)[:4] for n in group.children if CLOCK.match(str(n.label))]
        assert leaves == ["0:30", "1:00", "3:00"]

        tree.move_cursor(group)
        await pilot.pause()
        said = str(about.render())
        listed, _, elsewhere = said.partition("Listed here:")[2].partition("\n")
        assert CLOCK.findall(listed) == leaves
        assert "1:30" not in listed and "1:30" in elsewhere and "Choose a length" in elsewhere

        choose = next(n for n in group.children if "Choose a length" in str(n.label))
        tree.move_cursor(choose)
        await pilot.pause()
        promised = CLOCK.findall(str(about.render()).split("(")[0])
        tree.select_node(choose)
        await until(pilot, lambda: isinstance(b.app.screen, DrillSetupScreen))
        options = b.app.screen.query_one(OptionList)
        offered = [str(options.get_option_at_index(i).prompt)[:4] for i in range(len(PRESETS_S))]
        assert promised == offered == [clock_text(s) for s in PRESETS_S]
