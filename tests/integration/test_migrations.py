"""The Alembic migrations build the schema from empty on every backend, and go back down."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from insats.db.base import Base
from insats.db.migrate import current_revision, downgrade, head_revision, upgrade
from insats.db.session import make_engine

EXPECTED_TABLES = {
    "absences", "action_follow_ups", "action_targets", "actions", "activities",
    "activity_participants", "assistance_groups", "committee_reports",
    "committee_report_texts", "committee_report_versions",
    "client_stays", "billing_contracts", "cover_bookings", "invoice_number_series",
    "import_batches", "import_sources", "municipal_share_charges",
    "accounts", "account_units", "web_sessions", "login_failures", "audit_events",
    "budgets", "clients", "cost_entries", "decisions", "departments", "employee_skills",
    "employees", "group_memberships", "invoice_lines", "invoices", "planned_shifts",
    "jobs",
    "premises", "premises_units", "premises_usage", "expense_claims", "petty_cash_cards",
    "card_purchases",
    "planning_runs", "providers", "rule_parameters", "shift_templates", "time_entries", "units",
    "retention_runs",
}


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_from_empty_reaches_head_with_every_table(empty_database_url: str) -> None:
    assert current_revision(empty_database_url) is None

    upgrade(empty_database_url)

    assert current_revision(empty_database_url) == head_revision()
    assert _tables(empty_database_url) == EXPECTED_TABLES


def test_models_and_migrations_agree(empty_database_url: str) -> None:
    upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_downgrade_to_base_and_up_again(empty_database_url: str) -> None:
    upgrade(empty_database_url)

    downgrade(empty_database_url, "base")
    assert current_revision(empty_database_url) is None
    assert _tables(empty_database_url) == set()

    upgrade(empty_database_url)
    assert current_revision(empty_database_url) == head_revision()
    assert _tables(empty_database_url) == EXPECTED_TABLES


def test_upgrade_twice_is_harmless(empty_database_url: str) -> None:
    upgrade(empty_database_url)
    upgrade(empty_database_url)
    assert current_revision(empty_database_url) == head_revision()


def test_sqlite_parent_directory_is_created(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'nested' / 'dir' / 'insats.db'}"
    upgrade(url)
    assert (tmp_path / "nested" / "dir" / "insats.db").exists()


def test_every_foreign_key_column_leads_an_index(empty_database_url: str) -> None:
    """Deleting a parent row must not scan its child tables (see 0001's index list)."""
    upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        inspector = inspect(engine)
        missing = []
        for table in EXPECTED_TABLES:
            leading = {i["column_names"][0] for i in inspector.get_indexes(table)}
            primary = inspector.get_pk_constraint(table)["constrained_columns"]
            leading.add(primary[0])
            missing += [
                f"{table}.{fk['constrained_columns'][0]}"
                for fk in inspector.get_foreign_keys(table)
                if fk["constrained_columns"][0] not in leading
            ]
    finally:
        engine.dispose()
    assert missing == []
