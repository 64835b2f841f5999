"""Absence cover: who can take one uncovered shift, what each option costs, and why.

For one shift (the absent person's shift, or an open one) the candidates the caller hands
in are sorted into four kinds, in the order the department wants them used (issue 5,
seed 002: substitutes leave when they are offered too few shifts, so the pool is asked
first, and overtime is the last resort):

1. ``pool``: a substitute in the pool (``Employee.in_substitute_pool``) or another hourly
   paid substitute. Costs timlön plus OB.
2. ``kollega``: a monthly paid colleague whose published shifts in the shift's ISO week
   leave room for it inside their contracted week. The wage is already paid, so the extra
   cost is only the OB.
3. ``mertid``: a part-timer for whom the shift fits under the agreement's full-time week.
   Costs the mertid rate plus OB (and kvalificerad övertid for a free day, when the rules
   say so).
4. ``overtid``: anyone else. Costs enkel or kvalificerad övertid, and no OB.

The pay comes from :func:`insats.domain.pay_rules.monthly_pay` on one time entry of the
right kind, as if it were the person's only entry of that kind in the month (the monthly
OB rounding then applies to the shift alone). The social fees (PO) are
``pay.social_fee_rate`` of the pay. Inside a kind, options are sorted by cost less a
continuity bonus for someone who knows the client (a member of the client's group, or
someone who has worked there recently): the bonus only changes the order, never the cost
shown.

A candidate is never proposed when they are absent or not employed that day, are the
shift's own (absent) employee, are an anhörigvårdare of another client, or when taking
the shift would break a working-time rule (:func:`insats.domain.working_time.check_working_time`
on their published shifts, in every unit, plus this one): double booking, shift length,
11 h daily rest, 36 h weekly rest, the 48 h monthly average. Those are returned apart,
with the reason. Nothing here knows about units: the caller gathers candidates across the
whole department (central scheduling, seed 003).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from insats.domain.absence import ABSENCE_LABELS, Absence, AbsenceKind
from insats.domain.calendar import STOCKHOLM, local_date
from insats.domain.common import DomainError
from insats.domain.formatting import format_number
from insats.domain.ob_calendar import PayCalendar
from insats.domain.pay_rules import PayEntry, PayLine, monthly_pay
from insats.domain.scheduling import PlannedShift, ShiftKind, ShiftStatus
from insats.domain.staff import Employee, EmploymentForm
from insats.domain.time_reports import TimeKind
from insats.domain.working_time import (
    BreachKind,
    WorkingTimeBreach,
    WorkingTimeRules,
    WorkInterval,
    WorkKind,
    check_working_time,
    intervals_from_shifts,
)

PERMILLE = 1000
SOCIAL_FEE_KEY = "pay.social_fee_rate"
CONTINUITY_BONUS_ORE = 50_000
"""How much cheaper (500 kr) a candidate who knows the client counts when options of one
kind are ordered. A policy weight for the order only, not a rule value; never a cost."""
NEW_SHIFT_ID = "__cover__"
PERIOD_RULES = frozenset({BreachKind.WEEKLY_REST, BreachKind.AVERAGE_WEEK})


class CoverKind(StrEnum):
    POOL = "pool"
    COLLEAGUE = "kollega"
    MERTID = "mertid"
    OVERTIME = "overtid"


COVER_KIND_LABELS: dict[CoverKind, str] = {
    CoverKind.POOL: "Vikariepool",
    CoverKind.COLLEAGUE: "Kollega med timmar kvar",
    CoverKind.MERTID: "Mertid",
    CoverKind.OVERTIME: "Övertid",
}
_TIER = {kind: index for index, kind in enumerate(CoverKind)}


class CoverReason(StrEnum):
    """Why the shift needs cover (kept with each booking, so that substitute hours caused
    by meetings and training can be counted)."""

    SICK = "sjukdom"
    CARE_OF_CHILD = "vab"
    MEETING = "mote"
    TRAINING = "utbildning"
    VACATION = "semester"
    OTHER = "annat"


COVER_REASON_LABELS: dict[CoverReason, str] = {
    CoverReason.SICK: "Sjukdom",
    CoverReason.CARE_OF_CHILD: "VAB",
    CoverReason.MEETING: "Möte",
    CoverReason.TRAINING: "Utbildning",
    CoverReason.VACATION: "Semester",
    CoverReason.OTHER: "Annat",
}

REASON_OF_ABSENCE: dict[AbsenceKind, CoverReason] = {
    AbsenceKind.SICK: CoverReason.SICK,
    AbsenceKind.CARE_OF_CHILD: CoverReason.CARE_OF_CHILD,
    AbsenceKind.VACATION: CoverReason.VACATION,
    AbsenceKind.PARENTAL_LEAVE: CoverReason.OTHER,
    AbsenceKind.OTHER: CoverReason.OTHER,
}

_TIME_KIND = {
    CoverKind.POOL: TimeKind.ORDINARY,
    CoverKind.COLLEAGUE: TimeKind.ORDINARY,
    CoverKind.MERTID: TimeKind.EXTRA,
    CoverKind.OVERTIME: TimeKind.OVERTIME,
}


def parse_reason(text: str) -> CoverReason:
    """A reason from its code or Swedish label (``möte``, ``mote``, ``VAB``...)."""
    wanted = text.strip().lower().replace("ö", "o")
    for reason, label in COVER_REASON_LABELS.items():
        if wanted in (reason.value, label.lower().replace("ö", "o")):
            return reason
    choices = ", ".join(label.lower() for label in COVER_REASON_LABELS.values())
    raise DomainError("cover.reason", f"Okänd orsak {text!r}; välj en av: {choices}.")


@dataclass(frozen=True, slots=True)
class Candidate:
    """Someone who might take the shift, with what the ranking needs to know.

    ``shifts`` are the person's published shifts in every unit around the shift (at least
    the calendar month and the days either side), ``absences`` theirs overlapping the day.
    """

    employee: Employee
    shifts: tuple[PlannedShift, ...] = ()
    absences: tuple[Absence, ...] = ()
    knows_client: bool = False


@dataclass(frozen=True, slots=True)
class CoverOption:
    """A candidate who may take the shift: the kind, the cost in öre and the checks."""

    employee_id: str
    name: str
    home_unit_id: str
    kind: CoverKind
    pay_ore: int
    social_fee_ore: int
    knows_client: bool
    checks: tuple[str, ...]
    pay_lines: tuple[PayLine, ...] = field(default=(), compare=False)

    @property
    def cost_ore(self) -> int:
        return self.pay_ore + self.social_fee_ore

    @property
    def kind_label(self) -> str:
        return COVER_KIND_LABELS[self.kind]

    @property
    def order_key(self) -> tuple[int, int, str]:
        bonus = CONTINUITY_BONUS_ORE if self.knows_client else 0
        return _TIER[self.kind], self.cost_ore - bonus, self.employee_id


@dataclass(frozen=True, slots=True)
class Excluded:
    """A candidate who may not take the shift, and why (Swedish)."""

    employee_id: str
    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class CoverProposal:
    shift: PlannedShift
    options: tuple[CoverOption, ...]
    excluded: tuple[Excluded, ...]


def cover_kind(employee: Employee, shift: PlannedShift,
               shifts: Iterable[PlannedShift]) -> CoverKind:
    """Which kind of cover the employee would be (see the module docstring); the room is
    counted in the shift's ISO week (Stockholm dates) from their other published shifts."""
    if employee.in_substitute_pool or employee.employment_form is EmploymentForm.HOURLY \
            or employee.monthly_wage is None:
        return CoverKind.POOL
    week = local_date(shift.start).isocalendar()[:2]
    scheduled = sum(s.paid_minutes.value for s in shifts
                    if s.id != shift.id and s.status is not ShiftStatus.CANCELLED
                    and s.kind is not ShiftKind.STAND_BY
                    and local_date(s.start).isocalendar()[:2] == week)
    needed = scheduled + shift.paid_minutes.value
    if needed <= employee.contracted_minutes_per_week.value:
        return CoverKind.COLLEAGUE
    if employee.employment_percent < 100 and needed <= employee.full_time_minutes_per_week:
        return CoverKind.MERTID
    return CoverKind.OVERTIME


