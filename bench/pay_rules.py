"""Benchmark: the pay rules over every time entry of a demo database.

Usage:
    INSATS_DATABASE_URL=sqlite:////tmp/s10-pay.db .venv/bin/insats db upgrade
    INSATS_DATABASE_URL=sqlite:////tmp/s10-pay.db .venv/bin/insats demo load --scale 10
    .venv/bin/python bench/pay_rules.py --db /tmp/s10-pay.db [--repeat 5]

Each step runs in a fresh process (so each pays for its own imports, holiday tables and
timelines), on every counting time entry of the database, all months:

- floor: reading the entries with the payroll export's own query, into light tuples;
- classify: reading them, then classifying every minute of every entry into OB
  categories (the employee's agreement decides the windows);
- payroll: reading them, then every employee's pay lines for every month (OB, mertid with
  the weekly room, overtime, jour, rounding and amounts).

Prints per run the seconds, then medians, entries per second, and the ratios of classify
and payroll to the floor. Prints figures only; asserts nothing.
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
from bisect import bisect_left
from pathlib import Path

STEPS = ("floor", "classify", "payroll")


def _measure(step: str, path: Path) -> dict[str, float]:
    from insats.db.repositories.payroll import pay_entries
    from insats.domain.ob_calendar import PayCalendar
    from insats.domain.pay_rules import PayEntry, classify_entry, monthly_pay
    from insats.services.payroll import week_start
    from insats.services.runtime import uow_factory_for

    factory = uow_factory_for(f"sqlite:///{path}")
    started = time.perf_counter()
    with factory() as uow:
        entries, _ = pay_entries(uow.session, dt.date(2000, 1, 1), dt.date(2100, 1, 1),
                                 attested_only=False)
        if step != "floor":
            rules = uow.rules.rule_book()
            staff = {e.id: e for e in uow.staff.all()}
    lines = minutes = 0
    if step == "classify":
        calendar = PayCalendar(rules)
        for entry in entries:
            minutes += sum(classify_entry(calendar, staff[entry.employee_id], entry))
    elif step == "payroll":
        calendar = PayCalendar(rules)
        by_employee: dict[str, list[PayEntry]] = {}
        for entry in entries:
            by_employee.setdefault(entry.employee_id, []).append(entry)
        months = sorted({e.day.replace(day=1) for e in entries})
        for employee_id, own in by_employee.items():
            own.sort(key=lambda e: e.day)
            days = [e.day for e in own]
            employee = staff[employee_id]
            for month in months:
                end = (month + dt.timedelta(days=32)).replace(day=1)
                low = bisect_left(days, week_start(month))
                high = bisect_left(days, end)
                if high > low and days[high - 1] >= month:
                    found = monthly_pay(employee, own[low:high], month=month,
                                        calendar=calendar)
                    lines += len(found)
                    minutes += sum(line.minutes for line in found)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": len(entries), "lines": lines, "minutes": minutes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/s10-pay.db"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--step", choices=STEPS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(_measure(args.step, args.db)))
        return
    if not args.db.exists():
        sys.exit(f"{args.db} saknas; ladda demon först (se --help).")
    print(f"# {platform.machine()}, {os.cpu_count()} kärnor, Python "
          f"{platform.python_version()}, {args.db}")
    results: dict[str, list[dict[str, float]]] = {step: [] for step in STEPS}
    for run in range(args.repeat):
        for step in STEPS:
            output = subprocess.run([sys.executable, __file__, "--step", step,
                                     "--db", str(args.db)],
                                    check=True, capture_output=True, text=True).stdout
            figures = json.loads(output.strip().splitlines()[-1])
            results[step].append(figures)
            print(f"körning {run + 1} {step:8s}: {figures['seconds']:.2f} s", flush=True)
    median = {step: statistics.median(r["seconds"] for r in results[step]) for step in STEPS}
    rows = results["floor"][0]["rows"]
    print(f"{rows:.0f} tidrader; {results['payroll'][0]['lines']:.0f} lönerader "
          f"(alla månader)")
    for step in STEPS:
        ratio = median[step] / median["floor"]
        print(f"{step:8s} median {median[step]:.2f} s, {rows / median[step]:,.0f} tidrader/s, "
              f"kvot mot golvet {ratio:.2f}".replace(",", " "))


if __name__ == "__main__":
    main()
