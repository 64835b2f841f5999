"""Retention (gallring): only the department head sees the limits and the run log."""

from __future__ import annotations

from tests.web.access_matrix import Rule

RULES = [
    Rule("GET", "/retention", frozenset({"avdelningschef"})),
]
