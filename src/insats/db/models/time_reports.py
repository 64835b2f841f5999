"""Table ``time_entries`` (tidrapporter); attested rows are never updated.

``worked_on`` (Stockholm date of the start) and ``worked_minutes`` are derived when written.
``attested_by`` is the attesting user's login name, not necessarily an employee id.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from insats.db.base import Base, UTCDateTime, str_enum
from insats.domain.time_reports import TimeEntryStatus, TimeKind


class TimeEntryRow(Base):
    __tablename__ = "time_entries"
    __table_args__ = (
        Index("ix_time_entries_employee_start", "employee_id", "start_at"),
        Index("ix_time_entries_group_start", "group_id", "start_at"),
        Index("ix_time_entries_worked_on", "worked_on"),
        Index("ix_time_entries_client_day", "client_id", "worked_on"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"))
    group_id: Mapped[str] = mapped_column(ForeignKey("assistance_groups.id"))
    start_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    worked_on: Mapped[dt.date] = mapped_column(Date)
    worked_minutes: Mapped[int] = mapped_column(Integer)
    kind: Mapped[TimeKind] = mapped_column(str_enum(TimeKind))
    status: Mapped[TimeEntryStatus] = mapped_column(str_enum(TimeEntryStatus))
    client_id: Mapped[str | None] = mapped_column(ForeignKey("clients.id"))
    planned_shift_id: Mapped[str | None] = mapped_column(
        ForeignKey("planned_shifts.id"), index=True
    )
    break_minutes: Mapped[int] = mapped_column(Integer)
    is_double: Mapped[bool] = mapped_column(Boolean)
    at_hospital: Mapped[bool] = mapped_column(Boolean)
    reported_on: Mapped[dt.date | None] = mapped_column(Date)
    attested_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    attested_by: Mapped[str | None] = mapped_column(String(64))
    # unique: an entry is corrected at most once, even by two attesters at the same instant
    corrects_entry_id: Mapped[str | None] = mapped_column(
        ForeignKey("time_entries.id"), index=True, unique=True
    )
    ob_claimed: Mapped[bool] = mapped_column(Boolean)
    comment: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
