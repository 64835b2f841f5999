"""Billing: roles that see money; only department-wide ones (department head, controller)
submit claims. July 2026 is before the demo's time, so submitting it issues nothing."""

from __future__ import annotations

from tests.web.access_matrix import Rule

MONEY = frozenset({"avdelningschef", "enhetschef", "enhetschef2", "ekonom"})
SUBMITTERS = frozenset({"avdelningschef", "ekonom"})

RULES = [
    Rule("GET", "/billing", MONEY, query="?tab=claims&month=2026-07"),
    Rule("GET", "/billing", MONEY, query="?tab=invoices&month=2026-09&format=xlsx"),
    Rule("POST", "/billing/claims/submit", SUBMITTERS, body=lambda d: {"month": "2026-07"}),
    Rule("GET", "/api/billing/claims", MONEY, query="?month=2026-07"),
    Rule("POST", "/api/billing/claims/submit", SUBMITTERS, body=lambda d: {"month": "2026-07"}),
]
