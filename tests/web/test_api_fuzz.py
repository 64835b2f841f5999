"""Schemathesis against the JSON API: every operation in /api/openapi.json, called with
generated (valid and invalid) input by a signed-in department head, and with fewer
examples by each other role, must answer without a server error, with a documented
content type and, where the status is documented, a body of the documented shape.

The operations are read from the application's own OpenAPI description, so a new API
route is fuzzed without touching this file. Generated identifiers rarely exist, so the
path and query parameters that name something (a unit, client, group, employee, week,
month or day) are, in about half the examples, replaced by ones that exist in the demo
department: the requests then reach the services, not only the 404 path.

The run is bounded and deterministic (a few examples per operation, derandomised). It
writes (stays are registered on demo clients), so it has a demo database of its own.

``INSATS_FUZZ_EXAMPLES`` (default 20) and ``INSATS_FUZZ_ROLE_EXAMPLES`` (default 5) set the
examples per operation; with ``INSATS_FUZZ_TALLY=FILE`` the statuses answered are counted
and written to FILE as JSON at the end of the module (``bench/api_fuzz.py`` runs it so).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from insats.services.auth import sign_in
from insats.services.runtime import uow_factory_for
from insats.web.app import create_app
from insats.web.deps import CSRF_HEADER, SESSION_COOKIE
from tests.conftest import BACKENDS
from tests.web.conftest import DemoWeb, demo_on_postgresql, demo_on_sqlite

pytestmark = pytest.mark.slow

MAX_EXAMPLES = int(os.environ.get("INSATS_FUZZ_EXAMPLES", "20"))
# per operation and role, for the roles other than the department head
ROLE_EXAMPLES = int(os.environ.get("INSATS_FUZZ_ROLE_EXAMPLES", "5"))
TALLY_FILE = os.environ.get("INSATS_FUZZ_TALLY")
TALLY: Counter[str] = Counter()  # "<backend> <role> <status>" → cases
OTHER_ROLES = ["enhetschef", "samordnare", "ekonom", "namnd"]
CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]

# Operations that start long-running work: a planning run solves in a background thread
# for up to five minutes (at most two at a time), which would outlive the test.
LONG_JOBS: list[tuple[str, str]] = [("POST", "/api/planning/runs")]

# The OpenAPI description does not depend on the data, so it is read at collection time
# from an application on an unused in-memory database (never opened); each test then sends
# its requests to the demo application of its backend.
schema: schemathesis.BaseSchema = schemathesis.openapi.from_asgi(
    "/api/openapi.json", create_app("sqlite://"))
for _method, _path in LONG_JOBS:
    schema = schema.exclude(method=_method, path=_path)

# Parameter name → values that exist in the demo department (filled by ``fuzz_demo``).
KNOWN: dict[str, list[str]] = {}


def _known_values(demo: DemoWeb) -> dict[str, list[str]]:
    with uow_factory_for(demo.url)() as uow:
        clients = [uow.clients.get(demo.own_client_id), uow.clients.get(demo.other_client_id)]
        group = uow.scheduling.group_of_client(demo.own_client_id)
        members = uow.staff.of_unit(demo.own_unit_id)[:2]
    units = [demo.own_unit_id, demo.other_unit_id]
    client_ids = [c.id for c in clients if c is not None]
    employees = [e.id for e in members]
    groups = [group.id] if group is not None else []
    return {
        "unit": units, "unit_id": units,
        "client_id": client_ids, "client": client_ids,
        "client_pseudonym": [c.pseudonym for c in clients if c is not None],
        "employee_id": employees, "employee": employees,
        "group": groups, "group_id": groups,
        "week": ["2026-W42", "2026-W40"], "month": ["2026-10", "2026-09"],
        "on": ["2026-10-15", "2026-10-31"], "weeks": ["1", "4"],
    }


def _with_known(values: dict[str, Any] | None) -> st.SearchStrategy[dict[str, Any] | None]:
    """The generated values as they are, or with the known parameters replaced."""
    names = [name for name in values or {} if KNOWN.get(name)]
    if not values or not names:
        return st.just(values)
    replaced = st.fixed_dictionaries({name: st.sampled_from(KNOWN[name]) for name in names})
    return st.one_of(st.just(values), replaced.map(lambda chosen: {**values, **chosen}))


@schema.hook
def flatmap_path_parameters(context: schemathesis.HookContext,
                            path_parameters: dict[str, Any] | None
                            ) -> st.SearchStrategy[dict[str, Any] | None]:
    return _with_known(path_parameters)


@schema.hook
def flatmap_query(context: schemathesis.HookContext, query: dict[str, Any] | None
                  ) -> st.SearchStrategy[dict[str, Any] | None]:
    return _with_known(query)


# --- a demo database of its own, on each backend ---------------------------------------------
@pytest.fixture(scope="module")
def _fuzz_demo_sqlite(tmp_path_factory: pytest.TempPathFactory) -> DemoWeb:
    return demo_on_sqlite(tmp_path_factory, "fuzz")


@pytest.fixture(scope="module")
def _fuzz_demo_postgresql() -> Iterator[DemoWeb]:
    with demo_on_postgresql("insats_fuzz") as demo:
        yield demo


@pytest.fixture(scope="module", params=BACKENDS)
def fuzz_demo(request: pytest.FixtureRequest) -> DemoWeb:
    demo: DemoWeb = request.getfixturevalue(f"_fuzz_demo_{request.param}")
    KNOWN.clear()
    KNOWN.update(_known_values(demo))
    return demo


@pytest.fixture(scope="module", autouse=True)
def _tally() -> Iterator[None]:
    """With INSATS_FUZZ_TALLY set: the statuses answered, per backend and role, as JSON."""
    yield
    if TALLY_FILE:
        Path(TALLY_FILE).write_text(json.dumps(dict(sorted(TALLY.items())), indent=1))


@dataclass(frozen=True)
class ApiSession:
    """A signed-in session of a demo account: the cookies and headers for a request."""

    role: str
    cookies: dict[str, str]
    headers: dict[str, str]


def _session_of(demo: DemoWeb, username: str) -> ApiSession:
    account = demo.accounts[username]
    signed = sign_in(uow_factory_for(demo.url), username=account.username,
                     password=account.password, remote_addr="10.0.0.66")
    return ApiSession(username, {SESSION_COOKIE: signed.token},
                      {CSRF_HEADER: signed.csrf_token})


@pytest.fixture
def head_session(fuzz_demo: DemoWeb) -> ApiSession:
    """The department head's session."""
    return _session_of(fuzz_demo, "avdelningschef")


