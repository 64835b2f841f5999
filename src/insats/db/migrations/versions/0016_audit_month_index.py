"""The access log read by month (issue 6): an index on ``(at, id)``.

The access-log page shows the newest events of a month and counts them. Without an index
on the time alone, every event of the whole log was read and sorted to find a month's
newest 500, and the log grows by every page a user opens. ``(at, id)`` gives the page's
order (newest first, by id within the same instant) straight from the index.

Revision ID: 0016_audit_month_index
Revises: 0015_page_indexes
Create Date: 2026-11-24 03:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0016_audit_month_index'
down_revision: str | None = '0015_page_indexes'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_audit_events_at', 'audit_events', ['at', 'id'])


def downgrade() -> None:
    op.drop_index('ix_audit_events_at', table_name='audit_events')
