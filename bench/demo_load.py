"""Benchmark: `insats demo load` time and database size per scale (median of several runs).

Usage:
    .venv/bin/python bench/demo_load.py [--scales 1 10] [--runs 3] [--postgres URL]

Each run migrates a fresh database (a new SQLite file, or a new scratch database on the
PostgreSQL server given by --postgres or INSATS_BENCH_POSTGRES_URL), loads the demo
department through the same service as the CLI and measures the wall-clock time of the
load (generation plus storage, one transaction) and the database size afterwards.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from insats.db.maintenance import database_size_bytes, scratch_postgres_database
from insats.services import database, demo
from insats.services.runtime import dispose_all, engine_for, uow_factory_for


def _measure(url: str, scale: int, seed: int) -> tuple[float, int, int]:
    database.upgrade_database(url)
    started = time.perf_counter()
    report = demo.load_demo_department(uow_factory_for(url), seed=seed, scale=scale)
    seconds = time.perf_counter() - started
    engine = engine_for(url)
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    size = database_size_bytes(engine)
    dispose_all()
    return seconds, size, sum(report.counts.values())


def _run(server_url: str | None, scale: int, seed: int) -> tuple[float, int, int]:
    if server_url is None:
        with tempfile.TemporaryDirectory() as folder:
            return _measure(f"sqlite:///{Path(folder) / 'bench.db'}", scale, seed)
    with scratch_postgres_database(
        server_url, prefix="insats_bench", before_drop=lambda _: dispose_all()
    ) as url:
        return _measure(url, scale, seed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--postgres", default=os.environ.get("INSATS_BENCH_POSTGRES_URL"))
    args = parser.parse_args()

    print(f"machine: {platform.node()} · {os.cpu_count()} cores · "
          f"Python {platform.python_version()}")
    print(f"{'backend':<10} {'scale':>5} {'rows':>10} {'median s':>9} {'runs s':<24} "
          f"{'size MiB':>9}", flush=True)
    backends: list[tuple[str, str | None]] = [("sqlite", None)]
    if args.postgres:
        backends.append(("postgresql", args.postgres))
    for backend, server in backends:
        for scale in args.scales:
            results = [_run(server, scale, args.seed) for _ in range(args.runs)]
            seconds = [r[0] for r in results]
            size = statistics.median(r[1] for r in results) / 2**20
            runs = ", ".join(f"{s:.1f}" for s in seconds)
            print(f"{backend:<10} {scale:>5} {results[0][2]:>10} "
                  f"{statistics.median(seconds):>9.1f} {runs:<24} {size:>9.1f}", flush=True)


if __name__ == "__main__":
    main()
