"""Table ``client_stays``: hospital stays, korttidsvistelse, school and daglig verksamhet."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from insats.db.base import Base, UTCDateTime, str_enum
from insats.domain.stays import StayKind


class ClientStayRow(Base):
    __tablename__ = "client_stays"
    __table_args__ = (Index("ix_client_stays_client_start", "client_id", "start_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id"), index=True)
    kind: Mapped[StayKind] = mapped_column(str_enum(StayKind))
    start_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    special_reasons: Mapped[bool] = mapped_column(Boolean)
    approved_until: Mapped[dt.date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