@pytest.fixture(params=OTHER_ROLES)
def role_session(request: pytest.FixtureRequest, fuzz_demo: DemoWeb) -> ApiSession:
    """The session of each other demo role in turn (a unit manager, the scheduler, the
    controller, the committee member): what their role may not do must be a 403 or 404,
    never a server error."""
    return _session_of(fuzz_demo, request.param)


# --- the tests ---------------------------------------------------------------------------------
def test_the_schema_describes_the_api() -> None:
    paths = list(schema.raw_schema.get("paths", {}))
    assert paths, "the OpenAPI description has no operations"
    assert all(path.startswith("/api/") for path in paths), paths


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_no_operation_answers_with_a_server_error(
        case: schemathesis.Case[Any], fuzz_demo: DemoWeb, head_session: ApiSession) -> None:
    _call(case, fuzz_demo, head_session)


@schema.parametrize()
@settings(max_examples=ROLE_EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_no_operation_answers_any_role_with_a_server_error(
        case: schemathesis.Case[Any], fuzz_demo: DemoWeb, role_session: ApiSession) -> None:
    _call(case, fuzz_demo, role_session)


def _call(case: schemathesis.Case[Any], demo: DemoWeb, session: ApiSession) -> None:
    response = case.call(headers=session.headers, cookies=session.cookies, app=demo.app)
    backend = demo.url.split(":", 1)[0].split("+", 1)[0]
    TALLY[f"{backend} {session.role} {response.status_code}"] += 1
    case.validate_response(response, checks=CHECKS)
    # the session and the CSRF token were accepted (otherwise every answer is a 401 or 403
    # and the operation's own code is never reached)
    assert response.status_code != 401, response.text
    if response.status_code == 403:
        assert response.json().get("code") != "csrf.invalid", response.text
