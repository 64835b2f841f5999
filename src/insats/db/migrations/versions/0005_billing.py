"""Billing: contracts with prices and invoice numbering.

``billing_contracts``: agreed prices per period (basansvar per hour, köpta platser per
dygn, HSL per hour). ``invoice_number_series``: the last number used per year, incremented
in the issuing transaction. ``invoices`` gains the billed month, the counterparty
reference, the payment term, the creation time and ``open_draft_key`` (unique; set on
drafts only). ``invoice_lines`` gains the basis key (what the line bills, for netting
against issued invoices) and the contract it was priced by.

Revision ID: 0005_billing
Revises: 0004_imports
Create Date: 2026-11-23 10:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005_billing'
down_revision: str | None = '0004_imports'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('billing_contracts',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('counterparty_name', sa.String(length=200), nullable=False),
    sa.Column('organisation_number', sa.String(length=20), nullable=True),
    sa.Column('municipality_code', sa.String(length=4), nullable=True),
    sa.Column('price_ore', sa.BigInteger(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('payment_days', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.String(length=32), nullable=True),
    sa.Column('client_id', sa.String(length=32), nullable=True),
    sa.Column('unit_id', sa.String(length=32), nullable=True),
    sa.Column('hsl_minutes_per_week', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'],
                            name=op.f('fk_billing_contracts_client_id_clients')),
    sa.ForeignKeyConstraint(['provider_id'], ['providers.id'],
                            name=op.f('fk_billing_contracts_provider_id_providers')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'],
                            name=op.f('fk_billing_contracts_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_billing_contracts'))
    )
    op.create_index('ix_billing_contracts_kind_from', 'billing_contracts',
                    ['kind', 'valid_from'])
    op.create_index(op.f('ix_billing_contracts_provider_id'), 'billing_contracts',
                    ['provider_id'])
    op.create_index(op.f('ix_billing_contracts_client_id'), 'billing_contracts', ['client_id'])
    op.create_index(op.f('ix_billing_contracts_unit_id'), 'billing_contracts', ['unit_id'])

    op.create_table('invoice_number_series',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_invoice_number_series'))
    )

    with op.batch_alter_table('invoices') as batch:
        batch.add_column(sa.Column('billing_month', sa.Date(), nullable=True))
        batch.add_column(sa.Column('counterparty_ref', sa.String(length=40), nullable=True))
        batch.add_column(sa.Column('payment_days', sa.Integer(), nullable=False,
                                   server_default='30'))
        batch.add_column(sa.Column('created_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('open_draft_key', sa.String(length=160), nullable=True))
        batch.create_unique_constraint(op.f('uq_invoices_open_draft_key'), ['open_draft_key'])
        batch.create_index('ix_invoices_billing_month', ['billing_month', 'kind'])
        # an invoice is credited at most once
        batch.drop_index('ix_invoices_credits_invoice_id')
        batch.create_index('ix_invoices_credits_invoice_id', ['credits_invoice_id'],
                           unique=True)

    with op.batch_alter_table('invoice_lines') as batch:
        batch.add_column(sa.Column('basis_key', sa.String(length=120), nullable=True))
        batch.add_column(sa.Column('contract_id', sa.String(length=32), nullable=True))
        batch.create_foreign_key(op.f('fk_invoice_lines_contract_id_billing_contracts'),
                                 'billing_contracts', ['contract_id'], ['id'])
        batch.create_index(op.f('ix_invoice_lines_basis_key'), ['basis_key'])
        batch.create_index(op.f('ix_invoice_lines_contract_id'), ['contract_id'])


def downgrade() -> None:
    with op.batch_alter_table('invoice_lines') as batch:
        batch.drop_index(op.f('ix_invoice_lines_contract_id'))
        batch.drop_index(op.f('ix_invoice_lines_basis_key'))
        batch.drop_constraint(op.f('fk_invoice_lines_contract_id_billing_contracts'),
                              type_='foreignkey')
        batch.drop_column('contract_id')
        batch.drop_column('basis_key')
    with op.batch_alter_table('invoices') as batch:
        batch.drop_index('ix_invoices_billing_month')
        batch.drop_index('ix_invoices_credits_invoice_id')
        batch.create_index('ix_invoices_credits_invoice_id', ['credits_invoice_id'])
        batch.drop_constraint(op.f('uq_invoices_open_draft_key'), type_='unique')
        batch.drop_column('open_draft_key')
        batch.drop_column('created_at')
        batch.drop_column('payment_days')
        batch.drop_column('counterparty_ref')
        batch.drop_column('billing_month')
    op.drop_table('invoice_number_series')
    op.drop_index(op.f('ix_billing_contracts_unit_id'), table_name='billing_contracts')
    op.drop_index(op.f('ix_billing_contracts_client_id'), table_name='billing_contracts')
    op.drop_index(op.f('ix_billing_contracts_provider_id'), table_name='billing_contracts')
    op.drop_index('ix_billing_contracts_kind_from', table_name='billing_contracts')
    op.drop_table('billing_contracts')
