"""The `insats` command: `db`, `demo`, `import`, `rules`, `plan`, `billing`, `time`,
`ledger`, `summary`, `absence`, `pool`, `cover`, `serve` and `accounts`.

Errors from the domain and services become a one-line Swedish message and a non-zero exit;
no stack trace reaches the user unless INSATS_DEBUG=1.
"""

from __future__ import annotations

import os
import sys

import typer
from rich.console import Console

from insats.cli import (
    absence_commands,
    action_commands,
    backup_commands,
    billing_commands,
    cover_commands,
    db_commands,
    demo_commands,
    expense_commands,
    figures_command,
    import_commands,
    ledger_commands,
    plan_commands,
    pool_commands,
    report_commands,
    retention_commands,
    review_commands,
    rules_commands,
    scenario_commands,
    serve_command,
    summary_command,
    time_commands,
    worker_command,
)
from insats.domain.common import DomainError

app = typer.Typer(
    name="insats",
    help="Insats – planering och uppföljning av personlig assistans och stöd (LSS/SFB).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(db_commands.app, name="db")
app.add_typer(demo_commands.app, name="demo")
app.add_typer(import_commands.app, name="import")
app.add_typer(rules_commands.app, name="rules")
app.add_typer(plan_commands.app, name="plan")
app.add_typer(billing_commands.app, name="billing")
app.add_typer(time_commands.app, name="time")
app.command(name="ledger")(ledger_commands.ledger)
app.command(name="summary")(summary_command.summary)
app.command(name="figures")(figures_command.figures)
app.add_typer(absence_commands.app, name="absence")
app.add_typer(pool_commands.app, name="pool")
app.add_typer(report_commands.app, name="report")
app.command(name="cover")(cover_commands.cover)
app.command(name="serve")(serve_command.serve)
app.add_typer(serve_command.accounts_app, name="accounts")
app.add_typer(action_commands.app, name="actions")
app.command(name="scenarios")(scenario_commands.scenarios)
app.command(name="review")(review_commands.review)
app.add_typer(expense_commands.app, name="expenses")
app.command(name="worker")(worker_command.worker)
app.command(name="jobs")(worker_command.jobs_list)
app.command(name="backup")(backup_commands.backup)
app.command(name="restore")(backup_commands.restore)
app.add_typer(retention_commands.app, name="retention")

error_console = Console(stderr=True)


def run() -> None:
    """Console entry point with the error policy applied."""
    try:
        app()
    except DomainError as error:
        error_console.print(f"[bold red]Fel:[/] {error.message} [dim]({error.code})[/]")
        sys.exit(1)
    except Exception as error:  # last resort: a clear line, never a traceback
        if os.environ.get("INSATS_DEBUG") == "1":
            raise
        # The message of a database error can hold personal data: show only its type.
        error_console.print(
            f"[bold red]Oväntat fel:[/] {type(error).__name__}. Inget sparades. "
            "Kör med INSATS_DEBUG=1 för detaljer."
        )
        sys.exit(2)


if __name__ == "__main__":
    run()
