"""Declarative base, constraint naming convention and shared column types.

The naming convention gives every constraint a stable name, which Alembic needs to
alter tables in batch mode on SQLite and to drop constraints on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, Dialect, Enum, MetaData
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

UTC = dt.UTC

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ENUM_LENGTH = 40


class Base(DeclarativeBase):
    """Base class of every mapped table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class NaiveDatetimeError(ValueError):
    """A datetime without a time zone was about to be stored."""


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware instant, stored in UTC and always returned as an aware UTC datetime.

    PostgreSQL stores it as ``timestamptz``; SQLite as naive UTC text, whose ISO format
    sorts and compares correctly. Naive datetimes are refused rather than guessed at.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        offset = utc_offset(value)
        naive_utc: dt.datetime = value.replace(tzinfo=None) - offset
        if dialect.name == "sqlite":
            return naive_utc
        return naive_utc.replace(tzinfo=UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
        if moment.tzinfo is None:
            return moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)


def utc_offset(value: Any) -> dt.timedelta:
    """The UTC offset of ``value``, which must be an aware datetime (checked for UTCDateTime).

    Raises:
        TypeError: ``value`` is not a datetime.
        NaiveDatetimeError: ``value`` has no time zone.
    """
    if not isinstance(value, dt.datetime):
        raise TypeError(f"UTCDateTime expects a datetime, got {type(value).__name__}")
    offset = None if value.tzinfo is None else value.utcoffset()
    if offset is None:
        raise NaiveDatetimeError(f"naive datetime {value.isoformat()} cannot be stored")
    return offset


def str_enum(enum_class: type[StrEnum]) -> Enum:
    """A non-native enum column that stores the StrEnum *values* as VARCHAR."""
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=ENUM_LENGTH,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )
