"""Planning runs: the ``planning_runs`` job table and ``planned_shifts.planning_run_id``.

A planning run's proposal is planned shifts with status ``forslag`` that carry the run's
id; the column is nullable (hand-made and generated shifts have no run) and indexed.

Revision ID: 0002_planning_runs
Revises: 0001_initial
Create Date: 2026-11-30 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002_planning_runs'
down_revision: str | None = '0001_initial'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('planning_runs',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('unit_ids', sa.JSON(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('parameters', sa.JSON(), nullable=False),
    sa.Column('seed', sa.Integer(), nullable=False),
    sa.Column('time_limit', sa.Float(), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('failure_reason', sa.Text(), nullable=True),
    sa.Column('plan_status', sa.String(length=40), nullable=True),
    sa.Column('objective', sa.BigInteger(), nullable=True),
    sa.Column('bound', sa.BigInteger(), nullable=True),
    sa.Column('penalties', sa.JSON(), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=True),
    sa.Column('explanation', sa.JSON(), nullable=False),
    sa.Column('breaches', sa.JSON(), nullable=False),
    sa.Column('progress', sa.JSON(), nullable=False),
    sa.Column('basis', sa.JSON(), nullable=False),
    sa.Column('released', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_planning_runs'))
    )
    op.create_index('ix_planning_runs_created_at', 'planning_runs', ['created_at'])
    op.create_index('ix_planning_runs_status', 'planning_runs', ['status'])

    with op.batch_alter_table('planned_shifts') as batch_op:
        batch_op.add_column(sa.Column('planning_run_id', sa.String(length=32), nullable=True))
        batch_op.create_foreign_key(
            'fk_planned_shifts_planning_run_id_planning_runs', 'planning_runs',
            ['planning_run_id'], ['id'],
        )
        batch_op.create_index('ix_planned_shifts_planning_run_id', ['planning_run_id'])


def downgrade() -> None:
    with op.batch_alter_table('planned_shifts') as batch_op:
        batch_op.drop_index('ix_planned_shifts_planning_run_id')
        batch_op.drop_constraint('fk_planned_shifts_planning_run_id_planning_runs',
                                 type_='foreignkey')
        batch_op.drop_column('planning_run_id')
    op.drop_index('ix_planning_runs_status', table_name='planning_runs')
    op.drop_index('ix_planning_runs_created_at', table_name='planning_runs')
    op.drop_table('planning_runs')
