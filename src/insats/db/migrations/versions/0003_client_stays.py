"""Client stays and the FK rate terms of a decision.

``client_stays``: hospital stays, korttidsvistelse, school and daglig verksamhet, which
decide which performed hours FK pays for. ``decisions.increased_rate_ore`` (the approved
förhöjt timbelopp) and ``decisions.paid_in_advance`` (förskott).

Revision ID: 0003_client_stays
Revises: 0002_planning_runs
Create Date: 2026-11-23 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003_client_stays'
down_revision: str | None = '0002_planning_runs'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('client_stays',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('client_id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('start_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('end_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('special_reasons', sa.Boolean(), nullable=False),
    sa.Column('approved_until', sa.Date(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('unit_id', sa.String(length=32), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_client_stays_client_start', 'client_stays', ['client_id', 'start_at'], unique=False)
    op.create_index(op.f('ix_client_stays_client_id'), 'client_stays', ['client_id'], unique=False)
    op.create_index(op.f('ix_client_stays_unit_id'), 'client_stays', ['unit_id'], unique=False)
    with op.batch_alter_table('decisions') as batch:
        batch.add_column(sa.Column('increased_rate_ore', sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column('paid_in_advance', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('decisions') as batch:
        batch.drop_column('paid_in_advance')
        batch.drop_column('increased_rate_ore')
    op.drop_index(op.f('ix_client_stays_unit_id'), table_name='client_stays')
    op.drop_index('ix_client_stays_client_start', table_name='client_stays')
    op.drop_index(op.f('ix_client_stays_client_id'), table_name='client_stays')
    op.drop_table('client_stays')
