"""The scenario calculator: the roles with RUN_SCENARIOS (not the scheduler, not the
committee); a unit manager gets their own units (tests/web/test_scenario_pages.py)."""

from __future__ import annotations

from tests.web.access_matrix import Rule

RUNNERS = frozenset({"avdelningschef", "enhetschef", "enhetschef2", "ekonom"})

RULES = [
    Rule("GET", "/scenarios", RUNNERS, query="?year=2026"),
]
