"""`insats worker`: run queued jobs (optimisation runs, imports) until stopped, and
`insats jobs`: the latest jobs and their state. See docs/workers.md."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from types import FrameType

import typer
from rich.table import Table

from insats.cli.inputs import database
from insats.cli.output import make_console
from insats.domain.jobs import JOB_KIND_LABELS, JOB_STATUS_LABELS
from insats.services import jobs
from insats.services.job_runner import GRACE_SECONDS, JobRunner


def worker(
    once: bool = typer.Option(False, "--once", help="Kör jobben som väntar och avsluta."),
    concurrency: int = typer.Option(1, "--concurrency", min=1, max=32,
                                    help="Antal jobb som körs samtidigt."),
    name: str | None = typer.Option(None, "--name", help="Arbetsprocessens namn i jobben "
                                    "(annars värdnamn:processnummer)."),
    grace: float = typer.Option(GRACE_SECONDS, "--grace", min=0.0,
                                help="Sekunder som pågående jobb får på sig att bli klara "
                                     "vid SIGTERM innan de läggs tillbaka i kön."),
) -> None:
    """Kör jobb från jobbkön (planeringar, importer) tills processen stoppas."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    console = make_console()
    runner = JobRunner(database(), name=name, concurrency=concurrency, grace_seconds=grace)

    def on_signal(number: int, _frame: FrameType | None) -> None:
        console.print(f"Stoppar ({signal.Signals(number).name}): inga nya jobb tas; "
                      f"pågående jobb får {grace:.0f} s.")
        runner.stop()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    console.print(f"Arbetsprocess {runner.name} startad ({concurrency} samtidiga jobb)"
                  + (", kör väntande jobb och avslutar." if once else
                     "; stoppa med SIGTERM eller Ctrl+C."))
    count = runner.run(once=once)
    console.print(f"Arbetsprocessen avslutades efter {count} jobb.")
    if any(t.name.startswith("jobb-") and t.is_alive() for t in threading.enumerate()):
        # a job put back in the queue still runs in its thread: leave without waiting
        sys.stdout.flush()
        os._exit(0)


def jobs_list(
    limit: int = typer.Option(20, "--limit", min=1, help="Hur många av de senaste."),
) -> None:
    """Visa de senaste jobben i jobbkön och deras läge."""
    table = Table(title="Jobb")
    for header in ("Jobb", "Typ", "Läge", "Försök", "Arbetsprocess", "Köat (UTC)",
                   "Senaste livstecken (UTC)", "Resultat", "Orsak"):
        table.add_column(header, overflow="fold")
    for job in jobs.list_jobs(database(), limit=limit):
        table.add_row(
            job.id, JOB_KIND_LABELS[job.kind], JOB_STATUS_LABELS[job.status],
            f"{job.attempts}/{job.max_attempts}", job.worker_id or "",
            f"{job.queued_at:%Y-%m-%d %H:%M:%S}",
            f"{job.heartbeat_at:%H:%M:%S}" if job.heartbeat_at else "",
            job.result_ref or "", job.failure_reason or "",
        )
    make_console().print(table)
