"""Indexes for the web pages (issue 6): time entries by client and Stockholm day.

The client page sums a client's time per week and month over the last year; with an
index on ``client_id`` alone every time entry of the client's whole history was read from
the table. ``(client_id, worked_on)`` finds just the window, and still serves lookups by
client alone (it replaces ``ix_time_entries_client_id``).

Revision ID: 0015_page_indexes
Revises: 0014_shift_guards
Create Date: 2026-11-23 09:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0015_page_indexes'
down_revision: str | None = '0014_shift_guards'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_time_entries_client_day', 'time_entries', ['client_id', 'worked_on'])
    op.drop_index('ix_time_entries_client_id', table_name='time_entries')


def downgrade() -> None:
    op.create_index('ix_time_entries_client_id', 'time_entries', ['client_id'])
    op.drop_index('ix_time_entries_client_day', table_name='time_entries')
