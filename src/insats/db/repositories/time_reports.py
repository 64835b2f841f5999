"""Performed time (tidrapporter); an attested row is never updated or deleted."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from insats.db.models.time_reports import TimeEntryRow
from insats.db.repositories._base import TableRepository
from insats.domain.calendar import local_date
from insats.domain.common import DomainError
from insats.domain.time_reports import TimeEntry, TimeEntryStatus


class TimeEntryRepository(TableRepository[TimeEntry, TimeEntryRow]):
    model = TimeEntryRow
    label = "Tidraden"
    audit_kind = "time_entry"

    def to_values(self, entity: TimeEntry) -> dict[str, Any]:
        return {
            "id": entity.id,
            "employee_id": entity.employee_id,
            "group_id": entity.group_id,
            "start_at": entity.start,
            "end_at": entity.end,
            "worked_on": local_date(entity.start),
            "worked_minutes": entity.worked.value,
            "kind": entity.kind,
            "status": entity.status,
            "client_id": entity.client_id,
            "planned_shift_id": entity.planned_shift_id,
            "break_minutes": entity.break_minutes,
            "is_double": entity.is_double,
            "at_hospital": entity.at_hospital,
            "reported_on": entity.reported_on,
            "attested_at": entity.attested_at,
            "attested_by": entity.attested_by,
            "corrects_entry_id": entity.corrects_entry_id,
            "ob_claimed": entity.ob_claimed,
            "comment": entity.comment,
        }

    def to_entity(self, row: TimeEntryRow) -> TimeEntry:
        return TimeEntry(
            id=row.id,
            employee_id=row.employee_id,
            group_id=row.group_id,
            start=row.start_at,
            end=row.end_at,
            kind=row.kind,
            status=row.status,
            client_id=row.client_id,
            planned_shift_id=row.planned_shift_id,
            break_minutes=row.break_minutes,
            is_double=row.is_double,
            at_hospital=row.at_hospital,
            reported_on=row.reported_on,
            attested_at=row.attested_at,
            attested_by=row.attested_by,
            corrects_entry_id=row.corrects_entry_id,
            ob_claimed=row.ob_claimed,
            comment=row.comment,
        )

    def add_correction(self, correction: TimeEntry) -> None:
        """Store a correction; refused when its entry already has one (the unique index
        on ``corrects_entry_id`` decides, so two attesters at once cannot both correct)."""
        try:
            self.add(correction)
        except IntegrityError as error:
            if "corrects_entry_id" not in str(error.orig):
                raise
            raise DomainError(
                "time.correct_twice",
                f"Tidrad {correction.corrects_entry_id} är redan rättad; rätta den nya raden.",
            ) from error

    def check_editable(self, row: TimeEntryRow) -> None:
        if row.status is TimeEntryStatus.ATTESTED:
            raise DomainError(
                "time.attested_immutable",
                "Attesterad tid kan inte ändras; registrera en rättelse i stället.",
            )

    def of_employee(
        self, employee_id: str, start: dt.datetime, end: dt.datetime
    ) -> list[TimeEntry]:
        """Entries of the employee that start in ``[start, end)``."""
        return self._list(
            select(TimeEntryRow)
            .where(
                TimeEntryRow.employee_id == employee_id,
                TimeEntryRow.start_at >= start,
                TimeEntryRow.start_at < end,
            )
            .order_by(TimeEntryRow.start_at, TimeEntryRow.id)
        )

    def of_group(self, group_id: str, start: dt.datetime, end: dt.datetime) -> list[TimeEntry]:
        return self._list(
            select(TimeEntryRow)
            .where(
                TimeEntryRow.group_id == group_id,
                TimeEntryRow.start_at >= start,
                TimeEntryRow.start_at < end,
            )
            .order_by(TimeEntryRow.start_at, TimeEntryRow.id)
        )

    def of_client(self, client_id: str, start: dt.datetime, end: dt.datetime) -> list[TimeEntry]:
        return self._list(
            select(TimeEntryRow)
            .where(
                TimeEntryRow.client_id == client_id,
                TimeEntryRow.start_at >= start,
                TimeEntryRow.start_at < end,
            )
            .order_by(TimeEntryRow.start_at, TimeEntryRow.id)
        )

    def awaiting_attestation(self, group_id: str) -> list[TimeEntry]:
        return self._list(
            select(TimeEntryRow)
            .where(
                TimeEntryRow.group_id == group_id,
                TimeEntryRow.status == TimeEntryStatus.REPORTED,
            )
            .order_by(TimeEntryRow.start_at, TimeEntryRow.id)
        )
