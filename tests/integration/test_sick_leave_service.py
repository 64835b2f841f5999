"""Sick-leave report and follow-up list on a small hand-built department, on each backend:
exact figures, the manager's scope, and the access log.

October 2026 has 31 days and full time is 2400 min/week, so a full-timer's contracted
October is 2400 × 31 / 7 = 10 628,57 min and a sick calendar day 342,86 min. Every
monthly wage is 30 000 kr at 100 %: timlön 173,08 kr, a calendar day's sjuklön 791,22 kr,
karensavdrag 1 107,71 kr (see tests/unit/domain/test_sick_leave.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from insats.domain.access import AccessDenied, Caller, Role, Viewer
from insats.domain.common import Money
from insats.domain.sick_leave import AlertKind, long_term_rate
from insats.services.sick_leave import follow_up_list, sick_leave_report
from insats.services.uow import UnitOfWork
from tests.sick_leave_world import build_sick_leave_world

Factory = Callable[[], UnitOfWork]
OCTOBER = (2026, 10)
ON = dt.date(2026, 10, 20)
HEAD = Caller(Viewer("a1", "avd", "Avdelningschefen", Role.DEPARTMENT_HEAD), route="test")
MANAGER_U01 = Caller(Viewer("a2", "ec1", "Enhetschef 1", Role.UNIT_MANAGER, frozenset({"U01"})),
                     route="test")
SCHEDULER = Caller(Viewer("a3", "sam", "Samordnare", Role.SCHEDULER), route="test")
CONTROLLER = Caller(Viewer("a4", "eko", "Ekonom", Role.CONTROLLER), route="test")


@pytest.fixture
def department(uow_factory: Factory) -> Factory:
    with uow_factory() as uow:
        build_sick_leave_world(uow)
        uow.commit()
    return uow_factory


def test_the_report_gives_each_units_short_and_long_term_rate_and_sick_pay(
        department: Factory) -> None:
    report = sick_leave_report(department, caller=HEAD, month=OCTOBER)

    north, south = report.units
    assert (north.unit_id, north.manager_name) == ("U01", "Maja Chef")
    # U01: E1, M1 full time and E2 at 75 %: 6600 × 31 / 7; E1 sick one day (5 Oct)
    assert north.tally.contracted_minutes == 29_229
    assert north.tally.sick_minutes == north.tally.short_term_sick_minutes == 343
    assert north.occasions == 1
    assert north.sick_pay == Money.kronor("791,22")
    assert north.karens == Money.kronor("791,22")  # capped at the day's sjuklön
    # U02: E3 sick all of October; days 12–14 of the spell (1–3 Oct) are short-term
    assert south.tally.contracted_minutes == 21_257
    assert south.tally.sick_minutes == 10_629
    assert south.tally.short_term_sick_minutes == 1_029
    assert south.tally.rate == pytest.approx(10_629 / 21_257)
    assert long_term_rate(south.tally) == pytest.approx(9_600 / 21_257)
    assert south.occasions == 0  # the spell began in September
    assert south.sick_pay == Money.kronor("791,22").times(3)
    assert south.karens == Money(0)  # the karensavdrag was made in September
    assert report.total.tally.sick_minutes == 343 + 10_629
    assert report.total.sick_pay == Money.kronor("3164,88")


def test_the_follow_up_list_names_who_needs_a_talk_per_manager(department: Factory) -> None:
    lists = follow_up_list(department, caller=HEAD, on=ON)

    north, south = lists
    (eva,) = north.rows
    assert (eva.employee_name, eva.occasions_12_months) == ("Eva Ek", 6)
    assert [a.kind for a in eva.alerts] == [AlertKind.REPEATED]
    assert eva.current is None
    (olof,) = south.rows
    assert {a.kind for a in olof.alerts} == {AlertKind.LONG_SPELL, AlertKind.RETURN_PLAN}
    assert olof.milestones is not None
    assert olof.milestones.certificate_from == dt.date(2026, 9, 27)
    assert olof.milestones.fk_from == dt.date(2026, 10, 4)
    assert olof.milestones.return_plan_due == dt.date(2026, 10, 19)
    plan = next(a for a in olof.alerts if a.kind is AlertKind.RETURN_PLAN)
    assert "försenad" in plan.message  # day 30 was yesterday


def test_five_occasions_give_no_alert(department: Factory) -> None:
    lists = follow_up_list(department, caller=HEAD, on=dt.date(2027, 1, 13))  # Jan 12 is out

    assert [row.employee_id for m in lists for row in m.rows] == []


def test_a_unit_manager_sees_only_their_own_unit(department: Factory) -> None:
    report = sick_leave_report(department, caller=MANAGER_U01, month=OCTOBER)
    lists = follow_up_list(department, caller=MANAGER_U01, on=ON)

    assert [u.unit_id for u in report.units] == ["U01"]
    assert report.total.tally.sick_minutes == 343
    assert [(m.unit_id, [r.employee_id for r in m.rows]) for m in lists] == [("U01", ["E1"])]
    with pytest.raises(AccessDenied):
        sick_leave_report(department, caller=MANAGER_U01, month=OCTOBER, unit_id="U02")
    with pytest.raises(AccessDenied):
        follow_up_list(department, caller=MANAGER_U01, on=ON, unit_id="U02")


def test_only_managers_see_the_follow_up_list_and_the_controller_sees_no_sick_leave(
        department: Factory) -> None:
    assert sick_leave_report(department, caller=SCHEDULER, month=OCTOBER).units
    with pytest.raises(AccessDenied):
        follow_up_list(department, caller=SCHEDULER, on=ON)
    with pytest.raises(AccessDenied):
        sick_leave_report(department, caller=CONTROLLER, month=OCTOBER)


def test_every_read_is_in_the_access_log(department: Factory) -> None:
    before = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)

    sick_leave_report(department, caller=HEAD, month=OCTOBER)
    follow_up_list(department, caller=HEAD, on=ON)

    with department() as uow:
        events = uow.audit.between(before, dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1))
    lines = sorted((e.object_kind, e.object_id or "", e.unit_id or "", e.username, e.action)
                   for e in events)
    assert lines == sorted([
        ("absence", "", "U01", "avd", "read"), ("absence", "", "U02", "avd", "read"),  # report
        ("absence", "", "U01", "avd", "read"), ("absence", "", "U02", "avd", "read"),  # list
        ("absence", "E1", "U01", "avd", "read"), ("absence", "E3", "U02", "avd", "read"),
    ])
