"""Tables ``assistance_groups``, ``group_memberships``, ``shift_templates``, ``planned_shifts``.

``planned_shifts.starts_on`` (the Stockholm date the shift starts) and ``paid_minutes``
are derived from the domain object when written, so that reports can group by day and
sum minutes in plain SQL on every backend. ``planned_shifts.planning_run_id`` ties a
proposed shift to the planning run that made it (``insats.db.models.planning``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Time
from sqlalchemy.orm import Mapped, mapped_column

from insats.db.base import Base, UTCDateTime, str_enum
from insats.domain.scheduling import ShiftKind, ShiftStatus


class AssistanceGroupRow(Base):
    __tablename__ = "assistance_groups"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    client_id: Mapped[str | None] = mapped_column(ForeignKey("clients.id"), index=True)
    breaks_allowed: Mapped[bool] = mapped_column(Boolean)


class GroupMembershipRow(Base):
    __tablename__ = "group_memberships"

    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"), primary_key=True)
    group_id: Mapped[str] = mapped_column(
        ForeignKey("assistance_groups.id"), primary_key=True, index=True
    )
    valid_from: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    is_regular: Mapped[bool] = mapped_column(Boolean)


class ShiftTemplateRow(Base):
    __tablename__ = "shift_templates"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    group_id: Mapped[str] = mapped_column(ForeignKey("assistance_groups.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    weekday: Mapped[int] = mapped_column(Integer)
    start_time: Mapped[dt.time] = mapped_column(Time)
    length_minutes: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    positions: Mapped[int] = mapped_column(Integer)
    break_minutes: Mapped[int] = mapped_column(Integer)
    kind: Mapped[ShiftKind] = mapped_column(str_enum(ShiftKind))


class PlannedShiftRow(Base):
    __tablename__ = "planned_shifts"
    __table_args__ = (
        Index("ix_planned_shifts_group_start", "group_id", "start_at"),
        Index("ix_planned_shifts_employee_start", "employee_id", "start_at"),
        Index("ix_planned_shifts_starts_on", "starts_on"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    group_id: Mapped[str] = mapped_column(ForeignKey("assistance_groups.id"))
    start_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    employee_id: Mapped[str | None] = mapped_column(ForeignKey("employees.id"))
    kind: Mapped[ShiftKind] = mapped_column(str_enum(ShiftKind))
    status: Mapped[ShiftStatus] = mapped_column(str_enum(ShiftStatus))
    break_minutes: Mapped[int] = mapped_column(Integer)
    paid_minutes: Mapped[int] = mapped_column(Integer)
    is_double: Mapped[bool] = mapped_column(Boolean)
    template_id: Mapped[str | None] = mapped_column(
        ForeignKey("shift_templates.id"), index=True
    )
    # the planning run whose proposal this shift was (kept after publishing, as provenance)
    planning_run_id: Mapped[str | None] = mapped_column(
        ForeignKey("planning_runs.id"), index=True
    )
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
