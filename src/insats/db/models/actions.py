"""Table ``actions`` (åtgärder in the action plan)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from insats.db.base import Base, str_enum
from insats.domain.actions import ActionStatus


class ActionRow(Base):
    __tablename__ = "actions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    department_id: Mapped[str] = mapped_column(ForeignKey("departments.id"), index=True)
    activity: Mapped[str] = mapped_column(Text)
    measure: Mapped[str] = mapped_column(Text)
    status: Mapped[ActionStatus] = mapped_column(str_enum(ActionStatus))
    owner_role: Mapped[str] = mapped_column(String(100))
    follow_up_on: Mapped[dt.date | None] = mapped_column(Date)
    follow_up_text: Mapped[str] = mapped_column(Text)
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
