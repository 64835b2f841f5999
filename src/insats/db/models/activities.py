"""Tables ``activities`` and ``activity_participants`` (ordered by ``position``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from insats.db.base import Base, UTCDateTime, str_enum
from insats.domain.activities import ActivityKind


class ActivityRow(Base):
    __tablename__ = "activities"
    __table_args__ = (Index("ix_activities_unit_start", "unit_id", "start_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"))
    kind: Mapped[ActivityKind] = mapped_column(str_enum(ActivityKind))
    title: Mapped[str] = mapped_column(String(200))
    start_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    substitutes_needed: Mapped[int] = mapped_column(Integer)

    participant_rows: Mapped[list[ActivityParticipantRow]] = relationship(
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="ActivityParticipantRow.position",
    )


class ActivityParticipantRow(Base):
    __tablename__ = "activity_participants"

    activity_id: Mapped[str] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True
    )
    employee_id: Mapped[str] = mapped_column(
        ForeignKey("employees.id"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer)
