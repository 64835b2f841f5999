"""`insats expenses list|claim|approve|reject`: expense claims instead of petty-cash cards.

    insats expenses list                                 every claim, oldest first
    insats expenses list --status inskickad --unit U01 --format csv
    insats expenses claim --employee E0042 --date 2026-10-05 --amount 245,50 \\
        --text "Bio med brukare" --receipt KV-1234
    insats expenses claim ... --draft                    saved, not yet submitted
    insats expenses approve UT0001
    insats expenses reject UT0002 --reason "Kvitto saknas"

The command line acts as the avdelningschef (:mod:`insats.cli.local_caller`): it may
decide claims of every unit, and its changes are in the access log as ``cli``. A
decision is checked against the version read just before it, so a decision made in the
web meanwhile is not overwritten.
"""

from __future__ import annotations

import csv
import sys

import typer
from rich.markup import escape
from rich.table import Table

from insats.cli.inputs import database
from insats.cli.local_caller import cli_caller
from insats.cli.output import make_console
from insats.domain.common import DomainError
from insats.domain.expenses import CLAIM_STATUS_LABELS
from insats.domain.formatting import format_kronor
from insats.services.expense_claims import (
    ClaimInputError,
    approve_claim,
    claim_from_input,
    claim_status,
    list_claims,
    reject_claim,
)
from insats.services.planning import resolve_units

app = typer.Typer(help="Utlägg i stället för handkassekort: lista, registrera, attestera, "
                  "avvisa.", no_args_is_help=True)
console = make_console()
COLUMNS = ("Utlägg", "Enhet", "Ansvar", "Medarbetare", "Datum", "Belopp", "Beskrivning",
           "Kvitto", "Status", "Beslutad av", "Orsak")


@app.command("list")
def list_command(
    status: str = typer.Option(None, "--status", help="utkast, inskickad, attesterad eller "
                               "avvisad."),
    units: list[str] = typer.Option(None, "--unit", help="Enhetens id eller namn; upprepa "
                                    "för flera."),
    output_format: str = typer.Option("table", "--format", help="table eller csv."),
) -> None:
    """Utläggen, äldst först."""
    if output_format not in ("table", "csv"):
        raise DomainError("expense.format", "--format ska vara table eller csv.")
    factory = database()
    unit_ids = [u.id for u in resolve_units(factory, units)] if units else None
    claims = list_claims(factory, caller=cli_caller("expenses list"),
                         status=claim_status(status) if status else None, unit_ids=unit_ids)
    rows = [[c.id, c.unit_id, c.cost_centre, c.employee_id, c.spent_on.isoformat(),
             format_kronor(c.amount.ore, 2), c.description, c.receipt_reference,
             CLAIM_STATUS_LABELS[c.status], c.decided_by, c.reason] for c in claims]
    if output_format == "csv":
        writer = csv.writer(sys.stdout, delimiter=";")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
        return
    table = Table(title=f"Utlägg ({len(claims)})")
    for title in COLUMNS:
        table.add_column(title, justify="right" if title == "Belopp" else "left")
    for row in rows:
        table.add_row(*(escape(str(v)) for v in row))
    console.print(table)


@app.command("claim")
def claim_command(
    employee: str = typer.Option(..., "--employee", help="Medarbetarens id."),
    date: str = typer.Option(..., "--date", help="Dagen för utlägget, ÅÅÅÅ-MM-DD."),
    amount: str = typer.Option(..., "--amount", help="Belopp i kronor, t.ex. 245,50."),
    text: str = typer.Option(..., "--text", help="Vad utlägget gällde."),
    receipt: str = typer.Option("", "--receipt", help="Kvittots referens."),
    draft: bool = typer.Option(False, "--draft", help="Spara som utkast utan att skicka in."),
) -> None:
    """Registrera ett utlägg för en medarbetare (på hens enhet och ansvar)."""
    try:
        claim = claim_from_input(database(), caller=cli_caller("expenses claim"),
                                 employee_id=employee, spent_on=date, amount=amount,
                                 description=text, receipt_reference=receipt,
                                 submit=not draft)
    except ClaimInputError as invalid:
        raise DomainError(invalid.code, " ".join(invalid.errors.values())) from None
    console.print(f"Utlägg {claim.id} registrerat ({CLAIM_STATUS_LABELS[claim.status]}, "
                  f"{format_kronor(claim.amount.ore, 2)}, enhet {claim.unit_id}, ansvar "
                  f"{claim.cost_centre}).")


def _version(claim_id: str) -> int | None:
    with database()() as uow:
        return uow.expenses.version_of(claim_id)


@app.command("approve")
def approve_command(claim_id: str = typer.Argument(..., metavar="UTLÄGG")) -> None:
    """Attestera ett inskickat utlägg."""
    claim = approve_claim(database(), caller=cli_caller("expenses approve"), claim_id=claim_id,
                          version=_version(claim_id))
    console.print(f"Utlägg {claim.id} attesterat ({format_kronor(claim.amount.ore, 2)}).")


@app.command("reject")
def reject_command(claim_id: str = typer.Argument(..., metavar="UTLÄGG"),
                   reason: str = typer.Option("", "--reason", help="Varför utlägget "
                                              "avvisas (krävs).")) -> None:
    """Avvisa ett inskickat utlägg med en orsak."""
    claim = reject_claim(database(), caller=cli_caller("expenses reject"), claim_id=claim_id,
                         reason=reason, version=_version(claim_id))
    console.print(f"Utlägg {claim.id} avvisat: {claim.reason}")
