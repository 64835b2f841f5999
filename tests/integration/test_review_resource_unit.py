"""The resource-unit review on a small hand-built department in March 2026: the
resource team's 60 hours shared over boendestöd and ledsagning by their grants, the
unit's cost per hour against a personal-assistance unit and a korttidshem, what moving
the insatser would change; roles and scope; the command line."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal

import pytest
from click.testing import Result

from insats.domain.access import AccessDenied
from insats.domain.common import Money, Period
from insats.domain.decisions import DecidedBy, Insats, LegalBasis, Payer
from insats.domain.economy import AccountCategory
from insats.domain.organisation import UnitKind
from insats.domain.staff import Position
from insats.services.uow import UnitOfWork
from tests.builders import (
    a_client,
    a_cost_entry,
    a_decision,
    a_department,
    a_group,
    a_provider,
    a_time_entry,
    a_unit,
    an_employee,
    stockholm,
)
from tests.callers import CONTROLLER, HEAD, SCHEDULER, manager_of, review_runner

MANAGER_U01 = manager_of("U01")
EMPLOYED = Period(dt.date(2026, 1, 1))
YEAR = Period(dt.date(2026, 1, 1), dt.date(2027, 1, 1))


def _hours(id: str, employee: str, group: str, client: str | None, day: int,
           hours: int) -> list[object]:
    """``hours`` as days of 10 hours from ``day`` (and the rest on the last day)."""
    entries = []
    while hours > 0:
        length = min(10, hours)
        entries.append(a_time_entry(
            id=f"{id}-{day}", employee_id=employee, group_id=group, client_id=client,
            start=stockholm(2026, 3, day, 7), end=stockholm(2026, 3, day, 7 + length),
            reported_on=dt.date(2026, 3, day)))
        hours -= length
        day += 1
    return entries


def _municipal(id: str, client: str, insats: Insats, weekly: int,
               basis: LegalBasis = LegalBasis.LSS) -> object:
    return a_decision(id=id, client_id=client, insats=insats, legal_basis=basis,
                      decided_by=DecidedBy.MUNICIPALITY, payer=Payer.MUNICIPALITY,
                      granted_minutes_per_week=weekly, period=YEAR)


run = review_runner("resource-unit", dt.date(2026, 3, 1), dt.date(2026, 4, 1))


@pytest.fixture
def world(uow_factory: Callable[[], UnitOfWork]) -> Callable[[], UnitOfWork]:
    with uow_factory() as uow:
        uow.organisation.add_many([
            a_department(),
            a_unit(id="U01", name="Personlig assistans Norr"),
            a_unit(id="U05", name="Korttidshemmet", kind=UnitKind.SHORT_TERM_STAY,
                   cost_centre="4105"),
            a_unit(id="U11", name="Resursenheten", kind=UnitKind.RESOURCE_UNIT,
                   cost_centre="4111"),
        ])
        uow.providers.add(a_provider())
        uow.clients.add_many([
            a_client(id="C1", pseudonym="B-0001", unit_id="U11"),
            a_client(id="C2", pseudonym="B-0002", unit_id="U11"),
            a_client(id="C3", pseudonym="B-0003", unit_id="U01"),
        ])
        uow.decisions.add_many([
            _municipal("BE1", "C1", Insats.HOUSING_SUPPORT, 420, LegalBasis.SOL),  # 7 h/v
            _municipal("BE2", "C2", Insats.COMPANION_SERVICE, 210),  # 3,5 h/v
            a_decision(id="BE3", client_id="C3"),
        ])
        care = {"position": Position.CARE_WORKER, "employment_percent": 100,
                "monthly_wage": Money.kronor(30_000), "employed": EMPLOYED}
        uow.staff.add_many([
            an_employee(id="W1", home_unit_id="U11", **care),
            an_employee(id="K1", home_unit_id="U05", **care),
            an_employee(id="P1", home_unit_id="U01", employment_percent=100,
                        monthly_wage=Money.kronor(30_000), employed=EMPLOYED),
            # the department's samordnare, whose home unit the resource unit is
            an_employee(id="A1", home_unit_id="U11", position=Position.SCHEDULER,
                        employment_percent=100, monthly_wage=Money.kronor(36_500),
                        employed=EMPLOYED),
        ])
        uow.scheduling.add_many([
            a_group(id="GT", unit_id="U11", name="Resursteamet", client_id=None),
            a_group(id="GK", unit_id="U05", name="Personalgrupp", client_id=None),
            a_group(id="G3", unit_id="U01", name="Assistansgrupp B-0003", client_id="C3"),
        ])
        uow.time_reports.add_many([
            *_hours("TW", "W1", "GT", None, 2, 60),  # the team: 60 h
            *_hours("TK", "K1", "GK", None, 2, 100),  # korttidshemmet: 100 h
            *_hours("TP", "P1", "G3", "C3", 2, 90),  # assistance: 100 h, the last on 31 March
            *_hours("TQ", "P1", "G3", "C3", 31, 10),
        ])
        money = AccountCategory
        uow.economy.add_many([
            a_cost_entry(id="K1", unit_id="U11", amount=Money.kronor(60_000)),
            a_cost_entry(id="K2", unit_id="U01", amount=Money.kronor(50_000)),
            a_cost_entry(id="K3", unit_id="U01", category=money.FK_REVENUE,
                         amount=Money.kronor(30_000)),
            a_cost_entry(id="K4", unit_id="U05", amount=Money.kronor(40_000)),
            # the samordnare's March: 36 500 kr × 12 / 365 × 31 days = 37 200 kr, + 40 %
            a_cost_entry(id="K6", unit_id="U11", amount=Money.kronor(52_080)),
            a_cost_entry(id="K5", unit_id="U11", amount=Money.kronor(99_000),
                         booked_on=dt.date(2026, 4, 1)),  # after the period
        ])
        uow.commit()
    return uow_factory


def test_volume_cost_per_hour_utilisation_and_moves(world: Callable[[], UnitOfWork]) -> None:
    report = run(world)
    insatser, units, moves = report.tables
    # granted in March: 420 × 31 / 7 = 1 860 and 930 min; the team's 3 600 min split 2:1;
    # the unit's 60 000 kr (without the samordnare) over 60 h = 1 000 kr an hour
    assert insatser.rows == (
        ("Resursenheten", "Boendestöd", 1, 1, 420, 1860, 2400, Decimal("129.0"),
         4_000_000, 100_000),
        ("Resursenheten", "Ledsagarservice", 1, 1, 210, 930, 1200, Decimal("129.0"),
         2_000_000, 100_000),
        ("Resursenheten", "Avlösarservice", 0, 0, 0, 0, 0, None, 0, None),
    )
    by_unit = {r[0]: r[2:] for r in units.rows}
    # 40 h a week × 31 / 7 = 10 628 min contracted; W1 worked 3 600 of them (33,9 %)
    # 112 080 kr booked: 1 868 kr an hour, 1 000 kr without the samordnare's 52 080 kr
    assert by_unit["Resursenheten"] == (3600, 11_208_000, 0, 11_208_000, 186_800, 186_800,
                                        5_208_000, 100_000, 10_628, 3600, Decimal("33.9"))
    assert by_unit["Personlig assistans Norr"][:8] == (6000, 5_000_000, 3_000_000,
                                                       2_000_000, 50_000, 20_000, 0, 50_000)
    # moving at the receivers' gross cost per hour: 400 kr (korttids), 500 kr (assistance)
    assert [(r[1], r[2], r[3], r[4], r[5], r[6]) for r in moves.rows] == [
        ("Boendestöd", "Korttidsvistelse", 2400, 4_000_000, 1_600_000, -2_400_000),
        ("Boendestöd", "Personlig assistans", 2400, 4_000_000, 2_000_000, -2_000_000),
        ("Ledsagarservice", "Korttidsvistelse", 1200, 2_000_000, 800_000, -1_200_000),
        ("Ledsagarservice", "Personlig assistans", 1200, 2_000_000, 1_000_000, -1_000_000),
        ("Avlösarservice", "Korttidsvistelse", 0, 0, 0, 0),
        ("Avlösarservice", "Personlig assistans", 0, 0, 0, 0),
    ]
    findings = " ".join(report.findings)
    assert "1\u00a0868\u00a0kr per utförd timme" in findings
    assert "52\u00a0080\u00a0kr" in findings and "kostar en utförd timme 1\u00a0000\u00a0kr" \
        in findings
    assert "33,9\u00a0%" in findings
    # the cheapest receiver for all three: korttidsvistelse, 24 000 + 12 000 kr less
    assert ("korttidsvistelse, med dess kostnad per timme minskar kostnaden med "
            "36\u00a0000\u00a0kr") in findings


def test_roles_and_scope(world: Callable[[], UnitOfWork]) -> None:
    assert run(world, CONTROLLER).tables[0].rows
    with pytest.raises(AccessDenied):
        run(world, SCHEDULER)
    own = run(world, MANAGER_U01)
    assert own.tables[0].rows == () and own.tables[2].rows == ()
    assert "Ingen resursenhet ingår i urvalet." in own.findings
    with pytest.raises(AccessDenied):
        run(world, MANAGER_U01, ["U11"])
    alone = run(world, HEAD, ["U11"])  # no other unit to move to
    assert len(alone.tables[0].rows) == 3 and alone.tables[2].rows == ()


def test_cli_table_and_csv(world: Callable[[], UnitOfWork], cli: Callable[..., Result]) -> None:
    shown = cli("review", "resource-unit", "--period", "2026-03..2026-03")
    assert shown.exit_code == 0, shown.output
    assert "Om insatsen flyttas" in shown.output
    as_csv = cli("review", "resource-unit", "--period", "2026-03..2026-03", "--format", "csv")
    assert as_csv.exit_code == 0, as_csv.output
    rows = list(csv.reader(io.StringIO(as_csv.output), delimiter=";"))
    assert any(row[:2] == ["Resursenheten", "Boendestöd"] for row in rows)
