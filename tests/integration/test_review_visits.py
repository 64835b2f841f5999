"""The visits review on a small hand-built department: a client with short visits and a
double-staffed one, a client with boendestöd, one without coordinates; the plan is
validated, today's organisation counted by hand; roles; the command line (table, CSV,
XLSX). SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from openpyxl import load_workbook

from insats.domain.access import AccessDenied
from insats.domain.common import Period
from insats.domain.decisions import DecidedBy, Insats, LegalBasis, Payer
from insats.domain.organisation import UnitKind
from insats.services.review_catalogue import available_reviews
from insats.services.uow import UnitOfWork
from tests.builders import (
    a_client,
    a_decision,
    a_department,
    a_group,
    a_provider,
    a_template,
    a_unit,
)
from tests.callers import CONTROLLER, HEAD, SCHEDULER, manager_of, review_runner

# October 2026: the last whole week is Monday 19 – Sunday 25
run = review_runner("visits", dt.date(2026, 10, 1), dt.date(2026, 11, 1))
VALID = Period(dt.date(2026, 1, 1))


@pytest.fixture
def world(uow_factory: Callable[[], UnitOfWork]) -> Callable[[], UnitOfWork]:
    with uow_factory() as uow:
        uow.organisation.add_many([
            a_department(),
            a_unit(id="U01", name="Personlig assistans Norr"),
            a_unit(id="U11", name="Resursenheten", kind=UnitKind.RESOURCE_UNIT,
                   cost_centre="4111"),
        ])
        uow.providers.add(a_provider())
        uow.clients.add_many([
            a_client(id="C0001", pseudonym="B-0001", unit_id="U11", latitude=57.93,
                     longitude=12.53),
            a_client(id="C0002", pseudonym="B-0002", unit_id="U11", latitude=57.94,
                     longitude=12.55),
            a_client(id="C0003", pseudonym="B-0003", unit_id="U11"),  # no coordinates
            # a whole-day assistance client: not short visits
            a_client(id="C0004", pseudonym="B-0004", unit_id="U01", latitude=57.92,
                     longitude=12.50),
        ])
        uow.decisions.add_many([
            a_decision(id="BE0002", client_id="C0002", legal_basis=LegalBasis.SOL,
                       insats=Insats.HOUSING_SUPPORT, decided_by=DecidedBy.MUNICIPALITY,
                       payer=Payer.MUNICIPALITY, granted_minutes_per_week=120),
        ])
        uow.scheduling.add_many([
            a_group(id="G0001", unit_id="U11", client_id="C0001"),
            a_group(id="G0003", unit_id="U11", client_id="C0003", name="B-0003"),
            a_group(id="G0004", unit_id="U01", client_id="C0004", name="B-0004"),
            # C0001: Monday 07:30 (45 min) and Monday 16:00 (30 min, two staff)
            a_template(id="T0001", group_id="G0001", name="Besök 07:30", weekday=0,
                       start=dt.time(7, 30), length_minutes=45, valid=VALID),
            a_template(id="T0002", group_id="G0001", name="Besök 16:00", weekday=0,
                       start=dt.time(16, 0), length_minutes=30, valid=VALID, positions=2),
            a_template(id="T0003", group_id="G0003", name="Besök 08:00", weekday=1,
                       start=dt.time(8, 0), length_minutes=30, valid=VALID),
            a_template(id="T0004", group_id="G0004", name="Dag", weekday=0,
                       start=dt.time(7, 0), length_minutes=480, valid=VALID),
        ])
        uow.commit()
    return uow_factory


def test_the_week_is_planned_validated_and_compared_with_today(
        world: Callable[[], UnitOfWork]) -> None:
    report = run(world)
    days, routes, clients = report.tables
    findings = " ".join(report.findings)
    assert "Veckan 2026-10-19–2026-10-25" in findings
    assert "Alla planer håller" in findings
    assert "1 klienter saknar koordinater och är inte med: B-0003" in findings
    # C0004's whole day is no visit; C0002's 2 h boendestöd are two 60-minute visits,
    # spread 2 → Wednesday and Friday
    assert {(r[0], r[1], r[2]) for r in clients.rows} == {
        ("B-0001", "Personlig assistans", 2), ("B-0002", "Boendestöd", 2)}
    by_day = {r[0]: r for r in days.rows}
    monday = by_day[dt.date(2026, 10, 19)]
    assert monday[2:4] == (2, 1)  # two visits, one double staffed
    # today: the base is the middle of the two homes; 07:30 is one pass and 16:00 two
    # (two staff), each from the base and back
    assert monday[4] == 3
    assert by_day[dt.date(2026, 10, 20)][2] == 0
    assert by_day[dt.date(2026, 10, 21)][2] == 1
    # the double-staffed visit is in two routes at the same minute
    monday_routes = [r for r in routes.rows if r[0] == dt.date(2026, 10, 19)]
    double = [r[9] for r in monday_routes if "(dubbel)" in r[9]]
    assert len(double) == 2 and double[0] == double[1]
    assert double[0].startswith(("15:", "16:"))
    # the planned day costs no more than today's passes
    assert all(r[11] >= 0 for r in days.rows)


def test_roles_and_scope(world: Callable[[], UnitOfWork]) -> None:
    assert "visits" in [n.value for n in available_reviews(SCHEDULER)]
    assert "visits" not in [n.value for n in available_reviews(CONTROLLER)]
    with pytest.raises(AccessDenied):
        run(world, CONTROLLER)
    assert run(world, SCHEDULER).tables[0].rows
    own = run(world, manager_of("U01"))  # no visit clients in the unit
    assert all(r[2] == 0 for r in own.tables[0].rows) or own.tables[0].rows == ()
    assert own.tables[1].rows == ()
    with pytest.raises(AccessDenied):
        run(world, manager_of("U01"), ["U11"])
    assert run(world, HEAD, ["U11"]).tables[1].rows


def test_cli_table_csv_and_xlsx(world: Callable[[], UnitOfWork], cli: Callable[..., Result],
                                tmp_path: Path) -> None:
    shown = cli("review", "visits", "--period", "2026-10..2026-10")
    assert shown.exit_code == 0, shown.output
    assert "Planerade arbetspass" in shown.output
    as_csv = cli("review", "visits", "--period", "2026-10..2026-10", "--format", "csv")
    assert as_csv.exit_code == 0, as_csv.output
    rows = list(csv.reader(io.StringIO(as_csv.output), delimiter=";"))
    assert any(row[:3] == ["B-0002", "Boendestöd", "2"] for row in rows)
    assert any(row[:2] == ["2026-10-19", "måndag"] for row in rows)
    out = tmp_path / "visits.xlsx"
    saved = cli("review", "visits", "--period", "2026-10..2026-10", "--format", "xlsx",
                "--out", str(out))
    assert saved.exit_code == 0, saved.output
    book = load_workbook(out)
    values = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True)
              for c in row if c is not None]
    assert "B-0002" in values
    assert any(isinstance(v, str) and "(dubbel)" in v for v in values)
