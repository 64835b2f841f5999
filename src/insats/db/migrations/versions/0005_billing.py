"""Billing: contracts with prices and invoice numbering.

Revision ID: 0005_billing
Revises: 0004_imports
Create Date: 2026-11-23 10:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = '0005_billing'
down_revision: str | None = '0004_imports'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
