"""Absence cover: every role that sees schedules may read the page (the service keeps unit
managers to their units: tests/web/test_cover_pages.py); only planners book."""

from __future__ import annotations

from tests.web.access_matrix import Rule

READERS = frozenset({"avdelningschef", "enhetschef", "enhetschef2", "samordnare"})
BOOKERS = frozenset({"avdelningschef", "samordnare"})

RULES = [
    Rule("GET", "/cover", READERS),
    # an unknown reason: authorised callers get 400 from the form check, nothing is booked
    Rule("POST", "/cover/book", BOOKERS, refused_by_validation=True,
         body=lambda d: {"shift_id": "X", "employee_id": "X", "reason": "", "version": "1"}),
]
