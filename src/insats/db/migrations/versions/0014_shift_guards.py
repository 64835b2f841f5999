"""Database guards: no overlapping shifts for one employee (issue 9).

Placeholder: filled in by the work on that issue.

Revision ID: 0014_shift_guards
Revises: 0013_jobs
Create Date: 2026-11-23 08:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = '0014_shift_guards'
down_revision: str | None = '0013_jobs'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
