"""The application's PostgreSQL role may append to the access log but never change it: the
grants refuse UPDATE, DELETE and TRUNCATE on audit_events even when the owner has dropped
the append-only trigger, while ordinary tables stay fully writable."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
from click.testing import Result
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from insats.db.append_only import APPEND_ONLY_TABLES, guard_statements, unguard_statements
from insats.db.roles import grant_app_role, table_privileges
from insats.db.session import make_engine
from insats.domain.common import DomainError

PASSWORD = "app-test-password"
INSERT_EVENT = text(
    "INSERT INTO audit_events (at, username, role, action, object_kind, remote_addr, route) "
    "VALUES (now(), 'sam', 'samordnare', 'read', 'client', '127.0.0.1', 'test')")


@pytest.fixture
def owner(database_url: str, engine: Engine) -> Engine:
    if engine.dialect.name != "postgresql":
        pytest.skip("roles and grants exist on PostgreSQL only")
    return engine


@pytest.fixture
def app_role(owner: Engine) -> Iterator[str]:
    """A login role created for the test, dropped (with its privileges) afterwards."""
    role = f"insats_app_{uuid.uuid4().hex[:8]}"
    with owner.begin() as connection:
        connection.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD '{PASSWORD}'"))
    yield role
    with owner.begin() as connection:
        connection.execute(text(f"DROP OWNED BY {role}"))
        connection.execute(text(f"DROP ROLE {role}"))


def _as(owner: Engine, role: str) -> Engine:
    url = make_url(owner.url).set(username=role, password=PASSWORD)
    return make_engine(url)


def _refused(engine: Engine, statement: str) -> str:
    """Run ``statement`` as the role; returns PostgreSQL's SQLSTATE of the refusal."""
    with pytest.raises(DBAPIError) as refused, engine.begin() as connection:
        connection.execute(text(statement))
    return str(getattr(refused.value.orig, "sqlstate", ""))


def test_the_app_role_appends_and_reads_the_access_log_but_cannot_change_it(
        owner: Engine, app_role: str) -> None:
    with owner.begin() as connection:
        granted = grant_app_role(connection, app_role)
        connection.execute(INSERT_EVENT)
        assert table_privileges(connection, app_role, "audit_events") == {"SELECT", "INSERT"}
        assert table_privileges(connection, app_role, "departments") == {
            "SELECT", "INSERT", "UPDATE", "DELETE"}
        assert table_privileges(connection, app_role, "alembic_version") == {"SELECT"}
    assert set(granted.append_only_tables) == set(APPEND_ONLY_TABLES)
    assert "planned_shifts" in granted.ordinary_tables

    app = _as(owner, app_role)
    try:
        with app.begin() as connection:
            connection.execute(INSERT_EVENT)
            assert connection.execute(text("SELECT count(*) FROM audit_events")).scalar() == 2
            connection.execute(text(  # ordinary tables: full DML
                "INSERT INTO departments (id, name, municipality_code, municipality_name) "
                "VALUES ('DX', 'X', '0000', 'Y')"))
            connection.execute(text("UPDATE departments SET name = 'Z' WHERE id = 'DX'"))
            connection.execute(text("DELETE FROM departments WHERE id = 'DX'"))

        for statement in ("UPDATE audit_events SET username = 'someone else'",
                          "DELETE FROM audit_events",
                          "TRUNCATE audit_events"):
            assert _refused(app, statement) == "42501", statement  # insufficient_privilege

        # The owner lifts the trigger: the owner could now rewrite the log, the app still
        # cannot, so it is the grant that refuses, not the trigger.
        with owner.begin() as connection:
            for statement in unguard_statements("postgresql", "audit_events"):
                connection.execute(text(statement))
        try:
            for statement in ("UPDATE audit_events SET username = 'someone else'",
                              "DELETE FROM audit_events",
                              "TRUNCATE audit_events"):
                assert _refused(app, statement) == "42501", statement
            with owner.begin() as connection:
                changed = connection.execute(text(
                    "UPDATE audit_events SET route = route WHERE username = 'sam'")).rowcount
                connection.rollback()
            assert changed == 2
        finally:
            with owner.begin() as connection:
                for statement in guard_statements("postgresql", "audit_events"):
                    connection.execute(text(statement))
        with app.connect() as connection:
            names = connection.execute(text(
                "SELECT DISTINCT username FROM audit_events")).scalars().all()
        assert names == ["sam"]
    finally:
        app.dispose()


def test_granting_again_revokes_what_the_role_had_before(owner: Engine, app_role: str) -> None:
    with owner.begin() as connection:
        connection.execute(text(f"GRANT ALL ON audit_events TO {app_role}"))
        grant_app_role(connection, app_role)
        assert table_privileges(connection, app_role, "audit_events") == {"SELECT", "INSERT"}


def test_an_unknown_role_or_an_owner_is_refused(owner: Engine) -> None:
    with owner.connect() as connection:
        with pytest.raises(DomainError, match="Rollen ingen_sadan_roll finns inte"):
            grant_app_role(connection, "ingen_sadan_roll")
        me = str(connection.execute(text("SELECT current_user")).scalar_one())
        with pytest.raises(DomainError, match=f"Rollen {me} äger tabellerna"):
            grant_app_role(connection, me)


def test_the_cli_grants_and_says_what(owner: Engine, app_role: str,
                                      cli: Callable[..., Result]) -> None:
    result = cli("db", "grant-app-role", app_role)
    assert result.exit_code == 0, result.output
    assert f"Rollen {app_role} får läsa, lägga till, ändra och ta bort i" in result.output
    assert "bara läsa och lägga till i" in result.output
    with owner.connect() as connection:
        assert table_privileges(connection, app_role, "audit_events") == {"SELECT", "INSERT"}


def test_sqlite_has_no_roles(database_url: str, engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("the refusal on SQLite")
    with engine.connect() as connection, pytest.raises(DomainError, match="bara i PostgreSQL"):
        grant_app_role(connection, "anyone")

