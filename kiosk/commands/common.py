"""What several subcommands share: the answer history opened for one command.

Not a subcommand itself (``kiosk.cli.COMMANDS`` lists those).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.store.database import Store


@contextmanager
def opened_history(write: bool = False) -> Iterator[Store]:
    """The history, with its notices on stderr. Without ``write`` (listing, showing,
    exporting, stats) a history the user made read-only is opened read-only."""
    from kiosk.store.database import Store

    store = Store.open(need_write=write)
    for notice in store.notices:
        print(f"kiosk: {notice.message}", file=sys.stderr)
    try:
        yield store
    finally:
        store.close()
