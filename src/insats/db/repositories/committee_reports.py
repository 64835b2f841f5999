"""Committee reports: the report being written, its texts per subject and its issued
versions.

``CommitteeReportRepository`` reads and writes the report itself (``get``, ``update``,
...), the texts through ``save_text`` / ``texts_of`` and the versions through
``add_version`` / ``versions_of`` / ``document``. Versions are append-only: the repository
refuses to change one, and the database's triggers refuse an UPDATE or DELETE that gets
past it. Listing versions does not read their PDF and XLSX.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, defer

from insats.db.models.committee_reports import (
    CommitteeReportRow,
    CommitteeReportTextRow,
    CommitteeReportVersionRow,
)
from insats.db.repositories._base import NotFoundError, StaleVersionError, TableRepository
from insats.domain.committee_report import (
    CommitteeReport,
    IssuedReportFrozen,
    IssuedVersion,
    ReportText,
)

DocumentKind = Literal["pdf", "xlsx"]


class CommitteeReportTable(TableRepository[CommitteeReport, CommitteeReportRow]):
    model = CommitteeReportRow
    label = "Rapporten"

    def to_values(self, entity: CommitteeReport) -> dict[str, Any]:
        return {field.name: getattr(entity, field.name)
                for field in dataclasses.fields(entity)}

    def to_entity(self, row: CommitteeReportRow) -> CommitteeReport:
        return CommitteeReport(**{field.name: getattr(row, field.name)
                                  for field in dataclasses.fields(CommitteeReport)})


class ReportTextTable(TableRepository[ReportText, CommitteeReportTextRow]):
    model = CommitteeReportTextRow
    label = "Texten"

    def to_values(self, entity: ReportText) -> dict[str, Any]:
        return {"id": entity.id, "report_id": entity.report_id, "subject": entity.subject,
                "text": entity.text, "updated_at": entity.updated_at,
                "updated_by": entity.updated_by}

    def to_entity(self, row: CommitteeReportTextRow) -> ReportText:
        return ReportText(id=row.id, report_id=row.report_id, subject=row.subject,
                          text=row.text, updated_at=row.updated_at,
                          updated_by=row.updated_by, version=row.version)


class ReportVersionTable(TableRepository[IssuedVersion, CommitteeReportVersionRow]):
    model = CommitteeReportVersionRow
    label = "Rapportversionen"

    def to_values(self, entity: IssuedVersion) -> dict[str, Any]:
        return {"id": entity.id, "report_id": entity.report_id, "number": entity.number,
                "issued_at": entity.issued_at, "issued_by": entity.issued_by,
                "content": entity.content_json, "content_sha256": entity.content_sha256}

    def to_entity(self, row: CommitteeReportVersionRow) -> IssuedVersion:
        return IssuedVersion(id=row.id, report_id=row.report_id, number=row.number,
                             issued_at=row.issued_at, issued_by=row.issued_by,
                             content_json=row.content, content_sha256=row.content_sha256)

    def check_editable(self, row: CommitteeReportVersionRow) -> None:
        raise IssuedReportFrozen(row.number)


class CommitteeReportRepository:
    """Reports, their texts and their issued versions; ``get`` returns a report."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.reports = CommitteeReportTable(session)
        self.texts = ReportTextTable(session)
        self.versions = ReportVersionTable(session)

    # --- reports -------------------------------------------------------------------
    def add(self, report: CommitteeReport) -> None:
        self.reports.add(report)

    def update(self, report: CommitteeReport, *, expected_version: int | None = None) -> int:
        version = self.reports.update(report, expected_version=expected_version)
        assert version is not None
        return version

    def get(self, report_id: str) -> CommitteeReport | None:
        return self.reports.get(report_id)

    def version_of(self, report_id: str) -> int | None:
        return self.reports.version_of(report_id)

    def all(self) -> list[CommitteeReport]:
        """Every report, newest first."""
        return self.reports._list(select(CommitteeReportRow).order_by(
            CommitteeReportRow.created_at.desc(), CommitteeReportRow.id))

    # --- texts ---------------------------------------------------------------------
    def texts_of(self, report_id: str) -> dict[str, ReportText]:
        """The report's texts by subject (with their stored versions)."""
        rows = self.session.scalars(select(CommitteeReportTextRow).where(
            CommitteeReportTextRow.report_id == report_id).order_by(
            CommitteeReportTextRow.subject))
        return {row.subject: self.texts.load(row) for row in rows}

    def save_text(self, text: ReportText, *, expected_version: int) -> int:
        """Write the text for its subject; returns the new version.

        ``expected_version`` is the version the writer read: 0 when there was no text yet.

        Raises:
            StaleVersionError: someone else saved the subject's text in between.
        """
        row = self.session.scalars(select(CommitteeReportTextRow).where(
            CommitteeReportTextRow.report_id == text.report_id,
            CommitteeReportTextRow.subject == text.subject)).one_or_none()
        if row is None:
            if expected_version != 0:
                raise StaleVersionError(self.texts.label, text.subject)
            try:
                self.texts.add(text)
            except IntegrityError as error:  # saved by someone else at the same moment
                raise StaleVersionError(self.texts.label, text.subject) from error
            return 1
        version = self.texts.update(dataclasses.replace(text, id=row.id),
                                    expected_version=expected_version)
        assert version is not None
        return version

    # --- issued versions -----------------------------------------------------------
    def add_version(self, version: IssuedVersion, *, pdf: bytes, xlsx: bytes) -> None:
        """Store an issued version with its documents (the only write a version gets).

        Raises:
            StaleVersionError: the number was taken by someone issuing at the same time.
        """
        row = self.versions.build_row(version)
        row.pdf, row.xlsx = pdf, xlsx
        self.session.add(row)
        try:
            self.session.flush()
        except IntegrityError as error:
            raise StaleVersionError("Rapporten", version.report_id) from error

    def versions_of(self, report_id: str) -> list[IssuedVersion]:
        """The issued versions, oldest first, without their documents."""
        return self.versions._list(
            select(CommitteeReportVersionRow)
            .options(defer(CommitteeReportVersionRow.pdf),
                     defer(CommitteeReportVersionRow.xlsx))
            .where(CommitteeReportVersionRow.report_id == report_id)
            .order_by(CommitteeReportVersionRow.number))

    def issued_counts(self) -> dict[str, int]:
        """How many versions each report has (reports without any are left out)."""
        rows = self.session.execute(
            select(CommitteeReportVersionRow.report_id, func.count())
            .group_by(CommitteeReportVersionRow.report_id))
        return {report_id: int(count) for report_id, count in rows}

    def version(self, report_id: str, number: int) -> IssuedVersion:
        row = self._version_row(report_id, number, documents=False)
        return self.versions.to_entity(row)

    def document(self, report_id: str, number: int, kind: DocumentKind) -> bytes:
        row = self._version_row(report_id, number, documents=True)
        return bytes(row.pdf if kind == "pdf" else row.xlsx)

    def _version_row(self, report_id: str, number: int, *,
                     documents: bool) -> CommitteeReportVersionRow:
        statement = select(CommitteeReportVersionRow).where(
            CommitteeReportVersionRow.report_id == report_id,
            CommitteeReportVersionRow.number == number)
        if not documents:
            statement = statement.options(defer(CommitteeReportVersionRow.pdf),
                                          defer(CommitteeReportVersionRow.xlsx))
        row = self.session.scalars(statement).one_or_none()
        if row is None:
            raise NotFoundError("Version", f"{number} av rapporten {report_id}")
        return row
