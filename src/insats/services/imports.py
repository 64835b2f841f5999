"""Import use cases: decisions, schedules and time reports from CSV or XLSX files.

``import_file`` reads the whole file, checks every row (types, the domain's rules,
references to stored clients, employees, groups, providers and decisions, overlapping
time of one employee within the file and against stored rows, attested rows that the file
would change) and lists every error at once. All or nothing: one unit of work, and a
single bad row means nothing is written (``ImportRejected`` carries the errors).

Idempotent: rows get ids derived from the source and their external id
(``insats.interchange.keys``), so importing the same file again finds every row unchanged
and writes nothing but the record of the attempt in ``import_batches``. A changed row
updates its stored row unless that row is attested, which is refused.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import queue
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from insats.db.maintenance import refresh_statistics
from insats.db.repositories.imports import ImportBatch, StoredTime
from insats.domain.decisions import Decision, decision_conflicts
from insats.domain.scheduling import PlannedShift, ShiftStatus
from insats.domain.time_reports import TimeEntry
from insats.interchange.decisions import read_decision_rows
from insats.interchange.errors import ErrorCollector, ImportRejected
from insats.interchange.keys import source_tag
from insats.interchange.mapping import (
    KIND_LABELS,
    ColumnMapping,
    ImportKind,
    load_mapping,
    resolve_columns,
)
from insats.interchange.overlaps import Stretch, find_overlaps
from insats.interchange.readers import SourceTable, open_table
from insats.interchange.references import References
from insats.interchange.schedules import read_shift_rows
from insats.interchange.time_reports import TimeRecord, read_time_rows
from insats.services.collector import collector_paused
from insats.services.uow import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
WINDOW_MARGIN = dt.timedelta(days=2)  # stored rows this far before the file's first start
INSERT_CHUNK = 50_000
LARGE_IMPORT_ROWS = 10_000  # new or changed rows after which the planner statistics are refreshed
STREAM_CHUNK = 20_000  # rows handed to the background writer at a time (first imports)
STREAM_ALWAYS = False  # tests set it to exercise the background writer on SQLite too
PHASE_READ = "Läser och kontrollerar rader"
PHASE_CHECK = "Jämför med databasen"
PHASE_WRITE = "Sparar"


@dataclass(frozen=True, slots=True)
class ImportProgress:
    """How far an import has come: ``done`` of ``total`` ``unit``s in ``phase``."""

    phase: str
    done: int
    total: int
    unit: str


ProgressCallback = Callable[[ImportProgress], None]


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did (or, with ``dry_run``, would do)."""

    kind: ImportKind
    file_name: str
    source: str | None
    sha256: str
    rows: int
    created: int
    updated: int
    unchanged: int
    dry_run: bool
    batch_id: str | None
    mapping_saved: bool
    seconds: float


@dataclass
class _Plan:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    write: Callable[[UnitOfWork, ProgressCallback | None], None] | None = None
    close: Callable[[], None] | None = None  # always called, after write or an error


def _entity_writer(repository: Callable[[UnitOfWork], Any], batches: list[list[Any]],
                   changed: list[Any]) -> Callable[[UnitOfWork, ProgressCallback | None], None]:
    """The write step of an import of entities: new ones in batches (in the given order),
    then the changed ones over their stored rows."""
    total = sum(len(batch) for batch in batches) + len(changed)

    def write(uow: UnitOfWork, progress: ProgressCallback | None) -> None:
        target = repository(uow)
        for batch in batches:
            target.add_many(batch)
        for entity in changed:
            target.update(entity)
        _report(progress, PHASE_WRITE, total, total)

    return write


