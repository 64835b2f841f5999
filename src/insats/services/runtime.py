"""Wiring for entry points: one engine per database URL, and unit-of-work factories on it."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.engine import Engine

from insats.db.session import make_engine, make_session_factory
from insats.services.uow import UnitOfWork

UowFactory = Callable[[], UnitOfWork]

_engines: dict[str, Engine] = {}


def engine_for(url: str) -> Engine:
    engine = _engines.get(url)
    if engine is None:
        engine = _engines[url] = make_engine(url)
    return engine


def uow_factory_for(url: str) -> UowFactory:
    """A callable that opens a new unit of work on ``url`` (the engine is shared)."""
    session_factory = make_session_factory(engine_for(url))
    return lambda: UnitOfWork(session_factory)


def dispose_all() -> None:
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()
