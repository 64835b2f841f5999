"""Use cases for the database schema: migrate and report the version."""

from __future__ import annotations

from sqlalchemy.engine import make_url

from insats.db import migrate


def upgrade_database(url: str, *, revision: str = "head") -> None:
    """Run the Alembic migrations up to ``revision`` (creates the SQLite file if needed)."""
    migrate.upgrade(url, revision=revision)


def current_revision(url: str) -> str | None:
    return migrate.current_revision(url)


def describe_url(url: str) -> str:
    """The URL without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True)
