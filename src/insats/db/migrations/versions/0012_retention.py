"""Retention (gallring) rules and the log of retention runs (issue 9).

Placeholder: filled in by the work on that issue.

Revision ID: 0012_retention
Revises: 0011_premises_expenses
Create Date: 2026-11-23 08:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = '0012_retention'
down_revision: str | None = '0011_premises_expenses'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
