"""The `insats` command: `db`, `demo`, `import`, `rules`, `plan`, `billing`, `time`,
`ledger`, `summary`, `absence`, `pool`, `cover`, `serve` and `accounts`.

Errors from the domain and services become a one-line Swedish message and a non-zero exit;
no stack trace reaches the user unless INSATS_DEBUG=1.
"""

from __future__ import annotations

import importlib
import os
import sys

import typer
from rich.console import Console

from insats.domain.common import DomainError

# Every command: its name → (module, attribute, whether it is a group of subcommands).
# A run of ``insats NAME …`` imports only NAME's module (a command's start-up is then that
# of what it uses, not of the whole application); help and the test runner's ``app`` get
# every command.
COMMANDS: dict[str, tuple[str, str, bool]] = {
    "db": ("insats.cli.db_commands", "app", True),
    "demo": ("insats.cli.demo_commands", "app", True),
    "import": ("insats.cli.import_commands", "app", True),
    "rules": ("insats.cli.rules_commands", "app", True),
    "plan": ("insats.cli.plan_commands", "app", True),
    "billing": ("insats.cli.billing_commands", "app", True),
    "time": ("insats.cli.time_commands", "app", True),
    "ledger": ("insats.cli.ledger_commands", "ledger", False),
    "summary": ("insats.cli.summary_command", "summary", False),
    "figures": ("insats.cli.figures_command", "figures", False),
    "absence": ("insats.cli.absence_commands", "app", True),
    "pool": ("insats.cli.pool_commands", "app", True),
    "report": ("insats.cli.report_commands", "app", True),
    "cover": ("insats.cli.cover_commands", "cover", False),
    "serve": ("insats.cli.serve_command", "serve", False),
    "accounts": ("insats.cli.serve_command", "accounts_app", True),
    "actions": ("insats.cli.action_commands", "app", True),
    "scenarios": ("insats.cli.scenario_commands", "scenarios", False),
    "review": ("insats.cli.review_commands", "review", False),
    "expenses": ("insats.cli.expense_commands", "app", True),
    "worker": ("insats.cli.worker_command", "worker", False),
    "jobs": ("insats.cli.worker_command", "jobs_list", False),
    "backup": ("insats.cli.backup_commands", "backup", False),
    "restore": ("insats.cli.backup_commands", "restore", False),
    "retention": ("insats.cli.retention_commands", "app", True),
}
HELP = "Insats – planering och uppföljning av personlig assistans och stöd (LSS/SFB)."


def build_app(only: str | None = None) -> typer.Typer:
    """The ``insats`` command with every command, or with ``only`` that one."""
    built = typer.Typer(name="insats", help=HELP, no_args_is_help=True, add_completion=False,
                        pretty_exceptions_enable=False)

    @built.callback()
    def main() -> None:  # keeps `insats NAME` a group even when only NAME is registered
        """Insats – planering och uppföljning av personlig assistans och stöd (LSS/SFB)."""

    for name, (module, attribute, group) in COMMANDS.items():
        if only is not None and name != only:
            continue
        target = getattr(importlib.import_module(module), attribute)
        if group:
            built.add_typer(target, name=name)
        else:
            built.command(name=name)(target)
    return built


def __getattr__(name: str) -> typer.Typer:
    """``app``: the whole command, built on first use (tests run it with CliRunner)."""
    if name == "app":
        whole = build_app()
        globals()["app"] = whole
        return whole
    raise AttributeError(name)


error_console = Console(stderr=True)


def run() -> None:
    """Console entry point with the error policy applied."""
    arguments = sys.argv[1:]
    try:
        build_app(arguments[0] if arguments and arguments[0] in COMMANDS else None)()
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
