"""What a kind of practice adds to the answer screens, instead of subclassing them.

The question, recording and report screens are the same for every practice; a practice
carries :class:`Parts` that put extra widgets on them — the timing drill adds its length
budget under the question, a countdown with cues while recording, and its verdict on the
report (``kiosk.ui.drill``). Plain practice adds nothing (:data:`NO_PARTS`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from textual.containers import Vertical

if TYPE_CHECKING:
    from textual.widget import Widget

    from kiosk.core.ports import Player
    from kiosk.core.report import Report
    from kiosk.store.database import Store

Device = Callable[[], "str | int | None"]
"""The output device chosen in the settings, read when a sound is played."""


class Ticker(Vertical):
    """A part of the recording screen that follows the answer's clock."""

    DEFAULT_CSS = "Ticker { height: auto; }"

    def tick(self, elapsed: float) -> None:
        """Called a dozen times a second while recording, with the seconds answered."""


class Parts:
    """Nothing added: the base for a practice's parts."""

    def question(self, language: str) -> Sequence[Widget]:
        """Shown under the question text (``language``: the question's)."""
        return ()

    def recording(self, player: Player, device: Device) -> Sequence[Ticker]:
        """Shown above the target bar while recording; sounds go to ``player``."""
        return ()

    def report(
        self, report: Report, question_id: str, attempt: int | None, store: Store | None
    ) -> Sequence[Widget]:
        """Shown under the report's cards; ``attempt`` is the answer's row in ``store``."""
        return ()


NO_PARTS = Parts()
