"""`insats time`: time reports. `export` writes the payroll basis for a month; `check` and
`attest` (checks before attestation) are in :mod:`insats.cli.time_approval_commands`.

    insats time export --month 2026-10
    insats time export --month 2026-10 --unit U01 --format xlsx --out lon-2026-10.xlsx
    insats time export --month 2026-10 --format csv --out lon.csv --include-reported
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import typer
from rich.table import Table

from insats.cli.inputs import database
from insats.cli.output import make_console
from insats.cli.time_approval_commands import (
    attest_command,
    check_command,
    correct_command,
    reject_command,
)
from insats.domain.common import DomainError
from insats.domain.formatting import format_hours, format_kronor
from insats.domain.pay_rules import PAY_TYPE_LABELS
from insats.interchange.payroll_export import payroll_sheets, write_payroll_csv
from insats.interchange.xlsx import write_workbook
from insats.services.payroll import PayrollMonth, payroll_month
from insats.services.planning import resolve_units

app = typer.Typer(name="time", help="Tidrapporter: underlag till lön.", no_args_is_help=True)
console = make_console()
FORMATS = ("csv", "xlsx")
app.command("check")(check_command)
app.command("attest")(attest_command)
app.command("correct")(correct_command)
app.command("reject")(reject_command)


def parse_month(text: str) -> tuple[int, int]:
    """``ÅÅÅÅ-MM`` as (year, month), or a Swedish error."""
    found = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not found or not 1 <= int(found[2]) <= 12:
        raise DomainError("time.month", f"Månaden {text!r} ska skrivas ÅÅÅÅ-MM.")
    return int(found[1]), int(found[2])


@app.command("export")
def export(
    month: str = typer.Option(..., "--month", help="Kalendermånad ÅÅÅÅ-MM."),
    units: list[str] = typer.Option(None, "--unit", help="Enhetens id eller namn; upprepa "
                                    "för flera. Utan --unit: alla anställda."),
    output_format: str = typer.Option("csv", "--format", help="csv eller xlsx."),
    out: Path = typer.Option(None, "--out", help="Fil att skriva (krävs för xlsx; csv utan "
                             "--out skrivs till standard ut)."),
    include_reported: bool = typer.Option(False, "--include-reported", help="Ta med "
                                          "rapporterad tid som ännu inte är attesterad."),
) -> None:
    """Löneunderlag: OB, mertid, övertid, jour och timlön per anställd och lönart."""
    if output_format not in FORMATS:
        raise DomainError("time.format", "--format ska vara csv eller xlsx.")
    if output_format == "xlsx" and out is None:
        raise DomainError("time.out", "Ange --out FIL.xlsx för xlsx.")
    year, month_number = parse_month(month)
    factory = database()
    unit_ids = [u.id for u in resolve_units(factory, units)] if units else None
    report = payroll_month(factory, year=year, month=month_number, unit_ids=unit_ids,
                           attested_only=not include_reported)
    rows = report.rows()
    if output_format == "csv":
        if out is None:
            write_payroll_csv(sys.stdout, rows)
            return
        with out.open("w", encoding="utf-8-sig", newline="") as stream:
            write_payroll_csv(stream, rows)
    else:
        head = [("Löneunderlag", report.label), ("Enheter", ", ".join(unit_ids or ["alla"])),
                ("Tid", "attesterad och rapporterad" if include_reported else "attesterad")]
        write_workbook(out, payroll_sheets(report.month.strftime("%Y-%m"), rows, head))
    _print_summary(report, include_reported)
    console.print(f"Skrev {len(rows)} lönerader för {len(report.employees)} anställda "
                  f"till {out}.")


def _print_summary(report: PayrollMonth, include_reported: bool) -> None:
    table = Table(title=f"Löneunderlag {report.label}")
    for title in ("Lönart", "Anställda", "Timmar", "Belopp"):
        table.add_column(title, justify="left" if title == "Lönart" else "right")
    for total in report.totals():
        table.add_row(PAY_TYPE_LABELS[total.pay_type], str(total.employees),
                      format_hours(total.paid_minutes, 2), format_kronor(total.amount_ore, 2))
    table.add_row("[bold]Summa[/]", str(len(report.employees)), "",
                  format_kronor(report.amount_ore, 2), end_section=True)
    console.print(table)
    console.print(f"{report.entries} tidrader i månaden.")
    if report.unattested_left_out and not include_reported:
        console.print(f"{report.unattested_left_out} tidrader är inte attesterade och är "
                      "inte med (--include-reported tar med dem).")
    if any(line.uncertain for line in report.lines):
        console.print("Rader med osäker sats bygger på regelvärden markerade som osäkra; "
                      "kontrollera dem med insats rules list.")
