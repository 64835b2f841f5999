"""Tables that the application may append to but never change: the access log, the
follow-up notes of actions, the issued versions of committee reports and the log of
retention runs.

Database triggers refuse UPDATE and DELETE on them, on SQLite and PostgreSQL alike, so
even a bug or a raw SQL statement in the application cannot rewrite history. Only the
test suite's table cleaner and the retention run (``services.retention``, removing access
log entries past their limit) lift the guard, each inside its own transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.engine import Connection

APPEND_ONLY_TABLES = ("audit_events", "action_follow_ups", "committee_report_versions",
                      "retention_runs")

_PG_FUNCTION = """
CREATE FUNCTION {table}_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{table} is append-only';
END;
$$ LANGUAGE plpgsql
"""


def guard_statements(dialect: str, table: str) -> list[str]:
    """SQL that makes ``table`` refuse UPDATE and DELETE."""
    if dialect == "postgresql":
        return [_PG_FUNCTION.format(table=table),
                f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"]
    return [f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} BEGIN "
            f"SELECT RAISE(ABORT, '{table} is append-only'); END"
            for event in ("UPDATE", "DELETE")]


def unguard_statements(dialect: str, table: str) -> list[str]:
    if dialect == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}",
                f"DROP FUNCTION IF EXISTS {table}_append_only()"]
    return [f"DROP TRIGGER IF EXISTS {table}_no_{event}" for event in ("update", "delete")]


@contextmanager
def guard_lifted(connection: Connection, table: str) -> Iterator[None]:
    """Lift ``table``'s guard for the ``with`` block, inside the caller's transaction.

    The triggers are dropped and created again in the same transaction, so no other
    session ever sees the table unguarded (DDL is transactional on SQLite and PostgreSQL;
    on PostgreSQL the DROP holds an exclusive lock on the table until commit). If the block
    raises, the caller's rollback brings the triggers back with everything else. Dropping
    a trigger needs the table's owner: on PostgreSQL this runs with the owner role.
    """
    dialect = connection.dialect.name
    for statement in unguard_statements(dialect, table):
        connection.execute(text(statement))
    yield
    for statement in guard_statements(dialect, table):
        connection.execute(text(statement))
