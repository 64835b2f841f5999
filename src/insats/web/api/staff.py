"""JSON API: the employees in scope and one employee's details.

``GET /api/staff`` lists every employee in the caller's scope (or of ``unit``) matching
``q``, with last month's time and the sick-leave rate of the last twelve months;
``GET /api/staff/{employee_id}`` gives one employee, their groups, shifts, working-time
breaches and absences (the read is written to the access log).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field

from insats.domain.absence import ABSENCE_LABELS
from insats.domain.access import Capability
from insats.domain.staff import Employee
from insats.domain.working_time import BREACH_LABELS
from insats.services.staff import ShiftRef, employee_detail, staff_list
from insats.web.api.schedule import ERRORS, ID_PATTERN
from insats.web.deps import Context, requires

router = APIRouter(prefix="/api", tags=["personal"])

UnitQuery = Annotated[str | None, Query(max_length=64, pattern=ID_PATTERN,
                                        description="Enhetens id (utelämnad: alla enheter)")]
TextQuery = Annotated[str | None, Query(max_length=200, description="Sökord")]
PageQuery = Annotated[int, Query(ge=1, le=100_000, description="Sida, 200 medarbetare per sida")]
EmployeeId = Annotated[str, Path(max_length=64, pattern=ID_PATTERN)]


class EmploymentOut(BaseModel):
    id: str
    name: str
    home_unit_id: str
    position: str
    employment_form: str
    agreement: str
    employment_percent: int
    full_time_minutes_per_week: int
    employed_from: dt.date
    employed_to: dt.date | None
    in_substitute_pool: bool


def employment_out(employee: Employee) -> EmploymentOut:
    return EmploymentOut(
        id=employee.id, name=employee.display_name, home_unit_id=employee.home_unit_id,
        position=employee.position.value, employment_form=employee.employment_form.value,
        agreement=employee.agreement.value, employment_percent=employee.employment_percent,
        full_time_minutes_per_week=employee.full_time_minutes_per_week,
        employed_from=employee.employed.start, employed_to=employee.employed.end,
        in_substitute_pool=employee.in_substitute_pool)


class StaffRowOut(EmploymentOut):
    home_unit_name: str
    worked_minutes: int = Field(description="Arbetad tid förra månaden")
    overtime_minutes: int
    extra_minutes: int = Field(description="Mertid förra månaden")
    sick_leave_rate: float | None = Field(
        description="Sjukfrånvaro av ordinarie arbetstid, 12 månader (None: timavlönad)")


class StaffListOut(BaseModel):
    unit_id: str | None
    text: str
    total: int = Field(description="Matchande medarbetare på alla sidor")
    page: int
    pages: int
    month_first_day: dt.date
    sick_leave_first_day: dt.date
    sick_leave_last_day: dt.date
    employees: list[StaffRowOut]


@router.get("/staff", response_model=StaffListOut, responses=ERRORS,
            summary="Medarbetare i din behörighet")
def staff_api(unit: UnitQuery = None, q: TextQuery = None, page: PageQuery = 1,
              ctx: Context = Depends(requires(Capability.VIEW_STAFF))) -> StaffListOut:
    """Employees by name, 200 a page, with last month's time and the sick-leave rate of
    the last twelve whole months."""
    result = staff_list(ctx.uow_factory, ctx.caller, today=dt.date.today(), unit_id=unit,
                        text=q or "", page=page)
    assert result.sick_period.end is not None
    return StaffListOut(
        unit_id=result.unit.id if result.unit else None, text=result.text,
        total=result.total, page=result.page, pages=result.pages,
        month_first_day=result.month.start, sick_leave_first_day=result.sick_period.start,
        sick_leave_last_day=result.sick_period.end - dt.timedelta(days=1),
        employees=[StaffRowOut(
            **employment_out(row.employee).model_dump(), home_unit_name=row.unit_name,
            worked_minutes=row.worked_minutes, overtime_minutes=row.overtime_minutes,
            extra_minutes=row.extra_minutes, sick_leave_rate=row.sick_leave_rate,
        ) for row in result.rows])


class GroupOut(BaseModel):
    group_id: str | None = Field(description="None: en grupp utanför din behörighet")
    group_name: str | None
    unit_name: str
    regular_member: bool | None = Field(description="None: pass utan medlemskap")
    member_from: dt.date | None
    member_to: dt.date | None
    recent_shifts: int


class ShiftRefOut(BaseModel):
    id: str
    group_id: str | None
    group_name: str | None
    unit_name: str
    start: dt.datetime
    end: dt.datetime


def shift_ref_out(ref: ShiftRef) -> ShiftRefOut:
    return ShiftRefOut(id=ref.shift.id, group_id=ref.group.id if ref.group else None,
                       group_name=ref.group.name if ref.group else None,
                       unit_name=ref.unit_name, start=ref.shift.start, end=ref.shift.end)


class EmployeeBreachOut(BaseModel):
    kind: str
    label: str
    start: dt.datetime
    end: dt.datetime
    measured_minutes: int
    limit_minutes: int
    shift_ids: list[str]
    message: str
    source: str


class AbsenceOut(BaseModel):
    id: str
    kind: str
    label: str
    first_day: dt.date
    last_day: dt.date
    extent_percent: int
    medical_certificate: bool


class EmployeeOut(BaseModel):
    employment: EmploymentOut
    home_unit_name: str | None
    groups: list[GroupOut]
    last_shifts: list[ShiftRefOut]
    next_shifts: list[ShiftRefOut]
    breach_first_day: dt.date
    breach_last_day: dt.date
    breaches: list[EmployeeBreachOut]
    absences: list[AbsenceOut]
    month_first_day: dt.date
    worked_minutes: int
    overtime_minutes: int
    extra_minutes: int
    sick_leave_rate: float | None


@router.get("/staff/{employee_id}", response_model=EmployeeOut, responses=ERRORS,
            summary="En medarbetare")
def employee_api(employee_id: EmployeeId,
                 ctx: Context = Depends(requires(Capability.VIEW_STAFF))) -> EmployeeOut:
    d = employee_detail(ctx.uow_factory, ctx.caller, employee_id, today=dt.date.today())
    one_day = dt.timedelta(days=1)
    assert d.breach_days.end is not None
    return EmployeeOut(
        employment=employment_out(d.employee), home_unit_name=d.unit.name if d.unit else None,
        groups=[GroupOut(
            group_id=g.group.id if g.group else None, group_name=g.group.name if g.group else None,
            unit_name=g.unit_name,
            regular_member=g.membership.is_regular if g.membership else None,
            member_from=g.membership.period.start if g.membership else None,
            member_to=g.membership.period.end if g.membership else None,
            recent_shifts=g.recent_shifts) for g in d.groups],
        last_shifts=[shift_ref_out(r) for r in d.last_shifts],
        next_shifts=[shift_ref_out(r) for r in d.next_shifts],
        breach_first_day=d.breach_days.start, breach_last_day=d.breach_days.end - one_day,
        breaches=[EmployeeBreachOut(
            kind=b.kind.value, label=BREACH_LABELS[b.kind], start=b.start, end=b.end,
            measured_minutes=b.measured_minutes, limit_minutes=b.limit_minutes,
            shift_ids=list(b.interval_ids), message=b.message, source=b.source)
            for b in d.breaches],
        absences=[AbsenceOut(
            id=a.id, kind=a.kind.value, label=ABSENCE_LABELS[a.kind], first_day=a.period.start,
            last_day=(a.period.end or a.period.start + one_day) - one_day,
            extent_percent=a.extent_percent, medical_certificate=a.medical_certificate)
            for a in d.absences],
        month_first_day=d.month.start, worked_minutes=d.worked_minutes,
        overtime_minutes=d.overtime_minutes, extra_minutes=d.extra_minutes,
        sick_leave_rate=d.sick_leave_rate,
    )
