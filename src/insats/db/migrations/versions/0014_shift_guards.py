"""Database guards: no overlapping shifts for one employee (issue 9).

PostgreSQL: the extension ``btree_gist`` and an exclusion constraint on
``planned_shifts``; SQLite: BEFORE INSERT/UPDATE triggers. Both refuse a published shift
with an employee that overlaps another published shift of the same employee
(``insats.db.shift_guards``).

Revision ID: 0014_shift_guards
Revises: 0013_jobs
Create Date: 2026-11-23 08:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from insats.db.shift_guards import OVERLAPPING_PAIRS, guard_statements, unguard_statements

revision: str = '0014_shift_guards'
down_revision: str | None = '0013_jobs'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    clashes = op.get_bind().execute(sa.text(OVERLAPPING_PAIRS)).all()
    if clashes:
        first, second, employee = clashes[0]
        raise RuntimeError(
            f"Migreringen avbröts: {len(clashes)} par publicerade pass överlappar för samma "
            f"medarbetare, t.ex. {first} och {second} för {employee}. Ställ in eller flytta "
            "dem och kör migreringen igen.")
    for statement in guard_statements(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    for statement in unguard_statements(op.get_bind().dialect.name):
        op.execute(statement)
