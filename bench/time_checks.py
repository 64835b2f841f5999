"""Benchmark: the time-report checks over every time entry of a demo database (issue 5).

Usage (on a copy: the checks only read, but the copy keeps the original untouched):
    cp /tmp/s10-pay.db /tmp/s10-checks.db
    .venv/bin/python bench/time_checks.py --db /tmp/s10-checks.db [--repeat 5]

Each step runs in a fresh process, month by month over every month with time entries,
every unit, attested entries included:

- floor: reading the month's entries of every group as entities, in the batches of whole
  units that the approval queue reads (``services.time_approval.month_batches``, about
  ``BATCH_GROUPS`` groups each);
- check: reading them, then what ``services.time_approval.check_time_reports`` does for
  each batch (``flags_of``: the employees' context entries in the calendar weeks around
  the month (``domain.time_checks.context_span``) in every other group, employees,
  decisions, cover shifts and absences, and ``domain.time_checks.check_time_entries``),
  without the access-log lines and the versions.

Prints per run the seconds, then medians, entries per second, and the ratio of check to
the floor; each step reports its progress month by month on stderr (rows and seconds so
far), which tells where a long run (scale 100: 9 M entries) stands. One batch is held at
a time. Prints figures only; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

STEPS = ("floor", "check")


def _months(path: Path) -> list[dt.date]:
    from sqlalchemy import func, select

    from insats.db.models.time_reports import TimeEntryRow
    from insats.services.runtime import uow_factory_for

    with uow_factory_for(f"sqlite:///{path}")() as uow:
        first, last = uow.session.execute(select(func.min(TimeEntryRow.worked_on),
                                                 func.max(TimeEntryRow.worked_on))).one()
    months: list[dt.date] = []
    month = first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def _measure(step: str, path: Path, limit: int | None) -> dict[str, float]:
    from insats.domain.common import Period
    from insats.domain.time_checks import counting
    from insats.services.runtime import uow_factory_for
    from insats.services.time_approval import flags_of, month_batches

    months = _months(path)[:limit]
    factory = uow_factory_for(f"sqlite:///{path}")
    started = time.perf_counter()
    rows = flagged = flags = 0
    for month in months:
        period = Period.month(month.year, month.month)
        with factory() as uow:
            units = [u.id for u in uow.organisation.units()]
            book = uow.rules.rule_book()
            for batch in month_batches(uow, units, period):
                rows += len(batch.entries)
                if step == "check":
                    found = flags_of(uow, counting(batch.entries), period,
                                     known=batch.entries, read_groups=batch.groups,
                                     book=book)
                    flagged += sum(1 for f in found.values() if f)
                    flags += sum(len(f) for f in found.values())
        print(f"  {step} {month:%Y-%m}: {rows} tidrader, "
              f"{time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": rows, "flagged": flagged, "flags": flags,
            "months": len(months)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/s10-checks.db"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--months", type=int, default=None,
                        help="Bara de första N månaderna (för ett snabbt prov).")
    parser.add_argument("--step", choices=STEPS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(_measure(args.step, args.db, args.months)))
        return
    if not args.db.exists():
        sys.exit(f"{args.db} saknas; kopiera demodatabasen först (se --help).")
    print(f"# {platform.machine()}, {os.cpu_count()} kärnor, Python "
          f"{platform.python_version()}, {args.db}")
    results: dict[str, list[dict[str, float]]] = {step: [] for step in STEPS}
    extra = [] if args.months is None else ["--months", str(args.months)]
    for run in range(args.repeat):
        for step in STEPS:
            output = subprocess.run([sys.executable, __file__, "--step", step,
                                     "--db", str(args.db), *extra],
                                    check=True, stdout=subprocess.PIPE, text=True).stdout
            figures = json.loads(output.strip().splitlines()[-1])
            results[step].append(figures)
            print(f"körning {run + 1} {step:6s}: {figures['seconds']:.2f} s", flush=True)
    median = {step: statistics.median(r["seconds"] for r in results[step]) for step in STEPS}
    rows = results["floor"][0]["rows"]
    check = results["check"][0]
    print(f"{rows:.0f} tidrader i {check['months']:.0f} månader; {check['flagged']:.0f} "
          f"med flaggor, {check['flags']:.0f} flaggor")
    for step in STEPS:
        ratio = median[step] / median["floor"]
        print(f"{step:6s} median {median[step]:.2f} s, {rows / median[step]:,.0f} tidrader/s, "
              f"kvot mot golvet {ratio:.2f}".replace(",", " "))


if __name__ == "__main__":
    main()
