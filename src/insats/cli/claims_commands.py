"""`insats billing claims …`: FK claims per client and month, submitting them, the
settlement of a beviljandeperiod, and the municipality's 20-hour share.

    insats billing claims list --month 2026-10
    insats billing claims submit --month 2026-09 --on 2026-10-08
    insats billing claims settlement --date 2026-10-15
    insats billing claims share --month 2026-10
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.table import Table

from insats.cli.inputs import database, parse_day
from insats.cli.output import make_console
from insats.domain.common import Money
from insats.domain.contracts import Month
from insats.domain.fk_claims import CLAIM_STATUS_LABELS
from insats.domain.formatting import format_hours, format_kronor
from insats.interchange.xlsx import Column, ColumnType, Sheet, write_workbook
from insats.services import claims
from insats.services.planning import resolve_units
from insats.services.runtime import UowFactory

app = typer.Typer(help="FK-fakturering: räkningar per brukare och månad, inskick, "
                       "avräkning per period och kommunens andel (20 första timmarna).",
                  no_args_is_help=True)
console = make_console()


def _day(text: str | None, option: str) -> dt.date:
    """The date given for ``option``; today when it was left out."""
    return parse_day(text, option) if text else dt.date.today()


def _units(factory: UowFactory, names: list[str] | None) -> list[str] | None:
    return [u.id for u in resolve_units(factory, names)] if names else None


UNIT = typer.Option(None, "--unit", help="Enhetens id eller namn; upprepa för flera.")
AS_OF = typer.Option(None, "--as-of", help="Dagens datum (standard: i dag).")


@app.command("list")
def list_claims(month: str = typer.Option(..., "--month", help="Månad ÅÅÅÅ-MM."),
                units: list[str] = UNIT, as_of: str = AS_OF,
                out: Path = typer.Option(None, "--out", help="Skriv också till FIL.xlsx.")
                ) -> None:
    """Räkningar till FK för en månad: timmar, belopp, sista dag och status."""
    factory = database()
    wanted = Month.parse(month)
    rows = claims.month_claims(factory, year=wanted.year, month=wanted.month,
                               as_of=_day(as_of, "--as-of"), unit_ids=_units(factory, units))
    if out is not None:
        write_workbook(out, [_claims_sheet(month, rows)])
        console.print(f"Skrev {len(rows)} räkningar till {out}.")
    table = Table(title=f"Räkningar till Försäkringskassan {month}")
    for title in ("Brukare", "Debiterbart", "Belopp", "Ej attesterat", "Sista dag",
                  "Inskickat", "Status"):
        table.add_column(title, justify="right" if title not in ("Brukare", "Status") else "left")
    total = 0
    for row in rows:
        claim = row.claim
        total += claim.amount_ore
        sent = (f"{format_kronor(claim.submitted_ore)} {claim.submitted_on.isoformat()}"
                if claim.submitted_on else "")
        label = CLAIM_STATUS_LABELS[claim.status] + (" (omfakturering)" if claim.retroactive
                                                     else "")
        table.add_row(row.pseudonym, format_hours(claim.billable_minutes, 2),
                      format_kronor(claim.amount_ore, 2), format_hours(claim.unattested_minutes, 2),
                      claim.deadline.isoformat(), sent, label)
    table.add_row("[bold]Summa[/]", "", format_kronor(total, 2), "", "", "", "",
                  end_section=True)
    console.print(table)


def _claims_sheet(month: str, rows: list[claims.ClaimRow]) -> Sheet:
    columns = (Column("Brukare"), Column("Enhet"), Column("Debiterbart", ColumnType.HOURS),
               Column("Belopp", ColumnType.MONEY), Column("Ej attesterat", ColumnType.HOURS),
               Column("Sista dag", ColumnType.DATE), Column("Inskickat", ColumnType.MONEY),
               Column("Inskickad", ColumnType.DATE), Column("Status"))
    body = [(r.pseudonym, r.unit_id, r.claim.billable_minutes, r.claim.amount_ore,
             r.claim.unattested_minutes, r.claim.deadline, r.claim.submitted_ore,
             r.claim.submitted_on, CLAIM_STATUS_LABELS[r.claim.status]
             + (" (omfakturering)" if r.claim.retroactive else "")) for r in rows]
    return Sheet(title=f"FK-räkningar {month}", columns=columns, rows=body,
                 head=(("Räkningar till Försäkringskassan", month),), totals=True)


@app.command("submit")
def submit(month: str = typer.Option(..., "--month", help="Månad ÅÅÅÅ-MM."),
           clients: list[str] = typer.Option(None, "--client", help="Brukarens kod; "
                                             "upprepa. Utan: alla som är klara."),
           on: str = typer.Option(None, "--on", help="Inskicksdag (standard: i dag)."),
           units: list[str] = UNIT, as_of: str = AS_OF) -> None:
    """Skicka räkningar som är klara (eller försenade) som numrerade, låsta räkningar."""
    factory = database()
    wanted = Month.parse(month)
    today = _day(as_of, "--as-of")
    issued = claims.submit_claims(factory, year=wanted.year, month=wanted.month, as_of=today,
                                  on=_day(on, "--on") if on else today,
                                  pseudonyms=clients or None, unit_ids=_units(factory, units))
    if not issued:
        console.print("Inga räkningar att skicka: ingen är klar, eller allt är redan skickat.")
        return
    for invoice in issued:
        console.print(f"{invoice.number}: {invoice.lines[0].description} "
                      f"{format_kronor(invoice.total.ore, 2)}")
    console.print(f"{len(issued)} räkningar utfärdade.")


@app.command("settlement")
def settlement(date: str = typer.Option(..., "--date", help="En dag i perioden ÅÅÅÅ-MM-DD."),
               units: list[str] = UNIT, as_of: str = AS_OF) -> None:
    """Avräkning per brukare för avräkningsperioden som omfattar dagen."""
    factory = database()
    rows = claims.settlements(factory, on=_day(date, "--date"), as_of=_day(as_of, "--as-of"),
                              unit_ids=_units(factory, units))
    table = Table(title=f"Avräkning för perioden som omfattar {date}")
    for title in ("Brukare", "Period", "Beviljat", "Debiterbart", "Utöver", "Ej utnyttjat/återstår",
                  "Betalning", "Återbetalning", "Förlorad intäkt", "Ej fakturerat",
                  "Slutavräkning senast"):
        table.add_column(title, justify="left" if title in ("Brukare", "Period", "Betalning")
                         else "right")
    for pseudonym, s in rows:
        last = s.end - dt.timedelta(days=1)
        table.add_row(pseudonym, f"{s.start.isoformat()}–{last.isoformat()}",
                      format_hours(s.granted_minutes), format_hours(s.billable_minutes),
                      format_hours(s.beyond_minutes), format_hours(s.unused_minutes),
                      "förskott" if s.paid_in_advance else "efterskott",
                      format_kronor(s.repayment_ore), format_kronor(s.lost_ore),
                      format_kronor(s.unclaimed_ore), s.final_settlement_by.isoformat())
    console.print(table)


@app.command("share")
def share(month: str = typer.Option(..., "--month", help="Månad ÅÅÅÅ-MM."),
          units: list[str] = UNIT) -> None:
    """Kommunens andel (de första 20 timmarna per vecka) för brukare med privat anordnare."""
    factory = database()
    wanted = Month.parse(month)
    rows = claims.municipal_shares(factory, year=wanted.year, month=wanted.month,
                                   unit_ids=_units(factory, units))
    table = Table(title=f"Kommunens andel till FK {month}")
    for title in ("Brukare", "Anordnare", "Beviljat/vecka", "Kostnad", "Källa"):
        table.add_column(title, justify="right" if title in ("Beviljat/vecka", "Kostnad")
                         else "left")
    total = 0
    for row in rows:
        total += row.cost_ore
        source = ("uppskattning" if row.invoiced is None
                  else f"FK:s faktura {row.invoiced.reference}")
        table.add_row(row.pseudonym, row.provider_id, format_hours(row.granted_minutes_per_week),
                      format_kronor(row.cost_ore), source)
    table.add_row("[bold]Summa[/]", "", "", format_kronor(total), "", end_section=True)
    console.print(table)


@app.command("share-invoice")
def share_invoice(month: str = typer.Option(..., "--month", help="Månad ÅÅÅÅ-MM."),
                  client: str = typer.Option(..., "--client", help="Brukarens kod."),
                  amount: str = typer.Option(..., "--amount", help="Belopp i kronor, "
                                             "t.ex. 30158,57."),
                  reference: str = typer.Option(..., "--ref", help="FK:s fakturanummer."),
                  on: str = typer.Option(None, "--on", help="Registreringsdag.")) -> None:
    """Registrera FK:s faktura för kommunens andel; den ersätter uppskattningen."""
    wanted = Month.parse(month)
    charge = claims.record_municipal_share(
        database(), pseudonym=client, year=wanted.year, month=wanted.month,
        amount_ore=Money.kronor(amount).ore, reference=reference, on=_day(on, "--on"))
    console.print(f"Registrerade {format_kronor(charge.amount_ore, 2)} för {client} {month} "
                  f"({reference}).")
