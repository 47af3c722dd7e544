"""Help: what the booth does and every key, reachable from anywhere with ? or F1."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# Interview Kiosk · 面试语音陪练

Practise spoken interview answers. A question is read aloud; you answer out loud; the booth
records to disk, transcribes **on this computer** (nothing leaves it) and reports your pace,
filler words, pauses and length against the question's time target.

| Where | Keys |
|---|---|
| Home | ↑ ↓ move · enter open / start · l language · h history · p progress · s settings · q quit |
| Question | space / enter answer · r replay · m mute · s skip · esc home |
| Recording | space / enter stop · esc cancel (recording kept) · r try again after an error |
| Processing | esc cancel · r try again · a answer again · s settings · h home |
| Report | f answer the follow-up (追问) · r retry · n next question · h / esc home |
| History | enter review · c compare · x export answer · e export CSV · d delete · p progress |
| Review | ↑ ↓ line · ← → word · p play from the word · s stop · c compare · x export · d delete |
| Progress | c key points & structure / delivery · esc back |
| Anywhere | ctrl+p find any key or place by name · ? / F1 this help · ctrl+q quit |

**Timer bar.** Yellow until the target's lower end, green inside the range, red when over.
Recording stops by itself at twice the upper end or at the longest answer allowed
(max_answer_s, 15 minutes), whichever comes first, or after silence if set in Settings.

**Fillers** are counted as *at least N*: many spoken fillers are missed.

**Recordings** are kept in the data folder under `recordings/`, whatever happens.

Press escape to close.
"""


class HelpScreen(ModalScreen[None]):
    """Keys and a short explanation."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,question_mark,q", "app.pop_screen", "Close")
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Markdown(HELP)