def import_file(
    uow_factory: UowFactory,
    *,
    kind: ImportKind | str,
    path: Path,
    source: str | None = None,
    mapping: Path | ColumnMapping | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
    now: dt.datetime | None = None,
) -> ImportReport:
    """Import one file of ``kind`` ("decisions", "schedules" or "time"), all or nothing.

    ``source`` names the sending system: its saved mapping is used when ``mapping`` is not
    given, and a given mapping is saved for it. ``dry_run`` checks everything and writes
    nothing.

    Raises:
        ImportRejected: the file has errors (every one listed); nothing was written.
        FileProblem: the file or mapping file cannot be read at all.
    """
    started = time.perf_counter()
    import_kind = ImportKind(kind)
    source = source.strip() if source and source.strip() else None
    at = now or dt.datetime.now(dt.UTC)
    digest = _sha256(path)
    with collector_paused(), uow_factory() as uow:
        explicit = load_mapping(mapping, import_kind) if isinstance(mapping, Path) else mapping
        saved = uow.imports.saved_mapping(source, import_kind.value) if source else None
        effective = explicit or (
            ColumnMapping.from_json(saved, import_kind) if saved else ColumnMapping())
        errors = ErrorCollector(path.name)
        refs = _references(uow, import_kind, at)

        def on_read(done: int) -> None:
            if progress is not None:
                progress(ImportProgress(PHASE_READ, done, table_size, table_unit))

        table = open_table(
            path, errors, sheet=sheet or effective.sheet,
            encoding=encoding or effective.encoding, delimiter=effective.delimiter,
            progress=on_read,
        )
        table_size, table_unit = table.size, table.unit
        if errors:  # the header itself cannot be read
            raise ImportRejected(path.name, errors.sorted(), errors.total)
        columns = resolve_columns(table.header, import_kind, effective, errors)
        tag = source_tag(import_kind.value, source)
        with uow.imports.large_writes():
            plan, rows = _plan(uow, import_kind, table, columns, refs, tag, source, errors,
                               progress, dry_run)
            try:
                if errors:
                    raise ImportRejected(path.name, errors.sorted(), errors.total)
                if not dry_run and plan.write is not None:
                    plan.write(uow, progress)
            finally:
                if plan.close is not None:
                    plan.close()
        mapping_saved = False
        batch_id = None
        if not dry_run:
            if source is not None and explicit is not None:
                uow.imports.save_mapping(source, import_kind.value, explicit.to_json(), at)
                mapping_saved = True
            batch_id = uuid.uuid4().hex
            uow.imports.add_batch(ImportBatch(
                id=batch_id, source=source, kind=import_kind.value, file_name=path.name,
                sha256=digest, rows_total=rows, rows_created=plan.created,
                rows_updated=plan.updated, rows_unchanged=plan.unchanged, imported_at=at,
            ))
            uow.commit()
            engine = uow.session.get_bind()
    if batch_id is not None and plan.created + plan.updated >= LARGE_IMPORT_ROWS:
        refresh_statistics(engine)  # type: ignore[arg-type]
    return ImportReport(
        kind=import_kind, file_name=path.name, source=source, sha256=digest, rows=rows,
        created=plan.created, updated=plan.updated, unchanged=plan.unchanged,
        dry_run=dry_run, batch_id=batch_id, mapping_saved=mapping_saved,
        seconds=time.perf_counter() - started,
    )


def list_batches(uow_factory: UowFactory, *, limit: int = 50) -> list[ImportBatch]:
    """The most recent imported files, newest first."""
    with uow_factory() as uow:
        return uow.imports.batches(limit=limit)


def kind_label(kind: ImportKind) -> str:
    return KIND_LABELS[kind]


# -- shared --------------------------------------------------------------------------------
def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except FileNotFoundError:
        from insats.interchange.errors import FileProblem

        raise FileProblem(f"Filen {path} finns inte.") from None
    return digest.hexdigest()


def _references(uow: UnitOfWork, kind: ImportKind, at: dt.datetime) -> References:
    refs = References(today=at.date())
    refs.groups = uow.imports.groups()
    if kind is not ImportKind.DECISIONS:
        refs.employees = uow.imports.employee_ids()
    for client_id, pseudonym, identity in uow.imports.client_keys():
        refs.client_ids.add(client_id)
        refs.clients_by_pseudonym[pseudonym] = client_id
        refs.clients_by_identity[identity] = client_id
    if kind is ImportKind.DECISIONS:
        refs.providers = uow.imports.provider_ids()
        refs.decisions = uow.imports.decision_ids()
    return refs


def _plan(
    uow: UnitOfWork, kind: ImportKind, table: SourceTable, columns: dict[str, int],
    refs: References, tag: str, source: str | None, errors: ErrorCollector,
    progress: ProgressCallback | None, dry_run: bool,
) -> tuple[_Plan, int]:
    if kind is ImportKind.TIME:
        return _plan_time(uow, table, columns, refs, tag, source, errors, progress, dry_run)
    if kind is ImportKind.SCHEDULES:
        shifts = read_shift_rows(table, columns, refs, tag, errors)
        return _plan_shifts(uow, shifts, source, errors), len(shifts)
    decisions = read_decision_rows(table, columns, refs, tag, errors)
    return _plan_decisions(uow, decisions, errors), len(decisions)


def _report(progress: ProgressCallback | None, phase: str, done: int, total: int) -> None:
    if progress is not None:
        progress(ImportProgress(phase, done, total, "rad"))


