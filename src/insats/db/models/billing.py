"""Tables ``invoices`` and ``invoice_lines``; issued invoices are never updated."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from insats.db.base import Base, str_enum
from insats.domain.billing import InvoiceKind, InvoiceStatus


class InvoiceRow(Base):
    __tablename__ = "invoices"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[InvoiceKind] = mapped_column(str_enum(InvoiceKind))
    recipient: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    status: Mapped[InvoiceStatus] = mapped_column(str_enum(InvoiceStatus))
    number: Mapped[str | None] = mapped_column(String(32), unique=True)
    issued_on: Mapped[dt.date | None] = mapped_column(Date)
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    credits_invoice_id: Mapped[str | None] = mapped_column(
        ForeignKey("invoices.id"), index=True
    )
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
