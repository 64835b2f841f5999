"""JSON API: the schedule of a group or an employee, with working-time breaches.

The query is the page's (``/schedule``): ``unit``, ``group`` or ``employee``, ``week``
(``2026-W43``) and ``weeks`` (1 or 4). Times are UTC instants; minutes are whole numbers;
labels and explanations are Swedish.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from insats.domain.access import Capability
from insats.domain.working_time import BREACH_LABELS
from insats.services.rosters import Schedule, parse_week, parse_weeks, schedule
from insats.web.deps import Context, requires

router = APIRouter(prefix="/api", tags=["schema"])

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$"


class ErrorOut(BaseModel):
    """Every error of the API: a stable code and a Swedish message."""

    code: str
    message: str


ERRORS: dict[int | str, dict[str, object]] = {
    status: {"model": ErrorOut, "description": text} for status, text in (
        (400, "Felaktig begäran"), (401, "Inte inloggad"), (403, "Åtkomst nekad"),
        (404, "Finns inte"), (422, "Ogiltiga uppgifter"))
}

IdQuery = Annotated[str | None, Query(max_length=64, pattern=ID_PATTERN)]
WeekQuery = Annotated[str | None, Query(max_length=8, pattern=r"^\d{4}-W\d{2}$",
                                        description="ISO-vecka ÅÅÅÅ-Wvv, t.ex. 2026-W43")]
WeeksQuery = Annotated[int, Query(ge=1, le=4, description="Antal veckor: 1 eller 4")]


class ShiftOut(BaseModel):
    id: str
    group_id: str
    group_name: str | None = Field(description="None: en grupp utanför din behörighet")
    employee_id: str | None = Field(description="None: obemannat pass")
    employee_name: str | None
    start: dt.datetime
    end: dt.datetime
    kind: str
    paid_minutes: int
    breach_kinds: list[str]


class BreachOut(BaseModel):
    kind: str
    label: str
    employee_id: str
    employee_name: str
    start: dt.datetime
    end: dt.datetime
    measured_minutes: int
    limit_minutes: int
    shift_ids: list[str] = Field(description="Alla pass som regelbrottet gäller")
    shown_shift_ids: list[str] = Field(description="De av passen som finns i schemat")
    message: str
    source: str


class AbsenceOut(BaseModel):
    employee_id: str
    first_day: dt.date
    last_day: dt.date
    extent_percent: int


class ScheduleOut(BaseModel):
    unit_id: str | None
    unit_name: str | None
    group_id: str | None
    group_name: str | None
    employee_id: str | None
    employee_name: str | None
    week: str
    weeks: int
    first_day: dt.date
    last_day: dt.date
    shifts: list[ShiftOut]
    open_shifts: int
    breaches: list[BreachOut]
    absences: list[AbsenceOut]


def schedule_out(result: Schedule) -> ScheduleOut:
    assert result.days.end is not None
    one_day = dt.timedelta(days=1)
    absences = [AbsenceOut(employee_id=a.employee_id, first_day=a.start,
                           last_day=a.end - one_day, extent_percent=a.extent_percent)
                for row in result.rows for a in row.absences]
    return ScheduleOut(
        unit_id=result.unit.id if result.unit else None,
        unit_name=result.unit.name if result.unit else None,
        group_id=result.group.id if result.group else None,
        group_name=result.group.name if result.group else None,
        employee_id=result.employee.id if result.employee else None,
        employee_name=result.employee.display_name if result.employee else None,
        week=f"{result.week.year:04d}-W{result.week.week:02d}", weeks=result.weeks,
        first_day=result.days.start, last_day=result.days.end - one_day,
        shifts=[ShiftOut(
            id=line.shift.id, group_id=line.shift.group_id,
            group_name=line.group.name if line.group else None,
            employee_id=line.shift.employee_id, employee_name=line.employee_name,
            start=line.shift.start, end=line.shift.end, kind=line.shift.kind.value,
            paid_minutes=line.shift.paid_minutes.value,
            breach_kinds=sorted({b.kind.value for b in line.breaches}),
        ) for line in result.shifts],
        open_shifts=result.open_shifts,
        breaches=[BreachOut(
            kind=b.breach.kind.value, label=BREACH_LABELS[b.breach.kind],
            employee_id=b.breach.employee_id, employee_name=b.employee_name,
            start=b.breach.start, end=b.breach.end,
            measured_minutes=b.breach.measured_minutes, limit_minutes=b.breach.limit_minutes,
            shift_ids=list(b.breach.interval_ids), shown_shift_ids=list(b.shown_shift_ids),
            message=b.breach.message, source=b.breach.source,
        ) for b in result.breaches],
        absences=absences,
    )


@router.get("/schedule", response_model=ScheduleOut, responses=ERRORS,
            summary="Schemat för en grupp eller en medarbetare")
def schedule_api(unit: IdQuery = None, group: IdQuery = None, employee: IdQuery = None,
                 week: WeekQuery = None, weeks: WeeksQuery = 1,
                 ctx: Context = Depends(requires(Capability.VIEW_SCHEDULES))) -> ScheduleOut:
    """The published shifts of a group (``group``, or the unit's first group) or of an
    employee, over 1 or 4 weeks, with the working-time breaches found on each employee's
    shifts in every unit, and the days they are away."""
    result = schedule(ctx.uow_factory, ctx.caller, today=dt.date.today(), unit_id=unit,
                      group_id=group, employee_id=employee, week=parse_week(week),
                      weeks=parse_weeks(weeks))
    return schedule_out(result)
