"""Stored jobs and the job queue (issue 9).

Placeholder: filled in by the work on that issue.

Revision ID: 0013_jobs
Revises: 0012_retention
Create Date: 2026-11-23 08:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = '0013_jobs'
down_revision: str | None = '0012_retention'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
