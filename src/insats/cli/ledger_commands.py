"""`insats ledger`: the hour ledger per client and unit for a week, a month or a settlement
period, as a table, CSV or XLSX, with findings and a drill-down to shifts and time entries.

    insats ledger --unit U01 --month 2026-10
    insats ledger --unit U01 --week 2026-W43 --format csv --out v43.csv
    insats ledger --period 2026-10-15 --format xlsx --out period.xlsx
    insats ledger --month 2026-09 --client B-0001 --figure utover_beviljat
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import typer
from rich.table import Table

from insats.cli.inputs import database, parse_day
from insats.cli.output import make_console
from insats.domain.common import DomainError, IsoWeek
from insats.domain.findings import find
from insats.domain.formatting import format_hours, format_kronor
from insats.domain.ledger import FIGURE_LABELS, Figure, LedgerFigures, ore_of
from insats.interchange.ledger_export import LedgerRow, ledger_sheet, write_ledger_csv
from insats.interchange.xlsx import write_workbook
from insats.services.ledger import LedgerReport, Window, drill_down, ledger_report
from insats.services.planning import resolve_units
from insats.services.rules import rule_value
from insats.services.runtime import UowFactory

console = make_console()
FORMATS = ("table", "csv", "xlsx")


def _window(month: str | None, week: str | None, period: str | None) -> Window:
    given = [v for v in (month, week, period) if v]
    if len(given) != 1:
        raise DomainError("ledger.window",
                          "Ange exakt en av --month ÅÅÅÅ-MM, --week ÅÅÅÅ-Wvv eller "
                          "--period ÅÅÅÅ-MM-DD.")
    if month:
        found = re.fullmatch(r"(\d{4})-(\d{2})", month)
        if not found or not 1 <= int(found[2]) <= 12:
            raise DomainError("ledger.month", f"Månaden {month!r} ska skrivas ÅÅÅÅ-MM.")
        return Window.month(int(found[1]), int(found[2]))
    if week:
        found = re.fullmatch(r"(\d{4})-?W(\d{1,2})", week, flags=re.IGNORECASE)
        if not found:
            raise DomainError("ledger.week", f"Veckan {week!r} ska skrivas ÅÅÅÅ-Wvv, "
                                             "t.ex. 2026-W43.")
        return Window.week(IsoWeek(int(found[1]), int(found[2])))
    assert period is not None
    return Window.period_on(parse_day(period, "--period"))


def ledger(
    units: list[str] = typer.Option(None, "--unit", help="Enhetens id eller namn; upprepa "
                                    "för flera. Utan --unit: hela avdelningen."),
    month: str = typer.Option(None, "--month", help="Kalendermånad ÅÅÅÅ-MM."),
    week: str = typer.Option(None, "--week", help="ISO-vecka ÅÅÅÅ-Wvv."),
    period: str = typer.Option(None, "--period", help="Varje brukares avräkningsperiod som "
                               "omfattar dagen ÅÅÅÅ-MM-DD."),
    output_format: str = typer.Option("table", "--format", help="table, csv eller xlsx."),
    out: Path = typer.Option(None, "--out", help="Fil att skriva (csv och xlsx; csv utan "
                             "--out skrivs till standard ut)."),
    as_of: str = typer.Option(None, "--as-of", help="Dagens datum för rapporteringsläget "
                              "(standard: i dag)."),
    client: str = typer.Option(None, "--client", help="Brukarens kod: visa posterna bakom "
                               "siffrorna."),
    figure: str = typer.Option(None, "--figure", help="Med --client: bara en post, t.ex. "
                               "utover_beviljat."),
) -> None:
    """Timliggaren: beviljat, schemalagt, utfört, debiterbart och förlorat per brukare."""
    if output_format not in FORMATS:
        raise DomainError("ledger.format", "--format ska vara table, csv eller xlsx.")
    window = _window(month, week, period)
    today = parse_day(as_of, "--as-of") if as_of else dt.date.today()
    factory = database()
    if client:
        _show_drill_down(factory, client, window, today, figure)
        return
    unit_ids = [u.id for u in resolve_units(factory, units)] if units else None
    report = ledger_report(factory, window=window, as_of=today, unit_ids=unit_ids)
    rows = [LedgerRow(r.pseudonym, r.unit_id, r.start, r.end, r.figures) for r in report.rows]
    if output_format == "csv":
        if out is None:
            write_ledger_csv(sys.stdout, rows)
        else:
            with out.open("w", encoding="utf-8-sig", newline="") as stream:
                write_ledger_csv(stream, rows)
            console.print(f"Skrev {len(rows)} brukare till {out}.")
        return
    if output_format == "xlsx":
        if out is None:
            raise DomainError("ledger.out", "Ange --out FIL.xlsx för xlsx.")
        head = [("Timliggare", window.label), ("Enheter", ", ".join(unit_ids or ["alla"])),
                ("Läge per", today.isoformat())]
        write_workbook(out, [ledger_sheet(f"Timliggare {window.label}", rows, head)])
        console.print(f"Skrev {len(rows)} brukare till {out}.")
        return
    _print_table(report)
    share = rule_value(factory, "ledger.finding_share", today)
    _print_findings(report, share)


def _h(minutes: int) -> str:
    return format_hours(minutes, 1)


def _kr(ore: int) -> str:
    return format_kronor(ore)


def _print_table(report: LedgerReport) -> None:
    table = Table(title=f"Timliggare {report.window.label} (läge {report.as_of.isoformat()})")
    for title in ("Brukare", "Period", "Beviljat", "Schemalagt", "Utfört", "Attesterat",
                  "Debiterbart FK", "Utöver beviljat", "Ej utnyttjat", "Ej rapporterat",
                  "Ej ersättning", "Dubbel bev./utf."):
        table.add_column(title, justify="left" if title in ("Brukare", "Period") else "right")

    def cells(f: LedgerFigures) -> list[str]:
        return [
            _h(f.minutes(Figure.GRANTED)), _h(f.minutes(Figure.SCHEDULED)),
            _h(f.minutes(Figure.PERFORMED)), _h(f.minutes(Figure.ATTESTED)),
            f"{_h(f.minutes(Figure.BILLABLE))}\n{_kr(f.ore(Figure.BILLABLE))}",
            f"{_h(f.minutes(Figure.BEYOND))}\n{_kr(f.ore(Figure.BEYOND))}",
            _h(f.unused_minutes),
            f"{_h(f.minutes(Figure.UNREPORTED))}\n{_kr(f.ore(Figure.UNREPORTED))}",
            f"{_h(f.not_payable_minutes)}\n{_kr(f.not_payable_ore)}",
            f"{_h(f.minutes(Figure.GRANTED_DOUBLE))}/{_h(f.minutes(Figure.PERFORMED_DOUBLE))}",
        ]

    for row in report.rows:
        last = row.end - dt.timedelta(days=1)
        table.add_row(row.pseudonym, f"{row.start.isoformat()}–{last.isoformat()}",
                      *cells(row.figures))
    table.add_row("[bold]Summa[/]", "", *cells(report.total), end_section=True)
    console.print(table)
    console.print(f"{len(report.rows)} brukare. Belopp: debiterbart = intäkt från FK; utöver "
                  "beviljat = personalkostnad utan intäkt; ej rapporterat och ej ersättning = "
                  "intäkt i fara eller förlorad.")


def _print_findings(report: LedgerReport, share_permille: int) -> None:
    found = [f for row in report.rows
             for f in find(row.pseudonym, row.start, row.end, row.figures,
                           share_permille=share_permille)]
    if not found:
        console.print("Inga avvikelser över väsentlighetsgränsen.")
        return
    table = Table(title="Avvikelser")
    table.add_column("Brukare")
    table.add_column("Avvikelse")
    for finding in found:
        table.add_row(finding.client_id, finding.message)
    console.print(table)


def _show_drill_down(factory: UowFactory, client: str, window: Window, today: dt.date,
                     figure_name: str | None) -> None:
    figure = None
    if figure_name:
        try:
            figure = Figure(figure_name)
        except ValueError:
            names = ", ".join(f.value for f in Figure)
            raise DomainError("ledger.figure", f"Okänd post {figure_name!r}; välj bland: "
                                               f"{names}.") from None
    result = drill_down(factory, client_pseudonym=client, window=window, as_of=today,
                        figure=figure)
    last = result.end - dt.timedelta(days=1)
    table = Table(title=f"{result.client_pseudonym} {result.start.isoformat()}–"
                        f"{last.isoformat()}"
                        + (f": {FIGURE_LABELS[figure]}" if figure else ""))
    for title in ("Dag", "Post", "Källa", "Id", "Timmar", "Belopp", "Detalj"):
        table.add_column(title, justify="right" if title in ("Timmar", "Belopp") else "left")
    for item in sorted(result.items, key=lambda i: (i.day, i.source_id, i.figure.value)):
        table.add_row(item.day.isoformat(), FIGURE_LABELS[item.figure], item.source,
                      item.source_id, format_hours(item.minutes, 2),
                      _kr(ore_of(item.value)) if item.value else "", item.detail)
    console.print(table)
    console.print(f"{len(result.items)} poster.")
