"""Tables ``committee_reports``, ``committee_report_texts`` and
``committee_report_versions`` (the report to the committee, its texts and issued versions)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from insats.db.base import Base, UTCDateTime


class CommitteeReportRow(Base):
    """A report being written: period, scope (a unit or the department) and header."""

    __tablename__ = "committee_reports"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    scope_unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), index=True)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)  # exclusive
    document_type: Mapped[str] = mapped_column(String(100))
    deciding_body: Mapped[str] = mapped_column(String(200))
    diarienummer: Mapped[str] = mapped_column(String(64))
    validity: Mapped[str] = mapped_column(String(100))
    responsible: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class CommitteeReportTextRow(Base):
    """What the manager writes for one subject of a report: a section ("section:..."),
    an action ("action:A01") or a key figure ("figure:overtime_hours")."""

    __tablename__ = "committee_report_texts"
    __table_args__ = (UniqueConstraint("report_id", "subject"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    report_id: Mapped[str] = mapped_column(ForeignKey("committee_reports.id"), index=True)
    subject: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class CommitteeReportVersionRow(Base):
    """An issued version: the frozen content (JSON) with its PDF and XLSX; append-only."""

    __tablename__ = "committee_report_versions"
    __table_args__ = (UniqueConstraint("report_id", "number"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    report_id: Mapped[str] = mapped_column(ForeignKey("committee_reports.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    issued_by: Mapped[str] = mapped_column(String(100))
    content: Mapped[str] = mapped_column(Text)
    content_sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    xlsx: Mapped[bytes] = mapped_column(LargeBinary)
