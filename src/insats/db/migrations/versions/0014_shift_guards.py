"""Database guards: no overlapping shifts for one employee, one correction per time
entry (issue 9).

PostgreSQL: the extension ``btree_gist`` and an exclusion constraint on
``planned_shifts``; SQLite: BEFORE INSERT/UPDATE triggers. Both refuse a published shift
with an employee that overlaps another published shift of the same employee
(``insats.db.shift_guards``). The index on ``time_entries.corrects_entry_id`` becomes
unique, so two attesters correcting the same entry at once cannot both succeed.

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

CORRECTIONS_INDEX = 'ix_time_entries_corrects_entry_id'


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
    twice = op.get_bind().execute(sa.text(
        "SELECT corrects_entry_id FROM time_entries WHERE corrects_entry_id IS NOT NULL "
        "GROUP BY corrects_entry_id HAVING count(*) > 1")).scalars().all()
    if twice:
        raise RuntimeError(
            f"Migreringen avbröts: {len(twice)} tidrader är rättade mer än en gång, t.ex. "
            f"{twice[0]}. Avvisa de överflödiga rättelserna och kör migreringen igen.")
    op.drop_index(CORRECTIONS_INDEX, table_name='time_entries')
    op.create_index(CORRECTIONS_INDEX, 'time_entries', ['corrects_entry_id'], unique=True)


def downgrade() -> None:
    op.drop_index(CORRECTIONS_INDEX, table_name='time_entries')
    op.create_index(CORRECTIONS_INDEX, 'time_entries', ['corrects_entry_id'], unique=False)
    for statement in unguard_statements(op.get_bind().dialect.name):
        op.execute(statement)
