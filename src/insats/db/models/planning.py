"""Table ``planning_runs``: stored planning runs (job rows) and their outcome.

The proposal itself is rows of ``planned_shifts`` with status ``forslag`` whose
``planning_run_id`` names the run. Structured results (penalties, figures, progress,
the published shifts the run took as given) are JSON documents: they are read and shown
whole, never queried by their parts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from insats.db.base import Base, UTCDateTime, str_enum
from insats.domain.planning import PlanStatus
from insats.domain.planning_runs import RunKind, RunStatus


class PlanningRunRow(Base):
    __tablename__ = "planning_runs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[RunKind] = mapped_column(str_enum(RunKind))
    unit_ids: Mapped[list[str]] = mapped_column(JSON)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON)
    seed: Mapped[int] = mapped_column(Integer)
    time_limit: Mapped[float] = mapped_column(Float)
    status: Mapped[RunStatus] = mapped_column(str_enum(RunStatus), index=True)
    failure_reason: Mapped[str | None] = mapped_column(Text)
    plan_status: Mapped[PlanStatus | None] = mapped_column(str_enum(PlanStatus))
    objective: Mapped[int | None] = mapped_column(BigInteger)
    bound: Mapped[int | None] = mapped_column(BigInteger)
    penalties: Mapped[dict[str, int]] = mapped_column(JSON)
    figures: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    explanation: Mapped[list[str]] = mapped_column(JSON)
    breaches: Mapped[list[str]] = mapped_column(JSON)
    progress: Mapped[list[list[float | int | None]]] = mapped_column(JSON)
    basis: Mapped[dict[str, int]] = mapped_column(JSON)
    released: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
