"""Tables ``employees`` and ``employee_skills`` (one row per skill)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from insats.db.base import Base, str_enum
from insats.domain.staff import Agreement, EmploymentForm, Position


class EmployeeRow(Base):
    __tablename__ = "employees"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    home_unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    position: Mapped[Position] = mapped_column(str_enum(Position))
    employment_form: Mapped[EmploymentForm] = mapped_column(str_enum(EmploymentForm))
    agreement: Mapped[Agreement] = mapped_column(str_enum(Agreement))
    employment_percent: Mapped[int] = mapped_column(Integer)
    full_time_minutes_per_week: Mapped[int] = mapped_column(Integer)
    employed_from: Mapped[dt.date] = mapped_column(Date)
    employed_to: Mapped[dt.date | None] = mapped_column(Date)
    monthly_wage_ore: Mapped[int | None] = mapped_column(BigInteger)
    hourly_wage_ore: Mapped[int | None] = mapped_column(BigInteger)
    related_client_id: Mapped[str | None] = mapped_column(
        ForeignKey("clients.id"), index=True
    )
    in_substitute_pool: Mapped[bool] = mapped_column(Boolean)
    resides_outside_eea: Mapped[bool] = mapped_column(Boolean, default=False)
    outside_eea_approved: Mapped[bool] = mapped_column(Boolean, default=False)

    skill_rows: Mapped[list[EmployeeSkillRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="EmployeeSkillRow.skill"
    )


class EmployeeSkillRow(Base):
    __tablename__ = "employee_skills"

    employee_id: Mapped[str] = mapped_column(
        ForeignKey("employees.id", ondelete="CASCADE"), primary_key=True
    )
    skill: Mapped[str] = mapped_column(String(64), primary_key=True)