# -- time reports --------------------------------------------------------------------------
def _plan_time(
    uow: UnitOfWork, table: SourceTable, columns: dict[str, int], refs: References, tag: str,
    source: str | None, errors: ErrorCollector, progress: ProgressCallback | None,
    dry_run: bool,
) -> tuple[_Plan, int]:
    """Read and check time rows; new rows of a first import are written while reading.

    No row of this source can be stored before its first import (ids carry the source's
    tag and every import records a batch), so every valid row of a first import is new:
    on PostgreSQL a background thread copies them in chunks while the rest of the file
    is read (the server works on its own core), and the whole transaction is rolled back
    if any error turns up. Later imports, and SQLite, compare and write after reading.
    """
    plan = _Plan()
    first_import = not uow.imports.has_batches(source, ImportKind.TIME.value)
    writer = _BackgroundWriter(uow.imports.time_inserter()) if (
        first_import and not dry_run and (
            STREAM_ALWAYS or uow.imports.writes_in_background())) else None
    plan.close = None if writer is None else writer.close
    try:
        records = read_time_rows(table, columns, refs, tag, errors,
                                 on_chunk=None if writer is None else writer.put,
                                 chunk_size=STREAM_CHUNK)
    except BaseException:
        if writer is not None:
            writer.close()
        raise
    if writer is not None:
        writer.drain()  # the session is the main thread's again
    if not records:
        return plan, 0
    _report(progress, PHASE_CHECK, 0, len(records))
    first = min(record.start for record in records)
    last = max(record.end for record in records)
    own = (f"{tag}-", f"{tag}#") if first_import else ()
    window = uow.imports.time_rows_starting(first - WINDOW_MARGIN, last, except_prefixes=own)
    stored = {row.id: row for row in window}
    if not first_import:
        # earlier imports from this source may hold rows the file has moved in time
        missing = [record.id for record in records if record.id not in stored]
        stored.update((row.id, row) for row in uow.imports.time_rows_by_id(missing))
    new: list[TimeRecord] = []
    changed: list[TimeRecord] = []
    for record in records:
        old = stored.get(record.id)
        if old is None:
            new.append(record)
        elif _same_time(old, record):
            plan.unchanged += 1
        elif old.is_attested:
            errors.add(record.row, "Id", "Raden är redan attesterad och kan inte ändras; "
                       "registrera en rättelse i stället.")
        else:
            changed.append(record)
    in_file = {record.id for record in records}
    stretches: list[Stretch] = [
        (r.employee_id, r.start, r.end, r.row, r.id) for r in records
    ]
    stretches += [(row.employee_id, row.start, row.end, 0, row.id)
                  for row in window if row.id not in in_file]
    for row_no, message in find_overlaps(stretches):
        errors.add(row_no, "Start", message)
    _report(progress, PHASE_CHECK, len(records), len(records))
    plan.created, plan.updated = len(new), len(changed)
    already = 0 if writer is None else writer.written

    def write(uow: UnitOfWork, progress: ProgressCallback | None) -> None:
        total = len(new) + len(changed)
        insert = uow.imports.time_inserter()
        for offset in range(already, len(new), INSERT_CHUNK):
            insert(new[offset:offset + INSERT_CHUNK])
            _report(progress, PHASE_WRITE, min(offset + INSERT_CHUNK, len(new)), total)
        for done, record in enumerate(changed, start=len(new) + 1):
            current = uow.time_reports.get(record.id)
            assert current is not None
            uow.time_reports.update(_time_entry(record, current))
            if done % 1000 == 0 or done == total:
                _report(progress, PHASE_WRITE, done, total)
        if total == already:
            _report(progress, PHASE_WRITE, total, total)

    plan.write = write
    return plan, len(records)


