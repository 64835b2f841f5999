"""`insats figures`: the key figures of docs/key-figures.md per month and for the whole
period, for the department or chosen units, as a table, CSV or XLSX.

    insats figures --year 2026
    insats figures --unit U01 --period 2026-01..2026-10
    insats figures --period 2026-01..2026-10 --format xlsx --out nyckeltal.xlsx
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.table import Table

from insats.cli.inputs import database, parse_day
from insats.cli.local_caller import cli_caller
from insats.cli.output import make_console, write_export
from insats.domain.common import DomainError
from insats.domain.figure_catalogue import (
    SUPPRESSED_MARK,
    FigureReport,
    FigureScope,
    format_cell,
    period_label,
)
from insats.interchange.figure_export import TOTAL_LABEL, figure_sheets, write_figures_csv
from insats.services.key_figures import figure_report, parse_period
from insats.services.planning import resolve_units

console = make_console()
FORMATS = ("table", "csv", "xlsx")
def figures(
    units: list[str] = typer.Option(None, "--unit", help="Enhetens id eller namn; upprepa "
                                    "för flera. Utan --unit: hela avdelningen."),
    year: int = typer.Option(None, "--year", help="Kalenderår, t.ex. 2026."),
    period: str = typer.Option(None, "--period", help="Månader ÅÅÅÅ-MM..ÅÅÅÅ-MM, t.ex. "
                               "2026-01..2026-10."),
    output_format: str = typer.Option("table", "--format", help="table, csv eller xlsx."),
    out: Path = typer.Option(None, "--out", help="Fil att skriva (csv och xlsx; csv utan "
                             "--out skrivs till standard ut)."),
    as_of: str = typer.Option(None, "--as-of", help="Dagens datum: pass före den månaden "
                              "som saknar tidrapport räknas som intäkt i fara."),
) -> None:
    """Nyckeltal per månad och för hela perioden: ekonomi, timmar, FK, personal, Kolada."""
    if output_format not in FORMATS:
        raise DomainError("figures.format", "--format ska vara table, csv eller xlsx.")
    start, end = parse_period(year, period)
    today = parse_day(as_of, "--as-of") if as_of else dt.date.today()
    factory = database()
    unit_ids = [u.id for u in resolve_units(factory, units)] if units else None
    report = figure_report(factory, caller=cli_caller("figures"), start=start, end=end,
                           unit_ids=unit_ids, today=today)
    if write_export(output_format, out, csv=lambda stream: write_figures_csv(stream, report),
                    sheets=lambda: figure_sheets(report, (("Läge per", today.isoformat()),)),
                    what=f"nyckeltalen för {period_label(start, end)}", console=console):
        return
    shown = [s for s in report.scopes if s.unit_id is not None] if unit_ids else []
    if not shown or len(shown) > 1:
        shown.append(report.scope(None))
    for scope in shown:
        _print_scope(report, scope)
    if report.suppressed:
        console.print(f"{SUPPRESSED_MARK} = dolt: färre än 5 brukare eller anställda.")


def _print_scope(report: FigureReport, scope: FigureScope) -> None:
    table = Table(title=f"Nyckeltal {scope.label}, {period_label(report.start, report.end)}")
    table.add_column("Nyckeltal")
    table.add_column("Mått")
    table.add_column("Kolada")
    for month in report.months:
        table.add_column(month, justify="right")
    table.add_column(TOTAL_LABEL, justify="right")
    for definition in report.definitions:
        table.add_row(definition.name, definition.unit.value, definition.kolada_id or "",
                      *(format_cell(definition, report.cell(definition.code, scope.unit_id, k))
                        for k in report.period_keys))
    console.print(table)
