"""The action plan: every role reads the plan, an action and the overview's notice of
overdue follow-ups; avdelningschef and enhetschef change actions, and the service keeps
a unit manager to actions of their units or that they own (A19 is the first
personal-assistance unit's, owned by ``enhetschef``: ``enhetschef2`` is refused)."""

from __future__ import annotations

from tests.web.access_matrix import ALL, Rule

EDITORS = frozenset({"avdelningschef", "enhetschef"})
OWN_UNIT_ACTION = "A19"  # demo.actions.UNIT_PLANS[0], unit U01, owner enhetschef

RULES = [
    Rule("GET", "/actions", ALL),
    Rule("GET", "/actions/overdue-notice", ALL),
    # no activity: authorised callers get 400 from the service, after the unit's scope
    Rule("POST", "/actions", EDITORS, refused_by_validation=True,
         body=lambda d: {"unit": d.own_unit_id, "activity": "", "measure": "x",
                         "owner_role": "EC"}),
    Rule("GET", "/actions/{action_id}", ALL, params=lambda d: {"action_id": "A01"}),
    # an unreadable version: authorised callers get 400 from the form check, nothing changes
    Rule("POST", "/actions/{action_id}", EDITORS, refused_by_validation=True,
         params=lambda d: {"action_id": OWN_UNIT_ACTION},
         body=lambda d: {"version": "x", "text": "Åtkomsttest"}),
    Rule("POST", "/actions/{action_id}/target", EDITORS, refused_by_validation=True,
         params=lambda d: {"action_id": OWN_UNIT_ACTION},
         body=lambda d: {"figure": "overtime_hours", "baseline": "1", "target": "0",
                         "baseline_period": "2026", "target_on": "inte ett datum"}),
]
