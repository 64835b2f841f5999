"""`insats serve`: the web application on uvicorn, and `insats accounts` to manage sign-ins."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from insats.cli.inputs import database
from insats.cli.output import make_console
from insats.cli.server_processes import reuse_port_available, serve_processes, tune_for_serving
from insats.domain.access import ROLE_LABELS, Role
from insats.services.auth import create_account, list_accounts
from insats.services.demo_accounts import demo_accounts

# uvicorn (0.54) kills and restarts a worker that does not answer its supervisor's ping
# within this many seconds (default 5). On a busy 2-core host a worker importing the
# application, or serving a burst, can miss 5 s: workers were then restarted over and over
# and the server never came up (bench/web_load.py), or requests were cut off.
WORKER_HEALTHCHECK_SECONDS = 60

APP_FACTORY = "insats.web.app:create_app"

accounts_app = typer.Typer(help="Inloggningskonton.", no_args_is_help=True)


def serve(
    host: str = typer.Option("127.0.0.1", help="Adress att lyssna på."),
    port: int = typer.Option(8000, help="Port."),
    workers: int = typer.Option(1, help="Antal processer."),
    demo: bool = typer.Option(False, "--demo", help="Skapa och visa demokontona."),
    proxy_headers: bool = typer.Option(
        False, help="Lita på X-Forwarded-Proto från en omvänd proxy (TLS)."),
) -> None:
    """Starta webbapplikationen."""
    import uvicorn

    console = make_console()
    if demo:
        table = Table(title="Demokonton (endast för demonstration)")
        for column in ("Användarnamn", "Lösenord", "Roll", "Enheter"):
            table.add_column(column)
        for account in demo_accounts(database()):
            table.add_row(account.username, account.password, ROLE_LABELS[account.role],
                          ", ".join(account.unit_names) or "alla")
        console.print(table)
    console.print(f"Insats körs på http://{host}:{port}/ – avsluta med Ctrl+C.")
    # The app is imported by uvicorn from its factory, so the CLI does not import the web.
    options: dict[str, Any] = {"proxy_headers": proxy_headers, "log_level": "warning",
                               "env_file": None}
    if workers > 1 and reuse_port_available():
        try:
            code = serve_processes(APP_FACTORY, host=host, port=port, processes=workers,
                                   **options)
        except OSError as error:
            console.print(f"[red]Adressen {host}:{port} kan inte användas: "
                          f"{error.strerror or error}[/red]")
            raise typer.Exit(1) from error
        if code:
            raise typer.Exit(code)
        return
    tune_for_serving()
    uvicorn.run(APP_FACTORY, factory=True, host=host, port=port, workers=workers,
                timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS, **options)


@accounts_app.command("list")
def accounts_list() -> None:
    """Visa kontona."""
    table = Table(title="Konton")
    for column in ("Användarnamn", "Namn", "Roll", "Enheter", "Aktivt"):
        table.add_column(column)
    for account in list_accounts(database()):
        table.add_row(account.username, account.display_name, ROLE_LABELS[account.role],
                      ", ".join(sorted(account.unit_ids)) or "alla",
                      "ja" if account.active else "nej")
    make_console().print(table)


@accounts_app.command("create")
def accounts_create(
    username: str = typer.Argument(..., help="Användarnamn."),
    role: Role = typer.Option(..., help="Roll."),
    name: str = typer.Option(..., help="Namn som visas."),
    unit: list[str] = typer.Option([], help="Enhetens id (enhetschef; kan upprepas)."),
) -> None:
    """Skapa ett konto; lösenordet frågas efter (minst tio tecken)."""
    password = typer.prompt("Lösenord", hide_input=True, confirmation_prompt=True)
    create_account(database(), username=username, display_name=name, role=role,
                   password=password, unit_ids=unit)
    make_console().print(f"Kontot {username} är skapat.")
