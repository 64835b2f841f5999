"""Invoices with lines; an issued invoice is never updated or deleted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from insats.db.models.billing import InvoiceLineRow, InvoiceRow
from insats.db.repositories._base import TableRepository
from insats.domain.billing import Invoice, InvoiceLine, InvoiceStatus
from insats.domain.common import DomainError, Money


def _line_values(line: InvoiceLine, line_no: int) -> dict[str, Any]:
    return {
        "line_no": line_no,
        "description": line.description,
        "quantity_minutes": line.quantity_minutes,
        "quantity": line.quantity,
        "unit_price_ore": line.unit_price.ore,
        "amount_ore": line.amount.ore,
        "client_id": line.client_id,
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
