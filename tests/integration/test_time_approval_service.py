"""Time-report checks and the approval queue from the database (both backends).

October 2026. Unit U01 has client C0001 (group G0001, decision 60 h a week); unit U02 has
client C0002 (group G0002). E1 works full time, E100 is the anhörigvårdare of C0001.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from click.testing import Result

from insats.db.repositories import time_checks as time_checks_queries
from insats.db.repositories._base import StaleVersionError
from insats.db.repositories.time_checks import entries_of_groups
from insats.domain.access import AccessDenied, Caller, Role, Viewer
from insats.domain.common import DomainError, Money, Period
from insats.domain.time_checks import FlagCode, counting
from insats.domain.time_reports import TimeEntryStatus, TimeKind
from insats.services import time_approval
from insats.services.rules import add_missing_bundled_parameters
from insats.services.time_approval import (
    CorrectionInputError,
    attest,
    check_time_reports,
    correct,
    correct_from_input,
    flags_of,
    reject,
)
from insats.services.uow import UnitOfWork
from tests.builders import (
    a_client,
    a_decision,
    a_department,
    a_group,
    a_provider,
    a_relative_carer,
    a_shift,
    a_time_entry,
    a_unit,
    an_employee,
    stockholm,
)

OCTOBER = dt.date(2026, 10, 1)
HEAD = Caller(Viewer("a1", "chef", "Avdelningschef", Role.DEPARTMENT_HEAD), route="test")
MANAGER_U01 = Caller(Viewer("a2", "ec1", "Enhetschef 1", Role.UNIT_MANAGER,
                            frozenset({"U01"})), route="test")
MANAGER_U02 = Caller(Viewer("a3", "ec2", "Enhetschef 2", Role.UNIT_MANAGER,
                            frozenset({"U02"})), route="test")
SCHEDULER = Caller(Viewer("a4", "sam", "Samordnare", Role.SCHEDULER), route="test")


def entry(id: str, employee: str, day: int, begin: int, finish: int, **extra: object) -> object:
    return a_time_entry(id=id, employee_id=employee, start=stockholm(2026, 10, day, begin),
                        end=stockholm(2026, 10, day, finish),
                        reported_on=dt.date(2026, 10, day), **extra)


@pytest.fixture
def world(uow_factory: Callable[[], UnitOfWork]) -> Callable[[], UnitOfWork]:
    with uow_factory() as uow:
        add_missing_bundled_parameters(uow)
        uow.organisation.add_many([a_department(), a_unit(id="U01"),
                                   a_unit(id="U02", name="Enhet två")])
        uow.providers.add(a_provider())
        uow.clients.add_many([a_client(), a_client(id="C0002", pseudonym="B-0002",
                                                   unit_id="U02")])
        uow.decisions.add_many([a_decision(), a_decision(id="BE0002", client_id="C0002")])
        uow.staff.add_many([
            an_employee(id="E1", employment_percent=100, monthly_wage=Money.kronor(30_000)),
            a_relative_carer(id="E100"),
        ])
        uow.scheduling.add_many([a_group(), a_group(id="G0002", unit_id="U02",
                                                    client_id="C0002", name="Grupp 2")])
        uow.time_reports.add_many([
            entry("T1", "E1", 5, 7, 15),  # clean
            entry("T2", "E100", 5, 16, 22),  # anhörigvårdare claiming OB
            entry("T3", "E1", 6, 7, 21),  # 14 h: shift length (and daily rest)
            entry("T4", "E1", 8, 7, 15, kind=TimeKind.OVERTIME, ob_claimed=False),  # no cover
            entry("T5", "E1", 9, 7, 15, group_id="G0002", client_id="C0002"),  # unit U02
        ])
        uow.commit()
    return uow_factory


def audit_lines(factory: Callable[[], UnitOfWork], action: str) -> list[tuple[str, str]]:
    with factory() as uow:
        events = uow.audit.between(dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
                                   dt.datetime(2100, 1, 1, tzinfo=dt.UTC))
    return sorted((e.username, e.object_id or "") for e in events
                  if e.action == action and e.object_kind == "time_entry")


def test_the_queue_of_a_unit_with_flags_and_read_log(world: Callable[[], UnitOfWork]) -> None:
    result = check_time_reports(world, caller=MANAGER_U01, month=OCTOBER)
    flags = {c.entry.id: {f.code for f in c.flags} for c in result.entries}
    assert flags == {
        "T1": set(),
        "T2": {FlagCode.OB_NOT_GIVEN},
        "T3": {FlagCode.SHIFT_LENGTH, FlagCode.DAILY_REST},
        "T4": {FlagCode.OVERTIME_NO_COVER},
    }
    assert result.unit_ids == ("U01",)
    assert result.counts()[FlagCode.OB_NOT_GIVEN] == 1
    assert audit_lines(world, "read") == [("ec1", f"T{i}") for i in range(1, 5)]


def test_overtime_is_covered_only_by_an_open_shift_during_it(
        world: Callable[[], UnitOfWork]) -> None:
    """The overtime T4 (8 October 07–15) has no cover from an open shift earlier that day in
    its group, nor from one at the same time in another group; an open shift of its group
    that overlaps it by an hour covers it."""
    def no_cover() -> bool:
        result = check_time_reports(world, caller=HEAD, month=OCTOBER)
        t4 = next(c for c in result.entries if c.entry.id == "T4")
        return FlagCode.OVERTIME_NO_COVER in {f.code for f in t4.flags}

    with world() as uow:
        uow.scheduling.add_many([
            a_shift(id="S1", employee_id=None, start=stockholm(2026, 10, 8, 1),
                    end=stockholm(2026, 10, 8, 7)),
            a_shift(id="S2", group_id="G0002", employee_id=None,
                    start=stockholm(2026, 10, 8, 7), end=stockholm(2026, 10, 8, 15)),
        ])
        uow.commit()
    assert no_cover()
    with world() as uow:
        uow.scheduling.add_many([a_shift(id="S3", employee_id=None,
                                         start=stockholm(2026, 10, 8, 14),
                                         end=stockholm(2026, 10, 8, 22))])
        uow.commit()
    assert not no_cover()


@pytest.mark.parametrize("unread_limit", [2000, 0], ids=["named", "filtered"])
def test_the_employees_time_in_another_units_group_is_context_of_the_queue(
        world: Callable[[], UnitOfWork], unread_limit: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """E1's time in U02's group, in the month and in the week after it, is read as the
    context of U01's queue (the overlap with T1 and the short rest before T7 are found),
    whether the unread groups are named in the query or filtered after reading; and
    nothing U01's queue already read is counted twice (no duplicate flags)."""
    monkeypatch.setattr(time_checks_queries, "UNREAD_LIMIT", unread_limit)
    with world() as uow:
        uow.time_reports.add_many([
            entry("T6", "E1", 5, 12, 18, group_id="G0002", client_id="C0002"),
            entry("T7", "E1", 31, 7, 15),
            a_time_entry(id="T8", employee_id="E1", group_id="G0002", client_id="C0002",
                         start=stockholm(2026, 10, 31, 20), end=stockholm(2026, 11, 1, 2),
                         reported_on=dt.date(2026, 11, 1)),
        ])
        uow.commit()
    result = check_time_reports(world, caller=MANAGER_U01, month=OCTOBER)
    flags = {c.entry.id: {f.code for f in c.flags} for c in result.entries}
    assert flags["T1"] == {FlagCode.OVERLAP}
    assert FlagCode.DAILY_REST in flags["T7"]
    assert not any(FlagCode.DUPLICATE in codes for codes in flags.values())
    assert "T6" not in flags and "T8" not in flags  # another unit's entries: not in the queue


