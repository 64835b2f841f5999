"""Use cases for invoices: draft a month, issue, credit, list, show, export.

Invoices to private providers (basansvar), to municipalities that buy korttid places and to
the region (HSL) are computed from billing contracts by ``insats.domain.contracts``; the
internal invoice to the education department (BoU) for skolskjuts from the taxi bookings
by ``insats.domain.taxi``. Each function is one transaction (one unit of work).

- Drafting is idempotent: one open draft per kind, counterparty, unit and month is
  replaced in place (its version is bumped, so a concurrent edit is refused). Issued
  invoices are never touched: lines are netted against everything issued and credited for
  the same basis, so nothing is billed twice; a late-attested shift gives a supplementary
  line on a new draft.
- Issuing allocates the next number of the year's series (``2026-00001``) in the same
  transaction, so numbers are unique and without gaps; the invoice is then immutable.
- Crediting issues a credit note that reverses every line, numbered in the same series
  and linked to the original. A corrected draft can then be made for the month.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.exc import IntegrityError

from insats.db.repositories._base import NotFoundError
from insats.db.repositories.billing import draft_key
from insats.domain.access import Caller, Capability
from insats.domain.billing import Invoice, InvoiceKind, InvoiceStatus
from insats.domain.calendar import STOCKHOLM, UTC, local_datetime
from insats.domain.clients import Client
from insats.domain.common import DomainError
from insats.domain.contracts import (
    CONTRACT_PRICE_UNIT,
    INVOICE_KIND_LABELS,
    BillingContract,
    ComputedLine,
    Counterparty,
    Month,
    Overbilled,
    check_no_overlap,
    month_lines,
    outstanding,
)
from insats.domain.decisions import Decision, Insats
from insats.domain.economy import AccountCategory
from insats.domain.scheduling import AssistanceGroup
from insats.domain.taxi import EDUCATION_DEPARTMENT, recharge_lines
from insats.domain.time_reports import TimeEntry
from insats.interchange.xlsx import Column, ColumnType, Sheet, write_workbook
from insats.services.uow import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
CONTRACT_KINDS: tuple[InvoiceKind, ...] = tuple(CONTRACT_PRICE_UNIT)
DRAFTED_KINDS: tuple[InvoiceKind, ...] = (*CONTRACT_KINDS, InvoiceKind.INTERNAL_RECHARGE)


@dataclass(frozen=True, slots=True)
class DraftResult:
    """What a drafting run did.

    Attributes:
        drafts: the open drafts after the run (new or replaced), in key order.
        created, replaced: ids of drafts made new and drafts written over.
        removed: ids of open drafts that no longer had anything to bill.
        overbilled: bases billed on issued invoices for more than they now come to.
    """

    month: Month
    drafts: tuple[Invoice, ...] = ()
    created: tuple[str, ...] = ()
    replaced: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    overbilled: tuple[Overbilled, ...] = ()


@dataclass(frozen=True, slots=True)
class InvoiceView:
    invoice: Invoice
    version: int
    credit_notes: tuple[Invoice, ...] = ()
    credits: Invoice | None = None  # the invoice a credit note reverses
    clients: dict[str, str] = field(default_factory=dict)  # client id → pseudonym


def _now() -> dt.datetime:
    return dt.datetime.now(UTC)


def _today() -> dt.date:
    return dt.datetime.now(STOCKHOLM).date()


def _month_bounds(month: Month) -> tuple[dt.datetime, dt.datetime]:
    period = month.period
    assert period.end is not None
    return (local_datetime(period.start, dt.time(0, 0)),
            local_datetime(period.end, dt.time(0, 0)))


def _matches_counterparty(counterparty: Counterparty, wanted: str | None) -> bool:
    if wanted is None:
        return True
    text = wanted.strip().casefold()
    return text in {counterparty.reference.casefold(), counterparty.name.casefold(),
                    (counterparty.municipality_code or "").casefold(),
                    (counterparty.organisation_number or "").casefold(),
                    (counterparty.internal_department or "").casefold()} - {""}


def _basansvar_inputs(uow: UnitOfWork, contracts: list[BillingContract], month: Month
                      ) -> tuple[list[TimeEntry], list[AssistanceGroup], list[Decision]]:
    """Time entries, groups and decisions the basansvar contracts may bill."""
    basansvar = [c for c in contracts if c.kind is InvoiceKind.PROVIDER_BASANSVAR]
    if not basansvar:
        return [], [], []
    providers = {c.provider_id for c in basansvar}
    named_clients = {c.client_id for c in basansvar if c.client_id is not None}
    decisions: list[Decision] = []
    groups: list[AssistanceGroup] = []
    for unit in uow.organisation.units():
        decisions += [d for d in uow.decisions.overlapping_in_unit(unit.id, month.period)
                      if d.insats is Insats.PERSONAL_ASSISTANCE]
        groups += [g for g in uow.scheduling.groups_of_unit(unit.id) if g.client_id]
    candidates = named_clients | {d.client_id for d in decisions if d.provider_id in providers}
    start, end = _month_bounds(month)
    entries: list[TimeEntry] = []
    for group in groups:
        if group.client_id in candidates:
            entries += uow.time_reports.of_group(group.id, start, end)
    return entries, groups, decisions


def compute_month(uow: UnitOfWork, *, month: Month, unit_id: str | None = None,
                  kind: InvoiceKind | None = None, counterparty: str | None = None
                  ) -> list[ComputedLine]:
    """Every line to invoice for the month within the filters (reads only)."""
    lines = _contract_lines(uow, month=month, kind=kind, counterparty=counterparty)
    if kind in (None, InvoiceKind.INTERNAL_RECHARGE):
        lines += [line for line in _recharge_lines(uow, month)
                  if _matches_counterparty(line.counterparty, counterparty)]
    return [line for line in lines if unit_id is None or line.unit_id == unit_id]


def _contract_lines(uow: UnitOfWork, *, month: Month, kind: InvoiceKind | None,
                    counterparty: str | None) -> list[ComputedLine]:
    all_contracts = uow.contracts.overlapping(month.period)
    check_no_overlap(all_contracts)
    contracts = [c for c in all_contracts
                 if (kind is None or c.kind is kind)
                 and _matches_counterparty(c.counterparty, counterparty)]
    if not contracts:
        return []
    entries, groups, decisions = _basansvar_inputs(uow, contracts, month)
    start, end = _month_bounds(month)
    stays = uow.stays.overlapping(start, end)
    units = {u.id: u.name for u in uow.organisation.units()}
    return month_lines(contracts, month=month, entries=entries, groups=groups,
                       clients=uow.clients.all(), decisions=decisions, stays=stays,
                       unit_names=units)


def _recharge_lines(uow: UnitOfWork, month: Month) -> list[ComputedLine]:
    """The month's taxi bookings that BoU pays (skolskjuts), as internal-invoice lines."""
    units = [u.id for u in uow.organisation.units()]
    return recharge_lines(uow.economy.entries_of_category(AccountCategory.TAXI, units,
                                                          month.period))


