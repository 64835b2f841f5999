"""Retention (gallring, issue 9.5): with the shipped limits, a record just inside its limit
is kept and one just outside is removed (or anonymised), for each record type, on SQLite
and PostgreSQL; a dry run changes nothing; a run is logged in the append-only
retention_runs table; the access log's guard is back after a run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from click.testing import Result
from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.exc import DBAPIError

from insats.db import backup as snapshot
from insats.db.models import (
    AbsenceRow,
    AccountRow,
    AuditEventRow,
    ClientRow,
    LoginFailureRow,
    PlannedShiftRow,
    PlanningRunRow,
    RetentionRunRow,
    TimeEntryRow,
    WebSessionRow,
)
from insats.domain.access import AccessDenied
from insats.domain.common import Period
from insats.domain.personnummer import IdentityKind
from insats.domain.retention import RecordType
from insats.domain.rules import bundled_parameters
from insats.domain.scheduling import ShiftStatus
from insats.services import retention
from insats.services.uow import UnitOfWork
from tests.builders import (
    a_client,
    a_decision,
    a_department,
    a_group,
    a_provider,
    a_shift,
    a_time_entry,
    a_unit,
    an_absence,
    an_employee,
    make_identity,
    stockholm,
)
from tests.callers import HEAD, SCHEDULER

Factory = Callable[[], UnitOfWork]
UTC = dt.UTC


def d(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, day)


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0,
       second: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=UTC)


@pytest.fixture
def world(uow_factory: Factory) -> Factory:
    """One unit with two clients: C0001's only decision ends (exclusive) 2026-06-15, so its
    last day is 14 June; C0002's ends 2026-06-16 (last day 15 June)."""
    with uow_factory() as uow:
        uow.rules.add_many(bundled_parameters())
        uow.organisation.add_many([a_department(), a_unit()])
        uow.providers.add_many([a_provider()])
        uow.clients.add_many([
            a_client(),
            a_client(id="C0002", pseudonym="B-0002", given_name="Olle",
                     identity=make_identity(dt.date(1990, 6, 1), 456))])
        uow.staff.add_many([an_employee()])
        uow.decisions.add_many([
            a_decision(period=Period(d(2026, 1, 1), d(2026, 6, 15))),
            a_decision(id="BE0002", client_id="C0002",
                       period=Period(d(2026, 1, 1), d(2026, 6, 16)))])
        uow.scheduling.add_many([a_group()])
        uow.commit()
    return uow_factory


def run(factory: Factory, as_of: dt.date, *, dry_run: bool = False
        ) -> retention.RetentionRunReport:
    return retention.run_retention(factory, HEAD, as_of=as_of, dry_run=dry_run,
                                   now=at(2040, 1, 1, 12))


def counts_of(report: retention.RetentionRunReport, record_type: RecordType) -> dict[str, int]:
    return next(i.counts for i in report.items if i.limit.record_type is record_type)


def ids(engine: Engine, column: object) -> set[str]:
    with engine.connect() as connection:
        return set(connection.execute(select(column)).scalars())  # type: ignore[call-overload]


# --- each record type: just inside kept, just outside removed ---------------------------------
def test_time_reports_are_kept_through_the_seventh_year_after_the_calendar_year(
    world: Factory, engine: Engine
) -> None:
    with world() as uow:
        uow.time_reports.add_many([
            a_time_entry(id="OUT", start=stockholm(2026, 12, 31, 7),
                         end=stockholm(2026, 12, 31, 15)),
            a_time_entry(id="IN", start=stockholm(2027, 1, 1, 7),
                         end=stockholm(2027, 1, 1, 15))])
        uow.commit()

    report = run(world, d(2033, 12, 31))  # 2026 + 7 = 2033: both still kept
    assert counts_of(report, RecordType.TIME_REPORTS) == {"time_entries": 0}
    report = run(world, d(2034, 1, 1))  # cutoff 2027-01-01
    assert counts_of(report, RecordType.TIME_REPORTS) == {"time_entries": 1}
    assert ids(engine, TimeEntryRow.id) == {"IN"}


