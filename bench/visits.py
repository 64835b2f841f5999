"""Benchmark: the visits review's planner on the demo's spread-out clients.

Usage:
    .venv/bin/python bench/visits.py [--seeds 2026 7 11] [--runs 3] [--guided]

For each demo seed, the clients of the resource unit (the spread-out assistance clients
with short visits, boendestöd, ledsagarservice, avlösarservice) are planned over the
review's representative week (the last whole week of October 2026) with the default
settings (greedy descent to a local optimum), ``--runs`` times. Prints per seed: visits,
today's staff time (a group per client), the planned staff time, hours saved, the number
of validator problems (must be 0), and the median and spread of the week's solve time.
No database: the visit book is built from the generated department directly, with the
same function the review uses.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import time

from insats.demo import generate_department
from insats.demo import organisation as org
from insats.domain.common import Period
from insats.domain.visits import DistanceTravel, WorkRules
from insats.optimizer.visits import SolveSettings
from insats.services.review_visits import (
    build_visit_book,
    forget_plans,
    plan_week,
    representative_week,
)

PERIOD = Period(dt.date(2026, 10, 1), dt.date(2026, 11, 1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+", default=[2026, 7, 11])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--guided", action="store_true",
                        help="guided local search, 20 improving solutions")
    args = parser.parse_args()
    settings = SolveSettings(guided=True, solution_limit=20) if args.guided else SolveSettings()
    print(f"python {platform.python_version()}, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}; settings {settings}")
    week = representative_week(PERIOD)
    travel, rules = DistanceTravel(), WorkRules()
    for seed in args.seeds:
        dept = generate_department(seed=seed, start=dt.date(2026, 9, 1),
                                   end=dt.date(2026, 11, 1))
        unit = org.unit_id(0, org.RESOURCE_UNIT_INDEX)
        groups = {g.id: g.client_id for g in dept.groups
                  if g.unit_id == unit and g.client_id is not None}
        templates: dict[str, list[object]] = {}
        for template in dept.templates:
            if template.group_id in groups:
                templates.setdefault(groups[template.group_id], []).append(template)
        in_unit = {c.id for c in dept.clients if c.unit_id == unit}
        book = build_visit_book(templates,  # type: ignore[arg-type]
                                [d for d in dept.decisions if d.client_id in in_unit],
                                dept.clients, week)
        seconds: list[float] = []
        for _ in range(args.runs):
            forget_plans()
            began = time.perf_counter()
            days = plan_week(book, week, travel, rules, settings)
            seconds.append(time.perf_counter() - began)
        visits = sum(len(d.visits) for d in days)
        today = sum(d.today_figures.work for d in days)
        planned = sum(d.planned_figures.work for d in days)
        problems = sum(len(d.problems) for d in days)
        print(f"seed {seed}: week {week.start}, {len(book.locations)} clients, {visits} visits; "
              f"today {today / 60:.1f} h in {sum(d.today_figures.routes for d in days)} passes, "
              f"planned {planned / 60:.1f} h in {sum(d.planned_figures.routes for d in days)} "
              f"routes; saved {(today - planned) / 60:.1f} h "
              f"({(today - planned) * 100 / today:.1f} %); validator problems {problems}; "
              f"solve {statistics.median(seconds):.1f} s median of {args.runs} "
              f"({min(seconds):.1f}–{max(seconds):.1f})")


if __name__ == "__main__":
    main()
