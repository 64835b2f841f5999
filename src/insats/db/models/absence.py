"""Table ``absences``: whole days ``[valid_from, valid_to)``."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from insats.db.base import Base, str_enum
from insats.domain.absence import AbsenceKind


class AbsenceRow(Base):
    __tablename__ = "absences"
    __table_args__ = (Index("ix_absences_employee_from", "employee_id", "valid_from"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"))
    kind: Mapped[AbsenceKind] = mapped_column(str_enum(AbsenceKind))
    valid_from: Mapped[dt.date] = mapped_column(Date, index=True)
    valid_to: Mapped[dt.date] = mapped_column(Date)
    extent_percent: Mapped[int] = mapped_column(Integer)
    medical_certificate: Mapped[bool] = mapped_column(Boolean)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
