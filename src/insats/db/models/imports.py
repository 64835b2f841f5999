"""Tables ``import_sources`` (a source system's saved column mapping per import kind) and
``import_batches`` (one row per imported file: who, what, checksum and row counts)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from insats.db.base import Base, UTCDateTime


class ImportSourceRow(Base):
    __tablename__ = "import_sources"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    mapping: Mapped[str] = mapped_column(Text)  # JSON, see insats.interchange.mapping
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ImportBatchRow(Base):
    __tablename__ = "import_batches"
    __table_args__ = (
        Index("ix_import_batches_source_kind", "source", "kind", "imported_at"),
        Index("ix_import_batches_sha256", "sha256"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    source: Mapped[str | None] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    file_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    rows_total: Mapped[int] = mapped_column(Integer)
    rows_created: Mapped[int] = mapped_column(Integer)
    rows_updated: Mapped[int] = mapped_column(Integer)
    rows_unchanged: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
