"""Benchmark: the roster engine on the 24 shift scheduling instances of Curtois and Qu.

Usage:
    .venv/bin/python bench/roster.py [--time-limit 60] [--instances 1-24] [--out DIR]
                                     [--seed N] [--repeat K] [--workers 2]

Each instance is read into a ``PlanningInstance`` by the benchmark adapter, solved by the
same engine the department's planning uses, in a fresh process (so that the peak memory
printed is that instance's own), its roster written to DIR/InstanceN.csv (header
``employee,day,shift``, day 0-based, one row per worked day) and checked twice: by our
validator (``insats.domain.validate``) and by the benchmark's independent scorer
(``insats.optimizer.benchmarks.scoring``). The table shows the scorer's objective.

A single wall-clock run of a large instance can land 15-25 % from the next one, so
``--repeat K`` solves each instance K times, with seeds N, N+1, ..., N+K-1, prints every run
and then the instance's median, and the mean gap is taken over the medians. The roster kept
in DIR is the last run's.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import os
import platform
import resource
import statistics
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from insats.domain.validate import check_roster
from insats.optimizer.benchmarks.adapter import benchmark_rows, to_planning_instance
from insats.optimizer.benchmarks.scoring import score_roster
from insats.optimizer.benchmarks.shift_scheduling import read_instance
from insats.optimizer.engine import SolveOptions, solve
from insats.optimizer.pricers import workers_peak_mib

INSTANCES = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "shift-scheduling"

BEST_KNOWN = {
    1: 607, 2: 828, 3: 1001, 4: 1716, 5: 1143, 6: 1950, 7: 1056, 8: 1300, 9: 439, 10: 4631,
    11: 3443, 12: 4040, 13: 1348, 14: 1278, 15: 3834, 16: 3225, 17: 5746, 18: 4459, 19: 3149,
    20: 4943, 21: 21159, 22: 33155, 23: 17428, 24: 48777,
}
PROVEN_OPTIMAL = {1, 2, 3, 4, 8, 9, 13, 14, 16, 17, 18}


@dataclass(frozen=True)
class Row:
    number: int
    staff: int
    days: int
    objective: int | None
    feasible: bool
    validator_agrees: bool
    status: str
    seconds: float
    peak_mib: float

    @property
    def gap(self) -> float | None:
        return None if self.objective is None else gap_percent(self.number, self.objective)


def gap_percent(number: int, objective: float) -> float:
    best = BEST_KNOWN[number]
    return 100.0 * (objective - best) / best


def parse_numbers(text: str) -> list[int]:
    numbers: list[int] = []
    for part in text.split(","):
        first, _, last = part.partition("-")
        numbers += range(int(first), int(last or first) + 1)
    return numbers


def run_one(number: int, time_limit: float, seed: int, workers: int, out: str) -> Row:
    source = read_instance(INSTANCES / f"Instance{number}.txt")
    instance = to_planning_instance(source)
    result = solve(instance, SolveOptions(time_limit=time_limit, seed=seed, workers=workers))
    rows = benchmark_rows(result.assignments)
    with open(Path(out) / f"Instance{number}.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["employee", "day", "shift"])
        writer.writerows(rows)
    score = score_roster(source, rows)
    check = check_roster(instance, result.assignments)
    agrees = check.feasible == score.feasible and check.objective == score.objective
    # the solving process and, where rounds were priced in worker processes, theirs
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 + workers_peak_mib()
    return Row(number, len(source.staff), source.horizon, score.objective, score.feasible,
               agrees, result.status.value, result.seconds, peak)


def print_row(row: Row, seed: str) -> None:
    gap = "–" if row.gap is None else f"{row.gap:.2f}"
    feasible = ("ja" if row.feasible else "NEJ") + ("" if row.validator_agrees else "!")
    print(f"Instance{row.number:<3}{seed:>5}{row.staff:>6}{row.days:>6}"
          f"{row.objective if row.objective is not None else '–':>11}"
          f"{BEST_KNOWN[row.number]:>8}{gap:>8}{feasible:>10}{row.status:>10}"
          f"{row.seconds:>9.1f}{row.peak_mib:>10.0f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--instances", default="1-24")
    parser.add_argument("--out", default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per instance, with seeds seed, seed+1, ...")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    out = args.out or tempfile.mkdtemp(prefix="insats_rosters_")
    Path(out).mkdir(parents=True, exist_ok=True)
    print(f"machine: {platform.node()} · {os.cpu_count()} cores · Python "
          f"{platform.python_version()} · time limit {args.time_limit:g} s · seed {args.seed}"
          f" · workers {args.workers} · runs per instance {args.repeat} · rosters in {out}")
    print(f"{'instance':<11}{'seed':>5}{'staff':>6}{'days':>6}{'objective':>11}{'best':>8}"
          f"{'gap %':>8}{'feasible':>10}{'status':>10}{'seconds':>9}{'peak MiB':>10}")
    context = multiprocessing.get_context("spawn")
    rows: list[Row] = []
    medians: dict[int, float | None] = {}
    for number in parse_numbers(args.instances):
        runs: list[Row] = []
        for seed in range(args.seed, args.seed + args.repeat):
            # not a multiprocessing pool: its daemonic worker could not start the engine's
            # pricing processes
            with ProcessPoolExecutor(1, mp_context=context) as pool:
                row = pool.submit(run_one, number, args.time_limit, seed, args.workers,
                                  out).result()
            runs.append(row)
            print_row(row, str(seed))
        rows += runs
        objectives = [r.objective for r in runs]
        medians[number] = (None if None in objectives
                           else statistics.median([o for o in objectives if o is not None]))
        if args.repeat > 1:
            median = medians[number]
            gap = "–" if median is None else f"{gap_percent(number, median):.2f}"
            print(f"Instance{number:<3}{'median':>11}{'':>6}"
                  f"{'–' if median is None else f'{median:g}':>11}{BEST_KNOWN[number]:>8}"
                  f"{gap:>8}", flush=True)
    gaps = [gap_percent(number, median) for number, median in medians.items()
            if median is not None and number <= 19]
    if gaps:
        kind = "run" if args.repeat == 1 else f"median of {args.repeat} runs"
        print(f"mean gap over instances 1–19 ({kind}): {statistics.mean(gaps):.2f} %")
    hits = sorted({r.number for r in rows if r.number in PROVEN_OPTIMAL and r.gap == 0})
    print(f"proven-optimal instances at their optimum in some run: {hits}")
    print(f"feasible: {sum(r.feasible for r in rows)}/{len(rows)}; validator and scorer agree: "
          f"{sum(r.validator_agrees for r in rows)}/{len(rows)}")


if __name__ == "__main__":
    main()
