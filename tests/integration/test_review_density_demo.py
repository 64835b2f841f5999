"""The staffing-density review finds what the demo generator planted, and nothing else.

The generator books the korttidshem's children and the korttidstillsyn's youths to match
their staffing by the units' rule, except at the planted korttidshem
(``DemoDepartment.overstaffed_patterns``): three evening staff on weekdays for three
children, one above the need every weekday 14:30–22:00 where all three shifts are
staffed. The units that schedule breaks have two children away at an activity in the hour
the breaks fit; only where other stays (double decisions, bought places) fill that hour
does a break not fit. Two months of history keep the load short. Also: roles and unit
scope, and the command line's CSV and XLSX.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Callable, Iterator
from functools import cache

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from insats.db.session import make_session_factory
from insats.demo import DemoDepartment, generate_department
from insats.domain.access import AccessDenied, Caller, Role, Viewer
from insats.domain.calendar import local_datetime, to_local
from insats.domain.common import Period
from insats.domain.density import WEEKDAY_NAMES
from insats.domain.organisation import UnitKind
from insats.domain.scheduling import ShiftKind, ShiftStatus
from insats.optimizer.swedish import shift_key
from insats.services.demo import load_demo_department
from insats.services.planning import create_run, rebuild_plan
from insats.services.review_catalogue import run_review
from insats.services.review_density import staffing_need
from insats.services.uow import UnitOfWork
from tests.callers import CONTROLLER, HEAD, SCHEDULER, manager_of
from tests.conftest import BACKENDS, _engine_for, clean_tables

HISTORY = Period(dt.date(2026, 9, 1), dt.date(2026, 11, 1))
START, END = HISTORY.start, dt.date(2026, 11, 1)
COMMITTEE = Caller(Viewer("a4", "namnd", "Nämnd", Role.COMMITTEE), route="test")
PLANNED_EVENING_STAFF = 3  # the planted unit's structure (demo/structures.py)


@cache
def _generated() -> DemoDepartment:
    return generate_department(start=START, end=END)


@pytest.fixture(scope="module", params=BACKENDS)
def demo(request: pytest.FixtureRequest) -> Iterator[tuple[str, Callable[[], UnitOfWork]]]:
    url: str = request.getfixturevalue(f"_migrated_{request.param}_url")
    engine = _engine_for(url)
    clean_tables(engine)
    sessions = make_session_factory(engine)

    def factory() -> UnitOfWork:
        return UnitOfWork(sessions)

    load_demo_department(factory, history=HISTORY)
    yield url, factory
    clean_tables(engine)


def _review(world: Callable[[], UnitOfWork], caller: Caller = HEAD,
            units: list[str] | None = None):  # type: ignore[no-untyped-def]
    return run_review(world, caller=caller, name="density", start=START, end=END,
                      unit_ids=units, today=END)


def _expected_above_minutes(dept: DemoDepartment) -> int:
    """The planted pattern's staff above the need, from the generator's shifts: each
    weekday evening, the staffed evening shifts beyond the need of its three children."""
    (pattern,) = dept.overstaffed_patterns
    group = next(g for g in dept.groups if g.unit_id == pattern.unit_id and g.client_id is None)
    need = PLANNED_EVENING_STAFF - pattern.extra_staff
    staffed: Counter[dt.date] = Counter()
    for shift in dept.shifts:
        local = to_local(shift.start)
        if (shift.group_id == group.id and shift.employee_id is not None
                and shift.status is ShiftStatus.PUBLISHED and local.time() == pattern.start
                and local.weekday() in pattern.weekdays and START <= local.date() < END):
            staffed[local.date()] += 1
    minutes = (pattern.end.hour * 60 + pattern.end.minute
               - pattern.start.hour * 60 - pattern.start.minute)
    return sum(max(0, n - need) * minutes for n in staffed.values())


def test_the_review_finds_the_planted_overstaffing_and_nothing_else(demo) -> None:  # type: ignore[no-untyped-def]
    _url, world = demo
    dept = _generated()
    (pattern,) = dept.overstaffed_patterns
    names = {u.id: u.name for u in dept.units}
    density_units = {u.id for u in dept.units
                     if u.kind in (UnitKind.SHORT_TERM_STAY, UnitKind.SHORT_TERM_SUPERVISION)}
    report = _review(world)
    per_unit, per_hour, above, _breaks, _unfit = report.tables
    assert {r[0] for r in per_unit.rows} == {names[u] for u in density_units}
    expected = _expected_above_minutes(dept)
    assert expected > 0
    assert {r[0]: r[5] for r in per_unit.rows} == {
        names[u]: expected if u == pattern.unit_id else 0 for u in density_units}
    # every hour above the need lies in the pattern: its unit, weekdays and hours
    first, last = pattern.start.hour, pattern.end.hour - 1
    assert above.rows
    for unit_name, weekday, hours, days, minutes, cost in above.rows:
        assert unit_name == names[pattern.unit_id]
        assert WEEKDAY_NAMES.index(weekday) in pattern.weekdays
        assert first <= int(hours[:2]) <= last
        assert int(days) > 0 and minutes > 0 and cost > 0
    assert sum(r[4] for r in above.rows) == expected
    assert sum(r[6] for r in per_hour.rows) == expected
    findings = " ".join(report.findings)
    assert f"{names[pattern.unit_id]}: " in findings and "måndag–fredag kl. 14–22" in findings
    others = [names[u] for u in density_units if u != pattern.unit_id]
    assert not any(f"{name}: " in findings and "över enhetens" in findings.split(
        f"{name}: ")[1].split(".")[0] for name in others)
    # the children and youths the generator booked are all counted
    booked = sum(int((min(s.end, local_datetime(END, dt.time())) - max(
        s.start, local_datetime(START, dt.time()))).total_seconds()) // 60
        for s in dept.stays if s.unit_id in density_units
        and s.end > local_datetime(START, dt.time()) and s.start < local_datetime(END, dt.time()))
    assert sum(r[2] for r in per_unit.rows) == booked


def test_breaks_fit_where_the_generator_kept_an_hour_quiet(demo) -> None:  # type: ignore[no-untyped-def]
    _url, world = demo
    dept = _generated()
    (pattern,) = dept.overstaffed_patterns
    names = {u.id: u.name for u in dept.units}
    report = _review(world)
    _per_unit, _per_hour, _above, breaks, unfit = report.tables
    planted_name = names[pattern.unit_id]
    # the planted unit schedules no breaks: all proposals; the others all scheduled
    assert all(r[3].endswith("saknas (förslag)") for r in breaks.rows if r[0] == planted_name)
    assert all(r[3].endswith("schemalagd") for r in breaks.rows if r[0] != planted_name)
    # where the others' breaks do not fit: the activity hour filled by other stays
    gap = {dt.time(14, 30): (17, 18), dt.time(15): (17, 18), dt.time(7): (11, 12)}
    expected = set()
    for unit in dept.units:
        if unit.kind is not UnitKind.SHORT_TERM_STAY or unit.id == pattern.unit_id:
            continue
        group = next(g for g in dept.groups if g.unit_id == unit.id and g.client_id is None)
        others = [s for s in dept.stays if s.unit_id == unit.id and s.id.startswith("V0")]
        for shift in dept.shifts:
            local = to_local(shift.start)
            if (shift.group_id != group.id or shift.employee_id is None
                    or not START <= local.date() < END or local.time() not in gap):
                continue
            begin, end = (local_datetime(local.date(), dt.time(h)) for h in gap[local.time()])
            if sum(1 for s in others if s.start <= begin and s.end >= end) > 2:
                expected.add((unit.name, local.date(), f"{local:%H:%M}"))
    found = {(r[0], r[1], r[2][:5]) for r in unfit.rows if r[0] != planted_name}
    assert found == expected
    # the planted unit: its weekday evenings have staff to spare for the proposed breaks
    assert all(r[1].weekday() >= 5 for r in unfit.rows if r[0] == planted_name)
    # every staffed ordinary shift over six hours where breaks are allowed is listed
    allowed = {g.id for g in dept.groups if g.breaks_allowed and g.unit_id in {
        u.id for u in dept.units if u.kind in (UnitKind.SHORT_TERM_STAY,
                                               UnitKind.SHORT_TERM_SUPERVISION)}}
    long_shifts = [s for s in dept.shifts if s.group_id in allowed and s.employee_id
                   and s.status is ShiftStatus.PUBLISHED and s.kind is ShiftKind.ORDINARY
                   and s.length.value > 360 and START <= to_local(s.start).date() < END]
    assert sum(r[4] for r in breaks.rows) == len(long_shifts)


def test_the_need_per_hour_for_the_planner(demo) -> None:  # type: ignore[no-untyped-def]
    _url, world = demo
    (pattern,) = _generated().overstaffed_patterns
    monday = dt.date(2026, 9, 7)
    need = staffing_need(world, caller=HEAD, unit_id=pattern.unit_id, first=monday,
                         end=monday + dt.timedelta(days=7))
    # three children on a weekday evening: two staff; a night: the sovande jour
    assert all(need[(monday, h)] == 2 for h in range(15, 22))
    assert need[(monday, 23)] == 1
    assert (monday, 11) not in need  # at school
    with pytest.raises(AccessDenied):
        staffing_need(world, caller=manager_of("U01"), unit_id=pattern.unit_id,
                      first=monday, end=monday + dt.timedelta(days=7))


def test_a_planning_run_by_need_staffs_the_planted_evenings_by_two(demo) -> None:  # type: ignore[no-untyped-def]
    _url, world = demo
    dept = _generated()
    (pattern,) = dept.overstaffed_patterns
    group = next(g.id for g in dept.groups if g.unit_id == pattern.unit_id
                 and g.client_id is None)
    evening = shift_key(pattern.start, 450, 0, ShiftKind.ORDINARY)
    monday = dt.date(2026, 10, 5)

    def evenings(extra: dict[str, str | int | float | bool] | None) -> list[int]:
        run = create_run(world, unit_ids=[pattern.unit_id], start=monday, weeks=1,
                         extra=extra)
        plan, data = rebuild_plan(world, run.id)
        assert bool(data.staffing_need) is bool(extra)
        wanted = {(d.day, d.shift): d.preferred for d in plan.instance.demand
                  if d.group == group}
        return [wanted[(day, evening)] for day in range(5)]

    # published shifts the model keeps outside it are taken off either way
    plain, by_need = evenings(None), evenings({"by_need": True})
    assert all(0 < n <= PLANNED_EVENING_STAFF for n in plain)
    assert [a - b for a, b in zip(plain, by_need, strict=True)] == [pattern.extra_staff] * 5


def test_roles_and_unit_scope(demo) -> None:  # type: ignore[no-untyped-def]
    _url, world = demo
    (pattern,) = _generated().overstaffed_patterns
    assert _review(world, SCHEDULER).tables[0].rows
    for refused in (COMMITTEE, CONTROLLER):
        with pytest.raises(AccessDenied):
            _review(world, refused)
    own = _review(world, manager_of(pattern.unit_id))
    assert len(own.tables[0].rows) == 1 and own.tables[0].rows[0][5] > 0
    elsewhere = _review(world, manager_of("U01"))  # personal assistance only: nothing
    assert elsewhere.tables[0].rows == () and elsewhere.tables[2].rows == ()
    with pytest.raises(AccessDenied):
        _review(world, manager_of("U01"), [pattern.unit_id])


def test_cli_csv_and_xlsx(demo, tmp_path: object) -> None:  # type: ignore[no-untyped-def]
    url, _world = demo
    from insats.cli.main import app
    from insats.config import get_settings

    def cli(*args: str):  # type: ignore[no-untyped-def]
        get_settings.cache_clear()
        try:
            return CliRunner().invoke(app, list(args), env={"INSATS_DATABASE_URL": url,
                                                            "COLUMNS": "250"})
        finally:
            get_settings.cache_clear()

    dept = _generated()
    (pattern,) = dept.overstaffed_patterns
    name = next(u.name for u in dept.units if u.id == pattern.unit_id)
    as_csv = cli("review", "density", "--period", "2026-09..2026-10", "--format", "csv")
    assert as_csv.exit_code == 0, as_csv.output
    rows = list(csv.reader(io.StringIO(as_csv.output), delimiter=";"))
    assert any(r[:3] == [name, "måndag", "14–15"] for r in rows)
    assert any(r[:3] == [name, "vardag", "17–18"] for r in rows)
    out = f"{tmp_path}/density.xlsx"
    saved = cli("review", "density", "--period", "2026-09..2026-10", "--format", "xlsx",
                "--out", out)
    assert saved.exit_code == 0, saved.output
    book = load_workbook(out)
    assert book.sheetnames[0] == "Översyn"
    first_table = [[c.value for c in row] for row in book.worksheets[1].iter_rows()]
    assert any(row[0] == name for row in first_table)
