"""Alembic environment, run by ``insats.db.migrate`` (no alembic.ini needed).

The caller passes an open connection in ``config.attributes["connection"]``, or a URL in
the ``sqlalchemy.url`` option. SQLite uses batch mode and runs with foreign keys off while
tables are rebuilt, as SQLite's ALTER TABLE requires.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, text

import insats.db.models  # noqa: F401  (registers every table on Base.metadata)
from insats.db.base import Base
from insats.db.session import make_engine

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    is_sqlite = connection.dialect.name == "sqlite"
    if is_sqlite:
        if connection.in_transaction():
            connection.commit()
        connection.execute(text("PRAGMA foreign_keys=OFF"))
        connection.commit()
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=is_sqlite,
        compare_type=True,
    )
    try:
        with context.begin_transaction():
            context.run_migrations()
    finally:
        if is_sqlite:
            if connection.in_transaction():
                connection.commit()
            connection.execute(text("PRAGMA foreign_keys=ON"))
            connection.commit()


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("No database URL given to the migration environment")
    engine = make_engine(url)
    try:
        with engine.connect() as new_connection:
            _run(new_connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
