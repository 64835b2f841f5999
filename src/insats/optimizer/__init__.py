"""Roster optimisation engines and adapters; know nothing of the database or settings."""
