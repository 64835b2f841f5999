"""The staffing-density review page on the demo department: the planted korttidshem's
weekday evenings above the need, the breaks, a unit's view and the Excel download."""

from __future__ import annotations

import io
from collections.abc import Callable

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from insats.domain.organisation import UnitKind
from insats.services.runtime import uow_factory_for
from tests.web.conftest import DemoWeb

PERIOD = "2026-09..2026-10"


def _planted_unit(url: str) -> tuple[str, str]:
    """The demo's second korttidshem (the planted one: demo/density.py), id and name."""
    with uow_factory_for(url)() as uow:
        homes = sorted((u for u in uow.organisation.units()
                        if u.kind is UnitKind.SHORT_TERM_STAY), key=lambda u: u.id)
    return homes[1].id, homes[1].name


def test_the_page_shows_the_planted_overstaffing_and_the_breaks(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    unit_id, name = _planted_unit(demo_web.url)
    page = signed_in("avdelningschef").get(f"/reviews/density?period={PERIOD}")
    assert page.status_code == 200, page.text
    for title in ("Per enhet", "Över behovet per veckodag och timme", "Raster per pass",
                  "Beläggning, personal och behov per timme (snitt per dag)"):
        assert f"<h2>{title}</h2>" in page.text
    assert f"{name}: " in page.text and "måndag–fredag kl. 14–22" in page.text
    only = signed_in("samordnare").get(f"/reviews/density?period={PERIOD}&unit={unit_id}")
    assert only.status_code == 200 and "Korttidstillsynen" not in only.text.split(
        "Iakttagelser")[1]
    xlsx = signed_in("avdelningschef").get(
        f"/reviews/density?period={PERIOD}&unit={unit_id}&format=xlsx")
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    rows = [[c.value for c in row] for row in book.worksheets[3].iter_rows()]
    assert any(row[0] == name and row[1] == "måndag" for row in rows)


def test_the_committee_is_refused(signed_in: Callable[[str], TestClient]) -> None:
    assert signed_in("namnd").get("/reviews/density").status_code == 403
    assert signed_in("ekonom").get("/reviews/density").status_code == 403
