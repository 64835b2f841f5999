"""Kill test: `insats import time FILE` killed with SIGKILL at random moments leaves either
nothing or everything of the import in the database, never part of it.

Usage:
    .venv/bin/python bench/kill_import.py [--kills 30] [--rows 30000] [--seed 9]
        [--backends sqlite postgresql] [--postgres URL]

Per backend: a fresh database (a new SQLite file, or a scratch PostgreSQL database on the
server named by ``--postgres`` / ``INSATS_BENCH_POSTGRES_URL``), migrated, with the demo
department (seed 2026, one month of history) and a valid time-report CSV of ``--rows``
rows for its employees (bench/import_time.py writes it).

The kill moments are timed from the moment the command has connected to the database
(its start-up, mostly Python importing the application, varies a lot on a loaded
machine and is not what is tested): the SQLite file among the process's open files, or a
second session on the PostgreSQL database. One uninterrupted import measures the
import's own time ``D`` (connected → its batch is visible: reading, checks, writing,
commit; the process's exit comes later and is not counted). Then,
``--kills`` times: start the command, wait until it is connected, wait a delay drawn from
``random.Random(seed)`` uniformly in [0, 1.05 D], SIGKILL it if it still runs, wait until
the database has no other session left, and count the import's rows (their ids carry the
source's tag) and its import batches. Either 0 rows and 0 batches (nothing) or every row
and one batch (everything) is right; anything else is a partial import. After
"everything" the rows and the batch are deleted, so every attempt imports the same file
from the start.

Prints, per backend, the attempts, the kills that landed (the process died of SIGKILL),
how many of them fell in the last 40 % of D (writing and commit), the outcomes, and
``partial imports`` (must be 0); the exit code is 1 when any import was partial.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text

from import_time import _world, write_csv  # bench/ is on sys.path when run as a script
from insats.db.maintenance import scratch_postgres_database
from insats.db.migrate import upgrade
from insats.db.session import make_engine, normalise_url
from insats.domain.common import Period
from insats.interchange.keys import source_tag
from insats.services.demo import load_demo_department
from insats.services.runtime import dispose_all, uow_factory_for

SOURCE = "kill-test"
HISTORY = Period(dt.date(2026, 10, 1), dt.date(2026, 11, 1))
SETTLE_SECONDS = 30.0


@dataclass
class Outcome:
    backend: str
    attempts: int = 0
    landed: int = 0
    late: int = 0  # landed in the last 40 % of D
    nothing: int = 0
    everything: int = 0
    partial: int = 0
    seconds: float = 0.0  # D: connected → committed, uninterrupted
    exit_seconds: float = 0.0  # connected → the process ended


def _command(path: Path) -> list[str]:
    return [sys.executable, "-m", "insats.cli.main", "import", "time", str(path),
            "--source", SOURCE]


def _environment(url: str) -> dict[str, str]:
    return {**os.environ, "INSATS_DATABASE_URL": url, "COLUMNS": "200"}


def _counts(url: str, tag: str, file_name: str) -> tuple[int, int]:
    """(the import's time rows, its import batches)."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT count(*) FROM time_entries WHERE id LIKE "
                                           ":prefix"), {"prefix": f"{tag}-%"}).scalar_one()
            batches = connection.execute(text("SELECT count(*) FROM import_batches WHERE "
                                              "file_name = :name"),
                                         {"name": file_name}).scalar_one()
        return int(rows), int(batches)
    finally:
        engine.dispose()


def _undo(url: str, tag: str, file_name: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM time_entries WHERE id LIKE :prefix"),
                               {"prefix": f"{tag}-%"})
            connection.execute(text("DELETE FROM import_batches WHERE file_name = :name"),
                               {"name": file_name})
    finally:
        engine.dispose()


def _connected(process: subprocess.Popen[bytes], url: str) -> bool:
    """Whether the import process has connected to the database (False if it ended)."""
    parsed = normalise_url(url)
    while process.poll() is None:
        if parsed.get_backend_name() == "sqlite":
            target = str(Path(parsed.database or "").resolve())
            with contextlib.suppress(OSError):
                for link in Path(f"/proc/{process.pid}/fd").iterdir():
                    with contextlib.suppress(OSError):
                        if os.readlink(link) == target:
                            return True
        elif _other_sessions(url):
            return True
        time.sleep(0.01)
    return False


_probes: dict[str, Engine] = {}