def draft_invoices(uow_factory: UowFactory, *, month: Month, unit_id: str | None = None,
                   kind: InvoiceKind | None = None, counterparty: str | None = None,
                   now: dt.datetime | None = None) -> DraftResult:
    """Make or replace the month's draft invoices (optionally one unit, kind or counterparty).

    Raises:
        DomainError: a kind without contracts (``invoice.kind``), overlapping or ambiguous
            contracts, or a concurrent run that drafted the same invoice first.
        StaleVersionError: a draft was changed by someone else during the run.
    """
    if kind is not None and kind not in DRAFTED_KINDS:
        raise DomainError("invoice.kind", "Den fakturatypen skapas inte från avtal här.")
    created_at = now or _now()
    kinds = [kind] if kind is not None else list(DRAFTED_KINDS)
    with uow_factory() as uow:
        computed = compute_month(uow, month=month, unit_id=unit_id, kind=kind,
                                 counterparty=counterparty)
        grouped: dict[tuple[InvoiceKind, str, str], list[ComputedLine]] = defaultdict(list)
        for item in computed:
            grouped[(item.kind, item.counterparty.reference, item.unit_id)].append(item)
        drafts: list[Invoice] = []
        created: list[str] = []
        replaced: list[str] = []
        removed: list[str] = []
        notes: list[Overbilled] = []
        touched: set[str] = set()
        for (line_kind, reference, line_unit), items in sorted(grouped.items()):
            wanted = [item.line for item in items]
            billed = uow.billing.billed_lines({ln.basis_key for ln in wanted if ln.basis_key})
            lines, over = outstanding(wanted, billed)
            notes += over
            key = draft_key(line_kind, reference, line_unit, month.first_day)
            existing = uow.billing.open_draft(key)
            if existing is not None:
                touched.add(existing.id)
            if not lines:
                if existing is not None:
                    uow.billing.delete(existing.id)
                    removed.append(existing.id)
                continue
            invoice = Invoice(
                id=existing.id if existing else f"F{uuid.uuid4().hex[:12]}",
                kind=line_kind, recipient=items[0].counterparty.name, unit_id=line_unit,
                lines=tuple(lines), billing_month=month.first_day,
                counterparty_ref=reference, payment_days=items[0].payment_days,
                created_at=created_at)
            if existing is None:
                uow.billing.add(invoice)
                created.append(invoice.id)
            else:
                uow.billing.update(invoice)
                replaced.append(invoice.id)
            drafts.append(invoice)
            touched.add(invoice.id)
        refs = None if counterparty is None else {
            party.reference
            for party in [*(c.counterparty for c in uow.contracts.all()),
                          EDUCATION_DEPARTMENT]
            if _matches_counterparty(party, counterparty)}
        removed += _remove_stale_drafts(uow, month, kinds, unit_id, refs, touched)
        _commit_drafts(uow)
    return DraftResult(month, tuple(drafts), tuple(created), tuple(replaced), tuple(removed),
                       tuple(notes))


