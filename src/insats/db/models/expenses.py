"""Tables ``expense_claims`` (utlägg), ``petty_cash_cards`` (handkassekort) and
``card_purchases`` (the cards' statement lines)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from insats.db.base import Base, UTCDateTime, str_enum
from insats.domain.expenses import ClaimStatus


class ExpenseClaimRow(Base):
    __tablename__ = "expense_claims"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"), index=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    cost_centre: Mapped[str] = mapped_column(String(32))
    spent_on: Mapped[dt.date] = mapped_column(Date, index=True)
    amount_ore: Mapped[int] = mapped_column(BigInteger)
    description: Mapped[str] = mapped_column(String(300))
    receipt_reference: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(100), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    status: Mapped[ClaimStatus] = mapped_column(str_enum(ClaimStatus))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[str] = mapped_column(String(100))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(String(500))
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class PettyCashCardRow(Base):
    __tablename__ = "petty_cash_cards"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    holder_employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"), index=True)
    label: Mapped[str] = mapped_column(String(100))
    issued_on: Mapped[dt.date] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)


class CardPurchaseRow(Base):
    __tablename__ = "card_purchases"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    card_id: Mapped[str] = mapped_column(ForeignKey("petty_cash_cards.id"), index=True)
    bought_on: Mapped[dt.date] = mapped_column(Date, index=True)
    amount_ore: Mapped[int] = mapped_column(BigInteger)
    merchant: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(String(500))
    cost_entry_id: Mapped[str | None] = mapped_column(ForeignKey("cost_entries.id"),
                                                      index=True)
