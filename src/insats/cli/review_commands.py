"""`insats review NAME`: the reviews of the action plan (issue 8) as a table, CSV or XLSX.

    insats review taxi --year 2026
    insats review taxi --period 2026-01..2026-10 --unit U09 --format xlsx --out taxi.xlsx

Runs as the department head (:mod:`insats.cli.local_caller`).
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from insats.cli.inputs import database
from insats.cli.local_caller import cli_caller
from insats.cli.output import make_console, write_export
from insats.domain.common import DomainError
from insats.domain.reviews import CellKind, ReviewName, format_cell
from insats.interchange.review_export import review_sheets, write_review_csv
from insats.services.key_figures import parse_period
from insats.services.planning import resolve_units
from insats.services.review_catalogue import run_review

console = make_console()
FORMATS = ("table", "csv", "xlsx")
NAMES = ", ".join(n.value for n in ReviewName)


def review(
    name: str = typer.Argument(..., help=f"Översynen: {NAMES}."),
    year: int = typer.Option(None, "--year", help="Kalenderår, t.ex. 2026."),
    period: str = typer.Option(None, "--period", help="Månader ÅÅÅÅ-MM..ÅÅÅÅ-MM."),
    units: list[str] = typer.Option(None, "--unit", help="Enhetens id eller namn; upprepa "
                                    "för flera. Utan --unit: hela avdelningen."),
    output_format: str = typer.Option("table", "--format", help="table, csv eller xlsx."),
    out: Path = typer.Option(None, "--out", help="Fil att skriva (csv och xlsx)."),
) -> None:
    """Översynerna i handlingsplanen: vad som hittades, tabeller och underlag."""
    if output_format not in FORMATS:
        raise DomainError("review.format", "--format ska vara table, csv eller xlsx.")
    start, end = parse_period(year, period)
    factory = database()
    unit_ids = [u.id for u in resolve_units(factory, units)] if units else None
    report = run_review(factory, caller=cli_caller(f"review {name}"), name=name,
                        start=start, end=end, unit_ids=unit_ids)
    if write_export(output_format, out, csv=lambda stream: write_review_csv(stream, report),
                    sheets=lambda: review_sheets(report), what="översynen", console=console):
        return
    console.print(f"[bold]{report.title}[/] – {report.period_label}, {report.scope_label}")
    console.print(f"Åtgärd i handlingsplanen: {report.action}")
    for finding in report.findings:
        console.print(f"• {finding}")
    for review_table in report.tables:
        table = Table(title=review_table.title)
        for column in review_table.columns:
            table.add_column(column.title, justify="left" if column.kind in (
                CellKind.TEXT, CellKind.DATE) else "right")
        for row in review_table.rows:
            table.add_row(*(format_cell(c.kind, v)
                            for c, v in zip(review_table.columns, row, strict=True)))
        if review_table.totals and review_table.rows:
            table.add_row(*("Summa" if i == 0 else
                            format_cell(c.kind, review_table.column_total(i))
                            if review_table.column_total(i) is not None else ""
                            for i, c in enumerate(review_table.columns)), style="bold")
        console.print(table)
    if report.basis:
        console.print("[dim]Underlag:[/]")
        for line in report.basis:
            console.print(f"[dim]– {line}[/]")