def test_absences_are_kept_through_the_seventh_year_after_their_last_day(
    world: Factory, engine: Engine
) -> None:
    with world() as uow:
        uow.absences.add_many([
            an_absence(id="OUT", period=Period(d(2026, 12, 20), d(2027, 1, 1))),  # last 31 Dec
            an_absence(id="IN", period=Period(d(2026, 12, 20), d(2027, 1, 2)))])  # last 1 Jan
        uow.commit()

    report = run(world, d(2034, 1, 1))  # cutoff 2027-01-01
    assert counts_of(report, RecordType.ABSENCES) == {"cover_bookings": 0, "absences": 1}
    assert ids(engine, AbsenceRow.id) == {"IN"}


def test_schedules_go_after_two_years_unless_a_time_report_refers_to_them(
    world: Factory, engine: Engine
) -> None:
    with world() as uow:
        uow.scheduling.add_many([
            a_shift(id="OUT", start=stockholm(2026, 6, 14, 7), end=stockholm(2026, 6, 14, 15)),
            a_shift(id="IN", start=stockholm(2026, 6, 15, 7), end=stockholm(2026, 6, 15, 15)),
            a_shift(id="WORKED", start=stockholm(2026, 6, 10, 7),
                    end=stockholm(2026, 6, 10, 15))])
        uow.time_reports.add_many([a_time_entry(
            start=stockholm(2026, 6, 10, 7), end=stockholm(2026, 6, 10, 15),
            planned_shift_id="WORKED")])
        uow.commit()

    report = run(world, d(2028, 6, 15))  # two years: cutoff 2026-06-15
    assert counts_of(report, RecordType.SCHEDULES) == {"cover_bookings": 0, "planned_shifts": 1}
    assert ids(engine, PlannedShiftRow.id) == {"IN", "WORKED"}


def _planning_run(engine: Engine, run_id: str, created_at: dt.datetime) -> None:
    with engine.begin() as connection:
        connection.execute(insert(PlanningRunRow.__table__).values(
            id=run_id, kind="plan", unit_ids=["U01"], period_start=d(2026, 7, 1),
            period_end=d(2026, 8, 1), parameters={}, seed=1, time_limit=1.0,
            status="klar", penalties={}, explanation=[], breaches=[], progress=[],
            basis={}, released=[], created_at=created_at, version=1))


def test_planning_runs_go_after_a_year_with_their_proposals_but_not_published_shifts(
    world: Factory, engine: Engine
) -> None:
    _planning_run(engine, "OUT", at(2026, 6, 14, 23, 59, 59))
    _planning_run(engine, "IN", at(2026, 6, 15))
    _planning_run(engine, "PUBLISHED", at(2026, 6, 1))
    with world() as uow:
        uow.scheduling.add_many([
            a_shift(id="P-OUT", start=stockholm(2027, 7, 1, 7), end=stockholm(2027, 7, 1, 15),
                    status=ShiftStatus.PROPOSED),
            a_shift(id="P-IN", start=stockholm(2027, 7, 2, 7), end=stockholm(2027, 7, 2, 15),
                    status=ShiftStatus.PROPOSED),
            a_shift(id="PUB", start=stockholm(2027, 7, 3, 7), end=stockholm(2027, 7, 3, 15))])
        uow.commit()
    with engine.begin() as connection:
        for shift_id, run_id in (("P-OUT", "OUT"), ("P-IN", "IN"), ("PUB", "PUBLISHED")):
            connection.execute(PlannedShiftRow.__table__.update()
                               .where(PlannedShiftRow.id == shift_id)
                               .values(planning_run_id=run_id))

    report = run(world, d(2027, 6, 15))  # one year: cutoff 2026-06-15 00:00 UTC
    assert counts_of(report, RecordType.PLANNING_RUNS) == {"planning_runs": 1,
                                                           "planned_shifts": 1}
    assert ids(engine, PlanningRunRow.id) == {"IN", "PUBLISHED"}
    assert ids(engine, PlannedShiftRow.id) == {"P-IN", "PUB"}


