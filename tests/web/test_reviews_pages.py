"""The review pages on the demo department: the taxi review finds the school trips the
demo generator planted (the korttidstillsyn's "skola–korttidstillsyn" bookings) and
nothing else, a unit manager's view is their units', and the Excel download."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from insats.db.models import CostEntryRow, UnitRow
from insats.domain.economy import AccountCategory
from insats.domain.formatting import format_kronor
from insats.domain.organisation import UnitKind
from insats.services.runtime import uow_factory_for
from tests.web.conftest import DemoWeb


def _planted_school_trips(url: str, year: int) -> int:
    """What the generator booked as school taxi: taxi of the korttidstillsyn units."""
    with uow_factory_for(url)() as uow:
        total = uow.session.scalar(
            select(func.coalesce(func.sum(CostEntryRow.amount_ore), 0))
            .join(UnitRow, UnitRow.id == CostEntryRow.unit_id)
            .where(CostEntryRow.category == AccountCategory.TAXI,
                   UnitRow.kind == UnitKind.SHORT_TERM_SUPERVISION,
                   CostEntryRow.booked_on >= dt.date(year, 1, 1),
                   CostEntryRow.booked_on < dt.date(year + 1, 1, 1)))
    return int(total or 0)


def test_the_taxi_review_finds_the_planted_school_trips_and_nothing_else(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    year = dt.date.today().year
    planted = _planted_school_trips(demo_web.url, year)
    assert planted > 0
    client = signed_in("avdelningschef")
    listing = client.get("/reviews")
    assert listing.status_code == 200 and 'data-review="taxi"' in listing.text
    page = client.get(f"/reviews/taxi?year={year}")
    assert page.status_code == 200
    assert f"{format_kronor(planted)} (" in page.text  # the findings' recharged amount
    footer = re.search(r"<tfoot><tr>(.*?)</tr></tfoot>", page.text, re.S)
    assert footer is not None and format_kronor(planted) in footer.group(1)
    workbook = client.get(f"/reviews/taxi?year={year}&format=xlsx")
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK"


def test_a_unit_manager_sees_their_units_and_is_refused_others(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("enhetschef")
    own = client.get(f"/reviews/taxi?year={dt.date.today().year}")
    assert own.status_code == 200 and "Hela avdelningen" not in own.text
    other = client.get(f"/reviews/taxi?unit={demo_web.other_unit_id}")
    assert other.status_code == 403
    assert client.get("/reviews/unknown").status_code == 400
    assert signed_in("samordnare").get("/reviews/taxi").status_code == 403
