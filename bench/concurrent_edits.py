"""Benchmark: C clients × N attempts editing the same record at once; lost updates must be 0.
Then C schedulers × N rounds booking overlapping shifts for one employee; double bookings
must be 0.

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

Bookings: in each of N rounds the C clients, released together by a barrier, each insert a
published shift for employee E0001 overlapping the others' (``SchedulingRepository.add``
and commit, each on its own connection). The database's guard (migration 0014) lets one
through per round; the rest get ``ShiftOverlapError``. Double bookings are the overlapping
pairs of published shifts of one employee left in the database at the end (must be 0).

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
from insats.db.shift_guards import OVERLAPPING_PAIRS, ShiftOverlapError
from insats.domain.actions import Action, ActionStatus
from insats.domain.calendar import local_datetime
from insats.domain.common import Money, Period
from insats.domain.organisation import Department, Unit, UnitKind
from insats.domain.scheduling import AssistanceGroup, PlannedShift
from insats.domain.staff import Agreement, Employee, EmploymentForm, Position
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
        uow.staff.add(Employee(
            id="E0001", given_name="Anna", family_name="Berg", home_unit_id="U01",
            position=Position.ASSISTANT, employment_form=EmploymentForm.PERMANENT,
            agreement=Agreement.PAN, employment_percent=100, full_time_minutes_per_week=2400,
            employed=Period(dt.date(2020, 1, 1)), monthly_wage=Money(3_000_000)))
        uow.scheduling.add(AssistanceGroup(id="G0001", unit_id="U01", name="Korttids",
                                           client_id=None))
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
        def write() -> None:
            with uow_factory() as uow:
                if guarded:
                    uow.actions.update(changed, expected_version=version)
                else:
                    uow.session.execute(text("UPDATE actions SET measure = :m WHERE id = :i"),
                                        {"m": changed.measure, "i": ACTION_ID})
                uow.commit()

        if _attempt(write, StaleVersionError, tally, lock):
            with lock:
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


@dataclasses.dataclass
class BookingTally:
    clients: int
    rounds: int
    successes: int = 0
    refusals: int = 0
    errors: int = 0
    double_bookings: int = 0
    seconds: float = 0.0


def _attempt(write: Callable[[], None], refusal: type[Exception],
             tally: Tally | BookingTally, lock: threading.Lock) -> bool:
    """Run one save and count it: a success, the guard's ``refusal``, or another error
    (a lock timeout or another failure: counted, never hidden). True on success."""
    try:
        write()
    except refusal:
        outcome = "refusals"
    except Exception:
        outcome = "errors"
    else:
        outcome = "successes"
    with lock:
        setattr(tally, outcome, getattr(tally, outcome) + 1)
    return outcome == "successes"


def race_bookings(uow_factory: Callable[[], UnitOfWork], *, clients: int,
                  rounds: int) -> BookingTally:
    """C clients × N rounds inserting overlapping shifts for E0001; see the module."""
    tally = BookingTally(clients, rounds)
    lock = threading.Lock()
    together = threading.Barrier(clients)

    def book(number: int, round_no: int) -> None:
        day = dt.date(2026, 3, 2) + dt.timedelta(days=round_no)
        start = local_datetime(day, dt.time(7, number % 60))
        shift = PlannedShift(f"R{round_no:03d}C{number:02d}", "G0001", start,
                             start + dt.timedelta(hours=8), employee_id="E0001")
        together.wait(timeout=60)
        def write() -> None:
            with uow_factory() as uow:
                uow.scheduling.add(shift)
                uow.commit()

        _attempt(write, ShiftOverlapError, tally, lock)

    def client(number: int) -> None:
        for round_no in range(rounds):
            book(number, round_no)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    tally.seconds = time.perf_counter() - started
    with uow_factory() as uow:
        tally.double_bookings = len(uow.session.execute(text(OVERLAPPING_PAIRS)).all())
    return tally


def _one_run(url: str, *, clients: int, attempts: int,
             guarded: bool) -> tuple[Tally, BookingTally]:
    upgrade(url)
    factory = uow_factory_for(url)
    try:
        seed(factory)
        edits = race_edits(factory, clients=clients, attempts=attempts, guarded=guarded)
        return edits, race_bookings(factory, clients=clients, rounds=attempts)
    finally:
        dispose_all()


def run_backend(name: str, make_url: Callable[[], object], args: argparse.Namespace) -> None:
    tallies, bookings = [], []
    for _ in range(args.runs):
        with make_url() as url:  # type: ignore[attr-defined]
            edits, booked = _one_run(url, clients=args.clients, attempts=args.attempts,
                                     guarded=not args.unguarded)
        tallies.append(edits)
        bookings.append(booked)
    last = tallies[-1]
    seconds = statistics.median(t.seconds for t in tallies)
    print(f"{name} edits: C={last.clients} N={last.attempts} attempts={last.tried} "
          f"successes={[t.successes for t in tallies]} "
          f"refusals={[t.refusals for t in tallies]} errors={[t.errors for t in tallies]} "
          f"lost_updates={[t.lost_updates for t in tallies]} "
          f"final_version={[t.final_version for t in tallies]} "
          f"median={seconds:.2f} s ({last.tried / seconds:.0f} attempts/s)")
    seconds = statistics.median(b.seconds for b in bookings)
    print(f"{name} bookings: C={args.clients} N={args.attempts} "
          f"attempts={args.clients * args.attempts} "
          f"successes={[b.successes for b in bookings]} "
          f"refusals={[b.refusals for b in bookings]} errors={[b.errors for b in bookings]} "
          f"double_bookings={[b.double_bookings for b in bookings]} "
          f"median={seconds:.2f} s")


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
