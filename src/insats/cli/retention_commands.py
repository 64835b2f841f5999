"""`insats retention …`: the retention limits (gallringsfrister) and retention runs."""

from __future__ import annotations

import datetime as dt

import typer
from rich.table import Table

from insats.cli.local_caller import cli_caller
from insats.cli.output import make_console
from insats.config import get_settings
from insats.domain.common import DomainError
from insats.domain.formatting import format_number
from insats.domain.retention import RetentionAction
from insats.domain.rules.parameters import format_parameter_value
from insats.services import retention
from insats.services.runtime import uow_factory_for

app = typer.Typer(help="Gallring: frister per posttyp och gallringskörningar.",
                  no_args_is_help=True)
console = make_console()

ACTION_LABELS = {RetentionAction.REMOVE: "tas bort", RetentionAction.ANONYMISE: "anonymiseras"}
TABLE_LABELS = {
    "time_entries": "tidrapporter", "absences": "frånvaro", "cover_bookings": "vikariebokningar",
    "planned_shifts": "pass", "planning_runs": "planeringskörningar", "clients": "brukare",
    "audit_events": "loggrader", "login_failures": "misslyckade inloggningar",
    "web_sessions": "sessioner",
}


def _date(text: str | None) -> dt.date:
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise DomainError("retention.date", f"Datumet {text!r} ska skrivas ÅÅÅÅ-MM-DD.") \
            from error


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{format_number(n)} {TABLE_LABELS.get(name, name)}"
                     for name, n in counts.items())


@app.command("run")
def run(
    as_of: str = typer.Option(None, "--as-of", help="Gallra som på detta datum ÅÅÅÅ-MM-DD "
                              "(standard: i dag)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Visa vad som skulle gallras, "
                                 "ändra ingenting."),
) -> None:
    """Gallra det som passerat sin frist, i en transaktion, och logga körningen."""
    day = _date(as_of)
    report = retention.run_retention(uow_factory_for(get_settings().database_url),
                                     cli_caller("retention run"), as_of=day, dry_run=dry_run)
    title = (f"Provkörning av gallring per {day.isoformat()} – ingenting ändrades"
             if dry_run else f"Gallring per {day.isoformat()}")
    table = Table(title=title)
    for header in ("Posttyp", "Frist", "Gräns (äldre än)", "Åtgärd", "Antal"):
        table.add_column(header, overflow="fold")
    for item in report.items:
        limit = item.limit
        table.add_row(limit.spec.label,
                      format_parameter_value(limit.parameter.unit, limit.parameter.value),
                      limit.cutoff.isoformat(), ACTION_LABELS[limit.spec.action],
                      _counts(item.counts))
    console.print(table)
    if report.run_id is not None:
        console.print(f"Körningen är loggad som nummer {report.run_id}: "
                      f"{format_number(report.total)} poster gallrade.")
    else:
        console.print(f"Skulle gallra {format_number(report.total)} poster.")


@app.command("rules")
def rules(
    on: str = typer.Option(None, "--on", help="Frister som gäller detta datum (standard: i dag)."),
) -> None:
    """Visa gallringsfristerna med källa; rätta dem med `insats rules set retention.…`."""
    day = _date(on)
    limits = retention.limits_on(uow_factory_for(get_settings().database_url),
                                 cli_caller("retention rules"), day)
    table = Table(title=f"Gallringsfrister {day.isoformat()}")
    for header in ("Posttyp", "Nyckel", "Frist", "Gräns", "Åtgärd", "Räknas från", "Källa"):
        table.add_column(header, overflow="fold")
    for limit in limits:
        table.add_row(limit.spec.label, limit.parameter.key,
                      format_parameter_value(limit.parameter.unit, limit.parameter.value),
                      limit.cutoff.isoformat(), ACTION_LABELS[limit.spec.action],
                      limit.spec.reference, limit.parameter.source)
    console.print(table)


@app.command("log")
def log() -> None:
    """Visa de senaste gallringskörningarna."""
    runs = retention.run_log(uow_factory_for(get_settings().database_url),
                             cli_caller("retention log"))
    table = Table(title="Gallringskörningar")
    for header in ("Nr", "Körd", "Av", "Per", "Gallrat"):
        table.add_column(header, overflow="fold")
    for entry in runs:
        table.add_row(str(entry.id), entry.ran_at.isoformat(timespec="seconds"), entry.ran_by,
                      entry.as_of.isoformat(),
                      "; ".join(_counts(item["counts"]) for item in entry.items))
    console.print(table)