def test_clients_are_anonymised_five_years_after_their_last_decision_ended(
    world: Factory, engine: Engine
) -> None:
    report = run(world, d(2031, 6, 15))  # cutoff 2026-06-15: C0001's last day 14 June
    assert counts_of(report, RecordType.CLIENTS) == {"clients": 1}
    with engine.connect() as connection:
        rows = {row.id: row for row in connection.execute(select(ClientRow))}
    gone = rows["C0001"]
    assert (gone.given_name, gone.family_name, gone.address) == ("Anonymiserad", "", "")
    assert gone.identity_number == "ANONB0001"
    assert gone.identity_kind == IdentityKind.RESERVNUMMER
    assert (gone.latitude, gone.longitude) == (None, None)
    assert gone.pseudonym == "B-0001" and gone.unit_id == "U01"
    assert rows["C0002"].given_name == "Olle"
    with world() as uow:  # the anonymised client still reads as a client
        assert uow.clients.get("C0001").identity.kind is IdentityKind.RESERVNUMMER

    again = run(world, d(2031, 6, 16))  # C0002 now; C0001 is not counted twice
    assert counts_of(again, RecordType.CLIENTS) == {"clients": 1}


def _access_log(engine: Engine, *moments: dt.datetime) -> None:
    with engine.begin() as connection:
        for moment in moments:
            connection.execute(insert(AuditEventRow.__table__).values(
                at=moment, account_id="a1", username="chef", role="avdelningschef",
                action="read", object_kind="client", object_id="C0001", client_id="C0001",
                unit_id="U01", remote_addr="lokal", route="/clients/C0001"))


def test_the_access_log_goes_after_five_years_and_stays_append_only(
    world: Factory, engine: Engine
) -> None:
    _access_log(engine, at(2026, 6, 14, 23, 59, 59), at(2026, 6, 15))

    report = run(world, d(2031, 6, 15))  # cutoff 2026-06-15 00:00 UTC
    assert counts_of(report, RecordType.ACCESS_LOG) == {"audit_events": 1}
    with engine.connect() as connection:
        assert connection.execute(select(AuditEventRow.at)).scalars().all() == [at(2026, 6, 15)]
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
        connection.execute(AuditEventRow.__table__.delete())


