"""`insats scenarios`: what the action plan's measures would save per year.

    insats scenarios --year 2026
    insats scenarios --year 2026 --unit U03 --meeting-interval-weeks 8 --meeting-minutes 120
    insats scenarios --premises Hemsjö --premises "Hyra lokal Mjörn" --format csv

Each scenario is computed from the department's own data for the year (see
:mod:`insats.services.scenarios`); numbers not given are the dated rule parameters. The
command runs as the avdelningschef (see :mod:`insats.cli.local_caller`).
"""

from __future__ import annotations

import csv
import datetime as dt
import sys

import typer
from rich.markup import escape
from rich.table import Table

from insats.cli.inputs import database, parse_day
from insats.cli.local_caller import cli_caller
from insats.cli.output import make_console
from insats.domain.common import DomainError, Money
from insats.domain.formatting import format_kronor
from insats.domain.rules.parameters import ParameterUnit, parse_parameter_value
from insats.domain.scenarios import ScenarioParameters
from insats.services.scenarios import ScenarioReport, run_scenario_report

console = make_console()
CSV_COLUMNS = ("scenario", "namn", "idag_kr_per_ar", "med_atgard_kr_per_ar",
               "besparing_kr_per_ar", "idag", "med_atgard", "underlag")


def scenarios(
    year: int = typer.Option(None, "--year", help="Året (standard: innevarande år)."),
    unit: str = typer.Option(None, "--unit", help="Bara en enhet (enhetens id)."),
    meeting_interval_weeks: int = typer.Option(
        None, "--meeting-interval-weeks", help="Möte var N:e vecka (standard 12)."),
    meeting_minutes: int = typer.Option(None, "--meeting-minutes",
                                        help="Mötets längd i minuter (standard 90)."),
    training_small_group: int = typer.Option(
        None, "--training-small-group", help="Deltagare per grupp i dag (standard 12)."),
    training_large_group: int = typer.Option(
        None, "--training-large-group", help="Deltagare per storgrupp (standard 40)."),
    training_cost: str = typer.Option(
        None, "--training-cost-per-hour", help="Kronor per utbildningstimme (utbildare, "
                                               "förberedelse, lokal; standard 1 500)."),
    break_minutes: int = typer.Option(None, "--break-minutes",
                                      help="Rastens längd i minuter (standard 30)."),
    break_longer_than: int = typer.Option(
        None, "--break-longer-than", help="Rast i pass längre än så många minuter "
                                          "(standard 360)."),
    school_taxi_share: str = typer.Option(
        None, "--school-taxi-share", help="Skolskjutsens andel av taxikostnaden i procent "
                                          "(standard: raderna vars text nämner skolskjuts)."),
    premises: list[str] = typer.Option(
        None, "--premises", help="Lokal att säga upp: del av enhetens namn, kontotext eller "
                                 "hyresvärd (kan upprepas; standard: lokaler med låg "
                                 "nyttjandegrad enligt texten)."),
    output_format: str = typer.Option("table", "--format", help="table eller csv."),
    on: str = typer.Option(None, "--on", help="Dagens datum ÅÅÅÅ-MM-DD (standard: i dag)."),
) -> None:
    """Scenarioberäkning: besparing per år för åtgärderna i handlingsplanen (möten,
    utbildning i storgrupp, raster, skolskjuts, lokaler), med underlag."""
    if output_format not in ("table", "csv"):
        raise DomainError("scenario.format", "--format ska vara table eller csv.")
    today = parse_day(on, "--on") if on else dt.date.today()
    parameters = ScenarioParameters(
        meeting_interval_weeks=meeting_interval_weeks, meeting_minutes=meeting_minutes,
        training_small_group=training_small_group, training_large_group=training_large_group,
        training_cost_per_hour=Money.kronor(training_cost).ore if training_cost else None,
        break_minutes=break_minutes, break_longer_than=break_longer_than,
        school_taxi_share=(parse_parameter_value(ParameterUnit.PERMILLE, school_taxi_share)
                           if school_taxi_share else None),
        premises=tuple(premises) if premises else None,
    )
    report = run_scenario_report(database(), caller=cli_caller("scenarios"),
                                 year=year or today.year, unit_id=unit,
                                 parameters=parameters, today=today)
    if output_format == "csv":
        _write_csv(report)
    else:
        _print(report)


def _kronor(money: Money) -> str:
    return format_kronor(money.ore)


def _print(report: ScenarioReport) -> None:
    scope = ", ".join(u.name for u in report.units) if len(report.units) <= 3 else (
        f"{len(report.units)} enheter")
    table = Table(title=f"Scenarier {report.year} – {escape(scope)}",
                  caption=f"Underlag: {report.window.label}. Belopp per år.")
    table.add_column("Scenario", ratio=1, min_width=20)
    for title in ("I dag", "Med åtgärd", "Besparing/år"):
        table.add_column(title, justify="right", no_wrap=True)
    for result in report.results:
        table.add_row(f"{escape(result.name)}\n[dim]{escape(result.baseline)} → "
                      f"{escape(result.scenario)}[/]",
                      _kronor(result.baseline_cost), _kronor(result.scenario_cost),
                      _kronor(result.saving), end_section=result is report.results[-1])
    table.add_row("[bold]Summa[/]", "", "", f"[bold]{_kronor(report.total_saving)}[/]")
    console.print(table)
    for result in report.results:
        console.print(f"\n[bold]Underlag: {escape(result.name)}[/]")
        for line in result.basis:
            console.print(f"  {escape(line)}" if line.startswith("–") else
                          f"• {escape(line)}", highlight=False)


def _write_csv(report: ScenarioReport) -> None:
    writer = csv.writer(sys.stdout, delimiter=";", lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for result in report.results:
        writer.writerow([result.key.value, result.name, round(result.baseline_cost.ore / 100),
                         round(result.scenario_cost.ore / 100), round(result.saving.ore / 100),
                         result.baseline, result.scenario, " | ".join(result.basis)])
