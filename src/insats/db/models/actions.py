"""Tables ``actions`` (åtgärder in the action plan), ``action_targets`` and
``action_follow_ups``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from insats.db.base import Base, UTCDateTime, str_enum
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
    owner_username: Mapped[str | None] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ActionTargetRow(Base):
    """A key figure an action is tied to: baseline, target and the date to reach it."""

    __tablename__ = "action_targets"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    action_id: Mapped[str] = mapped_column(ForeignKey("actions.id"), index=True)
    figure_code: Mapped[str] = mapped_column(String(64))
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), index=True)
    baseline: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    baseline_period: Mapped[str] = mapped_column(String(16))
    target: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    target_on: Mapped[dt.date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ActionFollowUpRow(Base):
    """One follow-up note of an action (append-only: notes are never rewritten)."""

    __tablename__ = "action_follow_ups"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    action_id: Mapped[str] = mapped_column(ForeignKey("actions.id"), index=True)
    written_on: Mapped[dt.date] = mapped_column(Date)
    written_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    author: Mapped[str] = mapped_column(String(100))
    status: Mapped[ActionStatus] = mapped_column(str_enum(ActionStatus))
    text: Mapped[str] = mapped_column(Text)
    next_follow_up_on: Mapped[dt.date | None] = mapped_column(Date)
