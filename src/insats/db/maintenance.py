"""Whole-database housekeeping: is there data, and emptying tables (children first)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager

from sqlalchemy import func, select, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.orm import Session

from insats.db import models  # noqa: F401  (registers every table on the metadata)
from insats.db.append_only import APPEND_ONLY_TABLES, guard_statements, unguard_statements
from insats.db.base import Base
from insats.db.models.organisation import DepartmentRow
from insats.db.session import make_engine

REFERENCE_TABLES = frozenset({"rule_parameters"})
# Append-only tables kept when the department's data is emptied: the access log and the
# log of retention runs outlive the data they describe. The others (follow-ups of actions,
# issued report versions) hang off department rows by foreign key and go with them.
KEPT_WHEN_EMPTIED = frozenset({"audit_events", "retention_runs"})


def has_department(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(DepartmentRow)))


def empty_tables(connection: Connection, *, keep: Collection[str] = (),
                 append_only_too: bool = False) -> None:
    """Delete every row of every table except ``keep``, inside the caller's transaction.

    The append-only access log is kept unless ``append_only_too`` (only the test suite's
    cleaner asks for that); the other append-only tables belong to department rows and are
    emptied with them. A guarded table's guard is lifted for the deletion and restored.
    PostgreSQL uses one TRUNCATE … CASCADE of the tables that hold rows (truncating an
    empty table costs as much as a full one) and restarts every used sequence of the
    tables, as RESTART IDENTITY would; other databases delete children first.
    """
    skip = set(keep) | (set() if append_only_too else set(KEPT_WHEN_EMPTIED))
    tables = [t for t in Base.metadata.sorted_tables if t.name not in skip]
    if not tables:
        return
    dialect = connection.dialect.name
    if dialect == "postgresql":
        _truncate_postgres(connection, [t.name for t in tables])
        return
    guarded = [t.name for t in tables if t.name in APPEND_ONLY_TABLES]
    for name in guarded:
        for statement in unguard_statements(dialect, name):
            connection.execute(text(statement))
    for table in reversed(tables):
        connection.execute(table.delete())
    for name in guarded:
        for statement in guard_statements(dialect, name):
            connection.execute(text(statement))


def _truncate_postgres(connection: Connection, names: list[str]) -> None:
    probes = " UNION ALL ".join(
        f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM \"{name}\")" for name in names)
    holding = [row[0] for row in connection.execute(text(probes))]
    if holding:
        listed = ", ".join(f'"{name}"' for name in holding)
        connection.execute(text(f"TRUNCATE {listed} CASCADE"))
    used = connection.execute(text(
        "SELECT s.relname FROM pg_class s JOIN pg_depend d ON d.objid = s.oid "
        "JOIN pg_class t ON t.oid = d.refobjid "
        "JOIN pg_sequences ps ON ps.sequencename = s.relname "
        "WHERE s.relkind = 'S' AND d.deptype IN ('a', 'i') AND t.relname = ANY(:names) "
        "AND ps.last_value IS NOT NULL"), {"names": names}).scalars().all()
    for sequence in used:
        connection.execute(text(f'ALTER SEQUENCE "{sequence}" RESTART'))


@contextmanager
def scratch_postgres_database(
    server_url: str, *, prefix: str, before_drop: Callable[[str], None] | None = None
) -> Iterator[str]:
    """A uniquely named database on the server for the ``with`` block, dropped afterwards.

    Used by tests and benchmarks, which must never touch a real department's database.
    ``before_drop(url)`` runs first on the way out (e.g. to dispose engines on it).
    """
    url = create_scratch_postgres_database(server_url, prefix=prefix)
    try:
        yield url
    finally:
        if before_drop is not None:
            before_drop(url)
        drop_postgres_database(server_url, url)


def create_scratch_postgres_database(server_url: str, *, prefix: str) -> str:
    """Create a uniquely named database ``<prefix>_<random>`` on the server; return its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    _run_outside_transaction(server_url, f'CREATE DATABASE "{name}"')
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(server_url: str, database_url: str) -> None:
    name = make_url(database_url).database
    _run_outside_transaction(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run_outside_transaction(server_url: str, statement: str) -> None:
    """CREATE/DROP DATABASE cannot run in a transaction: use an autocommit connection."""
    admin = make_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(statement))
    finally:
        admin.dispose()


def database_size_bytes(engine: Engine) -> int:
    """Size on disk: pg_database_size on PostgreSQL, page_count × page_size on SQLite."""
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            return int(connection.execute(text("SELECT pg_database_size(current_database())"))
                       .scalar_one())
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar_one()
        page_size = connection.exec_driver_sql("PRAGMA page_size").scalar_one()
        return int(pages) * int(page_size)


def refresh_statistics(engine: Engine) -> None:
    """Let the query planner see the tables as they are after a bulk load (ANALYZE).

    PostgreSQL's autovacuum analyses a table only some time after a large insert; until
    then it plans as if the tables were empty, and grouped queries over a million shifts
    can take minutes instead of a second. SQLite's planner uses the same statistics.
    """
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        connection.execute(text("ANALYZE"))
        connection.commit()
