"""Issued invoices are immutable snapshots; a credit note reverses one exactly."""

from __future__ import annotations

import datetime as dt

import pytest

from insats.domain.billing import InvoiceKind, InvoiceStatus
from insats.domain.common import DomainError, Money
from tests.builders import an_invoice, an_invoice_line


def issued():  # type: ignore[no-untyped-def]
    draft = an_invoice(
        kind=InvoiceKind.PROVIDER_BASANSVAR, recipient="Frihetsassistans Sjuhärad AB",
        lines=(an_invoice_line(basis_key="K1:C1:U01:2026-10", contract_id="K1"),
               an_invoice_line(description="Dygn", quantity_minutes=None, quantity=3,
                               unit_price=Money.kronor(4150), amount=Money.kronor(12450))),
        billing_month=dt.date(2026, 10, 1), counterparty_ref="559123-4567", payment_days=30)
    return draft.issue(number="2026-00001", on=dt.date(2026, 11, 5), payment_days=30)


def test_issuing_numbers_and_dates_the_invoice() -> None:
    invoice = issued()
    assert invoice.status is InvoiceStatus.ISSUED
    assert (invoice.number, invoice.issued_on, invoice.due_on) == (
        "2026-00001", dt.date(2026, 11, 5), dt.date(2026, 12, 5))
    assert invoice.total == Money.kronor("15 760,00")


def test_an_issued_invoice_cannot_change_or_be_issued_again() -> None:
    invoice = issued()
    with pytest.raises(DomainError) as error:
        invoice.with_line(an_invoice_line())
    assert error.value.code == "invoice.issued_immutable"
    with pytest.raises(DomainError, match="redan utfärdad"):
        invoice.issue(number="2026-00002", on=dt.date(2026, 11, 6), payment_days=30)


def test_a_credit_note_reverses_every_line_exactly_and_keeps_the_references() -> None:
    original = issued()
    note = original.credit_note(new_id="F2")

    assert note.credits_invoice_id == original.id and note.is_credit_note
    assert note.status is InvoiceStatus.DRAFT and note.number is None
    assert note.total == -original.total
    for mine, theirs in zip(note.lines, original.lines, strict=True):
        assert mine.amount == -theirs.amount and mine.quantity == -theirs.quantity
        assert mine.quantity_minutes == (None if theirs.quantity_minutes is None
                                         else -theirs.quantity_minutes)
        assert (mine.unit_price, mine.basis_key, mine.contract_id, mine.description) == (
            theirs.unit_price, theirs.basis_key, theirs.contract_id, theirs.description)
    assert (note.billing_month, note.counterparty_ref, note.recipient, note.kind) == (
        original.billing_month, original.counterparty_ref, original.recipient, original.kind)


def test_only_issued_ordinary_invoices_are_credited() -> None:
    with pytest.raises(DomainError) as error:
        an_invoice().credit_note(new_id="F2")
    assert error.value.code == "invoice.credit_draft"
    note = issued().credit_note(new_id="F2").issue(
        number="2026-00002", on=dt.date(2026, 11, 6), payment_days=0)
    with pytest.raises(DomainError) as error:
        note.credit_note(new_id="F3")
    assert error.value.code == "invoice.credit_credit"
