"""Initial schema: organisation, clients, decisions, staff, scheduling, time, economy.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-22 19:32:15.735399
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0001_initial'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('departments',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('municipality_code', sa.String(length=4), nullable=False),
    sa.Column('municipality_name', sa.String(length=100), nullable=False),
    sa.Column('head_employee_id', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_departments'))
    )
    op.create_table('providers',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('organisation_number', sa.String(length=16), nullable=False),
    sa.Column('is_municipal', sa.Boolean(), nullable=False),
    sa.Column('ivo_permit_from', sa.Date(), nullable=True),
    sa.Column('ivo_permit_to', sa.Date(), nullable=True),
    sa.Column('f_tax', sa.Boolean(), nullable=False),
    sa.Column('employer_registered', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_providers'))
    )
    op.create_table('rule_parameters',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('certainty', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rule_parameters')),
    sa.UniqueConstraint('key', 'valid_from', name=op.f('uq_rule_parameters_key_valid_from'))
    )
    op.create_index('ix_rule_parameters_key', 'rule_parameters', ['key'])

    op.create_table('units',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('department_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('cost_centre', sa.String(length=32), nullable=False),
    sa.Column('manager_employee_id', sa.String(length=32), nullable=True),
    sa.Column('places', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_units_department_id_departments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_units'))
    )
    op.create_index('ix_units_department_id', 'units', ['department_id'])

    op.create_table('actions',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('department_id', sa.String(length=32), nullable=False),
    sa.Column('activity', sa.Text(), nullable=False),
    sa.Column('measure', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('owner_role', sa.String(length=100), nullable=False),
    sa.Column('follow_up_on', sa.Date(), nullable=True),
    sa.Column('follow_up_text', sa.Text(), nullable=False),
    sa.Column('unit_id', sa.String(length=32), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_actions_department_id_departments')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_actions_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actions'))
    )
    op.create_index('ix_actions_department_id', 'actions', ['department_id'])
    op.create_index('ix_actions_unit_id', 'actions', ['unit_id'])

    op.create_table('activities',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('unit_id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('start_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('substitutes_needed', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_activities_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities'))
    )
    op.create_index('ix_activities_unit_start', 'activities', ['unit_id', 'start_at'])

    op.create_table('budgets',
    sa.Column('unit_id', sa.String(length=32), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('amount_ore', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_budgets_unit_id_units')),
    sa.PrimaryKeyConstraint('unit_id', 'year', 'month', 'category', name=op.f('pk_budgets'))
    )
    op.create_table('clients',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('pseudonym', sa.String(length=32), nullable=False),
    sa.Column('identity_number', sa.String(length=16), nullable=False),
    sa.Column('identity_kind', sa.String(length=40), nullable=False),
    sa.Column('given_name', sa.String(length=100), nullable=False),
    sa.Column('family_name', sa.String(length=100), nullable=False),
    sa.Column('unit_id', sa.String(length=32), nullable=False),
    sa.Column('home_municipality_code', sa.String(length=4), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('lives_in_group_home', sa.Boolean(), nullable=False),
    sa.Column('deceased_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_clients_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clients')),
    sa.UniqueConstraint('pseudonym', name=op.f('uq_clients_pseudonym'))
    )
    op.create_index('ix_clients_identity_number', 'clients', ['identity_number'])
    op.create_index('ix_clients_unit_id', 'clients', ['unit_id'])

    op.create_table('cost_entries',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('unit_id', sa.String(length=32), nullable=False),
    sa.Column('cost_centre', sa.String(length=32), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('booked_on', sa.Date(), nullable=False),
    sa.Column('amount_ore', sa.BigInteger(), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('counterparty', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_cost_entries_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cost_entries'))
    )
    op.create_index('ix_cost_entries_booked_on', 'cost_entries', ['booked_on'])
    op.create_index('ix_cost_entries_unit_booked_on', 'cost_entries', ['unit_id', 'booked_on'])

    op.create_table('invoices',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('recipient', sa.String(length=200), nullable=False),
    sa.Column('unit_id', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('credits_invoice_id', sa.String(length=32), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['credits_invoice_id'], ['invoices.id'], name=op.f('fk_invoices_credits_invoice_id_invoices')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_invoices_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoices')),
    sa.UniqueConstraint('number', name=op.f('uq_invoices_number'))
    )
    op.create_index('ix_invoices_unit_id', 'invoices', ['unit_id'])

    op.create_table('assistance_groups',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('unit_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('client_id', sa.String(length=32), nullable=True),
    sa.Column('breaks_allowed', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_assistance_groups_client_id_clients')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_assistance_groups_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assistance_groups'))
    )
    op.create_index('ix_assistance_groups_client_id', 'assistance_groups', ['client_id'])
    op.create_index('ix_assistance_groups_unit_id', 'assistance_groups', ['unit_id'])

    op.create_table('decisions',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('client_id', sa.String(length=32), nullable=False),
    sa.Column('legal_basis', sa.String(length=40), nullable=False),
    sa.Column('insats', sa.String(length=40), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('decided_by', sa.String(length=40), nullable=False),
    sa.Column('payer', sa.String(length=40), nullable=False),
    sa.Column('provider_id', sa.String(length=32), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('granted_minutes_per_week', sa.Integer(), nullable=True),
    sa.Column('granted_minutes_total', sa.Integer(), nullable=True),
    sa.Column('double_assistance_minutes_per_week', sa.Integer(), nullable=False),
    sa.Column('basic_needs_minutes_per_week', sa.Integer(), nullable=True),
    sa.Column('increased_rate', sa.Boolean(), nullable=False),
    sa.Column('replaces_decision_id', sa.String(length=32), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_decisions_client_id_clients')),
    sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], name=op.f('fk_decisions_provider_id_providers')),
    sa.ForeignKeyConstraint(['replaces_decision_id'], ['decisions.id'], name=op.f('fk_decisions_replaces_decision_id_decisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions'))
    )
    op.create_index('ix_decisions_client_period', 'decisions', ['client_id', 'valid_from'])
    op.create_index('ix_decisions_provider_id', 'decisions', ['provider_id'])

    op.create_table('employees',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('given_name', sa.String(length=100), nullable=False),
    sa.Column('family_name', sa.String(length=100), nullable=False),
    sa.Column('home_unit_id', sa.String(length=32), nullable=False),
    sa.Column('position', sa.String(length=40), nullable=False),
    sa.Column('employment_form', sa.String(length=40), nullable=False),
    sa.Column('agreement', sa.String(length=40), nullable=False),
    sa.Column('employment_percent', sa.Integer(), nullable=False),
    sa.Column('full_time_minutes_per_week', sa.Integer(), nullable=False),
    sa.Column('employed_from', sa.Date(), nullable=False),
    sa.Column('employed_to', sa.Date(), nullable=True),
    sa.Column('monthly_wage_ore', sa.BigInteger(), nullable=True),
    sa.Column('hourly_wage_ore', sa.BigInteger(), nullable=True),
    sa.Column('related_client_id', sa.String(length=32), nullable=True),
    sa.Column('in_substitute_pool', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['home_unit_id'], ['units.id'], name=op.f('fk_employees_home_unit_id_units')),
    sa.ForeignKeyConstraint(['related_client_id'], ['clients.id'], name=op.f('fk_employees_related_client_id_clients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employees'))
    )
    op.create_index('ix_employees_home_unit_id', 'employees', ['home_unit_id'])

    op.create_table('invoice_lines',
    sa.Column('invoice_id', sa.String(length=32), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('quantity_minutes', sa.Integer(), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price_ore', sa.BigInteger(), nullable=False),
    sa.Column('amount_ore', sa.BigInteger(), nullable=False),
    sa.Column('client_id', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_invoice_lines_client_id_clients')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_invoice_lines_invoice_id_invoices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('invoice_id', 'line_no', name=op.f('pk_invoice_lines'))
    )
    op.create_index('ix_invoice_lines_client_id', 'invoice_lines', ['client_id'])

    op.create_table('absences',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('employee_id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=False),
    sa.Column('extent_percent', sa.Integer(), nullable=False),
    sa.Column('medical_certificate', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_absences_employee_id_employees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_absences'))
    )
    op.create_index('ix_absences_employee_from', 'absences', ['employee_id', 'valid_from'])
    op.create_index('ix_absences_valid_from', 'absences', ['valid_from'])

    op.create_table('activity_participants',
    sa.Column('activity_id', sa.String(length=32), nullable=False),
    sa.Column('employee_id', sa.String(length=32), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_participants_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_activity_participants_employee_id_employees')),
    sa.PrimaryKeyConstraint('activity_id', 'employee_id', name=op.f('pk_activity_participants'))
    )
    op.create_index('ix_activity_participants_employee_id', 'activity_participants', ['employee_id'])

    op.create_table('employee_skills',
    sa.Column('employee_id', sa.String(length=32), nullable=False),
    sa.Column('skill', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_employee_skills_employee_id_employees'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('employee_id', 'skill', name=op.f('pk_employee_skills'))
    )
    op.create_table('group_memberships',
    sa.Column('employee_id', sa.String(length=32), nullable=False),
    sa.Column('group_id', sa.String(length=32), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('is_regular', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_group_memberships_employee_id_employees')),
    sa.ForeignKeyConstraint(['group_id'], ['assistance_groups.id'], name=op.f('fk_group_memberships_group_id_assistance_groups')),
    sa.PrimaryKeyConstraint('employee_id', 'group_id', 'valid_from', name=op.f('pk_group_memberships'))
    )
    op.create_index('ix_group_memberships_group_id', 'group_memberships', ['group_id'])

    op.create_table('shift_templates',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('group_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('length_minutes', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('positions', sa.Integer(), nullable=False),
    sa.Column('break_minutes', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['assistance_groups.id'], name=op.f('fk_shift_templates_group_id_assistance_groups')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shift_templates'))
    )
    op.create_index('ix_shift_templates_group_id', 'shift_templates', ['group_id'])

    op.create_table('planned_shifts',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('group_id', sa.String(length=32), nullable=False),
    sa.Column('start_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('end_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('employee_id', sa.String(length=32), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('break_minutes', sa.Integer(), nullable=False),
    sa.Column('paid_minutes', sa.Integer(), nullable=False),
    sa.Column('is_double', sa.Boolean(), nullable=False),
    sa.Column('template_id', sa.String(length=32), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_planned_shifts_employee_id_employees')),
    sa.ForeignKeyConstraint(['group_id'], ['assistance_groups.id'], name=op.f('fk_planned_shifts_group_id_assistance_groups')),
    sa.ForeignKeyConstraint(['template_id'], ['shift_templates.id'], name=op.f('fk_planned_shifts_template_id_shift_templates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_planned_shifts'))
    )
    op.create_index('ix_planned_shifts_employee_start', 'planned_shifts', ['employee_id', 'start_at'])
    op.create_index('ix_planned_shifts_group_start', 'planned_shifts', ['group_id', 'start_at'])
    op.create_index('ix_planned_shifts_starts_on', 'planned_shifts', ['starts_on'])

    op.create_table('time_entries',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('employee_id', sa.String(length=32), nullable=False),
    sa.Column('group_id', sa.String(length=32), nullable=False),
    sa.Column('start_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('end_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('worked_on', sa.Date(), nullable=False),
    sa.Column('worked_minutes', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('client_id', sa.String(length=32), nullable=True),
    sa.Column('planned_shift_id', sa.String(length=32), nullable=True),
    sa.Column('break_minutes', sa.Integer(), nullable=False),
    sa.Column('is_double', sa.Boolean(), nullable=False),
    sa.Column('at_hospital', sa.Boolean(), nullable=False),
    sa.Column('reported_on', sa.Date(), nullable=True),
    sa.Column('attested_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attested_by', sa.String(length=64), nullable=True),
    sa.Column('corrects_entry_id', sa.String(length=32), nullable=True),
    sa.Column('ob_claimed', sa.Boolean(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_time_entries_client_id_clients')),
    sa.ForeignKeyConstraint(['corrects_entry_id'], ['time_entries.id'], name=op.f('fk_time_entries_corrects_entry_id_time_entries')),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_time_entries_employee_id_employees')),
    sa.ForeignKeyConstraint(['group_id'], ['assistance_groups.id'], name=op.f('fk_time_entries_group_id_assistance_groups')),
    sa.ForeignKeyConstraint(['planned_shift_id'], ['planned_shifts.id'], name=op.f('fk_time_entries_planned_shift_id_planned_shifts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_time_entries'))
    )
    op.create_index('ix_time_entries_client_id', 'time_entries', ['client_id'])
    op.create_index('ix_time_entries_employee_start', 'time_entries', ['employee_id', 'start_at'])
    op.create_index('ix_time_entries_group_start', 'time_entries', ['group_id', 'start_at'])
    op.create_index('ix_time_entries_worked_on', 'time_entries', ['worked_on'])


    # Every foreign-key column is indexed: without an index, deleting a parent row makes
    # SQLite scan the whole child table (quadratic when emptying a self-referencing table).
    for table, column in (
        ('departments', 'head_employee_id'),
        ('units', 'manager_employee_id'),
        ('invoices', 'credits_invoice_id'),
        ('decisions', 'replaces_decision_id'),
        ('employees', 'related_client_id'),
        ('planned_shifts', 'template_id'),
        ('time_entries', 'planned_shift_id'),
        ('time_entries', 'corrects_entry_id'),
    ):
        op.create_index(f'ix_{table}_{column}', table, [column])

    # Circular references (department head, unit manager -> employees), added once
    # employees exists; deferred so a department and its staff load in any order.
    with op.batch_alter_table('departments') as batch_op:
        batch_op.create_foreign_key(
            'fk_departments_head_employee_id_employees', 'employees',
            ['head_employee_id'], ['id'], deferrable=True, initially='DEFERRED',
        )
    with op.batch_alter_table('units') as batch_op:
        batch_op.create_foreign_key(
            'fk_units_manager_employee_id_employees', 'employees',
            ['manager_employee_id'], ['id'], deferrable=True, initially='DEFERRED',
        )


def downgrade() -> None:
    with op.batch_alter_table('units') as batch_op:
        batch_op.drop_constraint('fk_units_manager_employee_id_employees', type_='foreignkey')
    with op.batch_alter_table('departments') as batch_op:
        batch_op.drop_constraint('fk_departments_head_employee_id_employees', type_='foreignkey')
    op.drop_table('time_entries')
    op.drop_table('planned_shifts')
    op.drop_table('shift_templates')
    op.drop_table('group_memberships')
    op.drop_table('employee_skills')
    op.drop_table('activity_participants')
    op.drop_table('absences')
    op.drop_table('invoice_lines')
    op.drop_table('employees')
    op.drop_table('decisions')
    op.drop_table('assistance_groups')
    op.drop_table('invoices')
    op.drop_table('cost_entries')
    op.drop_table('clients')
    op.drop_table('budgets')
    op.drop_table('activities')
    op.drop_table('actions')
    op.drop_table('units')
    op.drop_table('rule_parameters')
    op.drop_table('providers')
    op.drop_table('departments')
