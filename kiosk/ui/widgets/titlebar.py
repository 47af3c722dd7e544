"""A one-line title bar: the app's name and where the user is.

Textual's Header re-reads titles through watchers that may fire after a screen has been
replaced, which the booth does quickly (a short answer goes question → recording →
processing → report in a blink). A plain line of text has no such race.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

APP_TITLE = "Interview Kiosk · 面试语音陪练"


class TitleBar(Static):
    """``Interview Kiosk · 面试语音陪练  —  <where>``."""

    def __init__(self, where: str = "") -> None:
        super().__init__(id="titlebar")
        self.show(where)

    def show(self, where: str) -> None:
        text = Text(APP_TITLE, "bold")
        if where:
            text.append(f"   {where}", "#8fa3b8")
        self.update(text)
