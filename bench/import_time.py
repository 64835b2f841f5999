"""Benchmark: import a large time-report CSV (validation included) into SQLite and PostgreSQL.

Usage:
    .venv/bin/python bench/import_time.py [--rows 1000000] [--runs 3] [--postgres URL]
        [--backends sqlite postgresql] [--csv PATH]

Each run migrates a fresh database (a new SQLite file, or a scratch PostgreSQL database on
the server named by ``--postgres`` / ``INSATS_BENCH_POSTGRES_URL``), loads the demo
department (seed 2026, scale 1: 250 employees, 73 groups, 90 000 stored time rows in
2025–2026), then times ``services.imports.import_file`` of the CSV: reading, every row
check, reference and overlap checks against the database, the bulk insert and the commit.

The CSV is written once, the way a Swedish time system exports: UTF-8 with a byte-order
mark, semicolons, one row per work stretch from January 2027 on, for the demo's own
employees in their own groups (clients by pseudonym, every tenth by personnummer), two
stretches a day (07–11:30 and 12–16 with a 15-minute break, evenings and nights on some
days), jour/beredskap and double staffing now and then, so every row is valid.

Prints, per backend, the median seconds and rows per second, and the peak resident memory
of the import itself (VmHWM reset just before it, Linux).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from insats.db.maintenance import scratch_postgres_database
from insats.db.migrate import upgrade
from insats.db.models.clients import ClientRow
from insats.db.models.scheduling import AssistanceGroupRow, GroupMembershipRow
from insats.services.demo import load_demo_department
from insats.services.imports import import_file
from insats.services.runtime import dispose_all, uow_factory_for

FIRST_DAY = dt.date(2027, 1, 4)
# (start, end, break) of a day's stretches, by pattern
PATTERNS = (
    (("07:00", "11:30", 0), ("12:00", "16:00", 15)),
    (("15:00", "19:00", 0), ("19:30", "22:30", 0)),
    (("22:00", "07:00", 0),),
)


def _world(url: str) -> tuple[list[tuple[str, str, str]], dict[str, str]]:
    """(employee, group, client pseudonym) pairs and pseudonym → personnummer."""
    factory = uow_factory_for(url)
    with factory() as uow:
        groups = dict(uow.session.execute(
            select(AssistanceGroupRow.id, AssistanceGroupRow.client_id)).tuples().all())
        clients = {row.id: (row.pseudonym, row.identity_number)
                   for row in uow.session.scalars(select(ClientRow))}
        members = uow.session.execute(
            select(GroupMembershipRow.employee_id, GroupMembershipRow.group_id)
            .order_by(GroupMembershipRow.employee_id, GroupMembershipRow.group_id)
        ).tuples().all()
    pairs: dict[str, tuple[str, str, str]] = {}
    for employee_id, group_id in members:
        client_id = groups.get(group_id)
        if client_id is not None and employee_id not in pairs:
            pairs[employee_id] = (employee_id, group_id, clients[client_id][0])
    identities = {pseudonym: number for pseudonym, number in clients.values()}
    return sorted(pairs.values()), identities


def write_csv(path: Path, rows: int, pairs: list[tuple[str, str, str]],
              identities: dict[str, str]) -> None:
    """``rows`` valid time rows, day by day for every employee."""
    kinds = ("ordinarie",) * 17 + ("jour", "beredskap", "mertid")
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        out.write("Id;Anställd;Grupp;Brukare;Start;Slut;Rast (min);Typ;Rapporterad;"
                  "Dubbelbemanning;Sjukhus;Kommentar\r\n")
        written = 0
        day = FIRST_DAY
        while written < rows:
            for index, (employee_id, group_id, pseudonym) in enumerate(pairs):
                pattern = PATTERNS[(index + day.toordinal()) % 3]
                for start, end, pause in pattern:
                    if written >= rows:
                        break
                    written += 1
                    end_day = day if end > start else day + dt.timedelta(days=1)
                    client = (identities[pseudonym] if written % 10 == 0 else pseudonym)
                    kind = kinds[written % len(kinds)]
                    out.write(
                        f"T{written:08d};{employee_id};{group_id};{client};"
                        f"{day.isoformat()} {start};{end_day.isoformat()} {end};{pause};"
                        f"{kind};{(end_day + dt.timedelta(days=1)).isoformat()};"
                        f"{'ja' if written % 23 == 0 else 'nej'};nej;"
                        f"{'Byte med kollega' if written % 97 == 0 else ''}\r\n"
                    )
            # the night pattern needs the next day free of an early start
            day += dt.timedelta(days=2)


def _reset_peak() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_mib() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _timed_import(url: str, csv_path: Path | None, rows: int, folder: Path
                  ) -> tuple[float, float, Path]:
    upgrade(url)
    factory = uow_factory_for(url)
    load_demo_department(factory, seed=2026, scale=1)
    if csv_path is None:
        csv_path = folder / f"tid-{rows}.csv"
        pairs, identities = _world(url)
        started = time.perf_counter()
        write_csv(csv_path, rows, pairs, identities)
        print(f"  wrote {csv_path} ({csv_path.stat().st_size / 2**20:.0f} MiB) in "
              f"{time.perf_counter() - started:.1f} s", flush=True)
    _reset_peak()
    started = time.perf_counter()
    report = import_file(factory, kind="time", path=csv_path, source="bench")
    seconds = time.perf_counter() - started
    peak = _peak_mib()
    assert report.created == rows, report
    return seconds, peak, csv_path


Runner = Callable[[Path | None, int, Path], tuple[float, float, Path]]


def _sqlite_run(csv_path: Path | None, rows: int, folder: Path) -> tuple[float, float, Path]:
    with tempfile.TemporaryDirectory() as db_folder:
        try:
            return _timed_import(f"sqlite:///{Path(db_folder) / 'bench.db'}", csv_path, rows,
                                 folder)
        finally:
            dispose_all()


def _postgres_run(server_url: str) -> Runner:
    def run(csv_path: Path | None, rows: int, folder: Path) -> tuple[float, float, Path]:
        with scratch_postgres_database(
            server_url, prefix="insats_bench", before_drop=lambda _: dispose_all()
        ) as url:
            return _timed_import(url, csv_path, rows, folder)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres", default=os.environ.get("INSATS_BENCH_POSTGRES_URL"))
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--csv", type=Path, default=None, help="reuse a generated CSV")
    args = parser.parse_args()

    print(f"machine: {platform.node()} · {os.cpu_count()} cores · "
          f"Python {platform.python_version()}", flush=True)
    runners: list[tuple[str, Runner]] = []
    if "sqlite" in args.backends:
        runners.append(("sqlite", _sqlite_run))
    if "postgresql" in args.backends and args.postgres:
        runners.append(("postgresql", _postgres_run(args.postgres)))
    results = []
    with tempfile.TemporaryDirectory() as folder:
        csv_path: Path | None = args.csv
        for backend, run in runners:
            seconds, peaks = [], []
            for _ in range(args.runs):
                took, peak, csv_path = run(csv_path, args.rows, Path(folder))
                seconds.append(took)
                peaks.append(peak)
                print(f"  {backend}: {took:.2f} s ({args.rows / took:,.0f} rows/s), "
                      f"peak {peak:,.0f} MiB", flush=True)
            results.append((backend, seconds, peaks))
    print(f"{'backend':<10} {'rows':>9} {'median s':>9} {'rows/s':>9} {'peak MiB':>9}  runs s")
    for backend, seconds, peaks in results:
        median = statistics.median(seconds)
        runs = ", ".join(f"{s:.2f}" for s in seconds)
        print(f"{backend:<10} {args.rows:>9} {median:>9.2f} {args.rows / median:>9.0f} "
              f"{max(peaks):>9.0f}  {runs}")


if __name__ == "__main__":
    main()
