"""The visits review's page on the demo department: the resource unit's week planned as
home care, its routes and the validator's verdict; refused to a role without schedules."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.slow

# The period the access matrix asks for (tests/web/access_matrix/reviews_visits.py): the
# week's routes are then solved once per process for both.
URL = "/reviews/visits?period=2026-09..2026-10"


def test_the_page_shows_the_planned_routes(signed_in: Callable[[str], TestClient]) -> None:
    page = signed_in("samordnare").get(URL)
    assert page.status_code == 200, page.text
    assert "Hemtjänstliknande assistans" in page.text
    assert "Planerade arbetspass (besök i ordning)" in page.text
    assert "Alla planer håller tidsfönster" in page.text
    assert "Veckan 2026-10-19–2026-10-25" in page.text


def test_a_role_without_schedules_is_refused(signed_in: Callable[[str], TestClient]) -> None:
    assert signed_in("ekonom").get(URL).status_code == 403
