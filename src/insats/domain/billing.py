"""Invoices with lines; an issued invoice is an immutable snapshot, corrected by a credit note."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum

from insats.domain.common import DomainError, Money, money_sum


class InvoiceKind(StrEnum):
    PROVIDER_BASANSVAR = "anordnare_basansvar"  # municipality stepped in for a private provider
    MUNICIPALITY_PLACE = "kommun_plats"  # another municipality bought a place
    REGION_HSL = "region_hsl"  # delegated health-care tasks
    FK_REBILLING = "fk_omfakturering"  # LSS case became an SFB case retroactively
    FK_CLAIM = "fk_rakning"  # monthly claim for assistansersättning
    INTERNAL_RECHARGE = "internfaktura"  # another department of the municipality pays (BoU)


class InvoiceStatus(StrEnum):
    DRAFT = "utkast"
    ISSUED = "utfardad"


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    description: str
    quantity_minutes: int | None
    quantity: int
    unit_price: Money
    amount: Money
    client_id: str | None = None
    # What the line bills, e.g. "K0001:C0042:U01:2026-10" (contract, client, unit, month):
    # lines of issued invoices and credit notes with the same key are netted so that
    # nothing is billed twice.
    basis_key: str | None = None
    contract_id: str | None = None


@dataclass(frozen=True, slots=True)
class Invoice:
    id: str
    kind: InvoiceKind
    recipient: str
    unit_id: str
    lines: tuple[InvoiceLine, ...] = ()
    status: InvoiceStatus = InvoiceStatus.DRAFT
    number: str | None = None
    issued_on: dt.date | None = None
    due_on: dt.date | None = None
    credits_invoice_id: str | None = None
    billing_month: dt.date | None = None  # first day of the billed month
    counterparty_ref: str | None = None  # organisation number or "kommun 1442"
    payment_days: int = 30
    created_at: dt.datetime | None = None

    @property
    def is_credit_note(self) -> bool:
        return self.credits_invoice_id is not None

    @property
    def total(self) -> Money:
        return money_sum([line.amount for line in self.lines])

    def with_line(self, line: InvoiceLine) -> Invoice:
        if self.status is InvoiceStatus.ISSUED:
            raise DomainError(
                "invoice.issued_immutable",
                "En utfärdad faktura kan inte ändras; skapa en kreditfaktura.",
            )
        return replace(self, lines=(*self.lines, line))

    def issue(self, *, number: str, on: dt.date, payment_days: int) -> Invoice:
        if self.status is InvoiceStatus.ISSUED:
            raise DomainError("invoice.already_issued", "Fakturan är redan utfärdad.")
        if not self.lines:
            raise DomainError("invoice.empty", "En faktura utan rader kan inte utfärdas.")
        return replace(self, status=InvoiceStatus.ISSUED, number=number, issued_on=on,
                       due_on=on + dt.timedelta(days=payment_days))

    def credit_note(self, *, new_id: str, created_at: dt.datetime | None = None) -> Invoice:
        """A draft credit note that reverses every line of this issued invoice."""
        if self.status is not InvoiceStatus.ISSUED:
            raise DomainError("invoice.credit_draft", "Bara utfärdade fakturor krediteras.")
        if self.is_credit_note:
            raise DomainError("invoice.credit_credit",
                              "En kreditfaktura kan inte krediteras; gör en ny faktura.")
        reversed_lines = tuple(
            replace(line, quantity=-line.quantity, amount=-line.amount,
                    quantity_minutes=None if line.quantity_minutes is None
                    else -line.quantity_minutes)
            for line in self.lines
        )
        return Invoice(id=new_id, kind=self.kind, recipient=self.recipient,
                       unit_id=self.unit_id, lines=reversed_lines,
                       credits_invoice_id=self.id, billing_month=self.billing_month,
                       counterparty_ref=self.counterparty_ref,
                       payment_days=self.payment_days, created_at=created_at)
