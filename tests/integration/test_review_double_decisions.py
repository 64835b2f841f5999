"""The double-decisions review on a small hand-built department: a client with personal
assistance and korttidsvistelse (one weekend without a reason, one with), a client with
ledsagarservice and personal assistance (a conflict), and clients that are neither;
roles, scope, the access log and the command line."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable

import pytest
from click.testing import Result

from insats.domain.access import AccessDenied, Caller, Role, Viewer
from insats.domain.common import DomainError, Period
from insats.domain.decisions import DecidedBy, Decision, Insats, LegalBasis, Payer
from insats.domain.organisation import UnitKind
from insats.domain.personnummer import make_identity
from insats.domain.stays import ClientStay, StayKind
from insats.services.review_catalogue import available_reviews
from insats.services.rules import add_missing_bundled_parameters, rule_value
from insats.services.uow import UnitOfWork
from tests.builders import (
    a_client,
    a_decision,
    a_department,
    a_group,
    a_provider,
    a_time_entry,
    a_unit,
    an_hourly_substitute,
    stockholm,
)
from tests.callers import HEAD, SCHEDULER, manager_of, review_runner

MANAGER_U01 = manager_of("U01")
MANAGER_U02 = manager_of("U02", username="ec2")
MANAGER_KTV = manager_of("U05", username="ec5")
SPRING = Period(dt.date(2026, 3, 1), dt.date(2026, 5, 1))
REASON = "Egen assistent behövs för kommunikationen"


def lss(insats: Insats, **overrides: object) -> Decision:
    weekly = 300 if insats is Insats.COMPANION_SERVICE else None
    return a_decision(**{"legal_basis": LegalBasis.LSS, "insats": insats,
                         "decided_by": DecidedBy.MUNICIPALITY, "payer": Payer.MUNICIPALITY,
                         "granted_minutes_per_week": weekly, **overrides})


def weekend(id: str, client_id: str, friday: int, reason: str = "") -> ClientStay:
    return ClientStay(id, client_id, StayKind.SHORT_TERM_STAY, stockholm(2026, 3, friday, 15),
                      stockholm(2026, 3, friday + 2, 15), reason=reason, unit_id="U05")


run = review_runner("double-decisions", SPRING.start, dt.date(2026, 5, 1),
                    dt.date(2026, 6, 1))


@pytest.fixture
def world(uow_factory: Callable[[], UnitOfWork]) -> Callable[[], UnitOfWork]:
    with uow_factory() as uow:
        add_missing_bundled_parameters(uow)
        uow.organisation.add_many([
            a_department(),
            a_unit(id="U01", name="Personlig assistans Norr"),
            a_unit(id="U02", name="Personlig assistans Söder", cost_centre="4102"),
            a_unit(id="U05", name="Korttidshemmet", kind=UnitKind.SHORT_TERM_STAY,
                   cost_centre="4105"),
        ])
        uow.providers.add(a_provider())
        uow.clients.add_many([
            a_client(),
            a_client(id="C0002", pseudonym="B-0002", unit_id="U02",
                     identity=make_identity(dt.date(1990, 2, 2), 202)),
            a_client(id="C0003", pseudonym="B-0003", unit_id="U02",
                     identity=make_identity(dt.date(1991, 3, 3), 303)),
            a_client(id="C0004", pseudonym="B-0004", unit_id="U01",
                     identity=make_identity(dt.date(2012, 4, 4), 404)),
            a_client(id="C0005", pseudonym="B-0005", unit_id="U01",
                     identity=make_identity(dt.date(2013, 5, 5), 505)),
        ])
        uow.decisions.add_many([
            # B-0001: assistance paid by FK and korttidsvistelse, both in force all spring
            a_decision(id="BE0001"),
            lss(Insats.SHORT_TERM_STAY, id="BE0002", period=Period(dt.date(2026, 1, 1))),
            # B-0002: ledsagarservice from April on top of (municipal) assistance: an error
            lss(Insats.PERSONAL_ASSISTANCE, id="BE0003", client_id="C0002",
                period=Period(dt.date(2026, 1, 1)), granted_minutes_per_week=600),
            lss(Insats.COMPANION_SERVICE, id="BE0004", client_id="C0002",
                period=Period(dt.date(2026, 4, 1))),
            # B-0003 ledsagarservice only; B-0004 korttidsvistelse only; B-0005's
            # korttidsvistelse ended before the spring
            lss(Insats.COMPANION_SERVICE, id="BE0005", client_id="C0003"),
            lss(Insats.SHORT_TERM_STAY, id="BE0006", client_id="C0004"),
            a_decision(id="BE0007", client_id="C0005"),
            lss(Insats.SHORT_TERM_STAY, id="BE0008", client_id="C0005",
                period=Period(dt.date(2025, 1, 1), dt.date(2026, 2, 1))),
        ])
        uow.stays.add_many([
            weekend("V1", "C0001", 6),  # no reason recorded
            weekend("V2", "C0001", 20, REASON),
            weekend("V3", "C0004", 13),
        ])
        uow.staff.add(an_hourly_substitute(home_unit_id="U01"))  # 172,50 kr an hour
        uow.scheduling.add(a_group())
        uow.time_reports.add_many([
            a_time_entry(id="TE1", employee_id="E9001", start=stockholm(2026, 3, 7, 8),
                         end=stockholm(2026, 3, 7, 20), reported_on=dt.date(2026, 3, 31)),
            a_time_entry(id="TE2", employee_id="E9001", start=stockholm(2026, 3, 21, 8),
                         end=stockholm(2026, 3, 21, 16), reported_on=dt.date(2026, 3, 31)),
            a_time_entry(id="TE3", employee_id="E9001", start=stockholm(2026, 3, 10, 7),
                         end=stockholm(2026, 3, 10, 15), reported_on=dt.date(2026, 3, 31)),
        ])
        uow.commit()
    return uow_factory


def test_stays_assistance_costs_and_conflicts(world: Callable[[], UnitOfWork]) -> None:
    report = run(world)
    clients, stays, conflicts = report.tables
    day = dt.date(2026, 3, 6)
    cost_per_hour = 17_250 * (1000 + rule_value(world, "pay.social_fee_rate", day)) // 1000
    fk_per_hour = rule_value(world, "fk.schablon_per_hour", day)
    # two weekends of 48 h; 12 h on the Saturday without a reason, 8 h on the one with;
    # the Tuesday between is no stay day
    assert clients.rows == (
        ("B-0001", "Personlig assistans Norr", "SFB (FK)", 61, 2, 6, 96 * 60, 20 * 60,
         20 * 60, 12 * 60, 20 * cost_per_hour, 12 * fk_per_hour),)
    assert stays.rows == (
        ("B-0001", "Korttidshemmet", dt.date(2026, 3, 6), dt.date(2026, 3, 8), "saknas",
         48 * 60, 12 * 60, 12 * 60, 12 * 60, 12 * cost_per_hour, 12 * fk_per_hour),
        ("B-0001", "Korttidshemmet", dt.date(2026, 3, 20), dt.date(2026, 3, 22), REASON,
         48 * 60, 8 * 60, 8 * 60, 0, 8 * cost_per_hour, 0),
    )
    (conflict,) = conflicts.rows
    assert conflict[:4] == ("B-0002", "Personlig assistans Söder",
                            "Ledsagarservice samtidigt med personlig assistans", "Fel")
    assert conflict[6:9] == (dt.date(2026, 4, 1), dt.date(2026, 4, 30), 30)
    assert "HFD 2011 ref 62" in str(conflict[9])
    findings = " ".join(report.findings)
    assert "1 klienter har beslut om både" in findings
    assert "saknar registrerat skäl" in findings and "B-0001" in findings
    assert "Fel: 1 par av beslut" in findings and "B-0002" in findings
    for hidden in ("Anna", "Berg", "198504"):
        assert hidden not in findings + repr(report.tables)


def test_every_listed_client_is_in_the_access_log(world: Callable[[], UnitOfWork]) -> None:
    run(world)
    with world() as uow:
        events = uow.audit.between(dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
                                   dt.datetime(2100, 1, 1, tzinfo=dt.UTC))
    assert {(e.action, e.object_kind, e.client_id, e.username) for e in events} == {
        ("read", "client", "C0001", "chef"), ("read", "client", "C0002", "chef")}


def test_roles_and_scope(world: Callable[[], UnitOfWork]) -> None:
    assert "double-decisions" in [n.value for n in available_reviews(HEAD)]
    assert "double-decisions" not in [n.value for n in available_reviews(
        Caller(Viewer("a9", "namnd", "Nämnd", Role.COMMITTEE), route="test"))]
    assert run(world, SCHEDULER).tables[0].rows  # a samordnare sees clients
    own = run(world, MANAGER_U01)
    assert [r[0] for r in own.tables[0].rows] == ["B-0001"] and own.tables[2].rows == ()
    south = run(world, MANAGER_U02)
    assert south.tables[0].rows == () and [r[0] for r in south.tables[2].rows] == ["B-0002"]
    # the korttidshem's manager sees the clients who stayed there
    home = run(world, MANAGER_KTV)
    assert [r[0] for r in home.tables[0].rows] == ["B-0001"]
    with pytest.raises(AccessDenied):
        run(world, MANAGER_U01, ["U02"])
    with pytest.raises(DomainError, match="finns inte"):
        run(world, HEAD, ["U99"])


def test_cli_table_and_csv(world: Callable[[], UnitOfWork], cli: Callable[..., Result]) -> None:
    shown = cli("review", "double-decisions", "--period", "2026-03..2026-04")
    assert shown.exit_code == 0, shown.output
    assert "Dubbla beslut" in shown.output and "B-0001" in shown.output
    assert "Ledsagarservice samtidigt med personlig assistans" in shown.output
    as_csv = cli("review", "double-decisions", "--period", "2026-03..2026-04",
                 "--format", "csv")
    assert as_csv.exit_code == 0, as_csv.output
    rows = list(csv.reader(io.StringIO(as_csv.output), delimiter=";"))
    assert any(r[:5] == ["B-0001", "Korttidshemmet", "2026-03-06", "2026-03-08", "saknas"]
               for r in rows)
