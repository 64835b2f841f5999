"""Imports: saved source mappings, the record of imported files, and the bulk look-ups
and inserts an import needs (reference ids, stored rows by id or time window).

Look-ups load whole key sets in a few queries (never one query per file row), and new
time rows go in through the driver-level bulk insert (``insats.db.bulk``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from insats.db.bulk import insert_rows
from insats.db.models.clients import ClientRow
from insats.db.models.decisions import DecisionRow
from insats.db.models.imports import ImportBatchRow, ImportSourceRow
from insats.db.models.providers import ProviderRow
from insats.db.models.scheduling import AssistanceGroupRow, PlannedShiftRow
from insats.db.models.staff import EmployeeRow
from insats.db.models.time_reports import TimeEntryRow
from insats.db.repositories.decisions import DecisionRepository
from insats.db.repositories.scheduling import ShiftTable
from insats.domain.decisions import Decision
from insats.domain.scheduling import PlannedShift, ShiftStatus

CHUNK = 5_000
SQLITE_IMPORT_CACHE_KIB = 256 * 1024
# The positional layout of a new time row for insert_time_records (the "row" is the file's
# row number, not stored).
TIME_RECORD_FIELDS = (
    "id", "row", "employee_id", "group_id", "client_id", "start", "end", "worked_on",
    "break_minutes", "kind", "is_double", "at_hospital", "ob_claimed", "reported_on",
    "comment", "status", "attested_at", "attested_by",
)

# The time_entries columns a stored row is compared on, in TimeRecord.comparable() order.
TIME_COMPARED = (
    TimeEntryRow.employee_id, TimeEntryRow.group_id, TimeEntryRow.client_id,
    TimeEntryRow.start_at, TimeEntryRow.end_at, TimeEntryRow.break_minutes, TimeEntryRow.kind,
    TimeEntryRow.is_double, TimeEntryRow.at_hospital, TimeEntryRow.ob_claimed,
    TimeEntryRow.reported_on, TimeEntryRow.comment, TimeEntryRow.status,
    TimeEntryRow.attested_at, TimeEntryRow.attested_by,
)


@dataclass(frozen=True, slots=True)
class ImportBatch:
    """The record of one imported file."""

    id: str
    source: str | None
    kind: str
    file_name: str
    sha256: str
    rows_total: int
    rows_created: int
    rows_updated: int
    rows_unchanged: int
    imported_at: dt.datetime


@dataclass(frozen=True, slots=True)
class StoredTime:
    """A stored time row as an import compares it: id, the compared fields, version."""

    id: str
    compared: tuple[Any, ...]
    version: int

    @property
    def employee_id(self) -> str:
        return str(self.compared[0])

    @property
    def start(self) -> dt.datetime:
        value: dt.datetime = self.compared[3]
        return value

    @property
    def end(self) -> dt.datetime:
        value: dt.datetime = self.compared[4]
        return value

    @property
    def is_attested(self) -> bool:
        return str(self.compared[12]) == "attesterad"


class ImportRepository:
    """Queries for imports; never commits."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # -- saved mappings and batches --------------------------------------------------------
    def saved_mapping(self, source: str, kind: str) -> str | None:
        row = self.session.get(ImportSourceRow, (source, kind))
        return None if row is None else row.mapping

    def save_mapping(self, source: str, kind: str, mapping: str, at: dt.datetime) -> None:
        row = self.session.get(ImportSourceRow, (source, kind))
        if row is None:
            self.session.add(ImportSourceRow(name=source, kind=kind, mapping=mapping,
                                             updated_at=at))
        elif row.mapping != mapping:
            row.mapping, row.updated_at = mapping, at
        self.session.flush()

    def add_batch(self, batch: ImportBatch) -> None:
        self.session.add(ImportBatchRow(
            id=batch.id, source=batch.source, kind=batch.kind, file_name=batch.file_name,
            sha256=batch.sha256, rows_total=batch.rows_total, rows_created=batch.rows_created,
            rows_updated=batch.rows_updated, rows_unchanged=batch.rows_unchanged,
            imported_at=batch.imported_at,
        ))
        self.session.flush()

    def has_batches(self, source: str | None, kind: str) -> bool:
        statement = select(ImportBatchRow.id).where(ImportBatchRow.kind == kind)
        statement = statement.where(
            ImportBatchRow.source.is_(None) if source is None else ImportBatchRow.source == source
        )
        return self.session.scalar(statement.limit(1)) is not None

    def batches(self, *, limit: int = 50) -> list[ImportBatch]:
        rows = self.session.scalars(
            select(ImportBatchRow).order_by(ImportBatchRow.imported_at.desc()).limit(limit)
        )
        return [ImportBatch(r.id, r.source, r.kind, r.file_name, r.sha256, r.rows_total,
                            r.rows_created, r.rows_updated, r.rows_unchanged, r.imported_at)
                for r in rows]

    # -- references ------------------------------------------------------------------------
    def employee_ids(self) -> set[str]:
        return set(self.session.scalars(select(EmployeeRow.id)))

    def groups(self) -> dict[str, str | None]:
        """Group id → the group's client (None for a group serving many)."""
        return {row.id: row.client_id for row in self.session.execute(
            select(AssistanceGroupRow.id, AssistanceGroupRow.client_id))}

    def client_keys(self) -> list[tuple[str, str, str]]:
        """(id, pseudonym, 12-digit identity number) of every client."""
        return [(row.id, row.pseudonym, row.identity_number) for row in self.session.execute(
            select(ClientRow.id, ClientRow.pseudonym, ClientRow.identity_number))]

    def provider_ids(self) -> set[str]:
        return set(self.session.scalars(select(ProviderRow.id)))

    def decision_ids(self) -> set[str]:
        return set(self.session.scalars(select(DecisionRow.id)))

    # -- time entries ----------------------------------------------------------------------
    def time_rows_starting(
        self, start: dt.datetime, end: dt.datetime, *, except_prefixes: Sequence[str] = ()
    ) -> list[StoredTime]:
        """Stored time rows that start in ``[start, end)``, leaving out ids that begin with
        one of ``except_prefixes`` (all of the same length)."""
        conditions = [
            TimeEntryRow.worked_on >= start.date() - dt.timedelta(days=1),
            TimeEntryRow.worked_on <= end.date() + dt.timedelta(days=1),
            TimeEntryRow.start_at >= start, TimeEntryRow.start_at < end,
        ]
        if except_prefixes:
            length = len(except_prefixes[0])
            conditions.append(
                func.substr(TimeEntryRow.id, 1, length).not_in(list(except_prefixes)))
        return self._stored_time(*conditions)

    def time_rows_by_id(self, ids: Iterable[str]) -> list[StoredTime]:
        found: list[StoredTime] = []
        for chunk in _chunks(ids):
            found += self._stored_time(TimeEntryRow.id.in_(chunk))
        return found

    def _stored_time(self, *conditions: Any) -> list[StoredTime]:
        statement = select(TimeEntryRow.id, TimeEntryRow.version, *TIME_COMPARED).where(
            *conditions)
        return [StoredTime(row[0], tuple(row[2:]), row[1])
                for row in self.session.execute(statement)]

    def insert_time_records(self, records: Sequence[Sequence[Any]]) -> None:
        """Bulk-insert new time rows given as tuples in ``TIME_RECORD_FIELDS`` order."""
        self.time_inserter()(records)

    def time_inserter(self) -> Callable[[Sequence[Sequence[Any]]], None]:
        """A function that bulk-inserts new time rows on this session's connection.

        Rows are tuples in ``TIME_RECORD_FIELDS`` order (the import service's
        ``TimeRecord``): times aware UTC, enums as StrEnums. ``worked_minutes`` is derived
        here; every row starts at version 1 with no planned-shift or correction link. The
        stored values are those of ``TimeEntryRepository.add_many``
        (tests/integration/test_import_service.py compares them); the driver values are
        built here in one pass instead of through ``insats.db.bulk.insert_rows``' column
        converters, which halves the cost of a million-row import.

        On SQLite and PostgreSQL (psycopg) the function talks to the driver connection
        only, so one other thread may call it while this session is otherwise left alone
        (the import service overlaps reading the file with writing it). Other dialects
        take the generic path through the session.
        """
        self.session.flush()
        connection = self.session.connection()
        dialect = connection.dialect
        names = ", ".join(TIME_INSERT_COLUMNS)
        driver: Any = connection.connection.driver_connection
        if (dialect.name, dialect.driver) == ("sqlite", "pysqlite"):
            marks = ", ".join("?" for _ in TIME_INSERT_COLUMNS)
            statement = f"INSERT INTO time_entries ({names}) VALUES ({marks})"

            def sqlite_insert(records: Sequence[Sequence[Any]]) -> None:
                # the driver's own cursor, in the session's transaction
                cursor = driver.cursor()
                try:
                    cursor.executemany(statement, _sqlite_time_values(records))
                finally:
                    cursor.close()

            return sqlite_insert
        if (dialect.name, dialect.driver) == ("postgresql", "psycopg"):
            # binary COPY: the server need not parse timestamps and numbers from text
            copy_statement = f"COPY time_entries ({names}) FROM STDIN (FORMAT BINARY)"

            def postgresql_copy(records: Sequence[Sequence[Any]]) -> None:
                with driver.cursor() as cursor, cursor.copy(copy_statement) as copy:
                    copy.set_types(TIME_COPY_TYPES)
                    write = copy.write_row
                    for r in records:
                        write(_time_values(r))

            return postgresql_copy

        def generic_insert(records: Sequence[Sequence[Any]]) -> None:
            rows = [dict(zip(TIME_INSERT_COLUMNS, _time_values(r), strict=True))
                    for r in records]
            insert_rows(self.session, TimeEntryRow.__table__, rows)  # type: ignore[arg-type]

        return generic_insert

    def writes_in_background(self) -> bool:
        """Whether ``time_inserter`` gains from running on a second thread.

        PostgreSQL: yes, the server inserts while Python reads on. SQLite: no, its
        executemany takes Python's GIL back for every row and starves both threads.
        """
        dialect = self.session.connection().dialect
        return (dialect.name, dialect.driver) == ("postgresql", "psycopg")

    @contextmanager
    def large_writes(self) -> Iterator[None]:
        """Give SQLite a larger page cache for a large insert, then restore it.

        SQLite's default cache (2 MiB) spills the seven time_entries indexes of a large
        insert to the WAL and reads them back; 256 MiB makes a million-row insert about
        40 % faster. No-op on other databases.
        """
        connection = self.session.connection()
        if connection.dialect.name != "sqlite":
            yield
            return
        previous = connection.exec_driver_sql("PRAGMA cache_size").scalar()
        connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_IMPORT_CACHE_KIB}")
        try:
            yield
        finally:
            connection.exec_driver_sql(f"PRAGMA cache_size = {int(previous or -2000)}")

    # -- planned shifts and decisions ----------------------------------------------------
    def shifts_by_id(self, ids: Iterable[str]) -> dict[str, PlannedShift]:
        table = ShiftTable(self.session)
        found: dict[str, PlannedShift] = {}
        for chunk in _chunks(ids):
            for row in self.session.scalars(
                    select(PlannedShiftRow).where(PlannedShiftRow.id.in_(chunk))):
                found[row.id] = table.to_entity(row)
        return found

    def staffed_shifts_starting(
        self, start: dt.datetime, end: dt.datetime
    ) -> list[Row[tuple[str, str, dt.datetime, dt.datetime]]]:
        """(id, employee, start, end) of staffed, not cancelled shifts starting in the window."""
        return list(self.session.execute(
            select(PlannedShiftRow.id, PlannedShiftRow.employee_id, PlannedShiftRow.start_at,
                   PlannedShiftRow.end_at).where(
                PlannedShiftRow.start_at >= start, PlannedShiftRow.start_at < end,
                PlannedShiftRow.employee_id.is_not(None),
                PlannedShiftRow.status == ShiftStatus.PUBLISHED,
            )
        ))

    def decisions_by_id(self, ids: Iterable[str]) -> dict[str, Decision]:
        repository = DecisionRepository(self.session)
        found: dict[str, Decision] = {}
        for chunk in _chunks(ids):
            for row in self.session.scalars(select(DecisionRow).where(DecisionRow.id.in_(chunk))):
                found[row.id] = repository.to_entity(row)
        return found


