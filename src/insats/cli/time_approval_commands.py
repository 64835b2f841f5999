"""`insats time check|attest|correct|reject`: checks before attestation (issue 5).

    insats time check --month 2026-10
    insats time check --month 2026-10 --unit U01 --unit U02
    insats time attest --unit U01 --month 2026-10 --all-clean
    insats time attest --unit U01 --month 2026-10 --entry TE1 --entry TE2
    insats time attest --unit U01 --month 2026-10 --entry TE3 --force "Avtalat med lön"
    insats time correct TE4 --start "2026-10-05 07:00" --end "2026-10-05 15:30" \
        --break 30 --reason "Gick hem tidigare"
    insats time reject TE5 --reason "Dubbelrapporterad"

Registered on the ``time`` group by :mod:`insats.cli.time_commands`. The command line acts
as the avdelningschef (:mod:`insats.cli.local_caller`); its reads are in the access log.
"""

from __future__ import annotations

import datetime as dt

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from insats.cli.absence_commands import parse_month
from insats.cli.inputs import database
from insats.cli.local_caller import cli_caller
from insats.cli.output import make_console
from insats.domain.calendar import STOCKHOLM
from insats.domain.common import DomainError
from insats.domain.time_checks import FLAG_LABELS
from insats.services.form_input import local_input_value
from insats.services.planning import resolve_units
from insats.services.time_approval import (
    CorrectionInputError,
    TimeCheck,
    attest,
    check_time_reports,
    correct_from_input,
    reject,
)

console = make_console()


def _run_check(units: list[str] | None, month: str, command: str) -> TimeCheck:
    year, month_number = parse_month(month)
    factory = database()
    unit_ids = [u.id for u in resolve_units(factory, units)] if units else None
    with Progress(TextColumn("[bold]Kontrollerar tidrapporter[/]"), BarColumn(),
                  MofNCompleteColumn(), console=console, transient=True) as bar:
        task = bar.add_task("enheter", total=None)

        def on_progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return check_time_reports(factory, caller=cli_caller(command),
                                  month=dt.date(year, month_number, 1), unit_ids=unit_ids,
                                  progress=on_progress)


def check_command(
    month: str = typer.Option(..., "--month", help="Kalendermånad ÅÅÅÅ-MM."),
    units: list[str] = typer.Option(None, "--unit", help="Enhetens id eller namn; upprepa "
                                    "för flera. Utan --unit: alla enheter."),
) -> None:
    """Kontroll före attest: flaggor per rapporterad tidrad med regel och källa."""
    result = _run_check(units, month, "time check")
    table = Table(title=f"Flaggade tidrader {result.month:%Y-%m}")
    for title in ("Tidrad", "Enhet", "Medarbetare", "Tid", "Flagga", "Förklaring", "Regel"):
        table.add_column(title)
    for checked in result.entries:
        entry = checked.entry
        employee = result.employees.get(entry.employee_id)
        when = (f"{entry.start.astimezone(STOCKHOLM):%Y-%m-%d %H:%M}–"
                f"{entry.end.astimezone(STOCKHOLM):%H:%M}")
        for flag in checked.flags:
            table.add_row(entry.id, checked.unit_id,
                          employee.display_name if employee else entry.employee_id, when,
                          f"{flag.label} ({flag.severity.value})", flag.text, flag.rule)
    if result.flagged:
        console.print(table)
    summary = Table(title="Sammanfattning")
    summary.add_column("Flagga")
    summary.add_column("Tidrader", justify="right")
    for code, count in result.counts().items():
        summary.add_row(FLAG_LABELS[code], str(count))
    summary.add_row("[bold]Utan flaggor[/]", str(len(result.entries) - result.flagged),
                    end_section=True)
    summary.add_row("[bold]Kontrollerade[/]", str(len(result.entries)))
    console.print(summary)


