"""Use cases for the database schema: migrate and report the version."""

from __future__ import annotations

from sqlalchemy.engine import make_url

from insats.db import migrate, roles
from insats.db.session import make_engine
from insats.services.rules import add_missing_bundled_parameters
from insats.services.runtime import uow_factory_for


def upgrade_database(url: str, *, revision: str = "head") -> int:
    """Run the Alembic migrations up to ``revision`` (creates the SQLite file if needed),
    then add the shipped rule parameters the database lacks. Returns how many were added."""
    migrate.upgrade(url, revision=revision)
    if revision != "head":
        return 0
    with uow_factory_for(url)() as uow:
        added = add_missing_bundled_parameters(uow)
        uow.commit()
    return added


def current_revision(url: str) -> str | None:
    return migrate.current_revision(url)


def describe_url(url: str) -> str:
    """The URL without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True)


def grant_app_role(url: str, role: str) -> roles.RoleGrants:
    """Give the application's PostgreSQL role exactly its privileges (``insats.db.roles``),
    in one transaction; ``url`` must connect as the owner of the tables."""
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            return roles.grant_app_role(connection, role)
    finally:
        engine.dispose()
