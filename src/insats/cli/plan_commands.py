"""`insats plan …`: roster planning runs with a live progress bar, proposals and publishing.

``insats plan --unit U --from 2026-12-07 --weeks 4 --time-limit 60`` plans (the group's
own options, run when no subcommand follows); ``list``, ``show``, ``publish``, ``replan``
and ``fail`` are subcommands. Options for a new plan and a subcommand cannot be mixed.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from insats.cli.inputs import database
from insats.cli.output import make_console
from insats.domain.common import Period
from insats.domain.formatting import format_hours, format_number
from insats.domain.planning import ProgressPoint
from insats.domain.planning_runs import (
    PLAN_STATUS_LABELS,
    RUN_STATUS_LABELS,
    PlanningRun,
    RunFigures,
    RunStatus,
)
from insats.domain.validate import PENALTY_LABELS
from insats.services import planning
from insats.services.planning import RunView

app = typer.Typer(
    help="Schemaplanering: planera en period, visa och publicera förslag, planera om efter "
         "frånvaro. Ny planering: insats plan --unit U01 --from 2026-12-07 --weeks 4 "
         "--time-limit 60",
    invoke_without_command=True,
)
console = make_console()


@app.callback()
def plan(
    ctx: typer.Context,
    units: list[str] = typer.Option(
        None, "--unit", help="Enhetens id eller namn; upprepa för flera enheter."
    ),
    start: str = typer.Option(None, "--from", help="Första dagen, en måndag (ÅÅÅÅ-MM-DD)."),
    weeks: int = typer.Option(4, "--weeks", min=1, max=12, help="Antal veckor."),
    time_limit: float = typer.Option(60.0, "--time-limit", min=1, help="Sekunder att söka."),
    seed: int = typer.Option(0, "--seed", help="Slumpfrö; samma frö ger samma sökning."),
    workers: int = typer.Option(2, "--workers", min=1, max=16, help="Parallella sökare."),
    co_planning: bool = typer.Option(
        True, "--co-planning/--no-co-planning",
        help="Får personal planeras i enhetens andra grupper (samplanering)?",
    ),
    by_need: bool = typer.Option(
        False, "--by-need",
        help="Korttidsvistelse och korttidstillsyn: bemanna efter barnen som är bokade "
             "och enhetens bemanningsregel i stället för hela schemastrukturen.",
    ),
) -> None:
    """Planera ett schema för enheterna från en måndag, spara förslaget och visa resultatet.

    Exempel: insats plan --unit U01 --from 2026-12-07 --weeks 4 --time-limit 60
    """
    if ctx.invoked_subcommand is not None:
        if units or start:
            raise typer.BadParameter("--unit och --from hör till en ny planering, inte till "
                                     f"'insats plan {ctx.invoked_subcommand}'.")
        return
    if not units or not start:
        if units or start:
            raise typer.BadParameter("Ange både --unit och --from för att planera.")
        console.print(ctx.get_help())
        raise typer.Exit(0)
    factory = database()
    with _live_progress(time_limit) as on_progress:
        run = planning.start_run(
            factory, units=units, start=_date(start), weeks=weeks, time_limit=time_limit,
            seed=seed, workers=workers, co_planning=co_planning, progress=on_progress,
            by_need=by_need,
        )
    _print_run(planning.get_run(factory, run.id))


@app.command("list")
def list_runs(
    limit: int = typer.Option(30, "--limit", min=1, help="Hur många av de senaste."),
) -> None:
    """Lista de senaste planeringarna."""
    table = Table(title="Planeringar")
    for header in ("Id", "Skapad (UTC)", "Enheter", "Period", "Status", "Kostnad", "Pass",
                   "Publicerad"):
        table.add_column(header, overflow="fold")
    for view in planning.list_runs(database(), limit=limit):
        run = view.run
        table.add_row(
            run.id, f"{run.created_at:%Y-%m-%d %H:%M}", ", ".join(view.unit_names),
            _period_text(run.period), _status_text(run),
            "" if run.objective is None else f"{format_number(run.objective)} kr",
            format_number(view.proposed_shifts),
            "ja" if run.is_published else "",
        )
    console.print(table)


@app.command("show")
def show(run_id: str = typer.Argument(..., help="Planeringens id (eller början av det).")) -> None:
    """Visa en planering: status, timmar mot beviljat, kontinuitet, mertid, regelbrott."""
    _print_run(planning.get_run(database(), run_id))


@app.command("publish")
def publish(run_id: str = typer.Argument(..., help="Planeringens id (eller början av det).")
            ) -> None:
    """Publicera planeringens förslag (en gång); tidigare förslag för perioden tas bort."""
    report = planning.publish_run(database(), run_id)
    console.print(
        f"Publicerade {format_number(report.published)} pass från planering {report.run.id}; "
        f"{format_number(report.cancelled)} ersatta pass ställdes in och "
        f"{format_number(report.replaced_proposals)} äldre förslag togs bort."
    )


@app.command("replan")
def replan(
    absence_id: str = typer.Option(None, "--absence", help="Frånvarons id."),
    employee_id: str = typer.Option(None, "--employee", help="Anställd (utan registrerad "
                                    "frånvaro, med --from och --to)."),
    absent_from: str = typer.Option(None, "--from", help="Första frånvarodagen."),
    absent_to: str = typer.Option(None, "--to", help="Sista frånvarodagen."),
    time_limit: float = typer.Option(30.0, "--time-limit", min=1, help="Sekunder att söka."),
    seed: int = typer.Option(0, "--seed"),
) -> None:
    """Planera om efter frånvaro: bara den frånvarandes pass flyttas, allt annat ligger kvar."""
    days = None
    if absence_id is None and absent_from and absent_to:
        days = Period(_date(absent_from), _date(absent_to) + dt.timedelta(days=1))
    factory = database()
    with _live_progress(time_limit) as on_progress:
        run = planning.replan_after_absence(
            factory, absence_id=absence_id, employee_id=employee_id, days=days,
            time_limit=time_limit, seed=seed, progress=on_progress,
        )
    _print_run(planning.get_run(factory, run.id))


@app.command("fail")
def fail(
    run_id: str = typer.Argument(..., help="Planeringens id."),
    reason: str = typer.Option(..., "--reason", help="Varför, t.ex. att processen avbröts."),
) -> None:
    """Markera en planering som fastnat (t.ex. efter en krasch) som misslyckad."""
    run = planning.mark_failed(database(), run_id, reason)
    console.print(f"Planering {run.id} är markerad som misslyckad: {reason}")


# -- progress -------------------------------------------------------------------------------
@contextmanager
def _live_progress(time_limit: float) -> Iterator[Callable[[ProgressPoint], None]]:
    """A bar over the time limit with the best cost so far; yields the progress callback."""
    with Progress(
        TextColumn("[bold]Planerar[/]"), BarColumn(), TimeElapsedColumn(),
        TextColumn("{task.fields[best]}"), console=console, transient=False,
    ) as bar:
        task = bar.add_task("plan", total=time_limit, best="söker första schemat …")
        started = time.monotonic()
        stop = threading.Event()

        def tick() -> None:
            while not stop.wait(0.25):
                bar.update(task, completed=min(time_limit, time.monotonic() - started))

        ticker = threading.Thread(target=tick, daemon=True)
        ticker.start()

        def on_progress(point: ProgressPoint) -> None:
            bound = "" if point.bound is None else f" · gräns {format_number(point.bound)} kr"
            bar.update(task, best=f"kostnad {format_number(point.objective)} kr{bound}")

        try:
            yield on_progress
        finally:
            stop.set()
            ticker.join()
            bar.update(task, completed=time_limit)


# -- printing a run --------------------------------------------------------------------------
def _print_run(view: RunView) -> None:
    run = view.run
    console.print(f"[bold]Planering {run.id}[/] – {', '.join(view.unit_names)}, "
                  f"{_period_text(run.period)} (frö {run.seed}, tidsgräns "
                  f"{format_number(run.time_limit)} s)")
    console.print(f"Status: {_status_text(run)}")
    if run.status is RunStatus.FAILED:
        console.print(f"[red]Orsak:[/] {run.failure_reason}")
        return
    if run.figures is not None:
        _print_figures(run.figures)
        _print_groups(run.figures)
    _print_penalties(run)
    if run.breaches:
        console.print(f"[bold red]Regelbrott ({len(run.breaches)}):[/]")
        for message in run.breaches[:20]:
            console.print(f"  • {message}")
    priced = tuple(f"{label}:" for label in PENALTY_LABELS.values())
    for line in run.explanation:
        if not line.startswith(priced):  # the penalties are in the table above
            console.print(f"[dim]{line}[/]")
    if run.progress:
        step = max(1, len(run.progress) // 5)
        points = (*run.progress[:-1:step], run.progress[-1])
        console.print("Förlopp: " + " → ".join(
            f"{format_number(p.objective)} kr ({format_number(p.seconds, 1)} s)" for p in points))
    console.print(f"Förslag: {format_number(view.proposed_shifts)} pass, varav "
                  f"{format_number(view.open_shifts)} öppna (obemannade).")
    if run.status is RunStatus.DONE and not run.is_published:
        console.print(f"Publicera med: insats plan publish {run.id}")


def _print_figures(figures: RunFigures) -> None:
    mean, most = figures.distinct_per_client()
    table = Table(title="Resultat", show_header=False)
    table.add_column("Mått")
    table.add_column("Värde", justify="right")
    rows = [
        ("Beviljade timmar (brukare)", format_hours(figures.granted_minutes)),
        ("Planerade timmar (brukare)", format_hours(figures.covered_minutes)),
        ("Timmar över beviljat", format_hours(figures.beyond_granted_minutes)),
        ("Bemannade timmar, alla grupper", format_hours(figures.staffed_minutes)),
        ("Obemannade timmar i schemastrukturen", format_hours(figures.uncovered_minutes)),
        ("Assistenter per brukare (medel / max)", f"{format_number(mean, 1)} / {most}"),
        ("Mertid", format_hours(figures.extra_minutes)),
        ("Övertid", format_hours(figures.overtime_minutes)),
        ("Regelbrott", format_number(figures.hard_breaches)),
    ]
    for label, value in rows:
        table.add_row(label, value)
    console.print(table)


def _print_groups(figures: RunFigures) -> None:
    table = Table(title="Per grupp")
    for header in ("Grupp", "Beviljat", "Planerat", "Över", "Obemannat", "Assistenter"):
        table.add_column(header, justify="left" if header == "Grupp" else "right")
    for group in figures.groups:
        limit = "" if group.distinct_limit is None else f" (mål {group.distinct_limit})"
        table.add_row(
            group.name,
            "–" if group.granted_minutes is None else format_hours(group.granted_minutes),
            format_hours(group.covered_minutes), format_hours(group.beyond_granted_minutes),
            format_hours(group.uncovered_minutes), f"{group.distinct_employees}{limit}",
        )
    console.print(table)


def _print_penalties(run: PlanningRun) -> None:
    costs = [(PENALTY_LABELS.get(key, key), value) for key, value in run.penalties.items()
             if value]
    if not costs:
        return
    table = Table(title="Kostnader i målfunktionen (kr)")
    table.add_column("Post")
    table.add_column("Kronor", justify="right")
    for label, value in sorted(costs, key=lambda item: -item[1]):
        table.add_row(label, format_number(value))
    if run.objective is not None:
        table.add_row("[bold]Summa[/]", f"[bold]{format_number(run.objective)}[/]")
    console.print(table)


def _status_text(run: PlanningRun) -> str:
    text = RUN_STATUS_LABELS[run.status]
    if run.plan_status is not None:
        text += f" – {PLAN_STATUS_LABELS[run.plan_status]}"
    return text


def _period_text(period: Period) -> str:
    assert period.end is not None
    return f"{period.start.isoformat()}–{(period.end - dt.timedelta(days=1)).isoformat()}"


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} är inget datum (ÅÅÅÅ-MM-DD).") from None
