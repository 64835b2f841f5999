"""Imports: saved column mappings per source and a record of imported files.

``import_sources``: a named source system's column mapping (JSON) per import kind, reused
by the next import from that source. ``import_batches``: one row per imported file with
its SHA-256 and how many rows were created, updated and left unchanged. Imported rows keep
ids derived from the source and their external id (insats.interchange.keys), so the
decision, shift and time tables need no extra column.

Revision ID: 0004_imports
Revises: 0003_client_stays
Create Date: 2026-11-23 10:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004_imports'
down_revision: str | None = '0003_client_stays'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('import_sources',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('mapping', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', 'kind')
    )
    op.create_table('import_batches',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('source', sa.String(length=100), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('file_name', sa.String(length=300), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('rows_total', sa.Integer(), nullable=False),
    sa.Column('rows_created', sa.Integer(), nullable=False),
    sa.Column('rows_updated', sa.Integer(), nullable=False),
    sa.Column('rows_unchanged', sa.Integer(), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_import_batches_source_kind', 'import_batches', ['source', 'kind', 'imported_at'], unique=False)
    op.create_index('ix_import_batches_sha256', 'import_batches', ['sha256'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_import_batches_sha256', table_name='import_batches')
    op.drop_index('ix_import_batches_source_kind', table_name='import_batches')
    op.drop_table('import_batches')
    op.drop_table('import_sources')
