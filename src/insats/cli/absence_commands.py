"""`insats absence report|alerts`: sick leave per unit and month, and per manager the
employees who need a follow-up talk.

    insats absence report --month 2026-10
    insats absence report --unit U01 --month 2026-10
    insats absence alerts --on 2026-11-22
    insats absence alerts --unit "Personlig assistans Noltorp"

The command runs as the avdelningschef; every read is written to the access log as the
user ``cli`` (see :mod:`insats.cli.local_caller`).
"""

from __future__ import annotations

import datetime as dt
import re

import typer
from rich.table import Table

from insats.cli.inputs import database, parse_day
from insats.cli.local_caller import cli_caller
from insats.cli.output import make_console
from insats.domain.calendar import month_label
from insats.domain.common import DomainError
from insats.domain.formatting import format_hours, format_kronor, format_number, format_percent
from insats.domain.sick_leave import ALERT_LABELS, long_term_rate
from insats.services import sick_leave
from insats.services.planning import resolve_units
from insats.services.runtime import UowFactory
from insats.services.summary import previous_month

console = make_console()
app = typer.Typer(help="Sjukfrånvaro: rapport per enhet och månad, och vem som behöver "
                       "ett uppföljningssamtal.", no_args_is_help=True)


def parse_month(text: str, option: str = "--month") -> tuple[int, int]:
    found = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not found or not 1 <= int(found[2]) <= 12:
        raise DomainError("cli.month", f"{option}: {text!r} ska skrivas ÅÅÅÅ-MM.")
    return int(found[1]), int(found[2])


def _unit_id(factory: UowFactory, unit: str | None) -> str | None:
    return None if unit is None else resolve_units(factory, [unit])[0].id


@app.command("report")
def report(
    unit: str = typer.Option(None, "--unit", help="Enhetens id eller namn (standard: alla)."),
    month: str = typer.Option(None, "--month", help="Kalendermånad ÅÅÅÅ-MM (standard: "
                              "förra månaden)."),
) -> None:
    """Sjukfrånvaro per enhet: andel av avtalad arbetstid, dag 1–14 och dag 15–,
    sjuktillfällen, sjuklön och karensavdrag."""
    chosen = parse_month(month) if month else previous_month(dt.date.today())
    factory = database()
    result = sick_leave.sick_leave_report(factory, caller=cli_caller("absence report"),
                                          month=chosen, unit_id=_unit_id(factory, unit))
    table = Table(
        title=f"Sjukfrånvaro {month_label(*chosen)}",
        caption="Sjukfrånvaro i procent av avtalad arbetstid för månads- och visstidsanställda "
                "(timvikarier ingår inte). Kort = dag 1–14 i sjukperioden, lång = dag 15–. "
                "Sjuklön dag 1–14 före karensavdrag.",
    )
    table.add_column("Enhet", ratio=1, min_width=16)
    table.add_column("Chef")
    for header in ("Avtalad\ntid", "Sjuk-\ntid", "Sjuk-\nfrånvaro", "Kort\n(dag 1–14)",
                   "Lång\n(dag 15–)", "Sjuk-\ntillfällen", "Sjuklön", "Karens-\navdrag"):
        table.add_column(header, justify="right", no_wrap=True)
    for row in [*result.units, result.total]:
        is_total = row is result.total
        tally = row.tally
        table.add_row(
            row.unit_name, row.manager_name or "",
            format_hours(tally.contracted_minutes), format_hours(tally.sick_minutes),
            format_percent(tally.rate), format_percent(tally.short_term_rate),
            format_percent(long_term_rate(tally)), format_number(row.occasions),
            format_kronor(row.sick_pay.ore), format_kronor(row.karens.ore),
            end_section=not is_total and row is result.units[-1],
            style="bold" if is_total else None,
        )
    console.print(table)


@app.command("alerts")
def alerts(
    unit: str = typer.Option(None, "--unit", help="Enhetens id eller namn (standard: alla)."),
    on: str = typer.Option(None, "--on", "--datum", help="Dag ÅÅÅÅ-MM-DD (standard: i dag)."),
) -> None:
    """Per chef: medarbetare med sex eller fler sjuktillfällen på tolv månader, lång
    sjukfrånvaro eller plan för återgång i arbete, med datum för läkarintyg (dag 8),
    sjukpenning från FK (dag 15) och planen (dag 30)."""
    day = parse_day(on, "--on") if on else dt.date.today()
    factory = database()
    lists = sick_leave.follow_up_list(factory, caller=cli_caller("absence alerts"), on=day,
                                      unit_id=_unit_id(factory, unit))
    listed = sum(len(m.rows) for m in lists)
    units = sum(1 for m in lists if m.rows)
    console.print(f"[bold]Uppföljning av sjukfrånvaro {day.isoformat()}[/]: {listed} "
                  f"medarbetare i {units} {'enhet' if units == 1 else 'enheter'} behöver "
                  "ett uppföljningssamtal.")
    for manager in lists:
        if not manager.rows:
            continue
        table = Table(title=f"{manager.unit_name} – chef: {manager.manager_name or 'saknas'}",
                      title_justify="left")
        table.add_column("Medarbetare", min_width=18)
        table.add_column("Skäl", ratio=1)
        table.add_column("Tillfällen\n12 mån", justify="right")
        table.add_column("Sjuk sedan", no_wrap=True)
        table.add_column("Läkarintyg\nfrån (dag 8)", no_wrap=True)
        table.add_column("FK från\n(dag 15)", no_wrap=True)
        table.add_column("Plan senast\n(dag 30)", no_wrap=True)
        for row in manager.rows:
            marks = row.milestones
            reasons = "\n".join(f"{ALERT_LABELS[a.kind]}: {a.message}" for a in row.alerts)
            table.add_row(
                row.employee_name, reasons, format_number(row.occasions_12_months),
                "" if row.current is None else row.current.start.isoformat(),
                _day(None if marks is None else marks.certificate_from),
                _day(None if marks is None else marks.fk_from),
                _day(None if marks is None else marks.return_plan_due),
            )
        console.print(table)


def _day(day: dt.date | None) -> str:
    return "–" if day is None else day.isoformat()
