"""Database roles on PostgreSQL: the owner runs migrations, the application gets only what
it needs.

The owner role (the one ``insats db upgrade`` connects as) owns every table and may do
anything, including lifting the append-only triggers. The application's role (the one
``insats serve`` and the worker connect as) is granted, on the tables that exist when
``grant_app_role`` runs:

* ordinary tables: SELECT, INSERT, UPDATE, DELETE (never TRUNCATE, never DDL);
* append-only tables (``insats.db.append_only``: the access log, follow-up notes,
  issued report versions): SELECT and INSERT only, so even with the trigger gone the
  database refuses UPDATE, DELETE and TRUNCATE from the application;
* ``alembic_version``: SELECT; sequences: USAGE and SELECT (for generated ids).

Everything the role had on these tables before is revoked first, so running it again
(after every migration that adds tables) leaves exactly these grants.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection

from insats.db.append_only import APPEND_ONLY_TABLES
from insats.domain.common import DomainError

ORDINARY_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE")
APPEND_ONLY_PRIVILEGES = ("SELECT", "INSERT")
READ_ONLY_TABLES = frozenset({"alembic_version"})


@dataclass(frozen=True, slots=True)
class RoleGrants:
    role: str
    ordinary_tables: tuple[str, ...]
    append_only_tables: tuple[str, ...]
    read_only_tables: tuple[str, ...]


def grant_app_role(connection: Connection, role: str) -> RoleGrants:
    """Grant ``role`` the application's privileges on the current database's tables, in
    the caller's transaction (run it as the owner).

    Raises:
        DomainError: not PostgreSQL, no such role, or the role owns tables (an owner
            cannot be restricted by grants).
    """
    if connection.dialect.name != "postgresql":
        raise DomainError("db.roles_backend",
                          "Roller och behörigheter finns bara i PostgreSQL; SQLite har inga.")
    if connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"),
                          {"r": role}).first() is None:
        raise DomainError("db.role_missing", f"Rollen {role} finns inte i databasservern.")
    owned = connection.execute(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
        "AND tableowner = :r ORDER BY tablename"), {"r": role}).scalars().all()
    if owned:
        raise DomainError(
            "db.role_owns", f"Rollen {role} äger tabellerna {', '.join(owned[:5])}"
            f"{' …' if len(owned) > 5 else ''}; applikationens roll får inte vara ägare.")
    tables = connection.execute(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
        "ORDER BY tablename")).scalars().all()
    quote = connection.dialect.identifier_preparer.quote
    who = quote(role)
    statements = [
        f"GRANT CONNECT ON DATABASE {quote(_current_database(connection))} TO {who}",
        f"GRANT USAGE ON SCHEMA {quote(_current_schema(connection))} TO {who}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "
        f"{quote(_current_schema(connection))} TO {who}",
    ]
    ordinary: list[str] = []
    append_only: list[str] = []
    read_only: list[str] = []
    for table in tables:
        privileges: tuple[str, ...]
        statements.append(f"REVOKE ALL ON TABLE {quote(table)} FROM {who}")
        if table in APPEND_ONLY_TABLES:
            append_only.append(table)
            privileges = APPEND_ONLY_PRIVILEGES
        elif table in READ_ONLY_TABLES:
            read_only.append(table)
            privileges = ("SELECT",)
        else:
            ordinary.append(table)
            privileges = ORDINARY_PRIVILEGES
        statements.append(f"GRANT {', '.join(privileges)} ON TABLE {quote(table)} TO {who}")
    for statement in statements:
        connection.execute(text(statement))
    return RoleGrants(role, tuple(ordinary), tuple(append_only), tuple(read_only))


def table_privileges(connection: Connection, role: str, table: str) -> set[str]:
    """The privileges ``role`` holds on ``table`` (for checks and tests)."""
    return {p for p in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")
            if connection.execute(text("SELECT has_table_privilege(:r, :t, :p)"),
                                  {"r": role, "t": table, "p": p}).scalar_one()}


def _current_database(connection: Connection) -> str:
    return str(connection.execute(text("SELECT current_database()")).scalar_one())


def _current_schema(connection: Connection) -> str:
    return str(connection.execute(text("SELECT current_schema()")).scalar_one())
