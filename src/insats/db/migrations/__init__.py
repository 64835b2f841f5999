"""Alembic migration scripts for the Insats schema."""
