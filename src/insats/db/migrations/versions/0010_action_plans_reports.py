"""Action plans followed up over time, and reports to the committee.

- ``actions.owner_username``: the account that owns the action's follow-up (its overdue
  follow-ups are flagged for that person); ``owner_role`` keeps the plan's own wording.
- ``action_targets``: key figures an action is tied to, with baseline, target and date.
- ``action_follow_ups``: the follow-up notes of an action over time (append-only).
- ``committee_reports``: a report being written (period, scope, document header).
- ``committee_report_texts``: what the manager writes, per section, action or figure.
- ``committee_report_versions``: issued versions, frozen content with the PDF and XLSX
  (append-only).

Revision ID: 0010_action_plans_reports
Revises: 0009_absence_cover
Create Date: 2026-11-23 06:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from insats.db.append_only import guard_statements, unguard_statements
from insats.db.base import UTCDateTime

revision: str = '0010_action_plans_reports'
down_revision: str | None = '0009_absence_cover'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_APPEND_ONLY = ('action_follow_ups', 'committee_report_versions')


def upgrade() -> None:
    with op.batch_alter_table('actions') as batch:
        batch.add_column(sa.Column('owner_username', sa.String(length=100), nullable=True))
    op.create_table('action_targets',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('action_id', sa.String(length=32), nullable=False),
    sa.Column('figure_code', sa.String(length=64), nullable=False),
    sa.Column('unit_id', sa.String(length=32), nullable=True),
    sa.Column('baseline', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('baseline_period', sa.String(length=16), nullable=False),
    sa.Column('target', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('target_on', sa.Date(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'],
                            name=op.f('fk_action_targets_action_id_actions')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'],
                            name=op.f('fk_action_targets_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_targets'))
    )
    op.create_index(op.f('ix_action_targets_action_id'), 'action_targets', ['action_id'])
    op.create_index(op.f('ix_action_targets_unit_id'), 'action_targets', ['unit_id'])
    op.create_table('action_follow_ups',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('action_id', sa.String(length=32), nullable=False),
    sa.Column('written_on', sa.Date(), nullable=False),
    sa.Column('written_at', UTCDateTime(), nullable=False),
    sa.Column('author', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('next_follow_up_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'],
                            name=op.f('fk_action_follow_ups_action_id_actions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_follow_ups'))
    )
    op.create_index(op.f('ix_action_follow_ups_action_id'), 'action_follow_ups',
                    ['action_id'])
    op.create_table('committee_reports',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('scope_unit_id', sa.String(length=32), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('document_type', sa.String(length=100), nullable=False),
    sa.Column('deciding_body', sa.String(length=200), nullable=False),
    sa.Column('diarienummer', sa.String(length=64), nullable=False),
    sa.Column('validity', sa.String(length=100), nullable=False),
    sa.Column('responsible', sa.String(length=200), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['scope_unit_id'], ['units.id'],
                            name=op.f('fk_committee_reports_scope_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_committee_reports'))
    )
    op.create_index(op.f('ix_committee_reports_scope_unit_id'), 'committee_reports',
                    ['scope_unit_id'])
    op.create_table('committee_report_texts',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('report_id', sa.String(length=32), nullable=False),
    sa.Column('subject', sa.String(length=100), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['committee_reports.id'],
                            name=op.f('fk_committee_report_texts_report_id_committee_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_committee_report_texts')),
    sa.UniqueConstraint('report_id', 'subject',
                        name=op.f('uq_committee_report_texts_report_id_subject'))
    )
    op.create_index(op.f('ix_committee_report_texts_report_id'), 'committee_report_texts',
                    ['report_id'])
    op.create_table('committee_report_versions',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('report_id', sa.String(length=32), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('issued_at', UTCDateTime(), nullable=False),
    sa.Column('issued_by', sa.String(length=100), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('content_sha256', sa.String(length=64), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('xlsx', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(
        ['report_id'], ['committee_reports.id'],
        name=op.f('fk_committee_report_versions_report_id_committee_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_committee_report_versions')),
    sa.UniqueConstraint('report_id', 'number',
                        name=op.f('uq_committee_report_versions_report_id_number'))
    )
    op.create_index(op.f('ix_committee_report_versions_report_id'),
                    'committee_report_versions', ['report_id'])
    dialect = op.get_bind().dialect.name
    for table in _APPEND_ONLY:
        for statement in guard_statements(dialect, table):
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in _APPEND_ONLY:
        for statement in unguard_statements(dialect, table):
            op.execute(statement)
    op.drop_index(op.f('ix_committee_report_versions_report_id'),
                  table_name='committee_report_versions')
    op.drop_table('committee_report_versions')
    op.drop_index(op.f('ix_committee_report_texts_report_id'),
                  table_name='committee_report_texts')
    op.drop_table('committee_report_texts')
    op.drop_index(op.f('ix_committee_reports_scope_unit_id'), table_name='committee_reports')
    op.drop_table('committee_reports')
    op.drop_index(op.f('ix_action_follow_ups_action_id'), table_name='action_follow_ups')
    op.drop_table('action_follow_ups')
    op.drop_index(op.f('ix_action_targets_unit_id'), table_name='action_targets')
    op.drop_index(op.f('ix_action_targets_action_id'), table_name='action_targets')
    op.drop_table('action_targets')
    with op.batch_alter_table('actions') as batch:
        batch.drop_column('owner_username')
