"""Tables ``departments`` and ``units``.

The head and manager references point at ``employees``, which itself points back at
``units``; those two foreign keys are created after the tables (``use_alter``) and are
deferred to commit, so a department, its units and their staff can be loaded in any order.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from insats.db.base import Base, str_enum
from insats.domain.organisation import UnitKind


class DepartmentRow(Base):
    __tablename__ = "departments"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    municipality_code: Mapped[str] = mapped_column(String(4))
    municipality_name: Mapped[str] = mapped_column(String(100))
    head_employee_id: Mapped[str | None] = mapped_column(
        String(32),
        ForeignKey("employees.id", use_alter=True, deferrable=True, initially="DEFERRED"),
        index=True,
    )


class UnitRow(Base):
    __tablename__ = "units"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    department_id: Mapped[str] = mapped_column(ForeignKey("departments.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[UnitKind] = mapped_column(str_enum(UnitKind))
    cost_centre: Mapped[str] = mapped_column(String(32))
    manager_employee_id: Mapped[str | None] = mapped_column(
        String(32),
        ForeignKey("employees.id", use_alter=True, deferrable=True, initially="DEFERRED"),
        index=True,
    )
    places: Mapped[int | None] = mapped_column(Integer)
