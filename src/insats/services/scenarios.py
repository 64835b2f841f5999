"""Use case: the scenario calculator (issue 7, deliverable 4).

Reads the department's own data for a calendar year (the months with booked costs; a
running year is scaled up to twelve months) in the caller's scope: an enhetschef sees the
scenarios of their own units, the department-wide roles of the whole department or of one
unit. The calculations are in :mod:`insats.domain.scenarios`; this module gathers the
inputs, takes the numbers the user did not give from the dated rule parameters, and logs
the aggregate read (one line per unit and kind of data).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from insats.db.repositories import scenario_inputs as queries
from insats.domain.access import AuditAction, Caller, Capability
from insats.domain.activities import ActivityKind
from insats.domain.calendar import local_datetime
from insats.domain.common import DomainError, Money, Period
from insats.domain.economy import AccountCategory
from insats.domain.organisation import Unit
from insats.domain.rules import RuleBook, bundled_parameters
from insats.domain.scenarios import (
    BreakInputs,
    DataWindow,
    Given,
    Lease,
    MeetingInputs,
    Pay,
    PremisesInputs,
    ScenarioInputs,
    ScenarioParameters,
    ScenarioResult,
    TaxiInputs,
    Training,
    TrainingInputs,
    UnitBreaks,
    UnitMeetings,
    is_school_taxi,
    low_use_leases,
    run_scenarios,
    select_leases,
)
from insats.domain.staff import Employee, EmploymentForm
from insats.services.audit import Touched, log
from insats.services.runtime import UowFactory
from insats.services.scope import unit_in_scope, visible_units
from insats.services.uow import UnitOfWork

USER = "angivet av användaren"
MEETINGS = (ActivityKind.WORKPLACE_MEETING, ActivityKind.OPERATIONS_MEETING)
READ_KINDS = ("activity", "planned_shift", "cost_entry")


@dataclass(frozen=True, slots=True)
class ScenarioReport:
    """The scenarios of a year for the caller's units (or one unit)."""

    year: int
    window: DataWindow
    units: tuple[Unit, ...]
    results: tuple[ScenarioResult, ...]
    leases: tuple[Lease, ...]
    given_up: frozenset[str]
    used: ScenarioParameters  # the numbers used, given or from the rule parameters

    @property
    def total_saving(self) -> Money:
        return Money(sum(r.saving.ore for r in self.results))


def run_scenario_report(uow_factory: UowFactory, *, caller: Caller, year: int,
                        unit_id: str | None = None,
                        parameters: ScenarioParameters | None = None,
                        today: dt.date | None = None) -> ScenarioReport:
    """All scenarios for ``year`` with the rule parameters' defaults where ``parameters``
    leave a number out.

    Raises:
        AccessDenied: the caller may not run scenarios, or the unit is not theirs.
        NotFoundError: no such unit.
        DomainError: ``scenario.no_data`` when the year has no booked month yet.
    """
    caller.viewer.require(Capability.RUN_SCENARIOS)
    if not 2000 <= year <= 2100:
        raise DomainError("scenario.year", "Året ska vara mellan 2000 och 2100.")
    given = parameters or ScenarioParameters()
    today = today or dt.date.today()
    with uow_factory() as uow:
        units = ([unit_in_scope(uow, caller, unit_id)] if unit_id
                 else visible_units(uow, caller))
        window = _window(uow, year, [u.id for u in units], today)
        inputs = _inputs(uow, units, window, given)
        log(uow, caller, AuditAction.READ,
            [Touched(kind, None, None, unit.id) for unit in units for kind in READ_KINDS])
        uow.commit()
    used = ScenarioParameters(
        meeting_interval_weeks=inputs.meetings.interval_weeks.value,
        meeting_minutes=inputs.meetings.minutes.value,
        training_small_group=inputs.training.small_group.value,
        training_large_group=inputs.training.large_group.value,
        training_cost_per_hour=inputs.training.session_cost_per_hour.value,
        break_minutes=inputs.breaks.break_minutes.value,
        break_longer_than=inputs.breaks.longer_than.value,
        school_taxi_share=given.school_taxi_share,
        premises=tuple(sorted(inputs.premises.given_up)))
    return ScenarioReport(year, window, tuple(units), tuple(run_scenarios(inputs)),
                          inputs.premises.leases, inputs.premises.given_up, used)


