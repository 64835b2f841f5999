"""`insats import decisions|schedules|time FILE`: import CSV or XLSX files, all or nothing.

Every bad row is listed at once as a table (Fil, Rad, Kolumn, Fel) and the exit code is 1;
nothing is written then. A good file prints how many rows were new, changed and unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from insats.cli.output import make_console
from insats.config import get_settings
from insats.domain.common import DomainError
from insats.domain.formatting import format_number
from insats.interchange.errors import ImportRejected
from insats.interchange.mapping import KIND_LABELS, ImportKind
from insats.services import imports
from insats.services.imports import ImportProgress, ImportReport
from insats.services.job_kinds import queue_import
from insats.services.runtime import uow_factory_for

app = typer.Typer(
    help="Importera beslut, scheman och tidrapporter från CSV- eller Excelfiler (xlsx). "
         "Allt eller inget: en felaktig rad gör att ingenting sparas.",
    no_args_is_help=True,
)
console = make_console()
SHOWN_ERRORS = 50

FILE_ARGUMENT = typer.Argument(..., help="CSV- eller xlsx-filen.", dir_okay=False)
MAPPING_OPTION = typer.Option(
    None, "--mapping", help="Mappningsfil (TOML eller JSON): våra kolumnnamn = filens.",
    dir_okay=False,
)
SOURCE_OPTION = typer.Option(
    None, "--source", help="Källsystemets namn; dess mappning sparas och återanvänds.")
SHEET_OPTION = typer.Option(None, "--sheet", help="Excelbladets namn (annars det första).")
ENCODING_OPTION = typer.Option(
    None, "--encoding", help="Teckenkodning för CSV, t.ex. cp1252 (annars UTF-8).")
DRY_RUN_OPTION = typer.Option(
    False, "--dry-run", help="Kontrollera allt men spara ingenting.")
QUEUE_OPTION = typer.Option(
    False, "--queue", help="Lägg importen i jobbkön; en arbetsprocess (insats worker) "
    "importerar filen. Se läget med insats jobs.")


@app.command("decisions")
def import_decisions(
    file: Path = FILE_ARGUMENT, mapping: Path | None = MAPPING_OPTION,
    source: str | None = SOURCE_OPTION, sheet: str | None = SHEET_OPTION,
    encoding: str | None = ENCODING_OPTION, dry_run: bool = DRY_RUN_OPTION,
    queue: bool = QUEUE_OPTION,
) -> None:
    """Importera beslut (brukare, lagrum, insats, period, beviljade timmar)."""
    _run(ImportKind.DECISIONS, file, mapping, source, sheet, encoding, dry_run, queue)


@app.command("schedules")
def import_schedules(
    file: Path = FILE_ARGUMENT, mapping: Path | None = MAPPING_OPTION,
    source: str | None = SOURCE_OPTION, sheet: str | None = SHEET_OPTION,
    encoding: str | None = ENCODING_OPTION, dry_run: bool = DRY_RUN_OPTION,
    queue: bool = QUEUE_OPTION,
) -> None:
    """Importera schemalagda pass (grupp, anställd, start, slut)."""
    _run(ImportKind.SCHEDULES, file, mapping, source, sheet, encoding, dry_run, queue)


@app.command("time")
def import_time(
    file: Path = FILE_ARGUMENT, mapping: Path | None = MAPPING_OPTION,
    source: str | None = SOURCE_OPTION, sheet: str | None = SHEET_OPTION,
    encoding: str | None = ENCODING_OPTION, dry_run: bool = DRY_RUN_OPTION,
    queue: bool = QUEUE_OPTION,
) -> None:
    """Importera tidrapporter (anställd, grupp, brukare, start, slut, rast, typ)."""
    _run(ImportKind.TIME, file, mapping, source, sheet, encoding, dry_run, queue)


@app.command("list")
def list_imports(
    limit: int = typer.Option(20, "--limit", min=1, help="Hur många av de senaste."),
) -> None:
    """Lista de senast importerade filerna."""
    table = Table(title="Importerade filer")
    for header in ("Importerad (UTC)", "Typ", "Källa", "Fil", "Rader", "Nya", "Ändrade",
                   "Oförändrade", "SHA-256"):
        table.add_column(header, overflow="fold")
    for batch in imports.list_batches(uow_factory_for(get_settings().database_url),
                                      limit=limit):
        table.add_row(
            f"{batch.imported_at:%Y-%m-%d %H:%M}", KIND_LABELS[ImportKind(batch.kind)],
            batch.source or "", batch.file_name, format_number(batch.rows_total),
            format_number(batch.rows_created), format_number(batch.rows_updated),
            format_number(batch.rows_unchanged), batch.sha256[:12],
        )
    console.print(table)


def _run(kind: ImportKind, file: Path, mapping: Path | None, source: str | None,
         sheet: str | None, encoding: str | None, dry_run: bool, queue: bool = False) -> None:
    factory = uow_factory_for(get_settings().database_url)
    if queue:
        if dry_run:
            raise DomainError("import.queue_dry_run",
                              "--queue och --dry-run går inte att kombinera.")
        if not file.is_file():
            raise DomainError("import.file", f"Filen {file} finns inte.")
        job = queue_import(factory, kind=kind, path=file, source=source, mapping=mapping,
                           sheet=sheet, encoding=encoding)
        console.print(f"Importen av {file.name} ligger i jobbkön som jobb {job.id}; "
                      "en arbetsprocess (insats worker) importerar den. Se läget med "
                      "insats jobs.")
        return
    try:
        with _progress_bar() as on_progress:
            report = imports.import_file(
                factory, kind=kind, path=file, source=source, mapping=mapping, sheet=sheet,
                encoding=encoding, dry_run=dry_run, progress=on_progress,
            )
    except ImportRejected as rejected:
        _print_errors(rejected)
        raise typer.Exit(1) from None
    _print_report(report)


@contextmanager
def _progress_bar() -> Iterator[Callable[[ImportProgress], None]]:
    with Progress(
        TextColumn("[bold]{task.description}[/]"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[unit]}"), TimeElapsedColumn(), console=console,
        transient=True,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def on_progress(point: ImportProgress) -> None:
            task = tasks.get(point.phase)
            if task is None:
                task = tasks[point.phase] = bar.add_task(
                    point.phase, total=max(point.total, 1), unit=_unit(point.unit))
            bar.update(task, completed=min(point.done, max(point.total, 1)),
                       total=max(point.total, 1))

        yield on_progress


def _unit(unit: str) -> str:
    return "byte" if unit == "byte" else "rader"


def _print_errors(rejected: ImportRejected) -> None:
    table = Table(title=f"Fel i {rejected.file}")
    for header in ("Fil", "Rad", "Kolumn", "Fel"):
        table.add_column(header, overflow="fold", justify="right" if header == "Rad" else "left")
    for error in rejected.errors[:SHOWN_ERRORS]:
        table.add_row(error.file, str(error.row) if error.row else "–", error.column or "–",
                      error.message)
    console.print(table)
    if rejected.total > SHOWN_ERRORS:
        console.print(f"… och {format_number(rejected.total - SHOWN_ERRORS)} fel till "
                      f"({format_number(rejected.total)} totalt).")
    console.print(f"[bold red]Ingenting importerades:[/] {format_number(rejected.total)} fel. "
                  "Rätta filen och kör igen.")


def _print_report(report: ImportReport) -> None:
    what = KIND_LABELS[report.kind]
    head = "Provkörning (inget sparat)" if report.dry_run else "Import klar"
    console.print(f"[bold]{head}:[/] {report.file_name} ({what}"
                  f"{', källa ' + report.source if report.source else ''})")
    table = Table(show_header=False)
    table.add_column("Rader")
    table.add_column("Antal", justify="right")
    for label, value in (("Rader i filen", report.rows), ("Nya", report.created),
                         ("Ändrade", report.updated), ("Oförändrade", report.unchanged)):
        table.add_row(label, format_number(value))
    console.print(table)
    rate = (f" ({format_number(report.rows / report.seconds)} rader/s)"
            if report.rows >= 10_000 and report.seconds > 0 else "")
    console.print(f"Tid {format_number(report.seconds, 1)} s{rate}."
                  + (f" Mappningen sparades för källan {report.source}."
                     if report.mapping_saved else ""))
