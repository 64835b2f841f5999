"""Whole-database snapshots: read every table canonically, write and read the backup file.

The backup file (format ``insats-backup``, version 1) is a zip archive:

* ``manifest.json``: ``format``, ``format_version``, ``schema_revision`` (Alembic),
  ``created_at`` (UTC), ``backend`` it was taken from, and per table in foreign-key order
  its ``name``, ``columns``, ``rows`` and ``sha256``;
* ``tables/<name>.jsonl``: one line per row, a JSON array of the column values in the
  manifest's column order, rows in primary-key order (strings compared byte-wise, as
  SQLite does and PostgreSQL's "C" collation does).

Values are typed by their column: datetimes as ISO 8601 with offset (always UTC), dates
and times as ISO 8601, decimals as strings (exact), bytes as base64, JSON columns as JSON
(keys sorted), enums as their stored value; booleans, integers, floats (shortest repr),
strings and null as JSON. That serialisation is canonical, so the SHA-256 of a table's
lines is the same whichever backend the rows were read from: the manifest's checksum is
both the file's integrity check and the yardstick for verifying a restore.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Table,
    Time,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from insats.db import models  # noqa: F401  (registers every table on the metadata)
from insats.db.base import Base
from insats.db.bulk import insert_rows

FORMAT_NAME = "insats-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
READ_BATCH = 5000


def table_member(name: str) -> str:
    """The archive member holding a table's rows."""
    return f"tables/{name}.jsonl"


def schema_tables(connection: Connection) -> list[Table]:
    """Every table of the schema that the database has, parents before children (the
    order of a restore). A model whose migration has not run yet is left out, so a file
    always holds exactly the tables of its schema revision."""
    present = set(inspect(connection).get_table_names())
    return [table for table in Base.metadata.sorted_tables if table.name in present]


@dataclass(frozen=True, slots=True)
class TableDigest:
    """A table's row count and the SHA-256 of its canonical lines."""

    name: str
    rows: int
    sha256: str


# --- canonical serialisation --------------------------------------------------------------
def _encode_other(value: Any) -> Any:
    """What JSON has no type for (strings, numbers, booleans, null, lists and dicts are
    written by the JSON encoder itself; a StrEnum is a string, its stored value)."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"cannot serialise {type(value).__name__} in a backup")


_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                         allow_nan=False, default=_encode_other)


def canonical_line(values: Iterable[Any]) -> bytes:
    """One row as its canonical JSON line (UTF-8, ending in a newline)."""
    return (_JSON.encode(tuple(values)) + "\n").encode("utf-8")


def _base_type(column: Column[Any]) -> Any:
    column_type = column.type
    while isinstance(column_type, TypeDecorator):
        column_type = column_type.impl_instance
    return column_type


def _decoder(column: Column[Any]) -> Callable[[Any], Any]:
    """Turns a value of a backup line back into what the column's type takes."""
    column_type = _base_type(column)
    if isinstance(column_type, DateTime):
        return _nullable(dt.datetime.fromisoformat)
    if isinstance(column_type, Date):
        return _nullable(dt.date.fromisoformat)
    if isinstance(column_type, Time):
        return _nullable(dt.time.fromisoformat)
    if isinstance(column_type, Float):
        return _nullable(float)
    if isinstance(column_type, Numeric):
        return _nullable(Decimal)
    if isinstance(column_type, LargeBinary):
        return _nullable(base64.b64decode)
    return _identity


