"""Benchmark: bulk insert of planned shifts through ``SchedulingRepository.add_many``.

Usage:
    .venv/bin/python bench/bulk_insert.py [--shifts 200000] [--runs 3] [--path fast|core]
        [--postgres URL]

Each run migrates a fresh database (a new SQLite file, or a scratch PostgreSQL database on
the server named by ``--postgres`` / ``INSATS_BENCH_POSTGRES_URL``), stores one department,
unit, group and two employees, then times ``add_many`` of N planned shifts plus the commit.
Prints the median of the runs and rows per second for each backend.

``--path core`` times SQLAlchemy's plain Core ``insert(table)`` executemany on the same
values (the generic path ``add_many`` used before the driver-level fast paths), for comparison.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from insats.db.bulk import core_insert
from insats.db.maintenance import scratch_postgres_database
from insats.db.migrate import upgrade
from insats.db.repositories._base import TableRepository
from insats.domain.calendar import local_datetime
from insats.domain.common import Money, Period
from insats.domain.organisation import Department, Unit, UnitKind
from insats.domain.scheduling import AssistanceGroup, PlannedShift, ShiftKind, ShiftStatus
from insats.domain.staff import Agreement, Employee, EmploymentForm, Position
from insats.services.runtime import dispose_all, uow_factory_for
from insats.services.uow import UnitOfWork

FIRST_DAY = dt.date(2026, 1, 1)
EMPLOYEES = ("E0001", "E0002")


def _parents() -> list[object]:
    return [
        Department(id="D01", name="Funktionsstöd", municipality_code="0180",
                   municipality_name="Stockholm"),
        Unit(id="U01", department_id="D01", name="Personlig assistans",
             kind=UnitKind.PERSONAL_ASSISTANCE, cost_centre="1001"),
    ]


def _employee(employee_id: str) -> Employee:
    return Employee(
        id=employee_id, given_name="Anna", family_name="Berg", home_unit_id="U01",
        position=Position.ASSISTANT, employment_form=EmploymentForm.PERMANENT,
        agreement=Agreement.PAN, employment_percent=100, full_time_minutes_per_week=2400,
        employed=Period(dt.date(2020, 1, 1)), monthly_wage=Money(3_000_000),
    )


def build_shifts(count: int) -> list[PlannedShift]:
    """``count`` shifts of group G0001: three 8-hour shifts a day from 1 Jan 2026, some open."""
    clocks = (dt.time(7), dt.time(15), dt.time(23))
    shifts = []
    for index in range(count):
        day = FIRST_DAY + dt.timedelta(days=index // 3)
        start = local_datetime(day, clocks[index % 3])
        shifts.append(
            PlannedShift(
                id=f"S{index:07d}",
                group_id="G0001",
                start=start,
                end=start + dt.timedelta(hours=8),
                employee_id=None if index % 7 == 0 else EMPLOYEES[index % 2],
                kind=ShiftKind.ORDINARY,
                status=ShiftStatus.PUBLISHED if index % 5 else ShiftStatus.PROPOSED,
                break_minutes=30 if index % 3 == 2 else 0,
                is_double=index % 11 == 0,
            )
        )
    return shifts


def _seed(uow: UnitOfWork) -> None:
    uow.organisation.add_many(_parents())  # type: ignore[arg-type]
    uow.staff.add_many([_employee(e) for e in EMPLOYEES])
    uow.scheduling.add_many(
        [AssistanceGroup(id="G0001", unit_id="U01", name="Grupp 1", client_id=None)]
    )


def _core_add_many(repo: TableRepository[PlannedShift, object], shifts: list[PlannedShift]) -> None:
    rows = [repo.to_values(shift) for shift in shifts]
    for values in rows:
        values["version"] = 1
    repo.session.flush()
    core_insert(repo.session, repo.model.__table__, rows)


def _timed_insert(url: str, shifts: list[PlannedShift], path: str) -> float:
    upgrade(url)
    factory = uow_factory_for(url)
    with factory() as uow:
        _seed(uow)
        uow.commit()
    with factory() as uow:
        started = time.perf_counter()
        if path == "core":
            _core_add_many(uow.scheduling.shifts, shifts)
        else:
            uow.scheduling.add_many(shifts)
        uow.commit()
        seconds = time.perf_counter() - started
    with factory() as uow:
        assert uow.scheduling.shifts.count() == len(shifts)
    return seconds


def _sqlite_run(shifts: list[PlannedShift], path: str) -> float:
    with tempfile.TemporaryDirectory() as folder:
        try:
            return _timed_insert(f"sqlite:///{Path(folder) / 'bench.db'}", shifts, path)
        finally:
            dispose_all()


def _postgres_run(server_url: str) -> Callable[[list[PlannedShift], str], float]:
    def run(shifts: list[PlannedShift], path: str) -> float:
        with scratch_postgres_database(
            server_url, prefix="insats_bench", before_drop=lambda _: dispose_all()
        ) as url:
            return _timed_insert(url, shifts, path)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shifts", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--path", choices=["fast", "core"], default="fast")
    parser.add_argument("--postgres", default=os.environ.get("INSATS_BENCH_POSTGRES_URL"))
    args = parser.parse_args()

    shifts = build_shifts(args.shifts)
    print(f"machine: {platform.node()} · {os.cpu_count()} cores · "
          f"Python {platform.python_version()} · path={args.path}")
    print(f"{'backend':<10} {'shifts':>8} {'median s':>9} {'rows/s':>9}  runs s")
    backends: list[tuple[str, Callable[[list[PlannedShift], str], float]]] = [
        ("sqlite", _sqlite_run)
    ]
    if args.postgres:
        backends.append(("postgresql", _postgres_run(args.postgres)))
    for backend, run in backends:
        seconds = [run(shifts, args.path) for _ in range(args.runs)]
        median = statistics.median(seconds)
        runs = ", ".join(f"{s:.2f}" for s in seconds)
        print(f"{backend:<10} {len(shifts):>8} {median:>9.2f} {len(shifts) / median:>9.0f}  {runs}")


if __name__ == "__main__":
    main()
