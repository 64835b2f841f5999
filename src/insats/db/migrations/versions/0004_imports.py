"""Imports: saved column mappings per source and a record of imported files.

Revision ID: 0004_imports
Revises: 0003_client_stays
Create Date: 2026-11-23 10:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = '0004_imports'
down_revision: str | None = '0003_client_stays'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
