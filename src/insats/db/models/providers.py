"""Table ``providers`` (anordnare)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, String
from sqlalchemy.orm import Mapped, mapped_column

from insats.db.base import Base


class ProviderRow(Base):
    __tablename__ = "providers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation_number: Mapped[str] = mapped_column(String(16))
    is_municipal: Mapped[bool] = mapped_column(Boolean)
    ivo_permit_from: Mapped[dt.date | None] = mapped_column(Date)
    ivo_permit_to: Mapped[dt.date | None] = mapped_column(Date)
    f_tax: Mapped[bool] = mapped_column(Boolean)
    employer_registered: Mapped[bool] = mapped_column(Boolean)
