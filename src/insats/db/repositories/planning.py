"""Planning runs and their proposals (planned shifts tied to a run)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from typing import Any, cast

from sqlalchemy import Table, delete, func, or_, select, update
from sqlalchemy.orm import Session

from insats.db.bulk import insert_rows
from insats.db.models.planning import PlanningRunRow
from insats.db.models.scheduling import PlannedShiftRow
from insats.db.repositories._base import TableRepository
from insats.db.repositories.scheduling import ShiftTable
from insats.db.shift_guards import refusing_overlaps
from insats.domain.common import Period
from insats.domain.planning import PlanStatus, ProgressPoint
from insats.domain.planning_runs import GroupFigures, PlanningRun, RunFigures, RunStatus
from insats.domain.scheduling import PlannedShift, ShiftStatus


class PlanningRunRepository(TableRepository[PlanningRun, PlanningRunRow]):
    """Runs (versioned rows) plus the proposal queries on ``planned_shifts``."""

    model = PlanningRunRow
    label = "Planeringen"

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self._shifts = ShiftTable(session)

    # --- mapping -----------------------------------------------------------------------
    def to_values(self, entity: PlanningRun) -> dict[str, Any]:
        return {
            "id": entity.id,
            "kind": entity.kind,
            "unit_ids": list(entity.unit_ids),
            "period_start": entity.period.start,
            "period_end": entity.period.end,
            "parameters": dict(entity.parameters),
            "seed": entity.seed,
            "time_limit": entity.time_limit,
            "status": entity.status,
            "failure_reason": entity.failure_reason,
            "plan_status": entity.plan_status,
            "objective": entity.objective,
            "bound": entity.bound,
            "penalties": dict(entity.penalties),
            "figures": None if entity.figures is None else _figures_document(entity.figures),
            "explanation": list(entity.explanation),
            "breaches": list(entity.breaches),
            "progress": [[p.seconds, p.objective, p.bound] for p in entity.progress],
            "basis": dict(entity.basis),
            "released": list(entity.released),
            "created_at": entity.created_at,
            "started_at": entity.started_at,
            "finished_at": entity.finished_at,
            "published_at": entity.published_at,
        }

    def to_entity(self, row: PlanningRunRow) -> PlanningRun:
        return PlanningRun(
            id=row.id,
            kind=row.kind,
            unit_ids=tuple(row.unit_ids),
            period=Period(row.period_start, row.period_end),
            parameters=dict(row.parameters),
            seed=row.seed,
            time_limit=row.time_limit,
            status=row.status,
            failure_reason=row.failure_reason,
            plan_status=None if row.plan_status is None else PlanStatus(row.plan_status),
            objective=row.objective,
            bound=row.bound,
            penalties=dict(row.penalties),
            figures=None if row.figures is None else _figures_of(row.figures),
            explanation=tuple(row.explanation),
            breaches=tuple(row.breaches),
            progress=tuple(
                ProgressPoint(float(s or 0), int(o or 0), None if b is None else int(b))
                for s, o, b in row.progress
            ),
            basis={k: int(v) for k, v in row.basis.items()},
            released=tuple(row.released),
            created_at=row.created_at,
            started_at=row.started_at,
            finished_at=row.finished_at,
            published_at=row.published_at,
        )

    # --- runs --------------------------------------------------------------------------
    def recent(self, limit: int = 50) -> list[PlanningRun]:
        return self._list(
            select(PlanningRunRow)
            .order_by(PlanningRunRow.created_at.desc(), PlanningRunRow.id)
            .limit(limit)
        )

    def with_status(self, status: RunStatus) -> list[PlanningRun]:
        return self._list(
            select(PlanningRunRow)
            .where(PlanningRunRow.status == status)
            .order_by(PlanningRunRow.created_at, PlanningRunRow.id)
        )

    def ids_starting_with(self, prefix: str) -> list[str]:
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return list(self.session.scalars(
            select(PlanningRunRow.id)
            .where(PlanningRunRow.id.like(f"{escaped}%", escape="\\"))
            .order_by(PlanningRunRow.id)
        ))

    # --- proposals ---------------------------------------------------------------------
    def add_proposal(self, run_id: str, shifts: Iterable[PlannedShift]) -> int:
        """Store proposed shifts tied to the run (one bulk insert); returns the count."""
        rows = []
        for shift in shifts:
            values = self._shifts.to_values(shift)
            values["planning_run_id"] = run_id
            values["version"] = 1
            rows.append(values)
        if rows:
            self.session.flush()
            insert_rows(self.session, cast(Table, PlannedShiftRow.__table__), rows)
        return len(rows)

    def proposal_of(self, run_id: str) -> list[PlannedShift]:
        return self._shifts._list(
            select(PlannedShiftRow)
            .where(PlannedShiftRow.planning_run_id == run_id)
            .order_by(PlannedShiftRow.start_at, PlannedShiftRow.id)
        )

    def count_of_run(self, run_id: str, status: ShiftStatus) -> int:
        return int(self.session.scalar(
            select(func.count()).select_from(PlannedShiftRow)
            .where(PlannedShiftRow.planning_run_id == run_id, PlannedShiftRow.status == status)
        ) or 0)

    def delete_other_proposals(self, group_ids: Collection[str], start: dt.datetime,
                               end: dt.datetime, *, keep_run: str) -> int:
        """Delete proposed shifts of ``group_ids`` starting in ``[start, end)`` that belong
        to other runs (or none); returns how many."""
        result = self.session.execute(
            delete(PlannedShiftRow)
            .where(
                PlannedShiftRow.status == ShiftStatus.PROPOSED,
                PlannedShiftRow.group_id.in_(list(group_ids)),
                PlannedShiftRow.start_at >= start,
                PlannedShiftRow.start_at < end,
                or_(PlannedShiftRow.planning_run_id.is_(None),
                    PlannedShiftRow.planning_run_id != keep_run),
            )
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def publish_proposal(self, run_id: str) -> int:
        """Turn the run's proposed shifts into published ones (versions go up by one).

        Raises:
            ShiftOverlapError: a proposed shift overlaps a published one of its employee.
        """
        with refusing_overlaps():
            result = self.session.execute(
                update(PlannedShiftRow)
                .where(PlannedShiftRow.planning_run_id == run_id,
                       PlannedShiftRow.status == ShiftStatus.PROPOSED)
                .values(status=ShiftStatus.PUBLISHED, version=PlannedShiftRow.version + 1)
                .execution_options(synchronize_session=False)
            )
        return int(getattr(result, "rowcount", 0) or 0)

    def cancel_shifts(self, versions: dict[str, int]) -> int:
        """Cancel published shifts, each only if it still has the given version; returns how
        many were cancelled (fewer means someone changed one meanwhile)."""
        cancelled = 0
        for shift_id, version in sorted(versions.items()):
            result = self.session.execute(
                update(PlannedShiftRow)
                .where(PlannedShiftRow.id == shift_id, PlannedShiftRow.version == version,
                       PlannedShiftRow.status == ShiftStatus.PUBLISHED)
                .values(status=ShiftStatus.CANCELLED, version=PlannedShiftRow.version + 1)
                .execution_options(synchronize_session=False)
            )
            cancelled += int(getattr(result, "rowcount", 0) or 0)
        return cancelled

    def shift_versions(self, shift_ids: Collection[str]) -> dict[str, tuple[ShiftStatus, int]]:
        """Status and version of each of ``shift_ids`` that still exists."""
        found: dict[str, tuple[ShiftStatus, int]] = {}
        ids = sorted(shift_ids)
        for start in range(0, len(ids), 500):
            statement = select(PlannedShiftRow.id, PlannedShiftRow.status,
                               PlannedShiftRow.version).where(
                PlannedShiftRow.id.in_(ids[start:start + 500]))
            for shift_id, status, version in self.session.execute(statement):
                found[shift_id] = (ShiftStatus(status), int(version))
        return found

    def published_versions(self, group_ids: Collection[str], employee_ids: Collection[str],
                           start: dt.datetime, end: dt.datetime
                           ) -> list[tuple[PlannedShift, int]]:
        """Published shifts starting in ``[start, end)`` in ``group_ids`` or worked by
        ``employee_ids``, with their versions (the basis a planning run takes as given)."""
        statement = (
            select(PlannedShiftRow)
            .where(
                PlannedShiftRow.status == ShiftStatus.PUBLISHED,
                PlannedShiftRow.start_at >= start,
                PlannedShiftRow.start_at < end,
                or_(PlannedShiftRow.group_id.in_(list(group_ids)),
                    PlannedShiftRow.employee_id.in_(list(employee_ids))),
            )
            .order_by(PlannedShiftRow.start_at, PlannedShiftRow.id)
        )
        return [(self._shifts.to_entity(row), row.version)
                for row in self.session.scalars(statement)]


def _figures_document(figures: RunFigures) -> dict[str, Any]:
    return {
        "granted_minutes": figures.granted_minutes,
        "covered_minutes": figures.covered_minutes,
        "beyond_granted_minutes": figures.beyond_granted_minutes,
        "uncovered_minutes": figures.uncovered_minutes,
        "extra_minutes": figures.extra_minutes,
        "overtime_minutes": figures.overtime_minutes,
        "hard_breaches": figures.hard_breaches,
        "groups": [
            {"group_id": g.group_id, "name": g.name, "client_id": g.client_id,
             "granted_minutes": g.granted_minutes, "covered_minutes": g.covered_minutes,
             "uncovered_minutes": g.uncovered_minutes,
             "distinct_employees": g.distinct_employees, "distinct_limit": g.distinct_limit}
            for g in figures.groups
        ],
    }


def _figures_of(document: dict[str, Any]) -> RunFigures:
    groups = tuple(GroupFigures(**group) for group in document.get("groups", []))
    totals = {k: int(v) for k, v in document.items() if k != "groups"}
    return RunFigures(**totals, groups=groups)
