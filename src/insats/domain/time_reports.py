"""Performed time (tidrapporter): reported, then attested; attested rows never change.

A correction of an attested entry is a new row that points to the one it corrects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum

from insats.domain.calendar import require_aware, worked_minutes
from insats.domain.common import DomainError, Minutes


class TimeKind(StrEnum):
    ORDINARY = "ordinarie"
    ON_CALL = "jour"
    STAND_BY = "beredskap"
    EXTRA = "mertid"  # part-timer's hours beyond contract, up to full time
    OVERTIME = "overtid"


class TimeEntryStatus(StrEnum):
    REPORTED = "rapporterad"
    ATTESTED = "attesterad"
    REJECTED = "avvisad"


@dataclass(frozen=True, slots=True)
class TimeEntry:
    """A stretch of performed work by one employee for one group (and client)."""

    id: str
    employee_id: str
    group_id: str
    start: dt.datetime
    end: dt.datetime
    kind: TimeKind = TimeKind.ORDINARY
    status: TimeEntryStatus = TimeEntryStatus.REPORTED
    client_id: str | None = None
    planned_shift_id: str | None = None
    break_minutes: int = 0
    is_double: bool = False
    at_hospital: bool = False
    reported_on: dt.date | None = None
    attested_at: dt.datetime | None = None
    attested_by: str | None = None
    corrects_entry_id: str | None = None
    ob_claimed: bool = True
    comment: str = ""

    def __post_init__(self) -> None:
        require_aware(self.start, "start")
        require_aware(self.end, "slut")
        length = worked_minutes(self.start, self.end)
        if not 0 <= self.break_minutes < length.value:
            raise DomainError("time.break", "Rasten måste vara kortare än arbetspasset.")
        if self.status is TimeEntryStatus.ATTESTED and (
            self.attested_at is None or self.attested_by is None
        ):
            raise DomainError("time.attest", "En attesterad rad måste ha attestant och tidpunkt.")

    @property
    def worked(self) -> Minutes:
        return Minutes(worked_minutes(self.start, self.end).value - self.break_minutes)

    @property
    def is_attested(self) -> bool:
        return self.status is TimeEntryStatus.ATTESTED

    def attest(self, *, by: str, at: dt.datetime) -> TimeEntry:
        if self.status is not TimeEntryStatus.REPORTED:
            raise DomainError(
                "time.attest_state", "Bara rapporterad tid kan attesteras."
            )
        return replace(self, status=TimeEntryStatus.ATTESTED, attested_by=by,
                       attested_at=require_aware(at))

    def ensure_editable(self) -> None:
        if self.is_attested:
            raise DomainError(
                "time.attested_immutable",
                "Attesterad tid kan inte ändras; registrera en rättelse i stället.",
            )

    def correction(self, *, new_id: str, start: dt.datetime, end: dt.datetime,
                   break_minutes: int, reported_on: dt.date) -> TimeEntry:
        """A new reported row replacing this attested one; this row stays as it is."""
        return replace(
            self, id=new_id, start=start, end=end, break_minutes=break_minutes,
            status=TimeEntryStatus.REPORTED, attested_at=None, attested_by=None,
            corrects_entry_id=self.id, reported_on=reported_on,
        )
