"""Tables ``premises`` (lokaler), ``premises_units`` (the units using each) and
``premises_usage`` (recorded use)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from insats.db.base import Base, UTCDateTime


class PremisesRow(Base):
    __tablename__ = "premises"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(200))
    district: Mapped[str] = mapped_column(String(100))
    area_m2: Mapped[int] = mapped_column(Integer)
    rent_unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    rent_text: Mapped[str] = mapped_column(String(200))
    available_minutes_per_week: Mapped[int] = mapped_column(Integer)


class PremisesUnitRow(Base):
    __tablename__ = "premises_units"

    premises_id: Mapped[str] = mapped_column(ForeignKey("premises.id"), primary_key=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), primary_key=True, index=True)


class PremisesUseRow(Base):
    __tablename__ = "premises_usage"
    __table_args__ = (Index("ix_premises_usage_premises_start", "premises_id", "start"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    premises_id: Mapped[str] = mapped_column(ForeignKey("premises.id"))
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    start: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    end: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    purpose: Mapped[str] = mapped_column(String(200))
