"""Benchmark: C clients × N attempts editing the same record at once; lost updates must be 0.

Usage:
    .venv/bin/python bench/concurrent_edits.py [--clients 8] [--attempts 25] [--runs 3]
        [--postgres URL] [--unguarded]

Each run migrates a fresh database (a new SQLite file in WAL mode, or a scratch PostgreSQL
database on the server named by ``--postgres`` / ``INSATS_BENCH_POSTGRES_URL``) and stores
one action (åtgärd). C threads, each with its own connection, then make N attempts each.
An attempt is a read-modify-write of the action's text in two transactions, as a user does
through an edit form: read the action and its version; then save the text with the
attempt's token appended, passing the version read (``ActionRepository.update`` with
``expected_version``, the path every save of an action takes). Barriers make all C clients
read together and then save together, so every round is a real collision.

Counted: successes (saves written), refusals (``StaleVersionError``), errors (anything
else, e.g. a lock timeout), and lost updates: tokens of successful saves missing from the
final text. With versions, each round has exactly one success and C − 1 refusals, and lost
updates are 0. ``--unguarded`` saves with a plain UPDATE that ignores the version (what the
application must never do), to show that the count does catch lost updates.

Prints per backend the median over the runs of the wall time, and the counts (equal in
every run when guarded).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import platform
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text

from insats.db.maintenance import scratch_postgres_database
from insats.db.migrate import upgrade
from insats.db.repositories._base import StaleVersionError
from insats.domain.actions import Action, ActionStatus
from insats.domain.organisation import Department, Unit, UnitKind
from insats.services.runtime import dispose_all, uow_factory_for
from insats.services.uow import UnitOfWork

ACTION_ID = "AT0001"


@dataclasses.dataclass
class Tally:
    clients: int
    attempts: int
    successes: int = 0
    refusals: int = 0
    errors: int = 0
    lost_updates: int = 0
    final_version: int = 0
    seconds: float = 0.0

    @property
    def tried(self) -> int:
        return self.clients * self.attempts


def seed(uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        uow.organisation.add_many([
            Department(id="D01", name="Funktionsstöd", municipality_code="0180",
                       municipality_name="Stockholm"),
            Unit(id="U01", department_id="D01", name="Personlig assistans",
                 kind=UnitKind.PERSONAL_ASSISTANCE, cost_centre="1001"),
        ])
        uow.actions.add(Action(id=ACTION_ID, department_id="D01", activity="Minska övertiden",
                               measure="", status=ActionStatus.PLANNED,
                               owner_role="Enhetschef", follow_up_on=dt.date(2026, 6, 1),
                               unit_id="U01"))
        uow.commit()


def race_edits(uow_factory: Callable[[], UnitOfWork], *, clients: int, attempts: int,
               guarded: bool = True) -> Tally:
    """C threads × N colliding read-modify-write attempts on the action; see the module."""
    tally = Tally(clients, attempts)
    lock = threading.Lock()
    read_together = threading.Barrier(clients)
    save_together = threading.Barrier(clients)
    written: list[str] = []

    def attempt(token: str) -> None:
        read_together.wait(timeout=60)
        with uow_factory() as uow:
            action = uow.actions.get(ACTION_ID)
            version = uow.actions.version_of(ACTION_ID)
        assert action is not None and version is not None
        changed = dataclasses.replace(action, measure=f"{action.measure} {token}".strip())
        save_together.wait(timeout=60)
        try:
            with uow_factory() as uow:
                if guarded:
                    uow.actions.update(changed, expected_version=version)
                else:
                    uow.session.execute(text("UPDATE actions SET measure = :m WHERE id = :i"),
                                        {"m": changed.measure, "i": ACTION_ID})
                uow.commit()
        except StaleVersionError:
            with lock:
                tally.refusals += 1
        except Exception:  # a lock timeout or another failure: counted, never hidden
            with lock:
                tally.errors += 1
        else:
            with lock:
                tally.successes += 1
                written.append(token)

    def client(number: int) -> None:
        for round_no in range(attempts):
            attempt(f"c{number}a{round_no}")

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    tally.seconds = time.perf_counter() - started
    with uow_factory() as uow:
        final = uow.actions.get(ACTION_ID)
        tally.final_version = uow.actions.version_of(ACTION_ID) or 0
    assert final is not None
    present = set(final.measure.split())
    tally.lost_updates = sum(1 for token in written if token not in present)
    return tally


def _one_run(url: str, *, clients: int, attempts: int, guarded: bool) -> Tally:
    upgrade(url)
    factory = uow_factory_for(url)
    try:
        seed(factory)
        return race_edits(factory, clients=clients, attempts=attempts, guarded=guarded)
    finally:
        dispose_all()


def run_backend(name: str, make_url: Callable[[], object], args: argparse.Namespace) -> None:
    tallies = []
    for _ in range(args.runs):
        with make_url() as url:  # type: ignore[attr-defined]
            tallies.append(_one_run(url, clients=args.clients, attempts=args.attempts,
                                    guarded=not args.unguarded))
    last = tallies[-1]
    seconds = statistics.median(t.seconds for t in tallies)
    print(f"{name}: C={last.clients} N={last.attempts} attempts={last.tried} "
          f"successes={[t.successes for t in tallies]} "
          f"refusals={[t.refusals for t in tallies]} errors={[t.errors for t in tallies]} "
          f"lost_updates={[t.lost_updates for t in tallies]} "
          f"final_version={[t.final_version for t in tallies]} "
          f"median={seconds:.2f} s ({last.tried / seconds:.0f} attempts/s)")


class _SqliteFile:
    def __enter__(self) -> str:
        self._dir = tempfile.TemporaryDirectory(prefix="insats-edits-")
        return f"sqlite:///{Path(self._dir.name) / 'edits.db'}"

    def __exit__(self, *_: object) -> None:
        self._dir.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--attempts", type=int, default=25)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres", default=os.environ.get("INSATS_BENCH_POSTGRES_URL"))
    parser.add_argument("--unguarded", action="store_true",
                        help="save without the version check, to show lost updates")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cpus; "
          f"{'UNGUARDED (no version check)' if args.unguarded else 'versions checked'}")
    run_backend("sqlite (WAL)", _SqliteFile, args)
    if args.postgres:
        run_backend("postgresql", lambda: scratch_postgres_database(
            args.postgres, prefix="insats_bench_edits"), args)
    else:
        print("postgresql: skipped (give --postgres URL or INSATS_BENCH_POSTGRES_URL)")


if __name__ == "__main__":
    main()
