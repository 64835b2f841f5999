"""`insats db …`: the database schema (Alembic migrations)."""

from __future__ import annotations

import typer
from rich.console import Console

from insats.config import get_settings
from insats.services import database

app = typer.Typer(help="Databasen: migreringar och status.", no_args_is_help=True)
console = Console()


@app.command("upgrade")
def upgrade(
    revision: str = typer.Argument("head", help="Målversion (standard: senaste)."),
) -> None:
    """Uppgradera databasens schema till senaste (eller angiven) version."""
    url = get_settings().database_url
    database.upgrade_database(url, revision=revision)
    console.print(
        f"Databasen är på version [bold]{database.current_revision(url)}[/] "
        f"({database.describe_url(url)})."
    )


@app.command("current")
def current() -> None:
    """Visa databasens nuvarande schemaversion."""
    url = get_settings().database_url
    console.print(f"{database.describe_url(url)}: {database.current_revision(url) or 'tom'}")


@app.command("grant-app-role")
def grant_app_role(
    role: str = typer.Argument(..., metavar="ROLL",
                               help="Applikationens databasroll (PostgreSQL)."),
) -> None:
    """Ge applikationens roll bara de behörigheter den behöver (kör som tabellernas ägare).

    Vanliga tabeller: läsa, lägga till, ändra, ta bort. Loggtabeller som bara får växa
    (åtkomstloggen m.fl.): bara läsa och lägga till. Kör igen efter varje migrering.
    """
    url = get_settings().database_url
    granted = database.grant_app_role(url, role)
    console.print(
        f"Rollen [bold]{granted.role}[/] får läsa, lägga till, ändra och ta bort i "
        f"{len(granted.ordinary_tables)} tabeller, bara läsa och lägga till i "
        f"{', '.join(granted.append_only_tables)} och bara läsa "
        f"{', '.join(granted.read_only_tables) or 'inga andra'} "
        f"({database.describe_url(url)}).")
