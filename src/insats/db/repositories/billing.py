"""Invoices with lines, and the yearly number series; an issued invoice is never updated
or deleted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import flag_modified

from insats.db.models.billing import InvoiceLineRow, InvoiceNumberSeriesRow, InvoiceRow
from insats.db.repositories._base import StaleVersionError, TableRepository, flush_or_stale
from insats.domain.billing import Invoice, InvoiceKind, InvoiceLine, InvoiceStatus
from insats.domain.common import DomainError, Money


def draft_key(kind: InvoiceKind, counterparty_ref: str, unit_id: str,
              billing_month: dt.date) -> str:
    """The key of the one open draft per kind, counterparty, unit and month."""
    return f"{kind.value}|{counterparty_ref}|{unit_id}|{billing_month.isoformat()}"


def _open_draft_key(invoice: Invoice) -> str | None:
    if (invoice.status is not InvoiceStatus.DRAFT or invoice.is_credit_note
            or invoice.billing_month is None or invoice.counterparty_ref is None):
        return None
    return draft_key(invoice.kind, invoice.counterparty_ref, invoice.unit_id,
                     invoice.billing_month)


def _line_values(line: InvoiceLine, line_no: int) -> dict[str, Any]:
    return {
        "line_no": line_no,
        "description": line.description,
        "quantity_minutes": line.quantity_minutes,
        "quantity": line.quantity,
        "unit_price_ore": line.unit_price.ore,
        "amount_ore": line.amount.ore,
        "client_id": line.client_id,
        "basis_key": line.basis_key,
        "contract_id": line.contract_id,
    }


class InvoiceRepository(TableRepository[Invoice, InvoiceRow]):
    model = InvoiceRow
    label = "Fakturan"

    def to_values(self, entity: Invoice) -> dict[str, Any]:
        return {
            "id": entity.id,
            "kind": entity.kind,
            "recipient": entity.recipient,
            "unit_id": entity.unit_id,
            "status": entity.status,
            "number": entity.number,
            "issued_on": entity.issued_on,
            "due_on": entity.due_on,
            "credits_invoice_id": entity.credits_invoice_id,
            "billing_month": entity.billing_month,
            "counterparty_ref": entity.counterparty_ref,
            "payment_days": entity.payment_days,
            "created_at": entity.created_at,
            "open_draft_key": _open_draft_key(entity),
        }

    def to_entity(self, row: InvoiceRow) -> Invoice:
        lines = tuple(
            InvoiceLine(
                description=line.description,
                quantity_minutes=line.quantity_minutes,
                quantity=line.quantity,
                unit_price=Money(line.unit_price_ore),
                amount=Money(line.amount_ore),
                client_id=line.client_id,
                basis_key=line.basis_key,
                contract_id=line.contract_id,
            )
            for line in row.line_rows
        )
        return Invoice(
            id=row.id,
            kind=row.kind,
            recipient=row.recipient,
            unit_id=row.unit_id,
            lines=lines,
            status=row.status,
            number=row.number,
            issued_on=row.issued_on,
            due_on=row.due_on,
            credits_invoice_id=row.credits_invoice_id,
            billing_month=row.billing_month,
            counterparty_ref=row.counterparty_ref,
            payment_days=row.payment_days,
            created_at=row.created_at,
        )

    def build_row(self, entity: Invoice) -> InvoiceRow:
        row = InvoiceRow(**self.to_values(entity))
        row.line_rows = [
            InvoiceLineRow(**_line_values(line, number))
            for number, line in enumerate(entity.lines, start=1)
        ]
        return row

    def child_rows(
        self, entities: Sequence[Invoice]
    ) -> list[tuple[type[Any], list[dict[str, Any]]]]:
        lines = [
            {"invoice_id": entity.id, **_line_values(line, number)}
            for entity in entities
            for number, line in enumerate(entity.lines, start=1)
        ]
        return [(InvoiceLineRow, lines)]

    def replace_children(self, row: InvoiceRow, entity: Invoice) -> None:
        wanted = [_line_values(line, n) for n, line in enumerate(entity.lines, start=1)]
        for existing in list(row.line_rows[len(wanted):]):
            row.line_rows.remove(existing)
        for index, values in enumerate(wanted):
            if index < len(row.line_rows):
                for name, value in values.items():
                    setattr(row.line_rows[index], name, value)
            else:
                row.line_rows.append(InvoiceLineRow(**values))
        flag_modified(row, "status")  # a change to the lines alone still bumps the version

    def check_editable(self, row: InvoiceRow) -> None:
        if row.status is InvoiceStatus.ISSUED:
            raise DomainError(
                "invoice.issued_immutable",
                "En utfärdad faktura kan inte ändras; skapa en kreditfaktura.",
            )

    def of_unit(self, unit_id: str) -> list[Invoice]:
        return self._list(
            select(InvoiceRow).where(InvoiceRow.unit_id == unit_id).order_by(InvoiceRow.id)
        )

    def by_number(self, number: str) -> Invoice | None:
        row = self.session.scalars(select(InvoiceRow).where(InvoiceRow.number == number)).first()
        return None if row is None else self.load(row)

    def credit_notes_of(self, invoice_id: str) -> list[Invoice]:
        return self._list(
            select(InvoiceRow)
            .where(InvoiceRow.credits_invoice_id == invoice_id)
            .order_by(InvoiceRow.id)
        )

    def open_draft(self, key: str) -> Invoice | None:
        """The open draft with this ``draft_key``, if any."""
        row = self.session.scalars(
            select(InvoiceRow).where(InvoiceRow.open_draft_key == key)).first()
        return None if row is None else self.load(row)

    def of_month(self, billing_month: dt.date, *, kinds: Collection[InvoiceKind] | None = None,
                 status: InvoiceStatus | None = None) -> list[Invoice]:
        statement = select(InvoiceRow).where(InvoiceRow.billing_month == billing_month)
        if kinds is not None:
            statement = statement.where(InvoiceRow.kind.in_(list(kinds)))
        if status is not None:
            statement = statement.where(InvoiceRow.status == status)
        return self._list(statement.order_by(InvoiceRow.number, InvoiceRow.id))

    def listing(self, *, billing_month: dt.date | None = None,
                status: InvoiceStatus | None = None,
                kinds: Collection[InvoiceKind] | None = None) -> list[Invoice]:
        statement = select(InvoiceRow)
        if billing_month is not None:
            statement = statement.where(InvoiceRow.billing_month == billing_month)
        if status is not None:
            statement = statement.where(InvoiceRow.status == status)
        if kinds is not None:
            statement = statement.where(InvoiceRow.kind.in_(list(kinds)))
        return self._list(statement.order_by(
            InvoiceRow.billing_month, InvoiceRow.kind, InvoiceRow.number, InvoiceRow.id))

    def billed_lines(self, basis_keys: Collection[str]) -> list[InvoiceLine]:
        """Lines of issued invoices and credit notes that bill one of ``basis_keys``."""
        if not basis_keys:
            return []
        rows = self.session.scalars(
            select(InvoiceLineRow)
            .join(InvoiceRow, InvoiceRow.id == InvoiceLineRow.invoice_id)
            .where(InvoiceRow.status == InvoiceStatus.ISSUED,
                   InvoiceLineRow.basis_key.in_(sorted(basis_keys)))
            .order_by(InvoiceLineRow.invoice_id, InvoiceLineRow.line_no))
        return [
            InvoiceLine(description=r.description, quantity_minutes=r.quantity_minutes,
                        quantity=r.quantity, unit_price=Money(r.unit_price_ore),
                        amount=Money(r.amount_ore), client_id=r.client_id,
                        basis_key=r.basis_key, contract_id=r.contract_id)
            for r in rows
        ]

    def allocate_number(self, year: int) -> str:
        """The next number of the year's series, ``2026-00001`` and up, in this transaction.

        The series row is read with a row lock where the backend has one (PostgreSQL) and
        updated under its version, so two transactions never get the same number; a
        rolled-back transaction leaves no gap because the increment rolls back with it.
        """
        row = self.session.scalars(
            select(InvoiceNumberSeriesRow)
            .where(InvoiceNumberSeriesRow.year == year)
            .with_for_update()
        ).first()
        if row is None:
            row = InvoiceNumberSeriesRow(year=year, last_number=0)
            self.session.add(row)
        row.last_number += 1
        try:
            flush_or_stale(self.session, "Nummerserien", year)
        except IntegrityError as error:  # another transaction started the year's series
            raise StaleVersionError("Nummerserien", year) from error
        return f"{year}-{row.last_number:05d}"

    def last_number(self, year: int) -> int:
        row = self.session.get(InvoiceNumberSeriesRow, year)
        return 0 if row is None else int(row.last_number)
