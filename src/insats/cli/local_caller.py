"""Who a command runs as: the command line acts as the avdelningschef, and its reads of
personal data are written to the access log as the user ``cli`` with the command as route."""

from __future__ import annotations

from insats.domain.access import Caller, Role, Viewer

CLI_VIEWER = Viewer(account_id="cli", username="cli", display_name="Kommandoraden",
                    role=Role.DEPARTMENT_HEAD)


def cli_caller(command: str) -> Caller:
    """The caller for ``insats <command>``, e.g. ``cli_caller("absence report")``."""
    return Caller(CLI_VIEWER, remote_addr="lokal", route=f"insats {command}")
