"""Table ``decisions`` (beslut); editable, so it carries an optimistic-locking version."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from insats.db.base import Base, str_enum
from insats.domain.decisions import DecidedBy, Insats, LegalBasis, Payer


class DecisionRow(Base):
    __tablename__ = "decisions"
    __table_args__ = (Index("ix_decisions_client_period", "client_id", "valid_from"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id"))
    legal_basis: Mapped[LegalBasis] = mapped_column(str_enum(LegalBasis))
    insats: Mapped[Insats] = mapped_column(str_enum(Insats))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    decided_by: Mapped[DecidedBy] = mapped_column(str_enum(DecidedBy))
    payer: Mapped[Payer] = mapped_column(str_enum(Payer))
    provider_id: Mapped[str] = mapped_column(ForeignKey("providers.id"), index=True)
    decided_on: Mapped[dt.date] = mapped_column(Date)
    granted_minutes_per_week: Mapped[int | None] = mapped_column(Integer)
    granted_minutes_total: Mapped[int | None] = mapped_column(Integer)
    double_assistance_minutes_per_week: Mapped[int] = mapped_column(Integer)
    basic_needs_minutes_per_week: Mapped[int | None] = mapped_column(Integer)
    increased_rate: Mapped[bool] = mapped_column(Boolean)
    replaces_decision_id: Mapped[str | None] = mapped_column(
        ForeignKey("decisions.id"), index=True
    )
    increased_rate_ore: Mapped[int | None] = mapped_column(BigInteger)
    paid_in_advance: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
