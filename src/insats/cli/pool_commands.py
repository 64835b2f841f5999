"""`insats pool simulate`: how big should the substitute pool be?

    insats pool simulate --sizes 0..20 --runs 1000
    insats pool simulate --sizes 0..40/2 --runs 1000 --seed 7 --chart pool.svg
    insats pool simulate --sizes 10,20,30 --policy alla

A year of absences is simulated many times against each pool size, with the department's
own history as the model, and the curve of overtime and total cost is shown with 90 %
bands. The command runs as the avdelningschef (see :mod:`insats.cli.local_caller`).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from insats.cli.inputs import database, parse_day
from insats.cli.local_caller import cli_caller
from insats.cli.output import make_console
from insats.domain.common import DomainError
from insats.domain.formatting import format_kronor, format_number
from insats.domain.pool_model import SOURCE_LABELS, CoverSource
from insats.domain.pool_simulation import POLICY_LABELS, Band, CoverPolicy, PolicyOutcome
from insats.reports.pool_chart import pool_curve_svg
from insats.services.pool_simulation import (
    DEFAULT_HISTORY_MONTHS,
    PoolReport,
    pool_basis,
    run_simulation,
)

console = make_console()
app = typer.Typer(help="Vikariepoolen: simulera poolstorlek mot övertid och kostnad.",
                  no_args_is_help=True)
POLICY_CHOICES = {"pool-forst": (CoverPolicy.POOL_FIRST,),
                  "kollega-forst": (CoverPolicy.COLLEAGUE_FIRST,),
                  "alla": (CoverPolicy.POOL_FIRST, CoverPolicy.COLLEAGUE_FIRST)}
MAX_SIZES = 201


def parse_sizes(text: str) -> list[int]:
    """``0..20`` (both ends included), ``0..40/2`` (every second), or ``5,10,15``."""
    cleaned = text.replace(" ", "")
    found = re.fullmatch(r"(\d+)\.\.(\d+)(?:/(\d+))?", cleaned)
    if found:
        first, last, step = int(found[1]), int(found[2]), int(found[3] or 1)
        if last < first or step < 1:
            raise DomainError("cli.sizes", f"--sizes {text!r}: slutet ska vara minst början "
                                           "och steget minst 1.")
        sizes = list(range(first, last + 1, step))
    elif re.fullmatch(r"\d+(,\d+)*", cleaned):
        sizes = sorted({int(part) for part in cleaned.split(",")})
    else:
        raise DomainError("cli.sizes", f"--sizes {text!r}: skriv t.ex. 0..20, 0..40/2 eller "
                                       "10,20,30.")
    if len(sizes) > MAX_SIZES:
        raise DomainError("cli.sizes", f"--sizes: högst {MAX_SIZES} storlekar åt gången.")
    return sizes


@app.command("simulate")
def simulate(
    sizes: str = typer.Option("0..20", "--sizes", help="Poolstorlekar: 0..20, 0..40/2 eller "
                              "10,20,30 (dagens storlek tas alltid med)."),
    runs: int = typer.Option(1000, "--runs", help="Antal simulerade år per storlek."),
    seed: int = typer.Option(2026, "--seed", help="Frö: samma frö ger samma resultat."),
    chart: Path = typer.Option(None, "--chart", help="Skriv kurvan som SVG-fil."),
    policy: str = typer.Option("pool-forst", "--policy", help="Täckningsordning: "
                               "pool-forst, kollega-forst eller alla."),
    history_months: int = typer.Option(DEFAULT_HISTORY_MONTHS, "--history-months",
                                       help="Hur många månaders historik modellen bygger på."),
    on: str = typer.Option(None, "--on", help="Dagens datum ÅÅÅÅ-MM-DD (standard: i dag); "
                           "historiken slutar senast vid månadens början."),
) -> None:
    """Simulera ett år av frånvaro mot olika storlekar på vikariepoolen: förväntad övertid,
    mertid, vikarietimmar, otäckta timmar, pass per vikarie och kostnad, med 90 %-band."""
    if policy not in POLICY_CHOICES:
        raise DomainError("cli.policy", "--policy ska vara pool-forst, kollega-forst eller alla.")
    chosen = parse_sizes(sizes)
    today = parse_day(on, "--on") if on else dt.date.today()
    with console.status("Läser historiken och skattar modellen …"):
        basis = pool_basis(database(), caller=cli_caller("pool simulate"), today=today,
                           history_months=history_months)
    with Progress(TextColumn("[bold]Simulerar[/]"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("år"), TimeElapsedColumn(), console=console) as bar:
        task = bar.add_task("pool", total=runs)
        report = run_simulation(
            basis, sizes=chosen, runs=runs, seed=seed, policies=POLICY_CHOICES[policy],
            progress=lambda done, _total: bar.update(task, completed=done))
    _print_basis(report)
    for outcome in report.simulation.policies:
        _print_outcome(report, outcome)
    _print_validation(report)
    if chart is not None:
        chart.parent.mkdir(parents=True, exist_ok=True)
        chart.write_text(pool_curve_svg(
            report.simulation.policies, today_size=basis.model.pool_size,
            title=f"Vikariepoolens storlek – {format_number(runs)} simulerade år från "
                  f"{report.simulation.start.isoformat()}"), encoding="utf-8")
        console.print(f"Kurvan skrevs till {chart}.")


def _hours(minutes: float) -> str:
    return format_number(minutes / 60)


def _band_hours(band: Band) -> str:
    return f"{_hours(band.mean)} ({_hours(band.low)}–{_hours(band.high)})"


def _kkr(ore: float) -> str:
    return format_number(ore / 100_000)


def _print_basis(report: PoolReport) -> None:
    basis, simulation = report.basis, report.simulation
    model, costs = basis.model, basis.costs
    history = basis.history
    assert history.end is not None
    rate = {s: format_kronor(round(costs.per_hour[s])) for s in CoverSource}
    console.print(
        f"[bold]Poolsimulering[/] – {format_number(simulation.runs)} simulerade år från "
        f"{simulation.start.isoformat()}, frö {simulation.seed}.\n"
        f"Historik {history.start.isoformat()} – "
        f"{(history.end - dt.timedelta(days=1)).isoformat()} ({model.history_weeks} veckor): "
        f"{model.staff} månadsanställda i dag, {model.pool_size} vikarier i poolen.\n"
        f"Oplanerad frånvaro (sjuk, vab) per år: registrerad "
        f"{_hours(model.recorded_absence * 52 / model.recorded_weeks)} h, simulerad "
        f"{_band_hours(simulation.absence_minutes)} h. Behov av ersättare per vecka: "
        f"{_hours(model.structural)} h + {format_number(model.absence_share * 100)} % av "
        f"frånvaron.\n"
        f"Kostnad per timme med PO: vikarie {rate[CoverSource.POOL]}, kollega "
        f"{rate[CoverSource.COLLEAGUE]}, mertid {rate[CoverSource.MERTID]}, övertid "
        f"{rate[CoverSource.OVERTIME]}; introduktion och utbildning "
        f"{format_kronor(round(costs.substitute_upkeep))} per vikarie och år.")


def _print_outcome(report: PoolReport, outcome: PolicyOutcome) -> None:
    model = report.basis.model
    minimum = report.basis.min_shifts_per_month
    table = Table(title=POLICY_LABELS[outcome.policy], title_justify="left",
                  caption="Timmar och kronor per år: förväntat värde (90 %-band). Kostnad i tkr "
                          "med PO; kollegors lediga avtalstid kostar inget extra. * = färre "
                          f"än {minimum} pass per vikarie och månad (risk att vikarier slutar).")
    table.add_column("Pool", justify="right")
    table.add_column("Övertid h", justify="right", no_wrap=True)
    table.add_column("Övertid\ntkr", justify="right")
    table.add_column("Mertid h", justify="right")
    table.add_column("Vikarie h", justify="right")
    table.add_column("Vikarie\ntkr", justify="right")
    table.add_column("Kollega h", justify="right")
    table.add_column("Otäckt h", justify="right")
    table.add_column("Pass per\nvikarie/mån", justify="right")
    table.add_column("Total kostnad tkr", justify="right", no_wrap=True)
    cheapest = outcome.cheapest
    for size in outcome.sizes:
        shifts = size.shifts_per_substitute_month
        few = shifts is not None and shifts.mean < minimum
        total = size.total_cost
        marks = " (i dag)" if size.size == model.pool_size else ""
        marks += " ← lägst" if size is cheapest else ""
        table.add_row(
            f"{size.size}{marks}",
            _band_hours(size.minutes[CoverSource.OVERTIME]),
            _kkr(size.cost[CoverSource.OVERTIME].mean),
            _hours(size.minutes[CoverSource.MERTID].mean),
            _hours(size.minutes[CoverSource.POOL].mean),
            _kkr(size.cost[CoverSource.POOL].mean + size.upkeep),
            _hours(size.minutes[CoverSource.COLLEAGUE].mean),
            _hours(size.minutes[CoverSource.UNCOVERED].mean),
            "–" if shifts is None else format_number(shifts.mean, 1) + ("*" if few else ""),
            f"{_kkr(total.mean)} ({_kkr(total.low)}–{_kkr(total.high)})",
            style="bold" if size is cheapest else None,
        )
    console.print(table)
    largest = outcome.sizes[-1]
    note = ""
    if cheapest is largest and largest.size > 0:
        note = " Det är den största storleken som prövades: pröva fler (--sizes)."
    console.print(f"Lägst förväntad total kostnad: {cheapest.size} vikarier, "
                  f"{_kkr(cheapest.total_cost.mean)} tkr per år.{note}")


def _print_validation(report: PoolReport) -> None:
    check = report.validation
    verdict = ("[green]inom bandet[/]" if check.within
               else "[red]utanför bandet – tolka resultatet med försiktighet[/]")
    console.print(
        f"Kontroll mot historiken ({SOURCE_LABELS[CoverSource.OVERTIME].lower()} med dagens "
        f"pool, {check.size} vikarier): registrerad {_hours(check.recorded_overtime)} h de "
        f"senaste 52 veckorna, simulerad {_band_hours(check.simulated)} h – {verdict}.")