class _BackgroundWriter:
    """Writes chunks of records on a second thread while the main thread reads on.

    The insert function talks to the driver connection only, and the main thread leaves
    the session alone until ``drain``. An error in the writer surfaces on ``drain``.
    """

    def __init__(self, insert: Callable[[list[TimeRecord]], None]) -> None:
        self._insert = insert
        self._queue: queue.Queue[list[TimeRecord] | None] = queue.Queue(maxsize=3)
        self._error: BaseException | None = None
        self.written = 0
        self._thread = threading.Thread(target=self._run, name="import-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            chunk = self._queue.get()
            try:
                if chunk is None:
                    return
                if self._error is None:
                    self._insert(chunk)
                    self.written += len(chunk)
            except BaseException as error:  # handed to the main thread by drain()
                self._error = error
            finally:
                self._queue.task_done()

    def put(self, chunk: list[TimeRecord]) -> None:
        if self._error is None:
            self._queue.put(chunk)

    def drain(self) -> None:
        self._queue.join()
        if self._error is not None:
            raise self._error

    def close(self) -> None:
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()


def _same_time(old: StoredTime, record: TimeRecord) -> bool:
    new = record.comparable()
    if old.compared[:12] != new[:12]:
        return False
    # an attested stored row that the file still shows as reported is the same work
    return old.is_attested or old.compared[12:] == new[12:]


def _time_entry(record: TimeRecord, current: TimeEntry) -> TimeEntry:
    return dataclasses.replace(
        current, employee_id=record.employee_id, group_id=record.group_id,
        client_id=record.client_id, start=record.start, end=record.end,
        break_minutes=record.break_minutes, kind=record.kind, is_double=record.is_double,
        at_hospital=record.at_hospital, ob_claimed=record.ob_claimed,
        reported_on=record.reported_on, comment=record.comment, status=record.status,
        attested_at=record.attested_at, attested_by=record.attested_by,
    )


# -- schedules -----------------------------------------------------------------------------
def _plan_shifts(
    uow: UnitOfWork, shifts: list[tuple[int, PlannedShift]], source: str | None,
    errors: ErrorCollector,
) -> _Plan:
    plan = _Plan()
    if not shifts:
        return plan
    stored = uow.imports.shifts_by_id(shift.id for _, shift in shifts)
    new: list[PlannedShift] = []
    changed: list[PlannedShift] = []
    for _row_no, shift in shifts:
        old = stored.get(shift.id)
        if old is None:
            new.append(shift)
            continue
        shift = dataclasses.replace(shift, template_id=old.template_id)
        if shift == old:
            plan.unchanged += 1
        else:
            changed.append(shift)
    first = min(shift.start for _, shift in shifts)
    last = max(shift.end for _, shift in shifts)
    in_file = {shift.id for _, shift in shifts}
    stretches: list[Stretch] = [
        (shift.employee_id, shift.start, shift.end, row_no, shift.id)
        for row_no, shift in shifts
        if shift.employee_id is not None and shift.status is not ShiftStatus.CANCELLED
    ]
    stretches += [
        (employee_id, start, end, 0, shift_id)
        for shift_id, employee_id, start, end in uow.imports.staffed_shifts_starting(
            first - WINDOW_MARGIN, last)
        if shift_id not in in_file
    ]
    for row_no, message in find_overlaps(stretches):
        errors.add(row_no, "Start", message.replace("tid för", "pass för"))
    plan.created, plan.updated = len(new), len(changed)

    plan.write = _entity_writer(lambda uow: uow.scheduling, [new], changed)
    return plan


# -- decisions -----------------------------------------------------------------------------
def _plan_decisions(
    uow: UnitOfWork, decisions: list[tuple[int, Decision]], errors: ErrorCollector
) -> _Plan:
    plan = _Plan()
    if not decisions:
        return plan
    stored = uow.imports.decisions_by_id(decision.id for _, decision in decisions)
    _check_conflicts(uow, decisions, errors)
    new: list[Decision] = []
    changed: list[Decision] = []
    for _row_no, decision in decisions:
        old = stored.get(decision.id)
        if old is None:
            new.append(decision)
        elif old == decision:
            plan.unchanged += 1
        else:
            changed.append(decision)
    plan.created, plan.updated = len(new), len(changed)

    plan.write = _entity_writer(lambda uow: uow.decisions, list(_referenced_first(new)),
                                changed)
    return plan


def _check_conflicts(
    uow: UnitOfWork, decisions: list[tuple[int, Decision]], errors: ErrorCollector
) -> None:
    """Refuse a decision that the domain says cannot stand beside another of the client's
    (``decision_conflicts``: ledsagarservice with personlig assistans, HFD 2011 ref 62),
    whether the other is stored or in the file (a file row replaces the stored one)."""
    in_file = {decision.id for _, decision in decisions}
    by_client: dict[str, list[Decision]] = {}
    for _, decision in decisions:
        by_client.setdefault(decision.client_id, []).append(decision)
    for client_id, own in by_client.items():
        others = [d for d in uow.decisions.of_client(client_id) if d.id not in in_file] + own
        for row_no, decision in decisions:
            if decision.client_id != client_id:
                continue
            for other in others:
                if other.id == decision.id:
                    continue
                for severity, _code, message in decision_conflicts([decision, other]):
                    if severity == "error":
                        errors.add(row_no, "Insats", message)
                        break


def _referenced_first(decisions: Iterable[Decision]) -> list[list[Decision]]:
    """Batches in which a decision comes after the new decision it replaces."""
    waiting = list(decisions)
    done: set[str] = set()
    pending = {decision.id for decision in waiting}
    batches: list[list[Decision]] = []
    while waiting:
        ready = [d for d in waiting
                 if d.replaces_decision_id is None or d.replaces_decision_id not in pending
                 or d.replaces_decision_id in done]
        if not ready:  # a cycle: let the database refuse it
            ready = waiting
        batches.append(ready)
        done.update(d.id for d in ready)
        ready_ids = {d.id for d in ready}
        waiting = [d for d in waiting if d.id not in ready_ids]
    return batches
