"""Bulk inserts through the driver, storing exactly what a Core ``insert(table)`` would.

Why: ``session.execute(insert(table), rows)`` with many rows spends most of its time in
SQLAlchemy's per-row parameter handling (``construct_params`` and one bind-processor call
per value, including the ``UTCDateTime`` TypeDecorator and SQLite's date formatting) and,
on PostgreSQL, in psycopg's executemany, which sends one INSERT per row. ``insert_rows``
instead converts the rows column by column into the values the driver would have been
given, then

* SQLite: one ``executemany`` of a plain ``INSERT … VALUES (?, …)`` with tuples
  (``exec_driver_sql`` on the session's connection);
* PostgreSQL with psycopg 3: one ``COPY table (columns) FROM STDIN`` (``copy.write_row``);
* any other dialect or driver: the Core insert (``core_insert``).

Guaranteed, on every path:

* the stored values are those of the Core insert: each value goes through its column
  type's own bind processor for the dialect, except two converters written out here for
  speed and equal to SQLAlchemy's output: ``UTCDateTime`` (SQLite: the naive UTC text
  ``'2026-03-28 21:00:00.000000'``; PostgreSQL: the aware UTC datetime) and ``Date`` on
  SQLite (``'2026-03-28'``). Naive datetimes are refused (``NaiveDatetimeError``) as before;
* the rows go through the session's own connection, inside its transaction (pending ORM
  changes are flushed first by the caller); nothing is committed;
* constraints behave as with INSERT: foreign keys are checked (deferred ones at commit),
  and driver errors surface as SQLAlchemy exceptions (``IntegrityError`` …);
* columns left out of the rows get their server default (e.g. an autoincrement key);
  a table with a Python-side column default left out takes the Core path, which applies it.

Not done: ORM events and the identity map are untouched (as with the Core insert), and
COPY does not fire SQLAlchemy's cursor-execute events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter
from typing import Any

from sqlalchemy import Column, Date, Table, insert
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from insats.db.base import UTC, UTCDateTime, utc_offset

Converter = Callable[[Any], Any]

# SQLAlchemy's storage formats for SQLite DATETIME and DATE (sqlalchemy.dialects.sqlite).
_SQLITE_DATETIME = "%04d-%02d-%02d %02d:%02d:%02d.%06d"
_SQLITE_DATE = "%04d-%02d-%02d"


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same column keys) into ``table`` in one batch."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    keys = list(rows[0])
    unknown = [key for key in keys if key not in table.c]
    if unknown:
        raise ValueError(f"{table.name} has no columns {unknown}")
    left_out = [column for column in table.columns if column.key not in rows[0]]
    write = _FAST_WRITERS.get((dialect.name, dialect.driver))
    if write is None or any(column.default is not None for column in left_out):
        core_insert(session, table, rows)
        return
    columns = [table.c[key] for key in keys]
    write(connection, table, columns, _driver_values(columns, rows, dialect))


def core_insert(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """SQLAlchemy's Core ``insert(table)`` executemany: the generic (slower) path."""
    session.execute(insert(table), list(rows))


def _driver_values(
    columns: list[Column[Any]], rows: Sequence[dict[str, Any]], dialect: Dialect
) -> list[tuple[Any, ...]]:
    """Rows as tuples of driver-ready values, converted one column at a time."""
    pick = itemgetter(*(column.key for column in columns))
    by_column: list[Sequence[Any]] = (
        list(zip(*map(pick, rows), strict=True)) if len(columns) > 1
        else [[pick(row) for row in rows]]
    )
    for index, column in enumerate(columns):
        convert = _converter(column, dialect)
        if convert is not None:
            by_column[index] = [None if v is None else convert(v) for v in by_column[index]]
    return list(zip(*by_column, strict=True))


def _converter(column: Column[Any], dialect: Dialect) -> Converter | None:
    column_type = column.type
    sqlite = dialect.name == "sqlite"
    if isinstance(column_type, UTCDateTime):
        return _sqlite_utc_text if sqlite else _utc_instant
    if sqlite and isinstance(column_type, Date):
        return _sqlite_date_text
    processor: Converter | None = column_type.dialect_impl(dialect).bind_processor(dialect)
    return processor


def _sqlite_utc_text(value: Any) -> str:
    """UTCDateTime on SQLite: what process_bind_param + SQLite DATETIME would store."""
    offset = utc_offset(value)
    # Aware arithmetic keeps the tzinfo and shifts the wall-clock fields to UTC.
    moment: dt.datetime = value - offset if offset else value
    return _SQLITE_DATETIME % (
        moment.year, moment.month, moment.day,
        moment.hour, moment.minute, moment.second, moment.microsecond,
    )


def _utc_instant(value: Any) -> dt.datetime:
    """UTCDateTime elsewhere: the same instant as an aware UTC datetime."""
    offset = utc_offset(value)
    if value.tzinfo is UTC:
        return value  # type: ignore[no-any-return]
    return (value.replace(tzinfo=None) - offset).replace(tzinfo=UTC)  # type: ignore[no-any-return]


def _sqlite_date_text(value: Any) -> str:
    if not isinstance(value, dt.date):
        raise TypeError("SQLite Date type only accepts Python date objects as input.")
    return _SQLITE_DATE % (value.year, value.month, value.day)


def _sqlite_executemany(
    connection: Connection, table: Table, columns: list[Column[Any]], values: list[tuple[Any, ...]]
) -> None:
    preparer = connection.dialect.identifier_preparer
    names = ", ".join(preparer.format_column(column) for column in columns)
    marks = ", ".join("?" for _ in columns)
    statement = f"INSERT INTO {preparer.format_table(table)} ({names}) VALUES ({marks})"
    connection.exec_driver_sql(statement, values)


def _postgresql_copy(
    connection: Connection, table: Table, columns: list[Column[Any]], values: list[tuple[Any, ...]]
) -> None:
    preparer = connection.dialect.identifier_preparer
    names = ", ".join(preparer.format_column(column) for column in columns)
    statement = f"COPY {preparer.format_table(table)} ({names}) FROM STDIN"
    driver_connection: Any = connection.connection.driver_connection
    with (
        _wrapped_driver_errors(connection, statement),
        driver_connection.cursor() as cursor,
        cursor.copy(statement) as copy,
    ):
        for row in values:
            copy.write_row(row)


Writer = Callable[[Connection, Table, list[Column[Any]], list[tuple[Any, ...]]], None]

_FAST_WRITERS: dict[tuple[str, str], Writer] = {
    ("sqlite", "pysqlite"): _sqlite_executemany,
    ("postgresql", "psycopg"): _postgresql_copy,
}


@contextmanager
def _wrapped_driver_errors(connection: Connection, statement: str) -> Iterator[None]:
    """Raise driver errors as SQLAlchemy's (IntegrityError …), as ``execute`` would."""
    dialect = connection.dialect
    dbapi_error: type[Exception] = dialect.loaded_dbapi.Error
    try:
        yield
    except dbapi_error as error:
        wrapped = DBAPIError.instance(statement, None, error, dbapi_error, dialect=dialect)
        raise wrapped from error
