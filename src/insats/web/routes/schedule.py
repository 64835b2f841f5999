"""The schedule page: a group's or an employee's shifts as a timeline over one or four
weeks, with working-time breaches, open shifts and absences; ``?format=xlsx`` downloads
the listed shifts."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from insats.domain.access import Capability
from insats.domain.calendar import SWEDISH_WEEKDAYS, to_local
from insats.domain.common import DomainError, IsoWeek
from insats.domain.working_time import BREACH_LABELS, WorkingTimeBreach
from insats.interchange.xlsx import Column, ColumnType
from insats.services.rosters import Schedule, ShiftLine, parse_week, parse_weeks, schedule
from insats.services.working_time import PERIOD_RULES
from insats.web import timeline
from insats.web.deps import Context, requires
from insats.web.exports import wants_xlsx, xlsx_response
from insats.web.templating import render

router = APIRouter(include_in_schema=False)

KIND_LABELS = {"ordinarie": "Ordinarie", "jour": "Jour", "beredskap": "Beredskap"}


def week_text(week: IsoWeek) -> str:
    return f"{week.year:04d}-W{week.week:02d}"


def schedule_query(result: Schedule, **changes: Any) -> str:
    """The query string of this view with some values changed (None drops a value)."""
    values: dict[str, Any] = {
        "unit": result.unit.id if result.unit and not result.employee else None,
        "group": result.group.id if result.group else None,
        "employee": result.employee.id if result.employee else None,
        "week": week_text(result.week), "weeks": result.weeks,
    }
    values.update(changes)
    return urlencode({k: v for k, v in values.items() if v is not None})


def shift_rows(result: Schedule) -> list[list[Any]]:
    rows = []
    for line in result.shifts:
        start, end = to_local(line.shift.start), to_local(line.shift.end)
        rows.append([
            start.date(), SWEDISH_WEEKDAYS[start.weekday()], start.strftime("%H:%M"),
            end.strftime("%H:%M"), line.shift.paid_minutes.value,
            line.group.name if line.group else "", line.employee_name or "Obemannat",
            KIND_LABELS.get(line.shift.kind.value, line.shift.kind.value),
            "; ".join(dict.fromkeys(BREACH_LABELS[b.kind] for b in line.breaches)),
            line.shift.id,
        ])
    return rows


EXPORT_COLUMNS = (
    Column("Datum", ColumnType.DATE), Column("Veckodag"), Column("Start"), Column("Slut"),
    Column("Betald tid", ColumnType.HOURS), Column("Grupp"), Column("Medarbetare"),
    Column("Typ"), Column("Regelbrott"), Column("Pass-id"),
)


def load_schedule(ctx: Context, *, unit: str | None, group: str | None,
                  employee: str | None, week: str | None, weeks: str | None,
                  today: dt.date) -> tuple[Schedule, str | None]:
    """The schedule for the query; a malformed week or count falls back to the default
    view and returns the Swedish error to show next to the field."""
    error = None
    try:
        chosen_week = parse_week(week)
        chosen_weeks = parse_weeks(weeks)
    except DomainError as problem:
        error, chosen_week, chosen_weeks = problem.message, None, 1
    result = schedule(ctx.uow_factory, ctx.caller, today=today, unit_id=unit or None,
                      group_id=group or None, employee_id=employee or None,
                      week=chosen_week, weeks=chosen_weeks)
    return result, error


@router.get("/schedule")
def schedule_page(request: Request, unit: str | None = None, group: str | None = None,
                  employee: str | None = None, week: str | None = None,
                  weeks: str | None = None, format: str | None = None,
                  ctx: Context = Depends(requires(Capability.VIEW_SCHEDULES))) -> Response:
    result, error = load_schedule(ctx, unit=unit, group=group, employee=employee, week=week,
                                  weeks=weeks, today=dt.date.today())
    if wants_xlsx(format):
        subject = result.employee.display_name if result.employee else (
            result.group.name if result.group else "")
        last = result.days.end - dt.timedelta(days=1) if result.days.end else result.days.start
        return xlsx_response(
            f"schema-{week_text(result.week)}-{result.weeks}v",
            f"Schema v {result.week.week} {result.week.year}", EXPORT_COLUMNS,
            shift_rows(result),
            head=(("Schema för", subject), ("Period", f"{result.days.start} – {last}"),
                  ("Enhet", result.unit.name if result.unit else "")),
            totals=True)
    return render(request, "schedule/page.html", {
        "s": result, "tl": timeline.build(result), "error": error,
        "week_value": week_text(result.week),
        "query": lambda **changes: schedule_query(result, **changes),
        "breach_labels": BREACH_LABELS, "kind_labels": KIND_LABELS,
        "weekdays": SWEDISH_WEEKDAYS, "bar_title": bar_title, "week_text": week_text,
        "local_day": lambda moment: to_local(moment).date(), "one_day": dt.timedelta(days=1),
        "breach_when": breach_when,
    }, status_code=400 if error else 200)


def breach_when(breach: WorkingTimeBreach) -> str:
    """When a breach happened: the dates of a week or a month, the start time otherwise."""
    start = to_local(breach.start)
    if breach.kind in PERIOD_RULES:
        last = to_local(breach.end).date() - dt.timedelta(days=1)
        return f"{start.date().isoformat()} – {last.isoformat()}"
    return start.strftime("%Y-%m-%d %H:%M")


def bar_title(line: ShiftLine, _: Any) -> str:
    """The hover text of a bar, in the page's language."""
    start, end = to_local(line.shift.start), to_local(line.shift.end)
    parts = [f"{_(SWEDISH_WEEKDAYS[start.weekday()]).capitalize()} {start:%Y-%m-%d} "
             f"{start:%H:%M}–{end:%H:%M}"]
    if line.group is not None:
        parts.append(line.group.name)
    parts.append(line.employee_name or _("Obemannat pass"))
    if line.shift.kind.value != "ordinarie":
        parts.append(_(KIND_LABELS.get(line.shift.kind.value, line.shift.kind.value)))
    if line.context:
        parts.append(_("Pass i en annan grupp"))
    labels = dict.fromkeys(_(BREACH_LABELS[b.kind]) for b in line.breaches)
    parts.extend(labels)  # the explanations are in the list under the timeline
    return " · ".join(parts)