def test_sign_ins_go_after_365_days(world: Factory, engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(insert(AccountRow.__table__).values(
            id="a1", username="chef", display_name="Chef", role="avdelningschef",
            password_hash="x", active=True, created_at=at(2026, 1, 1), version=1))
        connection.execute(insert(LoginFailureRow.__table__), [
            {"username": "x", "remote_addr": "1", "at": at(2026, 6, 14, 23, 59)},
            {"username": "x", "remote_addr": "1", "at": at(2026, 6, 15)}])
        connection.execute(insert(WebSessionRow.__table__), [
            {"token_hash": name * 64, "account_id": "a1", "csrf_token": "c",
             "created_at": at(2026, 6, 1), "last_seen_at": seen, "ended_at": None,
             "remote_addr": "1"}
            for name, seen in (("o", at(2026, 6, 14, 23, 59)), ("i", at(2026, 6, 15)))])

    report = run(world, d(2027, 6, 15))  # 365 days: cutoff 2026-06-15
    assert counts_of(report, RecordType.SIGN_IN_LOG) == {"login_failures": 1,
                                                         "web_sessions": 1}
    assert ids(engine, LoginFailureRow.at) == {at(2026, 6, 15)}
    assert ids(engine, WebSessionRow.token_hash) == {"i" * 64}


# --- the run as a whole -----------------------------------------------------------------
def test_a_dry_run_counts_what_a_run_removes_and_changes_nothing(
    world: Factory, engine: Engine
) -> None:
    with world() as uow:
        uow.time_reports.add_many([a_time_entry()])
        uow.absences.add_many([an_absence()])
        uow.commit()
    _access_log(engine, at(2026, 3, 2))
    with engine.connect() as connection:
        before = snapshot.table_digests(connection)

    dry = run(world, d(2040, 1, 1), dry_run=True)

    with engine.connect() as connection:
        assert snapshot.table_digests(connection) == before
    assert dry.run_id is None and dry.total == 5
    assert counts_of(dry, RecordType.TIME_REPORTS) == {"time_entries": 1}
    assert counts_of(dry, RecordType.ABSENCES) == {"cover_bookings": 0, "absences": 1}
    assert counts_of(dry, RecordType.CLIENTS) == {"clients": 2}
    assert counts_of(dry, RecordType.ACCESS_LOG) == {"audit_events": 1}
    assert retention.run_log(world, HEAD) == []
    real = run(world, d(2040, 1, 1))
    assert [i.counts for i in real.items] == [i.counts for i in dry.items]


def test_a_run_is_logged_and_the_log_cannot_be_changed(world: Factory, engine: Engine) -> None:
    with world() as uow:
        uow.time_reports.add_many([a_time_entry()])
        uow.commit()

    report = run(world, d(2034, 1, 1))

    log = retention.run_log(world, HEAD)
    assert [entry.id for entry in log] == [report.run_id]
    entry = log[0]
    assert entry.ran_by == "chef (test)" and entry.as_of == d(2034, 1, 1)
    assert entry.ran_at == at(2040, 1, 1, 12)
    by_type = {item["record_type"]: item for item in entry.items}
    assert set(by_type) == {t.value for t in RecordType}
    assert by_type["time_reports"] == {
        "record_type": "time_reports", "action": "remove", "limit": 7, "unit": "years",
        "valid_from": "2019-01-01", "source": by_type["time_reports"]["source"],
        "certainty": "uncertain", "cutoff": "2027-01-01", "counts": {"time_entries": 1}}
    assert "2018:597" in by_type["time_reports"]["source"]
    for statement in ("DELETE FROM retention_runs", "UPDATE retention_runs SET ran_by = 'x'"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(
            RetentionRunRow)).scalar_one() == 1


def test_a_corrected_limit_applies(world: Factory, engine: Engine) -> None:
    from insats.domain.rules import Certainty, ParameterUnit, RuleParameter
    from insats.services import rules

    with world() as uow:
        uow.time_reports.add_many([a_time_entry()])  # worked 2 March 2026
        uow.commit()
    rules.set_parameter(world, RuleParameter(
        "retention.time_reports", d(2019, 1, 1), 10, ParameterUnit.YEARS,
        "Kommunens dokumenthanteringsplan 2026", Certainty.CONFIRMED))

    assert counts_of(run(world, d(2034, 1, 1)), RecordType.TIME_REPORTS) == {
        "time_entries": 0}
    assert counts_of(run(world, d(2037, 1, 1)), RecordType.TIME_REPORTS) == {
        "time_entries": 1}


def test_only_the_department_head_runs_retention(world: Factory) -> None:
    with pytest.raises(AccessDenied):
        retention.run_retention(world, SCHEDULER, as_of=d(2040, 1, 1))
    with pytest.raises(AccessDenied):
        retention.run_log(world, SCHEDULER)


def test_the_command_runs_dry_and_for_real(
    world: Factory, engine: Engine, cli: Callable[..., Result]
) -> None:
    with world() as uow:
        uow.time_reports.add_many([a_time_entry()])
        uow.commit()

    dry = cli("retention", "run", "--as-of", "2034-01-01", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "ingenting ändrades" in dry.output and "1 tidrapporter" in dry.output
    assert ids(engine, TimeEntryRow.id) == {"TE0001"}
    real = cli("retention", "run", "--as-of", "2034-01-01")
    assert real.exit_code == 0, real.output
    assert "loggad som nummer" in real.output
    assert ids(engine, TimeEntryRow.id) == set()
    listed = cli("retention", "rules", "--on", "2034-01-01")
    assert listed.exit_code == 0 and "retention.access_log" in listed.output
    logged = cli("retention", "log")
    assert logged.exit_code == 0 and "cli (insats retention run)" in logged.output
