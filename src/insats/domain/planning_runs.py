"""A stored planning run: what was asked, how the solve went, and what it proposed.

A run is a job row (see the architecture's "long work is a stored job row"): it is created
``queued``, becomes ``running`` when the solve starts, records progress points while the
solver improves, and ends ``done`` (with objective, bound, penalties, figures and a Swedish
explanation) or ``failed`` (with a reason). Its proposal is the ``planned_shifts`` rows
with status ``forslag`` that carry the run's id; publishing turns them into published
shifts once and sets ``published_at``.

``basis`` records the published shifts (id → version) the planner took as given, and
``released`` those of them the proposal replaces (an absent employee's shifts, open
shifts); publishing refuses when any of them changed after the run read them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from insats.domain.calendar import require_aware
from insats.domain.common import DomainError, Period
from insats.domain.planning import PlanStatus, ProgressPoint

MAX_STORED_PROGRESS = 200


class RunStatus(StrEnum):
    QUEUED = "koad"
    RUNNING = "pagar"
    DONE = "klar"
    FAILED = "misslyckad"


RUN_STATUS_LABELS: dict[RunStatus, str] = {
    RunStatus.QUEUED: "I kö",
    RunStatus.RUNNING: "Pågår",
    RunStatus.DONE: "Klar",
    RunStatus.FAILED: "Misslyckad",
}

PLAN_STATUS_LABELS: dict[PlanStatus, str] = {
    PlanStatus.OPTIMAL: "Bästa möjliga schema (bevisat)",
    PlanStatus.FEASIBLE: "Schema som håller alla regler",
    PlanStatus.RELAXED: "Schema med avsteg från regler",
    PlanStatus.NO_SOLUTION: "Inget schema hittades",
}


class RunKind(StrEnum):
    PLAN = "plan"  # a new roster for a period
    REPLAN = "omplanering"  # re-planning after an absence


@dataclass(frozen=True, slots=True)
class GroupFigures:
    """What a proposal gives one group (a client's team or a unit's staff group).

    Minutes are paid minutes (a shift's length less unpaid breaks). ``granted_minutes`` is
    None for a group without a client decision (korttids, resursenhet).
    """

    group_id: str
    name: str
    client_id: str | None
    granted_minutes: int | None
    covered_minutes: int
    uncovered_minutes: int
    distinct_employees: int
    distinct_limit: int | None

    @property
    def beyond_granted_minutes(self) -> int:
        if self.granted_minutes is None:
            return 0
        return max(0, self.covered_minutes - self.granted_minutes)


@dataclass(frozen=True, slots=True)
class RunFigures:
    """The department's view of a roster: hours against grants, continuity, extra time.

    Totals over the groups with a client decision: ``granted_minutes``, ``covered_minutes``
    and ``beyond_granted_minutes``; ``uncovered_minutes`` is every wanted staff-minute of
    the schedule structure left unstaffed (all groups). ``extra_minutes`` is mertid (a
    part-timer's minutes beyond contract up to full time), ``overtime_minutes`` minutes
    beyond full time; both measured against the period's contract less absence.
    """

    granted_minutes: int = 0
    covered_minutes: int = 0
    beyond_granted_minutes: int = 0
    uncovered_minutes: int = 0
    extra_minutes: int = 0
    overtime_minutes: int = 0
    hard_breaches: int = 0
    groups: tuple[GroupFigures, ...] = ()

    @property
    def staffed_minutes(self) -> int:
        """Paid minutes staffed in every group, with or without a client."""
        return sum(g.covered_minutes for g in self.groups)

    def client_groups(self) -> list[GroupFigures]:
        return [g for g in self.groups if g.client_id is not None]

    def distinct_per_client(self) -> tuple[float, int]:
        """(mean, max) distinct employees per client group that has any shift staffed."""
        counts = [g.distinct_employees for g in self.client_groups() if g.distinct_employees]
        if not counts:
            return 0.0, 0
        return sum(counts) / len(counts), max(counts)


@dataclass(frozen=True, slots=True)
class PlanningRun:
    """A planning run and its outcome (see the module docstring for the life cycle).

    ``parameters`` are the plain options the run was started with (weeks, co-planning,
    workers, the absence re-planned, …) so that it can be repeated and shown.
    """

    id: str
    unit_ids: tuple[str, ...]
    period: Period
    seed: int
    time_limit: float
    created_at: dt.datetime
    kind: RunKind = RunKind.PLAN
    parameters: Mapping[str, str | int | float | bool] = field(default_factory=dict)
    status: RunStatus = RunStatus.QUEUED
    failure_reason: str | None = None
    plan_status: PlanStatus | None = None
    objective: int | None = None
    bound: int | None = None
    penalties: Mapping[str, int] = field(default_factory=dict)
    figures: RunFigures | None = None
    explanation: tuple[str, ...] = ()
    breaches: tuple[str, ...] = ()
    progress: tuple[ProgressPoint, ...] = ()
    basis: Mapping[str, int] = field(default_factory=dict)
    released: tuple[str, ...] = ()
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    published_at: dt.datetime | None = None

    def __post_init__(self) -> None:
        if not self.unit_ids:
            raise DomainError("planning_run.units", "En planering måste gälla minst en enhet.")
        if self.period.end is None or self.period.days < 1:
            raise DomainError("planning_run.period",
                              "En planering måste gälla en sluten period på minst en dag.")
        if self.time_limit <= 0:
            raise DomainError("planning_run.time_limit", "Tidsgränsen måste vara positiv.")
        for moment in (self.created_at, self.started_at, self.finished_at, self.published_at):
            if moment is not None:
                require_aware(moment, "körningens tidpunkt")

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def start(self, at: dt.datetime) -> PlanningRun:
        self._require(RunStatus.QUEUED, "starta")
        return dataclasses.replace(self, status=RunStatus.RUNNING, started_at=at)

    def restart(self) -> PlanningRun:
        """Back to queued, its progress dropped: the process solving it died, and a worker
        solves it again from the start (nothing of the proposal was stored)."""
        self._require(RunStatus.RUNNING, "starta om")
        return dataclasses.replace(self, status=RunStatus.QUEUED, started_at=None,
                                   progress=(), objective=None, bound=None, basis={},
                                   released=())

    def record_progress(self, point: ProgressPoint) -> PlanningRun:
        """Add a progress point; older points are thinned so at most 200 are kept."""
        self._require(RunStatus.RUNNING, "uppdatera")
        points = (*self.progress, point)
        if len(points) > MAX_STORED_PROGRESS:
            points = (*points[: MAX_STORED_PROGRESS // 2 : 2],
                      *points[MAX_STORED_PROGRESS // 2 :])
        return dataclasses.replace(self, progress=points, objective=point.objective,
                                   bound=point.bound)

    def finish(self, *, at: dt.datetime, plan_status: PlanStatus, objective: int | None,
               bound: int | None, penalties: Mapping[str, int], figures: RunFigures,
               explanation: tuple[str, ...], breaches: tuple[str, ...]) -> PlanningRun:
        self._require(RunStatus.RUNNING, "avsluta")
        return dataclasses.replace(
            self, status=RunStatus.DONE, finished_at=at, plan_status=plan_status,
            objective=objective, bound=bound, penalties=dict(penalties), figures=figures,
            explanation=explanation, breaches=breaches,
        )

    def fail(self, reason: str, at: dt.datetime) -> PlanningRun:
        """Mark a queued or running run as failed (for example after a crash)."""
        if self.status not in (RunStatus.QUEUED, RunStatus.RUNNING):
            raise DomainError(
                "planning_run.state",
                f"Planeringen {self.id} är {RUN_STATUS_LABELS[self.status].lower()} och kan "
                "inte markeras som misslyckad.",
            )
        if not reason.strip():
            raise DomainError("planning_run.reason", "Ange varför planeringen misslyckades.")
        return dataclasses.replace(self, status=RunStatus.FAILED, failure_reason=reason,
                                   finished_at=at)

    def publish(self, at: dt.datetime) -> PlanningRun:
        if self.status is not RunStatus.DONE:
            raise DomainError(
                "planning_run.not_done",
                f"Planeringen {self.id} kan inte publiceras: den är "
                f"{RUN_STATUS_LABELS[self.status].lower()}, inte klar.",
            )
        if self.published_at is not None:
            raise DomainError(
                "planning_run.published",
                f"Planeringen {self.id} publicerades redan {self.published_at:%Y-%m-%d %H:%M} "
                "(UTC).",
            )
        return dataclasses.replace(self, published_at=at)

    def _require(self, status: RunStatus, verb: str) -> None:
        if self.status is not status:
            raise DomainError(
                "planning_run.state",
                f"Planeringen {self.id} kan inte {verb}s: den är "
                f"{RUN_STATUS_LABELS[self.status].lower()}.",
            )
