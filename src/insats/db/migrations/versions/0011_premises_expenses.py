"""Premises and their use; expense claims and petty-cash card purchases (issue 8).

Placeholder: filled in by the work on that issue.

Revision ID: 0011_premises_expenses
Revises: 0010_action_plans_reports
Create Date: 2026-11-23 08:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = '0011_premises_expenses'
down_revision: str | None = '0010_action_plans_reports'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
