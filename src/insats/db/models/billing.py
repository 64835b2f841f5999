"""Tables ``invoices``, ``invoice_lines`` and ``invoice_number_series``; issued invoices are
never updated.

``invoices.open_draft_key`` is set only on drafts (kind, counterparty, unit, month), so the
unique constraint allows one open draft per key on every backend (NULLs do not collide).
``invoice_number_series`` holds the last number used per year; issuing increments it in the
same transaction, so numbers are unique and without gaps.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from insats.db.base import Base, UTCDateTime, str_enum
from insats.domain.billing import InvoiceKind, InvoiceStatus


class InvoiceRow(Base):
    __tablename__ = "invoices"
    __table_args__ = (Index("ix_invoices_billing_month", "billing_month", "kind"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[InvoiceKind] = mapped_column(str_enum(InvoiceKind))
    recipient: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    status: Mapped[InvoiceStatus] = mapped_column(str_enum(InvoiceStatus))
    number: Mapped[str | None] = mapped_column(String(32), unique=True)
    issued_on: Mapped[dt.date | None] = mapped_column(Date)
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    credits_invoice_id: Mapped[str | None] = mapped_column(
        ForeignKey("invoices.id"), index=True, unique=True  # credited at most once
    )
    billing_month: Mapped[dt.date | None] = mapped_column(Date)
    counterparty_ref: Mapped[str | None] = mapped_column(String(40))
    payment_days: Mapped[int] = mapped_column(Integer, server_default="30")
    created_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    open_draft_key: Mapped[str | None] = mapped_column(String(160), unique=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    line_rows: Mapped[list[InvoiceLineRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="InvoiceLineRow.line_no"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class InvoiceLineRow(Base):
    __tablename__ = "invoice_lines"

    invoice_id: Mapped[str] = mapped_column(
        ForeignKey("invoices.id", ondelete="CASCADE"), primary_key=True
    )
    line_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    description: Mapped[str] = mapped_column(String(500))
    quantity_minutes: Mapped[int | None] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_ore: Mapped[int] = mapped_column(BigInteger)
    amount_ore: Mapped[int] = mapped_column(BigInteger)
    client_id: Mapped[str | None] = mapped_column(ForeignKey("clients.id"), index=True)
    basis_key: Mapped[str | None] = mapped_column(String(120), index=True)
    contract_id: Mapped[str | None] = mapped_column(
        ForeignKey("billing_contracts.id"), index=True
    )


class InvoiceNumberSeriesRow(Base):
    """The last invoice number used in a year's series (``2026-00001``, ``2026-00002`` …)."""

    __tablename__ = "invoice_number_series"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
