"""Benchmark: the pool simulation on the demo department (issue 5).

Usage:
    .venv/bin/python bench/pool_simulation.py [--runs 1000] [--repeat 5] [--db PATH]

Loads the demo department (scale 1, January 2025 – October 2026) into a SQLite file once
(``--db`` keeps and reuses one; default var/bench/pool-s1.db). Then, ``--repeat`` times:

- reading the history and estimating the model (``services.pool_simulation.pool_basis``);
- the simulation of ``--runs`` years × 21 pool sizes (0, 2, …, 40; today's 30 among them),
  with the pool-first policy, and again with both policies.

Prints each run's seconds, the medians, and the figures of the last run: the validation
against the recorded overtime and the cheapest size. Never asserts anything.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import time
from pathlib import Path

from insats.domain.access import Caller, Role, Viewer
from insats.domain.pool_simulation import CoverPolicy
from insats.services import database, demo
from insats.services.pool_simulation import PoolReport, pool_basis, run_simulation
from insats.services.runtime import uow_factory_for

TODAY = dt.date(2026, 11, 22)
SIZES = range(0, 41, 2)
CALLER = Caller(Viewer("bench", "bench", "Benchmark", Role.DEPARTMENT_HEAD), route="bench")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--db", type=Path, default=Path("var/bench/pool-s1.db"))
    args = parser.parse_args()

    args.db.parent.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{args.db}"
    database.upgrade_database(url)
    factory = uow_factory_for(url)
    started = time.perf_counter()
    loaded = demo.load_demo_department(factory, if_empty=True)
    if not loaded.skipped:
        print(f"# laddade demoavdelningen på {time.perf_counter() - started:.0f} s")
    print(f"# {platform.python_version()}, {os.cpu_count()} kärnor, {platform.machine()}, "
          f"belastning {' '.join(f'{v:.2f}' for v in os.getloadavg())}")

    basis_s: list[float] = []
    one_s: list[float] = []
    both_s: list[float] = []
    report: PoolReport | None = None
    for n in range(args.repeat):
        t0 = time.perf_counter()
        basis = pool_basis(factory, caller=CALLER, today=TODAY)
        t1 = time.perf_counter()
        run_simulation(basis, sizes=SIZES, runs=args.runs, seed=args.seed)
        t2 = time.perf_counter()
        report = run_simulation(basis, sizes=SIZES, runs=args.runs, seed=args.seed,
                                policies=list(CoverPolicy))
        t3 = time.perf_counter()
        basis_s.append(t1 - t0)
        one_s.append(t2 - t1)
        both_s.append(t3 - t2)
        print(f"körning {n + 1}: historik och modell {t1 - t0:.2f} s, simulering "
              f"{args.runs} år × {len(SIZES)} storlekar {t2 - t1:.2f} s, två policyer "
              f"{t3 - t2:.2f} s", flush=True)
    print(f"median: historik och modell {statistics.median(basis_s):.2f} s, simulering "
          f"{statistics.median(one_s):.2f} s, två policyer {statistics.median(both_s):.2f} s")
    assert report is not None
    check = report.validation
    sim = check.simulated
    print(f"validering: registrerad övertid {check.recorded_overtime / 60:.0f} h, simulerad "
          f"vid {check.size} vikarier {sim.mean / 60:.0f} h (90 %: {sim.low / 60:.0f}–"
          f"{sim.high / 60:.0f} h), inom bandet: {'ja' if check.within else 'nej'}")
    for outcome in report.simulation.policies:
        best = outcome.cheapest
        print(f"{outcome.policy.value}: lägst kostnad vid {best.size} vikarier, "
              f"{best.total_cost.mean / 100_000:.0f} tkr per år")


if __name__ == "__main__":
    main()
