"""Every route × every role (and anonymous): the expected answer, from the matrix in
``tests.web.access_matrix``. A route missing from the matrix fails the test."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Mount

from tests.web.access_matrix import ALL, Rule, all_rules
from tests.web.conftest import DemoWeb

pytestmark = pytest.mark.slow


def _walk(routes: list[Any]) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for route in routes:
        if isinstance(route, Mount):
            continue  # /static
        if isinstance(route, APIRoute):
            found.update((method, route.path) for method in route.methods)
        elif hasattr(route, "original_router"):  # an included router (FastAPI ≥ 0.16x)
            found |= _walk(route.original_router.routes)
    return found


def _declared_routes(demo_web: DemoWeb) -> set[tuple[str, str]]:
    return _walk(list(demo_web.app.routes))


def test_every_route_is_in_the_matrix(demo_web: DemoWeb) -> None:
    covered = {(rule.method, rule.path) for rule in all_rules()}
    declared = _declared_routes(demo_web)
    assert ("GET", "/") in declared
    assert declared - covered == set(), "routes missing from tests/web/access_matrix"
    assert covered - declared == set(), "matrix rows for routes that do not exist"


def _call(client: TestClient, rule: Rule, demo_web: DemoWeb, csrf: str) -> int:
    url = rule.path.format(**rule.params(demo_web)) + rule.query
    if rule.method == "GET":
        return client.get(url, follow_redirects=False).status_code
    body = rule.body(demo_web) if rule.body else {}
    if rule.api:
        response = client.request(rule.method, url, json=body,
                                  headers={"X-CSRF-Token": csrf}, follow_redirects=False)
    else:
        response = client.request(rule.method, url, data={**body, "csrf_token": csrf},
                                  follow_redirects=False)
    return response.status_code


@pytest.mark.parametrize("role", sorted(ALL))
def test_each_role_gets_what_the_matrix_says(
        role: str, demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in(role)
    csrf: str = client.csrf  # type: ignore[attr-defined]
    wrong = []
    for rule in all_rules():
        if rule.public or (rule.method, rule.path) == ("POST", "/logout"):
            continue
        status = _call(client, rule, demo_web, csrf)
        allowed = role in rule.allowed
        if rule.refused_by_validation:
            passed = status not in (401, 403) and status < 500
        else:
            passed = status < 400
        if (allowed and not passed) or (not allowed and status != 403):
            wrong.append(f"{rule.method} {rule.path}: {status} "
                         f"({'tillåten' if allowed else 'nekad'} väntad)")
    assert wrong == []


def test_anonymous_callers_are_sent_to_sign_in(demo_web: DemoWeb) -> None:
    client = TestClient(demo_web.app)
    wrong = []
    for rule in all_rules():
        if rule.public:
            continue
        status = _call(client, rule, demo_web, csrf="")
        expected = 401 if rule.api else 303
        if status != expected:
            wrong.append(f"{rule.method} {rule.path}: {status}, väntat {expected}")
    assert wrong == []
