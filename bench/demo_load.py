"""Benchmark: `insats demo load` time and database size per scale (median of several runs).

Usage:
    .venv/bin/python bench/demo_load.py [--scales 1 10] [--runs 3] [--postgres URL]

Each run migrates a fresh database (a new SQLite file, or a new PostgreSQL database on the
given server), loads the demo department and measures wall-clock time of the load (generation
plus storage) and the database size afterwards. Prints one row per backend and scale.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from insats.services import database, demo
from insats.services.runtime import uow_factory_for


def _sqlite_run(scale: int, seed: int) -> tuple[float, int, int]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        url = f"sqlite:///{path}"
        database.upgrade_database(url)
        started = time.perf_counter()
        report = demo.load_demo_department(uow_factory_for(url), seed=seed, scale=scale)
        seconds = time.perf_counter() - started
        engine = create_engine(url)
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        return seconds, path.stat().st_size, sum(report.counts.values())


def _postgres_run(server_url: str, scale: int, seed: int) -> tuple[float, int, int]:
    name = f"insats_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = server_url.rsplit("/", 1)[0] + f"/{name}"
    try:
        database.upgrade_database(url)
        started = time.perf_counter()
        report = demo.load_demo_department(uow_factory_for(url), seed=seed, scale=scale)
        seconds = time.perf_counter() - started
        with admin.connect() as connection:
            size = connection.execute(text(f"SELECT pg_database_size('{name}')")).scalar_one()
        return seconds, int(size), sum(report.counts.values())
    finally:
        from insats.services.runtime import dispose_all

        dispose_all()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


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
          f"{'size MiB':>9}")
    backends: list[tuple[str, str | None]] = [("sqlite", None)]
    if args.postgres:
        backends.append(("postgresql", args.postgres))
    for backend, server in backends:
        for scale in args.scales:
            results = [
                _sqlite_run(scale, args.seed) if server is None
                else _postgres_run(server, scale, args.seed)
                for _ in range(args.runs)
            ]
            seconds = [r[0] for r in results]
            size = statistics.median(r[1] for r in results) / 2**20
            runs = ", ".join(f"{s:.1f}" for s in seconds)
            print(f"{backend:<10} {scale:>5} {results[0][2]:>10} "
                  f"{statistics.median(seconds):>9.1f} {runs:<24} {size:>9.1f}")


if __name__ == "__main__":
    main()
