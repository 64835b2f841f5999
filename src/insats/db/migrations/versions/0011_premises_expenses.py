"""Premises and their use; expense claims and petty-cash card purchases (issue 8).

- ``premises``: a lokal (address, district, area, hours available per week) and how its
  rent is booked (the unit whose account Lokaler carries it and the booking text).
- ``premises_units``: the units that use a premises.
- ``premises_usage``: recorded use of a premises by a unit, from start to end.
- ``expense_claims``: utlägg, drafted, submitted and approved or rejected (versioned).
- ``petty_cash_cards``: a unit's handkassekort and its holder.
- ``card_purchases``: the cards' statement lines, linked to the ledger booking.

Revision ID: 0011_premises_expenses
Revises: 0010_action_plans_reports
Create Date: 2026-11-23 08:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from insats.db.base import UTCDateTime

revision: str = '0011_premises_expenses'
down_revision: str | None = '0010_action_plans_reports'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('premises',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('district', sa.String(length=100), nullable=False),
    sa.Column('area_m2', sa.Integer(), nullable=False),
    sa.Column('rent_unit_id', sa.String(length=32), nullable=False),
    sa.Column('rent_text', sa.String(length=200), nullable=False),
    sa.Column('available_minutes_per_week', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['rent_unit_id'], ['units.id'],
                            name=op.f('fk_premises_rent_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_premises'))
    )
    op.create_index(op.f('ix_premises_rent_unit_id'), 'premises', ['rent_unit_id'])
    op.create_table('premises_units',
    sa.Column('premises_id', sa.String(length=32), nullable=False),
    sa.Column('unit_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['premises_id'], ['premises.id'],
                            name=op.f('fk_premises_units_premises_id_premises')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'],
                            name=op.f('fk_premises_units_unit_id_units')),
    sa.PrimaryKeyConstraint('premises_id', 'unit_id', name=op.f('pk_premises_units'))
    )
    op.create_index(op.f('ix_premises_units_unit_id'), 'premises_units', ['unit_id'])
    op.create_table('premises_usage',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('premises_id', sa.String(length=32), nullable=False),
    sa.Column('unit_id', sa.String(length=32), nullable=False),
    sa.Column('start', UTCDateTime(), nullable=False),
    sa.Column('end', UTCDateTime(), nullable=False),
    sa.Column('purpose', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['premises_id'], ['premises.id'],
                            name=op.f('fk_premises_usage_premises_id_premises')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'],
                            name=op.f('fk_premises_usage_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_premises_usage'))
    )
    op.create_index('ix_premises_usage_premises_start', 'premises_usage',
                    ['premises_id', 'start'])
    op.create_index(op.f('ix_premises_usage_unit_id'), 'premises_usage', ['unit_id'])
    op.create_table('expense_claims',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('employee_id', sa.String(length=32), nullable=False),
    sa.Column('unit_id', sa.String(length=32), nullable=False),
    sa.Column('cost_centre', sa.String(length=32), nullable=False),
    sa.Column('spent_on', sa.Date(), nullable=False),
    sa.Column('amount_ore', sa.BigInteger(), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('receipt_reference', sa.String(length=64), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('status', sa.Enum('utkast', 'inskickad', 'attesterad', 'avvisad',
                                name='claimstatus', native_enum=False,
                                create_constraint=False, length=40), nullable=False),
    sa.Column('submitted_at', UTCDateTime(), nullable=True),
    sa.Column('decided_by', sa.String(length=100), nullable=False),
    sa.Column('decided_at', UTCDateTime(), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'],
                            name=op.f('fk_expense_claims_employee_id_employees')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'],
                            name=op.f('fk_expense_claims_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expense_claims'))
    )
    op.create_index(op.f('ix_expense_claims_employee_id'), 'expense_claims', ['employee_id'])
    op.create_index(op.f('ix_expense_claims_unit_id'), 'expense_claims', ['unit_id'])
    op.create_index(op.f('ix_expense_claims_spent_on'), 'expense_claims', ['spent_on'])
    op.create_index(op.f('ix_expense_claims_created_by'), 'expense_claims', ['created_by'])
    op.create_table('petty_cash_cards',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('unit_id', sa.String(length=32), nullable=False),
    sa.Column('holder_employee_id', sa.String(length=32), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'],
                            name=op.f('fk_petty_cash_cards_unit_id_units')),
    sa.ForeignKeyConstraint(['holder_employee_id'], ['employees.id'],
                            name=op.f('fk_petty_cash_cards_holder_employee_id_employees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petty_cash_cards'))
    )
    op.create_index(op.f('ix_petty_cash_cards_unit_id'), 'petty_cash_cards', ['unit_id'])
    op.create_index(op.f('ix_petty_cash_cards_holder_employee_id'), 'petty_cash_cards',
                    ['holder_employee_id'])
    op.create_table('card_purchases',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('card_id', sa.String(length=32), nullable=False),
    sa.Column('bought_on', sa.Date(), nullable=False),
    sa.Column('amount_ore', sa.BigInteger(), nullable=False),
    sa.Column('merchant', sa.String(length=200), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('cost_entry_id', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['card_id'], ['petty_cash_cards.id'],
                            name=op.f('fk_card_purchases_card_id_petty_cash_cards')),
    sa.ForeignKeyConstraint(['cost_entry_id'], ['cost_entries.id'],
                            name=op.f('fk_card_purchases_cost_entry_id_cost_entries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_card_purchases'))
    )
    op.create_index(op.f('ix_card_purchases_card_id'), 'card_purchases', ['card_id'])
    op.create_index(op.f('ix_card_purchases_bought_on'), 'card_purchases', ['bought_on'])
    op.create_index(op.f('ix_card_purchases_cost_entry_id'), 'card_purchases',
                    ['cost_entry_id'])


def downgrade() -> None:
    for table in ('card_purchases', 'petty_cash_cards', 'expense_claims', 'premises_usage',
                  'premises_units', 'premises'):
        op.drop_table(table)
