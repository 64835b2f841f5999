"""Table ``rule_parameters``: dated rates and limits, mirroring ``RuleParameter``."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from insats.db.base import Base, str_enum
from insats.domain.rules.parameters import Certainty, ParameterUnit


class RuleParameterRow(Base):
    __tablename__ = "rule_parameters"
    __table_args__ = (UniqueConstraint("key", "valid_from"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(100), index=True)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    value: Mapped[int] = mapped_column(BigInteger)
    unit: Mapped[ParameterUnit] = mapped_column(str_enum(ParameterUnit))
    source: Mapped[str] = mapped_column(Text)
    certainty: Mapped[Certainty] = mapped_column(str_enum(Certainty))
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