def _window(uow: UnitOfWork, year: int, unit_ids: list[str], today: dt.date) -> DataWindow:
    """The months of ``year`` from the first to the last month with a booked cost (when
    nothing is booked: from January to the month before the current one)."""
    start, year_end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    span = queries.booked_span(uow.session, start, year_end, unit_ids) if unit_ids else None
    if span is None:
        end = min(year_end, today.replace(day=1))
        months = (end.year - year) * 12 + end.month - 1 if end > start else 0
    else:
        first, last = span
        start = first.replace(day=1)
        months = last.month - first.month + 1
    if months <= 0:
        raise DomainError("scenario.no_data",
                          f"Det finns inga bokförda månader {year} att räkna på.")
    return DataWindow(start, months)


def _rule_book(uow: UnitOfWork) -> RuleBook:
    """The stored parameters, and the shipped ones for keys the database does not have yet
    (a database from before the scenario parameters, until ``insats db upgrade``)."""
    stored = uow.rules.all()
    keys = {p.key for p in stored}
    return RuleBook([*stored, *(p for p in bundled_parameters() if p.key not in keys)])


def _given(book: RuleBook, on: dt.date, key: str, user: int | None) -> Given:
    if user is not None:
        return Given(user, USER)
    parameter = book.parameter(key, on)
    return Given(parameter.value, f"{key}: {parameter.source}")


def _inputs(uow: UnitOfWork, units: Sequence[Unit], window: DataWindow,
            given: ScenarioParameters) -> ScenarioInputs:
    book = _rule_book(uow)
    on = window.end - dt.timedelta(days=1)
    unit_ids = [u.id for u in units]
    names = {u.id: u.name for u in units}
    employees = {e.id: e for e in uow.staff.employed_during(Period(window.start, window.end))}
    rates = {e.id: e.hourly_rate().ore for e in employees.values()
             if e.hourly_wage is not None or e.monthly_wage is not None}
    pay = Pay(
        social_fee=_given(book, on, "pay.social_fee_rate", None),
        holiday_pay=_given(book, on, "pay.holiday_pay_rate", None),
        substitute_wage_per_hour=_substitute_wage(employees.values()),
    )
    start_at = local_datetime(window.start, dt.time(0))
    end_at = local_datetime(window.end, dt.time(0))
    meetings = MeetingInputs(
        window=window,
        units=_meetings(queries.participations(uow.session, start_at, end_at, MEETINGS,
                                               unit_ids), rates, names),
        pay=pay,
        interval_weeks=_given(book, on, "scenario.meeting_interval_weeks",
                              given.meeting_interval_weeks),
        minutes=_given(book, on, "scenario.meeting_minutes", given.meeting_minutes),
        substitute_account=Money(sum(
            row.amount_ore for row in queries.booked_costs(
                uow.session, window.start, window.end, unit_ids,
                AccountCategory.SUBSTITUTES))),
    )
    training = TrainingInputs(
        window=window,
        trainings=_trainings(queries.participations(
            uow.session, start_at, end_at, (ActivityKind.TRAINING,)), set(unit_ids)),
        small_group=_given(book, on, "scenario.training_small_group",
                           given.training_small_group),
        large_group=_given(book, on, "scenario.training_large_group",
                           given.training_large_group),
        session_cost_per_hour=_given(book, on, "scenario.training_cost_per_hour",
                                     given.training_cost_per_hour),
    )
    break_minutes = _given(book, on, "scenario.break_minutes", given.break_minutes)
    longer_than = _given(book, on, "scenario.break_longer_than", given.break_longer_than)
    short = queries.short_breaks(uow.session, window.start, window.end, unit_ids,
                                 break_minutes=break_minutes.value,
                                 longer_than=longer_than.value)
    breaks = BreakInputs(window=window, units=_breaks(short, rates, names, break_minutes.value),
                         pay=pay, break_minutes=break_minutes, longer_than=longer_than)
    taxi = queries.booked_costs(uow.session, window.start, window.end, unit_ids,
                                AccountCategory.TAXI)
    school = [row for row in taxi if is_school_taxi(row.description)]
    school_taxi = TaxiInputs(
        window=window, total=Money(sum(r.amount_ore for r in taxi)),
        entries=sum(r.entries for r in taxi),
        school=Money(sum(r.amount_ore for r in school)),
        school_entries=sum(r.entries for r in school),
        school_share=None if given.school_taxi_share is None
        else Given(given.school_taxi_share, USER))
    leases = tuple(
        Lease(key=_lease_key(row), unit_name=names[row.unit_id], description=row.description,
              counterparty=row.counterparty, amount=Money(row.amount_ore), entries=row.entries)
        for row in queries.booked_costs(uow.session, window.start, window.end, unit_ids,
                                        AccountCategory.PREMISES))
    if given.premises is None:
        low = _given(book, on, "scenario.premises_low_use_below", None)
        given_up = low_use_leases(leases, low.value)
        premises = PremisesInputs(
            window=window, leases=leases, given_up=given_up, low_use_below=low,
            chosen_by=f"förvalda, hyresobjekt vars kontotext anger nyttjandegrad under "
                      f"{low.value // 10} %")
    else:
        given_up = select_leases(leases, given.premises)
        premises = PremisesInputs(window=window, leases=leases, given_up=given_up,
                                  chosen_by=f"valda av användaren ({len(given_up)} st)")
    return ScenarioInputs(meetings, training, breaks, school_taxi, premises)


