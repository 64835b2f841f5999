"""Benchmark: generating the committee report for the demo department (issue 7).

Usage:
    .venv/bin/python bench/committee_report.py [--scales 1 10] [--runs 3]
        [--period 2026-01..2026-10] [--folder var/bench]

For each scale the demo department (seed 2026, the default history) is loaded into a
SQLite file ``{folder}/committee-s{scale}.db``, kept and reused by later runs (a scale-10
load takes minutes). A department-wide report for the period is created with a text per
section. Then each run, with the kept key-figure books forgotten first (so every run
computes the figures from the database, as the first request after a change does):

- assemble: the content (key figures as the committee sees them, the action plan, the
  client counts per unit with small counts suppressed, the texts);
- pdf / xlsx: rendering the assembled content;
- issue: the whole use case ``issue`` (assemble, render both, store version n+1);
- cli: ``insats report committee --period ... --out ... --issue`` in a fresh process
  (start-up and imports included).

Prints the seconds of every run and the median per step. Prints figures only; asserts
nothing.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader

from insats.cli.local_caller import cli_caller
from insats.domain.committee_report import (
    SECTION_BACKGROUND,
    SECTION_INTRODUCTION,
    SECTION_NEXT_STEPS,
)
from insats.reports.committee_pdf import committee_pdf
from insats.reports.committee_xlsx import committee_xlsx
from insats.services import committee_reports as reports
from insats.services import database, demo
from insats.services.key_figures import parse_period
from insats.services.overview import forget_figures
from insats.services.runtime import UowFactory, dispose_all, uow_factory_for

STEPS = ("assemble", "pdf", "xlsx", "issue", "cli")
TEXTS = {
    SECTION_INTRODUCTION: "Nämnden gav förvaltningen i uppdrag att följa upp handlingsplanerna "
                          "på enhetsnivå. " * 3,
    SECTION_BACKGROUND: "Bokslutet visade underskott.\n\nAvdelningen arbetar vidare. " * 3,
    SECTION_NEXT_STEPS: "- Följa beslutade timmar\n- Optimera bemanningen\n- Sänka "
                        "sjukfrånvaron",
}


def _database(folder: Path, scale: int) -> tuple[str, float | None]:
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / f'committee-s{scale}.db'}"
    database.upgrade_database(url)
    started = time.perf_counter()
    report = demo.load_demo_department(uow_factory_for(url), scale=scale, if_empty=True)
    loaded = time.perf_counter() - started if report.counts else None
    return url, loaded


def _timed(action: Callable[[], object]) -> float:
    forget_figures()
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _cli(url: str, period: str) -> float:
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "insats", "report", "committee", "--period",
                        period, "--out", str(Path(folder) / "r.pdf"), "--xlsx",
                        str(Path(folder) / "r.xlsx"), "--issue"],
                       env={**os.environ, "INSATS_DATABASE_URL": url}, check=True,
                       capture_output=True)
        return time.perf_counter() - started


def measure(url: str, period: str, runs: int) -> dict[str, list[float]]:
    factory: UowFactory = uow_factory_for(url)
    caller = cli_caller("bench committee report")
    start, end = parse_period(None, period)
    report = reports.find_or_create_report(factory, caller=caller, start=start, end=end)
    draft = reports.draft(factory, caller=caller, report_id=report.id)
    for subject, text in TEXTS.items():
        version = next(s.version for s in draft.subjects if s.subject == subject)
        reports.save_text(factory, caller=caller, report_id=report.id, subject=subject,
                          text=text, expected_version=version)
    times: dict[str, list[float]] = {step: [] for step in STEPS}
    pages = 0
    for _ in range(runs):
        content, _versions = reports.assemble_content(factory, caller=caller,
                                                      report_id=report.id)
        times["assemble"].append(_timed(lambda: reports.assemble_content(
            factory, caller=caller, report_id=report.id)))
        started = time.perf_counter()
        pdf = committee_pdf(content)
        times["pdf"].append(time.perf_counter() - started)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        started = time.perf_counter()
        committee_xlsx(content)
        times["xlsx"].append(time.perf_counter() - started)
        times["issue"].append(_timed(lambda: reports.issue(factory, caller=caller,
                                                           report_id=report.id)))
        times["cli"].append(_cli(url, period))
    print(f"  pdf: {len(pdf) / 1024:.0f} KiB, {pages} pages; "
          f"{len(content.figures)} figures × {len(content.months)} months, "
          f"{len(content.actions)} actions")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--period", default="2026-01..2026-10")
    parser.add_argument("--folder", type=Path, default=Path("var/bench"))
    args = parser.parse_args()
    print(f"machine: {platform.node()} · {os.cpu_count()} cores · "
          f"{platform.processor() or platform.machine()} · Python {platform.python_version()}")
    print(f"period {args.period}, {args.runs} runs per step, SQLite")
    for scale in args.scales:
        url, loaded = _database(args.folder, scale)
        print(f"scale {scale}: {url}" + (f" (loaded in {loaded:.0f} s)" if loaded else
                                          " (reused)"))
        times = measure(url, args.period, args.runs)
        for step in STEPS:
            runs = ", ".join(f"{t:.2f}" for t in times[step])
            print(f"  {step:9s} median {statistics.median(times[step]):6.2f} s  ({runs})")
        dispose_all()


if __name__ == "__main__":
    main()
