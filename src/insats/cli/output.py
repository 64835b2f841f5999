"""The console the commands print to."""

from __future__ import annotations

import os

from rich.console import Console


def make_console() -> Console:
    """A rich console; piped or captured output gets 200 columns instead of 80, so tables
    are not squeezed (COLUMNS, when set, still wins)."""
    console = Console()
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = Console(width=200)
    return console
