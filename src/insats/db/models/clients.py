"""Table ``clients`` (brukare): special-category personal data."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from insats.db.base import Base, str_enum
from insats.domain.personnummer import IdentityKind


class ClientRow(Base):
    __tablename__ = "clients"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(32), unique=True)
    identity_number: Mapped[str] = mapped_column(String(16), index=True)
    identity_kind: Mapped[IdentityKind] = mapped_column(str_enum(IdentityKind))
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    home_municipality_code: Mapped[str] = mapped_column(String(4))
    address: Mapped[str] = mapped_column(String(300))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    lives_in_group_home: Mapped[bool] = mapped_column(Boolean)
    deceased_on: Mapped[dt.date | None] = mapped_column(Date)
