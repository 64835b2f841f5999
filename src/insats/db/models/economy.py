"""Tables ``cost_entries`` (bokförda belopp) and ``budgets``."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from insats.db.base import Base, str_enum
from insats.domain.economy import AccountCategory


class CostEntryRow(Base):
    __tablename__ = "cost_entries"
    __table_args__ = (Index("ix_cost_entries_unit_booked_on", "unit_id", "booked_on"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"))
    cost_centre: Mapped[str] = mapped_column(String(32))
    category: Mapped[AccountCategory] = mapped_column(str_enum(AccountCategory))
    booked_on: Mapped[dt.date] = mapped_column(Date, index=True)
    amount_ore: Mapped[int] = mapped_column(BigInteger)
    description: Mapped[str] = mapped_column(String(500))
    counterparty: Mapped[str] = mapped_column(String(200))


class BudgetRow(Base):
    __tablename__ = "budgets"

    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[int] = mapped_column(Integer, primary_key=True)
    category: Mapped[AccountCategory] = mapped_column(
        str_enum(AccountCategory), primary_key=True
    )
    amount_ore: Mapped[int] = mapped_column(BigInteger)
