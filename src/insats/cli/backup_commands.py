"""`insats backup FILE` and `insats restore FILE`: a consistent snapshot of the whole
database, and its restore into an empty database with a row-by-row verification."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from insats.cli.output import make_console
from insats.config import get_settings
from insats.domain.formatting import format_number
from insats.services import backup as backup_service

console = make_console()


def backup(
    file: Path = typer.Argument(..., help="Säkerhetskopians fil, t.ex. insats-2026-11-23.zip."),
) -> None:
    """Skriv en säkerhetskopia av hela databasen (en konsistent ögonblicksbild)."""
    started = time.perf_counter()
    report = backup_service.backup_database(get_settings().database_url, file)
    console.print(
        f"Säkerhetskopian {report.path} är skriven: {len(report.tables)} tabeller, "
        f"{format_number(report.rows)} rader, schemaversion {report.schema_revision} "
        f"({time.perf_counter() - started:.1f} s).")
    console.print(f"SHA-256 för filen: {backup_service.file_sha256(report.path)}")


def restore(
    file: Path = typer.Argument(..., help="Säkerhetskopian som ska läsas in."),
) -> None:
    """Läs in en säkerhetskopia i en tom databas och kontrollera varje tabell mot den."""
    started = time.perf_counter()
    report = backup_service.restore_database(get_settings().database_url, file)
    differing = [t for t in report.tables if t.differing_rows]
    console.print(
        f"Säkerhetskopian {report.path} är återläst: {len(report.tables)} tabeller, "
        f"{format_number(report.rows)} rader ({time.perf_counter() - started:.1f} s).")
    for table in differing:
        console.print(f"[red]Tabellen {table.name}: {format_number(table.differing_rows)} "
                      "rader skiljer sig från säkerhetskopian.[/]")
    console.print(f"Kontroll: antal rader och kontrollsummor för alla tabeller; "
                  f"avvikande rader: {format_number(report.differing_rows)}.")
    if differing:
        raise typer.Exit(1)