def attest_command(
    month: str = typer.Option(..., "--month", help="Kalendermånad ÅÅÅÅ-MM."),
    unit: str = typer.Option(..., "--unit", help="Enhetens id eller namn."),
    entries: list[str] = typer.Option(None, "--entry", help="Tidradens id; upprepa för "
                                      "flera."),
    all_clean: bool = typer.Option(False, "--all-clean", help="Attestera alla rapporterade "
                                   "tidrader i enheten och månaden som saknar flaggor."),
    force: str = typer.Option(None, "--force", help="Motivering för att attestera namngivna "
                              "tidrader trots flaggor."),
) -> None:
    """Attestera tidrader: de utan flaggor, eller de namngivna (flaggade bara med --force)."""
    if bool(entries) == all_clean:
        raise DomainError("time.attest_choice", "Ange antingen --entry ID … eller --all-clean.")
    result = _run_check([unit], month, "time attest")
    in_queue = {c.entry.id: c for c in result.entries}
    if all_clean:
        chosen = [c.entry.id for c in result.entries if c.clean]
    else:
        missing = [e for e in entries if e not in in_queue]
        if missing:
            raise DomainError("time.attest_missing",
                              f"Tidraderna {', '.join(missing)} väntar inte på attest i "
                              "enheten och månaden.")
        chosen = list(dict.fromkeys(entries))
    if not chosen:
        console.print("Inga tidrader att attestera.")
        return
    try:
        done = attest(database(), caller=cli_caller("time attest"), entry_ids=chosen,
                      override_reason=force)
    except DomainError as error:
        if error.code == "time.attest_flagged":
            raise DomainError(error.code, f"{error.message} Ange --force MOTIVERING för att "
                              "attestera dem ändå.") from error
        raise
    console.print(f"Attesterade {len(done.attested)} tidrader.")
    if done.flagged:
        console.print(f"{len(done.flagged)} av dem hade flaggor; motiveringen är sparad.")
    left = sum(1 for c in result.entries if c.flags and c.entry.id not in done.attested)
    if left:
        console.print(f"{left} flaggade tidrader väntar kvar (insats time check visar dem).")


def correct_command(
    entry_id: str = typer.Argument(..., help="Tidradens id."),
    start: str = typer.Option(..., "--start", help="Ny start, ÅÅÅÅ-MM-DD TT:MM (svensk tid)."),
    end: str = typer.Option(..., "--end", help="Nytt slut, ÅÅÅÅ-MM-DD TT:MM (svensk tid)."),
    break_minutes: str = typer.Option("0", "--break", help="Rast i minuter."),
    reason: str = typer.Option(..., "--reason", help="Varför tidraden rättas."),
) -> None:
    """Rätta en tidrad: en ny rapporterad rad ersätter den, den gamla sparas som den var."""
    try:
        corrected = correct_from_input(database(), caller=cli_caller("time correct"),
                                       entry_id=entry_id, start=start, end=end,
                                       break_minutes=break_minutes, reason=reason)
    except CorrectionInputError as invalid:
        options = {"start": "--start", "end": "--end", "break_minutes": "--break",
                   "reason": "--reason"}
        raise DomainError(invalid.code, " ".join(
            f"{options.get(name, name)}: {message}"
            for name, message in invalid.errors.items())) from invalid
    console.print(f"Tidrad {entry_id} rättades; den nya raden {corrected.id} "
                  f"({local_input_value(corrected.start).replace('T', ' ')}–"
                  f"{local_input_value(corrected.end)[11:]}, rast {corrected.break_minutes} "
                  "min) väntar på attest.")


def reject_command(
    entry_id: str = typer.Argument(..., help="Tidradens id."),
    reason: str = typer.Option(..., "--reason", help="Varför tidraden avvisas."),
) -> None:
    """Avvisa en rapporterad tidrad med en orsak."""
    rejected = reject(database(), caller=cli_caller("time reject"), entry_id=entry_id,
                      reason=reason)
    console.print(f"Tidrad {rejected.id} avvisades.")
