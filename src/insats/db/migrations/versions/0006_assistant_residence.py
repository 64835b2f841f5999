"""An assistant's residence outside the EES, and whether FK approved särskilda skäl.

Revision ID: 0006_assistant_residence
Revises: 0005_billing
Create Date: 2026-11-23 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006_assistant_residence'
down_revision: str | None = '0005_billing'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('employees') as batch:
        batch.add_column(sa.Column('resides_outside_eea', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column('outside_eea_approved', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('employees') as batch:
        batch.drop_column('outside_eea_approved')
        batch.drop_column('resides_outside_eea')
