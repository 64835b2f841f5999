"""The scenario calculator's service on a small hand-built department with exact expected
savings (three booked months, so every figure is scaled by four), the caller's scope, and
on the whole demo department (slow): every saving positive and of a plausible size."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from insats.db.repositories._base import NotFoundError
from insats.domain.access import AccessDenied, Caller, Role, Viewer
from insats.domain.activities import ActivityKind
from insats.domain.common import DomainError, Money
from insats.domain.economy import AccountCategory
from insats.domain.organisation import UnitKind
from insats.domain.rules import bundled_parameters
from insats.domain.scenarios import ScenarioKey, ScenarioParameters
from insats.services.scenarios import ScenarioReport, run_scenario_report
from insats.services.uow import UnitOfWork
from tests.builders import (
    a_cost_entry,
    a_department,
    a_group,
    a_shift,
    a_unit,
    an_activity,
    an_employee,
    an_hourly_substitute,
    stockholm,
)

Factory = Callable[[], UnitOfWork]
HEAD = Caller(Viewer("a1", "avd", "Avdelningschef", Role.DEPARTMENT_HEAD), route="test")
MANAGER = Caller(Viewer("e1", "ec", "Enhetschef", Role.UNIT_MANAGER, frozenset({"U01"})),
                 route="test")
SCHEDULER = Caller(Viewer("s1", "sam", "Samordnare", Role.SCHEDULER), route="test")
TODAY = dt.date(2026, 11, 22)
WAGE = Money.kronor(31_200)  # full time 40 h: 31 200 × 12 / (52 × 40) = 180 kr/h


def _store(uow: UnitOfWork) -> None:
    uow.rules.add_many(bundled_parameters())
    uow.organisation.add_many([
        a_department(),
        a_unit(id="U01", name="Assistans Norr"),
        a_unit(id="U02", name="Korttids Väster", kind=UnitKind.SHORT_TERM_STAY,
               cost_centre="4102"),
        a_unit(id="U03", name="Korttidstillsyn", kind=UnitKind.SHORT_TERM_SUPERVISION,
               cost_centre="4103"),
    ])
    uow.staff.add_many([
        an_employee(id="E1", employment_percent=100, monthly_wage=WAGE),
        an_employee(id="E2", home_unit_id="U02", employment_percent=100, monthly_wage=WAGE),
        an_hourly_substitute(id="E3", hourly_wage=Money.kronor(200)),
    ])
    uow.scheduling.add_many([
        a_group(id="G1", unit_id="U01", client_id=None),
        a_group(id="G2", unit_id="U02", client_id=None, breaks_allowed=True),
    ])

    def shift(id: str, group: str, employee: str | None, day: int, hours: int,
              brk: int = 0) -> object:
        start = stockholm(2026, 1, day, 7)
        return a_shift(id=id, group_id=group, employee_id=employee, start=start,
                       end=start + dt.timedelta(hours=hours), break_minutes=brk)

    uow.scheduling.add_many([
        shift("S1", "G2", "E2", 12, 8),  # 30 min break missing
        shift("S2", "G2", "E2", 13, 8, 30),  # has its break
        shift("S3", "G2", "E2", 14, 6),  # 6 h: not longer than the limit
        shift("S4", "G2", "E2", 15, 8, 15),  # 15 min missing
        shift("S5", "G2", None, 16, 8),  # unstaffed: not paid
        shift("S6", "G1", "E1", 16, 8),  # no breaks in this group
    ])
    meeting = {"unit_id": "U01", "kind": ActivityKind.WORKPLACE_MEETING,
               "duration_minutes": 180}
    uow.activities.add_many([
        an_activity(id="M1", start=stockholm(2026, 1, 20, 13), participant_ids=("E1",),
                    substitutes_needed=1, **meeting),
        an_activity(id="M2", start=stockholm(2026, 3, 3, 13), participant_ids=("E1",),
                    **meeting),
        an_activity(id="M3", start=stockholm(2026, 4, 14, 13), participant_ids=("E1",),
                    **meeting),  # after the last booked month
        an_activity(id="T1", unit_id="U01", kind=ActivityKind.TRAINING, title="Brandskydd",
                    start=stockholm(2026, 2, 10, 9), duration_minutes=240,
                    participant_ids=("E1", "E2", "E3")),
    ])
    taxi, rent = AccountCategory.TAXI, AccountCategory.PREMISES
    uow.economy.add_many([
        a_cost_entry(id="K1", unit_id="U03", cost_centre="4103", category=taxi,
                     booked_on=dt.date(2026, 1, 25), amount=Money.kronor(10_000),
                     description="Taxi skola–korttidstillsyn (skolskjuts)"),
        a_cost_entry(id="K2", unit_id="U03", cost_centre="4103", category=taxi,
                     booked_on=dt.date(2026, 2, 25), amount=Money.kronor(5_000),
                     description="Taxi, resor med brukare"),
        *(a_cost_entry(id=f"KR{m}", unit_id="U02", cost_centre="4102", category=rent,
                       booked_on=dt.date(2026, m, 25), amount=Money.kronor(96_000),
                       description="Hyra lokal", counterparty="Alingsåshem AB")
          for m in (1, 2, 3)),
        *(a_cost_entry(id=f"KL{m}", category=rent, booked_on=dt.date(2026, m, 25),
                       amount=Money.kronor(10_000),
                       description="Hyra lokal Träffpunkt (nyttjas ca 20 %)")
          for m in (1, 2, 3)),
    ])


@pytest.fixture
def world(uow_factory: Factory) -> Factory:
    with uow_factory() as uow:
        _store(uow)
        uow.commit()
    return uow_factory


def _savings(report: ScenarioReport) -> dict[ScenarioKey, int]:
    return {r.key: r.saving.ore for r in report.results}


GROUPS = ScenarioParameters(training_small_group=1, training_large_group=2)


def test_the_whole_department(world: Factory) -> None:
    report = run_scenario_report(world, caller=HEAD, year=2026, parameters=GROUPS,
                                 today=TODAY)
    assert report.window.start == dt.date(2026, 1, 1) and report.window.months == 3
    # Meetings: M1's participant was replaced (3 h × 313.60 kr), M2's was off shift
    # (3 h × 180 kr × 1.4): 1 696.80 kr in three months, 6 787.20 kr a year; 8 meetings a
    # year of 180 min become 52/12 of 90 min: × 390/1440.
    meetings = next(r for r in report.results if r.key is ScenarioKey.MEETINGS)
    assert meetings.baseline_cost == Money(678_720)
    assert meetings.scenario_cost == Money(183_820)
    assert _savings(report) == {
        ScenarioKey.MEETINGS: 494_900,
        # Brandskydd, 3 participants: 3 sessions of 4 h → 2; 4 h × 1 500 kr × 4.
        ScenarioKey.TRAINING: 2_400_000,
        # S1 and S4 miss 45 min at 180 kr/h + 40 % PO = 189 kr; × 4.
        ScenarioKey.BREAKS: 75_600,
        ScenarioKey.SCHOOL_TAXI: 4_000_000,
        # The premises whose text states 20 % use: 30 000 kr × 4.
        ScenarioKey.PREMISES: 12_000_000,
    }
    assert len(report.leases) == 2 and len(report.given_up) == 1
    assert report.used.meeting_interval_weeks == 12 and report.used.break_minutes == 30
    assert report.total_saving == Money(494_900 + 2_400_000 + 75_600 + 4_000_000 + 12_000_000)
    basis = "\n".join(line for r in report.results for line in r.basis)
    assert "angivet av användaren" in basis and "pay.social_fee_rate" in basis
    assert "1 timvikariers timlön" in basis


def test_a_unit_manager_gets_their_own_units(world: Factory) -> None:
    report = run_scenario_report(world, caller=MANAGER, year=2026, parameters=GROUPS,
                                 today=TODAY)
    assert [u.id for u in report.units] == ["U01"]
    assert _savings(report) == {
        ScenarioKey.MEETINGS: 494_900,
        ScenarioKey.TRAINING: 1_600_000,  # two of the three participants are U01's
        ScenarioKey.BREAKS: 0,
        ScenarioKey.SCHOOL_TAXI: 0,
        ScenarioKey.PREMISES: 12_000_000,
    }
    with pytest.raises(AccessDenied):
        run_scenario_report(world, caller=MANAGER, year=2026, unit_id="U02", today=TODAY)
    with pytest.raises(AccessDenied):
        run_scenario_report(world, caller=SCHEDULER, year=2026, today=TODAY)


def test_one_unit_user_choices_and_no_data(world: Factory) -> None:
    report = run_scenario_report(
        world, caller=HEAD, year=2026, unit_id="U02", today=TODAY,
        parameters=ScenarioParameters(premises=("alingsåshem",), break_minutes=45))
    savings = _savings(report)
    assert savings[ScenarioKey.PREMISES] == 96_000 * 100 * 3 * 4
    # S1, S2, S4 lack 45 + 15 + 30 = 90 min (S2 has only 30): 270 kr × 1.4 × 4.
    assert savings[ScenarioKey.BREAKS] == 151_200
    assert savings[ScenarioKey.MEETINGS] == 0
    share = run_scenario_report(world, caller=HEAD, year=2026, today=TODAY,
                                parameters=ScenarioParameters(school_taxi_share=500))
    assert _savings(share)[ScenarioKey.SCHOOL_TAXI] == 3_000_000  # half of 60 000 kr
    with pytest.raises(NotFoundError):
        run_scenario_report(world, caller=HEAD, year=2026, unit_id="U99", today=TODAY)
    with pytest.raises(DomainError) as no_data:
        run_scenario_report(world, caller=HEAD, year=2027, today=TODAY)
    assert no_data.value.code == "scenario.no_data"


# --- the demo department ----------------------------------------------------------------
@pytest.fixture(scope="module")
def demo(demo_department: Factory) -> Factory:
    return demo_department


@pytest.mark.slow
def test_the_demo_departments_savings_are_positive_and_plausible(demo: Factory) -> None:
    report = run_scenario_report(demo, caller=HEAD, year=2026, today=TODAY)
    assert report.window.months == 10  # January to October are booked
    kronor = {key: ore / 100 for key, ore in _savings(report).items()}
    assert all(value > 0 for value in kronor.values()), kronor
    # seed 002: a combined APT every sixth week of 180 min in each of about ten units
    assert 200_000 < kronor[ScenarioKey.MEETINGS] < 3_000_000
    assert 10_000 < kronor[ScenarioKey.TRAINING] < 500_000
    assert 20_000 < kronor[ScenarioKey.BREAKS] < 1_000_000  # one korttidshem without breaks
    assert 100_000 < kronor[ScenarioKey.SCHOOL_TAXI] < 2_000_000
    assert kronor[ScenarioKey.PREMISES] == 31_500 * 12  # Hemsjö träffpunkt, used ca 15 %
    assert sum(kronor.values()) < 10_000_000  # less than the department's deficit
