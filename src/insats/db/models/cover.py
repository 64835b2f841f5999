"""Table ``cover_bookings``: who was booked to cover a shift, why, and as which kind of
cover (pool, colleague, mertid, overtime), so that substitute hours caused by meetings and
training can be counted. Append-only in practice: a booking is never edited."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from insats.db.base import Base, UTCDateTime, str_enum
from insats.domain.cover import CoverKind, CoverReason


class CoverBookingRow(Base):
    __tablename__ = "cover_bookings"
    __table_args__ = (Index("ix_cover_bookings_unit_starts_on", "unit_id", "starts_on"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    shift_id: Mapped[str] = mapped_column(ForeignKey("planned_shifts.id"), index=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"), index=True)
    previous_employee_id: Mapped[str | None] = mapped_column(
        ForeignKey("employees.id"), index=True)
    absence_id: Mapped[str | None] = mapped_column(ForeignKey("absences.id"), index=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    starts_on: Mapped[dt.date] = mapped_column(Date, index=True)
    reason: Mapped[CoverReason] = mapped_column(str_enum(CoverReason))
    kind: Mapped[CoverKind] = mapped_column(str_enum(CoverKind))
    paid_minutes: Mapped[int] = mapped_column(Integer)
    cost_ore: Mapped[int] = mapped_column(Integer)
    booked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    booked_by: Mapped[str] = mapped_column(String(100))
