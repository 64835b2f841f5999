"""The append-only log of retention (gallring) runs (issue 9).

The retention limits themselves are dated rule parameters (``retention.*`` in
rule_parameters, shipped in domain/rules/data/parameters.toml), so they need no table.

Revision ID: 0012_retention
Revises: 0011_premises_expenses
Create Date: 2026-11-23 08:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from insats.db.append_only import guard_statements, unguard_statements
from insats.db.base import UTCDateTime

revision: str = '0012_retention'
down_revision: str | None = '0011_premises_expenses'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('retention_runs',
    sa.Column('id', _ID, autoincrement=True, nullable=False),
    sa.Column('ran_at', UTCDateTime(), nullable=False),
    sa.Column('ran_by', sa.String(length=100), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_retention_runs_ran_at'), 'retention_runs', ['ran_at'],
                    unique=False)
    for statement in guard_statements(op.get_bind().dialect.name, 'retention_runs'):
        op.execute(statement)


def downgrade() -> None:
    for statement in unguard_statements(op.get_bind().dialect.name, 'retention_runs'):
        op.execute(statement)
    op.drop_index(op.f('ix_retention_runs_ran_at'), table_name='retention_runs')
    op.drop_table('retention_runs')