@pytest.mark.parametrize("batch_groups", [1, 40])
def test_a_check_that_read_every_group_reads_no_entry_twice(
        world: Callable[[], UnitOfWork], batch_groups: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Every group's month read (the head's queue, a unit at a time or both in one batch,
    and the department in one check): the overlap across units is flagged on both
    entries, once, and the time after the month still counts (the short rest before T8)."""
    monkeypatch.setattr(time_approval, "BATCH_GROUPS", batch_groups)
    with world() as uow:
        uow.time_reports.add_many([
            entry("T6", "E1", 5, 12, 18, group_id="G0002", client_id="C0002"),
            a_time_entry(id="T8", employee_id="E1", group_id="G0002", client_id="C0002",
                         start=stockholm(2026, 11, 1, 2), end=stockholm(2026, 11, 1, 9),
                         reported_on=dt.date(2026, 11, 1)),
            entry("T9", "E1", 31, 12, 20),
        ])
        uow.commit()
    result = check_time_reports(world, caller=HEAD, month=OCTOBER)
    by_unit = {c.entry.id: [f.code for f in c.flags] for c in result.entries}
    month = Period.month(2026, 10)
    with world() as uow:
        groups = ["G0001", "G0002"]
        read = entries_of_groups(uow.session, groups, stockholm(2026, 10, 1),
                                 stockholm(2026, 11, 1))
        at_once = {i: [f.code for f in found] for i, found in flags_of(
            uow, counting(read), month, known=read, read_groups=groups).items()}
    for flags in (by_unit, at_once):
        assert flags["T1"] == [FlagCode.OVERLAP] and flags["T6"] == [FlagCode.OVERLAP]
        assert flags["T9"] == [FlagCode.DAILY_REST]


def test_a_unit_manager_cannot_check_or_attest_another_unit(
        world: Callable[[], UnitOfWork]) -> None:
    with pytest.raises(AccessDenied):
        check_time_reports(world, caller=MANAGER_U02, month=OCTOBER, unit_ids=["U01"])
    with pytest.raises(AccessDenied):
        attest(world, caller=MANAGER_U02, entry_ids=["T1"])
    with pytest.raises(AccessDenied):
        attest(world, caller=SCHEDULER, entry_ids=["T5"])
    with world() as uow:
        assert uow.time_reports.get("T1").status is TimeEntryStatus.REPORTED  # type: ignore[union-attr]
    assert ("ec2", "T1") in audit_lines(world, "denied")


def test_attest_refuses_flagged_entries_without_a_reason_and_then_freezes_them(
        world: Callable[[], UnitOfWork]) -> None:
    with pytest.raises(DomainError, match="T2"):
        attest(world, caller=MANAGER_U01, entry_ids=["T1", "T2"])
    with world() as uow:
        assert uow.time_reports.get("T1").status is TimeEntryStatus.REPORTED  # type: ignore[union-attr]
    done = attest(world, caller=MANAGER_U01, entry_ids=["T1", "T2"],
                  override_reason="Avtalat med lönekontoret")
    assert done.attested == ["T1", "T2"] and list(done.flagged) == ["T2"]
    with world() as uow:
        t1, t2 = uow.time_reports.get("T1"), uow.time_reports.get("T2")
        assert t1 is not None and t2 is not None
        assert t1.status is TimeEntryStatus.ATTESTED and t1.attested_by == "ec1"
        assert "Avtalat med lönekontoret" in t2.comment
    assert ("ec1", "T1") in audit_lines(world, "update")
    with pytest.raises(DomainError):
        reject(world, caller=MANAGER_U01, entry_id="T1", reason="fel")
    with pytest.raises(DomainError):
        attest(world, caller=MANAGER_U01, entry_ids=["T1"])
    queue = check_time_reports(world, caller=MANAGER_U01, month=OCTOBER)
    assert {c.entry.id for c in queue.entries} == {"T3", "T4"}


def test_a_correction_is_a_new_row_and_the_attested_one_stays(
        world: Callable[[], UnitOfWork]) -> None:
    attest(world, caller=HEAD, entry_ids=["T1"])
    new = correct(world, caller=MANAGER_U01, entry_id="T1", start=stockholm(2026, 10, 5, 8),
                  end=stockholm(2026, 10, 5, 15), break_minutes=0, reason="Kom 08",
                  today=dt.date(2026, 10, 20))
    with world() as uow:
        old = uow.time_reports.get("T1")
        stored = uow.time_reports.get(new.id)
    assert old is not None and old.status is TimeEntryStatus.ATTESTED
    assert old.start == stockholm(2026, 10, 5, 7)
    assert stored is not None and stored.corrects_entry_id == "T1"
    assert stored.status is TimeEntryStatus.REPORTED and stored.worked.value == 420
    assert ("ec1", new.id) in audit_lines(world, "create")
    with pytest.raises(DomainError, match="redan rättad"):
        correct(world, caller=MANAGER_U01, entry_id="T1", start=stockholm(2026, 10, 5, 9),
                end=stockholm(2026, 10, 5, 15), break_minutes=0, reason="igen")
    queue = check_time_reports(world, caller=MANAGER_U01, month=OCTOBER)
    assert new.id in {c.entry.id for c in queue.entries}


def test_an_entry_corrected_to_another_week_is_still_corrected_once(
        world: Callable[[], UnitOfWork]) -> None:
    """A wrong date is corrected to one three weeks later: the entry is corrected all the
    same, wherever the new row lies."""
    correct(world, caller=MANAGER_U01, entry_id="T1", start=stockholm(2026, 10, 26, 7),
            end=stockholm(2026, 10, 26, 15), break_minutes=0, reason="Fel datum",
            today=dt.date(2026, 10, 27))
    with pytest.raises(DomainError, match="redan rättad"):
        correct(world, caller=MANAGER_U01, entry_id="T1", start=stockholm(2026, 10, 5, 9),
                end=stockholm(2026, 10, 5, 15), break_minutes=0, reason="igen")


def test_reject_keeps_the_reason(world: Callable[[], UnitOfWork]) -> None:
    with pytest.raises(DomainError):
        reject(world, caller=MANAGER_U01, entry_id="T4", reason="  ")
    reject(world, caller=MANAGER_U01, entry_id="T4", reason="Ingen beordrad övertid")
    with world() as uow:
        stored = uow.time_reports.get("T4")
    assert stored is not None and stored.status is TimeEntryStatus.REJECTED
    assert "Ingen beordrad övertid" in stored.comment


def test_a_concurrent_change_is_refused(world: Callable[[], UnitOfWork]) -> None:
    with world() as uow:
        uow.time_reports.get("T1")
        version = uow.time_reports._read_versions[("T1",)]
    reject(world, caller=MANAGER_U01, entry_id="T4", reason="x")
    attest(world, caller=MANAGER_U01, entry_ids=["T1"], versions={"T1": version})
    with pytest.raises(StaleVersionError):
        reject(world, caller=MANAGER_U01, entry_id="T3", reason="x", version=version + 5)


def test_cli_check_and_attest(world: Callable[[], UnitOfWork],
                              cli: Callable[..., Result]) -> None:
    checked = cli("time", "check", "--month", "2026-10")
    assert checked.exit_code == 0, checked.output
    assert "OB utan grund" in checked.output and "anhörigvårdare" in checked.output
    assert "För långt arbetspass" in checked.output
    assert "Kontrollerade" in checked.output and "5" in checked.output
    done = cli("time", "attest", "--unit", "U01", "--month", "2026-10", "--all-clean")
    assert done.exit_code == 0, done.output
    assert "Attesterade 1 tidrader" in done.output
    refused = cli("time", "attest", "--unit", "U01", "--month", "2026-10", "--entry", "T2")
    assert refused.exit_code != 0 and "--force" in str(refused.exception)
    forced = cli("time", "attest", "--unit", "U01", "--month", "2026-10", "--entry", "T2",
                 "--force", "Avtalat")
    assert forced.exit_code == 0, forced.output
    with world() as uow:
        assert uow.time_reports.get("T1").is_attested  # type: ignore[union-attr]
        assert uow.time_reports.get("T2").is_attested  # type: ignore[union-attr]
        assert not uow.time_reports.get("T3").is_attested  # type: ignore[union-attr]


def test_a_correction_from_typed_input_names_each_wrong_field_and_writes_nothing(
        world: Callable[[], UnitOfWork]) -> None:
    with pytest.raises(CorrectionInputError) as invalid:
        correct_from_input(world, caller=MANAGER_U01, entry_id="T3",
                           start="2026-10-06 21:00", end="2026-10-06 07:00",
                           break_minutes="-5", reason=" ")
    assert set(invalid.value.errors) == {"end", "break_minutes", "reason"}
    with pytest.raises(CorrectionInputError) as too_long_break:
        correct_from_input(world, caller=MANAGER_U01, entry_id="T3",
                           start="2026-10-06T07:00", end="2026-10-06T08:00",
                           break_minutes="60", reason="Rast")
    assert set(too_long_break.value.errors) == {"break_minutes"}
    with pytest.raises(CorrectionInputError) as unreadable:
        correct_from_input(world, caller=MANAGER_U01, entry_id="T3", start="i morse",
                           end="", break_minutes="0", reason="x")
    assert set(unreadable.value.errors) == {"start", "end"}
    assert len(check_time_reports(world, caller=HEAD, month=OCTOBER).entries) == 5
    new = correct_from_input(world, caller=MANAGER_U01, entry_id="T3",
                             start="2026-10-06T07:00", end="2026-10-06T19:00",
                             break_minutes="30", reason="Passet var 12 timmar")
    assert (new.start, new.end, new.break_minutes) == (
        stockholm(2026, 10, 6, 7), stockholm(2026, 10, 6, 19), 30)
    assert new.corrects_entry_id == "T3" and "Passet var 12 timmar" in new.comment


def test_cli_correct_and_reject(world: Callable[[], UnitOfWork],
                                cli: Callable[..., Result]) -> None:
    wrong = cli("time", "correct", "T3", "--start", "2026-10-06 07:00", "--end",
                "2026-10-06 06:00", "--reason", "x")
    assert wrong.exit_code != 0 and "--end" in str(wrong.exception)
    done = cli("time", "correct", "T3", "--start", "2026-10-06 07:00", "--end",
               "2026-10-06 19:00", "--break", "30", "--reason", "Passet var 12 timmar")
    assert done.exit_code == 0, done.output
    assert "Tidrad T3 rättades" in done.output and "2026-10-06 07:00–19:00" in done.output
    rejected = cli("time", "reject", "T4", "--reason", "Ingen beordrad övertid")
    assert rejected.exit_code == 0, rejected.output
    with world() as uow:
        old = uow.time_reports.get("T3")
        t4 = uow.time_reports.get("T4")
    assert old is not None and old.status is TimeEntryStatus.REPORTED
    assert t4 is not None and t4.status is TimeEntryStatus.REJECTED
    queue = check_time_reports(world, caller=HEAD, month=OCTOBER)
    ids = {c.entry.id for c in queue.entries}
    assert "T3" not in ids and "T4" not in ids
    assert any(c.entry.corrects_entry_id == "T3" for c in queue.entries)
