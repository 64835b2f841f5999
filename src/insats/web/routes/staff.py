"""The staff pages: the employees in scope with last month's time and their sick-leave
rate (``?format=xlsx`` downloads the list), and one employee's details."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from insats.domain.absence import ABSENCE_LABELS
from insats.domain.access import AuditAction, Capability
from insats.domain.calendar import SWEDISH_WEEKDAYS, to_local
from insats.domain.staff import Agreement, EmploymentForm
from insats.domain.working_time import BREACH_LABELS
from insats.interchange.xlsx import Column, ColumnType
from insats.services.staff import StaffList, employee_detail, staff_list
from insats.web.deps import Context, requires
from insats.web.exports import wants_xlsx, xlsx_response
from insats.web.routes.schedule import breach_when, week_text
from insats.web.templating import render

router = APIRouter(include_in_schema=False)

ALL_UNITS = "alla"
FORM_LABELS = {EmploymentForm.PERMANENT: "Tillsvidare", EmploymentForm.FIXED_TERM: "Visstid",
               EmploymentForm.HOURLY: "Timvikarie"}
AGREEMENT_LABELS = {Agreement.AB: "AB", Agreement.AB_BILAGA_J: "AB bilaga J",
                    Agreement.PAN: "PAN"}

EXPORT_COLUMNS = (
    Column("Id"), Column("Namn"), Column("Enhet"), Column("Befattning"),
    Column("Anställningsform"), Column("Avtal"), Column("Tjänstgöringsgrad %", ColumnType.INTEGER),
    Column("Arbetad tid förra månaden", ColumnType.HOURS),
    Column("Övertid förra månaden", ColumnType.HOURS),
    Column("Mertid förra månaden", ColumnType.HOURS),
    Column("Sjukfrånvaro 12 mån %"),
)


def opens_on_first_unit(unit: str | None, text: str | None) -> bool:
    """No unit asked for and no text search: the page opens on the viewer's first unit, so
    it starts with a short list (``alla`` asks for every unit in scope)."""
    return not unit and not (text and text.strip())


def export_rows(result: StaffList) -> list[list[Any]]:
    return [[
        row.employee.id, row.employee.display_name, row.unit_name, row.position_label,
        FORM_LABELS[row.employee.employment_form], AGREEMENT_LABELS[row.employee.agreement],
        row.employee.employment_percent, row.worked_minutes, row.overtime_minutes,
        row.extra_minutes,
        "" if row.sick_leave_rate is None else f"{row.sick_leave_rate * 100:.1f}".replace(".", ","),
    ] for row in result.rows]


def page_number(text: str | None) -> int:
    return int(text) if text and text.isdigit() and len(text) < 6 else 1


@router.get("/staff")
def staff_page(request: Request, unit: str | None = None, q: str | None = None,
               page: str | None = None, format: str | None = None,
               ctx: Context = Depends(requires(Capability.VIEW_STAFF))) -> Response:
    xlsx = wants_xlsx(format)
    result = staff_list(ctx.uow_factory, ctx.caller, today=dt.date.today(),
                        unit_id=None if unit == ALL_UNITS else unit or None,
                        first_unit=opens_on_first_unit(unit, q), text=q or "",
                        page=None if xlsx else page_number(page),
                        action=AuditAction.EXPORT if xlsx else AuditAction.READ)
    if xlsx:
        name = result.unit.name if result.unit else "alla enheter"
        return xlsx_response(
            f"personal-{result.unit.id if result.unit else ALL_UNITS}", "Personal",
            EXPORT_COLUMNS, export_rows(result),
            head=(("Enhet", name), ("Förra månaden", result.month.start.strftime("%Y-%m")),
                  ("Sjukfrånvaro", f"{result.sick_period.start} – {result.sick_period.end}")),
            totals=True)
    query = {k: v for k, v in (("unit", result.unit.id if result.unit else ALL_UNITS),
                                   ("q", result.text)) if v}
    return render(request, "staff/list.html", {
        "r": result, "form_labels": FORM_LABELS, "agreement_labels": AGREEMENT_LABELS,
        "all_units": ALL_UNITS, "one_day": dt.timedelta(days=1),
        "xlsx_query": urlencode({**query, "format": "xlsx"}),
        "page_query": lambda number: urlencode({**query, "page": number}),
    })


@router.get("/staff/{employee_id}")
def employee_page(request: Request, employee_id: str,
                  ctx: Context = Depends(requires(Capability.VIEW_STAFF))) -> Response:
    detail = employee_detail(ctx.uow_factory, ctx.caller, employee_id, today=dt.date.today())
    return render(request, "staff/detail.html", {
        "d": detail, "form_labels": FORM_LABELS, "agreement_labels": AGREEMENT_LABELS,
        "absence_labels": ABSENCE_LABELS, "breach_labels": BREACH_LABELS,
        "breach_when": breach_when, "week_text": week_text, "weekdays": SWEDISH_WEEKDAYS,
        "local_day": lambda moment: to_local(moment).date(), "one_day": dt.timedelta(days=1),
    })