def _remove_stale_drafts(uow: UnitOfWork, month: Month, kinds: Iterable[InvoiceKind],
                         unit_id: str | None, refs: set[str] | None,
                         touched: set[str]) -> list[str]:
    """Delete open drafts in the run's scope that nothing is billed on any more.

    ``refs`` None means every counterparty; otherwise only drafts to those references.
    """
    removed = []
    for draft in uow.billing.of_month(month.first_day, kinds=list(kinds),
                                      status=InvoiceStatus.DRAFT):
        if draft.id in touched or draft.is_credit_note:
            continue
        if unit_id is not None and draft.unit_id != unit_id:
            continue
        if refs is not None and draft.counterparty_ref not in refs:
            continue
        uow.billing.delete(draft.id)
        removed.append(draft.id)
    return removed


def _commit_drafts(uow: UnitOfWork) -> None:
    try:
        uow.commit()
    except IntegrityError as error:
        raise DomainError(
            "invoice.draft_conflict",
            "Någon annan skapade samma fakturautkast samtidigt; kör utkastet igen.",
        ) from error


def _load(uow: UnitOfWork, invoice_ref: str) -> Invoice:
    invoice = uow.billing.get(invoice_ref) or uow.billing.by_number(invoice_ref)
    if invoice is None:
        raise NotFoundError("Fakturan", invoice_ref)
    return invoice


def _check_version(uow: UnitOfWork, invoice: Invoice, expected: int | None) -> None:
    if expected is not None and uow.billing.version_of(invoice.id) != expected:
        raise DomainError(
            "concurrency.stale",
            f"Fakturan {invoice.number or invoice.id} har ändrats av någon annan sedan du "
            "läste den; ladda om och försök igen.")


def issue_invoice(uow_factory: UowFactory, *, invoice: str, on: dt.date | None = None,
                  expected_version: int | None = None) -> Invoice:
    """Issue a draft: number it in the issue year's series and freeze it.

    ``invoice`` is the id (or number). ``on`` defaults to today (Stockholm).
    """
    issue_day = on or _today()
    with uow_factory() as uow:
        draft = _load(uow, invoice)
        _check_version(uow, draft, expected_version)
        if draft.status is InvoiceStatus.ISSUED:
            raise DomainError("invoice.already_issued",
                              f"Fakturan {draft.number} är redan utfärdad.")
        if not draft.lines:
            raise DomainError("invoice.empty", "En faktura utan rader kan inte utfärdas.")
        if draft.total.ore <= 0:
            raise DomainError("invoice.not_positive",
                              "Fakturans summa måste vara större än noll; använd kreditfaktura.")
        number = uow.billing.allocate_number(issue_day.year)
        issued = draft.issue(number=number, on=issue_day, payment_days=draft.payment_days)
        uow.billing.update(issued)
        uow.commit()
    return issued


def credit_invoice(uow_factory: UowFactory, *, invoice: str, on: dt.date | None = None,
                   now: dt.datetime | None = None) -> Invoice:
    """Issue a credit note that reverses every line of an issued invoice.

    The note is numbered in the same series and points to the original; the original is
    not changed. A corrected draft for the month can be made afterwards.
    """
    issue_day = on or _today()
    with uow_factory() as uow:
        original = _load(uow, invoice)
        if uow.billing.credit_notes_of(original.id):
            raise DomainError("invoice.already_credited",
                              f"Fakturan {original.number} är redan krediterad.")
        note = original.credit_note(new_id=f"F{uuid.uuid4().hex[:12]}",
                                    created_at=now or _now())
        number = uow.billing.allocate_number(issue_day.year)
        note = note.issue(number=number, on=issue_day, payment_days=0)
        uow.billing.add(note)
        try:
            uow.commit()
        except IntegrityError as error:
            raise DomainError("invoice.already_credited",
                              f"Fakturan {original.number} krediterades samtidigt av "
                              "någon annan.") from error
    return note


