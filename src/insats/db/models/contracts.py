"""Table ``billing_contracts``: agreed prices per period for invoices (basansvar, köpt
plats, HSL). A price change is a new row; old rows stay as the basis of issued invoices."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from insats.db.base import Base, str_enum
from insats.domain.billing import InvoiceKind


class BillingContractRow(Base):
    __tablename__ = "billing_contracts"
    __table_args__ = (Index("ix_billing_contracts_kind_from", "kind", "valid_from"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[InvoiceKind] = mapped_column(str_enum(InvoiceKind))
    counterparty_name: Mapped[str] = mapped_column(String(200))
    organisation_number: Mapped[str | None] = mapped_column(String(20))
    municipality_code: Mapped[str | None] = mapped_column(String(4))
    price_ore: Mapped[int] = mapped_column(BigInteger)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    payment_days: Mapped[int] = mapped_column(Integer)
    provider_id: Mapped[str | None] = mapped_column(ForeignKey("providers.id"), index=True)
    client_id: Mapped[str | None] = mapped_column(ForeignKey("clients.id"), index=True)
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), index=True)
    hsl_minutes_per_week: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
