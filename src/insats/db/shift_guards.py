"""The database guard against two published shifts of one employee at the same time.

A check in Python (read the employee's shifts, then write) races with a second scheduler
doing the same at the same instant: both read "free", both write. So the database itself
refuses the second write:

* PostgreSQL: an exclusion constraint (extension ``btree_gist``) over
  ``employee_id WITH =`` and ``tstzrange(start_at, end_at) WITH &&``, only for rows that
  count: published shifts (``status = 'publicerat'``) with an employee. Proposals of
  planning runs (drafts, several runs may propose for the same weeks), cancelled shifts
  and open shifts (no employee) are left out by the constraint's WHERE.
* SQLite: BEFORE INSERT and BEFORE UPDATE triggers that ``RAISE(ABORT)`` when such a row
  would overlap another (two index look-ups on ``(employee_id, start_at)``, so a bulk
  insert of a year's shifts does not scan each employee's earlier shifts per row).
  SQLite has one writer at a time and the trigger runs inside the writing statement, so
  the check and the write cannot interleave with another writer (with WAL, readers never
  block it and never see half of it).

Ranges are half-open: a shift ending at 14:00 and one starting at 14:00 do not overlap.
``overlap_refusal`` recognises the database's refusal so repositories can turn it into
the Swedish ``ShiftOverlapError``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DBAPIError

from insats.domain.calendar import to_local
from insats.domain.common import DomainError
from insats.domain.scheduling import ShiftStatus

OVERLAP_GUARD = "planned_shifts_employee_overlap"
_COUNTS = f"status = '{ShiftStatus.PUBLISHED.value}' AND employee_id IS NOT NULL"
_PG_EXCLUSION_VIOLATION = "23P01"
# Concurrent inserts of overlapping shifts each wait for the other's uncommitted row under
# the exclusion constraint; PostgreSQL then aborts one as a deadlock. For a write of
# planned shifts that is the same refusal: another booking of an overlapping shift won.
_PG_DEADLOCK = "40P01"
# PostgreSQL's detail: Key (employee_id, tstzrange(...))=(E0001, [...)) conflicts with ...
_PG_CLASHING_EMPLOYEE = re.compile(r"\)=\(([^,]+), ")


class ShiftOverlapError(DomainError):
    """The employee already has a published shift overlapping the one being written."""

    def __init__(self, employee_id: str | None = None, start: dt.datetime | None = None,
                 end: dt.datetime | None = None) -> None:
        who = f"Medarbetaren {employee_id}" if employee_id else "Medarbetaren"
        when = ""
        if start is not None and end is not None:
            local_start, local_end = to_local(start), to_local(end)
            until = (f"{local_end:%H:%M}" if local_start.date() == local_end.date()
                     else f"{local_end:%Y-%m-%d %H:%M}")
            when = f" {local_start:%Y-%m-%d %H:%M}–{until}"
        super().__init__(
            "shift.overlap",
            f"{who} har redan ett pass som överlappar passet{when}. Ingenting sparades; "
            "ladda om schemat och välj en annan medarbetare eller tid.")


def guard_statements(dialect: str) -> list[str]:
    """SQL that makes ``planned_shifts`` refuse overlapping published shifts per employee."""
    if dialect == "postgresql":
        return ["CREATE EXTENSION IF NOT EXISTS btree_gist",
                f"ALTER TABLE planned_shifts ADD CONSTRAINT {OVERLAP_GUARD} "
                f"EXCLUDE USING gist (employee_id WITH =, "
                f"tstzrange(start_at, end_at, '[)') WITH &&) WHERE ({_COUNTS})"]
    published = f"other.status = '{ShiftStatus.PUBLISHED.value}'"
    same_employee = ("other.employee_id = NEW.employee_id AND other.id <> NEW.id "
                     f"AND {published}")
    # Two index look-ups instead of a scan of all the employee's shifts: another shift
    # starting inside the new one, or the last one starting before it still running. The
    # second suffices because the published shifts already stored never overlap (this
    # guard), so only the latest one starting earlier can reach past the new start.
    clash = (f"SELECT RAISE(ABORT, '{OVERLAP_GUARD}') WHERE EXISTS ("
             f"SELECT 1 FROM planned_shifts AS other WHERE {same_employee} "
             "AND other.start_at >= NEW.start_at AND other.start_at < NEW.end_at) "
             "OR EXISTS (SELECT 1 FROM ("
             f"SELECT other.end_at FROM planned_shifts AS other WHERE {same_employee} "
             "AND other.start_at < NEW.start_at ORDER BY other.start_at DESC LIMIT 1"
             ") AS previous WHERE previous.end_at > NEW.start_at);")
    counts = (f"NEW.status = '{ShiftStatus.PUBLISHED.value}' "
              "AND NEW.employee_id IS NOT NULL")
    return [f"CREATE TRIGGER {OVERLAP_GUARD}_insert BEFORE INSERT ON planned_shifts "
            f"WHEN {counts} BEGIN {clash} END",
            f"CREATE TRIGGER {OVERLAP_GUARD}_update "
            "BEFORE UPDATE OF employee_id, start_at, end_at, status ON planned_shifts "
            f"WHEN {counts} BEGIN {clash} END"]


# Pairs of published shifts of one employee that overlap (a one-off scan, for the migration:
# the SQLite triggers assume the stored shifts never overlap).
OVERLAPPING_PAIRS = (
    "SELECT a.id, b.id, a.employee_id FROM planned_shifts AS a JOIN planned_shifts AS b "
    "ON a.employee_id = b.employee_id AND a.id < b.id "
    "AND a.start_at < b.end_at AND b.start_at < a.end_at "
    f"WHERE a.status = '{ShiftStatus.PUBLISHED.value}' "
    f"AND b.status = '{ShiftStatus.PUBLISHED.value}' ORDER BY a.id, b.id")


def unguard_statements(dialect: str) -> list[str]:
    """SQL that removes the guard (the extension stays: other objects may use it)."""
    if dialect == "postgresql":
        return [f"ALTER TABLE planned_shifts DROP CONSTRAINT IF EXISTS {OVERLAP_GUARD}"]
    return [f"DROP TRIGGER IF EXISTS {OVERLAP_GUARD}_{event}" for event in ("insert", "update")]


def overlap_refusal(error: BaseException) -> bool:
    """Whether ``error`` (a SQLAlchemy or driver error) is the guard refusing a write."""
    original = error.orig if isinstance(error, DBAPIError) else error
    if getattr(original, "sqlstate", None) == _PG_DEADLOCK:
        statement = error.statement if isinstance(error, DBAPIError) else None
        return "planned_shifts" in (statement or "")
    if getattr(original, "sqlstate", None) == _PG_EXCLUSION_VIOLATION:
        diag = getattr(original, "diag", None)
        return getattr(diag, "constraint_name", None) in (OVERLAP_GUARD, None)
    return OVERLAP_GUARD in str(original)


@contextmanager
def refusing_overlaps(employee_id: str | None = None, start: dt.datetime | None = None,
                      end: dt.datetime | None = None) -> Iterator[None]:
    """Turn the guard's refusal of a write inside the block into ``ShiftOverlapError``
    (naming the shift written, when one is given); other errors pass unchanged."""
    try:
        yield
    except DBAPIError as error:
        if not overlap_refusal(error):
            raise
        raise ShiftOverlapError(employee_id or clashing_employee(error), start, end) from error


def clashing_employee(error: DBAPIError) -> str | None:
    """The employee named in PostgreSQL's detail of the refusal (SQLite names none)."""
    detail = getattr(getattr(error.orig, "diag", None), "message_detail", None) or ""
    found = _PG_CLASHING_EMPLOYEE.search(detail)
    return found.group(1) if found else None