def _nullable(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else convert(value)


def _identity(value: Any) -> Any:
    return value


def row_decoder(table: Table, columns: list[str]) -> Callable[[bytes], dict[str, Any]]:
    """Parses one backup line of ``table`` (columns in the manifest's order) into a row."""
    decoders = [(name, _decoder(table.c[name])) for name in columns]

    def decode(line: bytes) -> dict[str, Any]:
        values = json.loads(line)
        return {name: convert(value) for (name, convert), value in zip(decoders, values,
                                                                        strict=True)}

    return decode


# --- reading tables ------------------------------------------------------------------------
def canonical_lines(connection: Connection, table: Table) -> Iterator[bytes]:
    """The table's rows as canonical lines, in primary-key order (byte-wise for strings)."""
    postgres = connection.dialect.name == "postgresql"
    order = [column.collate("C") if postgres and isinstance(_base_type(column), String)
             else column for column in (table.primary_key.columns or table.columns)]
    result = connection.execution_options(stream_results=True, yield_per=READ_BATCH).execute(
        select(*table.columns).order_by(*order))
    for partition in result.partitions():
        for row in partition:
            yield canonical_line(row)


def digest(lines: Iterable[bytes], name: str) -> TableDigest:
    sha = hashlib.sha256()
    count = 0
    for line in lines:
        sha.update(line)
        count += 1
    return TableDigest(name, count, sha.hexdigest())


def table_digests(connection: Connection) -> dict[str, TableDigest]:
    """Row count and checksum of every table, as stored now."""
    return {table.name: digest(canonical_lines(connection, table), table.name)
            for table in schema_tables(connection)}


def differing_rows(connection: Connection, table: Table, lines: Iterable[bytes]) -> int:
    """Rows in ``lines`` not stored identically, plus stored rows not in ``lines``."""
    expected: dict[bytes, int] = {}
    for line in lines:
        key = hashlib.sha256(line).digest()
        expected[key] = expected.get(key, 0) + 1
    extra = 0
    for line in canonical_lines(connection, table):
        key = hashlib.sha256(line).digest()
        if expected.get(key):
            expected[key] -= 1
        else:
            extra += 1
    return extra + sum(expected.values())


def row_counts(connection: Connection, tables: Iterable[Table]) -> dict[str, int]:
    return {table.name: int(connection.execute(select(func.count()).select_from(table))
                            .scalar_one()) for table in tables}


# --- snapshots and restores -------------------------------------------------------------
def begin_snapshot(connection: Connection) -> None:
    """Start one read transaction so that every table is read as of the same moment.

    PostgreSQL: the caller opens the connection with REPEATABLE READ, READ ONLY (see
    ``SNAPSHOT_OPTIONS``); the first query fixes the snapshot. SQLite: the driver does not
    begin a transaction before a SELECT, so an explicit BEGIN is issued here; in WAL mode
    the first read then fixes the snapshot until the transaction ends.
    """
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")


SNAPSHOT_OPTIONS: dict[str, Any] = {"isolation_level": "REPEATABLE READ",
                                    "postgresql_readonly": True}


def insert_batches(session: Session, table: Table, rows: Iterable[dict[str, Any]],
                   *, batch: int = READ_BATCH) -> int:
    """Insert ``rows`` into ``table`` in batches through the session's transaction.

    A row that refers to another row of the same table (a correction, a credit invoice, a
    replacing decision) is held back until the row it refers to is in, since the foreign
    key is checked per row (SQLite) or per batch (PostgreSQL). Returns the rows inserted.
    """
    self_refs = [(fk.parent.name, fk.column.name) for fk in table.foreign_keys
                 if fk.column.table is table]
    seen: dict[str, set[Any]] = {referred: set() for _, referred in self_refs}
    held: list[dict[str, Any]] = []
    pending: list[dict[str, Any]] = []
    count = 0

    def ready(row: dict[str, Any]) -> bool:
        return all(row[column] is None or row[column] in seen[referred]
                   for column, referred in self_refs)

    def take(row: dict[str, Any]) -> None:
        nonlocal pending, count
        for referred in seen:
            seen[referred].add(row[referred])
        pending.append(row)
        if len(pending) >= batch:
            insert_rows(session, table, pending)
            count += len(pending)
            pending = []

    for row in rows:
        if not self_refs or ready(row):
            take(row)
        else:
            held.append(row)
    while held:
        now = [row for row in held if ready(row)]
        later = [row for row in held if not ready(row)]
        if not now:  # a dangling reference: insert anyway and let the foreign key refuse it
            now, later = later, []
        for row in now:
            take(row)
        held = later
    insert_rows(session, table, pending)
    return count + len(pending)


def reset_sequences(connection: Connection) -> None:
    """PostgreSQL: move each serial key's sequence past the largest restored key."""
    if connection.dialect.name != "postgresql":
        return
    for table in schema_tables(connection):
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(_base_type(keys[0]), Integer):
            continue
        key = keys[0].name
        connection.execute(
            text(f'SELECT setval(pg_get_serial_sequence(:table, :key), '
                 f'COALESCE(MAX("{key}"), 0) + 1, false) FROM "{table.name}"'),
            {"table": table.name, "key": key},
        )
