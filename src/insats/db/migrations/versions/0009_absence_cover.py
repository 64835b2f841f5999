"""Cover bookings: the shift, the person booked, the reason and the kind of cover.

Revision ID: 0009_absence_cover
Revises: 0008_web_access
Create Date: 2026-11-23 04:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from insats.db.base import UTCDateTime

revision: str = '0009_absence_cover'
down_revision: str | None = '0008_web_access'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEXED = ('shift_id', 'employee_id', 'previous_employee_id', 'absence_id', 'unit_id',
            'starts_on')


def upgrade() -> None:
    op.create_table('cover_bookings',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('shift_id', sa.String(length=32), nullable=False),
    sa.Column('employee_id', sa.String(length=32), nullable=False),
    sa.Column('previous_employee_id', sa.String(length=32), nullable=True),
    sa.Column('absence_id', sa.String(length=32), nullable=True),
    sa.Column('unit_id', sa.String(length=32), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('paid_minutes', sa.Integer(), nullable=False),
    sa.Column('cost_ore', sa.Integer(), nullable=False),
    sa.Column('booked_at', UTCDateTime(), nullable=False),
    sa.Column('booked_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['shift_id'], ['planned_shifts.id'],
                            name=op.f('fk_cover_bookings_shift_id_planned_shifts')),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'],
                            name=op.f('fk_cover_bookings_employee_id_employees')),
    sa.ForeignKeyConstraint(['previous_employee_id'], ['employees.id'],
                            name=op.f('fk_cover_bookings_previous_employee_id_employees')),
    sa.ForeignKeyConstraint(['absence_id'], ['absences.id'],
                            name=op.f('fk_cover_bookings_absence_id_absences')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'],
                            name=op.f('fk_cover_bookings_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cover_bookings'))
    )
    for column in _INDEXED:
        op.create_index(op.f(f'ix_cover_bookings_{column}'), 'cover_bookings', [column])
    op.create_index('ix_cover_bookings_unit_starts_on', 'cover_bookings',
                    ['unit_id', 'starts_on'])


def downgrade() -> None:
    op.drop_index('ix_cover_bookings_unit_starts_on', table_name='cover_bookings')
    for column in reversed(_INDEXED):
        op.drop_index(op.f(f'ix_cover_bookings_{column}'), table_name='cover_bookings')
    op.drop_table('cover_bookings')