TIME_INSERT_COLUMNS = (
    "id", "employee_id", "group_id", "client_id", "start_at", "end_at", "worked_on",
    "worked_minutes", "break_minutes", "kind", "is_double", "at_hospital", "ob_claimed",
    "reported_on", "comment", "status", "attested_at", "attested_by", "planned_shift_id",
    "corrects_entry_id", "version",
)

# PostgreSQL types of TIME_INSERT_COLUMNS, for binary COPY (they must match exactly).
TIME_COPY_TYPES = (
    "varchar", "varchar", "varchar", "varchar", "timestamptz", "timestamptz", "date",
    "int4", "int4", "varchar", "bool", "bool", "bool", "date", "text", "varchar",
    "timestamptz", "varchar", "varchar", "varchar", "int4",
)


def _time_values(r: Sequence[Any]) -> tuple[Any, ...]:
    """A record's column values (TIME_INSERT_COLUMNS order) as the driver takes them."""
    start, end = r[5], r[6]
    return (
        r[0], r[2], r[3], r[4], start, end, r[7],
        int((end - start).total_seconds()) // 60 - r[8], r[8], r[9].value, r[10], r[11], r[12],
        r[13], r[14], r[15].value, r[16], r[17], None, None, 1,
    )


def _utc_text(moment: dt.datetime) -> str:
    """SQLAlchemy's SQLite text for an aware instant, in UTC: '2027-01-04 06:00:00.000000'."""
    if moment.tzinfo is not dt.UTC:
        moment = moment.astimezone(dt.UTC)
    return moment.isoformat(" ", "microseconds")[:26]


def _sqlite_time_values(records: Iterable[Sequence[Any]]) -> Iterator[tuple[Any, ...]]:
    """Rows as SQLite stores them; the texts of repeated times and days are reused."""
    texts: dict[Any, str] = {}

    def text_of(value: Any) -> str:
        found = texts[value] = (_utc_text(value) if isinstance(value, dt.datetime)
                                else value.isoformat())
        return found

    get = texts.get
    for r in records:
        start, end, day, reported, attested = r[5], r[6], r[7], r[13], r[16]
        yield (
            r[0], r[2], r[3], r[4], get(start) or text_of(start), get(end) or text_of(end),
            get(day) or text_of(day),
            int((end - start).total_seconds()) // 60 - r[8], r[8], r[9].value, r[10], r[11],
            r[12], None if reported is None else get(reported) or text_of(reported), r[14],
            r[15].value, None if attested is None else _utc_text(attested), r[17], None, None,
            1,
        )


def _chunks(ids: Iterable[str]) -> Iterator[list[str]]:
    chunk: list[str] = []
    for key in ids:
        chunk.append(key)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
