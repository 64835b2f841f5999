"""The surplus review on a small hand-built department: two members of the surplus team
in March 2026, one of them covering in a client's group; that group's overtime and
another group's open shift as vacancies; roles and scope; the command line."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable

import pytest
from click.testing import Result

from insats.domain.access import AccessDenied
from insats.domain.common import Money, Period
from insats.domain.organisation import UnitKind
from insats.domain.scheduling import ShiftStatus
from insats.domain.time_reports import TimeKind
from insats.services.uow import UnitOfWork
from tests.builders import (
    a_client,
    a_department,
    a_group,
    a_membership,
    a_shift,
    a_time_entry,
    a_unit,
    an_employee,
    stockholm,
)
from tests.callers import CONTROLLER, HEAD, SCHEDULER, manager_of, review_runner

MANAGER_U01 = manager_of("U01")
EMPLOYED = Period(dt.date(2026, 1, 1))
WAGE = Money.kronor(31_200)  # 180 kr an hour at 40 h a week; 252 kr with 40 % fees


def _entry(id: str, employee: str, group: str, client: str | None, day: int, hours: int,
           kind: TimeKind = TimeKind.ORDINARY) -> object:
    return a_time_entry(id=id, employee_id=employee, group_id=group, client_id=client,
                        start=stockholm(2026, 3, day, 7), end=stockholm(2026, 3, day, 7 + hours),
                        kind=kind, reported_on=dt.date(2026, 3, day))


run = review_runner("surplus", dt.date(2026, 3, 1), dt.date(2026, 4, 1))


@pytest.fixture
def world(uow_factory: Callable[[], UnitOfWork]) -> Callable[[], UnitOfWork]:
    with uow_factory() as uow:
        uow.organisation.add_many([
            a_department(),
            a_unit(id="U01", name="Personlig assistans Norr"),
            a_unit(id="U02", name="Personlig assistans Syd", cost_centre="4102"),
            a_unit(id="U12", name="Övertalighetsteamet", kind=UnitKind.SURPLUS_TEAM,
                   cost_centre="4112"),
        ])
        uow.clients.add_many([
            a_client(id="C1", pseudonym="B-0001"),
            a_client(id="C2", pseudonym="B-0002", unit_id="U02"),
        ])
        uow.staff.add_many([
            an_employee(id="E1", home_unit_id="U01", employed=EMPLOYED),
            an_employee(id="S1", given_name="Sara", home_unit_id="U12", employed=EMPLOYED,
                        employment_percent=100, monthly_wage=WAGE),
            an_employee(id="S2", given_name="Sven", home_unit_id="U12", employed=EMPLOYED,
                        employment_percent=100, monthly_wage=WAGE),
        ])
        uow.scheduling.add_many([
            a_group(id="G1", unit_id="U01", name="Assistansgrupp B-0001", client_id="C1"),
            a_group(id="G2", unit_id="U02", name="Assistansgrupp B-0002", client_id="C2"),
        ])
        uow.scheduling.add_many([
            a_membership(employee_id="E1", group_id="G1", period=EMPLOYED),
            a_membership(employee_id="S1", group_id="G1", period=EMPLOYED, is_regular=False),
        ])
        uow.scheduling.add_many([
            # an open shift of 8 h in G2, a cancelled one that does not count
            a_shift(id="S01", group_id="G2", employee_id=None, start=stockholm(2026, 3, 9, 7),
                    end=stockholm(2026, 3, 9, 15)),
            a_shift(id="S02", group_id="G2", employee_id=None, start=stockholm(2026, 3, 10, 7),
                    end=stockholm(2026, 3, 10, 15), status=ShiftStatus.CANCELLED),
        ])
        uow.time_reports.add_many([
            _entry("T1", "E1", "G1", "C1", 2, 8),
            _entry("T2", "E1", "G1", "C1", 3, 8, TimeKind.OVERTIME),  # 8 h overtime
            _entry("T3", "S1", "G1", "C1", 4, 8),  # the surplus team covers 16 h
            _entry("T4", "S1", "G1", "C1", 5, 8),
            _entry("T5", "E1", "G1", "C1", 31, 8),  # reported to the end of March
        ])
        uow.commit()
    return uow_factory


def test_unplaced_hours_vacancies_and_proposals(world: Callable[[], UnitOfWork]) -> None:
    report = run(world)
    people, proposals, vacancies = report.tables
    # 40 h a week × 31 days / 7 = 10 628 min; S1 worked 16 h in G1; 252 kr an hour
    assert people.rows == (
        ("S1", "Sara Lund", "Personlig assistent", 2400, 10_628, 960, 9_668,
         9_668 * 420, 3_973_060,  # 2 183 min a week unplaced × 52/12 × 252 kr
         433, 3_579_940),  # proposed 325 + 108 min a week; 1 967 min left × 52/12 × 252 kr
        ("S2", "Sven Lund", "Personlig assistent", 2400, 10_628, 0, 10_628,
         10_628 * 420, 4_368_000,  # 40 h × 52/12 × 252 kr = 43 680 kr a month
         0, 4_368_000),
    )
    # G1: 16 h by S1 (not a regular member) and 8 h overtime = 24 h, 325 min a week;
    # G2: one open shift of 8 h, 108 min a week
    assert vacancies.rows == (
        ("Assistansgrupp B-0001", "Personlig assistans Norr", "Personlig assistent",
         0, 960, 480, 325, 0),
        ("Assistansgrupp B-0002", "Personlig assistans Syd", "Personlig assistent",
         480, 0, 0, 108, 0),
    )
    # S1 knows G1 and takes its 325 min; G2's 108 min go to S1 too (the least room left)
    assert [(r[0], r[2], r[4], r[5]) for r in proposals.rows] == [
        ("S1", "Assistansgrupp B-0001", 325, 960), ("S1", "Assistansgrupp B-0002", 108, 0)]
    assert "Kontinuitet: har arbetat 16,0\u00a0h i gruppen" in proposals.rows[0][6]
    findings = " ".join(report.findings)
    assert "2 personer" in findings and "1 av 2" in findings and "Utan passande vakans: S2" \
        in findings
    assert "85\u00a0243\u00a0kr" in findings  # (9 668 + 10 628) min × 252 kr / 60 = 85 243,20 kr


def test_roles_and_scope(world: Callable[[], UnitOfWork]) -> None:
    assert run(world, SCHEDULER).tables[0].rows
    with pytest.raises(AccessDenied):
        run(world, CONTROLLER)
    own = run(world, MANAGER_U01)  # no surplus team in their units: no members
    assert own.tables[0].rows == () and own.tables[1].rows == ()
    assert [r[0] for r in own.tables[2].rows] == ["Assistansgrupp B-0001"]
    assert own.scope_label == "Personlig assistans Norr"
    with pytest.raises(AccessDenied):
        run(world, MANAGER_U01, ["U12"])
    team_only = run(world, HEAD, ["U12"])  # the team, but no vacancies in the units asked
    assert len(team_only.tables[0].rows) == 2 and team_only.tables[1].rows == ()


def test_cli_table_and_csv(world: Callable[[], UnitOfWork], cli: Callable[..., Result]) -> None:
    shown = cli("review", "surplus", "--period", "2026-03..2026-03")
    assert shown.exit_code == 0, shown.output
    assert "Förslag till placering" in shown.output and "S1" in shown.output
    as_csv = cli("review", "surplus", "--period", "2026-03..2026-03", "--format", "csv")
    assert as_csv.exit_code == 0, as_csv.output
    rows = list(csv.reader(io.StringIO(as_csv.output), delimiter=";"))
    assert any(row[:2] == ["S2", "Sven Lund"] for row in rows)
