"""Benchmark: a four-week roster for every unit of the demo department, unit by unit.

Usage:
    .venv/bin/python bench/plan_demo.py [--time-limit 60] [--from 2026-12-07] [--weeks 4]
        [--units U01 U06] [--seed 0] [--workers 2] [--db PATH]

Loads the demo department (scale 1, seed 2026) into a scratch SQLite file (``--db`` keeps
and reuses one), then plans each unit through the same service as ``insats plan`` and
prints per unit: solve seconds, the solver's status, hard-rule breaches (the validator's
count; must be 0), hours covered against hours granted (client groups), hours beyond the
grant, staffed hours in all groups (korttids and the resursenhet's team have no client
grant), unstaffed hours of the schedule structure, distinct assistants per client
(mean / max), and mertid and overtime hours.

The demo's schedule structures run until further notice (or their decision's end), as a
unit's grundschema does, so the weeks after the generated history can be planned. Units
without any schedule structure (stödfamiljer, kontaktpersoner, the surplus team) are
listed as such.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import tempfile
import time
from pathlib import Path

from insats.domain.planning import PlanningInstance, PlanningResult
from insats.optimizer.engine import SolveOptions, solve
from insats.services import database, demo, planning
from insats.services.planning import ProgressCallback
from insats.services.runtime import dispose_all, uow_factory_for


def _load(url: str, seed: int) -> None:
    database.upgrade_database(url)
    demo.load_demo_department(uow_factory_for(url), seed=seed, scale=1, if_empty=True)


class _Timed:
    """The engine, remembering the last result and the instance's staff count."""

    def __init__(self) -> None:
        self.result: PlanningResult | None = None
        self.staff = 0

    def __call__(self, instance: PlanningInstance, options: SolveOptions,
                 progress: ProgressCallback | None) -> PlanningResult:
        self.staff = len(instance.employees)
        self.result = solve(instance, options, progress)
        return self.result


def _hours(minutes: int) -> str:
    return f"{minutes / 60:,.0f}".replace(",", " ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per unit")
    parser.add_argument("--from", dest="start", default="2026-12-07")
    parser.add_argument("--weeks", type=int, default=4)
    parser.add_argument("--units", nargs="*", default=None)
    parser.add_argument("--seed", type=int, default=0, help="solver seed")
    parser.add_argument("--demo-seed", type=int, default=2026)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--db", type=Path, default=None, help="keep the scratch database here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = args.db or Path(folder) / "plan-demo.db"
        url = f"sqlite:///{path}"
        started = time.perf_counter()
        _load(url, args.demo_seed)
        print(f"machine: {platform.node()} · {os.cpu_count()} cores · Python "
              f"{platform.python_version()} · demo loaded in {time.perf_counter() - started:.0f} s")
        print(f"period: {args.weeks} weeks from {args.start} · time limit {args.time_limit:g} s "
              f"per unit · seed {args.seed} · {args.workers} workers")
        _plan_all(url, args)
        dispose_all()


def _plan_all(url: str, args: argparse.Namespace) -> None:
    factory = uow_factory_for(url)
    with factory() as uow:
        units = [u for u in uow.organisation.units() if not args.units or u.id in args.units]
        templated = {u.id for u in units if any(
            uow.scheduling.templates_of_group(g.id) for g in uow.scheduling.groups_of_unit(u.id))}
    header = (f"{'unit':<44} {'staff':>5} {'solve s':>7} {'status':<9} {'breaches':>8} "
              f"{'granted h':>9} {'covered h':>9} {'beyond h':>8} {'staffed h':>9} {'open h':>7} "
              f"{'assist. mean/max':>16} {'mertid h':>8} {'overtime h':>10}")
    print(header)
    print("-" * len(header))
    for unit in units:
        name = f"{unit.id} {unit.name}"[:44]
        if unit.id not in templated:
            print(f"{name:<44} {'':>5} {'–':>7} no schedule structure")
            continue
        timed = _Timed()
        run = planning.start_run(factory, units=[unit.id], start=dt.date.fromisoformat(args.start),
                                 weeks=args.weeks, time_limit=args.time_limit, seed=args.seed,
                                 workers=args.workers, solver=timed)
        figures, result = run.figures, timed.result
        assert figures is not None and result is not None
        mean, most = figures.distinct_per_client()
        print(f"{name:<44} {timed.staff:>5} {result.seconds:>7.1f} {result.status.value:<9} "
              f"{figures.hard_breaches:>8} {_hours(figures.granted_minutes):>9} "
              f"{_hours(figures.covered_minutes):>9} {_hours(figures.beyond_granted_minutes):>8} "
              f"{_hours(figures.staffed_minutes):>9} "
              f"{_hours(figures.uncovered_minutes):>7} {f'{mean:.1f} / {most}':>16} "
              f"{_hours(figures.extra_minutes):>8} {_hours(figures.overtime_minutes):>10}",
              flush=True)


if __name__ == "__main__":
    main()
