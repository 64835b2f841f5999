"""`insats summary`: the department's headline figures per unit, in Swedish."""

from __future__ import annotations

import datetime as dt

import typer
from rich.table import Table

from insats.cli.output import make_console
from insats.config import get_settings
from insats.domain.calendar import month_label
from insats.domain.formatting import format_hours, format_number, format_percent
from insats.services import summary as summary_service
from insats.services.runtime import uow_factory_for

console = make_console()


def summary(
    on: str = typer.Option(
        None, "--datum", "--on", help="Referensdatum ÅÅÅÅ-MM-DD (standard: i dag)."
    ),
) -> None:
    """Nyckeltal per enhet: brukare, beviljade timmar i egen regi, personal, årsarbetare,
    och för förra månaden utförd tid, övertid, mertid och sjukfrånvaro."""
    reference = _parse_date(on) if on else dt.date.today()
    result = summary_service.department_summary(
        uow_factory_for(get_settings().database_url), on=reference
    )
    year, month = result.month
    table = Table(
        title=f"{result.department_name} – läget {reference.isoformat()}",
        caption=(
            f"Utförd tid, övertid, mertid och sjukfrånvaro avser {month_label(year, month)}. "
            "Sjukfrånvaro i procent av avtalad arbetstid; kort = dag 1–14."
        ),
    )
    table.add_column("Enhet", ratio=1, min_width=16)
    for header in ("Brukare", "varav\negen regi", "Beviljat/v\negen regi", "Personal",
                   "Års-\narbetare", "Utfört", "Övertid", "Mertid", "Sjuk-\nfrånvaro",
                   "varav\nkort"):
        table.add_column(header, justify="right", no_wrap=True)
    for row in [*result.units, result.total]:
        is_total = row is result.total
        table.add_row(
            row.unit_name,
            format_number(row.clients),
            format_number(row.own_clients),
            format_hours(row.own_granted_minutes_per_week),
            format_number(row.employees),
            format_number(row.fte, 1),
            format_hours(row.performed_minutes),
            format_hours(row.overtime_minutes),
            format_hours(row.extra_minutes),
            format_percent(row.sick_leave.rate),
            format_percent(row.sick_leave.short_term_rate),
            end_section=not is_total and row is result.units[-1],
            style="bold" if is_total else None,
        )
    console.print(table)


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} är inget datum (ÅÅÅÅ-MM-DD).") from None