def _other_sessions(url: str) -> int:
    engine = _probes.get(url)
    if engine is None:
        engine = _probes[url] = make_engine(url, pool_size=1)
    with engine.connect() as connection:
        return int(connection.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()")).scalar_one())


def _settle(url: str) -> None:
    """Wait until no other session is connected (PostgreSQL finishes or rolls back the
    killed client's transaction on its own; SQLite recovers its WAL on the next open)."""
    if normalise_url(url).get_backend_name() != "postgresql":
        return
    deadline = time.monotonic() + SETTLE_SECONDS
    while _other_sessions(url):
        if time.monotonic() > deadline:
            raise RuntimeError("the killed import's session did not end")
        time.sleep(0.05)


def kill_test(url: str, backend: str, *, kills: int, rows: int, seed: int,
              folder: Path) -> Outcome:
    upgrade(url)
    load_demo_department(uow_factory_for(url), seed=2026, history=HISTORY)
    pairs, identities = _world(url)
    dispose_all()
    csv_path = folder / f"tid-{backend}.csv"
    write_csv(csv_path, rows, pairs, identities)
    tag = source_tag("time", SOURCE)
    outcome = Outcome(backend)

    full = subprocess.Popen(_command(csv_path), env=_environment(url),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not _connected(full, url):
        raise RuntimeError("the uninterrupted import ended before it connected")
    started = time.perf_counter()
    while _counts(url, tag, csv_path.name)[1] == 0 and full.poll() is None:
        time.sleep(0.02)
    outcome.seconds = time.perf_counter() - started
    full.wait()
    outcome.exit_seconds = time.perf_counter() - started
    if full.returncode != 0 or _counts(url, tag, csv_path.name) != (rows, 1):
        raise RuntimeError("the uninterrupted import failed")
    _settle(url)
    _undo(url, tag, csv_path.name)

    draw = random.Random(seed)
    for _ in range(kills):
        delay = draw.uniform(0.0, outcome.seconds * 1.05)
        process = subprocess.Popen(_command(csv_path), env=_environment(url),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if _connected(process, url):
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=delay)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait()
        outcome.attempts += 1
        if process.returncode == -signal.SIGKILL:
            outcome.landed += 1
            if delay >= 0.6 * outcome.seconds:
                outcome.late += 1
        _settle(url)
        stored, batches = _counts(url, tag, csv_path.name)
        if (stored, batches) == (0, 0):
            outcome.nothing += 1
        elif (stored, batches) == (rows, 1):
            outcome.everything += 1
            _undo(url, tag, csv_path.name)
        else:
            outcome.partial += 1
            print(f"  PARTIAL after {delay:.2f} s: {stored} of {rows} rows, {batches} batches",
                  flush=True)
            _undo(url, tag, csv_path.name)
    for engine in _probes.values():
        engine.dispose()
    _probes.clear()
    return outcome


@contextlib.contextmanager
def _database(backend: str, postgres: str | None, folder: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'kill.db'}"
        return
    if not postgres:
        raise SystemExit("PostgreSQL: give --postgres or set INSATS_BENCH_POSTGRES_URL")
    with scratch_postgres_database(postgres, prefix="insats_kill",
                                   before_drop=lambda _: dispose_all()) as url:
        yield url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=30)
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"],
                        choices=["sqlite", "postgresql"])
    parser.add_argument("--postgres", default=os.environ.get("INSATS_BENCH_POSTGRES_URL"))
    arguments = parser.parse_args()
    outcomes = []
    for backend in arguments.backends:
        with tempfile.TemporaryDirectory() as name, \
                _database(backend, arguments.postgres, Path(name)) as url:
            print(f"{backend}: {arguments.kills} attempts, {arguments.rows} rows, "
                  f"seed {arguments.seed}", flush=True)
            outcome = kill_test(url, backend, kills=arguments.kills, rows=arguments.rows,
                                seed=arguments.seed, folder=Path(name))
            outcomes.append(outcome)
            print(f"  D (uninterrupted import, connected to committed) {outcome.seconds:.1f} s "
                  f"(to exit {outcome.exit_seconds:.1f} s); "
                  f"K kills {outcome.landed} of {outcome.attempts} attempts "
                  f"({outcome.late} in the last 40 %); nothing {outcome.nothing}, "
                  f"everything {outcome.everything}; partial imports: {outcome.partial}",
                  flush=True)
    print()
    print("| backend | rows | D s | attempts | K kills | in last 40 % of D | nothing "
          "| everything | partial imports |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for o in outcomes:
        print(f"| {o.backend} | {arguments.rows} | {o.seconds:.1f} "
              f"| {o.attempts} | {o.landed} "
              f"| {o.late} | {o.nothing} | {o.everything} | {o.partial} |")
    total_partial = sum(o.partial for o in outcomes)
    print(f"K kills: {sum(o.landed for o in outcomes)}, partial imports: {total_partial}")
    sys.exit(1 if total_partial else 0)


if __name__ == "__main__":
    main()