def list_invoices(uow_factory: UowFactory, *, month: Month | None = None,
                  status: InvoiceStatus | None = None,
                  kind: InvoiceKind | None = None,
                  caller: Caller | None = None) -> list[Invoice]:
    """Invoices and credit notes, optionally of one month, status or kind. With a
    ``caller`` (the web): only with the right to see money, and only the invoices of
    units in the caller's scope."""
    if caller is not None:
        caller.viewer.require(Capability.VIEW_MONEY)
    with uow_factory() as uow:
        found = uow.billing.listing(
            billing_month=None if month is None else month.first_day, status=status,
            kinds=None if kind is None else [kind])
    if caller is None:
        return found
    return [i for i in found if caller.viewer.sees_unit(i.unit_id)]


def show_invoice(uow_factory: UowFactory, *, invoice: str) -> InvoiceView:
    with uow_factory() as uow:
        found = _load(uow, invoice)
        version = uow.billing.version_of(found.id) or 0
        notes = tuple(uow.billing.credit_notes_of(found.id))
        credits = None
        if found.credits_invoice_id is not None:
            credits = uow.billing.get(found.credits_invoice_id)
        client_ids = {ln.client_id for ln in found.lines if ln.client_id}
        clients = {cid: c.pseudonym for cid in sorted(client_ids)
                   if (c := uow.clients.get(cid)) is not None}
        return InvoiceView(found, version, notes, credits, clients)


def export_invoice(uow_factory: UowFactory, *, invoice: str,
                   out: str | Path | BinaryIO) -> InvoiceView:
    """Write the invoice (head and lines) as an XLSX workbook to ``out``."""
    view = show_invoice(uow_factory, invoice=invoice)
    write_workbook(out, [invoice_sheet(view)])
    return view


STATUS_LABELS: dict[InvoiceStatus, str] = {
    InvoiceStatus.DRAFT: "Utkast",
    InvoiceStatus.ISSUED: "Utfärdad",
}
INVOICE_COLUMNS: tuple[Column, ...] = (
    Column("Rad", ColumnType.INTEGER, width=6),
    Column("Beskrivning", ColumnType.TEXT, width=90),
    Column("Brukare", ColumnType.TEXT),
    Column("Timmar", ColumnType.HOURS),
    Column("Antal", ColumnType.INTEGER),
    Column("À-pris", ColumnType.MONEY),
    Column("Belopp", ColumnType.MONEY),
)


def invoice_title(invoice: Invoice) -> str:
    if invoice.is_credit_note:
        return "Kreditfaktura"
    return "Faktura" if invoice.status is InvoiceStatus.ISSUED else "Fakturautkast"


def invoice_sheet(view: InvoiceView) -> Sheet:
    """The invoice as one sheet: the head (number, recipient, dates, total), then the lines."""
    invoice = view.invoice
    month = None if invoice.billing_month is None else Month.of(invoice.billing_month)
    head: list[tuple[str, object]] = [
        (invoice_title(invoice), invoice.number or f"(utkast {invoice.id})"),
        ("Status", STATUS_LABELS[invoice.status]),
        ("Typ", INVOICE_KIND_LABELS[invoice.kind]),
        ("Mottagare", invoice.recipient),
        ("Motpartens referens", invoice.counterparty_ref or ""),
        ("Avser månad", "" if month is None else month.label),
        ("Enhet", invoice.unit_id),
        ("Fakturadatum", invoice.issued_on or ""),
        ("Förfallodatum", invoice.due_on or ""),
        ("Betalningsvillkor", f"{invoice.payment_days} dagar netto"),
    ]
    if view.credits is not None:
        head.append(("Krediterar faktura", view.credits.number or view.credits.id))
    head.append(("Att betala" if invoice.total.ore >= 0 else "Att återbetala", invoice.total))
    rows = [
        (number, line.description, view.clients.get(line.client_id or "", ""),
         line.quantity_minutes, line.quantity, line.unit_price, line.amount)
        for number, line in enumerate(invoice.lines, start=1)
    ]
    title = invoice.number or f"Utkast {invoice.id}"
    return Sheet(title=title, columns=INVOICE_COLUMNS, rows=rows, head=head, totals=True)


def list_contracts(uow_factory: UowFactory, *, kind: InvoiceKind | None = None
                   ) -> list[BillingContract]:
    with uow_factory() as uow:
        return uow.contracts.all(kind=kind)


def add_contract(uow_factory: UowFactory, *, contract: BillingContract) -> BillingContract:
    """Store a new contract row (a price change is a new row that starts the day after the
    old one ends); overlapping contracts with the same scope are refused."""
    with uow_factory() as uow:
        check_no_overlap([*uow.contracts.all(kind=contract.kind), contract])
        uow.contracts.add(contract)
        uow.commit()
    return contract


def client_pseudonyms(uow_factory: UowFactory, client_ids: Iterable[str]) -> dict[str, str]:
    with uow_factory() as uow:
        found: list[Client] = [c for cid in sorted(set(client_ids))
                               if (c := uow.clients.get(cid)) is not None]
        return {c.id: c.pseudonym for c in found}
