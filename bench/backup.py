"""Benchmark: `insats backup` and `insats restore` round trip of the demo department.

Usage:
    .venv/bin/python bench/backup.py [--scale 10] [--runs 3] [--source-url URL]
                                     [--postgres SERVER_URL]

The source is the demo department at ``--scale`` loaded into a new SQLite database, or an
existing database given by --source-url (e.g. one made with `insats db upgrade` and
`insats demo load --scale 10`; it is only read). Each run backs the source up to a new
file (timed), restores it into a new, migrated, empty database (SQLite, or a scratch
database on the PostgreSQL server given by --postgres) and verifies it (timed together:
the restore recomputes every table's count and checksum), and prints the differing rows,
which must be 0. Medians of the runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from insats.db.maintenance import scratch_postgres_database
from insats.services import backup, database, demo
from insats.services.runtime import dispose_all, uow_factory_for


def _target(server_url: str | None, folder: Path, run: int) -> AbstractContextManager[str]:
    if server_url is None:
        return nullcontext(f"sqlite:///{folder / f'target-{run}.db'}")
    return scratch_postgres_database(server_url, prefix="insats_bench_restore",
                                     before_drop=lambda _: dispose_all())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--source-url", default=None)
    parser.add_argument("--postgres", default=os.environ.get("INSATS_BENCH_POSTGRES_URL"),
                        help="restore into scratch databases on this PostgreSQL server")
    args = parser.parse_args()

    print(f"machine: {platform.node()} · {os.cpu_count()} cores · "
          f"Python {platform.python_version()}", flush=True)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        source = args.source_url
        if source is None:
            source = f"sqlite:///{folder / 'source.db'}"
            database.upgrade_database(source)
            started = time.perf_counter()
            demo.load_demo_department(uow_factory_for(source), seed=args.seed,
                                      scale=args.scale)
            print(f"demo scale {args.scale} loaded in {time.perf_counter() - started:.1f} s",
                  flush=True)
        backup_s: list[float] = []
        restore_s: list[float] = []
        target_kind = "postgresql" if args.postgres else "sqlite"
        print(f"{'run':>3} {'rows':>10} {'file MiB':>9} {'backup s':>9} "
              f"{'restore+verify s':>17} {'differing rows':>15}  target={target_kind}",
              flush=True)
        for run in range(1, args.runs + 1):
            file = folder / f"backup-{run}.zip"
            started = time.perf_counter()
            made = backup.backup_database(source, file)
            backup_s.append(time.perf_counter() - started)
            with _target(args.postgres, folder, run) as target:
                # the source's revision, even if a newer migration landed meanwhile
                database.upgrade_database(target, revision=made.schema_revision)
                started = time.perf_counter()
                restored = backup.restore_database(target, file)
                restore_s.append(time.perf_counter() - started)
                dispose_all()
            print(f"{run:>3} {made.rows:>10} {file.stat().st_size / 2**20:>9.1f} "
                  f"{backup_s[-1]:>9.1f} {restore_s[-1]:>17.1f} "
                  f"{restored.differing_rows:>15}", flush=True)
            file.unlink()
            for leftover in folder.glob(f"target-{run}.db*"):
                leftover.unlink()
        print(f"median backup {statistics.median(backup_s):.1f} s · "
              f"median restore+verify {statistics.median(restore_s):.1f} s", flush=True)


if __name__ == "__main__":
    main()
