"""The overview's JSON API (the page "/" itself is in frame.py)."""

from __future__ import annotations

from tests.web.access_matrix import ALL, Rule

RULES = [
    Rule("GET", "/api/overview", ALL),
]
