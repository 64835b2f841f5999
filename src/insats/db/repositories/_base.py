"""Shared machinery for repositories: mapping hooks, bulk insert, optimistic versions.

A repository takes a Session, converts between domain dataclasses and rows, and never
commits. Editable tables carry a ``version`` column used as SQLAlchemy's
``version_id_col``: an UPDATE only succeeds when the row still has the version this
session read, so a concurrent change is refused instead of silently overwritten.
"""

from __future__ import annotations

import itertools
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import Select, func, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from insats.db.base import Base
from insats.db.bulk import insert_rows
from insats.domain.common import DomainError

E = TypeVar("E")
R = TypeVar("R", bound=Base)


class StaleVersionError(DomainError):
    """Someone else changed the record since it was read."""

    def __init__(self, what: str, key: object) -> None:
        super().__init__(
            "concurrency.stale",
            f"{what} {key} har ändrats av någon annan sedan du läste den; "
            "ladda om och försök igen.",
        )


class NotFoundError(DomainError):
    def __init__(self, what: str, key: object) -> None:
        super().__init__("not_found", f"{what} {key} finns inte.")


def flush_or_stale(session: Session, what: str, key: object) -> None:
    """Flush now, turning SQLAlchemy's StaleDataError into a StaleVersionError."""
    try:
        session.flush()
    except StaleDataError as error:
        raise StaleVersionError(what, key) from error


class TableRepository(ABC, Generic[E, R]):
    """A repository over one table (plus optional child tables), keyed by ``id``.

    Subclasses set ``model`` and ``label`` (Swedish, for messages) and implement
    ``to_values`` and ``to_entity``; tables with children override ``build_row``,
    ``child_rows`` and ``replace_children``.
    """

    model: ClassVar[type[Any]]
    label: ClassVar[str] = "Posten"

    def __init__(self, session: Session) -> None:
        self.session = session
        # Versions of the rows this repository handed out, by primary key: an update is
        # checked against the version the caller read, even if the session has since
        # dropped the row from its (weak) identity map and would otherwise re-read it.
        self._read_versions: dict[tuple[Any, ...], int] = {}

    # --- mapping hooks -------------------------------------------------------------
    @abstractmethod
    def to_values(self, entity: E) -> dict[str, Any]:
        """The row's column values for ``entity`` (each feature's repository says how)."""

    @abstractmethod
    def to_entity(self, row: R) -> E:
        """The domain object stored in ``row``."""

    def key_of(self, entity: E) -> Any:
        return entity.id  # type: ignore[attr-defined]

    def build_row(self, entity: E) -> R:
        row: R = self.model(**self.to_values(entity))
        return row

    def child_rows(self, entities: Sequence[E]) -> list[tuple[type[Any], list[dict[str, Any]]]]:
        """Rows of child tables for a bulk insert, as (model, dicts) pairs."""
        return []

    def replace_children(self, row: R, entity: E) -> None:
        """Make the row's child collections match ``entity`` (on update)."""

    def check_editable(self, row: R) -> None:
        """Raise a DomainError when the stored row may not be changed."""

    # --- writing -------------------------------------------------------------------
    @property
    def versioned(self) -> bool:
        return "version" in self.model.__table__.c

    def add(self, entity: E) -> None:
        """Add one entity and flush, so rows reach the database in the order added."""
        row = self.build_row(entity)
        self.session.add(row)
        self.session.flush()
        self._remember(row)

    def add_many(self, entities: Iterable[E]) -> int:
        """Insert many entities in one batch per table; returns the count.

        Rows bypass the ORM: ``insert_rows`` hands them to the driver (executemany on
        SQLite, COPY on PostgreSQL) in the session's transaction, storing the same values
        as ``add``; versioned rows start at version 1. Nothing is committed.
        """
        batch = list(entities)
        if not batch:
            return 0
        rows = [self.to_values(entity) for entity in batch]
        if self.versioned:
            for values in rows:
                values["version"] = 1
        self.session.flush()
        insert_rows(self.session, self.model.__table__, rows)
        for child_model, child_values in self.child_rows(batch):
            insert_rows(self.session, child_model.__table__, child_values)
        return len(batch)

    def update(self, entity: E, *, expected_version: int | None = None) -> int | None:
        """Write ``entity`` over its stored row; returns the new version (None if unversioned).

        Raises:
            NotFoundError: no such row.
            StaleVersionError: ``expected_version`` differs from the stored one, or the row
                changed in the database after this session read it.
            DomainError: the stored row is immutable (attested, issued).
        """
        key = self.key_of(entity)
        row = self.session.get(self.model, key)
        if row is None:
            raise NotFoundError(self.label, key)
        self.check_editable(row)
        if expected_version is None:
            expected_version = self._read_versions.get(_as_tuple(key))
        if expected_version is not None and row.version != expected_version:
            raise StaleVersionError(self.label, key)
        for name, value in self.to_values(entity).items():
            setattr(row, name, value)
        self.replace_children(row, entity)
        flush_or_stale(self.session, self.label, key)
        self._remember(row)
        return row.version if self.versioned else None

    def delete(self, key: Any) -> bool:
        row = self.session.get(self.model, key)
        if row is None:
            return False
        self.check_editable(row)
        self.session.delete(row)
        flush_or_stale(self.session, self.label, key)
        return True

    # --- reading -------------------------------------------------------------------
    def get(self, key: Any) -> E | None:
        row = self.session.get(self.model, key)
        return None if row is None else self.load(row)

    def load(self, row: R) -> E:
        """Map a row read from the database to its entity, remembering its version."""
        self._remember(row)
        return self.to_entity(row)

    def _remember(self, row: R) -> None:
        if self.versioned:
            identity = inspect(row).identity
            if identity is not None:
                self._read_versions[tuple(identity)] = int(getattr(row, "version"))  # noqa: B009

    def version_of(self, key: Any) -> int | None:
        """The stored version, for carrying through an edit form; None if no such row."""
        row = self.session.get(self.model, key)
        return None if row is None else int(row.version)

    def count(self) -> int:
        return int(self.session.scalar(select(func.count()).select_from(self.model)) or 0)

    def _list(self, statement: Select[Any]) -> list[E]:
        return [self.load(row) for row in self.session.scalars(statement)]


def _as_tuple(key: Any) -> tuple[Any, ...]:
    return key if isinstance(key, tuple) else (key,)


def add_in_runs(parts: dict[type[Any], TableRepository[Any, Any]], entities: Iterable[Any]) -> int:
    """Bulk-insert a mixed sequence, one batch per run of the same type, in the given order."""
    total = 0
    for kind, run in itertools.groupby(entities, key=type):
        if kind not in parts:
            raise TypeError(f"no table for {kind.__name__}")
        total += parts[kind].add_many(run)
    return total


def part_for(parts: dict[type[Any], TableRepository[Any, Any]], entity: Any) -> Any:
    try:
        return parts[type(entity)]
    except KeyError:
        raise TypeError(f"no table for {type(entity).__name__}") from None
