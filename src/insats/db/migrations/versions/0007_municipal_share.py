"""FK's invoices for the municipality's share of the first 20 hours a week.

Revision ID: 0007_municipal_share
Revises: 0006_assistant_residence
Create Date: 2026-11-23 12:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007_municipal_share'
down_revision: str | None = '0006_assistant_residence'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('municipal_share_charges',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('client_id', sa.String(length=32), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('amount_ore', sa.BigInteger(), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=False),
    sa.Column('recorded_on', sa.Date(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('client_id', 'month', name='uq_share_client_month')
    )
    op.create_index(op.f('ix_municipal_share_charges_client_id'), 'municipal_share_charges',
                    ['client_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_municipal_share_charges_client_id'),
                  table_name='municipal_share_charges')
    op.drop_table('municipal_share_charges')
