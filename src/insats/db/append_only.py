"""Tables that the application may append to but never change: the access log, the
follow-up notes of actions and the issued versions of committee reports.

Database triggers refuse UPDATE and DELETE on them, on SQLite and PostgreSQL alike, so
even a bug or a raw SQL statement in the application cannot rewrite history. Only the
test suite's table cleaner lifts the guard (``without_guard``), inside one transaction.
"""

from __future__ import annotations

APPEND_ONLY_TABLES = ("audit_events", "action_follow_ups", "committee_report_versions")

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
