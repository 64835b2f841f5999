"""Swedish number formats for people: 1 234,5 h, 8,4 %, 1 234,50 kr (non-breaking spaces)."""

from __future__ import annotations

NBSP = "\u00a0"


def format_number(value: float, decimals: int = 0) -> str:
    """``1234.5`` → ``1 234,5`` with a non-breaking thousands separator and decimal comma."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", NBSP).replace(".", ",")


def format_hours(minutes: int, decimals: int = 0) -> str:
    return f"{format_number(minutes / 60, decimals)}{NBSP}h"


def format_percent(ratio: float | None, decimals: int = 1) -> str:
    """A ratio (0.084) as ``8,4 %``; None (no basis) as an en dash."""
    if ratio is None:
        return "–"
    return f"{format_number(ratio * 100, decimals)}{NBSP}%"


def format_kronor(ore: int, decimals: int = 0) -> str:
    """Whole kronor by default (``1 234 kr``); ``decimals=2`` gives ``1 234,50 kr``."""
    return f"{format_number(ore / 100, decimals)}{NBSP}kr"
