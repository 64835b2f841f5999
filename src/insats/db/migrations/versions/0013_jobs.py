"""Stored jobs and the job queue (issue 9).

- ``jobs``: long work (optimisation runs, imports) as rows that workers claim, beat a
  heartbeat on, and end done or failed with a reason; see docs/workers.md.

Revision ID: 0013_jobs
Revises: 0012_retention
Create Date: 2026-11-23 08:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from insats.db.base import UTCDateTime

revision: str = '0013_jobs'
down_revision: str | None = '0012_retention'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('jobs',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('max_attempts', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.String(length=200), nullable=True),
    sa.Column('heartbeat_at', UTCDateTime(), nullable=True),
    sa.Column('queued_at', UTCDateTime(), nullable=False),
    sa.Column('started_at', UTCDateTime(), nullable=True),
    sa.Column('finished_at', UTCDateTime(), nullable=True),
    sa.Column('failure_reason', sa.Text(), nullable=True),
    sa.Column('result_ref', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs'))
    )
    op.create_index('ix_jobs_status_queued_at', 'jobs', ['status', 'queued_at'])
    op.create_index('ix_jobs_result_ref', 'jobs', ['result_ref'])


def downgrade() -> None:
    op.drop_index('ix_jobs_result_ref', table_name='jobs')
    op.drop_index('ix_jobs_status_queued_at', table_name='jobs')
    op.drop_table('jobs')
