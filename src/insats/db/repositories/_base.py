"""Shared machinery for repositories: mapping hooks, bulk insert, optimistic versions.

A repository takes a Session, converts between domain dataclasses and rows, and never
commits. Editable tables carry a ``version`` column used as SQLAlchemy's
``version_id_col``: an UPDATE only succeeds when the row still has the version this
session read, so a concurrent change is refused instead of silently overwritten.
"""

from __future__ import annotations

import datetime as dt
import itertools
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import Select, func, inspect, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from insats.db.base import Base
from insats.db.bulk import insert_rows
from insats.db.models.access import AuditEventRow
from insats.domain.calendar import to_local
from insats.domain.common import DomainError

E = TypeVar("E")
R = TypeVar("R", bound=Base)


# Swedish names of columns, for saying what someone else changed (others: the column name).
FIELD_LABELS = {
    "status": "status", "employee_id": "medarbetare", "start_at": "start", "end_at": "slut",
    "break_minutes": "rast (min)", "kind": "slag", "measure": "åtgärd",
    "activity": "aktivitet", "owner_role": "ansvarig", "owner_username": "ansvarigt konto",
    "follow_up_on": "uppföljningsdatum", "follow_up_text": "uppföljning", "text": "text",
    "comment": "kommentar", "title": "rubrik", "period_start": "från", "period_end": "till",
    "hours_per_week": "timmar per vecka", "valid_from": "gäller från", "valid_to": "gäller till",
    "target": "målvärde", "target_on": "måldatum", "attested_by": "attesterad av",
    "granted_minutes_per_week": "beviljade minuter per vecka",
    "extent_percent": "omfattning (%)", "medical_certificate": "läkarintyg",
}


@dataclass(frozen=True, slots=True)
class FieldChange:
    """A field whose stored value differs from the one in the refused save."""

    field: str
    current: str
    submitted: str

    @property
    def label(self) -> str:
        return FIELD_LABELS.get(self.field, self.field)


