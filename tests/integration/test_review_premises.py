"""The premises review on a small hand-built department, March–April 2026 (61 days, 44
weekdays, nine Tuesdays, eight Fridays; summer time starts on Sunday 29 March):

- L1, the office of U01 (45 h a week), used weekdays 8–16: 352 h of 23 528 min available;
- L2, Hemsjö träffpunkt on U01's account (45 h), used Tuesdays 9–12: 27 h, 6,9 %: give up;
- L3, a korttidshem (U06, 168 h), used Friday 18:00 to Sunday 18:00: 7 × 48 h + 47 h (the
  night the clocks go forward) = 383 h of 1 464 h, 26,2 %;
- L4, the korttidstillsyn (U09, 60 h), used weekdays 13–17: 176 h of 31 371 min, 33,7 %:
  its use fits in L3's free time (1 464 h ≥ 383 + 176), not the other way round (522,9 h):
  the korttidstillsyn moves in and its rent (116 000 kr) is saved.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal

import pytest
from click.testing import Result
from openpyxl import load_workbook

from insats.domain.access import AccessDenied
from insats.domain.common import Money
from insats.domain.economy import AccountCategory
from insats.domain.organisation import UnitKind
from insats.domain.premises import Premises, PremisesUse
from insats.services.uow import UnitOfWork
from tests.builders import a_cost_entry, a_department, a_unit, stockholm
from tests.callers import CONTROLLER, SCHEDULER, manager_of, review_runner

run = review_runner("premises", dt.date(2026, 3, 1), dt.date(2026, 5, 1))
DAYS = [dt.date(2026, 3, 1) + dt.timedelta(days=n) for n in range(61)]


def premises(id: str, name: str, unit: str, hours: int, text: str = "Hyra lokal",
             district: str = "Centrum") -> Premises:
    return Premises(id=id, name=name, address="Gatan 1", district=district, area_m2=100,
                    rent_unit_id=unit, rent_text=text, available_minutes_per_week=hours * 60,
                    unit_ids=(unit,))


def uses() -> list[PremisesUse]:
    found: list[PremisesUse] = []

    def use(premises_id: str, start: dt.datetime, end: dt.datetime) -> None:
        found.append(PremisesUse(id=f"N{len(found)}", premises_id=premises_id, unit_id="U01",
                                 start=start, end=end))

    for day in DAYS:
        if day.weekday() < 5:
            use("L1", stockholm(day.year, day.month, day.day, 8),
                stockholm(day.year, day.month, day.day, 16))
            use("L4", stockholm(day.year, day.month, day.day, 13),
                stockholm(day.year, day.month, day.day, 17))
        if day.weekday() == 1:
            use("L2", stockholm(day.year, day.month, day.day, 9),
                stockholm(day.year, day.month, day.day, 12))
        if day.weekday() == 4:
            sunday = day + dt.timedelta(days=2)
            use("L3", stockholm(day.year, day.month, day.day, 18),
                stockholm(sunday.year, sunday.month, sunday.day, 18))
    return found


@pytest.fixture
def world(uow_factory: Callable[[], UnitOfWork]) -> Callable[[], UnitOfWork]:
    with uow_factory() as uow:
        uow.organisation.add_many([
            a_department(), a_unit(id="U01"),
            a_unit(id="U06", name="Korttidshemmet", kind=UnitKind.SHORT_TERM_STAY),
            a_unit(id="U09", name="Korttidstillsynen", kind=UnitKind.SHORT_TERM_SUPERVISION)])
        rents = [("U01", "Hyra lokal", 16_000), ("U01", "Hyra lokal Hemsjö träffpunkt", 31_500),
                 ("U06", "Hyra lokal", 96_000), ("U09", "Hyra lokal", 58_000)]
        entries = [a_cost_entry(id=f"K{n}{month}", unit_id=unit, booked_on=dt.date(2026, month, 28),
                                category=AccountCategory.PREMISES, amount=Money(kr * 100),
                                description=text)
                   for n, (unit, text, kr) in enumerate(rents) for month in (3, 4, 5)]
        entries.append(a_cost_entry(id="KF", unit_id="U09", category=AccountCategory.PREMISES,
                                    booked_on=dt.date(2026, 4, 2), amount=Money(2_000_00),
                                    description="Hyra förråd"))
        uow.economy.add_many(entries)
        uow.premises.add_many([
            premises("L1", "Kontoret", "U01", 45),
            premises("L2", "Hemsjö träffpunkt", "U01", 45, text="Hyra lokal Hemsjö träffpunkt",
                     district="Hemsjö"),
            premises("L3", "Korttidshemmet", "U06", 168),
            premises("L4", "Korttidstillsynen", "U09", 60)])
        uow.premises.add_many(uses())
        uow.commit()
    return uow_factory


def test_cost_use_and_proposals_worked_by_hand(world: Callable[[], UnitOfWork]) -> None:
    report = run(world)
    overview, proposals = report.tables
    rows = {r[0]: r for r in overview.rows}
    # name, district, units, m², rent, available, used, use %, rent per used hour, proposal
    assert rows["Kontoret"][4:9] == (32_000_00, 23_528, 352 * 60, Decimal("89.8"),
                                     32_000_00 * 60 // (352 * 60))
    assert rows["Hemsjö träffpunkt"][4:] == (63_000_00, 23_528, 27 * 60, Decimal("6.9"),
                                             63_000_00 // 27, "Säg upp")
    assert rows["Korttidshemmet"][4:8] == (192_000_00, 87_840, 383 * 60, Decimal("26.2"))
    assert rows["Korttidshemmet"][9] == "Ta emot Korttidstillsynen"
    assert rows["Korttidstillsynen"][4:8] == (116_000_00, 31_371, 176 * 60, Decimal("33.7"))
    assert rows["Korttidstillsynen"][9] == "Flytta in i Korttidshemmet"
    assert overview.rows[0][0] == "Hemsjö träffpunkt"  # least used first
    assert [(p[0], p[1], p[2], p[3]) for p in proposals.rows] == [
        ("Säg upp", "Hemsjö träffpunkt", "–", 63_000_00),
        ("Samlokalisera", "Korttidstillsynen", "Korttidshemmet", 116_000_00)]
    text = " ".join(report.findings)
    assert "4 lokaler, hyra i perioden 403\u00a0000\u00a0kr" in text
    assert "Förslagen sparar 179\u00a0000\u00a0kr" in text
    assert "Hyra förråd" in text and "1 bokningar" in text  # not placed on any premises


def test_roles_and_scope(world: Callable[[], UnitOfWork]) -> None:
    with pytest.raises(AccessDenied):
        run(world, SCHEDULER)  # no money
    assert len(run(world, CONTROLLER).tables[0].rows) == 4
    own = run(world, manager_of("U09"))
    assert [r[0] for r in own.tables[0].rows] == ["Korttidstillsynen"]
    assert own.tables[1].rows == ()  # alone in its scope: nothing to share with
    with pytest.raises(AccessDenied):
        run(world, manager_of("U09"), ["U01"])


def test_cli_table_csv_and_xlsx(world: Callable[[], UnitOfWork], cli: Callable[..., Result],
                                tmp_path: object) -> None:
    shown = cli("review", "premises", "--period", "2026-03..2026-04")
    assert shown.exit_code == 0, shown.output
    assert "Lokaler: kostnad och nyttjande" in shown.output and "Säg upp" in shown.output
    as_csv = cli("review", "premises", "--period", "2026-03..2026-04", "--format", "csv")
    assert as_csv.exit_code == 0, as_csv.output
    rows = list(csv.reader(io.StringIO(as_csv.output), delimiter=";"))
    hemsjo = next(r for r in rows if r and r[0] == "Hemsjö träffpunkt")
    assert hemsjo[4] == "63\u00a0000\u00a0kr" and hemsjo[-1] == "Säg upp"
    out = f"{tmp_path}/lokaler.xlsx"
    saved = cli("review", "premises", "--period", "2026-03..2026-04", "--format", "xlsx",
                "--out", out)
    assert saved.exit_code == 0, saved.output
    values = [[c.value for c in row] for row in load_workbook(out).worksheets[1].iter_rows()]
    assert any(row[0] == "Korttidstillsynen" and row[4] == 116_000 for row in values)
