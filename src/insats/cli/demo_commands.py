"""`insats demo load`: the deterministic demo department."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from insats.config import get_settings
from insats.domain.formatting import format_number
from insats.services import demo
from insats.services.runtime import uow_factory_for

app = typer.Typer(help="Demoavdelningen.", no_args_is_help=True)
console = Console()


@app.command("load")
def load(
    scale: int = typer.Option(
        1, "--scale", min=1,
        help="Multiplicera enheter, brukare och personal (över 10 skapas och sparas "
        "avdelningen i delar om tio kluster, i en och samma transaktion).",
    ),
    seed: int = typer.Option(2026, "--seed", help="Slumpfrö; samma frö ger samma innehåll."),
    replace: bool = typer.Option(False, "--replace", help="Töm databasen och ladda om."),
    if_empty: bool = typer.Option(False, "--if-empty", help="Ladda bara om databasen är tom."),
    months: int | None = typer.Option(
        None, "--months", min=1,
        help="Bara historikens sista N månader (för prov i stor skala).",
    ),
) -> None:
    """Skapa demoavdelningen (januari 2025 – oktober 2026) i databasen."""
    factory = uow_factory_for(get_settings().database_url)
    with console.status("Skapar och sparar demoavdelningen …") as status:

        def on_shard(done: int, total: int) -> None:
            status.update(f"Skapar och sparar demoavdelningen … del {done} av {total} klar")

        report = demo.load_demo_department(
            factory, seed=seed, scale=scale, replace=replace, if_empty=if_empty,
            history=demo.recent_history(months), on_shard=on_shard,
        )
    if report.skipped:
        console.print("Databasen innehåller redan data; demoavdelningen laddades inte om.")
        return
    table = Table(title=f"Demoavdelning laddad (frö {seed}, skala {scale})")
    table.add_column("Innehåll")
    table.add_column("Antal", justify="right")
    for label, count in report.counts.items():
        table.add_row(label, format_number(count))
    console.print(table)
    console.print(
        f"Innehållets kontrollsumma: [bold]{report.content_hash[:16]}[/] · "
        f"tid {format_number(report.seconds, 1)} s"
    )