def shift_pay(employee: Employee, shift: PlannedShift, kind: CoverKind, *,
              calendar: PayCalendar) -> list[PayLine]:
    """The pay lines the shift would give the employee as cover of ``kind``."""
    day = local_date(shift.start)
    entry = PayEntry(NEW_SHIFT_ID, employee.id, day, shift.start, shift.end,
                     shift.break_minutes, _TIME_KIND[kind])
    return monthly_pay(employee, [entry], month=day.replace(day=1), calendar=calendar)


def social_fee(pay_ore: int, permille: int) -> int:
    """PO on ``pay_ore``, rounded half up to whole öre."""
    return (pay_ore * permille * 2 + PERMILLE) // (2 * PERMILLE)


def check_labels(rules: WorkingTimeRules) -> tuple[str, ...]:
    """The checks a proposed candidate has passed, in Swedish."""
    checks = ["Inte frånvarande", "Inte dubbelbokad"]
    if rules.shift_max is not None:
        checks.append(f"Arbetspass högst {_hours(rules.shift_max.minutes)}")
    if rules.daily_rest_min is not None:
        checks.append(f"Dygnsvila minst {_hours(rules.daily_rest_min.minutes)}")
    if rules.weekly_rest_min is not None:
        checks.append(f"Veckovila minst {_hours(rules.weekly_rest_min.minutes)}")
    for average in rules.averages:
        checks.append(f"Högst {_hours(average.per_week_minutes)}/vecka i snitt")
    return tuple(checks)


def breaches_with(candidate_id: str, shift: PlannedShift, shifts: Iterable[PlannedShift],
                  rules: WorkingTimeRules) -> list[WorkingTimeBreach]:
    """The working-time breaches the shift would bring the candidate into: those that
    involve it, and any weekly rest or average over a period it falls in."""
    kinds = {ShiftKind.ORDINARY: WorkKind.WORK, ShiftKind.ON_CALL: WorkKind.ON_CALL,
             ShiftKind.STAND_BY: WorkKind.STAND_BY}
    own = [s for s in intervals_from_shifts(shifts)
           if s.employee_id == candidate_id and s.id != shift.id]
    new = WorkInterval(NEW_SHIFT_ID, candidate_id, shift.start, shift.end,
                       shift.break_minutes, kinds[shift.kind])
    found = []
    for breach in check_working_time([*own, new], rules):
        over_period = breach.kind in PERIOD_RULES and breach.start <= shift.start < breach.end
        if NEW_SHIFT_ID in breach.interval_ids or over_period:
            found.append(breach)
    return found


def rank_cover(shift: PlannedShift, candidates: Sequence[Candidate], *,
               rules: WorkingTimeRules, calendar: PayCalendar, social_fee_permille: int,
               client_id: str | None = None) -> CoverProposal:
    """The candidates who may take ``shift``, best first, and those who may not.

    Raises:
        DomainError: the shift is cancelled.
    """
    if shift.status is ShiftStatus.CANCELLED:
        raise DomainError("cover.cancelled", "Passet är inställt och behöver ingen täckning.")
    first_day = local_date(shift.start)
    last_day = local_date(shift.end - dt.timedelta(seconds=1))
    checks = check_labels(rules)
    options: list[CoverOption] = []
    excluded: list[Excluded] = []
    seen: set[str] = set()
    for candidate in candidates:
        employee = candidate.employee
        if employee.id in seen or employee.id == shift.employee_id:
            continue
        seen.add(employee.id)
        reason = _exclusion(candidate, shift, first_day, last_day, rules, client_id)
        if reason is not None:
            excluded.append(Excluded(employee.id, employee.display_name, reason))
            continue
        kind = cover_kind(employee, shift, candidate.shifts)
        lines = shift_pay(employee, shift, kind, calendar=calendar)
        pay = sum(line.amount_ore for line in lines)
        options.append(CoverOption(
            employee.id, employee.display_name, employee.home_unit_id, kind, pay,
            social_fee(pay, social_fee_permille), candidate.knows_client,
            (*checks, *(("Känner brukaren",) if candidate.knows_client else ())),
            tuple(lines)))
    options.sort(key=lambda o: o.order_key)
    excluded.sort(key=lambda e: (e.name, e.employee_id))
    return CoverProposal(shift, tuple(options), tuple(excluded))


def _exclusion(candidate: Candidate, shift: PlannedShift, first_day: dt.date,
               last_day: dt.date, rules: WorkingTimeRules,
               client_id: str | None) -> str | None:
    employee = candidate.employee
    if not (employee.employed_on(first_day) and employee.employed_on(last_day)):
        return "Inte anställd den dagen"
    for absence in candidate.absences:
        if absence.employee_id == employee.id and (
                absence.covers(first_day) or absence.covers(last_day)):
            return f"Frånvarande ({ABSENCE_LABELS[absence.kind].lower()})"
    if employee.is_relative_carer and employee.related_client_id != client_id:
        return "Anhörigvårdare arbetar bara för sin egen brukare"
    breaches = breaches_with(employee.id, shift, candidate.shifts, rules)
    if breaches:
        return "; ".join(f"{b.label}: {b.message}" for b in breaches[:2])
    return None


def _hours(minutes: int) -> str:
    decimals = 0 if minutes % 60 == 0 else 1
    return f"{format_number(minutes / 60, decimals)}\u00a0h"


def local_span(shift: PlannedShift) -> str:
    """``2026-10-19 07:00–15:00`` in Stockholm time."""
    start = shift.start.astimezone(STOCKHOLM)
    end = shift.end.astimezone(STOCKHOLM)
    end_text = end.strftime("%H:%M") if end.date() == start.date() \
        else end.strftime("%Y-%m-%d %H:%M")
    return f"{start.strftime('%Y-%m-%d %H:%M')}–{end_text}"


@dataclass(frozen=True, slots=True)
class CoverBooking:
    """A booked cover: the shift, who took it (and who had it), why, and as which kind."""

    id: str
    shift_id: str
    employee_id: str
    previous_employee_id: str | None
    absence_id: str | None
    unit_id: str
    starts_on: dt.date
    reason: CoverReason
    kind: CoverKind
    paid_minutes: int
    cost_ore: int
    booked_at: dt.datetime
    booked_by: str
