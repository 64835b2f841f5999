"""The authorization matrix: every route of the application × every role.

Each feature adds a module here with ``RULES: list[Rule]``; ``test_access_matrix``
enumerates the application's routes and fails on any route that no rule covers.

A rule names the route (method and path template, exactly as declared), which demo
accounts may use it (``allowed``), and how to fill in its path and body from the demo
facts. Everyone else signed in must get 403; an anonymous caller gets a redirect to the
sign-in page (pages) or 401 (API). ``enhetschef`` has the demo's first unit; routes about
one unit or client are called with that unit's objects, so ``enhetschef2`` (another
unit) must be refused where ``enhetschef`` is allowed.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ALL = frozenset({"avdelningschef", "enhetschef", "enhetschef2", "samordnare", "ekonom",
                 "namnd"})
NOT_COMMITTEE = ALL - {"namnd"}


def everyone_but(*roles: str) -> frozenset[str]:
    return ALL - set(roles)


@dataclass(frozen=True)
class Rule:
    method: str
    path: str  # the route's template, e.g. "/clients/{client_id}"
    allowed: frozenset[str]
    # path parameters from the demo facts (tests.web.conftest.DemoWeb)
    params: Callable[[Any], dict[str, str]] = field(default=lambda demo: {})
    # form fields (pages) or JSON body (API) for a changing request, from the demo facts
    body: Callable[[Any], dict[str, Any]] | None = None
    query: str = ""  # appended to the URL, e.g. "?format=xlsx"
    public: bool = False  # reachable without signing in (the sign-in page)
    # For a route whose success is heavy (starting a solver run): the body passes
    # authorization but is refused by validation, so "allowed" means any answer but
    # 401, 403 and 5xx, while everyone else must still get 403.
    refused_by_validation: bool = False

    @property
    def api(self) -> bool:
        return self.path.startswith("/api")


def all_rules() -> list[Rule]:
    rules: list[Rule] = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        rules.extend(getattr(module, "RULES", []))
    return rules