class StaleVersionError(DomainError):
    """Someone else changed the record since it was read.

    Says what it can about that change: the stored version, who changed the record last
    and when (where the record or the access log keeps it), and the fields the refused save
    would have changed with their stored values now (``details()`` gives them to the JSON
    API). The version the user saw is all a save carries, not the values seen, so which
    fields the other user changed is not known; their current values are.
    """

    current_version: int | None = None
    changed_by: str | None = None
    changed_at: dt.datetime | None = None
    changes: tuple[FieldChange, ...] = ()

    def __init__(self, what: str, key: object, *, current_version: int | None = None,
                 changed_by: str | None = None, changed_at: dt.datetime | None = None,
                 changes: Sequence[FieldChange] = ()) -> None:
        self.current_version, self.changed_by, self.changed_at = (
            current_version, changed_by, changed_at)
        self.changes = tuple(changes)
        super().__init__(
            "concurrency.stale",
            f"{what} {key} har ändrats av någon annan{self._by_whom()} sedan du läste den; "
            f"ladda om och försök igen.{self._what_changed()}",
        )

    def _by_whom(self) -> str:
        if self.changed_by is None:
            return ""
        when = ("" if self.changed_at is None
                else f" {to_local(self.changed_at):%Y-%m-%d %H:%M}")
        return f" ({self.changed_by}{when})"

    def _what_changed(self) -> str:
        if not self.changes:
            return ""
        return " Sparat nu i fälten du ändrade: " + "; ".join(
            f"{c.label}: {c.current or 'tomt'}" for c in self.changes) + "."

    def details(self) -> dict[str, Any]:
        """What changed, for a JSON answer (field names are the stable column names)."""
        return {
            "current_version": self.current_version,
            "changed_by": self.changed_by,
            "changed_at": None if self.changed_at is None else self.changed_at.isoformat(),
            "changed": [c.field for c in self.changes],
            "current": {c.field: c.current for c in self.changes},
        }


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
    # the access log's object kind of the rows, to say who changed one last (None: the
    # row's own updated_by/updated_at, if it has them)
    audit_kind: ClassVar[str | None] = None

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
            raise self.stale_error(row, entity)
        for name, value in self.to_values(entity).items():
            setattr(row, name, value)
        self.replace_children(row, entity)
        flush_or_stale(self.session, self.label, key)
        self._remember(row)
        return row.version if self.versioned else None

    def touch(self, key: Any, *, expected_version: int) -> int:
        """Take a new version for an unchanged row, only if it still has
        ``expected_version`` (one conditional UPDATE); returns the new version."""
        row = self.session.get(self.model, key)
        if row is None:
            raise NotFoundError(self.label, key)
        self.check_editable(row)
        table = self.model.__table__
        keys = dict(zip((c.name for c in table.primary_key.columns), _as_tuple(key),
                        strict=True))
        result = self.session.execute(
            update(table)
            .where(*(table.c[name] == value for name, value in keys.items()),
                   table.c.version == expected_version)
            .values(version=table.c.version + 1))
        self.session.refresh(row)
        if not getattr(result, "rowcount", 0):
            raise self.stale_error(row)
        self._remember(row)
        return int(getattr(row, "version"))  # noqa: B009

    def check_version(self, key: Any, expected_version: int,
                      submitted: E | None = None) -> None:
        """Raise the detailed StaleVersionError unless the stored row has
        ``expected_version`` (for saves that check before they write)."""
        row = self.session.get(self.model, key)
        if row is None:
            raise NotFoundError(self.label, key)
        if row.version != expected_version:
            raise self.stale_error(row, submitted)

    def stale_error(self, row: R, submitted: E | None = None) -> StaleVersionError:
        """The refusal of a save based on an old version of ``row``: who changed it last
        and when, and which stored fields differ from ``submitted``."""
        changes: list[FieldChange] = []
        if submitted is not None:
            for name, value in self.to_values(submitted).items():
                stored = getattr(row, name, value)
                if name != "version" and stored != value:
                    changes.append(FieldChange(name, _shown(stored), _shown(value)))
        who, when = self.last_change(row)
        key = inspect(row).identity
        shown_key = key[0] if key and len(key) == 1 else key
        return StaleVersionError(self.label, shown_key,
                                 current_version=int(getattr(row, "version")),  # noqa: B009
                                 changed_by=who, changed_at=when, changes=changes)

    def last_change(self, row: R) -> tuple[str | None, dt.datetime | None]:
        """Who changed ``row`` last and when, as far as the database knows."""
        if hasattr(row, "updated_by"):
            return getattr(row, "updated_by"), getattr(row, "updated_at", None)  # noqa: B009
        if self.audit_kind is None:
            return None, None
        identity = inspect(row).identity
        found = self.session.execute(
            select(AuditEventRow.username, AuditEventRow.at)
            .where(AuditEventRow.object_kind == self.audit_kind,
                   AuditEventRow.object_id == str(identity[0] if identity else ""),
                   AuditEventRow.action != "read")
            .order_by(AuditEventRow.at.desc(), AuditEventRow.id.desc()).limit(1)).first()
        return (None, None) if found is None else (found[0], found[1])

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

    def versions_of(self, keys: Iterable[Any]) -> dict[Any, int]:
        """The stored version of each of ``keys`` (single-column keys) that exists."""
        column = next(iter(self.model.__table__.primary_key.columns))
        wanted = sorted(set(keys))
        found: dict[Any, int] = {}
        for start in range(0, len(wanted), 500):
            statement = select(column, self.model.__table__.c.version).where(
                column.in_(wanted[start:start + 500]))
            found.update((key, int(version)) for key, version in self.session.execute(statement))
        return found

    def count(self) -> int:
        return int(self.session.scalar(select(func.count()).select_from(self.model)) or 0)

    def _list(self, statement: Select[Any]) -> list[E]:
        return [self.load(row) for row in self.session.scalars(statement)]


def _shown(value: Any) -> str:
    """A stored value as a user reads it (local time for instants, enum values as text)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{to_local(value):%Y-%m-%d %H:%M}"
    return str(getattr(value, "value", value))


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
