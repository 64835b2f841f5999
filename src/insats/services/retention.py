"""Use cases for retention (gallring): the limits in force, a run, and the log of runs.

A run removes or anonymises every record past its limit (domain.retention) in ONE
transaction and logs it in the append-only ``retention_runs`` table (who, when, as of
which day, and per record type the limit with its source, the cutoff and the counts). A
dry run does the same work and rolls it back: it reports exactly what a run would do and
writes nothing, not even the log. Retention is the only way records leave the database:
no page or command deletes a record on a user's request.

The access log is append-only (a trigger refuses DELETE); the run lifts that guard for
its own DELETE and puts it back within the transaction (db.append_only.guard_lifted).
Dropping a trigger needs the table's owner, so on PostgreSQL run ``insats retention run``
with the owner role's database URL, not the web application's role.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from insats.db.repositories.retention import Counts, RetentionRepository
from insats.domain.access import Caller, Capability
from insats.domain.retention import RecordType, RetentionLimit, retention_limits
from insats.services.uow import UnitOfWork

_STEPS: dict[RecordType, Callable[[RetentionRepository, dt.date], Counts]] = {
    RecordType.TIME_REPORTS: RetentionRepository.time_reports_past,
    RecordType.ABSENCES: RetentionRepository.absences_past,
    RecordType.SCHEDULES: RetentionRepository.schedules_past,
    RecordType.PLANNING_RUNS: RetentionRepository.planning_runs_past,
    RecordType.CLIENTS: RetentionRepository.clients_past,
    RecordType.ACCESS_LOG: RetentionRepository.access_log_past,
    RecordType.SIGN_IN_LOG: RetentionRepository.sign_in_log_past,
}


@dataclass(frozen=True, slots=True)
class RetentionItem:
    limit: RetentionLimit
    counts: Counts

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def as_log(self) -> dict[str, Any]:
        parameter = self.limit.parameter
        return {"record_type": self.limit.record_type.value,
                "action": self.limit.spec.action.value,
                "limit": parameter.value, "unit": parameter.unit.value,
                "valid_from": parameter.valid_from.isoformat(),
                "source": parameter.source, "certainty": parameter.certainty.value,
                "cutoff": self.limit.cutoff.isoformat(), "counts": self.counts}


@dataclass(frozen=True, slots=True)
class RetentionRunReport:
    as_of: dt.date
    ran_at: dt.datetime
    ran_by: str
    dry_run: bool
    items: list[RetentionItem]
    run_id: int | None  # None for a dry run (nothing logged)

    @property
    def total(self) -> int:
        return sum(item.total for item in self.items)


@dataclass(frozen=True, slots=True)
class LoggedRun:
    id: int
    ran_at: dt.datetime
    ran_by: str
    as_of: dt.date
    items: list[dict[str, Any]]


def limits_on(uow_factory: Callable[[], UnitOfWork], caller: Caller,
              on: dt.date) -> list[RetentionLimit]:
    """Every record type's limit in force on ``on`` and the cutoff it gives."""
    caller.viewer.require(Capability.RUN_RETENTION)
    with uow_factory() as uow:
        return retention_limits(uow.rules.rule_book(), on)


def run_retention(uow_factory: Callable[[], UnitOfWork], caller: Caller, *,
                  as_of: dt.date, dry_run: bool = False,
                  now: dt.datetime | None = None) -> RetentionRunReport:
    """Remove or anonymise what is past its limit on ``as_of``, in one transaction, and
    log the run; with ``dry_run`` roll it all back and log nothing."""
    caller.viewer.require(Capability.RUN_RETENTION)
    ran_at = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    ran_by = f"{caller.viewer.username} ({caller.route or caller.remote_addr})"
    with uow_factory() as uow:
        limits = retention_limits(uow.rules.rule_book(), as_of)
        items = [RetentionItem(limit, _STEPS[limit.record_type](uow.retention, limit.cutoff))
                 for limit in limits]
        if dry_run:
            uow.rollback()
            return RetentionRunReport(as_of, ran_at, ran_by, True, items, None)
        run_id = uow.retention.add_run(ran_at=ran_at, ran_by=ran_by, as_of=as_of,
                                       items=[item.as_log() for item in items])
        uow.commit()
    return RetentionRunReport(as_of, ran_at, ran_by, False, items, run_id)


def run_log(uow_factory: Callable[[], UnitOfWork], caller: Caller, *,
            limit: int = 100) -> list[LoggedRun]:
    """The latest logged runs, newest first."""
    caller.viewer.require(Capability.RUN_RETENTION)
    with uow_factory() as uow:
        return [LoggedRun(row.id, row.ran_at, row.ran_by, row.as_of, list(row.items))
                for row in uow.retention.runs(limit=limit)]
