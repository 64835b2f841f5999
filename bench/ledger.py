"""Benchmark: the full hour ledger (every client, ISO week, month and settlement period).

Usage:
    .venv/bin/python bench/ledger.py --scale 10 [--months 22] [--repeat 3] [--db PATH]
    .venv/bin/python bench/ledger.py --scale 100 --months 3

Loads the demo department at the given scale into a SQLite file (``--db`` keeps and
reuses one; the default is var/bench/ledger-s{scale}-m{months}.db), with the last
``--months`` months of history before 2026-11-01. Then, each in a fresh process so that
peak memory is the step's own:

- the floor: reading the same time entries the ledger reads (the ledger's own query, into
  light tuples), and nothing else;
- the ledger: ``full_ledger`` over the whole history (decisions, shifts, time, stays,
  the 48-hour limit across clients, every window).

Prints per run the seconds and peak RSS, then medians, the ratio ledger / floor, time
entries per second, and the number of windows computed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from insats.domain.common import Period, add_months
from insats.services import database, demo
from insats.services.runtime import uow_factory_for

END = dt.date(2026, 11, 1)


def _history(months: int) -> Period:
    return Period(add_months(END, -months), END)


def _prepare(path: Path, scale: int, months: int) -> None:
    url = f"sqlite:///{path}"
    path.parent.mkdir(parents=True, exist_ok=True)
    database.upgrade_database(url)
    started = time.perf_counter()
    report = demo.load_demo_department(uow_factory_for(url), scale=scale, if_empty=True,
                                       history=_history(months))
    if not report.skipped:
        print(f"# laddade demo skala {scale}, {months} månader på "
              f"{time.perf_counter() - started:.0f} s: {report.counts}", flush=True)


def _measure(step: str, path: Path, months: int) -> dict[str, float]:
    """One step in this process; returns seconds, peak RSS and counts."""
    from insats.db.repositories import ledger as queries
    from insats.services.ledger import _ledger_clients, full_ledger

    factory = uow_factory_for(f"sqlite:///{path}")
    history = _history(months)
    assert history.end is not None
    started = time.perf_counter()
    if step == "floor":
        with factory() as uow:
            ids = [c.id for c in _ledger_clients(uow, None)]
            rows = queries.works_of_clients(uow.session, ids, history.start, history.end)
        count, windows = len(rows), 0
    else:
        ledger = full_ledger(factory, start=history.start, end=history.end, as_of=END)
        count = 0
        windows = len(ledger.weeks) + len(ledger.months) + len(ledger.periods)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "peak_mib": _peak_mib(), "rows": count, "windows": windows}


def _peak_mib() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss it is not carried
    over from the parent across fork and exec)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--months", type=int, default=22)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--step", choices=("floor", "ledger"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    path = args.db or Path("var/bench") / f"ledger-s{args.scale}-m{args.months}.db"
    if args.step:
        print(json.dumps(_measure(args.step, path, args.months)))
        return
    _prepare(path, args.scale, args.months)
    print(f"# {platform.machine()}, {os.cpu_count()} kärnor, Python {platform.python_version()}")
    results: dict[str, list[dict[str, float]]] = {"floor": [], "ledger": []}
    for run in range(args.repeat):
        for step in ("floor", "ledger"):
            output = subprocess.run(
                [sys.executable, __file__, "--step", step, "--scale", str(args.scale),
                 "--months", str(args.months), "--db", str(path)],
                check=True, capture_output=True, text=True).stdout
            figures = json.loads(output.strip().splitlines()[-1])
            results[step].append(figures)
            print(f"körning {run + 1} {step:6s}: {figures['seconds']:.2f} s, "
                  f"topp {figures['peak_mib']:.0f} MiB", flush=True)
    floor = statistics.median(r["seconds"] for r in results["floor"])
    ledger = statistics.median(r["seconds"] for r in results["ledger"])
    rows = results["floor"][0]["rows"]
    peak = max(r["peak_mib"] for r in results["ledger"])
    print(f"skala {args.scale}, {args.months} mån: {rows:.0f} tidrader, "
          f"{results['ledger'][0]['windows']:.0f} fönster (veckor+månader+perioder per brukare)")
    print(f"golv (läsa tidraderna), median: {floor:.2f} s")
    print(f"timliggaren, median: {ledger:.2f} s; kvot mot golvet {ledger / floor:.2f}; "
          f"{rows / ledger:,.0f} tidrader/s; toppminne {peak:.0f} MiB".replace(",", " "))


if __name__ == "__main__":
    main()
