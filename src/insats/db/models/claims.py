"""Table ``municipal_share_charges``: FK's invoices for the municipality's 20-hour share."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from insats.db.base import Base


class MunicipalShareChargeRow(Base):
    __tablename__ = "municipal_share_charges"
    __table_args__ = (UniqueConstraint("client_id", "month", name="uq_share_client_month"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id"), index=True)
    month: Mapped[dt.date] = mapped_column(Date)
    amount_ore: Mapped[int] = mapped_column(BigInteger)
    reference: Mapped[str] = mapped_column(String(100))
    recorded_on: Mapped[dt.date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
