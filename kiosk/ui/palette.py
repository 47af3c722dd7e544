"""The booth's actions in Textual's command palette (ctrl+p).

Two kinds of command, found by typing part of their name:

* what the current screen offers right now — every binding shown in its footer (answer,
  retry, next question, export, play from word…), named as there and run as if its key
  were pressed, with the key beside it;
* the places of the booth, from anywhere — home, history, progress, settings, help and
  quit (history and progress only when there is a history).

A command that is not available (a key the screen has disabled) is not listed, so the
palette never offers something that would do nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from kiosk.ui.booth import Booth

PALETTE_ACTION = "command_palette"


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    help: str
    run: Callable[[], Any]


def screen_commands(provider: Provider) -> Iterator[Command]:
    """The current screen's bindings that its footer shows and that are enabled now."""
    app = provider.app
    seen: set[str] = set()
    for active in provider.screen.active_bindings.values():
        binding = active.binding
        if not (active.enabled and binding.show and binding.description):
            continue
        if binding.action == PALETTE_ACTION or binding.description in seen:
            continue
        seen.add(binding.description)
        key = app.get_key_display(binding)
        run = partial(app.run_action, binding.action, active.node)
        yield Command(binding.description, f"key: {key}", run)


def place_commands(provider: Provider) -> Iterator[Command]:
    """The booth's places, reachable from any screen."""
    booth = cast("Booth", provider.app)
    app = provider.app
    store = booth.history.store
    yield Command("Home", "leave this screen for the home screen", booth.go_home)
    if store is not None:
        yield Command(
            "History",
            "every answer kept: review, compare, export",
            partial(booth.show_history, store),
        )
        yield Command(
            "Progress",
            "pace, fillers and time on target over time",
            partial(booth.show_progress, store),
        )
    yield Command("Settings", "language, voice, microphone, model", booth.show_settings)
    yield Command("Help", "what the booth does and every key", partial(app.run_action, "help"))
    yield Command("Quit", "close the booth (recordings are kept)", partial(app.run_action, "quit"))


def commands(provider: Provider) -> list[Command]:
    """The screen's commands first, then the places it does not already offer."""
    mine = list(screen_commands(provider))
    names = {c.name.lower() for c in mine}
    return mine + [c for c in place_commands(provider) if c.name.lower() not in names]


class BoothCommands(Provider):
    """Command palette provider for the booth (registered in ``KioskApp.COMMANDS``)."""

    async def discover(self) -> Hits:
        for command in commands(self):
            yield DiscoveryHit(command.name, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in commands(self):
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(score, matcher.highlight(command.name), command.run, help=command.help)
