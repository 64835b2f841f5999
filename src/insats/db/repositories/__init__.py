"""Repositories: the only place that queries the database. They never commit."""

from insats.db.repositories._base import NotFoundError, StaleVersionError

__all__ = ["NotFoundError", "StaleVersionError"]
