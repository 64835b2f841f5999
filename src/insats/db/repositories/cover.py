"""Cover bookings (``cover_bookings``): plain functions on a session, like ``rosters``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from insats.db.models.cover import CoverBookingRow
from insats.domain.cover import CoverBooking

_FIELDS = ("id", "shift_id", "employee_id", "previous_employee_id", "absence_id", "unit_id",
           "starts_on", "reason", "kind", "paid_minutes", "cost_ore", "booked_at",
           "booked_by")


def add_booking(session: Session, booking: CoverBooking) -> None:
    session.add(CoverBookingRow(**{name: getattr(booking, name) for name in _FIELDS}))
    session.flush()


def _booking(row: CoverBookingRow) -> CoverBooking:
    return CoverBooking(**{name: getattr(row, name) for name in _FIELDS})


def bookings_between(session: Session, first: dt.date, end: dt.date, *,
                     unit_ids: Collection[str] | None = None) -> list[CoverBooking]:
    """Bookings of shifts starting on Stockholm dates in ``[first, end)``, of the units
    (all when None), by date."""
    statement = select(CoverBookingRow).where(CoverBookingRow.starts_on >= first,
                                              CoverBookingRow.starts_on < end)
    if unit_ids is not None:
        statement = statement.where(CoverBookingRow.unit_id.in_(sorted(set(unit_ids))))
    rows = session.scalars(statement.order_by(CoverBookingRow.starts_on, CoverBookingRow.id))
    return [_booking(row) for row in rows]


def bookings_of_shift(session: Session, shift_id: str) -> list[CoverBooking]:
    rows = session.scalars(select(CoverBookingRow).where(CoverBookingRow.shift_id == shift_id)
                           .order_by(CoverBookingRow.booked_at, CoverBookingRow.id))
    return [_booking(row) for row in rows]
