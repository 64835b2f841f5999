"""Absence cover: the ranked candidates for each shift an absence leaves uncovered (or for
one open shift), booking one of them, and the month's substitute hours by reason.

Candidates come from the whole department, whatever their home unit (central scheduling,
seed 003): every assistant, stödassistent and anhörigvårdare employed that day. Their
published shifts in every unit and their absences feed the rule checks in
:mod:`insats.domain.cover`; the working-time limits, pay factors and the PO rate are the
rule parameters in force on the shift's day.

Who may do what:

- Reading (``cover_options``, ``cover_summary``): ``VIEW_SCHEDULES``, and a unit-scoped
  viewer sees only shifts of groups in their own units (candidates may come from any unit:
  that is the point of central scheduling, and only names and costs are shown).
- Booking (``book_cover``): ``PLAN_SCHEDULES`` (samordnare, avdelningschef). A unit manager
  may not book, not even in their own units: the department moved scheduling from the
  unit managers to the central samordnare (seed 003), and a second booking path beside
  theirs would bring back the ad hoc cover the change was meant to end.

Reads of an absence and of shifts, and each booking, are written to the access log.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, replace

from insats.db.repositories import cover as bookings
from insats.db.repositories import rosters
from insats.db.repositories._base import NotFoundError, StaleVersionError
from insats.domain.absence import ABSENCE_LABELS, Absence
from insats.domain.access import AccessDenied, AuditAction, Caller, Capability
from insats.domain.calendar import local_date, local_datetime
from insats.domain.common import DomainError, Period
from insats.domain.cover import (
    COVER_KIND_LABELS,
    COVER_REASON_LABELS,
    REASON_OF_ABSENCE,
    SOCIAL_FEE_KEY,
    Candidate,
    CoverBooking,
    CoverKind,
    CoverProposal,
    CoverReason,
    rank_cover,
)
from insats.domain.ob_calendar import shared_pay_calendar
from insats.domain.scheduling import AssistanceGroup, PlannedShift, ShiftStatus
from insats.domain.staff import Employee, Position
from insats.services.audit import Touched, log
from insats.services.runtime import UowFactory
from insats.services.uow import UnitOfWork
from insats.services.working_time import context_days, rules_on

CARE_POSITIONS = frozenset({Position.ASSISTANT, Position.CARE_WORKER, Position.CARER_RELATIVE})
KNOWS_CLIENT_DAYS = 90
"""Someone who has had a published shift in the client's group in the last 90 days knows
the client (as does a member of the group)."""
OPEN_ABSENCE_DAYS = 14


class CoverTaken(StaleVersionError):
    """The shift changed (another booking, most likely) since the list was read; says who
    changed it and what is stored now when ``source`` (the repository's refusal) knows."""

    def __init__(self, source: StaleVersionError | None = None) -> None:
        if source is not None:
            self.current_version, self.changed_by, self.changed_at, self.changes = (
                source.current_version, source.changed_by, source.changed_at, source.changes)
        DomainError.__init__(
            self, "concurrency.stale",
            f"Passet har bokats eller ändrats av någon annan{self._by_whom()} sedan listan "
            f"visades. Ladda om sidan och välj igen.{self._what_changed()}")


@dataclass(frozen=True, slots=True)
class ShiftCover:
    shift: PlannedShift
    version: int
    group: AssistanceGroup
    unit_name: str
    current_name: str | None  # who has the shift now (the absent person), None when open
    proposal: CoverProposal
    suggested_reason: CoverReason


@dataclass(frozen=True, slots=True)
class CoverView:
    absence: Absence | None
    absent_name: str | None
    shifts: list[ShiftCover]

    @property
    def absence_label(self) -> str | None:
        return None if self.absence is None else ABSENCE_LABELS[self.absence.kind]


@dataclass(frozen=True, slots=True)
class OpenAbsence:
    absence: Absence
    name: str
    unit_name: str

    @property
    def label(self) -> str:
        return ABSENCE_LABELS[self.absence.kind]


@dataclass(frozen=True, slots=True)
class SummaryRow:
    label: str
    bookings: int
    minutes: int
    cost_ore: int


@dataclass(frozen=True, slots=True)
class CoverSummary:
    month: dt.date
    by_reason: list[SummaryRow]
    by_kind: list[SummaryRow]

    @property
    def meeting_and_training_minutes(self) -> int:
        labels = {COVER_REASON_LABELS[CoverReason.MEETING],
                  COVER_REASON_LABELS[CoverReason.TRAINING]}
        return sum(r.minutes for r in self.by_reason if r.label in labels)


# --- reading ------------------------------------------------------------------------------
def cover_options(uow_factory: UowFactory, *, caller: Caller, shift_id: str | None = None,
                  absence_id: str | None = None) -> CoverView:
    """The ranked candidates for one shift, or for each published shift the absence
    leaves (the absent person's shifts on its days, in the caller's units)."""
    caller.viewer.require(Capability.VIEW_SCHEDULES)
    if (shift_id is None) == (absence_id is None):
        raise DomainError("cover.what", "Ange ett pass eller en frånvaro.")
    with uow_factory() as uow:
        absence: Absence | None = None
        absent_name: str | None = None
        if absence_id is not None:
            absence = uow.absences.get(absence_id)
            if absence is None:
                raise NotFoundError("Frånvaron", absence_id)
            absent = uow.staff.get(absence.employee_id)
            absent_name = None if absent is None else absent.display_name
            shifts = _shifts_of_absence(uow, absence)
            groups = rosters.groups_by_id(uow.session, {s.group_id for s in shifts})
            visible = [s for s in shifts if caller.viewer.sees_unit(groups[s.group_id].unit_id)]
            if shifts and not visible:
                raise AccessDenied("Frånvarons pass hör till enheter utanför din behörighet.")
            home = None if absent is None else absent.home_unit_id
            log(uow, caller, AuditAction.READ, [Touched("absence", absence.id, unit_id=home)])
        else:
            assert shift_id is not None
            shift = uow.scheduling.get(shift_id)
            if shift is None or shift.status is not ShiftStatus.PUBLISHED:
                raise NotFoundError("Passet", shift_id)
            visible = [shift]
        result = [_shift_cover(uow, caller, s, absence) for s in visible]
        uow.commit()
    return CoverView(absence, absent_name, result)


def open_absences(uow_factory: UowFactory, *, caller: Caller,
                  today: dt.date | None = None) -> list[OpenAbsence]:
    """Absences from today and the next two weeks of staff who have published shifts then
    in the caller's units: the starting points of the cover page."""
    caller.viewer.require(Capability.VIEW_SCHEDULES)
    today = today or dt.date.today()
    period = Period(today, today + dt.timedelta(days=OPEN_ABSENCE_DAYS))
    with uow_factory() as uow:
        absences = rosters.absences_of_employees(uow.session, None, period)
        start = local_datetime(period.start, dt.time())
        assert period.end is not None
        end = local_datetime(period.end, dt.time())
        shifts = rosters.published_shifts_of_employees(
            uow.session, {a.employee_id for a in absences}, start, end)
        groups = rosters.groups_by_id(uow.session, {s.group_id for s in shifts})
        units = {u.id: u.name for u in uow.organisation.units()}
        staff = rosters.employees_by_id(uow.session, {a.employee_id for a in absences})
        found: list[OpenAbsence] = []
        for absence in absences:
            unit_ids = sorted({groups[s.group_id].unit_id for s in shifts
                               if s.employee_id == absence.employee_id
                               and absence.covers(local_date(s.start))})
            seen = [u for u in unit_ids if caller.viewer.sees_unit(u)]
            if not seen or absence.employee_id not in staff:
                continue
            found.append(OpenAbsence(absence, staff[absence.employee_id].display_name,
                                     ", ".join(units.get(u, u) for u in seen)))
    return found[:100]


def _shifts_of_absence(uow: UnitOfWork, absence: Absence) -> list[PlannedShift]:
    assert absence.period.end is not None
    start = local_datetime(absence.period.start, dt.time())
    end = local_datetime(absence.period.end, dt.time())
    return [s for s in rosters.published_shifts_of_employees(
        uow.session, [absence.employee_id], start, end) if s.employee_id == absence.employee_id]


def _shift_cover(uow: UnitOfWork, caller: Caller, shift: PlannedShift,
                 absence: Absence | None, *, only: str | None = None) -> ShiftCover:
    group = uow.scheduling.get_group(shift.group_id)
    if group is None:
        raise NotFoundError("Gruppen", shift.group_id)
    caller.viewer.require_unit(group.unit_id)
    unit = uow.organisation.get(group.unit_id)
    version = uow.scheduling.version_of(shift.id) or 0
    log(uow, caller, AuditAction.READ,
        [Touched("planned_shift", shift.id, group.client_id, group.unit_id)])
    day = local_date(shift.start)
    book = uow.rules.rule_book()
    proposal = rank_cover(shift, _candidates(uow, shift, group, only=only),
                          rules=rules_on(book, day), calendar=shared_pay_calendar(book),
                          social_fee_permille=book.parameter(SOCIAL_FEE_KEY, day).value,
                          client_id=group.client_id)
    current = None
    if shift.employee_id is not None:
        employee = uow.staff.get(shift.employee_id)
        current = None if employee is None else employee.display_name
    reason = REASON_OF_ABSENCE[absence.kind] if absence is not None else CoverReason.OTHER
    return ShiftCover(shift, version, group, unit.name if unit else group.unit_id, current,
                      proposal, reason)


def _candidates(uow: UnitOfWork, shift: PlannedShift, group: AssistanceGroup, *,
                only: str | None = None) -> list[Candidate]:
    first = local_date(shift.start)
    last = local_date(shift.end - dt.timedelta(seconds=1))
    days = Period(first, last + dt.timedelta(days=1))
    ids = None if only is None else [only]
    staff: list[Employee] = [e for e in rosters.employees_employed_during(
        uow.session, days, employee_ids=ids) if e.position in CARE_POSITIONS]
    staff_ids = {e.id for e in staff}
    context = context_days(days)
    assert context.end is not None
    shifts = rosters.published_shifts_of_employees(
        uow.session, staff_ids, local_datetime(context.start - dt.timedelta(days=1), dt.time()),
        local_datetime(context.end, dt.time()))
    absences = rosters.absences_of_employees(uow.session, staff_ids, days)
    members = {m.employee_id for m in uow.scheduling.members_of_group(group.id, on=first)}
    since = local_datetime(first - dt.timedelta(days=KNOWS_CLIENT_DAYS), dt.time())
    worked = {s.employee_id for s in rosters.published_shifts_of_group(
        uow.session, group.id, since, shift.start)}
    shifts_of: dict[str, list[PlannedShift]] = defaultdict(list)
    for item in shifts:
        if item.employee_id is not None:
            shifts_of[item.employee_id].append(item)
    absences_of: dict[str, list[Absence]] = defaultdict(list)
    for absence in absences:
        absences_of[absence.employee_id].append(absence)
    return [Candidate(e, tuple(shifts_of[e.id]), tuple(absences_of[e.id]),
                      e.id in members or e.id in worked)
            for e in sorted(staff, key=lambda e: e.id)]


# --- booking ------------------------------------------------------------------------------
def book_cover(uow_factory: UowFactory, *, caller: Caller, shift_id: str, employee_id: str,
               reason: CoverReason, expected_version: int, absence_id: str | None = None,
               now: dt.datetime | None = None) -> CoverBooking:
    """Give the shift to ``employee_id`` and record why and as which kind of cover.

    Raises:
        CoverTaken: the shift's version is not ``expected_version`` (booked by someone else).
        DomainError: the employee may not take the shift (the reason is in the message).
    """
    caller.viewer.require(Capability.PLAN_SCHEDULES)
    now = now or dt.datetime.now(dt.UTC)
    with uow_factory() as uow:
        shift = uow.scheduling.get(shift_id)
        if shift is None or shift.status is not ShiftStatus.PUBLISHED:
            raise NotFoundError("Passet", shift_id)
        try:
            uow.scheduling.shifts.check_version(shift_id, expected_version,
                                                replace(shift, employee_id=employee_id))
        except StaleVersionError as stale:
            raise CoverTaken(stale) from stale
        absence = None if absence_id is None else uow.absences.get(absence_id)
        if absence_id is not None and absence is None:
            raise NotFoundError("Frånvaron", absence_id)
        cover = _shift_cover(uow, caller, shift, absence, only=employee_id)
        option = next((o for o in cover.proposal.options if o.employee_id == employee_id),
                      None)
        if option is None:
            why = next((e.reason for e in cover.proposal.excluded
                        if e.employee_id == employee_id), "finns inte bland kandidaterna")
            raise DomainError("cover.not_possible", f"{employee_id} kan inte ta passet: {why}")
        try:
            uow.scheduling.update(replace(shift, employee_id=employee_id),
                                  expected_version=expected_version)
        except StaleVersionError as error:
            raise CoverTaken(error) from error
        booking = CoverBooking(
            id=f"TB{uuid.uuid4().hex[:20]}", shift_id=shift.id, employee_id=employee_id,
            previous_employee_id=shift.employee_id, absence_id=absence_id,
            unit_id=cover.group.unit_id, starts_on=local_date(shift.start), reason=reason,
            kind=option.kind, paid_minutes=shift.paid_minutes.value, cost_ore=option.cost_ore,
            booked_at=now, booked_by=caller.viewer.username)
        bookings.add_booking(uow.session, booking)
        log(uow, caller, AuditAction.UPDATE,
            [Touched("planned_shift", shift.id, cover.group.client_id, cover.group.unit_id),
             Touched("cover_booking", booking.id, cover.group.client_id, cover.group.unit_id)],
            at=now)
        try:
            uow.commit()
        except StaleVersionError as error:
            raise CoverTaken() from error
    return booking


# --- follow-up ----------------------------------------------------------------------------
def cover_summary(uow_factory: UowFactory, *, caller: Caller, month: dt.date) -> CoverSummary:
    """Booked cover of shifts in the month, by reason and by kind (hours and cost), in the
    caller's units: meeting- and training-caused substitute hours are counted apart."""
    caller.viewer.require(Capability.VIEW_SCHEDULES)
    first = month.replace(day=1)
    end = (first + dt.timedelta(days=32)).replace(day=1)
    unit_ids = None if caller.viewer.department_wide else caller.viewer.unit_ids
    with uow_factory() as uow:
        found = bookings.bookings_between(uow.session, first, end, unit_ids=unit_ids)

    def rows(labels: dict[str, str], key: str) -> list[SummaryRow]:
        result = []
        for value, label in labels.items():
            chosen = [b for b in found if getattr(b, key) == value]
            if chosen:
                result.append(SummaryRow(label, len(chosen), sum(b.paid_minutes for b in chosen),
                                         sum(b.cost_ore for b in chosen)))
        return result

    return CoverSummary(first, rows({k.value: v for k, v in COVER_REASON_LABELS.items()},
                                    "reason"),
                        rows({k.value: v for k, v in COVER_KIND_LABELS.items()}, "kind"))


__all__ = ["CoverKind", "CoverReason", "CoverSummary", "CoverTaken", "CoverView",
           "book_cover", "cover_options", "cover_summary", "open_absences", "what_is"]


def what_is(uow_factory: UowFactory, key: str) -> str:
    """``"absence"`` or ``"shift"`` for an id given on the command line.

    Raises:
        NotFoundError: neither an absence nor a shift has that id.
    """
    with uow_factory() as uow:
        if uow.absences.get(key) is not None:
            return "absence"
        if uow.scheduling.get(key) is not None:
            return "shift"
    raise NotFoundError("Frånvaron eller passet", key)