def _substitute_wage(employees: Collection[Employee]) -> Given:
    hourly = [e.hourly_wage.ore for e in employees
              if e.employment_form is EmploymentForm.HOURLY and e.hourly_wage is not None]
    if hourly:
        return Given(round(sum(hourly) / len(hourly)),
                     f"snitt av {len(hourly)} timvikariers timlön i personalregistret")
    others = [e.hourly_rate().ore for e in employees
              if e.hourly_wage is not None or e.monthly_wage is not None]
    if others:
        return Given(round(sum(others) / len(others)),
                     "inga timvikarier: snitt av all personals timlön")
    return Given(0, "ingen personal med lön registrerad")


def _meetings(rows: Sequence[queries.Participation], rates: dict[str, int],
              names: dict[str, str]) -> tuple[UnitMeetings, ...]:
    by_activity: dict[str, list[queries.Participation]] = defaultdict(list)
    for row in rows:
        by_activity[row.activity_id].append(row)
    sums: dict[str, list[int]] = {}
    fallback = _mean(rates.values())
    for people in by_activity.values():
        first = people[0]
        present = [p.employee_id for p in people if p.employee_id is not None]
        substitutes = min(first.substitutes_needed, len(present))
        off_shift = len(present) - substitutes
        known = [rates[e] for e in present if e in rates]
        mean = _mean(known) if known else fallback
        unit = sums.setdefault(first.unit_id, [0, 0, 0, 0, 0])
        unit[0] += 1
        unit[1] += first.minutes
        unit[2] += off_shift * first.minutes
        unit[3] += round(off_shift * first.minutes * mean / 60)
        unit[4] += substitutes * first.minutes
    return tuple(UnitMeetings(names[unit_id], *values)
                 for unit_id, values in sorted(sums.items(), key=lambda i: names[i[0]]))


def _trainings(rows: Sequence[queries.Participation],
               scope: set[str]) -> tuple[Training, ...]:
    by_activity: dict[str, list[queries.Participation]] = defaultdict(list)
    for row in rows:
        by_activity[row.activity_id].append(row)
    trainings = []
    for people in by_activity.values():
        present = [p for p in people if p.employee_id is not None]
        in_scope = sum(1 for p in present if p.home_unit_id in scope)
        trainings.append(Training(people[0].title, people[0].minutes, len(present), in_scope))
    return tuple(trainings)


def _breaks(rows: Sequence[queries.ShortBreaks], rates: dict[str, int],
            names: dict[str, str], break_minutes: int) -> tuple[UnitBreaks, ...]:
    fallback = _mean(rates.values())
    sums: dict[str, list[int]] = {}
    for row in rows:
        missing = row.shifts * (break_minutes - row.break_minutes)
        unit = sums.setdefault(row.unit_id, [0, 0, 0])
        unit[0] += row.shifts
        unit[1] += missing
        unit[2] += round(missing * rates.get(row.employee_id, fallback) / 60)
    return tuple(UnitBreaks(names[unit_id], *values)
                 for unit_id, values in sorted(sums.items(), key=lambda i: names[i[0]]))


def _lease_key(row: queries.BookedCost) -> str:
    text = "\x1f".join((row.unit_id, row.description, row.counterparty))
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def _mean(values: Collection[int]) -> float:
    return sum(values) / len(values) if values else 0.0
