"""`insats billing …`: invoices (basansvar, köpta platser, HSL from contracts; the internal
invoice to BoU for skolskjuts) and contracts.

``insats billing invoices draft --month 2026-10`` drafts the month's invoices; ``list``,
``show``, ``issue``, ``credit`` and ``export`` work on one invoice, given by id or number.
``insats billing contracts list`` shows the agreed prices. More sub-apps can be added
with one ``app.add_typer(...)`` line.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.table import Table

from insats.cli import claims_commands
from insats.cli.inputs import database
from insats.cli.output import make_console
from insats.domain.billing import Invoice, InvoiceKind, InvoiceStatus
from insats.domain.common import DomainError
from insats.domain.contracts import INVOICE_KIND_LABELS, Month, PriceUnit
from insats.domain.formatting import format_number
from insats.services import billing

app = typer.Typer(help="Fakturering: fakturor från avtal (basansvar, köpta platser, HSL) "
                       "och avtalen med priser.", no_args_is_help=True)
invoices = typer.Typer(help="Fakturor: skapa utkast för en månad, utfärda, kreditera, "
                            "visa och exportera.", no_args_is_help=True)
contracts = typer.Typer(help="Avtal med pris per timme eller dygn och giltighetstid.",
                        no_args_is_help=True)
app.add_typer(invoices, name="invoices")
app.add_typer(contracts, name="contracts")
app.add_typer(claims_commands.app, name="claims")
console = make_console()

KIND_NAMES: dict[str, InvoiceKind] = {
    "basansvar": InvoiceKind.PROVIDER_BASANSVAR,
    "plats": InvoiceKind.MUNICIPALITY_PLACE,
    "hsl": InvoiceKind.REGION_HSL,
    "intern": InvoiceKind.INTERNAL_RECHARGE,
}
STATUS_NAMES: dict[str, InvoiceStatus] = {
    "utkast": InvoiceStatus.DRAFT,
    "utfardad": InvoiceStatus.ISSUED,
}
KIND_HELP = "Fakturatyp: basansvar, plats, hsl eller intern (skolskjuts till BoU)."


def _kind(name: str | None) -> InvoiceKind | None:
    if name is None:
        return None
    try:
        return KIND_NAMES[name.strip().lower()]
    except KeyError:
        raise typer.BadParameter(f"Okänd fakturatyp {name!r}; välj basansvar, plats, hsl "
                                 "eller intern.") from None


def _status(name: str | None) -> InvoiceStatus | None:
    if name is None:
        return None
    try:
        return STATUS_NAMES[name.strip().lower()]
    except KeyError:
        raise typer.BadParameter(f"Okänd status {name!r}; välj utkast eller utfardad.") from None


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise DomainError("date.format", f"Ange datum som ÅÅÅÅ-MM-DD, inte {text!r}.") from None


def _invoice_table(title: str, rows: list[Invoice]) -> Table:
    table = Table(title=title)
    for header, justify in (("Id", "left"), ("Nummer", "left"), ("Status", "left"),
                            ("Typ", "left"), ("Mottagare", "left"), ("Enhet", "left"),
                            ("Månad", "left"), ("Förfaller", "left"), ("Belopp", "right")):
        table.add_column(header, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for invoice in rows:
        month = "" if invoice.billing_month is None else str(Month.of(invoice.billing_month))
        status = billing.STATUS_LABELS[invoice.status]
        if invoice.is_credit_note:
            status = f"{status} (kredit)"
        table.add_row(invoice.id, invoice.number or "–", status,
                      INVOICE_KIND_LABELS[invoice.kind], invoice.recipient, invoice.unit_id,
                      month, invoice.due_on.isoformat() if invoice.due_on else "",
                      invoice.total.format_sv())
    return table


@invoices.command("draft")
def draft(
    month: str = typer.Option(..., "--month", help="Månaden som faktureras, ÅÅÅÅ-MM."),
    unit: str = typer.Option(None, "--unit", help="Bara en enhet (id)."),
    kind: str = typer.Option(None, "--kind", help=KIND_HELP),
    counterparty: str = typer.Option(
        None, "--counterparty", help="Bara en motpart: namn, organisationsnummer eller kommunkod."),
) -> None:
    """Skapa eller ersätt månadens fakturautkast. Utfärdade fakturor rörs aldrig."""
    result = billing.draft_invoices(database(), month=Month.parse(month), unit_id=unit,
                                    kind=_kind(kind), counterparty=counterparty)
    if result.drafts:
        console.print(_invoice_table(f"Fakturautkast {result.month.label}", list(result.drafts)))
    console.print(f"Nya utkast: {len(result.created)} · ersatta: {len(result.replaced)} · "
                  f"borttagna (inget kvar att fakturera): {len(result.removed)}")
    if not result.drafts and not result.removed:
        console.print("Inget att fakturera för månaden (eller redan fakturerat).")
    for note in result.overbilled:
        console.print(f"[yellow]Varning:[/] redan fakturerat {note.billed.format_sv()} men "
                      f"underlaget är nu {note.now.format_sv()}: {note.description}. "
                      "Kreditera fakturan och skapa ett nytt utkast.")


@invoices.command("list")
def list_invoices(
    month: str = typer.Option(None, "--month", help="Bara en månad, ÅÅÅÅ-MM."),
    status: str = typer.Option(None, "--status", help="utkast eller utfardad."),
    kind: str = typer.Option(None, "--kind", help=KIND_HELP),
) -> None:
    """Lista fakturor och kreditfakturor."""
    rows = billing.list_invoices(database(), month=Month.parse(month) if month else None,
                                 status=_status(status), kind=_kind(kind))
    if not rows:
        console.print("Inga fakturor.")
        return
    console.print(_invoice_table("Fakturor", rows))


@invoices.command("show")
def show(invoice: str = typer.Argument(..., help="Fakturans id eller nummer.")) -> None:
    """Visa en faktura med huvud och rader."""
    view = billing.show_invoice(database(), invoice=invoice)
    found = view.invoice
    sheet = billing.invoice_sheet(view)
    for label, value in sheet.head:
        shown = value.format_sv() if hasattr(value, "format_sv") else value
        shown = shown.isoformat() if isinstance(shown, dt.date) else shown
        console.print(f"[bold]{label}:[/] {shown}")
    console.print(f"[dim]Version {view.version}[/]")
    for note in view.credit_notes:
        console.print(f"[yellow]Krediterad av {note.number}[/] ({note.issued_on})")
    table = Table(title="Rader")
    for header, justify in (("Rad", "right"), ("Beskrivning", "left"), ("Timmar", "right"),
                            ("Antal", "right"), ("À-pris", "right"), ("Belopp", "right")):
        table.add_column(header, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for number, line in enumerate(found.lines, start=1):
        hours = ("" if line.quantity_minutes is None
                 else format_number(line.quantity_minutes / 60, 2))
        table.add_row(str(number), line.description, hours, str(line.quantity),
                      line.unit_price.format_sv(), line.amount.format_sv())
    table.add_row("", "[bold]Summa[/]", "", "", "", f"[bold]{found.total.format_sv()}[/]")
    console.print(table)


@invoices.command("issue")
def issue(
    invoice: str = typer.Argument(..., help="Utkastets id."),
    on: str = typer.Option(None, "--on", help="Fakturadatum ÅÅÅÅ-MM-DD (standard: i dag)."),
    version: int = typer.Option(None, "--version",
                                help="Versionen du granskade (från show); annars senaste."),
) -> None:
    """Utfärda ett utkast: nästa nummer i årets serie; därefter ändras fakturan aldrig."""
    issued = billing.issue_invoice(database(), invoice=invoice, on=_date(on),
                                   expected_version=version)
    console.print(f"Faktura [bold]{issued.number}[/] utfärdad till {issued.recipient}: "
                  f"{issued.total.format_sv()}, förfaller {issued.due_on}.")


@invoices.command("credit")
def credit(
    invoice: str = typer.Argument(..., help="Den utfärdade fakturans id eller nummer."),
    on: str = typer.Option(None, "--on", help="Datum ÅÅÅÅ-MM-DD (standard: i dag)."),
) -> None:
    """Kreditera en utfärdad faktura helt; gör sedan ett nytt utkast för rättelsen."""
    note = billing.credit_invoice(database(), invoice=invoice, on=_date(on))
    console.print(f"Kreditfaktura [bold]{note.number}[/] utfärdad: {note.total.format_sv()}. "
                  "Skapa ett nytt utkast för månaden med 'insats billing invoices draft'.")


@invoices.command("export")
def export(
    invoice: str = typer.Argument(..., help="Fakturans id eller nummer."),
    out: Path = typer.Option(..., "--out", help="Excelfil att skriva (.xlsx)."),
) -> None:
    """Exportera en faktura (huvud och rader) till Excel."""
    if out.suffix.lower() != ".xlsx":
        raise typer.BadParameter("Filen ska sluta på .xlsx.")
    view = billing.export_invoice(database(), invoice=invoice, out=out)
    console.print(f"Skrev {out} ({len(view.invoice.lines)} rader, "
                  f"{view.invoice.total.format_sv()}).")


@contracts.command("list")
def list_contracts(kind: str = typer.Option(None, "--kind", help=KIND_HELP)) -> None:
    """Lista avtalen med pris, giltighet och skäl."""
    factory = database()
    rows = billing.list_contracts(factory, kind=_kind(kind))
    if not rows:
        console.print("Inga avtal.")
        return
    names = billing.client_pseudonyms(factory, [c.client_id for c in rows if c.client_id])
    table = Table(title="Avtal")
    for header in ("Id", "Typ", "Motpart", "Referens", "Gäller", "Pris", "Avser", "Villkor",
                   "Skäl"):
        table.add_column(header, overflow="fold")
    for c in rows:
        scope = [part for part in (
            f"anordnare {c.provider_id}" if c.provider_id else "",
            names.get(c.client_id or "", c.client_id or ""),
            f"enhet {c.unit_id}" if c.unit_id else "",
            (f"{format_number((c.hsl_minutes_per_week or 0) / 60, 2)} h/vecka"
             if c.hsl_minutes_per_week else ""),
        ) if part]
        until = c.valid.end.isoformat() if c.valid.end else "tills vidare"
        unit = "tim" if c.price_unit is PriceUnit.HOUR else "dygn"
        table.add_row(c.id, INVOICE_KIND_LABELS[c.kind], c.counterparty.name,
                      c.counterparty.reference, f"{c.valid.start.isoformat()} – {until}",
                      f"{c.price.format_sv()}/{unit}", ", ".join(scope),
                      f"{c.payment_days} dagar", c.reason)
    console.print(table)
